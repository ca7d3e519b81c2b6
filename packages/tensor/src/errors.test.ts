// Every bad-input path fails at once with a typed error whose message names the op, the
// argument, and the shapes or values involved.
import { describe as group, expect, it } from "vitest";
import {
  ArgumentError, DTypeError, HoneError, ShapeError, Tensor, add, arange, argmax, argmin, backward, broadcastTo,
  cast, clip, concat, customOp, describe, exp, eye, full, gatherRows, leakyRelu, linspace, logSoftmax, logSumExp,
  matmul, max, mean, min, mul, noGrad, norm, ones, pow, reshape, scatterAddRows, slice, softmax, stack, sub, sum,
  tensor, transpose, variance, where, zeros, type NestedArray,
} from "./index.js";

type ErrorClass = typeof ShapeError | typeof ArgumentError | typeof DTypeError;
/** [what, the bad call, its error class, the exact message]. */
type Case = [string, () => unknown, ErrorClass, string];

const x23 = (): Tensor => zeros([2, 3]);
const grad = (): Tensor => tensor([1, 2], { requiresGrad: true });
const pairOp = customOp({ name: "pairOp", forward: (a, b) => add(a, b), backward: (g) => [g] });
const badShape = customOp({ name: "badShape", forward: (a) => mul(a, 2), backward: (g) => [sum(g)] });
const numberGrad = customOp({ name: "numberGrad", forward: (a) => mul(a, 2), backward: () => [bad<Tensor>(2)] });
const notArray = customOp({ name: "notArray", forward: (a) => mul(a, 2), backward: (g) => bad<Tensor[]>(g) });
const notTensor = customOp({ name: "notTensor", forward: () => 3 as unknown as Tensor, backward: (g) => [g] });
const bad = <T>(v: unknown): T => v as T;

