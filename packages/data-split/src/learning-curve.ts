// Learning curves: train and dev error at growing training-set sizes, the standard sizes to
// train at, and what a curve says about whether more data will help.
import { ArgumentError, type Tensor, describe, gatherRows } from "@hone/tensor";
import { type BaseErrorInput, type Diagnosis, type GapLevel, diagnose } from "./diagnose.js";
import { differenceInterval, type Interval, wilsonInterval } from "./stats.js";
import { checkConfidence, checkThreshold, checkXY, pct } from "./util.js";

/** One point of a learning curve. */
export interface LearningCurvePoint {
  /** Training rows used. */
  readonly size: number;
  /** Error on those training rows. */
  readonly trainError: number;
  /** Error on the dev set. */
  readonly devError: number;
  /** Examples the train error was measured on (normally `size`), when it is a fraction of counted examples. */
  readonly trainN?: number;
  /** Examples the dev error was measured on; gives it an interval in {@link readLearningCurve}. */
  readonly devN?: number;
}

/** Options of {@link learningCurve}. */
export interface LearningCurveOptions<M> {
  /** Training-set sizes, integers in [1, m]; each uses the first `size` rows of x. */
  readonly sizes: readonly number[];
  /** Trains a fresh model on (x, y) and returns it. */
  readonly train: (x: Tensor, y: Tensor) => M;
  /** The model's error (a fraction, or any finite loss) on (x, y). */
  readonly evaluate: (model: M, x: Tensor, y: Tensor) => number;
  /** Training inputs, rows in random order (e.g. `split.train.x`). */
  readonly x: Tensor;
  /** Training labels. */
  readonly y: Tensor;
  /** The dev set every model is evaluated on. */
  readonly dev: { readonly x: Tensor; readonly y: Tensor };
}

/**
 * Trains at growing training-set sizes and reports train and dev error at each: the first
 * `size` rows of x (shuffle first, e.g. use a split's train part) train a fresh model,
 * which is evaluated on those rows and on the dev set. Callback-based, so any model works.
 * A dev error that keeps falling with size says more data will help (variance); train and
 * dev errors that meet high say it will not (bias).
 *
 * @example
 * ```ts
 * import { tensor } from "@hone/tensor";
 * import { learningCurve } from "@hone/data-split";
 * const x = tensor([[0], [1], [2], [3]]), y = tensor([0, 1, 2, 3]);
 * const curve = learningCurve({
 *   sizes: [2, 4], x, y, dev: { x: tensor([[4]]), y: tensor([4]) },
 *   train: (xs, ys) => ys.data.reduce((a, b) => a + b, 0) / ys.size,                  // predict the mean
 *   evaluate: (mean, xs, ys) => ys.data.reduce((a, b) => a + Math.abs(b - mean), 0) / ys.size,
 * });
 * console.log(curve); // [{ size: 2, trainError: 0.5, devError: 3.5 }, { size: 4, trainError: 1, devError: 2.5 }]
 * ```
 */
export function learningCurve<M>(options: LearningCurveOptions<M>): LearningCurvePoint[] {
  const fn = "learningCurve";
  if (typeof options !== "object" || options === null) throw new ArgumentError(`${fn}: options must be an object, got ${describe(options)}`);
  const m = checkXY(fn, options.x, options.y);
  if (typeof options.dev !== "object" || options.dev === null) throw new ArgumentError(`${fn}: dev must be { x, y }, got ${describe(options.dev)}`);
  checkXY(`${fn} (dev)`, options.dev.x, options.dev.y);
  if (typeof options.train !== "function") throw new ArgumentError(`${fn}: train must be a function (x, y) => model, got ${describe(options.train)}`);
  if (typeof options.evaluate !== "function") throw new ArgumentError(`${fn}: evaluate must be a function (model, x, y) => error, got ${describe(options.evaluate)}`);
  const sizes = options.sizes;
  if (!Array.isArray(sizes) || sizes.length === 0) throw new ArgumentError(`${fn}: sizes must be a non-empty array of training-set sizes, got ${describe(sizes)}`);
  sizes.forEach((s: unknown, i) => {
    if (typeof s !== "number" || !Number.isInteger(s) || s < 1 || s > m) throw new ArgumentError(`${fn}: sizes[${i}] must be an integer in [1, ${m}] (the training rows), got ${describe(s)}`);
  });
  const check = (value: number, what: string, size: number): number => {
    if (typeof value !== "number" || !Number.isFinite(value)) throw new ArgumentError(`${fn}: evaluate returned ${describe(value)} for the ${what} at size ${size}; it must return a finite error`);
    return value;
  };
  return sizes.map((size: number) => {
    const rows = Array.from({ length: size }, (_, i) => i);
    const xs = size === m ? options.x : gatherRows(options.x, rows);
    const ys = size === m ? options.y : gatherRows(options.y, rows);
    const model = options.train(xs, ys);
    return {
      size,
      trainError: check(options.evaluate(model, xs, ys), "training rows", size),
      devError: check(options.evaluate(model, options.dev.x, options.dev.y), "dev set", size),
    };
  });
}

