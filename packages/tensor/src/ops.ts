// Every op as a function (methods on Tensor call these). Primitives carry one backward
// rule each, in the table `rules` below; derived ops (softmax, mean, clip, …) are
// composed from primitives and get their gradients for free.
import type { BinaryOp, DType, ReduceOp, UnaryOp } from "./backend.js";
import { allocate, empty, full, onesLike as onesLikeImpl } from "./creation.js";
import { ArgumentError, DTypeError, ShapeError, describe } from "./errors.js";
import {
  broadcastShapes, formatShape, normalizeAxes, reducedShape, sameShape, sizeOf, stridesOf, type Shape,
} from "./shape.js";
import { Tensor, getBackend, record, type BackwardRule } from "./tensor.js";

/** A tensor or a plain number (broadcast as a scalar of the tensor's dtype). */
export type TensorLike = Tensor | number;

export const onesLike: (t: Tensor) => Tensor = onesLikeImpl;

// ---------------------------------------------------------------------------------------
// Helpers.

function scalarLike(v: number, dtype: DType): Tensor {
  const data = allocate(1, dtype);
  data[0] = v;
  return new Tensor(data, []);
}

function operand(op: string, name: string, x: unknown, dtype: DType): Tensor {
  if (x instanceof Tensor) return x;
  if (typeof x === "number") return scalarLike(x, dtype);
  throw new ArgumentError(`${op}: ${name} must be a Tensor or a number, got ${describe(x)}`);
}

function pair(op: string, a: TensorLike, b: TensorLike): [Tensor, Tensor] {
  if (a instanceof Tensor) return [a, operand(op, "b", b, a.dtype)];
  if (b instanceof Tensor) return [operand(op, "a", a, b.dtype), b];
  throw new ArgumentError(`${op}: at least one argument must be a Tensor, got ${describe(a)} and ${describe(b)}`);
}

function tensorArg(op: string, name: string, x: unknown): Tensor {
  if (!(x instanceof Tensor)) throw new ArgumentError(`${op}: ${name} must be a Tensor, got ${describe(x)}`);
  return x;
}

/** float64 unless both operands are float32. */
function resultType(a: Tensor, b: Tensor): DType {
  return a.dtype === "float32" && b.dtype === "float32" ? "float32" : "float64";
}

function unaryKernel(op: UnaryOp, x: Tensor, alpha = 0): Tensor {
  const out = empty(x.shape, x.dtype);
  getBackend().unary(op, x.data, out.data, alpha);
  return out;
}

function binaryKernel(op: BinaryOp, name: string, a: Tensor, b: Tensor): Tensor {
  const shape = sameShape(a.shape, b.shape) ? a.shape : broadcastShapes(name, a.shape, b.shape);
  const out = empty(shape, resultType(a, b));
  getBackend().binary(op, a.data, a.shape, b.data, b.shape, out.data, shape);
  return out;
}

/** Sums a broadcast gradient back down to `shape` (the inverse of broadcasting). */
export function sumTo(g: Tensor, shape: Shape): Tensor {
  if (sameShape(g.shape, shape)) return g;
  const lead = g.rank - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < g.rank; i++) {
    if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) axes.push(i);
  }
  // Recorded like `sum`, so sumTo is differentiable when called on a tracked tensor.
  const summed = record(reduceKernel("sum", g, axes, true), "sum", [g], rules.sum, { axes, keepDims: true });
  return reshape(summed, shape);
}

function reduceKernel(op: ReduceOp, x: Tensor, axes: readonly number[], keepDims: boolean): Tensor {
  const out = empty(reducedShape(x.shape, axes, keepDims), x.dtype);
  getBackend().reduce(op, x.data, x.shape, axes, out.data);
  return out;
}

// ---------------------------------------------------------------------------------------
// The backward rules of the primitives, one short entry each. `g` is the gradient of the
// output; results are summed over broadcast axes with `sumTo`.

