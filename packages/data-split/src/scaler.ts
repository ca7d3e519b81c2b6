// Feature scalers fit on the training split only: Standardizer (z-scores) and MinMaxScaler.
// Both are one per-feature affine map y = (x − center) / scale + offset; they differ only in
// how `fit` chooses center, scale and offset. Both refuse to fit on a tensor that a splitter
// handed out as dev or test (or on the unsplit whole), and both serialize to JSON.
import { ArgumentError, ShapeError, Tensor, describe, formatShape, sameShape } from "@hone/tensor";
import { roleOf } from "./roles.js";
import { checkRows, rowSize } from "./util.js";

// ---------------------------------------------------------------------------------------
// Types

/** A fitted {@link Standardizer} as plain JSON. */
export interface StandardizerJSON {
  /** Always `"Standardizer"`. */
  readonly type: "Standardizer";
  /** Format version, `1`. */
  readonly version: 1;
  /** The shape of one row (x.shape without axis 0). */
  readonly featureShape: readonly number[];
  /** Per-feature training mean μ, row-major over `featureShape`. */
  readonly mean: readonly number[];
  /** Per-feature training standard deviation σ (population, ddof 0; 1 for constant features). */
  readonly std: readonly number[];
}

/** A fitted {@link MinMaxScaler} as plain JSON. */
export interface MinMaxScalerJSON {
  /** Always `"MinMaxScaler"`. */
  readonly type: "MinMaxScaler";
  /** Format version, `1`. */
  readonly version: 1;
  /** The shape of one row (x.shape without axis 0). */
  readonly featureShape: readonly number[];
  /** The target range [a, b]. */
  readonly range: readonly [number, number];
  /** Per-feature training minimum. */
  readonly dataMin: readonly number[];
  /** Per-feature training maximum. */
  readonly dataMax: readonly number[];
}

/** Options of {@link MinMaxScaler}. */
export interface MinMaxScalerOptions {
  /** The target range [a, b], a < b: the training minimum maps to a, the maximum to b. Default `[0, 1]`. */
  readonly range?: readonly [number, number];
}

/** The fitted affine map of a scaler. */
interface Affine {
  readonly featureShape: readonly number[];
  readonly center: Float64Array;
  readonly scale: Float64Array;
  readonly offset: number;
}

// ---------------------------------------------------------------------------------------
// Shared machinery

/** Refuses held-out data and non-finite values; returns the number of rows. */
function checkFitInput(fn: string, x: unknown): number {
  const m = checkRows(fn, "x", x);
  const t = x as Tensor;
  const role = roleOf(t);
  if (role === "dev" || role === "test") {
    throw new ArgumentError(`${fn}: x is the ${role} split; fit on the training split only and transform dev/test with the training statistics`);
  }
  if (role === "whole") {
    throw new ArgumentError(`${fn}: x is the whole data set that was split into train/dev/test; fit on the training split only (split.train.x) and transform dev/test with the training statistics`);
  }
  if (m === 0) throw new ShapeError(`${fn}: x has no rows (shape ${formatShape(t.shape)})`);
  const f = rowSize(t);
  for (let i = 0; i < t.size; i++) {
    const v = t.data[i];
    if (!Number.isFinite(v)) throw new ArgumentError(`${fn}: x has ${v} at row ${Math.floor(i / f)}, feature ${i % f}; clean or impute the data before fitting`);
  }
  return m;
}

function applyAffine(fn: string, a: Affine | null, x: unknown, inverse: boolean): Tensor {
  if (a === null) throw new ArgumentError(`${fn}: the scaler is not fitted; call fit(xTrain) first`);
  checkRows(fn, "x", x);
  const t = x as Tensor;
  const shape = t.shape.slice(1);
  if (!sameShape(shape, a.featureShape)) {
    throw new ShapeError(`${fn}: x has rows of shape ${formatShape(shape)} (x is ${formatShape(t.shape)}) but the scaler was fit on rows of shape ${formatShape(a.featureShape)}`);
  }
  const f = a.center.length;
  const out = t.dtype === "float32" ? new Float32Array(t.size) : new Float64Array(t.size);
  const { center, scale, offset } = a;
  for (let i = 0; i < t.size; i += f) {
    for (let j = 0; j < f; j++) {
      const v = t.data[i + j];
      out[i + j] = inverse ? (v - offset) * scale[j] + center[j] : (v - center[j]) / scale[j] + offset;
    }
  }
  return new Tensor(out, t.shape.slice());
}

