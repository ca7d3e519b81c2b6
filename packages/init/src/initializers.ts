// Initializers: functions of a shape and a context (rng, dtype, fans) that return a new
// tensor. Every random preset is a few lines over `varianceScaling`, and every draw is
// made in row-major order, one `rng` call per element, so numpy's
// `np.random.randn(n, n_prev) * np.sqrt(2 / n_prev)` is reproduced bit for bit.
import { ArgumentError, DTypeError, Tensor, describe, full, sizeOf, type DType, type Rng, type Shape } from "@hone/tensor";
import { computeFans } from "./fans.js";

/** What an initializer is called with besides the shape. */
export interface InitContext {
  /** The generator random initializers draw from. Required by every random initializer. */
  rng?: Rng;
  /** Element type. Default `"float64"`. */
  dtype?: DType;
  /** Override the fan-in computed from the shape. */
  fanIn?: number;
  /** Override the fan-out computed from the shape. */
  fanOut?: number;
}

/** A function that makes a parameter tensor of `shape`. */
export type Initializer = (shape: Shape, context?: InitContext) => Tensor;

function checkShape(op: string, shape: Shape): void {
  if (!Array.isArray(shape as unknown) || shape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new ArgumentError(`${op}: shape must be an array of non-negative integers, got ${describe(shape)}`);
  }
}

function needRng(op: string, context: InitContext | undefined): Rng {
  const rng = context?.rng;
  if (rng === undefined || typeof rng.randn !== "function") {
    throw new ArgumentError(`${op}: a random initializer needs context.rng (an Rng from rng(seed)), got ${describe(rng)}`);
  }
  return rng;
}

function checkDType(op: string, dtype: unknown): DType {
  if (dtype === undefined) return "float64";
  if (dtype !== "float64" && dtype !== "float32") throw new DTypeError(`${op}: context.dtype must be "float64" or "float32", got ${describe(dtype)}`);
  return dtype;
}

function make(shape: Shape, dtype: DType, fill: (data: Float64Array | Float32Array) => void): Tensor {
  const n = sizeOf(shape);
  const data = dtype === "float32" ? new Float32Array(n) : new Float64Array(n);
  fill(data);
  return new Tensor(data, shape.slice());
}

// ---------------------------------------------------------------------------------------
// Constant initializers (draw nothing).

/**
 * Every element equal to `value`.
 *
 * @example
 * ```ts
 * import { constant } from "@hone/init";
 * constant(0.1)([3]).toArray(); // [0.1, 0.1, 0.1]
 * ```
 */
export function constant(value: number): Initializer {
  return filled("constant", value);
}

function filled(op: string, value: number): Initializer {
  if (typeof value !== "number" || !Number.isFinite(value)) throw new ArgumentError(`${op}: value must be a finite number, got ${describe(value)}`);
  return (shape, context) => {
    checkShape(op, shape);
    return full(shape, value, { dtype: checkDType(op, context?.dtype) });
  };
}

/**
 * All zeros (draws nothing): the usual bias initializer. Zero weights do not break symmetry:
 * every unit of a layer computes and learns the same thing (the course's cost stays at ln 2).
 *
 * @example
 * ```ts
 * import { zeros } from "@hone/init";
 * zeros([2, 2]).toArray(); // [[0, 0], [0, 0]]
 * ```
 */
export const zeros: Initializer = filled("zeros", 0);

/**
 * All ones (draws nothing).
 *
 * @example
 * ```ts
 * import { ones } from "@hone/init";
 * ones([3], { dtype: "float32" }).toArray(); // [1, 1, 1]
 * ```
 */
export const ones: Initializer = filled("ones", 1);

// ---------------------------------------------------------------------------------------
// Random initializers.

/** Options for `randomNormal`. */
export interface RandomNormalOptions {
  /** Mean. Default 0. */
  mean?: number;
  /** Standard deviation. Default 1. */
  std?: number;
}

/**
 * Normal values `randn()·std + mean`, one draw per element in row-major order (the mean is
 * added only when nonzero, so `mean: 0` leaves numpy's values bit-identical). The course's
 * "random ×10" initialization is `randomNormal({ std: 10 })`.
 *
 * @example
 * ```ts
 * import { randomNormal } from "@hone/init";
 * import { rng } from "@hone/tensor";
 * randomNormal({ std: 10 })([10, 2], { rng: rng(3) }); // np.random.seed(3); np.random.randn(10, 2) * 10
 * ```
 */
