// Creating tensors: from nested arrays and typed arrays, and the usual constant fills.
import type { Data, DType } from "./backend.js";
import { ArgumentError, DTypeError, ShapeError, describe } from "./errors.js";
import { scratchBuffer } from "./scratch.js";
import { checkShape, formatShape, sizeOf, type Shape } from "./shape.js";
import { Tensor, type NestedArray } from "./tensor.js";

/** Options for creating a tensor. */
export interface TensorOptions {
  /** Element type. Default `"float64"`. */
  dtype?: DType;
  /** Whether gradients are wanted for this leaf. Default `false`. */
  requiresGrad?: boolean;
}

/** Options for `tensor()` from a flat typed array or list. */
export interface FromDataOptions extends TensorOptions {
  /** The shape of flat data. Default: 1-D of the data's length. */
  shape?: Shape;
}

/** Allocates an uninitialized (zero-filled) buffer of `n` elements. */
export function allocate(n: number, dtype: DType): Data {
  return scratchBuffer(n, dtype) ?? (dtype === "float32" ? new Float32Array(n) : new Float64Array(n));
}

/** A zero-filled tensor that ops write their results into. */
export function empty(shape: Shape, dtype: DType = "float64"): Tensor {
  return new Tensor(allocate(sizeOf(shape), dtype), shape);
}

function checkDType(op: string, dtype: unknown): DType {
  if (dtype === undefined) return "float64";
  if (dtype !== "float64" && dtype !== "float32") throw new DTypeError(`${op}: dtype must be "float64" or "float32", got ${describe(dtype)}`);
  return dtype;
}

function inferShape(values: NestedArray, path: string): number[] {
  if (typeof values === "number") return [];
  if (!Array.isArray(values)) throw new ArgumentError(`tensor: values${path} must be a number or an array, got ${describe(values)}`);
  if (values.length === 0) return [0];
  return [values.length, ...inferShape(values[0]!, `${path}[0]`)];
}

function fill(values: NestedArray, shape: Shape, axis: number, out: Data, offset: number, path: string): number {
  if (axis === shape.length) {
    if (typeof values !== "number") {
      if (Array.isArray(values)) throw new ShapeError(`tensor: ragged nested array: values${path} is an array where a number was expected`);
      throw new ArgumentError(`tensor: values${path} must be a number, got ${describe(values)}`);
    }
    out[offset] = values;
    return offset + 1;
  }
  if (!Array.isArray(values) || values.length !== shape[axis]) {
    throw new ShapeError(`tensor: ragged nested array: values${path} has ${Array.isArray(values) ? `length ${values.length}` : describe(values)}, expected length ${shape[axis]}`);
  }
  for (let i = 0; i < values.length; i++) offset = fill(values[i]!, shape, axis + 1, out, offset, `${path}[${i}]`);
  return offset;
}

/**
 * Creates a tensor from a number, nested arrays, or flat data with a `shape`. The values
 * are copied. Non-number entries and ragged arrays are errors.
 *
 * @example
 * ```ts
 * import { tensor } from "@hone/tensor";
 * tensor([[1, 2, 3], [4, 5, 6]]).shape;                    // [2, 3]
 * tensor(new Float64Array([1, 2, 3, 4]), { shape: [2, 2] }); // 2×2
 * tensor(3.5).item();                                       // 3.5
 * ```
 */
export function tensor(values: NestedArray | ArrayLike<number>, options: FromDataOptions = {}): Tensor {
  const dtype = checkDType("tensor", options.dtype);
  let out: Tensor;
  if (typeof values === "number" || (Array.isArray(values) && (values.length === 0 || Array.isArray(values[0])) && options.shape === undefined)) {
    const nested: NestedArray = values;
    const shape = inferShape(nested, "");
    const data = allocate(sizeOf(shape), dtype);
    fill(nested, shape, 0, data, 0, "");
    out = new Tensor(data, shape);
  } else {
    const flat = values as ArrayLike<number>;
    if (flat === null || typeof flat !== "object" || typeof flat.length !== "number") throw new ArgumentError(`tensor: values must be a number, nested arrays or array-like, got ${describe(values)}`);
    const shape = options.shape ?? [flat.length];
    checkShape("tensor", shape);
    if (sizeOf(shape) !== flat.length) {
      throw new ShapeError(`tensor: ${flat.length} values do not fill shape ${formatShape(shape)} (${sizeOf(shape)} elements)`);
    }
    const data = allocate(flat.length, dtype);
    for (let i = 0; i < flat.length; i++) {
      const v = flat[i];
      if (typeof v !== "number") {
        if (Array.isArray(v)) throw new ShapeError(`tensor: ragged nested array: values[${i}] is an array where a number was expected`);
        throw new ArgumentError(`tensor: values[${i}] must be a number, got ${describe(v)}`);
      }
      data[i] = v;
    }
    out = new Tensor(data, shape.slice());
  }
  out.requiresGrad = options.requiresGrad ?? false;
  return out;
}

