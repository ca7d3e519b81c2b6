// Gradients of every differentiable op against central differences (float64, ε = 1e-6,
// relative error ‖g − ĝ‖/(‖g‖ + ‖ĝ‖) ≤ 1e-7), plus hand-derived gradients and the
// behavior of the autograd engine itself.
import { describe, expect, it } from "vitest";
import {
  abs, add, argmax, argmin, backward, broadcastTo, cast, clip, concat, customOp, div, equal, exp, gatherRows, greater,
  isGradEnabled, leakyRelu, log, logSoftmax, logSumExp, matmul, max, maximum, mean, min, minimum, mul, neg,
  noGrad, norm, ones, pow, relu, reshape, scatterAddRows, sigmoid, sign, slice, softmax, sqrt, square, stack, sub,
  sum, sumTo, tanh, tensor, transpose, variance, where, zeros, type Tensor,
} from "./index.js";
import { fdCheck, signedValues, values, weighted } from "./test-fd.js";

const TOL = 1e-7;

type Fn = (...xs: Tensor[]) => Tensor;
/** [name, op whose output is reduced with fixed weights, inputs]. */
type Case = [string, Fn, Tensor[]];

const v = values;
const pos = (shape: number[], seed = 0): Tensor => values(shape, 0.5, 2.5, seed);
const sv = signedValues;

const cube = customOp({
  name: "cube",
  forward: (x) => mul(mul(x, x), x),
  backward: (g, inputs) => {
    const [x] = inputs as readonly [Tensor];
    return [mul(g, mul(square(x), 3))];
  },
});
const scaledDiff = customOp({
  // f(a, b) = 2a − b·b, with b broadcast against a.
  name: "scaledDiff",
  forward: (a, b) => sub(mul(a, 2), mul(b, b)),
  backward: (g, inputs) => {
    const [, b] = inputs as readonly [Tensor, Tensor];
    return [mul(g, 2), sumTo(mul(g, mul(b, -2)), b.shape)];
  },
});
const mask = tensor([[1, 0, 0, 1], [0, 1, 1, 0], [1, 1, 0, 0]]);

