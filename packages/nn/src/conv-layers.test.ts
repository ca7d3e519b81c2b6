// Conv2d, MaxPool2d and AvgPool2d as modules: the weight layout and fans, hand-derived
// outputs, the fused Conv2d → ReLU in Sequential (bit for bit the unfused result), saving
// and loading (outputs back bit for bit), PyTorch's weight layout, and bad arguments. The
// arithmetic itself is checked against PyTorch in @hone/tensor's conv.test.ts.
import { heNormal, xavierNormal, type InitContext } from "@hone/init";
import { ArgumentError, ShapeError, arange, randn, relu, reshape, rng, tensor, transpose, zeros, type Shape, type Tensor } from "@hone/tensor";
import { describe, expect, it } from "vitest";
import { loadDigits, trainTestSplit } from "@hone/data-split";
import { adam } from "@hone/optim";
import { AvgPool2d, Conv2d, Flatten, Linear, MaxPool2d, ReLU, Sequential, Softmax, accuracy, cnn, fit, loadModel, predictClass, serializeModel, softmaxCrossEntropy } from "./index.js";

function testNet(seed: number): Sequential {
  const r = rng(seed);
  const draw = (shape: Shape): Tensor => randn(shape, r);
  return new Sequential([
    new Conv2d(1, 4, 3, { padding: "same", init: draw, biasInit: draw }), new ReLU(), new MaxPool2d(2),
    new Conv2d(4, 3, [2, 3], { stride: [1, 2], padding: 1, init: draw, biasInit: draw }), new ReLU(), new AvgPool2d(2, { stride: 1, countIncludePad: false }),
    // (6, 8, 1) → (6, 8, 4) → (3, 4, 4) → (4, 2, 3) → (3, 1, 3) → 9 features.
    new Flatten(), new Linear(9, 2, { init: draw, biasInit: draw }),
  ]);
}

describe("Conv2d", () => {
  it("has weight (out, kh, kw, in) and bias (out), with fans of the receptive field", () => {
    const seen: InitContext[] = [];
    const init = (shape: Shape, context?: InitContext): Tensor => { seen.push(context!); return zeros(shape); };
    const conv = new Conv2d(3, 8, [5, 4], { init, biasInit: init });
    expect(conv.weight.shape).toEqual([8, 5, 4, 3]);
    expect(conv.bias!.shape).toEqual([8]);
    expect(seen[0]).toMatchObject({ fanIn: 3 * 5 * 4, fanOut: 8 * 5 * 4 });
    expect(conv.namedParameters().map(([n]) => n)).toEqual(["weight", "bias"]);
    expect(new Conv2d(3, 8, 3, { bias: false, init }).bias).toBeNull();
  });

  it("He initialization draws with variance 2/fanIn = 2/(in·kh·kw)", () => {
    const conv = new Conv2d(16, 64, 3, { init: heNormal, rng: rng(7) });
    const w = conv.weight.data;
    let s = 0;
    for (const v of w) s += v * v;
    // 9216 draws: the sample variance is within 5% of 2/144 (its standard error is 1.5%).
    expect(s / w.length / (2 / 144)).toBeGreaterThan(0.95);
    expect(s / w.length / (2 / 144)).toBeLessThan(1.05);
  });

  it("sums weight·window over the channels, plus the bias (hand-derived)", () => {
    const ones = (shape: Shape): Tensor => tensor(new Float64Array(shape.reduce((p, d) => p * d, 1)).fill(1), { shape });
    const conv = new Conv2d(2, 1, 2, { init: ones, biasInit: (s) => tensor([0.5], { shape: s }) });
    // Channels 0 and 1 hold k and 10k at pixel k of a 3×3 image: each 2×2 window sums 11·(a + a+1 + a+3 + a+4).
    const x = reshape(tensor(Array.from({ length: 9 }, (_, k) => [k, 10 * k]).flat()), [1, 3, 3, 2]);
    expect(conv.forward(x).toArray()).toEqual([[[[88.5], [132.5]], [[220.5], [264.5]]]]);
  });

  it("in Sequential, Conv2d → ReLU runs fused and gives the unfused result bit for bit", () => {
    const model = testNet(1), x = randn([3, 6, 8, 1], rng(2));
    const [conv] = model.layers.items as [Conv2d];
    expect(Array.from(model.layers.items[0]!.forward(x).data.map((v) => Math.max(v, 0)))).toEqual(Array.from(relu(conv.forward(x)).data));
    let y = x;
    for (const layer of model.layers.items) y = layer.forward(y);
    expect(Array.from(model.forward(x).data)).toEqual(Array.from(y.data));
    expect(model.forward(x).shape).toEqual([3, 2]);
  });

  it("a PyTorch weight (out, in, kh, kw) loads with transpose([0, 2, 3, 1])", () => {
    // PyTorch's weight[o, c, ky, kx] = 100o + 10c + 3ky + kx.
    const torch = tensor(Array.from({ length: 2 * 3 * 2 * 2 }, (_, i) => {
      const o = Math.floor(i / 12), c = Math.floor(i / 4) % 3, ky = Math.floor(i / 2) % 2, kx = i % 2;
      return 100 * o + 10 * c + 3 * ky + kx;
    }), { shape: [2, 3, 2, 2] });
    const conv = new Conv2d(3, 2, 2, { init: (s) => zeros(s), bias: false });
    conv.loadStateDict({ weight: transpose(torch, [0, 2, 3, 1]) });
    const w = conv.weight.data, at = (o: number, ky: number, kx: number, c: number): number => w[((o * 2 + ky) * 2 + kx) * 3 + c]!;
    expect([at(0, 0, 0, 0), at(1, 1, 0, 2), at(0, 1, 1, 1), at(1, 0, 1, 0)]).toEqual([0, 123, 14, 101]);
    expect(Array.from(transpose(conv.weight, [0, 3, 1, 2]).data)).toEqual(Array.from(torch.data));
  });

  it("refuses bad arguments and input, naming them", () => {
    expect(() => new Conv2d(0, 4, 3)).toThrow(ArgumentError);
    expect(() => new Conv2d(0, 4, 3)).toThrow(/Conv2d: inChannels must be a positive integer, got 0/);
    expect(() => new Conv2d(1, 4, [3, 0])).toThrow(/Conv2d: kernel\[1\] must be a positive integer, got 0/);
    expect(() => new Conv2d(1, 4, 3, { stride: 1.5 })).toThrow(/Conv2d: stride must be a positive integer, got 1.5/);
    expect(() => new Conv2d(1, 4, 3, { padding: "full" as "same" })).toThrow(/Conv2d: padding must be "same", "valid" or an integer ≥ 0, got "full"/);
    expect(() => new Conv2d(1, 4, 3, { init: (s) => zeros([s[0]!, 9]) })).toThrow(/Conv2d: the weight initializer returned shape \[4,9\], expected \[4,3,3,1\]/);
    const conv = new Conv2d(2, 4, 3, { init: (s) => zeros(s) });
    expect(() => conv.forward(zeros([1, 5, 5, 3]))).toThrow(ShapeError);
    expect(() => conv.forward(zeros([1, 5, 5, 3]))).toThrow(/Conv2d\(2 → 4\): input has shape \[1,5,5,3\], expected \[batch, height, width, 2\] \(NHWC\)/);
    expect(() => new MaxPool2d(2, { padding: 2 })).toThrow(/MaxPool2d: padding must be at most half the kernel \[2,2\], got 2/);
    expect(() => new AvgPool2d(2, { countIncludePad: 1 as unknown as boolean })).toThrow(/AvgPool2d: countIncludePad must be a boolean, got 1/);
    expect(() => new MaxPool2d(2).forward(zeros([4, 4]))).toThrow(/MaxPool2d: input has shape \[4,4\], expected \[batch, height, width, channels\]/);
  });
});

