import { ArgumentError, rng } from "@hone/tensor";
import { describe, expect, it } from "vitest";
import {
  blobsBayesError, circlesBayesError, makeBlobs, makeCircles, makeClassification, makeMoons, makeSpirals, moonsBayesError,
  normalCdf, spiralsBayesError, type Dataset,
} from "./index.js";

// References, each computed by different code from the module's:
// - fixed values from scipy 1.10 (the scripts are sketched beside each table);
// - Monte Carlo over the generators themselves: draw many points, compute each class's
//   density in the test by a plain midpoint/trapezoid rule, and average 1 − max posterior
//   (the Bayes rule's conditional error) over the points; also count the Bayes rule's actual
//   mistakes against the generated labels. Tolerance: 4 standard errors, the standard error
//   computed from the sample as if the points were independent (the generators space the
//   curve parameter evenly, a stratified sample, so that overstates it).

interface McEstimate {
  /** Mean of 1 − max posterior, and its standard error. */
  readonly soft: number;
  readonly softSe: number;
  /** Fraction of points whose label is not the largest posterior, and its standard error. */
  readonly hard: number;
  readonly hardSe: number;
}

/** The Monte Carlo estimates over `data`, given per-point class densities (any common factor). */
function monteCarlo(data: Dataset, densities: (x0: number, x1: number) => number[]): McEstimate {
  const m = data.y.shape[0]!;
  let soft = 0, softSq = 0, wrong = 0;
  for (let i = 0; i < m; i++) {
    const p = densities(data.x.data[2 * i]!, data.x.data[2 * i + 1]!);
    const total = p.reduce((s, v) => s + v, 0);
    const best = p.indexOf(Math.max(...p));
    const e = 1 - p[best]! / total;
    soft += e;
    softSq += e * e;
    if (best !== data.y.data[i]) wrong++;
  }
  soft /= m;
  const hard = wrong / m;
  return { soft, softSe: Math.sqrt((softSq / m - soft * soft) / m), hard, hardSe: Math.sqrt((hard * (1 - hard)) / m) };
}

function expectWithin(value: number, mc: McEstimate): void {
  expect(Math.abs(value - mc.soft)).toBeLessThan(4 * mc.softSe);
  expect(Math.abs(value - mc.hard)).toBeLessThan(4 * mc.hardSe);
}

/** Σ_k exp(−‖x − μ(t_k)‖²/2σ²) over a midpoint rule in t on [0, π] (the density up to a constant). */
function arcDensity(x0: number, x1: number, noise: number, curve: (t: number) => [number, number], nodes: number, span: number): number {
  let s = 0;
  for (let k = 0; k < nodes; k++) {
    const [a, b] = curve(((k + 0.5) * span) / nodes);
    s += Math.exp(-((x0 - a) ** 2 + (x1 - b) ** 2) / (2 * noise * noise));
  }
  return s;
}

