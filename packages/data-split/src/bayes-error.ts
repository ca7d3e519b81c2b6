// The Bayes error of the built-in generators' distributions: the error of the best possible
// classifier, the one that predicts the class of largest prior × density. No model can do
// better on data from that distribution, so it is the "base error" a bias/variance diagnosis
// should measure a model against. Where a generator spaces a curve parameter evenly (the
// moons' t, the circles' angle, the spirals' radius) the distribution here treats it as
// uniform: the generator's points are a stratified sample of that uniform.
//
// Each function computes E = ∫ (Σ_c π_c p_c(x) − max_c π_c p_c(x)) dx = 1 − ∫ max_c π_c p_c(x) dx
// for class priors π_c and class densities p_c, by quadrature where the geometry allows
// (moons: 2-D; circles: 1-D over the radius; spirals: 1-D over the angle), exactly where a
// closed form exists (blobs with a common std and collinear centers), and by a seeded
// quasi-Monte Carlo estimate of E = E_x[1 − max_c posterior_c(x)] for the other blob layouts.
import { libm, ArgumentError, describe, rng as seeded } from "@hone/tensor";
import { normalCdf } from "./stats.js";
import { checkNonNegative, checkPositiveInt, isArray } from "./util.js";

/** Options of {@link moonsBayesError}. */
export interface MoonsBayesErrorOptions {
  /** Standard deviation of the Gaussian noise on each coordinate, as in `makeMoons`. Default `0.2`. */
  readonly noise?: number;
  /** Priors of [upper moon, lower moon], or non-negative weights proportional to them (class sizes will do). Default equal. */
  readonly priors?: readonly number[];
}

/** Options of {@link circlesBayesError}. */
export interface CirclesBayesErrorOptions {
  /** Standard deviation of the Gaussian noise on each coordinate, as in `makeCircles`. Default `0.05`. */
  readonly noise?: number;
  /** Radius of the inner circle relative to the outer one (radius 1), in [0, 1). Default `0.8`. */
  readonly factor?: number;
  /** Priors of [outer, inner], or non-negative weights proportional to them (class sizes will do). Default equal. */
  readonly priors?: readonly number[];
}

/** Options of {@link spiralsBayesError}. */
export interface SpiralsBayesErrorOptions {
  /** Standard deviation of the Gaussian noise on each point's angle (radians), as in `makeSpirals`. Default `0.2`. */
  readonly noise?: number;
  /** Number of spiral arms (classes). Default `2`. */
  readonly classes?: number;
  /** One prior per arm, or non-negative weights proportional to them (class sizes will do). Default equal. */
  readonly priors?: readonly number[];
}

/** Options of {@link blobsBayesError}. */
export interface BlobsBayesErrorOptions {
  /** The centers: k rows of f finite numbers. Required. */
  readonly centers: readonly (readonly number[])[];
  /** Standard deviation of each blob: one number, or one per center; 0 makes a point mass. Default `1`. */
  readonly std?: number | readonly number[];
  /** One prior per center, or non-negative weights proportional to them (class sizes will do). Default equal. */
  readonly priors?: readonly number[];
}

// ---------------------------------------------------------------------------------------
// Shared pieces

/** Tube radius in standard deviations: mass farther than this from its curve is ignored. */
const MOONS_REACH = 7.5; // 2-D Gaussian tail P(‖z‖ > 7.5) = e^(−28) ≈ 7e-13
const RADIAL_REACH = 8.5; // P(‖z‖ > 8.5) = e^(−36) ≈ 2e-16 for the circles, 2Φ(−8.5) ≈ 2e-17 for the spirals

function checkOptions(fn: string, options: unknown): void {
  if (typeof options !== "object" || options === null) throw new ArgumentError(`${fn}: options must be an object, got ${describe(options)}`);
}

/** `priors` (default equal) as k probabilities summing to 1. */
function checkPriors(fn: string, value: unknown, k: number): Float64Array {
  if (value === undefined) return new Float64Array(k).fill(1 / k);
  const ok = isArray(value) && value.length === k && value.every((v) => typeof v === "number" && Number.isFinite(v) && v >= 0);
  const sum = ok ? (value as readonly number[]).reduce((s, v) => s + v, 0) : 0;
  if (!ok || !(sum > 0)) {
    throw new ArgumentError(`${fn}: priors must be ${k} finite numbers ≥ 0 (one per class) with a positive sum, got ${describe(value)}`);
  }
  return Float64Array.from(value as readonly number[], (v) => v / sum);
}

