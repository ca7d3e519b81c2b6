// Convolution and pooling under the gradient checker (float64, ε = 1e-7, the default
// "correct" tier ≤ 2e-7): the ops of @hone/tensor, and a small CNN of @hone/nn layers with
// its loss, every parameter (conv weights and biases, the dense head) on its own row.
import { AvgPool2d, Conv2d, Flatten, Linear, MaxPool2d, ReLU, Sequential, softmaxCrossEntropy } from "@hone/nn";
import { avgPool2d, conv2d, maxPool2d, randn, rng, tensor, type Shape, type Tensor } from "@hone/tensor";
import { describe, expect, it } from "vitest";
import { checkModel, gradcheck } from "./index.js";

describe("gradcheck on conv2d, maxPool2d and avgPool2d", () => {
  const r = rng(11);
  const x = randn([2, 7, 6, 3], r), w = randn([4, 3, 2, 3], r), b = randn([4], r);
  it.each([
    ["conv2d same, stride 2, bias", (xs: Tensor, ws: Tensor, bs: Tensor) => conv2d(xs, ws, { bias: bs, stride: 2, padding: "same" }), [x, w, b]],
    ["conv2d padding 1, stride [1, 2]", (xs: Tensor, ws: Tensor) => conv2d(xs, ws, { stride: [1, 2], padding: 1 }), [x, w]],
    ["maxPool2d 3×2 stride 2 same", (xs: Tensor) => maxPool2d(xs, [3, 2], { stride: 2, padding: "same" }), [x]],
    ["avgPool2d 3×3 stride 1 padding 1, pads excluded", (xs: Tensor) => avgPool2d(xs, 3, { stride: 1, padding: 1, countIncludePad: false }), [x]],
  ] as const)("%s", (_, fn, inputs) => {
    const result = gradcheck(fn as (...xs: Tensor[]) => Tensor, inputs);
    expect(result.verdict).toBe("correct");
    expect(result.difference).toBeLessThanOrEqual(2e-7);
  });
});

describe("checkModel on a CNN", () => {
  it("every conv and dense parameter is correct", () => {
    const g = rng(5);
    const draw = (shape: Shape): Tensor => randn(shape, g);
    const model = new Sequential([
      new Conv2d(1, 3, 3, { padding: "same", init: draw, biasInit: draw }), new ReLU(), new MaxPool2d(2),
      new Conv2d(3, 2, 2, { init: draw, biasInit: draw }), new AvgPool2d(2, { stride: 1 }),
      new Flatten(), new Linear(2 * 1 * 2, 3, { init: draw, biasInit: draw }),
    ]);
    // (6, 8, 1) → (6, 8, 3) → (3, 4, 3) → (2, 3, 2) → (1, 2, 2) → 4 features.
    const batch = { x: randn([4, 6, 8, 1], g), y: tensor([0, 2, 1, 2]) };
    const result = checkModel(model, softmaxCrossEntropy, batch);
    expect(result.rows.map((row) => row.name)).toEqual([
      "layers.0.weight", "layers.0.bias", "layers.3.weight", "layers.3.bias", "layers.6.weight", "layers.6.bias",
    ]);
    expect(result.kinks).toEqual([]);
    expect(result.verdict).toBe("correct");
    expect(result.difference).toBeLessThanOrEqual(2e-7);
  });
});