describe("moonsBayesError", () => {
  // scipy: p_c by the von Mises CDF (∫_arc e^(κ cos(u−θ)) du = 2π I0(κ)·ΔF_vm), min(p_0, p_1)/2
  // summed on a midpoint grid of side σ/64 (σ/32 differs by 3e-7).
  it.each([
    [0.2, 0.0289566],
    [0.3, 0.0854102],
  ])("matches an independent quadrature at noise %f to 1e-4", (noise, reference) => {
    expect(Math.abs(moonsBayesError({ noise }) - reference)).toBeLessThan(1e-4);
  });

  it("is about 2.9% at noise 0.2 (issue 16's figure)", () => {
    expect(moonsBayesError({ noise: 0.2 })).toBeCloseTo(0.029, 3);
  });

  it.each([0.2, 0.35])("matches Monte Carlo over makeMoons at noise %f (4 standard errors)", (noise) => {
    const data = makeMoons({ samples: 40000, noise, rng: 11 });
    const upper = (t: number): [number, number] => [Math.cos(t), Math.sin(t)];
    const lower = (t: number): [number, number] => [1 - Math.cos(t), 0.5 - Math.sin(t)];
    const mc = monteCarlo(data, (a, b) => [arcDensity(a, b, noise, upper, 200, Math.PI), arcDensity(a, b, noise, lower, 200, Math.PI)]);
    expectWithin(moonsBayesError({ noise }), mc);
  });

  it("is 0 without noise and when the noise is far below the moons' gap of 0.5", () => {
    expect(moonsBayesError({ noise: 0 })).toBe(0);
    expect(moonsBayesError({ noise: 0.02 })).toBe(0);
    expect(moonsBayesError({ noise: 0.05 })).toBeLessThan(1e-7);
  });

  it("tends to the smaller prior as the noise swamps the moons", () => {
    expect(moonsBayesError({ noise: 1e6 })).toBeCloseTo(0.5, 5);
    expect(moonsBayesError({ noise: 1e6, priors: [3, 1] })).toBeCloseTo(0.25, 5);
    expect(moonsBayesError({ noise: 0.3, priors: [1, 0] })).toBe(0);
  });
});

describe("circlesBayesError", () => {
  // scipy: u* by brentq on log(π_0 rice(1/σ).pdf / π_1 rice(f/σ).pdf), then
  // π_0·rice(1/σ, scale=σ).cdf(u*) + π_1·rice(f/σ, scale=σ).sf(u*).
  it.each([
    [0.05, 0.8, undefined, 0.022834133321149898],
    [0.1, 0.5, undefined, 0.0064197491679340146],
    [0.2, 0, undefined, 0.013754317902586678],
    [0.08, 0.8, undefined, 0.1061047317760692],
    [0.05, 0.8, [9, 1], 0.012244687344484983],
  ])("matches scipy's Rice distribution at noise %f, factor %f, priors %j to 1e-10", (noise, factor, priors, reference) => {
    expect(Math.abs(circlesBayesError({ noise, factor, priors }) - reference)).toBeLessThan(1e-10);
  });

  it.each([
    [0.05, 0.8],
    [0.1, 0.6],
  ])("matches Monte Carlo over makeCircles at noise %f, factor %f (4 standard errors)", (noise, factor) => {
    const data = makeCircles({ samples: 40000, noise, factor, rng: 12 });
    const ring = (radius: number) => (t: number): [number, number] => [radius * Math.cos(t), radius * Math.sin(t)];
    // The trapezoid rule over a full period is the midpoint rule shifted: exact to e^(−30) here.
    const mc = monteCarlo(data, (a, b) => [arcDensity(a, b, noise, ring(1), 160, 2 * Math.PI), arcDensity(a, b, noise, ring(factor), 160, 2 * Math.PI)]);
    expectWithin(circlesBayesError({ noise, factor }), mc);
  });

  it("is 0 without noise, and half when the noise swamps the circles", () => {
    expect(circlesBayesError({ noise: 0 })).toBe(0);
    expect(circlesBayesError({ noise: 0, factor: 0 })).toBe(0);
    expect(circlesBayesError({ noise: 1e-4, factor: 0.99 })).toBe(0);
    expect(circlesBayesError({ noise: 1e3 })).toBeCloseTo(0.5, 6);
  });
});

