// The base error of a regression problem: the variance of the noise no predictor can
// remove, σ² = E[Var(y | x)], estimated from nearest-neighbour differences. Rows close in x
// have nearly the same f(x), so half the squared difference of their targets is about σ²
// plus a term that shrinks with their distance; the Gamma test (Stefánsson, Končar & Jones
// 1997) fits that line over the first p neighbours and reads σ² at distance 0.
import { ArgumentError, ShapeError, describe, formatShape, type Tensor } from "@hone/tensor";
import { chooseSearch, featuresOf } from "./base-error.js";
import { checkPositiveInt, checkXY, resolveRng, type RngLike } from "./util.js";

/** Options of {@link estimateNoiseVariance}. */
export interface NoiseVarianceOptions {
  /** Neighbours p of the Gamma test's regression. Default 10. */
  readonly neighbours?: number;
  /** At most this many query rows (a seeded sample when there are more). Default 5000. */
  readonly maxQueries?: number;
  /** The sample of query rows, when x has more rows than maxQueries. */
  readonly rng?: RngLike;
  /** Standardize each feature (mean 0, std 1 on these rows) before measuring distances. Default `true`. */
  readonly standardize?: boolean;
}

/** What {@link estimateNoiseVariance} returns. */
export interface NoiseVarianceEstimate {
  /** The Gamma test's σ², in the target's squared units (clipped at 0). */
  readonly variance: number;
  /** √variance, in the target's units: the best RMSE any model can reach. */
  readonly std: number;
  /** variance ÷ the target's variance: the smallest 1 − R² any model can reach. */
  readonly fractionOfVariance: number;
  /** The first-nearest-neighbour estimate (1/2q)·Σ (yᵢ − y_N(i))². */
  readonly oneNN: number;
  /** The Gamma test's slope A (how fast the differences grow with distance). */
  readonly slope: number;
  readonly neighbours: number;
  /** Query rows used. */
  readonly rows: number;
  readonly features: number;
  /** False when the notes say the estimate may be off. */
  readonly reliable: boolean;
  readonly notes: string[];
}

/** Fewer rows than this many times 2^features makes the estimate unreliable (as for the base error of a classifier). */
const DIMENSION_ROWS = 10;

/**
 * Estimates the noise variance of y given x by the Gamma test: for each query row and each
 * of its p nearest other rows, δ = ‖xᵢ − xⱼ‖² and γ = ½(yᵢ − yⱼ)²; the mean γ of the k-th
 * neighbours is regressed on their mean δ (k = 1..p) and σ² is the intercept. Reported
 * beside the 1-NN difference estimate of Devroye et al. Features are standardized first
 * (by default), so that no column dominates the distances. Use the training split only.
 * Duplicate x rows are fine: they give exact samples of the noise (δ = 0).
 *
 * @example
 * ```ts
 * import { tensor } from "@hone/tensor";
 * import { estimateNoiseVariance } from "@hone/data-split";
 * const xs = Array.from({ length: 400 }, (_, i) => [i / 400]);
 * const ys = xs.map(([v], i) => Math.sin(6 * v!) + (i % 2 === 0 ? 0.1 : -0.1)); // noise ±0.1: σ² = 0.01
 * estimateNoiseVariance(tensor(xs), tensor(ys)).variance; // ≈ 0.01
 * ```
 */
export function estimateNoiseVariance(x: Tensor, y: Tensor, options: NoiseVarianceOptions = {}): NoiseVarianceEstimate {
  const fn = "estimateNoiseVariance";
  const m = checkXY(fn, x, y);
  if (x.rank !== 2 || x.shape[1] === 0) throw new ShapeError(`${fn}: x must have shape (m, features) with features ≥ 1, got ${formatShape(x.shape)}`);
  if (y.size !== m) throw new ShapeError(`${fn}: y must have shape (m,) or (m, 1), got ${formatShape(y.shape)}`);
  if (typeof options !== "object" || options === null) throw new ArgumentError(`${fn}: options must be an object, got ${describe(options)}`);
  const p = checkPositiveInt(fn, "neighbours", options.neighbours ?? 10);
  if (m < p + 2) throw new ShapeError(`${fn}: x must have at least neighbours + 2 = ${p + 2} rows, got ${m}`);
  const maxQueries = checkPositiveInt(fn, "maxQueries", options.maxQueries ?? 5000);
  const d = x.shape[1]!;
  let data = featuresOf(fn, x);
  const t = y.data;
  for (let i = 0; i < m; i++) if (!Number.isFinite(t[i])) throw new ArgumentError(`${fn}: y must be finite, got ${t[i]} at y[${i}]`);
  if (options.standardize ?? true) {
    const z = new Float64Array(m * d);
    for (let j = 0; j < d; j++) {
      let mean = 0;
      for (let i = 0; i < m; i++) mean += data[i * d + j]! / m;
      let ss = 0;
      for (let i = 0; i < m; i++) ss += (data[i * d + j]! - mean) ** 2;
      const std = Math.sqrt(ss / m) || 1;
      for (let i = 0; i < m; i++) z[i * d + j] = (data[i * d + j]! - mean) / std;
    }
    data = z;
  }
  let queries: Int32Array;
  if (m > maxQueries) queries = resolveRng(fn, options.rng, `when x has more rows (${m}) than maxQueries (${maxQueries})`).choice(m, maxQueries, { replace: false });
  else queries = Int32Array.from({ length: m }, (_, i) => i);
  const q = queries.length;

  const search = chooseSearch(data, m, d, p, queries);
  const delta = new Float64Array(p), gamma = new Float64Array(p);
  const nb = new Int32Array(p);
  for (const row of queries) {
    search(row, nb);
    for (let k = 0; k < p; k++) {
      const other = nb[k]!;
      let s = 0;
      for (let j = 0; j < d; j++) { const e = data[row * d + j]! - data[other * d + j]!; s += e * e; }
      delta[k] += s / q;
      gamma[k] += 0.5 * (t[row]! - t[other]!) ** 2 / q;
    }
  }
  // Least squares γ = A·δ + Γ over the p points.
  let md = 0, mg = 0;
  for (let k = 0; k < p; k++) { md += delta[k]! / p; mg += gamma[k]! / p; }
  let sdd = 0, sdg = 0;
  for (let k = 0; k < p; k++) { sdd += (delta[k]! - md) ** 2; sdg += (delta[k]! - md) * (gamma[k]! - mg); }
  const slope = sdd > 0 ? sdg / sdd : 0;
  const intercept = sdd > 0 ? mg - slope * md : gamma[0]!;

  let mean = 0;
  for (let i = 0; i < m; i++) mean += t[i]! / m;
  let vy = 0;
  for (let i = 0; i < m; i++) vy += (t[i]! - mean) ** 2 / m;

  const notes: string[] = [];
  if (m < DIMENSION_ROWS * 2 ** d) notes.push(`${m} rows for ${d} features (fewer than ${DIMENSION_ROWS}·2^${d}): neighbours are far apart in many dimensions, so the estimate leans on the fitted line`);
  if (slope < 0) notes.push(`the differences shrink with distance (Gamma slope ${slope.toPrecision(3)} < 0): too few rows or a target unrelated to x`);
  if (intercept < 0) notes.push(`the Gamma test's intercept is ${intercept.toPrecision(3)} < 0, read as 0`);
  const variance = Math.max(0, intercept);
  return {
    variance, std: Math.sqrt(variance), fractionOfVariance: vy > 0 ? variance / vy : 0, oneNN: gamma[0]!, slope,
    neighbours: p, rows: q, features: d, reliable: notes.length === 0, notes,
  };
}