type Attrs = { axes: number[]; keepDims: boolean };
/** Whether an input takes a gradient: the engine drops the others, so rules skip computing them (null). */
const needs = (x: Tensor | undefined): boolean => x!.requiresGrad;
const rules = {
  add: ((g, [a, b]) => [needs(a) ? sumTo(g, a!.shape) : null, needs(b) ? sumTo(g, b!.shape) : null]) as BackwardRule,
  sub: ((g, [a, b]) => [needs(a) ? sumTo(g, a!.shape) : null, needs(b) ? sumTo(neg(g), b!.shape) : null]) as BackwardRule,
  mul: ((g, [a, b]) => [needs(a) ? sumTo(mul(g, b!), a!.shape) : null, needs(b) ? sumTo(mul(g, a!), b!.shape) : null]) as BackwardRule,
  div: ((g, [a, b], out) => [
    needs(a) ? sumTo(div(g, b!), a!.shape) : null,
    needs(b) ? sumTo(neg(div(mul(g, out), b!)), b!.shape) : null,
  ]) as BackwardRule,
  pow: ((g, [a, b], out) => [
    needs(a) ? sumTo(mul(g, mul(b!, pow(a!, sub(b!, 1)))), a!.shape) : null,
    needs(b) ? sumTo(mul(g, mul(out, log(a!))), b!.shape) : null,
  ]) as BackwardRule,
  // d/dx x⁰ = 0 everywhere (x⁻¹·0 would be NaN at x = 0).
  powScalar: ((g, [a], _out, p) => [p === 0 ? full(a!.shape, 0, { dtype: g.dtype }) : mul(g, mul(pow(a!, p - 1), p))]) as BackwardRule<number>,
  maximum: ((g, [a, b]) => {
    const m = binaryKernel("ge", "maximum", a!, b!);
    return [needs(a) ? sumTo(mul(g, m), a!.shape) : null, needs(b) ? sumTo(mul(g, sub(1, m)), b!.shape) : null];
  }) as BackwardRule,
  minimum: ((g, [a, b]) => {
    const m = binaryKernel("le", "minimum", a!, b!);
    return [needs(a) ? sumTo(mul(g, m), a!.shape) : null, needs(b) ? sumTo(mul(g, sub(1, m)), b!.shape) : null];
  }) as BackwardRule,
  neg: ((g) => [neg(g)]) as BackwardRule,
  exp: ((g, _x, out) => [mul(g, out)]) as BackwardRule,
  log: ((g, [a]) => [div(g, a!)]) as BackwardRule,
  sqrt: ((g, _x, out) => [div(g, mul(out, 2))]) as BackwardRule,
  square: ((g, [a]) => [mul(g, mul(a!, 2))]) as BackwardRule,
  abs: ((g, [a]) => [mul(g, sign(a!))]) as BackwardRule,
  // Fused: g·[a > 0], g·(out·(1 − out)) and g·(1 − out²) in one pass each, the same values.
  relu: ((g, [a]) => [binaryKernel("reluBackward", "relu", g, a!)]) as BackwardRule,
  leakyRelu: ((g, [a], _out, alpha) => {
    const slope = unaryKernel("leakyRelu", binaryKernel("gt", "leakyRelu", a!, scalarLike(0, a!.dtype)), 1);
    // slope is 1 where a > 0; map the zeros to alpha.
    return [mul(g, add(mul(slope, 1 - alpha), alpha))];
  }) as BackwardRule<number>,
  sigmoid: ((g, _x, out) => [binaryKernel("sigmoidBackward", "sigmoid", g, out)]) as BackwardRule,
  tanh: ((g, _x, out) => [binaryKernel("tanhBackward", "tanh", g, out)]) as BackwardRule,
  cast: ((g, [a]) => [cast(g, a!.dtype)]) as BackwardRule,
  sum: ((g, [a], _out, { axes, keepDims }) => [broadcastTo(keepDims ? g : reshape(g, reducedShape(a!.shape, axes, true)), a!.shape)]) as BackwardRule<Attrs>,
  extremum: ((g, [a], out, { axes, keepDims }) => {
    // Ties share the gradient equally, so the rule is the derivative of the mean of the tied maxima.
    const keep = reducedShape(a!.shape, axes, true);
    const hit = binaryKernel("eq", "max", a!, keepDims ? out : reshape(out, keep));
    const count = reduceKernel("sum", hit, axes, true);
    return [mul(div(hit, count), keepDims ? g : reshape(g, keep))];
  }) as BackwardRule<Attrs>,
  // d logSumExp = softmax · g, with softmax from the shifted log-softmax (exp(a − out) would
  // carry out's rounding, which grows with |a|).
  logSumExp: ((g, [a], _out, { axes, keepDims }) => {
    const keep = reducedShape(a!.shape, axes, true);
    return [mul(exp(logSoftmaxOver(a!, axes)), keepDims ? g : reshape(g, keep))];
  }) as BackwardRule<Attrs>,
  // d logSoftmax: g − softmax · Σ g over the axes.
  logSoftmax: ((g, _x, out, { axes }) => [sub(g, mul(exp(out), sum(g, axes, true)))]) as BackwardRule<Attrs>,
  reshape: ((g, [a]) => [reshape(g, a!.shape)]) as BackwardRule,
  broadcastTo: ((g, [a]) => [sumTo(g, a!.shape)]) as BackwardRule,
  transpose: ((g, _x, _out, perm) => [transpose(g, inversePermutation(perm))]) as BackwardRule<number[]>,
  matmul: ((g, [a, b], _out, { transA, transB }) => {
    const ga = !needs(a) ? null : transA ? matmul(b!, g, { transposeA: transB, transposeB: true }) : matmul(g, b!, { transposeB: !transB });
    const gb = !needs(b) ? null : transB ? matmul(g, a!, { transposeA: true, transposeB: transA }) : matmul(a!, g, { transposeA: !transA });
    return [ga && sumTo(ga, a!.shape), gb && sumTo(gb, b!.shape)];
  }) as BackwardRule<{ transA: boolean; transB: boolean }>,
  linear: ((g, [x, w, b], out, activation) => {
    const backend = getBackend();
    if (backend.linearBackward !== undefined && g.dtype === x!.dtype && g.dtype === w!.dtype) {
      // One kernel call where the backend has it (the same values as the ops below).
      const [m, k] = x!.shape as [number, number];
      const n = w!.shape[0]!;
      const dx = needs(x) ? empty([m, k], g.dtype) : null, dw = needs(w) ? empty([n, k], g.dtype) : null;
      const db = b !== undefined && needs(b) ? empty([n], g.dtype) : null;
      if (backend.linearBackward(g.data, activation === "relu" ? out.data : null, x!.data, w!.data, dx?.data ?? null, dw?.data ?? null, db?.data ?? null, m, k, n)) {
        return [dx, dw, db];
      }
    }
    // relu(z) > 0 exactly where z > 0, so the output carries the mask.
    const gz = activation === "relu" ? binaryKernel("reluBackward", "linear", g, out) : g;
    return [
      needs(x) ? matmul(gz, w!) : null,
      needs(w) ? matmul(gz, x!, { transposeA: true }) : null,
      b !== undefined && needs(b) ? sum(gz, 0) : null,
    ];
  }) as BackwardRule<LinearActivation>,
  where: ((g, [c, a, b]) => {
    const z = scalarLike(0, g.dtype);
    return [null, needs(a) ? sumTo(where(c!, g, z), a!.shape) : null, needs(b) ? sumTo(where(c!, z, g), b!.shape) : null];
  }) as BackwardRule,
  slice: ((g, [a], _out, { starts }) => [padInto(g, a!.shape, starts)]) as BackwardRule<{ starts: number[] }>,
  concat: ((g, inputs, _out, axis) => {
    let start = 0;
    return inputs.map((x) => {
      const starts = x.shape.map(() => 0);
      starts[axis] = start;
      start += x.shape[axis]!;
      return slice(g, starts, x.shape.map((d, i) => starts[i]! + d));
    });
  }) as BackwardRule<number>,
  gatherRows: ((g, [a], _out, idx) => [scatterAddRows(full(a!.shape, 0, { dtype: g.dtype }), idx, g)]) as BackwardRule<Int32Array>,
  scatterAddRows: ((g, [a, src], _out, idx) => [needs(a) ? g : null, needs(src) ? gatherRows(g, idx) : null]) as BackwardRule<Int32Array>,
};

