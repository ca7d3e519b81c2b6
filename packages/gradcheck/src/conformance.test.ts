// Every differentiable op and layer of the project through the gradient checker: one
// table per family, the same check over every entry.
import {
  Flatten, Identity, LeakyReLU, Linear, ReLU, Sequential, Sigmoid, Softmax, Tanh,
  binaryCrossEntropy, binaryCrossEntropyWithLogits, meanSquaredError, oneHot, softmaxCrossEntropy,
  type Loss, type Module,
} from "@hone/nn";
import { Dropout, l1, l2 } from "@hone/regularize";
import {
  abs, add, broadcastTo, cast, clip, concat, div, exp, gatherRows, leakyRelu, log, logSoftmax, logSumExp, matmul, max,
  maximum, mean, min, minimum, mul, neg, norm, pow, relu, reshape, rng, scatterAddRows, sigmoid, slice, softmax, sqrt,
  square, stack, sub, sum, sumTo, tanh, tensor, transpose, variance, where, greater, type Tensor,
} from "@hone/tensor";
import { describe, expect, test } from "vitest";
import { checkModel } from "./check-model.js";
import { gradcheck } from "./gradcheck.js";
import { formatReport } from "./report.js";
import { linear, signed, values } from "./test-values.js";

function expectCorrect(result: ReturnType<typeof gradcheck>): void {
  if (result.verdict !== "correct") throw new Error(formatReport(result));
  expect(result.rows.every((r) => r.verdict === "correct")).toBe(true);
}

// ---------------------------------------------------------------------------------------
// @hone/tensor ops. Inputs stay away from kinks (0 for relu/abs, ties for max/min/maximum)
// and from the edges of domains (log, sqrt, pow with a tensor exponent).

type OpCase = [name: string, fn: (...xs: Tensor[]) => Tensor, inputs: () => Tensor[], wrt?: number[]];
const pos = (shape: number[], seed = 0): Tensor => values(shape, 0.3, 2.5, seed);
const cond = tensor([[1, 0, 1], [0, 0, 1]]);