function checkObject(fn: string, obj: unknown, type: string): Record<string, unknown> {
  if (typeof obj !== "object" || obj === null || Array.isArray(obj)) throw new ArgumentError(`${fn}: expected a ${type} JSON object, got ${describe(obj)}`);
  const o = obj as Record<string, unknown>;
  if (o.type !== type) throw new ArgumentError(`${fn}: type must be ${JSON.stringify(type)}, got ${describe(o.type)}`);
  if (o.version !== 1) throw new ArgumentError(`${fn}: version must be 1, got ${describe(o.version)}`);
  return o;
}

function checkFeatureShape(fn: string, value: unknown): number[] {
  if (!Array.isArray(value) || !value.every((d) => typeof d === "number" && Number.isInteger(d) && d >= 1)) {
    throw new ArgumentError(`${fn}: featureShape must be an array of positive integers, got ${describe(value)}`);
  }
  return value.slice() as number[];
}

function checkVector(fn: string, name: string, value: unknown, length: number, positive: boolean): Float64Array {
  if (!Array.isArray(value)) throw new ArgumentError(`${fn}: ${name} must be an array of ${length} numbers, got ${describe(value)}`);
  if (value.length !== length) throw new ArgumentError(`${fn}: ${name} must have ${length} entries (the featureShape's size), got ${value.length}`);
  const out = new Float64Array(length);
  value.forEach((v: unknown, i) => {
    if (typeof v !== "number" || !Number.isFinite(v) || (positive && v <= 0)) {
      throw new ArgumentError(`${fn}: ${name}[${i}] must be a finite number${positive ? " > 0" : ""}, got ${describe(v)}`);
    }
    out[i] = v;
  });
  return out;
}

