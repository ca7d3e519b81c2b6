// Do two sets come from the same distribution? Per-feature two-sample Kolmogorov–Smirnov
// tests, and a check of a whole split: dev vs test (must match) and train vs dev+test.
import { libm, ArgumentError, ShapeError, Tensor, concat, describe, formatShape, sameShape } from "@hone/tensor";
import type { TrainDevTestSplit } from "./split.js";
import { checkRows, isArray, rowSize } from "./util.js";

// ---------------------------------------------------------------------------------------
// The Kolmogorov distribution and the two-sample statistic

/**
 * The Kolmogorov survival function Q_KS(λ) = 2 Σ_{j≥1} (−1)^{j−1} e^{−2j²λ²}, the
 * asymptotic probability that √n·D exceeds λ. For λ < 1.18 the alternating series converges
 * slowly, so the equivalent Jacobi-theta form 1 − (√(2π)/λ) Σ_{j≥1} e^{−(2j−1)²π²/(8λ²)} is
 * used there (Numerical Recipes, 3rd ed., §6.14). Q_KS(0) = 1.
 *
 * @example
 * ```ts
 * import { kolmogorovQ } from "@hone/data-split";
 * kolmogorovQ(1.36); // 0.04948587675537…  (the 5% critical value)
 * kolmogorovQ(1.63); // 0.00984636488848…  (the 1% critical value)
 * ```
 */
export function kolmogorovQ(lambda: number): number {
  if (typeof lambda !== "number" || Number.isNaN(lambda) || lambda < 0) {
    throw new ArgumentError(`kolmogorovQ: lambda must be a number ≥ 0, got ${describe(lambda)}`);
  }
  if (lambda === 0) return 1;
  if (lambda === Infinity) return 0;
  if (lambda < 1.18) {
    const y = libm.exp(-(Math.PI * Math.PI) / (8 * lambda * lambda));
    let sum = 0;
    for (let j = 1; j < 100; j++) {
      const term = y ** ((2 * j - 1) * (2 * j - 1));
      sum += term;
      if (term <= 1e-17 * sum) break;
    }
    return Math.min(1, Math.max(0, 1 - (Math.sqrt(2 * Math.PI) / lambda) * sum));
  }
  let sum = 0;
  let sign = 1;
  for (let j = 1; j < 100; j++) {
    const term = libm.exp(-2 * j * j * lambda * lambda);
    sum += sign * term;
    if (term <= 1e-17 * sum) break;
    sign = -sign;
  }
  return Math.min(1, Math.max(0, 2 * sum));
}

/** The result of a two-sample Kolmogorov–Smirnov test. */
export interface KsResult {
  /** D = sup_x |F_a(x) − F_b(x)|, the largest gap between the empirical CDFs. */
  readonly statistic: number;
  /** Asymptotic p-value Q_KS((√n_e + 0.12 + 0.11/√n_e)·D), n_e = n·m/(n + m). */
  readonly pValue: number;
}

function finiteSorted(fn: string, name: string, values: ArrayLike<number>): Float64Array {
  if (values === null || typeof values !== "object" || typeof values.length !== "number") {
    throw new ArgumentError(`${fn}: ${name} must be an array of numbers, got ${describe(values)}`);
  }
  if (values.length === 0) throw new ArgumentError(`${fn}: ${name} is empty`);
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== "number" || Number.isNaN(v)) throw new ArgumentError(`${fn}: ${name}[${i}] must be a number, got ${describe(v)}`);
    out[i] = v;
  }
  return out.sort();
}

function ksSorted(a: Float64Array, b: Float64Array): KsResult {
  const n = a.length, m = b.length;
  let i = 0, j = 0, d = 0;
  while (i < n && j < m) {
    const x = Math.min(a[i], b[j]);
    while (i < n && a[i] === x) i++;
    while (j < m && b[j] === x) j++;
    const gap = Math.abs(i / n - j / m);
    if (gap > d) d = gap;
  }
  const ne = Math.sqrt((n * m) / (n + m));
  return { statistic: d, pValue: kolmogorovQ((ne + 0.12 + 0.11 / ne) * d) };
}

/**
 * The two-sample Kolmogorov–Smirnov test of whether samples a and b come from the same
 * continuous distribution: D = sup|F_a − F_b| over all values (ties handled by stepping
 * past equal values in both samples together) and the asymptotic p-value of Numerical
 * Recipes' `kstwo`: Q_KS((√n_e + 0.12 + 0.11/√n_e)·D) with n_e = n·m/(n + m). The p-value
 * is approximate for small samples (n_e ≲ 4) and conservative for discrete data.
 *
 * @example
 * ```ts
 * import { ksTest } from "@hone/data-split";
 * ksTest([1, 2, 3, 4, 5], [3.5, 6, 7]).statistic; // 2/3: after 5, F_a = 1 and F_b = 1/3
 * ```
 */
export function ksTest(a: ArrayLike<number>, b: ArrayLike<number>): KsResult {
  return ksSorted(finiteSorted("ksTest", "a", a), finiteSorted("ksTest", "b", b));
}