/** The fractions of m that {@link learningCurveSizes} uses by default. */
const FRACTIONS: readonly number[] = [0.1, 0.2, 0.4, 0.6, 0.8, 1];

/** Options of {@link learningCurveSizes}. */
export interface LearningCurveSizesOptions {
  /** Fractions of m, each in (0, 1]. Default `[0.1, 0.2, 0.4, 0.6, 0.8, 1]`. */
  readonly fractions?: readonly number[];
}

/**
 * The training-set sizes of a learning curve over m training rows: each fraction f of m as
 * the integer round(f·m), at least 1, in increasing order without repeats (on a small m
 * two fractions can round to the same size). The default fractions give a point every
 * doubling at the small end, where the curve moves fastest, and every fifth of m after.
 *
 * @example
 * ```ts
 * import { learningCurveSizes } from "@hone/data-split";
 * learningCurveSizes(600);                                // [60, 120, 240, 360, 480, 600]
 * learningCurveSizes(7);                                  // [1, 3, 4, 6, 7]
 * learningCurveSizes(1000, { fractions: [0.25, 0.5, 1] }); // [250, 500, 1000]
 * ```
 */
export function learningCurveSizes(m: number, options: LearningCurveSizesOptions = {}): number[] {
  const fn = "learningCurveSizes";
  if (typeof m !== "number" || !Number.isInteger(m) || m < 1) throw new ArgumentError(`${fn}: m must be a positive integer (the training rows), got ${describe(m)}`);
  if (typeof options !== "object" || options === null) throw new ArgumentError(`${fn}: options must be an object, got ${describe(options)}`);
  const fractions = options.fractions ?? FRACTIONS;
  if (!Array.isArray(fractions) || fractions.length === 0) throw new ArgumentError(`${fn}: fractions must be a non-empty array of fractions in (0, 1], got ${describe(fractions)}`);
  const sizes = new Set<number>();
  fractions.forEach((f: unknown, i) => {
    if (typeof f !== "number" || !(f > 0 && f <= 1)) throw new ArgumentError(`${fn}: fractions[${i}] must be a fraction in (0, 1], got ${describe(f)}`);
    sizes.add(Math.max(1, Math.round(f * m)));
  });
  return [...sizes].sort((a, b) => a - b);
}

/** What a learning curve says about more data: {@link readLearningCurve}'s verdict. */
export type MoreDataHelps = "likely" | "unlikely" | "unclear";

/** Options of {@link readLearningCurve}. */
export interface ReadLearningCurveOptions {
  /** Base (Bayes or human-level) error, a fraction or a value with its interval, as {@link diagnose} takes it. Default `0`. */
  readonly baseError?: BaseErrorInput;
  /** A gap is high when it is strictly above this many (absolute) error points. Default `0.02` (2%). */
  readonly threshold?: number;
  /** Dev examples the dev errors were measured on, for points without their own `devN`. Default: none (no intervals). */
  readonly devN?: number;
  /** Confidence of the intervals. Default `0.95`. */
  readonly confidence?: number;
}

/** The result of {@link readLearningCurve}. */
export interface LearningCurveReading {
  /** Whether training on more data is likely to lower the dev error. */
  readonly moreDataHelps: MoreDataHelps;
  /** Why, in one sentence with the numbers. */
  readonly reason: string;
  /** The largest training-set size, where the gaps are read. */
  readonly size: number;
  /** The train error at `size`. */
  readonly trainError: number;
  /** The dev error at `size`. */
  readonly devError: number;
  /** Dev − train error at `size`, with its interval (points when there are no counts). */
  readonly gapAtLargest: Interval;
  /** The gap against the threshold, as {@link diagnose} grades its variance. */
  readonly gapLevel: GapLevel;
  /** Train − base error at `size`, with its interval. */
  readonly avoidableBias: Interval;
  /** The avoidable bias against the threshold, as {@link diagnose} grades it. */
  readonly biasLevel: GapLevel;
  /** The size the dev error's fall is measured from: the largest size ≤ size/2 (the smallest size when none is). */
  readonly from: number;
  /** Dev error at `from` − dev error at `size` (positive: it fell), with its interval. */
  readonly devDrop: Interval;
  /** The dev error's change per doubling of m between `from` and `size` (negative: falling). */
  readonly devSlope: number;
  /** Whether the dev error fell from `from` to `size` by more than its noise: devDrop above 0, and its interval too. */
  readonly falling: boolean;
  /** The base error used (its value). */
  readonly baseError: number;
  /** The threshold used. */
  readonly threshold: number;
}