// ---------------------------------------------------------------------------------------
// Element-wise arithmetic (broadcasting).

/**
 * Element-wise `a + b` with NumPy broadcasting; numbers act as scalars.
 *
 * @example
 * ```ts
 * import { add, tensor } from "@hone/tensor";
 * add(tensor([[1, 2], [3, 4]]), tensor([10, 20])).toArray(); // [[11, 22], [13, 24]]
 * ```
 */
export function add(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = pair("add", a, b);
  return record(binaryKernel("add", "add", x, y), "add", [x, y], rules.add);
}

/** Element-wise `a − b`. @example `sub(tensor([3]), 1).item() // 2` */
export function sub(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = pair("sub", a, b);
  return record(binaryKernel("sub", "sub", x, y), "sub", [x, y], rules.sub);
}

/** Element-wise `a · b`. @example `mul(tensor([2, 3]), 2).toArray() // [4, 6]` */
export function mul(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = pair("mul", a, b);
  return record(binaryKernel("mul", "mul", x, y), "mul", [x, y], rules.mul);
}

/** Element-wise `a / b`. @example `div(tensor([1, 2]), 2).toArray() // [0.5, 1]` */
export function div(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = pair("div", a, b);
  return record(binaryKernel("div", "div", x, y), "div", [x, y], rules.div);
}

/**
 * Element-wise power. A number exponent uses a single-input kernel; a tensor exponent is
 * differentiable too (its gradient is `out·log(a)`, defined for `a > 0`).
 *
 * @example
 * ```ts
 * import { pow, tensor } from "@hone/tensor";
 * pow(tensor([2, 3]), 2).toArray(); // [4, 9]
 * ```
 */
export function pow(a: TensorLike, exponent: TensorLike): Tensor {
  if (a instanceof Tensor && typeof exponent === "number") {
    if (exponent === 2) return square(a);
    return record(unaryKernel("powScalar", a, exponent), "pow", [a], rules.powScalar, exponent);
  }
  const [x, y] = pair("pow", a, exponent);
  return record(binaryKernel("pow", "pow", x, y), "pow", [x, y], rules.pow);
}

/** Element-wise larger of two values (the gradient goes to `a` at ties). @example `maximum(tensor([1, 5]), 3).toArray() // [3, 5]` */
export function maximum(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = pair("maximum", a, b);
  return record(binaryKernel("maximum", "maximum", x, y), "maximum", [x, y], rules.maximum);
}

/** Element-wise smaller of two values (the gradient goes to `a` at ties). @example `minimum(tensor([1, 5]), 3).toArray() // [1, 3]` */
export function minimum(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = pair("minimum", a, b);
  return record(binaryKernel("minimum", "minimum", x, y), "minimum", [x, y], rules.minimum);
}

/** Limits every element to `[lo, hi]`. @example `clip(tensor([-2, 0.5, 9]), 0, 1).toArray() // [0, 0.5, 1]` */
export function clip(x: Tensor, lo: number, hi: number): Tensor {
  if (!(lo <= hi)) throw new ArgumentError(`clip: lo must be ≤ hi, got lo=${lo}, hi=${hi}`);
  return minimum(maximum(tensorArg("clip", "x", x), lo), hi);
}

function unaryOp(name: string, op: UnaryOp, x: Tensor, rule: BackwardRule): Tensor {
  tensorArg(name, "x", x);
  return record(unaryKernel(op, x), name, [x], rule);
}

/** `−x`. @example `neg(tensor([1, -2])).toArray() // [-1, 2]` */
export function neg(x: Tensor): Tensor { return unaryOp("neg", "neg", x, rules.neg); }
/** `eˣ`. @example `exp(tensor([0])).item() // 1` */
export function exp(x: Tensor): Tensor { return unaryOp("exp", "exp", x, rules.exp); }
/** Natural logarithm (−∞ at 0, NaN below). @example `log(tensor([1])).item() // 0` */
export function log(x: Tensor): Tensor { return unaryOp("log", "log", x, rules.log); }
/** Square root. @example `sqrt(tensor([4])).item() // 2` */
export function sqrt(x: Tensor): Tensor { return unaryOp("sqrt", "sqrt", x, rules.sqrt); }
/** `x²`. @example `square(tensor([3])).item() // 9` */
export function square(x: Tensor): Tensor { return unaryOp("square", "square", x, rules.square); }
/** `|x|` (gradient `sign(x)`, 0 at 0). @example `abs(tensor([-3])).item() // 3` */
export function abs(x: Tensor): Tensor { return unaryOp("abs", "abs", x, rules.abs); }
/** `max(x, 0)` (gradient 0 at 0). @example `relu(tensor([-1, 2])).toArray() // [0, 2]` */
export function relu(x: Tensor): Tensor { return unaryOp("relu", "relu", x, rules.relu); }
/** `1/(1+e⁻ˣ)`, computed without overflow on either tail. @example `sigmoid(tensor([0])).item() // 0.5` */
export function sigmoid(x: Tensor): Tensor { return unaryOp("sigmoid", "sigmoid", x, rules.sigmoid); }
/** Hyperbolic tangent. @example `tanh(tensor([0])).item() // 0` */
export function tanh(x: Tensor): Tensor { return unaryOp("tanh", "tanh", x, rules.tanh); }

/** Sign of each element (−1, 0, 1); not differentiable (no gradient flows). @example `sign(tensor([-2, 0, 3])).toArray() // [-1, 0, 1]` */
export function sign(x: Tensor): Tensor {
  return unaryKernel("sign", tensorArg("sign", "x", x));
}

/**
 * `x` where `x > 0`, else `alpha·x`.
 *
 * @example
 * ```ts
 * import { leakyRelu, tensor } from "@hone/tensor";
 * leakyRelu(tensor([-10, 5]), 0.1).toArray(); // [-1, 5]
 * ```
 */