export function randomNormal(options: RandomNormalOptions = {}): Initializer {
  const op = "randomNormal";
  const mean = options.mean ?? 0, std = options.std ?? 1;
  if (!Number.isFinite(mean)) throw new ArgumentError(`randomNormal: mean must be finite, got ${describe(mean)}`);
  if (!(std >= 0) || !Number.isFinite(std)) throw new ArgumentError(`randomNormal: std must be a finite number ≥ 0, got ${describe(std)}`);
  return (shape, context) => {
    checkShape(op, shape);
    const rng = needRng(op, context);
    return make(shape, checkDType(op, context?.dtype), (d) => {
      if (mean === 0) for (let i = 0; i < d.length; i++) d[i] = rng.randn() * std;
      else for (let i = 0; i < d.length; i++) d[i] = rng.randn() * std + mean;
    });
  };
}

/** Options for `randomUniform`. */
export interface RandomUniformOptions {
  /** Lower bound (inclusive). Default −0.05. */
  low?: number;
  /** Upper bound (exclusive). Default 0.05. */
  high?: number;
}

/**
 * Uniform values in `[low, high)`, numpy's `uniform(low, high)` per element in row-major order.
 *
 * @example
 * ```ts
 * import { randomUniform } from "@hone/init";
 * import { rng } from "@hone/tensor";
 * randomUniform({ low: -1, high: 1 })([2, 3], { rng: rng(0) });
 * ```
 */
export function randomUniform(options: RandomUniformOptions = {}): Initializer {
  const op = "randomUniform";
  const low = options.low ?? -0.05, high = options.high ?? 0.05;
  if (!Number.isFinite(low) || !Number.isFinite(high) || !(low < high)) throw new ArgumentError(`randomUniform: need finite low < high, got low=${describe(low)}, high=${describe(high)}`);
  return (shape, context) => {
    checkShape(op, shape);
    const rng = needRng(op, context);
    return make(shape, checkDType(op, context?.dtype), (d) => {
      for (let i = 0; i < d.length; i++) d[i] = rng.uniform(low, high);
    });
  };
}

/** Which fan sets the variance. */
export type FanMode = "fanIn" | "fanOut" | "fanAvg";

/** The distribution `varianceScaling` draws from. */
export type Distribution = "normal" | "truncatedNormal" | "uniform";

/** Options for `varianceScaling`. */
export interface VarianceScalingOptions {
  /** The variance numerator: variance = scale / fan. Default 1. */
  scale?: number;
  /** `"fanIn"` (default), `"fanOut"`, or `"fanAvg"` = (fanIn + fanOut)/2. */
  mode?: FanMode;
  /** `"normal"` (default), `"truncatedNormal"` (cut at ±2σ, variance kept), or `"uniform"`. */
  distribution?: Distribution;
}

/**
 * Std of a standard normal truncated to [−2, 2]: dividing by it keeps the promised variance
 * after truncation (Keras does; tfjs's truncatedNormal does not, and comes out ~23% too small).
 */
const TRUNCATED_STD = 0.87962566103423978;

/**
 * The general initializer: values with variance `scale / n`, where `n` is fanIn, fanOut or
 * their average. `normal`: `randn()·√(scale/n)` (the std computed once, numpy's order);
 * `uniform`: `uniform(−L, L)` with `L = √(3·scale/n)`; `truncatedNormal`: normal draws
 * outside ±2 are redrawn, then scaled by `√(scale/n)/0.8796…` so the variance is `scale/n`.
 *
 * @example
 * ```ts
 * import { varianceScaling } from "@hone/init";
 * import { rng } from "@hone/tensor";
 * const he = varianceScaling({ scale: 2, mode: "fanIn", distribution: "normal" });
 * he([20, 2], { rng: rng(3) }).shape; // [20, 2], std √(2/2) = 1
 * ```
 */
export function varianceScaling(options: VarianceScalingOptions = {}): Initializer {
  return scaling("varianceScaling", options);
}