const cases: Case[] = [
  // matmul
  ["matmul inner dims", () => matmul(zeros([3, 4]), zeros([5, 2])), ShapeError, "matmul: a [3,4] · b [5,2]: inner dims 4 ≠ 5"],
  ["matmul inner dims with transposeB", () => matmul(zeros([3, 4]), zeros([2, 5]), { transposeB: true }), ShapeError, "matmul: a [3,4] · bᵀ [2,5]: inner dims 4 ≠ 5"],
  ["matmul inner dims with transposeA", () => matmul(zeros([3, 4]), zeros([4, 2]), { transposeA: true }), ShapeError, "matmul: aᵀ [3,4] · b [4,2]: inner dims 3 ≠ 4"],
  ["matmul of a vector", () => matmul(zeros([3]), zeros([3, 2])), ShapeError, "matmul: both operands need at least 2 axes, got a [3] and b [3,2] (reshape vectors to [1,n] or [n,1])"],
  ["matmul batch axes", () => matmul(zeros([2, 3, 4]), zeros([3, 4, 5])), ShapeError, "matmul (batch axes): cannot broadcast shapes [2] and [3] (axis -1: 2 vs 3)"],
  ["matmul non-tensor", () => matmul(bad([[1]]), zeros([1, 1])), ArgumentError, "matmul: a must be a Tensor, got [[1]]"],
  // broadcasting
  ["add [3,4]+[3]", () => add(zeros([3, 4]), zeros([3])), ShapeError, "add: cannot broadcast shapes [3,4] and [3] (axis -1: 4 vs 3)"],
  ["mul [2,3]·[3,2]", () => mul(zeros([2, 3]), zeros([3, 2])), ShapeError, "mul: cannot broadcast shapes [2,3] and [3,2] (axis -2: 2 vs 3)"],
  ["sub [2,3,4]−[2,4]", () => sub(zeros([2, 3, 4]), zeros([2, 4])), ShapeError, "sub: cannot broadcast shapes [2,3,4] and [2,4] (axis -2: 3 vs 2)"],
  ["pow tensor exponent", () => pow(ones([2]), ones([3])), ShapeError, "pow: cannot broadcast shapes [2] and [3] (axis -1: 2 vs 3)"],
  ["where condition", () => where(ones([4]), ones([3]), 0), ShapeError, "where: cannot broadcast shapes [4] and [3] (axis -1: 4 vs 3)"],
  ["where branches", () => where(ones([3]), ones([3]), ones([2, 2])), ShapeError, "where: cannot broadcast shapes [3] and [2,2] (axis -1: 3 vs 2)"],
  ["broadcastTo incompatible", () => broadcastTo(zeros([3]), [2]), ShapeError, "broadcastTo: cannot broadcast shapes [3] and [2] (axis -1: 3 vs 2)"],
  ["broadcastTo to fewer axes", () => broadcastTo(zeros([2, 3]), [3]), ShapeError, "broadcastTo: cannot broadcast [2,3] to [3]"],
  ["add a string", () => add(zeros([2]), bad("1")), ArgumentError, 'add: b must be a Tensor or a number, got "1"'],
  ["add two numbers", () => add(bad(1), bad(2)), ArgumentError, "add: at least one argument must be a Tensor, got 1 and 2"],
  ["exp of a number", () => exp(bad(1)), ArgumentError, "exp: x must be a Tensor, got 1"],
  // reshape
  ["reshape size", () => reshape(arange(0, 6), [4, 2]), ShapeError, "reshape: cannot reshape [6] (6 elements) to [4,2] (8 elements)"],
  ["reshape size with −1", () => reshape(arange(0, 6), [4, -1]), ShapeError, "reshape: cannot reshape [6] (6 elements) to [4,-1]"],
  ["reshape two −1", () => reshape(arange(0, 6), [-1, -1]), ArgumentError, "reshape: shape must hold non-negative integers and at most one -1, got [-1,-1]"],
  ["reshape fraction", () => reshape(arange(0, 6), [2.5, 2]), ArgumentError, "reshape: shape must hold non-negative integers and at most one -1, got [2.5,2]"],
  // creation
  ["ragged: short row", () => tensor([[1, 2], [3]]), ShapeError, "tensor: ragged nested array: values[1] has length 1, expected length 2"],
  ["ragged: number where a row belongs", () => tensor(bad<NestedArray>([[1, 2], 3])), ShapeError, "tensor: ragged nested array: values[1] has 3, expected length 2"],
  ["ragged: row where a number belongs", () => tensor([[1], [[2]]]), ShapeError, "tensor: ragged nested array: values[1][0] is an array where a number was expected"],
  ["ragged: first entry a number", () => tensor(bad<NestedArray>([1, [2, 3]])), ShapeError, "tensor: ragged nested array: values[1] is an array where a number was expected"],
  ["ragged: deeper", () => tensor([[[1, 2]], [[3]]]), ShapeError, "tensor: ragged nested array: values[1][0] has length 1, expected length 2"],
  ["nested non-number", () => tensor(bad<NestedArray>([[1, "a"]])), ArgumentError, 'tensor: values[0][1] must be a number, got "a"'],
  ["flat non-number", () => tensor(bad<NestedArray>([1, null])), ArgumentError, "tensor: values[1] must be a number, got null"],
  ["null values", () => tensor(bad<NestedArray>(null)), ArgumentError, "tensor: values must be a number, nested arrays or array-like, got null"],
  ["undefined values", () => tensor(bad<NestedArray>(undefined)), ArgumentError, "tensor: values must be a number, nested arrays or array-like, got undefined"],
  ["values do not fill shape", () => tensor([1, 2, 3], { shape: [2, 2] }), ShapeError, "tensor: 3 values do not fill shape [2,2] (4 elements)"],
  ["bad shape", () => tensor([1, 2], { shape: [-2] }), ArgumentError, "tensor: shape must hold non-negative integers, got [-2]"],
  ["bad dtype", () => tensor([1], { dtype: bad("int8") }), DTypeError, 'tensor: dtype must be "float64" or "float32", got "int8"'],
  ["zeros bad shape", () => zeros([2, -1]), ArgumentError, "zeros: shape must hold non-negative integers, got [2,-1]"],
  ["ones bad shape", () => ones([1.5]), ArgumentError, "ones: shape must hold non-negative integers, got [1.5]"],
  ["full shape not an array", () => full(bad(3), 1), ArgumentError, "full: shape must be an array of integers, got 3"],
  ["full bad dtype", () => full([2], 1, { dtype: bad("float16") }), DTypeError, 'full: dtype must be "float64" or "float32", got "float16"'],
  ["arange step 0", () => arange(0, 1, 0), ArgumentError, "arange: step must be a finite nonzero number, got 0"],
  ["arange infinite stop", () => arange(0, Infinity), ArgumentError, "arange: start and stop must be finite, got 0 and Infinity"],
  ["linspace num", () => linspace(0, 1, 2.5), ArgumentError, "linspace: num must be a non-negative integer, got 2.5"],
  ["eye negative", () => eye(-1), ArgumentError, "eye: shape must hold non-negative integers, got [-1,-1]"],
  ["Tensor constructor size", () => new Tensor(new Float64Array(3), [2, 2]), ShapeError, "Tensor: data has 3 elements but shape [2,2] needs 4"],
  ["item of many", () => zeros([2]).item(), ShapeError, "item: tensor has shape [2], expected exactly one element"],
  // axes
  ["sum axis too large", () => sum(x23(), 2), ArgumentError, "sum: axis must be an integer in [-2, 1], got 2"],
  ["sum axis too negative", () => sum(x23(), -3), ArgumentError, "sum: axis must be an integer in [-2, 1], got -3"],
  ["sum repeated axis", () => sum(x23(), [1, -1]), ArgumentError, "sum: axis [1,-1] repeats an axis"],
  ["mean axis", () => mean(x23(), 5), ArgumentError, "mean: axis must be an integer in [-2, 1], got 5"],
  ["mean of a number", () => mean(bad(3)), ArgumentError, "mean: x must be a Tensor, got 3"],
  ["max fractional axis", () => max(x23(), 0.5), ArgumentError, "max: axis must be an integer in [-2, 1], got 0.5"],
  ["min axes list", () => min(x23(), [0, 2]), ArgumentError, "min: axis must be an integer in [-2, 1], got [0,2]"],
  ["variance axis", () => variance(x23(), 3), ArgumentError, "variance: axis must be an integer in [-2, 1], got 3"],
  ["norm axis", () => norm(x23(), 2), ArgumentError, "norm: axis must be an integer in [-2, 1], got 2"],
  ["logSumExp axis", () => logSumExp(x23(), -4), ArgumentError, "logSumExp: axis must be an integer in [-2, 1], got -4"],
  ["softmax axis", () => softmax(x23(), 2), ArgumentError, "softmax: axis must be an integer in [-2, 1], got 2"],
  ["logSoftmax axis", () => logSoftmax(x23(), 2), ArgumentError, "logSoftmax: axis must be an integer in [-2, 1], got 2"],
  ["argmax axis", () => argmax(x23(), 2), ArgumentError, "argmax: axis must be an integer in [-2, 1], got 2"],
  ["argmin axis", () => argmin(x23(), 1.5), ArgumentError, "argmin: axis must be an integer in [-2, 1], got 1.5"],
  ["concat axis", () => concat([x23(), x23()], 2), ArgumentError, "concat: axis must be an integer in [-2, 1], got 2"],
  ["stack axis", () => stack([x23(), x23()], 3), ArgumentError, "stack: axis must be an integer in [-3, 2], got 3"],
  ["transpose repeated", () => transpose(x23(), [0, 0]), ArgumentError, "transpose: perm must be a permutation of 0..1 (negative entries count from the end), got [0,0] for shape [2,3]"],
  ["transpose short", () => transpose(zeros([2, 3, 4]), [1, 0]), ArgumentError, "transpose: perm must be a permutation of 0..2 (negative entries count from the end), got [1,0] for shape [2,3,4]"],
  ["transpose out of range", () => transpose(x23(), [0, 2]), ArgumentError, "transpose: perm must be a permutation of 0..1 (negative entries count from the end), got [0,2] for shape [2,3]"],
  // empty reductions
  ["max of empty", () => max(zeros([0])), ShapeError, "max: cannot reduce an empty tensor of shape [0]"],
  ["argmax of empty", () => argmax(zeros([0, 2])), ShapeError, "argmax: empty tensor of shape [0,2]"],
  ["mean over an empty axis", () => mean(zeros([0, 2]), 0), ShapeError, "mean: cannot average over an empty axis of shape [0,2]"],
  ["variance correction", () => variance(tensor([1, 2, 3]), undefined, { correction: 3 }), ArgumentError, "variance: correction must be in [0, 3), got 3"],
  // values
  ["clip lo > hi", () => clip(x23(), 1, 0), ArgumentError, "clip: lo must be ≤ hi, got lo=1, hi=0"],
  ["clip NaN bound", () => clip(x23(), NaN, 0), ArgumentError, "clip: lo must be ≤ hi, got lo=NaN, hi=0"],
  ["leakyRelu alpha", () => leakyRelu(x23(), NaN), ArgumentError, "leakyRelu: alpha must be finite, got NaN"],
  ["cast dtype", () => cast(x23(), bad("int32")), DTypeError, 'cast: dtype must be "float64" or "float32", got "int32"'],
  // slicing, joining, gathering
  ["slice past the end", () => slice(x23(), [0, 1], [2, 4]), ShapeError, "slice: axis 1 of shape [2,3]: window [1, 4) is out of range"],
  ["slice start after end", () => slice(x23(), [2], [1]), ShapeError, "slice: axis 0 of shape [2,3]: window [2, 1) is out of range"],
  ["slice too many starts", () => slice(x23(), [0, 0, 0]), ArgumentError, "slice: got 3 starts and 0 ends for a tensor of rank 2"],
  ["slice fractional", () => slice(x23(), [0.5]), ArgumentError, "slice: starts and ends must be integers, got [0.5] and []"],
  ["concat empty list", () => concat([]), ArgumentError, "concat: tensors must be a non-empty array, got []"],
  ["concat mismatch", () => concat([x23(), zeros([2, 2])]), ShapeError, "concat: tensors[1] has shape [2,2], which does not match [2,3] outside axis 0"],
  ["concat rank mismatch", () => concat([x23(), zeros([3])]), ShapeError, "concat: tensors[1] has shape [3], which does not match [2,3] outside axis 0"],
  ["concat non-tensor", () => concat([x23(), bad(1)]), ArgumentError, "concat: tensors[1] must be a Tensor, got 1"],
  ["stack mismatch", () => stack([zeros([2]), zeros([3])]), ShapeError, "stack: tensors[1] has shape [3], expected [2] like tensors[0]"],
  ["stack empty list", () => stack([]), ArgumentError, "stack: tensors must be a non-empty array, got []"],
  ["gatherRows index out of range", () => gatherRows(zeros([3, 2]), [0, 3]), ArgumentError, "gatherRows: indices[1] must be an integer in [0, 2], got 3"],
  ["gatherRows negative index", () => gatherRows(zeros([3, 2]), [-1]), ArgumentError, "gatherRows: indices[0] must be an integer in [0, 2], got -1"],
  ["gatherRows fractional index", () => gatherRows(zeros([3, 2]), tensor([1, 0.5])), ArgumentError, "gatherRows: indices[1] must be an integer in [0, 2], got 0.5"],
  ["gatherRows of a scalar", () => gatherRows(tensor(1), [0]), ShapeError, "gatherRows: x must have at least one axis, got a scalar"],
  ["scatterAddRows index", () => scatterAddRows(zeros([2, 2]), [2], zeros([1, 2])), ArgumentError, "scatterAddRows: indices[0] must be an integer in [0, 1], got 2"],
  ["scatterAddRows src shape", () => scatterAddRows(zeros([3, 2]), [0, 1], zeros([2, 3])), ShapeError, "scatterAddRows: src has shape [2,3], expected [2,2]"],
  // autograd
  ["backward on a non-scalar", () => backward(mul(tensor([[1, 2, 3], [4, 5, 6]], { requiresGrad: true }), 2)), ShapeError, "backward: the output has shape [2,3]; reduce it to a scalar or pass an upstream gradient of that shape"],
  ["backward without grad", () => backward(sum(tensor([1, 2]))), ArgumentError, "backward: the tensor does not require grad (no input had requiresGrad: true, or it was computed under noGrad)"],
  ["backward under noGrad result", () => { const w = grad(); backward(noGrad(() => sum(w))); }, ArgumentError, "backward: the tensor does not require grad (no input had requiresGrad: true, or it was computed under noGrad)"],
  ["backward upstream shape", () => backward(mul(grad(), 2), tensor([1, 2, 3])), ShapeError, "backward: grad has shape [3] but the output has shape [2]"],
  ["requireGrad(false) on a computed tensor", () => mul(grad(), 2).requireGrad(false), ArgumentError, "requireGrad: cannot turn gradients off for a computed tensor; use detach()"],
  ["customOp backward returns too few grads", () => backward(sum(pairOp(grad(), grad()))), ArgumentError, "customOp 'pairOp': backward returned 1 gradients for 2 inputs"],
  ["customOp backward returns a wrong shape", () => backward(sum(badShape(grad()))), ShapeError, "backward: the rule of 'badShape' gave input 0 a gradient of shape [], expected [2]"],
  ["customOp backward returns a number", () => backward(sum(numberGrad(grad()))), ArgumentError, "customOp 'numberGrad': backward returned 2 for input 0; expected a Tensor or null"],
  ["customOp backward returns a bare tensor", () => backward(sum(notArray(grad()))), ArgumentError, "customOp 'notArray': backward must return an array of gradients, got Tensor[2]"],
  ["customOp forward returns a non-tensor", () => notTensor(grad()), ArgumentError, "customOp 'notTensor': forward must return a Tensor, got 3"],
  ["customOp input not a tensor", () => pairOp(grad(), bad([1, 2])), ArgumentError, "customOp 'pairOp': input 1 must be a Tensor, got [1,2]"],
  ["customOp spec without backward", () => customOp({ name: "x", forward: (a) => a, backward: bad(undefined) }), ArgumentError, 'customOp: forward and backward must be functions, got "function" and "undefined"'],
];