describe("pooling layers", () => {
  it("MaxPool2d and AvgPool2d (hand-derived)", () => {
    const x = reshape(arange(0, 16), [1, 4, 4, 1]);
    expect(new MaxPool2d(2).forward(x).toArray()).toEqual([[[[5], [7]], [[13], [15]]]]);
    expect(new AvgPool2d(2).forward(x).toArray()).toEqual([[[[2.5], [4.5]], [[10.5], [12.5]]]]);
    expect(new MaxPool2d(3, { stride: 1, padding: "same" }).forward(x).shape).toEqual([1, 4, 4, 1]);
    expect(new MaxPool2d(2).getConfig()).toEqual({ type: "MaxPool2d", config: { kernel: [2, 2], stride: [2, 2], padding: "valid" } });
  });
});

describe("saving and loading", () => {
  it.each(["json", "safetensors"] as const)("a CNN round-trips through %s with its outputs bit for bit", (format) => {
    const model = testNet(3), x = randn([2, 6, 8, 1], rng(4));
    const loaded = loadModel(serializeModel(model, { format })).model;
    expect(loaded.getConfig()).toEqual(model.getConfig());
    expect(Array.from(loaded.forward(x).data)).toEqual(Array.from(model.forward(x).data));
  });

  it("the saved config of a Conv2d", () => {
    const conv = new Conv2d(1, 8, [3, 2], { stride: 2, padding: "same", bias: false, init: (s) => zeros(s, { dtype: "float32" }), dtype: "float32" });
    expect(conv.getConfig()).toEqual({
      type: "Conv2d", config: { inChannels: 1, outChannels: 8, kernel: [3, 2], stride: [2, 2], padding: "same", bias: false, dtype: "float32" },
    });
  });
});