/** Gauss–Legendre nodes and weights on [−1, 1], by Newton's method on P_n. */
function gaussLegendre(n: number): { readonly x: Float64Array; readonly w: Float64Array } {
  const x = new Float64Array(n), w = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let z = libm.cos((Math.PI * (i + 0.75)) / (n + 0.5)), dp = 1;
    for (let iter = 0; iter < 100; iter++) {
      let p0 = 1, p1 = z;
      for (let k = 2; k <= n; k++) [p0, p1] = [p1, ((2 * k - 1) * z * p1 - (k - 1) * p0) / k];
      dp = (n * (z * p1 - p0)) / (z * z - 1);
      const step = p1 / dp;
      z -= step;
      if (Math.abs(step) < 1e-15) break;
    }
    x[i] = z;
    w[i] = 2 / ((1 - z * z) * dp * dp);
  }
  return { x, w };
}

/** ∫ f over [a, b] by Gauss–Legendre on `panels` equal panels. */
function integrate(f: (u: number) => number, a: number, b: number, panels: number, gl: { readonly x: Float64Array; readonly w: Float64Array }): number {
  if (!(b > a)) return 0;
  const half = (b - a) / panels / 2;
  let s = 0;
  for (let p = 0; p < panels; p++) {
    const mid = a + (2 * p + 1) * half;
    for (let q = 0; q < gl.x.length; q++) s += gl.w[q]! * f(mid + half * gl.x[q]!);
  }
  return s * half;
}

/**
 * The exponentially scaled modified Bessel function e^(−z)·I0(z), z ≥ 0: the power series
 * Σ (z²/4)^k/(k!)² for z ≤ 15 (all terms positive, so no cancellation), the asymptotic series
 * (2πz)^(−½)·Σ ((2k−1)!!)²/(k!·(8z)^k) beyond, cut at its smallest term (relative error
 * below 1e-12 at z = 15 and falling). Never overflows.
 */
function besselI0e(z: number): number {
  if (z <= 15) {
    const q = (z * z) / 4;
    let term = 1, sum = 1;
    for (let k = 1; term > 1e-17 * sum; k++) {
      term *= q / (k * k);
      sum += term;
    }
    return sum * libm.exp(-z);
  }
  let term = 1, sum = 1;
  for (let k = 1; k < 200; k++) {
    const next = (term * (2 * k - 1) * (2 * k - 1)) / (8 * k * z);
    if (next >= term || next < 1e-17) break;
    term = next;
    sum += term;
  }
  return sum / Math.sqrt(2 * Math.PI * z);
}

// ---------------------------------------------------------------------------------------
// Moons

/** The two moons as unit half circles: center (cx, cy), angles [a0, a0 + π]. */
const MOON_ARCS = [
  { cx: 0, cy: 0, a0: 0 }, // (cos t, sin t)
  { cx: 1, cy: 0.5, a0: Math.PI }, // (1 − cos t, 1 − sin t − 0.5) = (1, 0.5) + (cos(t + π), sin(t + π))
] as const;
/** The distance between the two moons (attained at their tips). */
const MOONS_GAP = 0.5;

/** The distance from (x, y) to a unit half circle of {@link MOON_ARCS}. */
function distanceToArc(x: number, y: number, arc: (typeof MOON_ARCS)[number]): number {
  const dx = x - arc.cx, dy = y - arc.cy;
  const angle = (((Math.atan2(dy, dx) - arc.a0) % (2 * Math.PI)) + 2 * Math.PI) % (2 * Math.PI);
  if (angle <= Math.PI) return Math.abs(Math.hypot(dx, dy) - 1);
  const c = libm.cos(arc.a0), s = libm.sin(arc.a0);
  return Math.min(Math.hypot(dx - c, dy - s), Math.hypot(dx + c, dy + s));
}

/**
 * The Bayes error of {@link makeMoons}'s distribution: class c's density is the average of
 * N(x; μ_c(t), σ²I) over t uniform in [0, π] (μ_0(t) = (cos t, sin t),
 * μ_1(t) = (1 − cos t, 0.5 − sin t)), and E = ∫ min(π_0 p_0(x), π_1 p_1(x)) dx.
 *
 * Computed by 2-D midpoint quadrature on cells of side σ/8 over the moons' bounding box
 * ± 7.5σ, each density's t-integral by 4-point Gauss–Legendre panels 2σ/√(1 + 7.5σ) wide;
 * only blocks of cells within 7.5σ of both moons are evaluated (the rest carries less than
 * e^(−28) ≈ 7e-13 of the error). Absolute error about 1e-5 (against finer grids and an
 * independent scipy quadrature: 0.028957 at σ = 0.2); a few milliseconds. The moons are
 * 0.5 apart, so for σ < 1/30 (and σ = 0) it is 0 to within 1e-12.
 *
 * @example
 * ```ts
 * import { moonsBayesError } from "@hone/data-split";
 * moonsBayesError({ noise: 0.2 }); // 0.02896 (makeMoons' default)
 * moonsBayesError({ noise: 0 });   // 0
 * ```
 */