// ---------------------------------------------------------------------------------------
// Per-feature comparison of two sets

/** The test of one feature. */
export interface FeatureComparison extends KsResult {
  /** The feature's index within a row (row-major over x.shape without axis 0). */
  readonly feature: number;
  /** The feature's name (from `featureNames`, else `"x[j]"`). */
  readonly name: string;
  /** Whether the feature's distributions differ at the (corrected) level. */
  readonly different: boolean;
}

/** The result of {@link compareDistributions}. */
export interface DistributionComparison {
  /** `"different"` when at least one feature differs, else `"same"`. */
  readonly verdict: "same" | "different";
  /** The features that differ, most significant first. */
  readonly differentFeatures: readonly FeatureComparison[];
  /** Every feature's test, in feature order. */
  readonly features: readonly FeatureComparison[];
  /** The per-feature significance level used: alpha, or alpha / features with Bonferroni. */
  readonly level: number;
}

/** Options of {@link compareDistributions}. */
export interface CompareOptions {
  /** Family-wise significance level. Default `0.01`. */
  readonly alpha?: number;
  /** `"bonferroni"` tests each of F features at alpha/F, so F features together raise a false alarm with probability ≤ alpha; `"none"` tests each at alpha. Default `"bonferroni"`. */
  readonly correction?: "bonferroni" | "none";
  /** Names for the features, in row-major order. Default `"x[0]"`, `"x[1]"`, …. */
  readonly featureNames?: readonly string[];
}

function column(x: Tensor, j: number, f: number): Float64Array {
  const m = x.shape[0];
  const out = new Float64Array(m);
  for (let i = 0; i < m; i++) out[i] = x.data[i * f + j]!;
  return out;
}

/**
 * Tests, feature by feature, whether the rows of a and b come from the same distribution
 * (two-sample Kolmogorov–Smirnov, see {@link ksTest}). A feature "differs" when its p-value
 * is below the level (alpha, divided by the number of features with the default Bonferroni
 * correction). Use it to check that dev and test come from the same distribution.
 *
 * @example
 * ```ts
 * import { tensor } from "@hone/tensor";
 * import { compareDistributions } from "@hone/data-split";
 * const a = tensor(Array.from({ length: 50 }, (_, i) => [i]));
 * const b = tensor(Array.from({ length: 50 }, (_, i) => [i + 100]));
 * compareDistributions(a, b).verdict; // "different" (D = 1)
 * ```
 */
export function compareDistributions(a: Tensor, b: Tensor, options: CompareOptions = {}): DistributionComparison {
  const fn = "compareDistributions";
  const na = checkRows(fn, "a", a);
  const nb = checkRows(fn, "b", b);
  if (!sameShape(a.shape.slice(1), b.shape.slice(1))) {
    throw new ShapeError(`${fn}: a has rows of shape ${formatShape(a.shape.slice(1))} but b has ${formatShape(b.shape.slice(1))}`);
  }
  if (na === 0 || nb === 0) throw new ShapeError(`${fn}: both sets need rows, got a ${formatShape(a.shape)} and b ${formatShape(b.shape)}`);
  const alpha = options.alpha ?? 0.01;
  if (typeof alpha !== "number" || !(alpha > 0 && alpha < 1)) throw new ArgumentError(`${fn}: alpha must be in (0, 1), got ${describe(alpha)}`);
  const correction = options.correction ?? "bonferroni";
  if (correction !== "bonferroni" && correction !== "none") throw new ArgumentError(`${fn}: correction must be "bonferroni" or "none", got ${describe(correction)}`);
  const f = rowSize(a);
  const names: unknown = options.featureNames;
  if (names !== undefined && (!isArray(names) || names.length !== f || !names.every((n) => typeof n === "string"))) {
    throw new ArgumentError(`${fn}: featureNames must be ${f} names (one per feature), got ${describe(names)}`);
  }
  const level = correction === "bonferroni" ? alpha / f : alpha;
  const features: FeatureComparison[] = [];
  for (let j = 0; j < f; j++) {
    const ks = ksSorted(finiteSorted(fn, `a[:, ${j}]`, column(a, j, f)), finiteSorted(fn, `b[:, ${j}]`, column(b, j, f)));
    features.push({ feature: j, name: names === undefined ? `x[${j}]` : (names)[j], statistic: ks.statistic, pValue: ks.pValue, different: ks.pValue < level });
  }
  const differentFeatures = features.filter((c) => c.different).sort((p, q) => p.pValue - q.pValue || q.statistic - p.statistic);
  return { verdict: differentFeatures.length > 0 ? "different" : "same", differentFeatures, features, level };
}

// ---------------------------------------------------------------------------------------
// Checking a split

/** One finding of {@link checkSplit}. */
export interface SplitFinding {
  /** `"error"`: dev and test differ (the dev set no longer aims at the test target); `"warning"`: train differs from dev/test. */
  readonly level: "error" | "warning";
  /** Which sets were compared. */
  readonly between: "dev/test" | "train/dev+test";
  /** The features that differ, most significant first. */
  readonly features: readonly FeatureComparison[];
  /** A sentence for a report. */
  readonly message: string;
}