export function leakyRelu(x: Tensor, alpha = 0.01): Tensor {
  tensorArg("leakyRelu", "x", x);
  if (!Number.isFinite(alpha)) throw new ArgumentError(`leakyRelu: alpha must be finite, got ${alpha}`);
  return record(unaryKernel("leakyRelu", x, alpha), "leakyRelu", [x], rules.leakyRelu, alpha);
}

/** Converts to `dtype` (returns `x` itself when it already has it). @example `cast(tensor([1]), "float32").dtype // "float32"` */
export function cast(x: Tensor, dtype: DType): Tensor {
  tensorArg("cast", "x", x);
  if (dtype !== "float32" && dtype !== "float64") throw new DTypeError(`cast: dtype must be "float64" or "float32", got ${describe(dtype)}`);
  if (x.dtype === dtype) return x;
  const data = allocate(x.size, dtype);
  data.set(x.data);
  return record(new Tensor(data, x.shape), "cast", [x], rules.cast);
}

// ---------------------------------------------------------------------------------------
// Comparisons and selection (not differentiable in the condition).

function compare(op: BinaryOp, a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = pair(op, a, b);
  return binaryKernel(op, op, x, y);
}

/** 1 where `a = b`, else 0. @example `equal(tensor([1, 2]), 2).toArray() // [0, 1]` */
export function equal(a: TensorLike, b: TensorLike): Tensor { return compare("eq", a, b); }
/** 1 where `a ≠ b`, else 0. */
export function notEqual(a: TensorLike, b: TensorLike): Tensor { return compare("ne", a, b); }
/** 1 where `a < b`, else 0. */
export function less(a: TensorLike, b: TensorLike): Tensor { return compare("lt", a, b); }
/** 1 where `a ≤ b`, else 0. */
export function lessEqual(a: TensorLike, b: TensorLike): Tensor { return compare("le", a, b); }
/** 1 where `a > b`, else 0. @example `greater(tensor([0.2, 0.7]), 0.5).toArray() // [0, 1]` */
export function greater(a: TensorLike, b: TensorLike): Tensor { return compare("gt", a, b); }
/** 1 where `a ≥ b`, else 0. */
export function greaterEqual(a: TensorLike, b: TensorLike): Tensor { return compare("ge", a, b); }

/**
 * `a` where `condition` is nonzero, else `b`, broadcasting all three.
 *
 * @example
 * ```ts
 * import { where, tensor, greater } from "@hone/tensor";
 * const x = tensor([-1, 2]);
 * where(greater(x, 0), x, 0).toArray(); // [0, 2]
 * ```
 */
export function where(condition: Tensor, a: TensorLike, b: TensorLike): Tensor {
  tensorArg("where", "condition", condition);
  const [x, y] = pair("where", a, b);
  const shape = broadcastShapes("where", condition.shape, broadcastShapes("where", x.shape, y.shape));
  const out = empty(shape, resultType(x, y));
  getBackend().where(condition.data, condition.shape, x.data, x.shape, y.data, y.shape, out.data, shape);
  return record(out, "where", [condition, x, y], rules.where);
}

// ---------------------------------------------------------------------------------------
// Reductions.

/** Which axes to reduce: one, several, or all (undefined). */
export type Axis = number | readonly number[] | undefined;

function reduction(name: string, op: ReduceOp, x: Tensor, axis: Axis, keepDims: boolean, rule: BackwardRule<Attrs>): Tensor {
  tensorArg(name, "x", x);
  const axes = normalizeAxes(name, axis, x.rank);
  if (op !== "sum" && x.size === 0) throw new ShapeError(`${name}: cannot reduce an empty tensor of shape ${formatShape(x.shape)}`);
  return record(reduceKernel(op, x, axes, keepDims), name, [x], rule, { axes, keepDims });
}

/**
 * Sum over `axis` (all axes by default), dropping the reduced axes unless `keepDims`.
 *
 * @example
 * ```ts
 * import { sum, tensor } from "@hone/tensor";
 * const x = tensor([[1, 2], [3, 4]]);
 * sum(x).item();                 // 10
 * sum(x, 0).toArray();           // [4, 6]
 * sum(x, 1, true).toArray();     // [[3], [7]]
 * ```
 */
export function sum(x: Tensor, axis?: Axis, keepDims = false): Tensor {
  return reduction("sum", "sum", x, axis, keepDims, rules.sum);
}

/** Largest element over `axis` (ties share the gradient). @example `max(tensor([[1, 5], [7, 2]]), 1).toArray() // [5, 7]` */
export function max(x: Tensor, axis?: Axis, keepDims = false): Tensor {
  return reduction("max", "max", x, axis, keepDims, rules.extremum);
}

/** Smallest element over `axis` (ties share the gradient). @example `min(tensor([3, 1, 2])).item() // 1` */
export function min(x: Tensor, axis?: Axis, keepDims = false): Tensor {
  return reduction("min", "min", x, axis, keepDims, rules.extremum);
}

function countOf(x: Tensor, axis: Axis, op: string): number {
  const axes = normalizeAxes(op, axis, x.rank);
  let n = 1;
  for (const a of axes) n *= x.shape[a]!;
  if (n === 0) throw new ShapeError(`${op}: cannot average over an empty axis of shape ${formatShape(x.shape)}`);
  return n;
}

/** Mean over `axis`. @example `mean(tensor([1, 2, 3, 6])).item() // 3` */
export function mean(x: Tensor, axis?: Axis, keepDims = false): Tensor {
  const n = countOf(tensorArg("mean", "x", x), axis, "mean");
  return div(sum(x, axis, keepDims), n);
}

/**
 * Variance over `axis`: the mean squared deviation (NumPy's default, `ddof = 0`); pass
 * `correction: 1` for the unbiased sample variance.
 *
 * @example
 * ```ts
 * import { variance, tensor } from "@hone/tensor";
 * variance(tensor([1, 2, 3, 4])).item(); // 1.25
 * ```
 */