export function moonsBayesError(options: MoonsBayesErrorOptions = {}): number {
  const fn = "moonsBayesError";
  checkOptions(fn, options);
  const sigma = checkNonNegative(fn, "noise", options.noise ?? 0.2);
  const priors = checkPriors(fn, options.priors, 2);
  if (priors[0] === 0 || priors[1] === 0 || 2 * MOONS_REACH * sigma < MOONS_GAP) return 0;
  const R = MOONS_REACH, inv = 1 / sigma;
  // Arc nodes: composite 4-point Gauss–Legendre in t. N(x; μ(t)) is about σ/√ρ wide in t at
  // distance ρ from the circle's center, and ρ ≤ 1 + Rσ where it matters.
  const gl = gaussLegendre(4);
  const panels = Math.ceil(Math.PI / ((2 * sigma) / Math.sqrt(1 + R * sigma)));
  const nodes = MOON_ARCS.map((arc) => {
    const n = panels * 4, px = new Float64Array(n), py = new Float64Array(n), w = new Float64Array(n);
    const half = Math.PI / panels / 2;
    for (let p = 0, i = 0; p < panels; p++) {
      for (let q = 0; q < 4; q++, i++) {
        const t = arc.a0 + (2 * p + 1) * half + half * gl.x[q]!;
        px[i] = arc.cx + libm.cos(t);
        py[i] = arc.cy + libm.sin(t);
        w[i] = (gl.w[q]! * half) / Math.PI; // the average over t: Σ w = 1
      }
    }
    return { px, py, w };
  });
  const h = sigma / 8, B = 32;
  const x0 = -1 - R * sigma, y0 = -0.5 - R * sigma;
  const nx = Math.ceil((3 + 2 * R * sigma) / h), ny = Math.ceil((1.5 + 2 * R * sigma) / h);
  const reach = R * sigma + (B * h) / Math.SQRT2; // tube radius + a block's half diagonal
  const ex = new Float64Array(B);
  const dens = [new Float64Array(B * B), new Float64Array(B * B)];
  let total = 0;
  for (let bi = 0; bi < nx; bi += B) {
    for (let bj = 0; bj < ny; bj += B) {
      const cx = x0 + (bi + B / 2) * h, cy = y0 + (bj + B / 2) * h;
      if (distanceToArc(cx, cy, MOON_ARCS[0]) > reach || distanceToArc(cx, cy, MOON_ARCS[1]) > reach) continue;
      const ni = Math.min(B, nx - bi), nj = Math.min(B, ny - bj);
      for (let c = 0; c < 2; c++) {
        const { px, py, w } = nodes[c]!, out = dens[c]!;
        out.fill(0);
        // Σ_k w_k·exp(−‖x − μ_k‖²/2σ²) on the block, separably: exp(−dx²/2σ²)·exp(−dy²/2σ²).
        for (let k = 0; k < w.length; k++) {
          if (Math.hypot(px[k]! - cx, py[k]! - cy) > reach) continue;
          for (let i = 0; i < ni; i++) {
            const d = (x0 + (bi + i + 0.5) * h - px[k]!) * inv;
            ex[i] = w[k]! * libm.exp(-0.5 * d * d);
          }
          for (let j = 0; j < nj; j++) {
            const d = (y0 + (bj + j + 0.5) * h - py[k]!) * inv;
            const ey = libm.exp(-0.5 * d * d), row = j * B;
            for (let i = 0; i < ni; i++) out[row + i] += ex[i]! * ey;
          }
        }
      }
      const [d0, d1] = dens as [Float64Array, Float64Array];
      for (let j = 0; j < nj; j++) {
        for (let i = 0, r = j * B; i < ni; i++, r++) total += Math.min(priors[0]! * d0[r]!, priors[1]! * d1[r]!);
      }
    }
  }
  // Each density is Σ/(2πσ²); a cell has area h² = σ²/64.
  return total / (64 * 2 * Math.PI);
}