const opCases: OpCase[] = [
  ["add (broadcast)", add, () => [signed([2, 3]), signed([3], 0.2, 2, 1)]],
  ["sub (broadcast)", sub, () => [signed([2, 1]), signed([2, 3], 0.2, 2, 1)]],
  ["mul (broadcast)", mul, () => [signed([2, 3]), signed([1, 3], 0.2, 2, 1)]],
  ["div", div, () => [signed([2, 3]), signed([2, 3], 0.5, 2, 1)]],
  ["pow (number exponent)", (x) => pow(x, 3.5), () => [pos([2, 3])]],
  ["pow (square)", (x) => pow(x, 2), () => [signed([4])]],
  ["pow (tensor exponent)", pow, () => [pos([2, 3]), signed([2, 3], 0.2, 1.5, 1)]],
  ["neg", neg, () => [signed([5])]],
  ["exp", exp, () => [signed([2, 3])]],
  ["log", log, () => [pos([2, 3])]],
  ["sqrt", sqrt, () => [pos([2, 3])]],
  ["square", square, () => [signed([2, 3])]],
  ["abs", abs, () => [signed([2, 3])]],
  ["maximum", maximum, () => [signed([2, 3]), signed([2, 3], 0.2, 2, 3)]],
  ["minimum", minimum, () => [signed([2, 3]), signed([2, 3], 0.2, 2, 3)]],
  ["clip", (x) => clip(x, -1, 1), () => [signed([2, 4], 0.2, 2)]],
  ["relu", relu, () => [signed([2, 3])]],
  ["leakyRelu", (x) => leakyRelu(x, 0.1), () => [signed([2, 3])]],
  ["sigmoid", sigmoid, () => [signed([2, 3], 0.2, 4)]],
  ["tanh", tanh, () => [signed([2, 3])]],
  ["where", (a, b) => where(cond, a, b), () => [signed([2, 3]), signed([3], 0.2, 2, 1)]],
  ["where (greater condition)", (a) => where(greater(a, 0), a, mul(a, 0.5)), () => [signed([2, 3])]],
  ["sum (all)", (x) => sum(x), () => [signed([2, 3])]],
  ["sum (axis 0, keepDims)", (x) => sum(x, 0, true), () => [signed([2, 3])]],
  ["mean (axis 1)", (x) => mean(x, 1), () => [signed([2, 3])]],
  ["max (axis 1)", (x) => max(x, 1), () => [signed([3, 4])]],
  ["min (all)", (x) => min(x), () => [signed([3, 4])]],
  ["variance (axis 0)", (x) => variance(x, 0), () => [signed([4, 3])]],
  ["variance (correction 1)", (x) => variance(x, undefined, { correction: 1 }), () => [signed([5])]],
  ["norm (axis 1)", (x) => norm(x, 1), () => [signed([2, 3])]],
  ["logSumExp (axis 1)", (x) => logSumExp(x, 1), () => [signed([2, 4])]],
  ["softmax", (x) => softmax(x), () => [signed([2, 4])]],
  ["softmax (axis 0)", (x) => softmax(x, 0), () => [signed([3, 2])]],
  ["logSoftmax", (x) => logSoftmax(x), () => [signed([2, 4])]],
  ["reshape", (x) => reshape(x, [3, 2]), () => [signed([2, 3])]],
  ["broadcastTo", (x) => broadcastTo(x, [4, 3]), () => [signed([1, 3])]],
  ["transpose (2-D)", (x) => transpose(x), () => [signed([2, 3])]],
  ["transpose (perm)", (x) => transpose(x, [1, 2, 0]), () => [signed([2, 3, 2])]],
  ["matmul", (a, b) => matmul(a, b), () => [signed([2, 3]), signed([3, 4], 0.2, 2, 1)]],
  ["matmul (transposeA)", (a, b) => matmul(a, b, { transposeA: true }), () => [signed([3, 2]), signed([3, 4], 0.2, 2, 1)]],
  ["matmul (transposeB)", (a, b) => matmul(a, b, { transposeB: true }), () => [signed([2, 3]), signed([4, 3], 0.2, 2, 1)]],
  ["matmul (both transposed)", (a, b) => matmul(a, b, { transposeA: true, transposeB: true }), () => [signed([3, 2]), signed([4, 3], 0.2, 2, 1)]],
  ["matmul (batched, broadcast)", (a, b) => matmul(a, b), () => [signed([2, 2, 3]), signed([3, 2], 0.2, 2, 1)]],
  ["slice", (x) => slice(x, [1, 1], [3, 3]), () => [signed([3, 4])]],
  ["concat (axis 1)", (a, b) => concat([a, b], 1), () => [signed([2, 3]), signed([2, 2], 0.2, 2, 1)]],
  ["stack", (a, b) => stack([a, b], 1), () => [signed([2, 3]), signed([2, 3], 0.2, 2, 1)]],
  ["gatherRows (repeats)", (x) => gatherRows(x, [2, 0, 2]), () => [signed([3, 2])]],
  ["scatterAddRows", (x, s) => scatterAddRows(x, [1, 1, 0], s), () => [signed([3, 2]), signed([3, 2], 0.2, 2, 1)]],
  ["sumTo", (x) => sumTo(x, [1, 3]), () => [signed([4, 3])]],
  ["cast (float64 → float64 identity)", (x) => cast(x, "float64"), () => [signed([3])]],
  ["composite: mean squared softmax error", (z, y) => mean(square(sub(softmax(z), y))), () => [signed([3, 4]), oneHot(tensor([1, 3, 0]), 4)], [0]],
];

describe("@hone/tensor ops", () => {
  test.each(opCases)("%s", (_name, fn, inputs, wrt) => {
    expectCorrect(gradcheck(fn, inputs(), wrt === undefined ? {} : { wrt }));
  });
});