group("bad input fails with a typed, specific error", () => {
  it.each(cases)("%s", (_what, call, type, message) => {
    let thrown: unknown;
    try {
      call();
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(type);
    expect(thrown).toBeInstanceOf(HoneError);
    expect((thrown as Error).message).toBe(message);
    expect((thrown as Error).name).toBe(type.name);
  });
});

group("error helpers", () => {
  it("describe formats values for messages", () => {
    expect(describe([3, 4])).toBe("[3,4]");
    expect(describe("a")).toBe('"a"');
    expect(describe(null)).toBe("null");
    expect(describe(new Float32Array(3))).toBe("Float32Array(3)");
    expect(describe(zeros([2, 1]))).toBe("Tensor[2,1]");
    expect(describe(() => 1)).toBe("function");
  });

  it("error classes are distinct HoneErrors", () => {
    const e = new ShapeError("m");
    expect(e).toBeInstanceOf(Error);
    expect(e).toBeInstanceOf(HoneError);
    expect(e).not.toBeInstanceOf(ArgumentError);
    expect(e.name).toBe("ShapeError");
    expect(new DTypeError("d").name).toBe("DTypeError");
  });

  it("a failed op leaves the grad mode and its inputs untouched", () => {
    const w = grad();
    expect(() => noGrad(() => matmul(zeros([1, 2]), zeros([3, 1])))).toThrow(ShapeError);
    expect(mul(w, 1).requiresGrad).toBe(true);
    expect(w.toArray()).toEqual([1, 2]);
  });
});