// ---------------------------------------------------------------------------------------
// Circles

/**
 * The Bayes error of {@link makeCircles}'s distribution: a point on the circle of radius 1
 * (class 0) or `factor` (class 1) at a uniform angle, plus N(0, σ²I). The distance u = ‖x‖/σ
 * of a point from the origin is then Rice-distributed, with density
 * g_ν(u) = u·exp(−(u − ν)²/2)·e^(−uν)I0(uν) for ν = radius/σ, and since the densities are
 * radially symmetric the Bayes rule is a threshold u* on the radius (the likelihood ratio is
 * monotone in u), where π_0·g_a(u*) = π_1·g_b(u*), a = 1/σ, b = factor/σ:
 *
 *   E = π_0·∫_0^u* g_a(u) du + π_1·∫_u*^∞ g_b(u) du.
 *
 * u* by bisection, each integral by 8-point Gauss–Legendre on panels σ/2 wide over ν ± 8.5
 * (the rest is below e^(−36)); accurate to about 1e-12, in microseconds. For σ = 0 the
 * circles do not overlap and E = 0.
 *
 * @example
 * ```ts
 * import { circlesBayesError } from "@hone/data-split";
 * circlesBayesError({ noise: 0.05, factor: 0.8 }); // 0.02283 (makeCircles' defaults)
 * ```
 */
export function circlesBayesError(options: CirclesBayesErrorOptions = {}): number {
  const fn = "circlesBayesError";
  checkOptions(fn, options);
  const sigma = checkNonNegative(fn, "noise", options.noise ?? 0.05);
  const factor = options.factor ?? 0.8;
  if (typeof factor !== "number" || !(factor >= 0 && factor < 1)) throw new ArgumentError(`${fn}: factor must be in [0, 1), got ${describe(factor)}`);
  const [p0, p1] = checkPriors(fn, options.priors, 2);
  const R = RADIAL_REACH;
  // Disjoint tubes: even the midpoint threshold errs less than e^(−R²/2).
  if (p0 === 0 || p1 === 0 || 1 - factor > 2 * R * sigma) return 0;
  const a = 1 / sigma, b = factor / sigma;
  // log(π_0 g_a(u) / π_1 g_b(u)), increasing in u.
  const logRatio = (u: number): number => libm.log(p0 / p1) + ((a - b) * (2 * u - a - b)) / 2 + libm.log(besselI0e(a * u) / besselI0e(b * u));
  let lo = 0, hi = a + R;
  if (logRatio(0) >= 0) hi = 0;
  else {
    for (let i = 0; i < 2000 && logRatio(hi) < 0; i++) hi *= 2;
    for (let i = 0; i < 200 && hi - lo > 1e-14 * hi; i++) {
      const mid = (lo + hi) / 2;
      if (logRatio(mid) < 0) lo = mid;
      else hi = mid;
    }
  }
  const cut = hi;
  const gl = gaussLegendre(8);
  const rice = (nu: number) => (u: number): number => u * libm.exp(-0.5 * (u - nu) * (u - nu)) * besselI0e(u * nu);
  const part = (nu: number, from: number, to: number): number => {
    const lowEnd = Math.max(from, nu - R, 0), highEnd = Math.min(to, nu + R);
    return integrate(rice(nu), lowEnd, highEnd, Math.max(1, Math.ceil((highEnd - lowEnd) * 2)), gl);
  };
  return p0 * part(a, 0, cut) + p1 * part(b, cut, Infinity);
}

// ---------------------------------------------------------------------------------------
// Spirals

/** Wrapped normal density on the circle, at angular distance `d` from the mean. */
function wrappedNormal(d: number, sigma: number): number {
  if (sigma < 1) {
    // Images: Σ_n φ((d + 2πn)/σ)/σ; |n| ≤ 2 reaches beyond 8.5σ + π.
    let s = 0;
    for (let n = -2; n <= 2; n++) {
      const z = (d + 2 * Math.PI * n) / sigma;
      s += libm.exp(-0.5 * z * z);
    }
    return s / (sigma * Math.sqrt(2 * Math.PI));
  }
  // Fourier series: (1 + 2 Σ_n e^(−n²σ²/2) cos(n d)) / 2π; terms below 1e-18 dropped.
  let s = 1;
  for (let n = 1; n * sigma < 9.2; n++) s += 2 * libm.exp(-0.5 * n * n * sigma * sigma) * libm.cos(n * d);
  return s / (2 * Math.PI);
}