function featureSize(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

// ---------------------------------------------------------------------------------------
// Standardizer

/**
 * Standardizes features to zero mean and unit variance with the *training* statistics:
 * `fit(xTrain)` computes per-feature μ and σ (population σ, ddof 0, as the course and
 * scikit-learn's `StandardScaler` do), `transform(x)` maps any split to (x − μ)/σ.
 * Features are the values of one row (x.shape without axis 0). A constant feature gets
 * σ = 1 (scikit-learn's rule; it is treated as constant when its variance is within
 * rounding error, var ≤ m·ε·var + (m·μ·ε)²), so it maps to 0 instead of dividing by zero.
 * `fit` throws on a tensor handed out as a split's dev or test part, or on the unsplit x,
 * and on NaN/±Infinity.
 *
 * @example
 * ```ts
 * import { tensor } from "@hone/tensor";
 * import { Standardizer } from "@hone/data-split";
 * const s = new Standardizer().fit(tensor([[0, 10], [2, 10]]));
 * console.log(s.mean, s.std);                          // Float64Array [1, 10] Float64Array [1, 1]
 * console.log(s.transform(tensor([[3, 11]])).toArray()); // [[2, 1]]
 * ```
 */
export class Standardizer {
  #affine: Affine | null = null;

  /**
   * Computes μ and σ per feature from `x` (training rows only). Returns `this`.
   *
   * @example
   * ```ts
   * import { tensor } from "@hone/tensor";
   * import { Standardizer } from "@hone/data-split";
   * new Standardizer().fit(tensor([[1], [3]])).std; // Float64Array [1]
   * ```
   */
  fit(x: Tensor): this {
    const fn = "Standardizer.fit";
    const m = checkFitInput(fn, x);
    const f = rowSize(x);
    const mean = new Float64Array(f);
    for (let i = 0; i < x.size; i += f) for (let j = 0; j < f; j++) mean[j] = mean[j] + x.data[i + j];
    for (let j = 0; j < f; j++) mean[j] = mean[j] / m;
    const ss = new Float64Array(f);
    for (let i = 0; i < x.size; i += f) {
      for (let j = 0; j < f; j++) {
        const d = x.data[i + j] - mean[j];
        ss[j] = ss[j] + d * d;
      }
    }
    const std = new Float64Array(f);
    const eps = Number.EPSILON;
    for (let j = 0; j < f; j++) {
      const v = ss[j] / m;
      const constant = v <= m * eps * v + (m * mean[j] * eps) ** 2;
      std[j] = constant ? 1 : Math.sqrt(v);
    }
    this.#affine = { featureShape: x.shape.slice(1), center: mean, scale: std, offset: 0 };
    return this;
  }

  /**
   * (x − μ)/σ with the fitted statistics, for any split. Returns a new, untracked tensor of
   * x's dtype.
   *
   * @example
   * ```ts
   * import { tensor } from "@hone/tensor";
   * import { Standardizer } from "@hone/data-split";
   * new Standardizer().fit(tensor([[1], [3]])).transform(tensor([[5]])).toArray(); // [[3]]
   * ```
   */
  transform(x: Tensor): Tensor {
    return applyAffine("Standardizer.transform", this.#affine, x, false);
  }

  /**
   * `fit(x)` then `transform(x)`.
   *
   * @example
   * ```ts
   * import { tensor } from "@hone/tensor";
   * import { Standardizer } from "@hone/data-split";
   * new Standardizer().fitTransform(tensor([[1], [3]])).toArray(); // [[-1], [1]]
   * ```
   */
  fitTransform(x: Tensor): Tensor {
    return this.fit(x).transform(x);
  }

  /**
   * x·σ + μ: undoes `transform`.
   *
   * @example
   * ```ts
   * import { tensor } from "@hone/tensor";
   * import { Standardizer } from "@hone/data-split";
   * new Standardizer().fit(tensor([[1], [3]])).inverseTransform(tensor([[3]])).toArray(); // [[5]]
   * ```
   */
  inverseTransform(x: Tensor): Tensor {
    return applyAffine("Standardizer.inverseTransform", this.#affine, x, true);
  }

  /** Whether `fit` (or `fromJSON`) has run. */
  get fitted(): boolean {
    return this.#affine !== null;
  }

  /** A copy of the per-feature training mean μ. */
  get mean(): Float64Array {
    return fitted("Standardizer.mean", this.#affine).center.slice();
  }

  /** A copy of the per-feature σ used to divide (1 for constant features). */
  get std(): Float64Array {
    return fitted("Standardizer.std", this.#affine).scale.slice();
  }

  /**
   * The fitted statistics as JSON (numbers round-trip exactly through `JSON.stringify`).
   *
   * @example
   * ```ts
   * import { tensor } from "@hone/tensor";
   * import { Standardizer } from "@hone/data-split";
   * new Standardizer().fit(tensor([[1], [3]])).toJSON(); // { type: "Standardizer", version: 1, featureShape: [1], mean: [2], std: [1] }
   * ```
   */
  toJSON(): StandardizerJSON {
    const a = fitted("Standardizer.toJSON", this.#affine);
    return { type: "Standardizer", version: 1, featureShape: a.featureShape.slice(), mean: Array.from(a.center), std: Array.from(a.scale) };
  }

  /**
   * A fitted Standardizer from {@link Standardizer.toJSON}'s output; validates every field.
   *
   * @example
   * ```ts
   * import { Standardizer } from "@hone/data-split";
   * const s = Standardizer.fromJSON({ type: "Standardizer", version: 1, featureShape: [1], mean: [2], std: [1] });
   * console.log(s.mean); // Float64Array [2]
   * ```
   */
  static fromJSON(obj: unknown): Standardizer {
    const fn = "Standardizer.fromJSON";
    const o = checkObject(fn, obj, "Standardizer");
    const featureShape = checkFeatureShape(fn, o.featureShape);
    const f = featureSize(featureShape);
    const center = checkVector(fn, "mean", o.mean, f, false);
    const scale = checkVector(fn, "std", o.std, f, true);
    const s = new Standardizer();
    s.#affine = { featureShape, center, scale, offset: 0 };
    return s;
  }
}

// ---------------------------------------------------------------------------------------
// MinMaxScaler

/**
 * Scales each feature linearly so that its training minimum maps to a and its maximum to b
 * (default [0, 1]): y = (x − min)/(max − min)·(b − a) + a, the same map applied to every
 * split (dev/test values may fall outside [a, b]). A constant feature (max = min) uses a
 * range of 1, as scikit-learn's `MinMaxScaler` does, so it maps to a. Same leak and NaN
 * guards as {@link Standardizer}.
 *
 * @example
 * ```ts
 * import { tensor } from "@hone/tensor";
 * import { MinMaxScaler } from "@hone/data-split";
 * const s = new MinMaxScaler({ range: [-1, 1] }).fit(tensor([[0], [4]]));
 * console.log(s.transform(tensor([[1], [6]])).toArray()); // [[-0.5], [2]]
 * ```
 */
export class MinMaxScaler {
  readonly #range: readonly [number, number];
  #affine: Affine | null = null;
  #min: Float64Array | null = null;
  #max: Float64Array | null = null;

  /** A scaler to the given range (default [0, 1]). */
  constructor(options: MinMaxScalerOptions = {}) {
    this.#range = checkRange("MinMaxScaler", options.range ?? [0, 1]);
  }

  /**
   * Computes per-feature min and max from `x` (training rows only). Returns `this`.
   *
   * @example
   * ```ts
   * import { tensor } from "@hone/tensor";
   * import { MinMaxScaler } from "@hone/data-split";
   * new MinMaxScaler().fit(tensor([[1], [3]])).dataMax; // Float64Array [3]
   * ```
   */
  fit(x: Tensor): this {
    checkFitInput("MinMaxScaler.fit", x);
    const f = rowSize(x);
    const min = new Float64Array(f).fill(Infinity);
    const max = new Float64Array(f).fill(-Infinity);
    for (let i = 0; i < x.size; i += f) {
      for (let j = 0; j < f; j++) {
        const v = x.data[i + j];
        if (v < min[j]) min[j] = v;
        if (v > max[j]) max[j] = v;
      }
    }
    this.#set(x.shape.slice(1), min, max);
    return this;
  }

  #set(featureShape: readonly number[], min: Float64Array, max: Float64Array): void {
    const [a, b] = this.#range;
    const scale = new Float64Array(min.length);
    for (let j = 0; j < min.length; j++) {
      const range = max[j] - min[j];
      scale[j] = (range === 0 ? 1 : range) / (b - a);
    }
    this.#min = min;
    this.#max = max;
    this.#affine = { featureShape, center: min, scale, offset: a };
  }

  /**
   * (x − min)/(max − min)·(b − a) + a with the fitted min and max, for any split.
   *
   * @example
   * ```ts
   * import { tensor } from "@hone/tensor";
   * import { MinMaxScaler } from "@hone/data-split";
   * new MinMaxScaler().fit(tensor([[1], [3]])).transform(tensor([[2]])).toArray(); // [[0.5]]
   * ```
   */
  transform(x: Tensor): Tensor {
    return applyAffine("MinMaxScaler.transform", this.#affine, x, false);
  }

  /**
   * `fit(x)` then `transform(x)`.
   *
   * @example
   * ```ts
   * import { tensor } from "@hone/tensor";
   * import { MinMaxScaler } from "@hone/data-split";
   * new MinMaxScaler().fitTransform(tensor([[1], [3]])).toArray(); // [[0], [1]]
   * ```
   */
  fitTransform(x: Tensor): Tensor {
    return this.fit(x).transform(x);
  }

  /**
   * Undoes `transform`.
   *
   * @example
   * ```ts
   * import { tensor } from "@hone/tensor";
   * import { MinMaxScaler } from "@hone/data-split";
   * new MinMaxScaler().fit(tensor([[1], [3]])).inverseTransform(tensor([[0.5]])).toArray(); // [[2]]
   * ```
   */
  inverseTransform(x: Tensor): Tensor {
    return applyAffine("MinMaxScaler.inverseTransform", this.#affine, x, true);
  }

  /** Whether `fit` (or `fromJSON`) has run. */
  get fitted(): boolean {
    return this.#affine !== null;
  }

  /** A copy of the per-feature training minimum. */
  get dataMin(): Float64Array {
    fitted("MinMaxScaler.dataMin", this.#affine);
    return this.#min!.slice();
  }

  /** A copy of the per-feature training maximum. */
  get dataMax(): Float64Array {
    fitted("MinMaxScaler.dataMax", this.#affine);
    return this.#max!.slice();
  }

  /** The target range [a, b]. */
  get range(): [number, number] {
    return [this.#range[0], this.#range[1]];
  }

  /**
   * The fitted state as JSON.
   *
   * @example
   * ```ts
   * import { tensor } from "@hone/tensor";
   * import { MinMaxScaler } from "@hone/data-split";
   * new MinMaxScaler().fit(tensor([[1], [3]])).toJSON(); // { type: "MinMaxScaler", version: 1, featureShape: [1], range: [0, 1], dataMin: [1], dataMax: [3] }
   * ```
   */
  toJSON(): MinMaxScalerJSON {
    const a = fitted("MinMaxScaler.toJSON", this.#affine);
    return {
      type: "MinMaxScaler", version: 1, featureShape: a.featureShape.slice(), range: this.range,
      dataMin: Array.from(this.#min!), dataMax: Array.from(this.#max!),
    };
  }

  /**
   * A fitted MinMaxScaler from {@link MinMaxScaler.toJSON}'s output; validates every field.
   *
   * @example
   * ```ts
   * import { MinMaxScaler } from "@hone/data-split";
   * const s = MinMaxScaler.fromJSON({ type: "MinMaxScaler", version: 1, featureShape: [1], range: [0, 1], dataMin: [1], dataMax: [3] });
   * console.log(s.dataMax); // Float64Array [3]
   * ```
   */
  static fromJSON(obj: unknown): MinMaxScaler {
    const fn = "MinMaxScaler.fromJSON";
    const o = checkObject(fn, obj, "MinMaxScaler");
    const featureShape = checkFeatureShape(fn, o.featureShape);
    const f = featureSize(featureShape);
    const range = checkRange(fn, o.range);
    const min = checkVector(fn, "dataMin", o.dataMin, f, false);
    const max = checkVector(fn, "dataMax", o.dataMax, f, false);
    for (let j = 0; j < f; j++) {
      if (max[j] < min[j]) throw new ArgumentError(`${fn}: dataMax[${j}] = ${max[j]} is below dataMin[${j}] = ${min[j]}`);
    }
    const s = new MinMaxScaler({ range });
    s.#set(featureShape, min, max);
    return s;
  }
}

function checkRange(fn: string, value: unknown): [number, number] {
  if (!Array.isArray(value) || value.length !== 2 || !value.every((v) => typeof v === "number" && Number.isFinite(v)) || !((value[0] as number) < (value[1] as number))) {
    throw new ArgumentError(`${fn}: range must be [a, b] with finite a < b, got ${describe(value)}`);
  }
  return [value[0] as number, value[1] as number];
}

function fitted(fn: string, a: Affine | null): Affine {
  if (a === null) throw new ArgumentError(`${fn}: the scaler is not fitted; call fit(xTrain) first`);
  return a;
}

/**
 * A fitted scaler from either scaler's JSON, chosen by its `type` field (for loading a
 * saved model's normalizer without knowing which one it used).
 *
 * @example
 * ```ts
 * import { scalerFromJSON } from "@hone/data-split";
 * const s = scalerFromJSON({ type: "Standardizer", version: 1, featureShape: [1], mean: [0], std: [2] });
 * console.log(s.constructor.name); // "Standardizer"
 * ```
 */
export function scalerFromJSON(obj: unknown): Standardizer | MinMaxScaler {
  const type = typeof obj === "object" && obj !== null ? (obj as { type?: unknown }).type : undefined;
  if (type === "Standardizer") return Standardizer.fromJSON(obj);
  if (type === "MinMaxScaler") return MinMaxScaler.fromJSON(obj);
  throw new ArgumentError(`scalerFromJSON: type must be "Standardizer" or "MinMaxScaler", got ${describe(type)}`);
}