function checkPoint(fn: string, p: unknown, i: number): LearningCurvePoint {
  if (typeof p !== "object" || p === null) throw new ArgumentError(`${fn}: points[${i}] must be { size, trainError, devError, trainN?, devN? }, got ${describe(p)}`);
  const q = p as Record<string, unknown>;
  if (typeof q.size !== "number" || !Number.isInteger(q.size) || q.size < 1) throw new ArgumentError(`${fn}: points[${i}].size must be a positive integer (training rows), got ${describe(q.size)}`);
  for (const key of ["trainError", "devError"] as const) {
    const v = q[key];
    if (typeof v !== "number" || !(v >= 0 && v <= 1)) throw new ArgumentError(`${fn}: points[${i}].${key} must be an error rate in [0, 1], got ${describe(v)}`);
  }
  for (const key of ["trainN", "devN"] as const) {
    const v = q[key];
    if (v !== undefined && (typeof v !== "number" || !Number.isInteger(v) || v < 1)) throw new ArgumentError(`${fn}: points[${i}].${key} must be a positive integer (a number of examples), got ${describe(v)}`);
  }
  return p as LearningCurvePoint;
}

/**
 * Reads a learning curve (error rates against the training-set size m, as
 * {@link learningCurve} gives them) for the recipe's high-variance branch: is more data
 * likely to help? It looks at the largest size m and at `from`, the largest size at most
 * m/2 (so the last doubling of m; the smallest size when none is that small):
 *
 * - the gap (dev − train error) and the avoidable bias (train − base error) at m, graded
 *   against `threshold` exactly as {@link diagnose} grades variance and bias: `high` (its
 *   interval lies above the threshold), `low` (at most the threshold), or `unresolved`
 *   (above it, but its interval reaches below it: within the noise);
 * - `falling`: the dev error fell from `from` to m and the interval of that fall lies above
 *   0 (Newcombe's interval of the two Wilson intervals). The points of a curve share one dev
 *   set, so their dev errors are correlated and the true noise of the fall is smaller than
 *   this independent interval: it errs towards "not falling".
 *
 * Then more data is
 * - `likely` to help when the gap is high and the dev error is still falling: variance,
 *   and the curve has not flattened;
 * - `unlikely` when the gap is low (the curves met): with high avoidable bias it is bias,
 *   which more data does not fix; with low avoidable bias the errors met at the base error
 *   and little is left to win;
 * - `unclear` otherwise: a high gap over a dev error that did not fall measurably over the
 *   last doubling (the curve may have flattened: regularization is the surer remedy), or a
 *   gap or bias within the noise.
 *
 * Counts give the intervals: a point's `devN` (or the `devN` option) for its dev error, and
 * its `trainN` (default: its `size`) for its train error. Without a dev count every
 * interval is a point and any fall of the dev error counts. At least two sizes are needed.
 *
 * @example
 * ```ts
 * import { readLearningCurve } from "@hone/data-split";
 * // Variance that data still reduces: the dev error falls 5 points over the last doubling.
 * const variance = readLearningCurve([
 *   { size: 100, trainError: 0, devError: 0.30 }, { size: 200, trainError: 0.01, devError: 0.22 },
 *   { size: 400, trainError: 0.02, devError: 0.15 }, { size: 800, trainError: 0.03, devError: 0.10 },
 * ]);
 * console.log(variance.moreDataHelps, variance.devSlope); // "likely" ≈ -0.05 (per doubling of m)
 * // Bias: train and dev errors met at 17–18%, far above a base error of 0.
 * const bias = readLearningCurve([
 *   { size: 100, trainError: 0.10, devError: 0.30 }, { size: 200, trainError: 0.14, devError: 0.22 },
 *   { size: 400, trainError: 0.16, devError: 0.19 }, { size: 800, trainError: 0.17, devError: 0.18 },
 * ]);
 * console.log(bias.moreDataHelps); // "unlikely"
 * ```
 */