export function variance(x: Tensor, axis?: Axis, options: { keepDims?: boolean; correction?: number } = {}): Tensor {
  const n = countOf(tensorArg("variance", "x", x), axis, "variance");
  const correction = options.correction ?? 0;
  if (!(correction >= 0 && correction < n)) throw new ArgumentError(`variance: correction must be in [0, ${n}), got ${correction}`);
  const d = sub(x, mean(x, axis, true));
  return div(sum(square(d), axis, options.keepDims ?? false), n - correction);
}

/**
 * Euclidean (L2, Frobenius) norm over `axis`: `sqrt(Σ x²)`. Its gradient is undefined at
 * the zero vector.
 *
 * @example
 * ```ts
 * import { norm, tensor } from "@hone/tensor";
 * norm(tensor([3, 4])).item(); // 5
 * ```
 */
export function norm(x: Tensor, axis?: Axis, keepDims = false): Tensor {
  normalizeAxes("norm", axis, tensorArg("norm", "x", x).rank);
  return sqrt(sum(square(x), axis, keepDims));
}

function argReduce(name: "argmax" | "argmin", x: Tensor, axis?: number): Tensor {
  tensorArg(name, "x", x);
  if (x.size === 0) throw new ShapeError(`${name}: empty tensor of shape ${formatShape(x.shape)}`);
  if (axis === undefined) {
    const out = empty([], "float64");
    getBackend().argReduce(name, x.data, [x.size], 0, out.data);
    return out;
  }
  const [ax] = normalizeAxes(name, axis, x.rank);
  const out = empty(reducedShape(x.shape, [ax!], false), "float64");
  getBackend().argReduce(name, x.data, x.shape, ax!, out.data);
  return out;
}

/** Index of the largest element along `axis` (of the flattened tensor by default); first wins at ties. @example `argmax(tensor([[1, 9], [8, 2]]), 1).toArray() // [1, 0]` */
export function argmax(x: Tensor, axis?: number): Tensor { return argReduce("argmax", x, axis); }
/** Index of the smallest element along `axis`. @example `argmin(tensor([3, 1, 2])).item() // 1` */
export function argmin(x: Tensor, axis?: number): Tensor { return argReduce("argmin", x, axis); }

/**
 * `log Σ exp(x)` over `axis`, computed stably by shifting by the maximum.
 *
 * @example
 * ```ts
 * import { logSumExp, tensor } from "@hone/tensor";
 * logSumExp(tensor([1000, 1000])).item(); // 1000 + ln 2
 * ```
 */
export function logSumExp(x: Tensor, axis?: Axis, keepDims = false): Tensor {
  tensorArg("logSumExp", "x", x);
  const axes = normalizeAxes("logSumExp", axis, x.rank);
  const m = reduceKernel("max", x, axes, true);
  // An all −∞ slice has no finite maximum; shift it by 0 so the result is −∞, not NaN.
  for (let i = 0; i < m.size; i++) if (!Number.isFinite(m.data[i]!)) m.data[i] = 0;
  const s = reduceKernel("sum", unaryKernel("exp", binaryKernel("sub", "logSumExp", x, m)), axes, true);
  const out = unaryKernel("log", s);
  for (let i = 0; i < out.size; i++) out.data[i] = out.data[i]! + m.data[i]!;
  const result = keepDims ? out : new Tensor(out.data, reducedShape(x.shape, axes, false));
  return record(result, "logSumExp", [x], rules.logSumExp, { axes, keepDims });
}

/** Softmax along `axis` (default last): `exp(x − logSumExp(x))`, stable for large inputs. @example `softmax(tensor([0, 0])).toArray() // [0.5, 0.5]` */
export function softmax(x: Tensor, axis = -1): Tensor {
  normalizeAxes("softmax", axis, tensorArg("softmax", "x", x).rank);
  return exp(logSoftmax(x, axis));
}

/**
 * Log-softmax along `axis` (default last): `(x − max) − log Σ exp(x − max)`. Subtracting the
 * maximum first keeps it exact to rounding whatever the logits' size (`x − logSumExp(x)`
 * would lose the digits `logSumExp` rounds away: 4e-8 relative at logits near 1e9).
 *
 * @example `logSoftmax(tensor([0, 0])).toArray() // [-ln 2, -ln 2]`
 */
export function logSoftmax(x: Tensor, axis = -1): Tensor {
  const axes = normalizeAxes("logSoftmax", axis, tensorArg("logSoftmax", "x", x).rank);
  return logSoftmaxOver(x, axes);
}

/** Log-softmax over `axes` (normalized), recorded with its own backward rule. */
function logSoftmaxOver(x: Tensor, axes: number[]): Tensor {
  const m = reduceKernel("max", x, axes, true);
  // An all −∞ slice has no finite maximum; shift it by 0 (its entries stay −∞ − log 0 = NaN, as the maths says).
  for (let i = 0; i < m.size; i++) if (!Number.isFinite(m.data[i]!)) m.data[i] = 0;
  const shifted = binaryKernel("sub", "logSoftmax", x, m);
  const logSum = unaryKernel("log", reduceKernel("sum", unaryKernel("exp", shifted), axes, true));
  const out = binaryKernel("sub", "logSoftmax", shifted, logSum);
  return record(out, "logSoftmax", [x], rules.logSoftmax, { axes, keepDims: true });
}

// ---------------------------------------------------------------------------------------
// Shape and data movement.

/**
 * The same elements with a new shape (one axis may be −1 to infer it). Shares the buffer.
 *
 * @example
 * ```ts
 * import { reshape, arange } from "@hone/tensor";
 * reshape(arange(0, 6), [2, -1]).shape; // [2, 3]
 * ```
 */
export function reshape(x: Tensor, shape: Shape): Tensor {
  tensorArg("reshape", "x", x);
  let infer = -1, known = 1;
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i]!;
    if (d === -1 && infer < 0) infer = i;
    else if (!Number.isInteger(d) || d < 0) throw new ArgumentError(`reshape: shape must hold non-negative integers and at most one -1, got ${describe(shape)}`);
    else known *= d;
  }
  let target: Shape = shape;
  if (infer >= 0) {
    if (known === 0 || x.size % known !== 0) throw new ShapeError(`reshape: cannot reshape ${formatShape(x.shape)} (${x.size} elements) to ${formatShape(shape)}`);
    const t = shape.slice();
    t[infer] = x.size / known;
    target = t;
  } else if (known !== x.size) {
    throw new ShapeError(`reshape: cannot reshape ${formatShape(x.shape)} (${x.size} elements) to ${formatShape(shape)} (${known} elements)`);
  }
  if (sameShape(target, x.shape)) return x;
  return record(new Tensor(x.data, target.slice()), "reshape", [x], rules.reshape);
}