const cases: Case[] = [
  // Element-wise arithmetic, same shape and broadcast.
  ["add [3,4]+[3,4]", add, [v([3, 4]), v([3, 4], -1, 1, 1)]],
  ["add [3,4]+[4]", add, [v([3, 4]), v([4], -1, 1, 1)]],
  ["add [3,1]+[1,4]", add, [v([3, 1]), v([1, 4], -1, 1, 1)]],
  ["add [2,3,4]+[3,1]", add, [v([2, 3, 4]), v([3, 1], -1, 1, 1)]],
  ["add x+2.5", (x) => add(x, 2.5), [v([3, 4])]],
  ["add 2.5+x", (x) => add(2.5, x), [v([3, 4])]],
  ["add [] scalar tensor + [3,4]", add, [v([]), v([3, 4], -1, 1, 1)]],
  ["sub [3,4]-[4]", sub, [v([3, 4]), v([4], -1, 1, 1)]],
  ["sub [3,1]-[1,4]", sub, [v([3, 1]), v([1, 4], -1, 1, 1)]],
  ["sub 1.5-x", (x) => sub(1.5, x), [v([2, 3])]],
  ["mul [3,4]*[3,4]", mul, [v([3, 4]), v([3, 4], -1, 1, 1)]],
  ["mul [3,4]*[4]", mul, [v([3, 4]), v([4], -1, 1, 1)]],
  ["mul [3,1]*[1,4]", mul, [v([3, 1]), v([1, 4], -1, 1, 1)]],
  ["mul x*-3", (x) => mul(x, -3), [v([3, 4])]],
  ["div [3,4]/[3,4]", div, [v([3, 4]), pos([3, 4], 1)]],
  ["div [2,3,4]/[3,1]", div, [v([2, 3, 4]), pos([3, 1], 1)]],
  ["div [4]/[3,4]", div, [v([4]), pos([3, 4], 1)]],
  ["div x/2", (x) => div(x, 2), [v([3, 4])]],
  ["div 2/x", (x) => div(2, x), [pos([3, 4])]],
  ["pow x^2", (x) => pow(x, 2), [v([3, 4])]],
  ["pow x^3", (x) => pow(x, 3), [v([3, 4])]],
  ["pow x^0.5", (x) => pow(x, 0.5), [pos([3, 4])]],
  ["pow x^-1", (x) => pow(x, -1), [pos([3, 4])]],
  ["pow x^1.7", (x) => pow(x, 1.7), [pos([3, 4])]],
  ["pow x^1", (x) => pow(x, 1), [v([3, 4])]],
  ["pow x^y (tensor exponent)", pow, [pos([3, 4]), v([3, 4], -2, 2, 1)]],
  ["pow [3,4]^[4]", pow, [pos([3, 4]), v([4], -2, 2, 1)]],
  ["pow [4]^[3,1]", pow, [pos([4]), v([3, 1], -2, 2, 1)]],
  ["pow 2^y (number base)", (y) => pow(2, y), [v([3, 4], -2, 2)]],
  // Unary.
  ["neg", neg, [v([3, 4])]],
  ["exp", exp, [v([3, 4], -2, 2)]],
  ["log", log, [pos([3, 4])]],
  ["sqrt", sqrt, [pos([3, 4])]],
  ["square", square, [v([3, 4], -2, 2)]],
  ["abs", abs, [sv([3, 4])]],
  ["relu", relu, [sv([3, 4])]],
  ["leakyRelu (default alpha)", (x) => leakyRelu(x), [sv([3, 4])]],
  ["leakyRelu alpha 0.2", (x) => leakyRelu(x, 0.2), [sv([3, 4])]],
  ["sigmoid", sigmoid, [v([3, 4], -4, 4)]],
  ["tanh", tanh, [v([3, 4], -2, 2)]],
  // Extremes between tensors (inputs distinct: no ties).
  ["maximum [3,4],[3,4]", maximum, [v([3, 4]), v([3, 4], -1, 1, 1)]],
  ["maximum [3,4],[4]", maximum, [v([3, 4]), v([4], -1, 1, 1)]],
  ["maximum [3,1],[1,4]", maximum, [v([3, 1]), v([1, 4], -1, 1, 1)]],
  ["maximum x,0.05", (x) => maximum(x, 0.05), [sv([3, 4])]],
  ["minimum [3,4],[3,4]", minimum, [v([3, 4]), v([3, 4], -1, 1, 1)]],
  ["minimum [2,3,4],[3,1]", minimum, [v([2, 3, 4]), v([3, 1], -1, 1, 1)]],
  ["minimum 0.05,x", (x) => minimum(0.05, x), [sv([3, 4])]],
  ["clip [-0.5, 0.7]", (x) => clip(x, -0.5, 0.7), [tensor([-1.2, -0.6, -0.4, 0.1, 0.69, 0.71, 1.5, 0.3])]],
  // where: gradient to the chosen branch only, summed over broadcast axes.
  ["where same shape", (a, b) => where(mask, a, b), [v([3, 4]), v([3, 4], -1, 1, 1)]],
  ["where cond [3,4], a [4], b [3,1]", (a, b) => where(mask, a, b), [v([4]), v([3, 1], -1, 1, 1)]],
  ["where cond [4], a [3,4], b number", (a) => where(tensor([1, 0, 1, 1]), a, 0.5), [v([3, 4])]],
  ["where cond from greater(x, 0)", (x) => where(greater(x, 0), square(x), mul(x, 3)), [sv([3, 4])]],
  // Reductions.
  ["sum all", (x) => sum(x), [v([3, 4])]],
  ["sum axis 0", (x) => sum(x, 0), [v([3, 4])]],
  ["sum axis 1 keepDims", (x) => sum(x, 1, true), [v([3, 4])]],
  ["sum axis -1", (x) => sum(x, -1), [v([2, 3, 4])]],
  ["sum axes [0,2]", (x) => sum(x, [0, 2]), [v([2, 3, 4])]],
  ["sum axes [-1,-3] keepDims", (x) => sum(x, [-1, -3], true), [v([2, 3, 4])]],
  ["sum all keepDims", (x) => sum(x, undefined, true), [v([2, 3, 4])]],
  ["mean all", (x) => mean(x), [v([3, 4])]],
  ["mean axis 0", (x) => mean(x, 0), [v([3, 4])]],
  ["mean axis -1 keepDims", (x) => mean(x, -1, true), [v([2, 3, 4])]],
  ["mean axes [0,1]", (x) => mean(x, [0, 1]), [v([2, 3, 4])]],
  ["max all", (x) => max(x), [v([3, 4])]],
  ["max axis 0", (x) => max(x, 0), [v([3, 4])]],
  ["max axis 1 keepDims", (x) => max(x, 1, true), [v([3, 4])]],
  ["max axes [0,2]", (x) => max(x, [0, 2]), [v([2, 3, 4])]],
  ["max axes [-2,-1] keepDims", (x) => max(x, [-2, -1], true), [v([2, 3, 4])]],
  ["min all", (x) => min(x), [v([3, 4])]],
  ["min axis -1", (x) => min(x, -1), [v([2, 3, 4])]],
  ["min axes [0,1] keepDims", (x) => min(x, [0, 1], true), [v([2, 3, 4])]],
  ["variance all", (x) => variance(x), [v([3, 4])]],
  ["variance axis 1 correction 1", (x) => variance(x, 1, { correction: 1 }), [v([3, 4])]],
  ["variance axes [0,2] keepDims", (x) => variance(x, [0, 2], { keepDims: true }), [v([2, 3, 4])]],
  ["norm all", (x) => norm(x), [v([3, 4])]],
  ["norm axis 1", (x) => norm(x, 1), [v([3, 4])]],
  ["norm axis -1 keepDims", (x) => norm(x, -1, true), [v([2, 3, 4])]],
  ["logSumExp all", (x) => logSumExp(x), [v([3, 4], -3, 3)]],
  ["logSumExp axis 1", (x) => logSumExp(x, 1), [v([3, 4], -3, 3)]],
  ["logSumExp axes [0,2] keepDims", (x) => logSumExp(x, [0, 2], true), [v([2, 3, 4], -3, 3)]],
  ["logSumExp large inputs", (x) => logSumExp(x, 0), [add(v([3, 2], -3, 3), 200)]],
  ["softmax axis -1", (x) => softmax(x), [v([3, 4], -3, 3)]],
  ["softmax axis 0", (x) => softmax(x, 0), [v([3, 4], -3, 3)]],
  ["softmax 3-D axis 1", (x) => softmax(x, 1), [v([2, 3, 4], -3, 3)]],
  ["logSoftmax axis -1", (x) => logSoftmax(x), [v([3, 4], -3, 3)]],
  ["logSoftmax axis 0", (x) => logSoftmax(x, 0), [v([3, 4], -3, 3)]],
  // Shape and data movement.
  ["reshape [3,4]→[2,6]", (x) => reshape(x, [2, 6]), [v([3, 4])]],
  ["reshape [2,3,4]→[4,-1]", (x) => reshape(x, [4, -1]), [v([2, 3, 4])]],
  ["broadcastTo [4]→[3,4]", (x) => broadcastTo(x, [3, 4]), [v([4])]],
  ["broadcastTo [3,1]→[2,3,4]", (x) => broadcastTo(x, [2, 3, 4]), [v([3, 1])]],
  ["sumTo [2,3,4]→[3,1]", (x) => sumTo(x, [3, 1]), [v([2, 3, 4])]],
  ["sumTo [3,4]→[]", (x) => sumTo(x, []), [v([3, 4])]],
  ["transpose 2-D", (x) => transpose(x), [v([3, 4])]],
  ["transpose 3-D [2,0,1]", (x) => transpose(x, [2, 0, 1]), [v([2, 3, 4])]],
  ["transpose 3-D [1,0,2]", (x) => transpose(x, [1, 0, 2]), [v([2, 3, 4])]],
  ["transpose 3-D default (reverse)", (x) => transpose(x), [v([2, 3, 4])]],
  ["transpose 3-D negative perm [-1,0,1]", (x) => transpose(x, [-1, 0, 1]), [v([2, 3, 4])]],
  ["matmul [3,4]·[4,2]", (a, b) => matmul(a, b), [v([3, 4]), v([4, 2], -1, 1, 1)]],
  ["matmul aᵀ: [4,3]ᵀ·[4,2]", (a, b) => matmul(a, b, { transposeA: true }), [v([4, 3]), v([4, 2], -1, 1, 1)]],
  ["matmul bᵀ: [3,4]·[2,4]ᵀ", (a, b) => matmul(a, b, { transposeB: true }), [v([3, 4]), v([2, 4], -1, 1, 1)]],
  ["matmul aᵀbᵀ: [4,3]ᵀ·[2,4]ᵀ", (a, b) => matmul(a, b, { transposeA: true, transposeB: true }), [v([4, 3]), v([2, 4], -1, 1, 1)]],
  ["matmul batched [2,3,4]·[2,4,5]", (a, b) => matmul(a, b), [v([2, 3, 4]), v([2, 4, 5], -1, 1, 1)]],
  ["matmul batched aᵀbᵀ [2,4,3]·[2,5,4]", (a, b) => matmul(a, b, { transposeA: true, transposeB: true }), [v([2, 4, 3]), v([2, 5, 4], -1, 1, 1)]],
  ["matmul broadcast [2,3,4]·[4,5]", (a, b) => matmul(a, b), [v([2, 3, 4]), v([4, 5], -1, 1, 1)]],
  ["matmul broadcast [2,3,4]·[5,4]ᵀ", (a, b) => matmul(a, b, { transposeB: true }), [v([2, 3, 4]), v([5, 4], -1, 1, 1)]],
  ["matmul broadcast [3,4]·[2,4,5]", (a, b) => matmul(a, b), [v([3, 4]), v([2, 4, 5], -1, 1, 1)]],
  ["matmul broadcast [1,3,4]·[2,4,2]", (a, b) => matmul(a, b), [v([1, 3, 4]), v([2, 4, 2], -1, 1, 1)]],
  ["matmul broadcast [2,1,3,4]·[3,4,2]", (a, b) => matmul(a, b), [v([2, 1, 3, 4]), v([3, 4, 2], -1, 1, 1)]],
  ["slice interior [1:3, 1:4] of [4,5]", (x) => slice(x, [1, 1], [3, 4]), [v([4, 5])]],
  ["slice rows [2:] of [4,5]", (x) => slice(x, [2]), [v([4, 5])]],
  ["slice negative [-3:-1, -2:] of [4,5]", (x) => slice(x, [-3, -2], [-1, undefined]), [v([4, 5])]],
  ["slice 3-D interior", (x) => slice(x, [0, 1, 1], [2, 3, 3]), [v([2, 3, 4])]],
  ["concat axis 0, three inputs", (a, b, c) => concat([a, b, c]), [v([2, 3]), v([1, 3], -1, 1, 1), v([3, 3], -1, 1, 2)]],
  ["concat axis 1, three inputs", (a, b, c) => concat([a, b, c], 1), [v([2, 3]), v([2, 1], -1, 1, 1), v([2, 2], -1, 1, 2)]],
  ["concat axis -1 of 3-D", (a, b) => concat([a, b], -1), [v([2, 3, 2]), v([2, 3, 3], -1, 1, 1)]],
  ["concat same input twice", (a) => concat([a, a], 0), [v([2, 3])]],
  ["stack axis 0", (a, b, c) => stack([a, b, c]), [v([2, 3]), v([2, 3], -1, 1, 1), v([2, 3], -1, 1, 2)]],
  ["stack axis 1", (a, b) => stack([a, b], 1), [v([2, 3]), v([2, 3], -1, 1, 1)]],
  ["stack axis -1", (a, b) => stack([a, b], -1), [v([2, 3]), v([2, 3], -1, 1, 1)]],
  ["gatherRows repeated indices", (x) => gatherRows(x, [2, 0, 2, 2, 3]), [v([4, 3])]],
  ["gatherRows 3-D rows, Tensor indices", (x) => gatherRows(x, tensor([1, 1, 0])), [v([2, 3, 2])]],
  ["scatterAddRows", (x, s) => scatterAddRows(x, [1, 3, 1], s), [v([4, 2]), v([3, 2], -1, 1, 1)]],
  ["customOp cube", (x) => cube(x), [v([3, 4], -2, 2)]],
  ["customOp two inputs with broadcast", (a, b) => scaledDiff(a, b), [v([3, 4]), v([4], -1, 1, 1)]],
  // Compositions: a small network layer and a loss.
  [
    "dense layer + tanh + mean",
    (x, w, b) => mean(tanh(add(matmul(x, w, { transposeB: true }), b)), 0),
    [v([5, 3], -2, 2), v([4, 3], -1, 1, 1), v([4], -0.5, 0.5, 2)],
  ],
  [
    "softmax cross-entropy",
    (z) => neg(mean(sum(mul(logSoftmax(z), tensor([[1, 0, 0], [0, 0, 1], [0, 1, 0], [0, 1, 0]])), 1))),
    [v([4, 3], -3, 3)],
  ],
  ["x used three times", (x) => add(mul(x, x), div(x, add(square(x), 1))), [v([3, 4])]],
];