// ---------------------------------------------------------------------------------------
// @hone/nn layers: parameter layers through checkModel (and their input gradient through
// gradcheck), activations and shape layers through gradcheck.

type LayerCase = [name: string, build: () => Module, input: () => Tensor];
const layerCases: LayerCase[] = [
  ["Linear", () => linear(3, 4, rng(1)), () => signed([5, 3])],
  ["Linear without bias", () => linear(3, 4, rng(2), { bias: false }), () => signed([5, 3])],
  ["ReLU", () => new ReLU(), () => signed([4, 3])],
  ["LeakyReLU", () => new LeakyReLU(0.2), () => signed([4, 3])],
  ["Tanh", () => new Tanh(), () => signed([4, 3])],
  ["Sigmoid", () => new Sigmoid(), () => signed([4, 3])],
  ["Softmax", () => new Softmax(), () => signed([4, 3])],
  ["Softmax (axis 0)", () => new Softmax(0), () => signed([4, 3])],
  ["Flatten", () => new Flatten(), () => signed([2, 3, 2, 2])],
  ["Identity", () => new Identity(), () => signed([4, 3])],
  ["Sequential", () => new Sequential([new Flatten(), linear(6, 4, rng(3)), new LeakyReLU(0.1), linear(4, 4, rng(4)), new Tanh(), linear(4, 3, rng(5)), new Sigmoid()]), () => signed([5, 2, 3])],
];

describe("@hone/nn layers", () => {
  test.each(layerCases)("%s: input gradient", (_name, build, input) => {
    const layer = build();
    expectCorrect(gradcheck((x) => layer.forward(x), [input()]));
  });

  test.each(layerCases.filter(([, build]) => build().parameters().length > 0))("%s: parameter gradients (checkModel)", (_name, build, input) => {
    const x = input();
    const model = build();
    const out = model.forward(x);
    const y = signed(out.shape, 0.2, 2, 9);
    const r = checkModel(model, meanSquaredError, { x, y });
    expectCorrect(r);
    expect(r.rows.map((row) => row.name)).toEqual(model.namedParameters().map(([n]) => n));
  });
});

// ---------------------------------------------------------------------------------------
// @hone/nn losses, with respect to the model output (targets fixed).

type LossCase = [name: string, loss: (out: Tensor, target: Tensor) => Tensor, output: () => Tensor, target: () => Tensor];
const probabilities = (): Tensor => values([5, 1], 0.1, 0.9);
const labels01 = (): Tensor => tensor([1, 0, 0, 1, 1]);
const lossCases: LossCase[] = [
  ["binaryCrossEntropy", binaryCrossEntropy, probabilities, labels01],
  ["binaryCrossEntropy (sum)", (o, t) => binaryCrossEntropy(o, t, { reduction: "sum" }), probabilities, labels01],
  ["binaryCrossEntropy (none)", (o, t) => binaryCrossEntropy(o, t, { reduction: "none" }), probabilities, labels01],
  ["binaryCrossEntropyWithLogits", binaryCrossEntropyWithLogits, () => signed([5, 1], 0.2, 4), labels01],
  ["binaryCrossEntropyWithLogits (form: course)", (o, t) => binaryCrossEntropyWithLogits(o, t, { form: "course" }), () => signed([5, 1], 0.2, 4), labels01],
  ["binaryCrossEntropyWithLogits (none)", (o, t) => binaryCrossEntropyWithLogits(o, t, { reduction: "none" }), () => signed([5, 1], 0.2, 4), labels01],
  ["softmaxCrossEntropy (integer labels)", softmaxCrossEntropy, () => signed([4, 3]), () => tensor([2, 0, 1, 2])],
  ["softmaxCrossEntropy (one-hot)", softmaxCrossEntropy, () => signed([4, 3]), () => oneHot(tensor([2, 0, 1, 2]), 3)],
  ["softmaxCrossEntropy (soft targets)", softmaxCrossEntropy, () => signed([2, 3]), () => tensor([[0.2, 0.5, 0.3], [0.1, 0.1, 0.8]])],
  ["meanSquaredError", meanSquaredError, () => signed([4, 2]), () => signed([4, 2], 0.2, 2, 5)],
  ["meanSquaredError (sum)", (o, t) => meanSquaredError(o, t, { reduction: "sum" }), () => signed([4, 2]), () => signed([4, 2], 0.2, 2, 5)],
];