export function readLearningCurve(points: readonly LearningCurvePoint[], options: ReadLearningCurveOptions = {}): LearningCurveReading {
  const fn = "readLearningCurve";
  if (!Array.isArray(points)) throw new ArgumentError(`${fn}: points must be an array of { size, trainError, devError }, got ${describe(points)}`);
  if (typeof options !== "object" || options === null) throw new ArgumentError(`${fn}: options must be an object, got ${describe(options)}`);
  const sorted = points.map((p: unknown, i) => checkPoint(fn, p, i)).sort((a, b) => a.size - b.size);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]!.size === sorted[i - 1]!.size) throw new ArgumentError(`${fn}: points must have distinct sizes, got size ${sorted[i]!.size} twice`);
  }
  if (sorted.length < 2) throw new ArgumentError(`${fn}: points must hold at least 2 sizes to show a trend, got ${sorted.length}`);
  const devN = options.devN;
  if (devN !== undefined && (typeof devN !== "number" || !Number.isInteger(devN) || devN < 1)) throw new ArgumentError(`${fn}: devN must be a positive integer (the dev examples), got ${describe(devN)}`);
  const confidence = checkConfidence(fn, options.confidence ?? 0.95);
  const threshold = checkThreshold(fn, options.threshold ?? 0.02);

  const last = sorted.at(-1)!;
  const ref = sorted.filter((p) => p.size <= last.size / 2).at(-1) ?? sorted[0]!;
  const nLast = last.devN ?? devN, nRef = ref.devN ?? devN;
  const counted = nLast !== undefined && nRef !== undefined;
  // The gaps at the largest size, graded (and validated) by the recipe itself.
  let d: Diagnosis;
  try {
    d = diagnose({
      trainError: last.trainError, devError: last.devError,
      ...(counted ? { trainN: last.trainN ?? last.size, devN: nLast } : {}),
      ...(options.baseError === undefined ? {} : { baseError: options.baseError }),
      threshold, confidence,
    });
  } catch (error) {
    // Its checks of the base error name diagnose; say who was called.
    if (error instanceof ArgumentError) throw new ArgumentError(error.message.replace(/^diagnose:/, `${fn}:`));
    throw error;
  }
  const at = (p: LearningCurvePoint, n: number | undefined): Interval => (n === undefined ? { value: p.devError, low: p.devError, high: p.devError } : wilsonInterval(p.devError * n, n, confidence));
  const devDrop = differenceInterval(at(ref, counted ? nRef : undefined), at(last, counted ? nLast : undefined));
  const falling = devDrop.value > 0 && devDrop.low > 0;
  const devSlope = (last.devError - ref.devError) / Math.log2(last.size / ref.size);
  const gapLevel = d.levels.variance, biasLevel = d.levels.bias;
  const base = d.baseError.value;

  const m = last.size, gap = d.variance.value;
  const interval = (g: Interval): string => (counted ? ` [${Math.round(confidence * 100)}%: ${pct(g.low)} to ${pct(g.high)}]` : "");
  const fall = `${pct(ref.devError)} at m = ${ref.size} to ${pct(last.devError)} at m = ${m}`;
  const met = `train and dev errors met (${pct(last.trainError)} and ${pct(last.devError)} at m = ${m}: a gap of ${pct(gap)}, within ${pct(threshold)})`;
  let moreDataHelps: MoreDataHelps, reason: string;
  if (gapLevel === "high" && falling) {
    moreDataHelps = "likely";
    reason = `the dev error fell from ${fall} (by ${pct(devDrop.value)}${interval(devDrop)}) and is still ${pct(gap)}${interval(d.variance)} above the train error: it is variance, and the curve has not flattened`;
  } else if (gapLevel === "low" && biasLevel === "high") {
    moreDataHelps = "unlikely";
    reason = `${met} ${pct(d.avoidableBias.value)} above the base error (${pct(base)}): it is bias, which more data does not fix; train a bigger network or longer`;
  } else if (gapLevel === "low" && biasLevel === "low") {
    moreDataHelps = "unlikely";
    reason = `${met} within ${pct(threshold)} of the base error (${pct(base)}): little is left for more data to win`;
  } else if (gapLevel === "high") {
    moreDataHelps = "unclear";
    reason = `the dev error is ${pct(gap)} above the train error at m = ${m} but did not fall measurably over the last doubling (${fall}${counted ? `, a change within the noise of ${nLast} dev examples` : ""}): the curve may have flattened; regularization is the surer remedy`;
  } else if (gapLevel === "unresolved") {
    moreDataHelps = "unclear";
    reason = `the gap at m = ${m}, ${pct(gap)}${interval(d.variance)}, is above ${pct(threshold)} but within the noise of ${nLast} dev examples; more dev examples would tell`;
  } else {
    moreDataHelps = "unclear";
    reason = `${met} ${pct(d.avoidableBias.value)}${interval(d.avoidableBias)} above the base error (${pct(base)}): whether that is more than ${pct(threshold)} of bias is within the noise`;
  }
  return {
    moreDataHelps, reason, size: m, trainError: last.trainError, devError: last.devError,
    gapAtLargest: d.variance, gapLevel, avoidableBias: d.avoidableBias, biasLevel,
    from: ref.size, devDrop, devSlope, falling, baseError: base, threshold,
  };
}