/** Broadcasts `x` to `shape` (copying), as binary ops do implicitly. @example `broadcastTo(tensor([1, 2]), [2, 2]).toArray() // [[1, 2], [1, 2]]` */
export function broadcastTo(x: Tensor, shape: Shape): Tensor {
  tensorArg("broadcastTo", "x", x);
  if (sameShape(x.shape, shape)) return x;
  const target = broadcastShapes("broadcastTo", x.shape, shape);
  if (!sameShape(target, shape)) throw new ShapeError(`broadcastTo: cannot broadcast ${formatShape(x.shape)} to ${formatShape(shape)}`);
  const out = empty(target, x.dtype);
  getBackend().binary("add", x.data, x.shape, allocate(1, x.dtype), [], out.data, target);
  return record(out, "broadcastTo", [x], rules.broadcastTo);
}

function inversePermutation(perm: readonly number[]): number[] {
  const inv = new Array<number>(perm.length);
  for (let i = 0; i < perm.length; i++) inv[perm[i]!] = i;
  return inv;
}

/**
 * Permutes axes (reverses them by default: the matrix transpose for 2-D).
 *
 * @example
 * ```ts
 * import { transpose, tensor } from "@hone/tensor";
 * transpose(tensor([[1, 2, 3]])).toArray(); // [[1], [2], [3]]
 * ```
 */
export function transpose(x: Tensor, perm?: readonly number[]): Tensor {
  tensorArg("transpose", "x", x);
  const p = perm ?? x.shape.map((_, i) => x.rank - 1 - i);
  const normalized: number[] = [];
  const seen = new Array<boolean>(x.rank).fill(false);
  let valid = Array.isArray(p) && p.length === x.rank;
  for (let i = 0; valid && i < x.rank; i++) {
    const a = p[i]!, k = a < 0 ? a + x.rank : a;
    valid = Number.isInteger(k) && k >= 0 && k < x.rank && !seen[k];
    seen[k] = true;
    normalized.push(k);
  }
  if (!valid) {
    throw new ArgumentError(`transpose: perm must be a permutation of 0..${x.rank - 1} (negative entries count from the end), got ${describe(perm)} for shape ${formatShape(x.shape)}`);
  }
  const out = empty(normalized.map((a) => x.shape[a]!), x.dtype);
  getBackend().transpose(x.data, x.shape, normalized, out.data);
  return record(out, "transpose", [x], rules.transpose, normalized);
}

/** Options for `matmul`. */
export interface MatmulOptions {
  /** Use the transpose of `a`'s last two axes, without copying. Default `false`. */
  transposeA?: boolean;
  /** Use the transpose of `b`'s last two axes, without copying. Default `false`. */
  transposeB?: boolean;
}

/**
 * Matrix product of the last two axes, batched over leading axes (which broadcast).
 * `y = x·Wᵀ` is `matmul(x, w, { transposeB: true })`.
 *
 * @example
 * ```ts
 * import { matmul, tensor } from "@hone/tensor";
 * matmul(tensor([[1, 2]]), tensor([[3], [4]])).toArray(); // [[11]]
 * ```
 */
export function matmul(a: Tensor, b: Tensor, options: MatmulOptions = {}): Tensor {
  tensorArg("matmul", "a", a);
  tensorArg("matmul", "b", b);
  const transA = options.transposeA ?? false, transB = options.transposeB ?? false;
  if (a.rank < 2 || b.rank < 2) {
    throw new ShapeError(`matmul: both operands need at least 2 axes, got a ${formatShape(a.shape)} and b ${formatShape(b.shape)} (reshape vectors to [1,n] or [n,1])`);
  }
  const ar = a.rank, br = b.rank;
  const m = transA ? a.shape[ar - 1]! : a.shape[ar - 2]!;
  const k = transA ? a.shape[ar - 2]! : a.shape[ar - 1]!;
  const k2 = transB ? b.shape[br - 1]! : b.shape[br - 2]!;
  const n = transB ? b.shape[br - 2]! : b.shape[br - 1]!;
  if (k !== k2) {
    const ta = transA ? "ᵀ" : "", tb = transB ? "ᵀ" : "";
    throw new ShapeError(`matmul: a${ta} ${formatShape(a.shape)} · b${tb} ${formatShape(b.shape)}: inner dims ${k} ≠ ${k2}`);
  }
  const aBatch = a.shape.slice(0, ar - 2), bBatch = b.shape.slice(0, br - 2);
  const batchShape = broadcastShapes("matmul (batch axes)", aBatch, bBatch);
  const batch = sizeOf(batchShape);
  let ad = a, bd = b;
  // Broadcast batch axes by materializing only when the two batch shapes differ.
  if (sizeOf(aBatch) !== batch && sizeOf(aBatch) !== 1) ad = broadcastTo(a, [...batchShape, ...a.shape.slice(ar - 2)]).detach();
  if (sizeOf(bBatch) !== batch && sizeOf(bBatch) !== 1) bd = broadcastTo(b, [...batchShape, ...b.shape.slice(br - 2)]).detach();
  const out = empty([...batchShape, m, n], resultType(a, b));
  const aStride = sizeOf(aBatch) === 1 && batch > 1 ? 0 : m * k;
  const bStride = sizeOf(bBatch) === 1 && batch > 1 ? 0 : k * n;
  getBackend().matmul(ad.data, bd.data, out.data, batch, m, k, n, transA, transB, aStride, bStride);
  return record(out, "matmul", [a, b], rules.matmul, { transA, transB });
}

/** The activation `linear` can fuse. */
export type LinearActivation = "none" | "relu";