/**
 * The Bayes error of {@link makeSpirals}'s distribution. Arm j puts a point at radius r and
 * angle t = 4j + 4r + σz (r uniform in [0, 1], z standard normal), at (r·sin t, r·cos t):
 * both its radius and its angle are linspaced over the same fraction of the arm, so the
 * angle's center is 4j + 4r. In the coordinates (r, ψ = t − 4r mod 2π) class j's density
 * is 1 × WN(ψ; 4j, σ), a wrapped normal that does not depend on r, and the Jacobian from
 * (r, ψ) to the plane is the same for every class, so it cancels in the max:
 *
 *   E = 1 − ∫_0^2π max_j π_j·WN(ψ; 4j mod 2π, σ) dψ.
 *
 * The integral runs over the arcs where two arms' centers are both within 8.5σ (elsewhere
 * the error is below 2Φ(−8.5) ≈ 2e-17), by 8-point Gauss–Legendre on panels σ/2 wide split
 * where the best class changes; accurate to about 1e-12, in well under a millisecond. The
 * centers 4j mod 2π are distinct (π is irrational), so σ = 0 gives 0.
 *
 * @example
 * ```ts
 * import { spiralsBayesError } from "@hone/data-split";
 * spiralsBayesError({ noise: 0.2, classes: 3 }); // 5.9e-6
 * spiralsBayesError({ noise: 1, classes: 2 });  // 0.1496
 * ```
 */
export function spiralsBayesError(options: SpiralsBayesErrorOptions = {}): number {
  const fn = "spiralsBayesError";
  checkOptions(fn, options);
  const sigma = checkNonNegative(fn, "noise", options.noise ?? 0.2);
  const k = checkPositiveInt(fn, "classes", options.classes ?? 2);
  const priors = checkPriors(fn, options.priors, k);
  const TAU = 2 * Math.PI, R = RADIAL_REACH;
  const arms = Array.from({ length: k }, (_, j) => ({ center: (4 * j) % TAU, prior: priors[j]! }))
    .filter((a) => a.prior > 0)
    .sort((p, q) => p.center - q.center);
  if (arms.length < 2 || sigma === 0) return 0;
  // Where two arms overlap: between consecutive centers less than 2Rσ apart, ± Rσ.
  let zones: [number, number][] = [];
  if (R * sigma >= Math.PI / 2) zones = [[0, TAU]];
  else {
    arms.forEach((arm, i) => {
      const next = arms[(i + 1) % arms.length]!;
      const gap = (((next.center - arm.center) % TAU) + TAU) % TAU || TAU;
      if (gap < 2 * R * sigma) zones.push([arm.center - R * sigma, arm.center + gap + R * sigma]);
    });
    zones.sort((p, q) => p[0] - q[0]);
    const merged: [number, number][] = [];
    for (const z of zones) {
      const last = merged[merged.length - 1];
      if (last !== undefined && z[0] <= last[1]) last[1] = Math.max(last[1], z[1]);
      else merged.push([z[0], z[1]]);
    }
    // Zones are sorted by start, so only the last can wrap onto the first.
    if (merged.length > 1 && merged[merged.length - 1]![1] >= merged[0]![0] + TAU) {
      const last = merged.pop()!;
      merged[0] = [last[0], Math.max(last[1], merged[0]![1] + TAU)];
    }
    zones = merged.some((z) => z[1] - z[0] >= TAU) ? [[0, TAU]] : merged;
  }
  const scores = new Float64Array(arms.length);
  const evaluate = (psi: number): number => {
    let best = 0;
    for (let j = 0; j < arms.length; j++) {
      scores[j] = arms[j]!.prior * wrappedNormal(psi - arms[j]!.center, sigma);
      if (scores[j]! > scores[best]!) best = j;
    }
    return best;
  };
  const excess = (psi: number): number => {
    evaluate(psi);
    let sum = 0, max = 0;
    for (const s of scores) {
      sum += s;
      max = Math.max(max, s);
    }
    return sum - max;
  };
  const gl = gaussLegendre(8);
  let error = 0;
  for (const [from, to] of zones) {
    const panels = Math.max(1, Math.ceil((to - from) / (sigma / 2)));
    const width = (to - from) / panels;
    for (let p = 0; p < panels; p++) {
      const a = from + p * width, b = a + width;
      const i = evaluate(a), j = evaluate(b);
      if (i === j) {
        error += integrate(excess, a, b, 1, gl);
        continue;
      }
      // The best class changes from i to j inside: find where π_i·WN_i = π_j·WN_j.
      const diff = (psi: number): number => arms[i]!.prior * wrappedNormal(psi - arms[i]!.center, sigma) - arms[j]!.prior * wrappedNormal(psi - arms[j]!.center, sigma);
      let lo = a, hi = b;
      for (let it = 0; it < 60; it++) {
        const mid = (lo + hi) / 2;
        if (diff(mid) > 0) lo = mid;
        else hi = mid;
      }
      error += integrate(excess, a, lo, 1, gl) + integrate(excess, lo, b, 1, gl);
    }
  }
  return Math.min(Math.max(error, 0), 1);
}

