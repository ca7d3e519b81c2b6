// Learning curves: train and dev error at growing training-set sizes.
import { ArgumentError, type Tensor, describe, gatherRows } from "@hone/tensor";
import { checkXY } from "./util.js";

/** One point of a learning curve. */
export interface LearningCurvePoint {
  /** Training rows used. */
  readonly size: number;
  /** Error on those training rows. */
  readonly trainError: number;
  /** Error on the dev set. */
  readonly devError: number;
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