/**
 * A dense layer in one op: `act(x·Wᵀ + b)` with `x` of shape `(m, in)`, `W` of shape
 * `(out, in)` and `b` of shape `(out)`. It computes exactly what `relu(add(matmul(x, W,
 * { transposeB: true }), b))` computes, bit for bit, with one output buffer and one
 * graph node instead of three.
 *
 * @example
 * ```ts
 * import { linear, tensor } from "@hone/tensor";
 * const x = tensor([[1, 2]]), w = tensor([[1, 1], [1, -1]]), b = tensor([0.5, 0]);
 * linear(x, w, b).toArray();         // [[3.5, -1]]
 * linear(x, w, b, "relu").toArray(); // [[3.5, 0]]
 * ```
 */
export function linear(x: Tensor, weight: Tensor, bias: Tensor | null = null, activation: LinearActivation = "none"): Tensor {
  tensorArg("linear", "x", x);
  tensorArg("linear", "weight", weight);
  if (activation !== "none" && activation !== "relu") throw new ArgumentError(`linear: activation must be "none" or "relu", got ${describe(activation)}`);
  if (x.rank !== 2 || weight.rank !== 2 || x.shape[1] !== weight.shape[1]) {
    throw new ShapeError(`linear: x ${formatShape(x.shape)} · weightᵀ ${formatShape(weight.shape)}: expected x [m, in] and weight [out, in]`);
  }
  const [m, k] = x.shape as [number, number];
  const n = weight.shape[0]!;
  if (bias !== null && (tensorArg("linear", "bias", bias).rank !== 1 || bias.shape[0] !== n)) {
    throw new ShapeError(`linear: bias has shape ${formatShape(bias.shape)}, expected [${n}]`);
  }
  const dtype = resultType(x, weight);
  if (bias !== null && bias.dtype !== dtype) {
    // Mixed dtypes: the composed ops define the rounding; keep their result.
    const z = add(matmul(x, weight, { transposeB: true }), bias);
    return activation === "relu" ? relu(z) : z;
  }
  const out = empty([m, n], dtype);
  getBackend().linear(x.data, weight.data, bias === null ? null : bias.data, out.data, m, k, n, activation === "relu");
  return record(out, "linear", bias === null ? [x, weight] : [x, weight, bias], rules.linear, activation);
}

/** Copies a strided window of `src` (starting at `offset`, with `strides`) into contiguous `out`, or adds `out` into it when `scatter`. */
function stridedCopy(src: Tensor["data"], offset: number, strides: readonly number[], shape: Shape, out: Tensor["data"], scatter: boolean): void {
  const r = shape.length;
  const total = sizeOf(shape);
  if (total === 0) return;
  const inner = r === 0 ? 1 : shape[r - 1]!;
  const innerStride = r === 0 ? 0 : strides[r - 1]!;
  const idx = new Array<number>(r).fill(0);
  let off = offset;
  for (let o = 0; o < total; o += inner) {
    if (scatter) for (let j = 0; j < inner; j++) src[off + j * innerStride] = src[off + j * innerStride]! + out[o + j]!;
    else for (let j = 0; j < inner; j++) out[o + j] = src[off + j * innerStride]!;
    for (let ax = r - 2; ax >= 0; ax--) {
      idx[ax]!++;
      off += strides[ax]!;
      if (idx[ax]! < shape[ax]!) break;
      off -= strides[ax]! * shape[ax]!;
      idx[ax] = 0;
    }
  }
}

/**
 * The window `[starts[i], ends[i])` along each axis (missing entries take the whole axis;
 * negative values count from the end).
 *
 * @example
 * ```ts
 * import { slice, arange, reshape } from "@hone/tensor";
 * const x = reshape(arange(0, 12), [3, 4]);
 * slice(x, [1, 1], [3, 3]).toArray(); // [[5, 6], [9, 10]]
 * slice(x, [2]).toArray();            // [[8, 9, 10, 11]]
 * ```
 */
export function slice(x: Tensor, starts: readonly number[], ends: readonly (number | undefined)[] = []): Tensor {
  tensorArg("slice", "x", x);
  if (starts.length > x.rank || ends.length > x.rank) {
    throw new ArgumentError(`slice: got ${starts.length} starts and ${ends.length} ends for a tensor of rank ${x.rank}`);
  }
  const s: number[] = [], shape: number[] = [];
  for (let i = 0; i < x.rank; i++) {
    const d = x.shape[i]!;
    let a = starts[i] ?? 0, e = ends[i] ?? d;
    if (!Number.isInteger(a) || !Number.isInteger(e)) throw new ArgumentError(`slice: starts and ends must be integers, got ${describe(starts)} and ${describe(ends)}`);
    if (a < 0) a += d;
    if (e < 0) e += d;
    if (a < 0 || e > d || a > e) {
      throw new ShapeError(`slice: axis ${i} of shape ${formatShape(x.shape)}: window [${starts[i] ?? 0}, ${ends[i] ?? d}) is out of range`);
    }
    s.push(a);
    shape.push(e - a);
  }
  const strides = stridesOf(x.shape);
  let offset = 0;
  for (let i = 0; i < x.rank; i++) offset += s[i]! * strides[i]!;
  let out: Tensor;
  // Whole trailing axes: one contiguous block.
  if (shape.every((d, i) => i === 0 || d === x.shape[i])) out = new Tensor(x.data.slice(offset, offset + sizeOf(shape)), shape);
  else {
    out = empty(shape, x.dtype);
    stridedCopy(x.data, offset, strides, shape, out.data, false);
  }
  return record(out, "slice", [x], rules.slice, { starts: s });
}

/** Zeros of `shape` with `g` added at the window starting at `starts` (slice's backward). */
function padInto(g: Tensor, shape: Shape, starts: readonly number[]): Tensor {
  const out = empty(shape, g.dtype);
  const strides = stridesOf(shape);
  let offset = 0;
  for (let i = 0; i < shape.length; i++) offset += starts[i]! * strides[i]!;
  stridedCopy(out.data, offset, strides, g.shape, g.data, true);
  return out;
}