/**
 * A tensor filled with `value`.
 *
 * @example
 * ```ts
 * import { full } from "@hone/tensor";
 * full([2, 2], 7).toArray(); // [[7, 7], [7, 7]]
 * ```
 */
export function full(shape: Shape, value: number, options: TensorOptions = {}): Tensor {
  return filled("full", shape, value, options);
}

function filled(op: string, shape: Shape, value: number, options: TensorOptions): Tensor {
  checkShape(op, shape);
  const t = empty(shape.slice(), checkDType(op, options.dtype));
  if (value !== 0) t.data.fill(value);
  t.requiresGrad = options.requiresGrad ?? false;
  return t;
}

/** A tensor of zeros. @example `zeros([2, 3])` */
export function zeros(shape: Shape, options: TensorOptions = {}): Tensor {
  return filled("zeros", shape, 0, options);
}

/** A tensor of ones. @example `ones([3])` */
export function ones(shape: Shape, options: TensorOptions = {}): Tensor {
  return filled("ones", shape, 1, options);
}

/** Zeros of `t`'s shape and dtype. @example `zerosLike(tensor([1, 2]))` */
export function zerosLike(t: Tensor): Tensor {
  return empty(t.shape.slice(), t.dtype);
}

/** Ones of `t`'s shape and dtype. @example `onesLike(tensor([1, 2]))` */
export function onesLike(t: Tensor): Tensor {
  return full(t.shape, 1, { dtype: t.dtype });
}

/**
 * Evenly spaced values in `[start, stop)` with `step` (NumPy's `arange`).
 *
 * @example
 * ```ts
 * import { arange } from "@hone/tensor";
 * arange(0, 5).toArray();      // [0, 1, 2, 3, 4]
 * arange(1, 2, 0.25).toArray(); // [1, 1.25, 1.5, 1.75]
 * ```
 */
export function arange(start: number, stop: number, step = 1, options: TensorOptions = {}): Tensor {
  if (!Number.isFinite(start) || !Number.isFinite(stop)) throw new ArgumentError(`arange: start and stop must be finite, got ${start} and ${stop}`);
  if (!Number.isFinite(step) || step === 0) throw new ArgumentError(`arange: step must be a finite nonzero number, got ${step}`);
  const n = Math.max(0, Math.ceil((stop - start) / step));
  const t = empty([n], checkDType("arange", options.dtype));
  for (let i = 0; i < n; i++) t.data[i] = start + i * step;
  return t;
}

/**
 * `num` evenly spaced values from `start` to `stop` inclusive (NumPy's `linspace`).
 *
 * @example
 * ```ts
 * import { linspace } from "@hone/tensor";
 * linspace(0, 1, 5).toArray(); // [0, 0.25, 0.5, 0.75, 1]
 * ```
 */
export function linspace(start: number, stop: number, num: number, options: TensorOptions = {}): Tensor {
  if (!Number.isInteger(num) || num < 0) throw new ArgumentError(`linspace: num must be a non-negative integer, got ${num}`);
  const t = empty([num], checkDType("linspace", options.dtype));
  const step = num > 1 ? (stop - start) / (num - 1) : 0;
  for (let i = 0; i < num; i++) t.data[i] = start + i * step;
  if (num > 1) t.data[num - 1] = stop;
  return t;
}

/**
 * The `n×n` identity matrix (or `n×m` with ones on the diagonal).
 *
 * @example
 * ```ts
 * import { eye } from "@hone/tensor";
 * eye(2).toArray(); // [[1, 0], [0, 1]]
 * ```
 */
export function eye(n: number, m: number = n, options: TensorOptions = {}): Tensor {
  checkShape("eye", [n, m]);
  const t = empty([n, m], checkDType("eye", options.dtype));
  for (let i = 0; i < Math.min(n, m); i++) t.data[i * m + i] = 1;
  return t;
}