describe("spiralsBayesError", () => {
  // scipy: 1 − Σ quad(max_j WN(ψ; 4j mod 2π, σ)/k) over 2000 pieces of [0, 2π], WN by 13 images.
  it.each([
    [0.2, 2, 5.716803586075514e-9],
    [0.2, 3, 5.909010796001368e-6],
    [0.5, 2, 0.011241398852496864],
    [1, 2, 0.1495524734571826],
    [0.5, 5, 0.28006456790354617],
    [0.3, 3, 0.001500520439773223],
  ])("matches an independent quadrature at noise %f with %i arms to 1e-10", (noise, classes, reference) => {
    expect(Math.abs(spiralsBayesError({ noise, classes }) - reference)).toBeLessThan(1e-10);
  });

  it.each([
    [0.5, 2],
    [0.5, 3],
    [1, 3],
  ])("matches Monte Carlo over makeSpirals at noise %f with %i arms (4 standard errors)", (noise, classes) => {
    const data = makeSpirals({ samples: 60000, classes, noise, rng: 13 });
    // In the plane: a point at radius ρ and angle θ (x = ρ sin θ, y = ρ cos θ) has density
    // (1/ρ)·Σ_n N(θ + 2πn; 4j + 4ρ, σ²) under arm j; the 1/ρ is common to the arms (and
    // infinite at the arms' shared first point ρ = 0), so it is left out.
    const mc = monteCarlo(data, (a, b) => {
      const rho = Math.hypot(a, b), theta = Math.atan2(a, b);
      return Array.from({ length: classes }, (_, j) => {
        let s = 0;
        for (let n = -4; n <= 4; n++) s += Math.exp(-((theta + 2 * Math.PI * n - 4 * j - 4 * rho) ** 2) / (2 * noise * noise));
        return s;
      });
    });
    expectWithin(spiralsBayesError({ noise, classes }), mc);
  });

  it("is 0 without noise, and 1 − 1/k when the noise swamps the arms", () => {
    expect(spiralsBayesError({ noise: 0, classes: 5 })).toBe(0);
    expect(spiralsBayesError({ noise: 0.3, classes: 1 })).toBe(0);
    expect(spiralsBayesError({ noise: 50, classes: 3 })).toBeCloseTo(2 / 3, 10);
    expect(spiralsBayesError({ noise: 50, classes: 2, priors: [1, 3] })).toBeCloseTo(0.25, 10);
  });
});