describe("finite-difference gradients (float64, ε = 1e-6, rel. error ≤ 1e-7)", () => {
  it.each(cases)("%s", (_name, op, inputs) => {
    const r = fdCheck(weighted(op), inputs);
    expect(r.relError).toBeLessThanOrEqual(TOL);
    // A gradient that is identically zero would pass vacuously: require a real signal.
    expect(r.numeric.some((g) => g.some((x) => Math.abs(x) > 1e-3))).toBe(true);
  });

  it("smooth ops are far inside the tolerance (~1e-9 or better)", () => {
    const smooth: Case[] = [
      ["exp", exp, [v([3, 4], -2, 2)]],
      ["matmul", (a, b) => matmul(a, b), [v([3, 4]), v([4, 2], -1, 1, 1)]],
      ["softmax", (x) => softmax(x), [v([3, 4], -3, 3)]],
      ["div", div, [v([2, 3, 4]), pos([3, 1], 1)]],
    ];
    for (const [, op, inputs] of smooth) expect(fdCheck(weighted(op), inputs).relError).toBeLessThan(1e-9);
  });

  it("the helper itself detects a wrong gradient", () => {
    const wrong = customOp({ name: "wrongSquare", forward: (x) => square(x), backward: (g, inputs) => [mul(g, (inputs as readonly [Tensor])[0])] });
    expect(fdCheck(weighted((x) => wrong(x)), [v([3, 4])]).relError).toBeGreaterThan(0.1);
  });
});