/**
 * Joins tensors along an existing `axis`; all other axes must match.
 *
 * @example
 * ```ts
 * import { concat, tensor } from "@hone/tensor";
 * concat([tensor([[1, 2]]), tensor([[3, 4]])]).toArray(); // [[1, 2], [3, 4]]
 * ```
 */
export function concat(tensors: readonly Tensor[], axis = 0): Tensor {
  if (!Array.isArray(tensors as unknown) || tensors.length === 0) throw new ArgumentError(`concat: tensors must be a non-empty array, got ${describe(tensors)}`);
  tensors.forEach((t, i) => tensorArg("concat", `tensors[${i}]`, t));
  const first = tensors[0]!;
  const [ax] = normalizeAxes("concat", axis, first.rank);
  let total = 0;
  for (const [i, t] of tensors.entries()) {
    if (t.rank !== first.rank || t.shape.some((d, j) => j !== ax && d !== first.shape[j])) {
      throw new ShapeError(`concat: tensors[${i}] has shape ${formatShape(t.shape)}, which does not match ${formatShape(first.shape)} outside axis ${ax}`);
    }
    total += t.shape[ax!]!;
  }
  const shape = first.shape.slice();
  shape[ax!] = total;
  const dtype = tensors.every((t) => t.dtype === "float32") ? "float32" : "float64";
  const out = empty(shape, dtype);
  const outer = sizeOf(shape.slice(0, ax));
  const inner = sizeOf(shape.slice(ax! + 1));
  let col = 0;
  for (const t of tensors) {
    const block = t.shape[ax!]! * inner;
    for (let o = 0; o < outer; o++) out.data.set(t.data.subarray(o * block, (o + 1) * block), o * total * inner + col);
    col += block;
  }
  // A copy of the list: the caller may reuse or mutate its array after the call.
  return record(out, "concat", tensors.slice(), rules.concat, ax!);
}

/** Stacks same-shape tensors along a new `axis`. @example `stack([tensor([1, 2]), tensor([3, 4])]).shape // [2, 2]` */
export function stack(tensors: readonly Tensor[], axis = 0): Tensor {
  if (!Array.isArray(tensors as unknown) || tensors.length === 0) throw new ArgumentError(`stack: tensors must be a non-empty array, got ${describe(tensors)}`);
  const first = tensorArg("stack", "tensors[0]", tensors[0]);
  for (const [i, t] of tensors.entries()) {
    if (!sameShape(tensorArg("stack", `tensors[${i}]`, t).shape, first.shape)) {
      throw new ShapeError(`stack: tensors[${i}] has shape ${formatShape(t.shape)}, expected ${formatShape(first.shape)} like tensors[0]`);
    }
  }
  const [ax] = normalizeAxes("stack", axis, first.rank + 1);
  return concat(tensors.map((t) => { const s = t.shape.slice(); s.splice(ax!, 0, 1); return reshape(t, s); }), ax);
}

function checkIndices(op: string, indices: ArrayLike<number> | Tensor, rows: number): Int32Array {
  const src = indices instanceof Tensor ? indices.data : indices;
  const idx = new Int32Array(src.length);
  for (let i = 0; i < src.length; i++) {
    const v = src[i]!;
    if (!Number.isInteger(v) || v < 0 || v >= rows) throw new ArgumentError(`${op}: indices[${i}] must be an integer in [0, ${rows - 1}], got ${v}`);
    idx[i] = v;
  }
  return idx;
}

/**
 * Rows of `x` picked by index along axis 0 (repeats allowed): mini-batches, embeddings.
 *
 * @example
 * ```ts
 * import { gatherRows, tensor } from "@hone/tensor";
 * gatherRows(tensor([[1, 1], [2, 2], [3, 3]]), [2, 0]).toArray(); // [[3, 3], [1, 1]]
 * ```
 */
export function gatherRows(x: Tensor, indices: ArrayLike<number> | Tensor): Tensor {
  tensorArg("gatherRows", "x", x);
  if (x.rank === 0) throw new ShapeError("gatherRows: x must have at least one axis, got a scalar");
  const idx = checkIndices("gatherRows", indices, x.shape[0]!);
  const row = x.size / (x.shape[0]! || 1);
  const out = empty([idx.length, ...x.shape.slice(1)], x.dtype);
  for (let i = 0; i < idx.length; i++) out.data.set(x.data.subarray(idx[i]! * row, (idx[i]! + 1) * row), i * row);
  return record(out, "gatherRows", [x], rules.gatherRows, idx);
}

/**
 * A copy of `x` with `src`'s rows added at the given row indices (repeats accumulate):
 * the adjoint of `gatherRows`.
 *
 * @example
 * ```ts
 * import { scatterAddRows, zeros, tensor } from "@hone/tensor";
 * scatterAddRows(zeros([3, 1]), [2, 2], tensor([[1], [5]])).toArray(); // [[0], [0], [6]]
 * ```
 */
export function scatterAddRows(x: Tensor, indices: ArrayLike<number> | Tensor, src: Tensor): Tensor {
  tensorArg("scatterAddRows", "x", x);
  tensorArg("scatterAddRows", "src", src);
  if (x.rank === 0) throw new ShapeError("scatterAddRows: x must have at least one axis, got a scalar");
  const idx = checkIndices("scatterAddRows", indices, x.shape[0]!);
  if (src.rank !== x.rank || src.shape[0] !== idx.length || src.shape.some((d, i) => i > 0 && d !== x.shape[i])) {
    throw new ShapeError(`scatterAddRows: src has shape ${formatShape(src.shape)}, expected [${idx.length},${x.shape.slice(1).join(",")}]`);
  }
  const row = x.size / (x.shape[0]! || 1);
  const out = new Tensor(x.dtype === src.dtype || x.dtype === "float64" ? x.data.slice() : Float64Array.from(x.data), x.shape.slice());
  for (let i = 0; i < idx.length; i++) {
    const o = idx[i]! * row, s = i * row;
    for (let j = 0; j < row; j++) out.data[o + j] = out.data[o + j]! + src.data[s + j]!;
  }
  return record(out, "scatterAddRows", [x, src], rules.scatterAddRows, idx);
}