describe("blobsBayesError", () => {
  it.each([
    [[[0, 0], [2, 0]], 1],
    [[[1, -2, 3], [4, 2, 3]], 0.7],
    [[[0], [10]], 0.3],
    [[[5, 5], [5.1, 5]], 2],
  ])("is Φ(−d/2σ) for two blobs %j with std %f (exact, 1e-12)", (centers, std) => {
    const d = Math.hypot(...centers[0]!.map((v, j) => v - centers[1]![j]!));
    expect(Math.abs(blobsBayesError({ centers, std }) - normalCdf(-d / (2 * std)))).toBeLessThan(1e-12);
  });

  it("handles unequal priors and collinear centers exactly", () => {
    // Two blobs at 0 and d: threshold t = d/2 + σ² ln(π_0/π_1)/d.
    const d = 1.5, sigma = 1, p0 = 0.8, p1 = 0.2, t = d / 2 + (sigma * sigma * Math.log(p0 / p1)) / d;
    const expected = p0 * normalCdf(-t / sigma) + p1 * normalCdf(-(d - t) / sigma);
    expect(Math.abs(blobsBayesError({ centers: [[0, 0], [0, d]], std: sigma, priors: [4, 1] }) - expected)).toBeLessThan(1e-12);
    // Three equally spaced: the middle blob errs on both sides.
    expect(Math.abs(blobsBayesError({ centers: [[0], [2], [4]], std: 1 }) - (4 / 3) * normalCdf(-1))).toBeLessThan(1e-12);
    // Same center, equal std: the largest prior always wins.
    expect(blobsBayesError({ centers: [[1, 1], [1, 1]], priors: [3, 1] })).toBeCloseTo(0.25, 14);
  });

  it("estimates the general case within 1e-3 (square of four blobs; concentric blobs of unequal std)", () => {
    // Four blobs at (±1, ±1), σ = 1: each coordinate is decided independently.
    const square = blobsBayesError({ centers: [[-1, -1], [1, -1], [-1, 1], [1, 1]], std: 1 });
    expect(Math.abs(square - (1 - (1 - normalCdf(-1)) ** 2))).toBeLessThan(1e-3);
    // The same square rotated and placed in 4-D: only the span matters.
    const c = Math.SQRT1_2;
    const rotated = blobsBayesError({ centers: [[0, -2 * c, 7, 0], [2 * c, 0, 7, 0], [-2 * c, 0, 7, 0], [0, 2 * c, 7, 0]], std: 1 });
    expect(Math.abs(rotated - (1 - (1 - normalCdf(-1)) ** 2))).toBeLessThan(1e-3);
    // Concentric in 2-D, σ = 1 and 2: ‖x‖²/σ² is χ²_2, exponential; decide by ‖x‖² < s*.
    const s2 = (2 * Math.log(4)) / (1 - 1 / 4);
    const exact = 0.5 * (Math.exp(-s2 / 2) + 1 - Math.exp(-s2 / 8));
    expect(Math.abs(blobsBayesError({ centers: [[3, 3], [3, 3]], std: [1, 2] }) - exact)).toBeLessThan(1e-3);
  });

  it("matches Monte Carlo over makeBlobs for three blobs of unequal std (4 standard errors)", () => {
    const centers = [[0, 0], [2, 0], [0, 2.5]], std = [1, 1.5, 0.7];
    const data = makeBlobs({ samples: 60000, centers, std, rng: 14 });
    const mc = monteCarlo(data, (a, b) => centers.map(([u, v], j) => Math.exp(-((a - u!) ** 2 + (b - v!) ** 2) / (2 * std[j]! ** 2)) / std[j]! ** 2));
    expectWithin(blobsBayesError({ centers, std }), mc);
  });

  it("treats a blob of std 0 as a point mass", () => {
    expect(blobsBayesError({ centers: [[0, 0], [1, 0]], std: 0 })).toBe(0);
    expect(blobsBayesError({ centers: [[0, 0], [0, 0]], std: [0, 1] })).toBe(0);
    expect(blobsBayesError({ centers: [[0, 0], [0, 0], [5, 5]], std: [0, 0, 1], priors: [1, 2, 1] })).toBeCloseTo(0.25, 14);
  });

  it("is reproducible (a fixed internal seed)", () => {
    const options = { centers: [[0, 0], [3, 0], [0, 3]] };
    expect(blobsBayesError(options)).toBe(blobsBayesError(options));
  });
});