describe("hand-derived gradients", () => {
  it("max with ties splits the gradient equally", () => {
    const x = tensor([1, 3, 3, 2], { requiresGrad: true });
    backward(max(x));
    expect(x.grad?.toArray()).toEqual([0, 0.5, 0.5, 0]);
  });

  it("max/min along an axis with ties: per-slice split", () => {
    const x = tensor([[5, 5, 5], [1, 4, 4], [0, 2, -1]], { requiresGrad: true });
    backward(sum(mul(max(x, 1), tensor([3, 2, 1]))));
    expect(x.grad?.toArray()).toEqual([[1, 1, 1], [0, 1, 1], [0, 1, 0]]);
    const y = tensor([[2, 7], [2, 1]], { requiresGrad: true });
    backward(sum(min(y, 0)));
    expect(y.grad?.toArray()).toEqual([[0.5, 0], [0.5, 1]]);
  });

  it("maximum/minimum at a tie send the gradient to the first argument", () => {
    const a = tensor([1, 2], { requiresGrad: true }), b = tensor([1, 3], { requiresGrad: true });
    backward(sum(maximum(a, b)));
    expect(a.grad?.toArray()).toEqual([1, 0]);
    expect(b.grad?.toArray()).toEqual([0, 1]);
    a.zeroGrad(); b.zeroGrad();
    backward(sum(minimum(a, b)));
    expect(a.grad?.toArray()).toEqual([1, 1]);
    expect(b.grad?.toArray()).toEqual([0, 0]);
  });

  it("relu, abs and leakyRelu at 0 have gradient 0, 0 and alpha", () => {
    const x = tensor([0, 0, 0], { requiresGrad: true });
    backward(sum(relu(x)));
    expect(x.grad?.toArray()).toEqual([0, 0, 0]);
    x.zeroGrad();
    backward(sum(abs(x)));
    expect(x.grad?.toArray()).toEqual([0, 0, 0]);
    x.zeroGrad();
    backward(sum(leakyRelu(x, 0.25)));
    expect(x.grad?.toArray()).toEqual([0.25, 0.25, 0.25]);
  });

  it("clip passes the gradient inside [lo, hi] and at the bounds, and blocks it outside", () => {
    const x = tensor([-2, 0, 0.5, 1, 3], { requiresGrad: true });
    backward(sum(clip(x, 0, 1)));
    expect(x.grad?.toArray()).toEqual([0, 1, 1, 1, 0]);
  });

  it("sigmoid at ±800: values 0 and 1, gradient 0, no NaN", () => {
    const x = tensor([-800, 800], { requiresGrad: true });
    const y = sigmoid(x);
    expect(y.toArray()).toEqual([0, 1]);
    backward(sum(y));
    expect(x.grad?.toArray()).toEqual([0, 0]);
  });

  it("sigmoid far in the tails: gradient e^-|x|/(1+e^-|x|)² to full relative precision", () => {
    const xs = [-30, -12, 12, 25];
    const x = tensor(xs, { requiresGrad: true });
    backward(sum(sigmoid(x)));
    xs.forEach((xi, i) => {
      const e = Math.exp(-Math.abs(xi));
      const want = e / (1 + e) ** 2;
      // 1 − σ loses relative precision for large positive x: allow a few ulps of 1.
      expect(Math.abs((x.grad?.data.at(i) ?? NaN) - want)).toBeLessThanOrEqual(want * 1e-12 + (xi > 0 ? 4e-16 : 0));
    });
  });

  it("matmul: dA = G·Bᵀ and dB = Aᵀ·G for a small case", () => {
    // A = [[1,2],[3,4]], B = [[5],[6]], loss = sum(AB · [[1],[10]]) ⇒ G = [[1],[10]].
    const a = tensor([[1, 2], [3, 4]], { requiresGrad: true }), b = tensor([[5], [6]], { requiresGrad: true });
    backward(sum(mul(matmul(a, b), tensor([[1], [10]]))));
    expect(a.grad?.toArray()).toEqual([[5, 6], [50, 60]]);
    expect(b.grad?.toArray()).toEqual([[31], [42]]);
  });

  it("gatherRows with repeated indices accumulates per row", () => {
    const x = tensor([[1, 2], [3, 4], [5, 6]], { requiresGrad: true });
    backward(sum(mul(gatherRows(x, [2, 0, 2]), tensor([[1, 2], [3, 4], [5, 6]]))));
    expect(x.grad?.toArray()).toEqual([[3, 4], [0, 0], [6, 8]]);
  });

  it("cast: float64 → float32 → float64 gives a float64 gradient; a float32 leaf gets float32", () => {
    const x = tensor([0.5, -1.25, 2], { requiresGrad: true });
    const y = cast(cast(x, "float32"), "float64");
    expect(y.dtype).toBe("float64");
    backward(sum(mul(y, tensor([1, -2, 3]))));
    expect(x.grad?.dtype).toBe("float64");
    expect(x.grad?.toArray()).toEqual([1, -2, 3]);

    const x32 = tensor([0.5, 1.5], { dtype: "float32", requiresGrad: true });
    backward(sum(mul(cast(x32, "float64"), tensor([0.1, 0.2]))));
    expect(x32.grad?.dtype).toBe("float32");
    expect(Array.from(x32.grad!.data)).toEqual([Math.fround(0.1), Math.fround(0.2)]);
  });

  it("a float32 leaf in a mixed-dtype op receives a float32 gradient", () => {
    const x = tensor([1, 2], { dtype: "float32", requiresGrad: true });
    const y = mul(x, tensor([3, 4]));
    expect(y.dtype).toBe("float64");
    backward(sum(y));
    expect(x.grad?.dtype).toBe("float32");
    expect(x.grad?.toArray()).toEqual([3, 4]);
  });

  it("where gives no gradient to the condition and zero to the unselected branch", () => {
    const c = tensor([1, 0, 1], { requiresGrad: true });
    const a = tensor([1, 2, 3], { requiresGrad: true }), b = tensor([4, 5, 6], { requiresGrad: true });
    backward(sum(mul(where(c, a, b), tensor([1, 2, 3]))));
    expect(a.grad?.toArray()).toEqual([1, 0, 3]);
    expect(b.grad?.toArray()).toEqual([0, 2, 0]);
    expect(c.grad).toBeNull();
  });

  it("softmax with a −∞ mask: finite gradient, zero at the masked entry", () => {
    // s = softmax([0, ln 3, −∞]) = [1/4, 3/4, 0]; with weights W = [1, 2, 5]:
    // ∂(W·s)/∂xᵢ = sᵢ(Wᵢ − Σⱼ sⱼWⱼ) = [1/4·(1 − 7/4), 3/4·(2 − 7/4), 0] = [−3/16, 3/16, 0].
    const x = tensor([0, Math.log(3), -Infinity], { requiresGrad: true });
    const s = softmax(x);
    expect(s.data[2]).toBe(0);
    backward(sum(mul(s, tensor([1, 2, 5]))));
    const g = Array.from(x.grad?.data ?? []);
    expect(g[2]).toBe(0);
    expect(Math.abs((g[0] ?? NaN) + 3 / 16)).toBeLessThan(1e-15);
    expect(Math.abs((g[1] ?? NaN) - 3 / 16)).toBeLessThan(1e-15);
  });

  it("non-differentiable ops (sign, comparisons, argmax) return untracked tensors", () => {
    const x = tensor([-1, 2], { requiresGrad: true });
    for (const y of [sign(x), greater(x, 0), equal(x, x), argmax(x), argmin(x)]) {
      expect(y.requiresGrad).toBe(false);
      expect(y.node).toBeNull();
    }
  });

  it("concat keeps its own list of inputs: mutating the caller's array later is harmless", () => {
    const a = tensor([1, 2], { requiresGrad: true }), b = tensor([3], { requiresGrad: true });
    const parts = [a, b];
    const y = concat(parts);
    parts.length = 0;
    backward(sum(mul(y, tensor([1, 2, 3]))));
    expect(a.grad?.toArray()).toEqual([1, 2]);
    expect(b.grad?.toArray()).toEqual([3]);
  });

  it("sumTo is differentiable (its gradient is a broadcast back)", () => {
    const x = tensor([[1, 2, 3], [4, 5, 6]], { requiresGrad: true });
    const y = sumTo(x, [1, 3]);
    expect(y.toArray()).toEqual([[5, 7, 9]]);
    backward(sum(mul(y, tensor([[1, 2, 3]]))));
    expect(x.grad?.toArray()).toEqual([[1, 2, 3], [1, 2, 3]]);
  });

  it("pow with exponent 0 has zero gradient; tensor-exponent gradient is out·ln a", () => {
    const x = tensor([1.5, -2, 0], { requiresGrad: true });
    backward(sum(pow(x, 0)));
    expect(Array.from(x.grad!.data).every((g) => g === 0)).toBe(true);
    const a = tensor([2, 3]), e = tensor([3, 0.5], { requiresGrad: true });
    backward(sum(pow(a, e)));
    expect(e.grad!.data[0]).toBeCloseTo(8 * Math.LN2, 14);
    expect(e.grad!.data[1]).toBeCloseTo(Math.sqrt(3) * Math.log(3), 14);
  });
});