// ---------------------------------------------------------------------------------------
// Blobs

/**
 * Quasi-Monte Carlo settings of {@link blobsBayesError}: independent random shifts, points
 * per shift in the first round (doubled each round), target standard error, cap on the
 * points of all shifts, and the internal seed.
 */
const QMC_SHIFTS = 8, QMC_FIRST = 512, QMC_TARGET_SE = 2.5e-4, QMC_MAX = 1 << 20, QMC_SEED = 20240616;

/**
 * The Bayes error of isotropic Gaussian blobs ({@link makeBlobs}): class c is
 * N(μ_c, σ_c²I) in f dimensions with prior π_c. Computed by the cheapest route that applies:
 *
 * - Only the centers' affine span matters when the σ_c are equal (the orthogonal part of x
 *   has the same density under every class), so the problem is reduced to r ≤ k − 1
 *   coordinates; with unequal σ_c the orthogonal part enters only through its length, one
 *   more coordinate (σ_c²·χ² with f − r degrees of freedom).
 * - Equal σ and collinear centers (r ≤ 1; any two centers): exact. On the line the log
 *   scores ln π_c − (s − s_c)²/2σ² are lines in s, so each class wins one interval [l_c, u_c]
 *   of their upper envelope and E = Σ_c π_c·(Φ((l_c − s_c)/σ) + Φ((s_c − u_c)/σ)), a class
 *   that wins nowhere counting whole. Two centers at distance d with equal priors give
 *   Φ(−d/2σ).
 * - Otherwise, a randomized quasi-Monte Carlo estimate of
 *   E = Σ_c π_c·E_{x~c}[1 − max_j posterior_j(x)] (lower variance than counting errors),
 *   stratified by class: 8 randomly shifted copies of a Kronecker (R_d) point set, from a
 *   fixed internal seed so the value is reproducible, doubled from 512 points per copy
 *   until the standard error estimated from the copies' spread is below 2.5e-4 (so ±1e-3
 *   at 4 standard errors), or 2^20 points in all. Milliseconds for a few centers in the
 *   plane, tens of them with unequal stds in more dimensions; each point costs k·r, so
 *   hundreds of centers take seconds.
 *
 * A blob with σ_c = 0 is a point mass: it wins its own point (shared with other point
 * masses, the largest prior wins there and the others' mass is error) and takes nothing
 * from the continuous blobs.
 *
 * @example
 * ```ts
 * import { blobsBayesError, normalCdf } from "@hone/data-split";
 * blobsBayesError({ centers: [[0, 0], [2, 0]], std: 1 }); // 0.1587 = Φ(−1)
 * normalCdf(-1);                                         // 0.15865525393145707
 * blobsBayesError({ centers: [[0, 0], [3, 0], [0, 3]], std: 1 }); // 0.0918 ± 0.0003 (quasi-Monte Carlo)
 * ```
 */