describe("the generators' bayesError", () => {
  it("equals the functions' values, with the data set's class proportions as priors", () => {
    expect(makeMoons({ rng: 1 }).bayesError).toBe(moonsBayesError({ noise: 0.2 }));
    expect(makeMoons({ samples: 301, noise: 0.3, rng: 1 }).bayesError).toBe(moonsBayesError({ noise: 0.3, priors: [150, 151] }));
    expect(makeCircles({ rng: 1 }).bayesError).toBe(circlesBayesError({ noise: 0.05, factor: 0.8 }));
    expect(makeCircles({ noise: 0.1, factor: 0.5, rng: 1 }).bayesError).toBe(circlesBayesError({ noise: 0.1, factor: 0.5 }));
    expect(makeSpirals({ rng: 1 }).bayesError).toBe(spiralsBayesError({ noise: 0.2, classes: 2 }));
    expect(makeSpirals({ samples: 301, classes: 3, noise: 0.5, rng: 1 }).bayesError).toBe(spiralsBayesError({ noise: 0.5, classes: 3, priors: [101, 100, 100] }));
    expect(Math.abs(makeBlobs({ centers: [[0, 0], [2, 0]], rng: 1 }).bayesError! - normalCdf(-1))).toBeLessThan(1e-15);
    const centers = [[0, 0], [3, 0], [0, 3]];
    expect(makeBlobs({ centers, std: [1, 2, 1], rng: 1 }).bayesError).toBe(blobsBayesError({ centers, std: [1, 2, 1] }));
  });

  it("knows the random centers makeBlobs drew", () => {
    const g = rng(5), centers = [0, 1, 2].map(() => [g.uniform(-10, 10), g.uniform(-10, 10)]);
    expect(makeBlobs({ rng: 5 }).bayesError).toBe(blobsBayesError({ centers }));
  });

  it("is Φ(−classSep) for makeClassification with two classes", () => {
    expect(Math.abs(makeClassification({ classSep: 0.8, rng: 1 }).bayesError! - normalCdf(-0.8))).toBeLessThan(1e-12);
    const four = makeClassification({ classes: 4, classSep: 1, rng: 1 }).bayesError!;
    expect(Math.abs(four - (1 - (1 - normalCdf(-1)) ** 2))).toBeLessThan(1e-3);
  });

  it.each([
    ["makeMoons", () => makeMoons({ rng: 2 })],
    ["makeBlobs", () => makeBlobs({ rng: 2 })],
    ["makeClassification", () => makeClassification({ rng: 2 })],
  ])("%s computes it on first read (an enumerable accessor) and caches it", (_, make) => {
    const data = make();
    const descriptor = Object.getOwnPropertyDescriptor(data, "bayesError")!;
    expect("value" in descriptor).toBe(false); // an accessor, not a data property
    expect(descriptor.enumerable).toBe(true);
    const first = data.bayesError;
    expect(first).toBeGreaterThanOrEqual(0);
    expect(data.bayesError).toBe(first);
  });

  it("makeCircles and makeSpirals compute it at once (well under a millisecond)", () => {
    expect("value" in Object.getOwnPropertyDescriptor(makeCircles({ rng: 2 }), "bayesError")!).toBe(true);
    expect("value" in Object.getOwnPropertyDescriptor(makeSpirals({ rng: 2 }), "bayesError")!).toBe(true);
  });
});

describe("validation", () => {
  it.each([
    [() => moonsBayesError({ noise: -0.1 }), /moonsBayesError: noise must be a finite number ≥ 0, got -0\.1/],
    [() => moonsBayesError({ noise: NaN }), /moonsBayesError: noise must be a finite number ≥ 0, got NaN/],
    [() => moonsBayesError({ priors: [1] }), /moonsBayesError: priors must be 2 finite numbers ≥ 0 \(one per class\) with a positive sum, got \[1\]/],
    [() => moonsBayesError({ priors: [0, 0] }), /priors must be 2 .* positive sum, got \[0,0\]/],
    [() => moonsBayesError(null as never), /moonsBayesError: options must be an object, got null/],
    [() => circlesBayesError({ factor: 1 }), /circlesBayesError: factor must be in \[0, 1\), got 1/],
    [() => circlesBayesError({ noise: Infinity }), /circlesBayesError: noise must be a finite number ≥ 0, got Infinity/],
    [() => spiralsBayesError({ classes: 0 }), /spiralsBayesError: classes must be a positive integer, got 0/],
    [() => spiralsBayesError({ classes: 3, priors: [1, -1, 1] }), /spiralsBayesError: priors must be 3 finite numbers ≥ 0/],
    [() => blobsBayesError({ centers: [] }), /blobsBayesError: centers must be a non-empty array of points/],
    [() => blobsBayesError({ centers: [[0, 0], [1]] }), /blobsBayesError: centers\[1\] must be 2 finite numbers like centers\[0\], got \[1\]/],
    [() => blobsBayesError({ centers: [[0], [1]], std: -1 }), /blobsBayesError: std must be a finite number ≥ 0, got -1/],
    [() => blobsBayesError({ centers: [[0], [1]], std: [1, 2, 3] }), /blobsBayesError: std must be a number or 2 numbers \(one per center\), got \[1,2,3\]/],
    [() => blobsBayesError({ centers: [[0], [1]], std: [1, -2] }), /blobsBayesError: std\[1\] must be a finite number ≥ 0, got -2/],
  ])("%# throws a named ArgumentError", (call, message) => {
    expect(call).toThrow(ArgumentError);
    expect(call).toThrow(message);
  });
});
