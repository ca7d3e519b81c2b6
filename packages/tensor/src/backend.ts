// The kernel interface: everything above it (ops, autograd) is backend-agnostic, so a
// faster backend (WebAssembly SIMD) can replace the plain TypeScript one. Kernels read
// contiguous row-major buffers and write into a buffer the caller allocated.
import type { Shape } from "./shape.js";

/** The element types a Tensor can hold. `float64` is the default everywhere. */
export type DType = "float64" | "float32";

/** A tensor's storage. */
export type Data = Float64Array | Float32Array;

/** Element-wise functions of one argument (`alpha` is the slope or exponent where used). */
export type UnaryOp =
  | "neg" | "exp" | "log" | "sqrt" | "abs" | "sign" | "relu" | "sigmoid" | "tanh"
  | "leakyRelu" | "powScalar" | "square" | "reciprocal";

/**
 * Element-wise functions of two broadcast arguments; comparisons yield 1 or 0. The
 * `…Backward` ops are fused activation gradients of the upstream gradient `a` and the
 * forward input (relu) or output (sigmoid, tanh) `b`, each the exact value of its
 * unfused form: `a·[b > 0]`, `a·(b·(1 − b))`, `a·(1 − b²)` (with `b`'s rounding).
 */
export type BinaryOp =
  | "add" | "sub" | "mul" | "div" | "pow" | "maximum" | "minimum"
  | "eq" | "ne" | "lt" | "le" | "gt" | "ge"
  | "reluBackward" | "sigmoidBackward" | "tanhBackward";

/** Reductions over axes. */
export type ReduceOp = "sum" | "max" | "min";

/** The kernels a backend provides. */
export interface Backend {
  /** A short name (`"ts"`, `"wasm"`). */
  readonly name: string;
  /** `out[i] = op(a[i])`. */
  unary(op: UnaryOp, a: Data, out: Data, alpha: number): void;
  /** `out = op(a, b)` with NumPy broadcasting from `aShape`, `bShape` to `outShape`. */
  binary(op: BinaryOp, a: Data, aShape: Shape, b: Data, bShape: Shape, out: Data, outShape: Shape): void;
  /** Reduces `a` (of `shape`) over the sorted `axes` into `out` (the kept-dims size). */
  reduce(op: ReduceOp, a: Data, shape: Shape, axes: readonly number[], out: Data): void;
  /** Index of the largest (or smallest) element along `axis`, written as numbers to `out`. */
  argReduce(op: "argmax" | "argmin", a: Data, shape: Shape, axis: number, out: Data): void;
  /**
   * Batched matrix product. For each batch `i`: `out_i (m×n) = op(a_i) · op(b_i)` where
   * `op(a_i)` is `m×k` (stored `k×m` when `transA`) and `op(b_i)` is `k×n` (stored `n×k`
   * when `transB`). `aStride`/`bStride` are the batch strides (0 to reuse one matrix).
   */
  matmul(
    a: Data, b: Data, out: Data, batch: number, m: number, k: number, n: number,
    transA: boolean, transB: boolean, aStride: number, bStride: number,
  ): void;
  /**
   * A dense layer: `out (m×n) = act(x·wᵀ + bias)` with `x` m×k, `w` n×k and `bias` n values
   * or null; `relu` applies `v > 0 ? v : 0`. Exactly the product, then the bias added, then
   * the activation, each rounded as its own op.
   */
  linear(x: Data, w: Data, bias: Data | null, out: Data, m: number, k: number, n: number, relu: boolean): void;
  /**
   * Optional: a dense layer's backward pass in one call, with `g` the gradient of its m×n
   * output and, for a ReLU layer, `out` (its mask; null otherwise): gz = `out` ? g·[out > 0]
   * : g, then `dx` (m×k) = gz·w, `dw` (n×k) = gzᵀ·x and `db` (n) = Σ over rows of gz, each
   * written when its buffer is given. Exactly what `binary("reluBackward")`, `matmul` and
   * `reduce("sum")` give. Returns false, having written nothing, where it does not apply
   * (sizes, mixed types); the caller then composes those ops.
   */
  linearBackward?(
    g: Data, out: Data | null, x: Data, w: Data, dx: Data | null, dw: Data | null, db: Data | null, m: number, k: number, n: number,
  ): boolean;
  /** Permutes the axes of `a` (of `shape`) by `perm` into `out`. */
  transpose(a: Data, shape: Shape, perm: readonly number[], out: Data): void;
  /**
   * Adam's step over one parameter's buffers, in place, all of one type (the parameter's:
   * optimizer state is kept in the parameter's dtype, as PyTorch keeps it). With `u` holding
   * the gradient g on entry, `v = β1·v + (1 − β1)·g`, `s = β2·s + (1 − β2)·(g·g)`, then
   * float64: `u = (rate·(v/c1)) / (√(s/c2) + ε)`, numpy's order;
   * float32: `u = ((rate/c1)·v) / (√s/√c2 + ε)`, PyTorch's order, every operation rounded to
   * float32 (the constants too: β1, 1 − β1, β2, 1 − β2, rate/c1, √c2, ε). With `p` (the
   * parameters, of the same type), the update is applied in the same pass instead of
   * written: `p = p − u`, exactly as `applyUpdate` would, and `u` keeps the gradient.
   */
  adam(u: Data, v: Data, s: Data, b1: number, b2: number, c1: number, c2: number, eps: number, rate: number, p?: Data): void;
  /** The course's momentum, in place: `v = β·v + (1 − β)·u`, then `u = v` (float32: each operation rounded to float32). */
  ema(u: Data, v: Data, b: number): void;
  /** RMSprop's step, in place: with `u` holding g, `s = β·s + (1 − β)·(g·g)`, `u = (rate·g)/(√s + ε)` (float32: each operation rounded to float32). */
  rms(u: Data, s: Data, b: number, eps: number, rate: number): void;
  /**
   * `p = p − u`. A float64 `u` may update float32 parameters (the difference in float64,
   * rounded once); a float32 `u` updates float32 parameters only (a float32 difference).
   */
  applyUpdate(p: Data, u: Data): void;
  /** `out = cond ? a : b` with broadcasting (cond is nonzero for true). */
  where(cond: Data, cShape: Shape, a: Data, aShape: Shape, b: Data, bShape: Shape, out: Data, outShape: Shape): void;
}