/** `varianceScaling` whose messages carry the preset's name. */
function scaling(op: string, options: VarianceScalingOptions): Initializer {
  const scale = options.scale ?? 1;
  const mode = options.mode ?? "fanIn";
  const distribution = options.distribution ?? "normal";
  if (!(scale > 0) || !Number.isFinite(scale)) throw new ArgumentError(`${op}: scale must be a finite number > 0, got ${describe(scale)}`);
  if (mode !== "fanIn" && mode !== "fanOut" && mode !== "fanAvg") throw new ArgumentError(`${op}: mode must be "fanIn", "fanOut" or "fanAvg", got ${describe(mode)}`);
  if (distribution !== "normal" && distribution !== "truncatedNormal" && distribution !== "uniform") {
    throw new ArgumentError(`${op}: distribution must be "normal", "truncatedNormal" or "uniform", got ${describe(distribution)}`);
  }
  return (shape, context) => {
    checkShape(op, shape);
    const rng = needRng(op, context);
    const fans = computeFans(shape);
    const fanIn = context?.fanIn ?? fans.fanIn, fanOut = context?.fanOut ?? fans.fanOut;
    const n = mode === "fanIn" ? fanIn : mode === "fanOut" ? fanOut : (fanIn + fanOut) / 2;
    if (!(n > 0)) throw new ArgumentError(`${op}: the ${mode} of shape [${shape.join(",")}] is ${n}; it must be > 0`);
    return make(shape, checkDType(op, context?.dtype), (d) => {
      if (distribution === "normal") {
        const std = Math.sqrt(scale / n);
        for (let i = 0; i < d.length; i++) d[i] = rng.randn() * std;
      } else if (distribution === "uniform") {
        const limit = Math.sqrt((3 * scale) / n);
        for (let i = 0; i < d.length; i++) d[i] = rng.uniform(-limit, limit);
      } else {
        const std = Math.sqrt(scale / n) / TRUNCATED_STD;
        for (let i = 0; i < d.length; i++) {
          let z = rng.randn();
          while (z < -2 || z > 2) z = rng.randn();
          d[i] = z * std;
        }
      }
    });
  };
}

// Presets are Initializers themselves (call `heNormal(shape, context)`); only initializers
// with parameters (`constant`, `randomNormal`, `varianceScaling`, `orthogonal`) are factories.

/**
 * He (Kaiming) normal: `randn()·√(2/fanIn)`, variance 2/fanIn, for ReLU layers: the course's
 * "He initialization" bit for bit. Not truncated, as PyTorch's `kaiming_normal_` (Keras's
 * `he_normal` is a truncated normal).
 *
 * @example
 * ```ts
 * import { heNormal } from "@hone/init";
 * import { rng } from "@hone/tensor";
 * const r = rng(3); // the course draws W1, W2, W3 layer by layer from one seed
 * const w1 = heNormal([10, 2], { rng: r }); // w1.data[0] = 1.7886284734303186
 * const w2 = heNormal([5, 10], { rng: r });
 * ```
 */
export const heNormal: Initializer = scaling("heNormal", { scale: 2, mode: "fanIn", distribution: "normal" });

/**
 * He uniform: variance 2/fanIn, uniform on ±√(6/fanIn).
 *
 * @example
 * ```ts
 * import { heUniform } from "@hone/init";
 * import { rng } from "@hone/tensor";
 * heUniform([10, 2], { rng: rng(3) }).shape; // [10, 2], every |w| < √3
 * ```
 */
export const heUniform: Initializer = scaling("heUniform", { scale: 2, mode: "fanIn", distribution: "uniform" });

/**
 * LeCun normal: `randn()·√(1/fanIn)`, variance 1/fanIn. This is what the deep learning course
 * calls "Xavier initialization" (`√(1/n[l−1])`); Glorot and Bengio's Xavier is
 * `xavierNormal`. The course's Regularization notebook divides, `randn / √n_prev`, which
 * differs from this product by an ulp or two in 46 of the 103 values of its [2, 20, 3, 1] net.
 *
 * @example
 * ```ts
 * import { lecunNormal } from "@hone/init";
 * import { rng } from "@hone/tensor";
 * lecunNormal([20, 2], { rng: rng(3) }).data[0]; // 1.7886284734303186·√(1/2) ≈ 1.2647513225859208
 * ```
 */
export const lecunNormal: Initializer = scaling("lecunNormal", { scale: 1, mode: "fanIn", distribution: "normal" });

/**
 * LeCun uniform: variance 1/fanIn, uniform on ±√(3/fanIn).
 *
 * @example
 * ```ts
 * import { lecunUniform } from "@hone/init";
 * import { rng } from "@hone/tensor";
 * lecunUniform([10, 3], { rng: rng(3) }).size; // 30
 * ```
 */
export const lecunUniform: Initializer = scaling("lecunUniform", { scale: 1, mode: "fanIn", distribution: "uniform" });

/**
 * Glorot (Xavier) normal: variance 2/(fanIn + fanOut), Glorot and Bengio (2010), PyTorch's
 * `xavier_normal_`. Not the course's "Xavier", which is `lecunNormal`.
 *
 * @example
 * ```ts
 * import { xavierNormal } from "@hone/init";
 * import { rng } from "@hone/tensor";
 * xavierNormal([3, 5], { rng: rng(0) }).shape; // [3, 5], variance 2/8
 * ```
 */
export const xavierNormal: Initializer = scaling("xavierNormal", { scale: 1, mode: "fanAvg", distribution: "normal" });