describe("the autograd engine", () => {
  it("accumulates gradients across backward calls until zeroGrad", () => {
    const x = tensor([1, 2, 3], { requiresGrad: true });
    const loss = (): Tensor => sum(mul(x, x));
    backward(loss());
    expect(x.grad?.toArray()).toEqual([2, 4, 6]);
    backward(loss());
    expect(x.grad?.toArray()).toEqual([4, 8, 12]);
    // The same graph can be walked twice.
    const l = loss();
    backward(l);
    backward(l);
    expect(x.grad?.toArray()).toEqual([8, 16, 24]);
    x.zeroGrad();
    expect(x.grad).toBeNull();
    backward(loss());
    expect(x.grad?.toArray()).toEqual([2, 4, 6]);
  });

  it("the first gradient is a copy: later accumulation does not touch the seed or an upstream gradient", () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const up = tensor([1, 1]);
    backward(x, up);
    backward(x, up);
    expect(up.toArray()).toEqual([1, 1]);
    expect(x.grad?.toArray()).toEqual([2, 2]);
  });

  it("backward(y, upstream) for a non-scalar y is the vector-Jacobian product", () => {
    const x = tensor([[1, 2], [3, 4]], { requiresGrad: true });
    const y = mul(x, x); // dy/dx = 2x element-wise
    backward(y, tensor([[1, 10], [100, 1000]]));
    expect(x.grad?.toArray()).toEqual([[2, 40], [600, 8000]]);
    const z = tensor([1, 2, 3], { requiresGrad: true });
    z.backward(tensor([1, 1, 1]));
    expect(z.grad?.toArray()).toEqual([1, 1, 1]);
  });

  it("shared subexpressions accumulate: y = x·x + x gives dy/dx = 2x + 1", () => {
    const x = tensor([3, -1], { requiresGrad: true });
    const t = mul(x, x);
    backward(sum(add(add(t, x), mul(t, 0))));
    expect(x.grad?.toArray()).toEqual([7, -1]);
  });

  it("a diamond graph sums both paths", () => {
    // a = 2x, b = a·a, c = a + b: dc/dx = 2 + 2·a·2 = 2 + 8x.
    const x = tensor([0.5, 2], { requiresGrad: true });
    const a = mul(x, 2);
    backward(sum(add(a, mul(a, a))));
    expect(x.grad?.toArray()).toEqual([6, 18]);
  });

  it("a 20,000-op chain backpropagates without a stack overflow", () => {
    const x = tensor([1, 2], { requiresGrad: true });
    let y = x;
    for (let i = 0; i < 20_000; i++) y = add(y, 0.5);
    backward(sum(mul(y, tensor([3, -1]))));
    expect(x.grad?.toArray()).toEqual([3, -1]);
    expect(y.toArray()).toEqual([10_001, 10_002]);
  });

  it("noGrad disables recording, and restores the mode after a throw", () => {
    const x = tensor([1, 2], { requiresGrad: true });
    expect(isGradEnabled()).toBe(true);
    const y = noGrad(() => {
      expect(isGradEnabled()).toBe(false);
      return mul(x, 2);
    });
    expect(y.requiresGrad).toBe(false);
    expect(y.node).toBeNull();
    expect(() => noGrad(() => { throw new Error("boom"); })).toThrow("boom");
    expect(isGradEnabled()).toBe(true);
    // Nested noGrad restores the outer (disabled) mode.
    noGrad(() => {
      noGrad(() => undefined);
      expect(isGradEnabled()).toBe(false);
    });
    expect(mul(x, 2).requiresGrad).toBe(true);
  });

  it("detach cuts the graph", () => {
    const x = tensor([2, 3], { requiresGrad: true });
    const d = x.detach();
    expect(d.requiresGrad).toBe(false);
    expect(d.data).toBe(x.data);
    backward(sum(mul(d, x))); // d is a constant: gradient d, not 2x
    expect(x.grad?.toArray()).toEqual([2, 3]);
    expect(() => backward(sum(mul(d, d)))).toThrow(/does not require grad/);
  });

  it("tensors not requiring grad get no gradient; non-leaves keep none", () => {
    const x = tensor([1, 2], { requiresGrad: true }), c = tensor([5, 7]);
    const h = mul(x, c);
    backward(sum(h));
    expect(c.grad).toBeNull();
    expect(h.grad).toBeNull();
    expect(h.requiresGrad).toBe(true);
    expect(h.node?.op).toBe("mul");
    expect(add(c, 1).requiresGrad).toBe(false);
  });

  it("requireGrad marks a leaf; a computed tensor cannot turn it off", () => {
    const w = zeros([2]).requireGrad();
    backward(sum(mul(w, tensor([4, 5]))));
    expect(w.grad?.toArray()).toEqual([4, 5]);
    expect(() => mul(w, 2).requireGrad(false)).toThrow(/detach/);
  });

  it("customOp: forward runs unrecorded; the result is recorded as one node", () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = cube(x);
    expect(y.toArray()).toEqual([1, 8]);
    expect(y.node?.op).toBe("cube");
    expect(y.node?.inputs[0]).toBe(x);
    backward(sum(y));
    expect(x.grad?.toArray()).toEqual([3, 12]);
  });

  it("customOp whose forward returns an input unchanged does not alter that input", () => {
    const identity = customOp({ name: "identity", forward: (x) => x, backward: (g) => [mul(g, 2)] });
    const x = tensor([1, 2], { requiresGrad: true });
    const y = identity(x);
    expect(x.node).toBeNull();
    backward(sum(y));
    expect(x.grad?.toArray()).toEqual([2, 2]);
  });

  it("customOp may return null for inputs that need no gradient", () => {
    const scale = customOp({
      name: "scale",
      forward: (x, s) => mul(x, s),
      backward: (g, inputs) => [mul(g, (inputs as readonly [Tensor, Tensor])[1]), null],
    });
    const x = tensor([1, 2], { requiresGrad: true }), s = tensor([3, 4], { requiresGrad: true });
    backward(sum(scale(x, s)));
    expect(x.grad?.toArray()).toEqual([3, 4]);
    expect(s.grad).toBeNull();
  });

  it("ones-seeded backward on a one-element non-scalar output", () => {
    const x = tensor([[2]], { requiresGrad: true });
    backward(mul(x, ones([1, 1])));
    expect(x.grad?.toArray()).toEqual([[1]]);
  });
});