describe("@hone/nn losses", () => {
  test.each(lossCases)("%s", (_name, loss, output, target) => {
    expectCorrect(gradcheck(loss, [output(), target()], { wrt: [0] }));
  });

  test.each<[string, Loss, boolean]>([
    ["binaryCrossEntropy", binaryCrossEntropy, true],
    ["binaryCrossEntropyWithLogits", binaryCrossEntropyWithLogits, false],
  ])("%s in a model (checkModel)", (_name, loss, sigmoidOut) => {
    const r = rng(6);
    const model = new Sequential([linear(3, 4, r), new Tanh(), linear(4, 1, r), ...(sigmoidOut ? [new Sigmoid()] : [])]);
    expectCorrect(checkModel(model, loss, { x: signed([5, 3]), y: labels01() }));
  });
});

// ---------------------------------------------------------------------------------------
// @hone/regularize: the penalties and dropout.

describe("@hone/regularize", () => {
  const model = (): Sequential => { const r = rng(7); return new Sequential([linear(3, 4, r), new Tanh(), linear(4, 2, r)]); };
  const batch = { x: signed([5, 3]), y: tensor([1, 0, 1, 1, 0]) };

  test.each([
    ["l2", l2({ lambda: 0.7 })],
    ["l2 (includeBiases)", l2({ lambda: 0.3, includeBiases: true })],
    ["l1", l1({ lambda: 0.5 })],
  ])("%s penalty (checkModel)", (_name, penalty) => {
    expectCorrect(checkModel(model(), softmaxCrossEntropy, batch, { penalty }));
  });

  test("Dropout with a fixed mask, training mode (input gradient through the layer and a model)", () => {
    const drop = new Dropout({ keepProb: 0.7, rng: rng(1), fixedMask: true });
    expectCorrect(gradcheck((x) => drop.forward(x), [signed([4, 5])]));
    expect(drop.mask).not.toBeNull();
    const mask = Array.from(drop.mask!.data);
    expect(mask.some((v) => v === 0)).toBe(true);
    const r = rng(8);
    const net = new Sequential([linear(3, 5, r), new Tanh(), new Dropout({ keepProb: 0.6, rng: rng(2), fixedMask: true }), linear(5, 2, r)]);
    net.train();
    expectCorrect(gradcheck((x) => net.forward(x), [signed([4, 3])]));
  });

  test("Dropout in eval mode: the identity (layer) and off during checkModel", () => {
    const drop = new Dropout({ keepProb: 0.5, rng: rng(1) });
    drop.eval();
    const x = signed([3, 4]);
    const r = gradcheck((v) => drop.forward(v), [x]);
    expectCorrect(r);
    const net = new Sequential([linear(3, 5, rng(3)), new ReLU(), new Dropout({ keepProb: 0.5, rng: rng(4) }), linear(5, 2, rng(5))]);
    expectCorrect(checkModel(net, softmaxCrossEntropy, batch));
  });
});

// ---------------------------------------------------------------------------------------
// Linear with its own defaults (the initializers of @hone/init).

describe("layers with default initialization", () => {
  test("Linear(3 → 2) with default init", () => {
    const layer = new Linear(3, 2, { rng: rng(0) });
    expectCorrect(checkModel(new Sequential([layer, new Tanh()]), meanSquaredError, { x: signed([4, 3]), y: signed([4, 2], 0.2, 1, 2) }));
  });
});