describe("cnn", () => {
  it("builds conv blocks (3×3 same, ReLU, 2×2 max-pool), Flatten and the dense part, drawing weights in layer order", () => {
    const model = cnn([8, 8, 1], { conv: [8, 16], dense: [32, 10], rng: rng(4) });
    expect(model.getConfig().children!.map((c) => c.type)).toEqual([
      "Conv2d", "ReLU", "MaxPool2d", "Conv2d", "ReLU", "MaxPool2d", "Flatten", "Linear", "ReLU", "Linear",
    ]);
    const r = rng(4);
    const by = [new Conv2d(1, 8, 3, { padding: "same", init: heNormal, rng: r }), new Conv2d(8, 16, 3, { padding: "same", init: heNormal, rng: r }),
      new Linear(2 * 2 * 16, 32, { init: heNormal, rng: r }), new Linear(32, 10, { init: heNormal, rng: r })];
    const weights = model.namedParameters().filter(([n]) => n.endsWith("weight")).map(([, p]) => Array.from(p.data));
    expect(weights).toEqual(by.map((l) => Array.from(l.weight.data)));
    expect(model.forward(zeros([3, 8, 8, 1])).shape).toEqual([3, 10]);
  });

  it("options: kernel, pool 1 (no pooling), softmax output, afterHidden", () => {
    const model = cnn([6, 5, 2], { conv: [4], dense: [7, 3], kernel: 5, pool: 1, output: "softmax", afterHidden: () => new ReLU(), rng: rng(1) });
    expect(model.getConfig().children!.map((c) => c.type)).toEqual(["Conv2d", "ReLU", "Flatten", "Linear", "ReLU", "ReLU", "Linear", "Softmax"]);
    expect((model.layers.items[0] as Conv2d).kernel).toEqual([5, 5]);
    expect((model.layers.items[3] as Linear).inFeatures).toBe(6 * 5 * 4);
    expect(model.layers.items.at(-1)).toBeInstanceOf(Softmax);
  });

  it("activation: tanh after every conv and hidden dense layer, Glorot weights by default; leakyRelu's slope", () => {
    const model = cnn([8, 8, 1], { conv: [4], dense: [6, 10], activation: "tanh", rng: rng(2) });
    expect(model.getConfig().children!.map((c) => c.type)).toEqual(["Conv2d", "Tanh", "MaxPool2d", "Flatten", "Linear", "Tanh", "Linear"]);
    const r = rng(2);
    const by = [new Conv2d(1, 4, 3, { padding: "same", init: xavierNormal, rng: r }), new Linear(4 * 4 * 4, 6, { init: xavierNormal, rng: r }), new Linear(6, 10, { init: xavierNormal, rng: r })];
    const weights = model.namedParameters().filter(([n]) => n.endsWith("weight")).map(([, p]) => Array.from(p.data));
    expect(weights).toEqual(by.map((l) => Array.from(l.weight.data)));
    const leaky = cnn([4, 4, 1], { conv: [2], dense: [3], activation: "leakyRelu", slope: 0.2, rng: rng(0) });
    expect(leaky.getConfig().children![1]).toMatchObject({ type: "LeakyReLU", config: { slope: 0.2 } });
    expect(() => cnn([8, 8, 1], { conv: [4], dense: [10], activation: "gelu" as never })).toThrow(/cnn: activation must be relu, leakyRelu, tanh or sigmoid, got "gelu"/);
  });

  it("refuses more blocks than the image has room for, and bad sizes", () => {
    expect(() => cnn([8, 8, 1], { conv: [4, 4, 4, 4], dense: [10], rng: rng(0) })).toThrow(ArgumentError);
    expect(() => cnn([8, 8, 1], { conv: [4, 4, 4, 4], dense: [10], rng: rng(0) })).toThrow(/cnn: conv block 4 of 4 gets a 1×1 map, too small for 2×2 pooling; a 8×8 input has room for 3 block\(s\)/);
    expect(() => cnn([8, 8] as unknown as [number, number, number], { conv: [4], dense: [10] })).toThrow(/cnn: input must be \[height, width, channels\], got \[8,8\]/);
    expect(() => cnn([8, 8, 1], { conv: [], dense: [10] })).toThrow(/cnn: options.conv must be a non-empty array of positive integers, got \[\]/);
    expect(() => cnn([8, 8, 1], { conv: [4], dense: [0] })).toThrow(/cnn: options.dense\[0\] must be a positive integer, got 0/);
  });
});

describe("training", () => {
  it("a small CNN learns the built-in digits: ≥ 0.93 accuracy on 20% held out after 8 epochs", () => {
    const { x, y } = loadDigits({ range: "unit" });
    const split = trainTestSplit(x, y, { rng: 1, stratify: true });
    const r = rng(0);
    const model = new Sequential([
      new Conv2d(1, 8, 3, { padding: "same", init: heNormal, rng: r }), new ReLU(), new MaxPool2d(2),
      new Conv2d(8, 16, 3, { padding: "same", init: heNormal, rng: r }), new ReLU(), new MaxPool2d(2),
      new Flatten(), new Linear(64, 10, { init: heNormal, rng: r }),
    ]);
    fit(model, split.train, { loss: softmaxCrossEntropy, optimizer: adam({ lr: 0.01 }), epochs: 8, batchSize: 32, rng: rng(2) });
    model.eval();
    const acc = accuracy(predictClass(model.forward(split.test.x)), split.test.y);
    expect(acc).toBeGreaterThanOrEqual(0.93);
  });
});