/** The result of {@link checkSplit}. */
export interface SplitCheck {
  /** True when there is no error-level finding (warnings allowed). */
  readonly ok: boolean;
  /** Findings, errors first. */
  readonly findings: readonly SplitFinding[];
  /** Dev rows vs test rows. */
  readonly devVsTest: DistributionComparison;
  /** Train rows vs dev and test rows together. */
  readonly trainVsHeldOut: DistributionComparison;
}

function describeFeatures(features: readonly FeatureComparison[]): string {
  const shown = features.slice(0, 5).map((c) => `${c.name} (D = ${c.statistic.toPrecision(3)}, p = ${c.pValue.toPrecision(2)})`);
  return shown.join(", ") + (features.length > 5 ? ` and ${features.length - 5} more` : "");
}

/**
 * Checks a split's distributions with {@link compareDistributions}, over the features of x
 * and the columns of y (named `"y"`, or `"y[j]"` for a (m, k) y). Dev vs test differing is
 * an error-level finding: dev and test must come from the same distribution, the one you
 * want to do well on. Train vs dev+test differing is a warning: fine when deliberate (for
 * example more training data from another source), but watch for data mismatch.
 *
 * @example
 * ```ts
 * import { tensor, rng } from "@hone/tensor";
 * import { trainDevTestSplit, checkSplit } from "@hone/data-split";
 * const g = rng(0);
 * const x = tensor(g.randnArray(600), { shape: [300, 2] });
 * const y = tensor(Array.from({ length: 300 }, (_, i) => i % 2));
 * checkSplit(trainDevTestSplit(x, y, { rng: g })).ok; // true: a random split
 * ```
 */
export function checkSplit(split: TrainDevTestSplit, options: CompareOptions = {}): SplitCheck {
  const fn = "checkSplit";
  if (typeof split !== "object" || split === null || !("train" in split) || !("dev" in split) || !("test" in split)) {
    throw new ArgumentError(`${fn}: split must be { train, dev, test } from trainDevTestSplit, got ${describe(split)}`);
  }
  const parts = [split.train, split.dev, split.test];
  const rowShape = split.train.x.shape.slice(1);
  for (const [name, p] of [["dev", split.dev], ["test", split.test]] as const) {
    if (!sameShape(p.x.shape.slice(1), rowShape) || !sameShape(p.y.shape.slice(1), split.train.y.shape.slice(1))) {
      throw new ShapeError(`${fn}: ${name} has x ${formatShape(p.x.shape)} and y ${formatShape(p.y.shape)} but train has x ${formatShape(split.train.x.shape)} and y ${formatShape(split.train.y.shape)}`);
    }
  }
  const xf = rowSize(split.train.x);
  const yf = rowSize(split.train.y);
  const names: unknown = options.featureNames ?? Array.from({ length: xf }, (_, j) => `x[${j}]`);
  if (!isArray(names) || names.length !== xf || !names.every((n) => typeof n === "string")) throw new ArgumentError(`${fn}: featureNames must be ${xf} names (one per feature of x), got ${describe(names)}`);
  const featureNames = [...(names), ...(split.train.y.rank === 1 ? ["y"] : Array.from({ length: yf }, (_, j) => `y[${j}]`))];
  const [train, dev, test] = parts.map((p) => withLabels(p.x, p.y, xf, yf));
  const compare = { ...options, featureNames };
  const devVsTest = compareDistributions(dev, test, compare);
  const trainVsHeldOut = compareDistributions(train, concat([dev, test], 0), compare);
  const findings: SplitFinding[] = [];
  if (devVsTest.verdict === "different") {
    findings.push({
      level: "error", between: "dev/test", features: devVsTest.differentFeatures,
      message: `dev and test come from different distributions in ${describeFeatures(devVsTest.differentFeatures)}; choose dev and test from the same distribution, the data you expect to get in the future and want to do well on`,
    });
  }
  if (trainVsHeldOut.verdict === "different") {
    findings.push({
      level: "warning", between: "train/dev+test", features: trainVsHeldOut.differentFeatures,
      message: `train differs from dev/test in ${describeFeatures(trainVsHeldOut.differentFeatures)}; fine when deliberate (e.g. more training data from another source), but watch for data mismatch`,
    });
  }
  return { ok: devVsTest.verdict === "same", findings, devVsTest, trainVsHeldOut };
}

/** x's features and y's columns side by side, as a float64 (m, xf + yf) tensor. */
function withLabels(x: Tensor, y: Tensor, xf: number, yf: number): Tensor {
  const m = x.shape[0];
  const w = xf + yf;
  const out = new Float64Array(m * w);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < xf; j++) out[i * w + j] = x.data[i * xf + j]!;
    for (let j = 0; j < yf; j++) out[i * w + xf + j] = y.data[i * yf + j]!;
  }
  return new Tensor(out, [m, w]);
}