/**
 * Glorot (Xavier) uniform: variance 2/(fanIn + fanOut), uniform on ±√(6/(fanIn + fanOut)).
 * Keras's default kernel initializer.
 *
 * @example
 * ```ts
 * import { xavierUniform } from "@hone/init";
 * import { rng } from "@hone/tensor";
 * xavierUniform([4, 4], { rng: rng(0) }).size; // 16, every |w| < √(6/8)
 * ```
 */
export const xavierUniform: Initializer = scaling("xavierUniform", { scale: 1, mode: "fanAvg", distribution: "uniform" });

/** Options for `orthogonal`. */
export interface OrthogonalOptions {
  /** Multiplies the orthogonal matrix. Default 1 (use `gain("relu")` etc.). */
  gain?: number;
}

/**
 * A (semi-)orthogonal matrix (Saxe et al. 2014): the Q factor of a standard normal matrix
 * with R's diagonal made positive, times `gain`. The tensor is viewed as
 * `(shape[0], rest)`; rows are orthonormal when rows ≤ columns, else columns are. Draws
 * `rows·cols` normals, row-major, for the (max × min) matrix.
 *
 * @example
 * ```ts
 * import { orthogonal } from "@hone/init";
 * import { rng } from "@hone/tensor";
 * const w = orthogonal()([3, 3], { rng: rng(0) }); // w·wᵀ = I
 * ```
 */
export function orthogonal(options: OrthogonalOptions = {}): Initializer {
  const op = "orthogonal";
  const g = options.gain ?? 1;
  if (!Number.isFinite(g)) throw new ArgumentError(`orthogonal: gain must be finite, got ${describe(g)}`);
  return (shape, context) => {
    checkShape(op, shape);
    if (shape.length < 2) throw new ArgumentError(`orthogonal: needs a shape of rank ≥ 2, got [${shape.join(",")}]`);
    const rng = needRng(op, context);
    const rows = shape[0]!, cols = sizeOf(shape) / rows;
    const n = Math.max(rows, cols), k = Math.min(rows, cols);
    // A is n×k, column j at a[j*n ... ]: modified Gram–Schmidt, twice for stability.
    const a = new Float64Array(n * k);
    for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) a[j * n + i] = rng.randn();
    for (let pass = 0; pass < 2; pass++) {
      for (let j = 0; j < k; j++) {
        for (let p = 0; p < j; p++) {
          let dot = 0;
          for (let i = 0; i < n; i++) dot += a[p * n + i]! * a[j * n + i]!;
          for (let i = 0; i < n; i++) a[j * n + i] = a[j * n + i]! - dot * a[p * n + i]!;
        }
        let norm = 0;
        for (let i = 0; i < n; i++) norm += a[j * n + i]! ** 2;
        norm = Math.sqrt(norm);
        if (norm === 0) throw new ArgumentError("orthogonal: the random matrix is rank-deficient; draw again with another rng state");
        for (let i = 0; i < n; i++) a[j * n + i] = a[j * n + i]! / norm;
      }
    }
    return make(shape, checkDType(op, context?.dtype), (d) => {
      // rows ≥ cols: W[i][j] = Q[i][j]; rows < cols: W = Qᵀ.
      for (let r = 0; r < rows; r++) {
        for (let c = 0; c < cols; c++) d[r * cols + c] = g * (rows >= cols ? a[c * n + r]! : a[r * n + c]!);
      }
    });
  };
}

/** Activations `gain` knows. */
export type GainActivation = "linear" | "identity" | "sigmoid" | "tanh" | "relu" | "leakyRelu" | "selu";

/**
 * The recommended gain for an activation (PyTorch's `calculate_gain` values): linear and
 * sigmoid 1, tanh 5/3, relu √2, leakyRelu √(2/(1 + slope²)) (slope default 0.01), selu 3/4.
 *
 * @example
 * ```ts
 * import { gain } from "@hone/init";
 * gain("relu");            // 1.4142135623730951
 * gain("leakyRelu", 0.2);  // √(2/1.04)
 * ```
 */
export function gain(activation: GainActivation, slope = 0.01): number {
  switch (activation) {
    case "linear": case "identity": case "sigmoid": return 1;
    case "tanh": return 5 / 3;
    case "relu": return Math.SQRT2;
    case "leakyRelu":
      if (!Number.isFinite(slope)) throw new ArgumentError(`gain: slope must be finite, got ${describe(slope)}`);
      return Math.sqrt(2 / (1 + slope * slope));
    case "selu": return 3 / 4;
    default:
      throw new ArgumentError(`gain: activation must be one of linear, identity, sigmoid, tanh, relu, leakyRelu, selu, got ${describe(activation)}`);
  }
}