export function blobsBayesError(options: BlobsBayesErrorOptions): number {
  const fn = "blobsBayesError";
  checkOptions(fn, options);
  const given: unknown = options.centers;
  if (!isArray(given) || given.length === 0 || !isArray(given[0]) || given[0].length === 0) {
    throw new ArgumentError(`${fn}: centers must be a non-empty array of points (k rows of f numbers), got ${describe(given)}`);
  }
  const f = given[0].length;
  const centers = given.map((row, c) => {
    if (!isArray(row) || row.length !== f || !row.every((v) => typeof v === "number" && Number.isFinite(v))) {
      throw new ArgumentError(`${fn}: centers[${c}] must be ${f} finite numbers like centers[0], got ${describe(row)}`);
    }
    return row as readonly number[];
  });
  const k = centers.length;
  const stdOpt = options.std ?? 1;
  const std = typeof stdOpt === "number" ? new Array<number>(k).fill(stdOpt) : stdOpt;
  if (!isArray(std) || std.length !== k) throw new ArgumentError(`${fn}: std must be a number or ${k} numbers (one per center), got ${describe(stdOpt)}`);
  std.forEach((s, c) => checkNonNegative(fn, typeof stdOpt === "number" ? "std" : `std[${c}]`, s));
  const priors = checkPriors(fn, options.priors, k);

  // Point masses: among those sharing a point, all but the largest prior err.
  let error = 0;
  const atoms = new Map<string, number[]>();
  for (let c = 0; c < k; c++) {
    if (std[c] === 0 && priors[c]! > 0) {
      const key = centers[c]!.join(",");
      atoms.set(key, [...(atoms.get(key) ?? []), priors[c]!]);
    }
  }
  for (const group of atoms.values()) error += group.reduce((s, p) => s + p, 0) - Math.max(...group);
  const blobs = centers.map((mu, c) => ({ mu, sigma: std[c]!, prior: priors[c]! })).filter((b) => b.sigma > 0 && b.prior > 0);
  if (blobs.length < 2) return error;

  // Coordinates of the centers in an orthonormal basis of their affine span (modified
  // Gram–Schmidt on μ_c − μ_0, dropping directions below 1e-10 of the largest difference).
  const origin = blobs[0]!.mu;
  const diffs = blobs.map((b) => b.mu.map((v, j) => v - origin[j]!));
  const scale = Math.max(...diffs.map((d) => Math.hypot(...d)));
  const basis: number[][] = [];
  for (const d of diffs) {
    const v = d.slice();
    for (const e of basis) {
      const dot = v.reduce((s, x, j) => s + x * e[j]!, 0);
      for (let j = 0; j < f; j++) v[j] -= dot * e[j]!;
    }
    const norm = Math.hypot(...v);
    if (norm > 1e-10 * scale) basis.push(v.map((x) => x / norm));
  }
  const r = basis.length;
  const coords = diffs.map((d) => basis.map((e) => d.reduce((s, x, j) => s + x * e[j]!, 0)));
  const equalStd = blobs.every((b) => b.sigma === blobs[0]!.sigma);
  if (equalStd && r <= 1) return error + lineError(coords.map((z) => (z[0] ?? 0) / blobs[0]!.sigma), blobs.map((b) => b.prior));
  return error + quasiMonteCarloError(coords, blobs.map((b) => b.sigma), blobs.map((b) => b.prior), equalStd ? 0 : f - r, f);
}

/** The exact error of unit-σ Gaussians at positions `s` on a line (see {@link blobsBayesError}). */
function lineError(s: readonly number[], priors: readonly number[]): number {
  // Score of class c at x, less the common −x²/2: x·s_c + (ln π_c − s_c²/2), a line in x.
  const lines = s.map((sc, c) => ({ c, slope: sc, icept: libm.log(priors[c]!) - (sc * sc) / 2 }));
  lines.sort((p, q) => p.slope - q.slope || p.icept - q.icept);
  // Upper envelope by increasing slope (equal slopes: the larger intercept, sorted last, wins).
  const hull: { c: number; slope: number; icept: number; from: number }[] = [];
  for (const l of lines) {
    while (hull.length > 0) {
      const top = hull[hull.length - 1]!;
      if (top.slope === l.slope) {
        hull.pop();
        continue;
      }
      const from = (top.icept - l.icept) / (l.slope - top.slope);
      if (from <= top.from) hull.pop();
      else {
        hull.push({ ...l, from });
        break;
      }
    }
    if (hull.length === 0) hull.push({ ...l, from: -Infinity });
  }
  let error = priors.reduce((sum, p) => sum + p, 0);
  hull.forEach((l, i) => {
    const to = i + 1 < hull.length ? hull[i + 1]!.from : Infinity;
    const sc = s[l.c]!;
    // π_c·P(x ∈ [from, to]) removed from the class's whole mass, written as its two tails.
    error -= priors[l.c]!;
    error += priors[l.c]! * (normalCdf(l.from - sc) + normalCdf(sc - to));
  });
  return Math.max(error, 0);
}

/**
 * Randomized quasi-Monte Carlo E = Σ_c π_c·E_{x~c}[1 − max posterior] for blobs at
 * coordinates `z` (r each), stds `sigma`, priors `priors`, with an orthogonal part of `dof`
 * dimensions (0 when the stds are equal) in ambient dimension f. Normals come from a
 * Kronecker sequence n·α mod 1 (α_i = φ^(−i), φ^(d+1) = φ + 1: Roberts' R_d sequence),
 * under {@link QMC_SHIFTS} independent random shifts: the span's normals by Box–Muller, the
 * orthogonal χ²_q as −2·Σ ln U over ⌊q/2⌋ coordinates (a sum of two squared normals is
 * exponential) plus one squared normal when q is odd. The shifts' estimates are independent
 * and unbiased, so their spread gives the standard error.
 */
function quasiMonteCarloError(z: readonly (readonly number[])[], sigma: readonly number[], priors: readonly number[], dof: number, f: number): number {
  const g = seeded(QMC_SEED);
  const m = z.length, r = z[0]!.length, span = r + (r % 2), pairs = Math.floor(dof / 2);
  const dims = span + pairs + 2 * (dof % 2);
  let phi = 2;
  for (let i = 0; i < 100; i++) phi -= (phi ** (dims + 1) - phi - 1) / ((dims + 1) * phi ** dims - 1);
  const alpha = Array.from({ length: dims }, (_, d) => (1 / phi ** (d + 1)) % 1);
  const shifts = Array.from({ length: QMC_SHIFTS }, () => Array.from({ length: dims }, () => g.random()));
  const total = priors.reduce((s, p) => s + p, 0);
  const logNorm = sigma.map((s, c) => libm.log(priors[c]!) - f * libm.log(s));
  const sums = Array.from({ length: QMC_SHIFTS }, () => new Float64Array(m));
  const done = new Float64Array(m); // points per class per shift so far
  const u = new Float64Array(dims), x = new Float64Array(dims), score = new Float64Array(m);
  const estimates = new Float64Array(QMC_SHIFTS);
  for (let points = QMC_FIRST; ; points *= 2) {
    for (let c = 0; c < m; c++) {
      const n = Math.max(16, Math.round((points * priors[c]!) / total));
      for (let s = 0; s < QMC_SHIFTS; s++) {
        const shift = shifts[s]!;
        for (let i = done[c]!; i < n; i++) {
          for (let d = 0; d < dims; d++) u[d] = (shift[d]! + i * alpha[d]!) % 1;
          for (let d = 0; d < span; d += 2) {
            const radius = Math.sqrt(-2 * libm.log(1 - u[d]!)), angle = 2 * Math.PI * u[d + 1]!;
            x[d] = z[c]![d]! + sigma[c]! * radius * libm.cos(angle);
            if (d + 1 < r) x[d + 1] = z[c]![d + 1]! + sigma[c]! * radius * libm.sin(angle);
          }
          let chi2 = 0;
          for (let d = span; d < span + pairs; d++) chi2 -= 2 * libm.log(1 - u[d]!);
          if (dof % 2 === 1) chi2 -= 2 * libm.log(1 - u[dims - 2]!) * libm.cos(2 * Math.PI * u[dims - 1]!) ** 2;
          const orth = sigma[c]! * sigma[c]! * chi2;
          let best = 0;
          for (let j = 0; j < m; j++) {
            let d2 = orth;
            for (let d = 0; d < r; d++) d2 += (x[d]! - z[j]![d]!) ** 2;
            const q = Math.sqrt(d2) / sigma[j]!; // scaled before squaring: no overflow for huge σ
            score[j] = logNorm[j]! - 0.5 * q * q;
            if (score[j]! > score[best]!) best = j;
          }
          // 1 − max posterior = Σ_{j ≠ best} e^(s_j − s_best) / (1 + Σ_{j ≠ best} e^(s_j − s_best))
          let others = 0;
          for (let j = 0; j < m; j++) if (j !== best) others += libm.exp(score[j]! - score[best]!);
          sums[s]![c] += others / (1 + others);
        }
      }
      done[c] = Math.max(done[c]!, n);
    }
    for (let s = 0; s < QMC_SHIFTS; s++) {
      let e = 0;
      for (let c = 0; c < m; c++) e += (priors[c]! * sums[s]![c]!) / done[c]!;
      estimates[s] = e;
    }
    const mean = estimates.reduce((a, b) => a + b, 0) / QMC_SHIFTS;
    const variance = estimates.reduce((a, b) => a + (b - mean) ** 2, 0) / (QMC_SHIFTS - 1) / QMC_SHIFTS;
    if (variance <= QMC_TARGET_SE ** 2 || points * QMC_SHIFTS >= QMC_MAX) return mean;
  }
}
