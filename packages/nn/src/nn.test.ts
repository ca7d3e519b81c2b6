import { heNormal, xavierNormal, zeros as zerosInit } from "@hone/init";
import { sgd } from "@hone/optim";
import { ArgumentError, ShapeError, rng, tensor, zeros, type Tensor } from "@hone/tensor";
import { describe, expect, it } from "vitest";
import {
  Flatten, Identity, LeakyReLU, Linear, ReLU, Sequential, Sigmoid, Softmax, Tanh, TrainingError, accuracy, binaryAccuracy,
  binaryCrossEntropy, binaryCrossEntropyWithLogits, categoricalAccuracy, defaultInit, errorRate, fit, meanSquaredError,
  mlp, oneHot, predictBinary, predictClass, softmaxCrossEntropy, infer, evaluate, classificationHead, type Callback, type Module,
} from "./index.js";

const close = (a: number, b: number, tol = 1e-12): void => expect(Math.abs(a - b)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(b)));

describe("Module", () => {
  const model = (): Sequential => mlp([2, 3, 1], { rng: rng(0) });

  it("names parameters by path, in order", () => {
    expect(model().namedParameters().map(([n]) => n)).toEqual(["layers.0.weight", "layers.0.bias", "layers.2.weight", "layers.2.bias"]);
    expect(model().parameters().every((p) => p.requiresGrad)).toBe(true);
  });

  it("train/eval reach every child", () => {
    const m = model().eval();
    expect(m.namedModules().every(([, c]) => !c.training)).toBe(true);
    m.train();
    expect(m.namedModules().every(([, c]) => c.training)).toBe(true);
  });

  it("stateDict is a snapshot; loadStateDict copies in place and checks names and shapes", () => {
    const a = model(), b = mlp([2, 3, 1], { rng: rng(1) });
    const snap = a.stateDict();
    a.parameters()[0]!.data[0] = 99;
    expect(snap["layers.0.weight"]!.data[0]).not.toBe(99);
    b.loadStateDict(snap);
    expect(b.stateDict()["layers.0.weight"]!.toArray()).toEqual(snap["layers.0.weight"]!.toArray());
    expect(() => b.loadStateDict({ ...snap, "layers.9.weight": zeros([1]) })).toThrow("loadStateDict: unexpected parameter 'layers.9.weight'");
    expect(() => b.loadStateDict({ ...snap, "layers.0.bias": zeros([4]) })).toThrow("loadStateDict: 'layers.0.bias' has shape [4], the model expects [3]");
    const { ["layers.2.bias"]: _, ...missing } = snap;
    expect(() => b.loadStateDict(missing)).toThrow("loadStateDict: missing parameters layers.2.bias");
  });
});

describe("layers", () => {
  it("Linear computes x·Wᵀ + b with W of shape (out, in)", () => {
    const layer = new Linear(2, 3, { init: zerosInit });
    layer.weight.data.set([1, 2, 3, 4, 5, 6]);
    layer.bias!.data.set([0.5, -1, 0]);
    expect(layer.forward(tensor([[1, 1], [2, 0]])).toArray()).toEqual([[3.5, 6, 11], [2.5, 5, 10]]);
    expect(layer.weight.shape).toEqual([3, 2]);
    expect(new Linear(2, 3, { init: zerosInit, bias: false }).parameters().length).toBe(1);
    expect(() => layer.forward(tensor([[1, 2, 3]]))).toThrow("Linear(2 → 3): input has shape [1,3], expected [batch, 2]");
    expect(() => new Linear(0, 3)).toThrow("Linear: inFeatures must be a positive integer, got 0");
    expect(() => new Linear(2, 3)).toThrow(/needs context.rng/);
  });

  it("activation modules compute their functions", () => {
    const x = tensor([[-2, 0.5]]);
    expect(new ReLU().forward(x).toArray()).toEqual([[0, 0.5]]);
    expect(new LeakyReLU(0.1).forward(x).toArray()).toEqual([[-0.2, 0.5]]);
    expect(new Tanh().forward(x).toArray()).toEqual([[Math.tanh(-2), Math.tanh(0.5)]]);
    expect(new Sigmoid().forward(tensor([[0]])).toArray()).toEqual([[0.5]]);
    const s = new Softmax().forward(tensor([[0, Math.log(3)]])).toArray() as number[][];
    close(s[0]![0]!, 0.25);
    close(s[0]![1]!, 0.75);
    expect(new Flatten().forward(zeros([2, 3, 4, 1])).shape).toEqual([2, 12]);
    expect(new Identity().forward(x)).toBe(x);
    expect(() => new LeakyReLU(-1)).toThrow("LeakyReLU: slope must be a finite number ≥ 0, got -1");
  });

  it("mlp: layer sequence, default init by activation, course draw order", () => {
    const m = mlp([2, 20, 3, 1], { rng: rng(3) });
    expect(m.layers.items.map((l) => l.getConfig().type)).toEqual(["Linear", "ReLU", "Linear", "ReLU", "Linear"]);
    // He init for ReLU, drawn layer by layer from one generator: equal to heNormal drawn by hand.
    const r = rng(3);
    const w1 = heNormal([20, 2], { rng: r }), w2 = heNormal([3, 20], { rng: r });
    expect(m.parameters()[0]!.toArray()).toEqual(w1.toArray());
    expect(m.parameters()[2]!.toArray()).toEqual(w2.toArray());
    expect(m.parameters()[1]!.toArray()).toEqual(new Array(20).fill(0));
    expect(defaultInit("tanh")).toBe(xavierNormal);
    const s = mlp([2, 4, 3], { activation: "tanh", output: "softmax", rng: rng(0), afterHidden: () => new Identity() });
    expect(s.layers.items.map((l) => l.getConfig().type)).toEqual(["Linear", "Tanh", "Identity", "Linear", "Softmax"]);
    expect(() => mlp([2])).toThrow("mlp: sizes must list at least an input and an output size, got [2]");
    expect(() => mlp([2, 1], { activation: "gelu" as never })).toThrow('mlp: activation must be relu, leakyRelu, tanh or sigmoid, got "gelu"');
  });
});

describe("losses (hand-derived values)", () => {
  it("binary cross-entropy from probabilities, with the course's nansum", () => {
    const p = tensor([[0.8], [0.3]]), y = tensor([1, 0]);
    close(binaryCrossEntropy(p, y).item(), -(Math.log(0.8) + Math.log(0.7)) / 2);
    // a = 0 with y = 0 makes 0·log 0 = NaN: dropped with nanSum; a = 1 with y = 0 is a real ∞.
    expect(binaryCrossEntropy(tensor([[0], [0.5]]), tensor([0, 1]), { nanSum: true }).item()).toBeCloseTo(Math.LN2 / 2, 15);
    expect(binaryCrossEntropy(tensor([[1]]), tensor([0]), { nanSum: true }).item()).toBe(Infinity);
    expect(Number.isNaN(binaryCrossEntropy(tensor([[0]]), tensor([0])).item())).toBe(true);
  });

  it("binary cross-entropy from logits: stable, gradient (σ(z) − y)/m", () => {
    const z = tensor([[2], [-1]], { requiresGrad: true }), y = tensor([1, 0]);
    const loss = binaryCrossEntropyWithLogits(z, y);
    const sig = (v: number): number => 1 / (1 + Math.exp(-v));
    close(loss.item(), -(Math.log(sig(2)) + Math.log(1 - sig(-1))) / 2);
    loss.backward();
    const g = z.grad!.toArray() as number[][];
    close(g[0]![0]!, (sig(2) - 1) / 2);
    close(g[1]![0]!, sig(-1) / 2);
    expect(binaryCrossEntropyWithLogits(tensor([[800]]), tensor([0])).item()).toBe(800);
    expect(binaryCrossEntropyWithLogits(tensor([[800]]), tensor([0]), { form: "course" }).item()).toBe(Infinity);
    expect(binaryCrossEntropyWithLogits(tensor([[3], [4]]), tensor([1, 0]), { reduction: "none" }).shape).toEqual([2, 1]);
  });

  it("softmax cross-entropy with integer or one-hot labels; MSE", () => {
    const z = tensor([[0, 0, Math.log(2)], [1, 1, 1]]);
    const expected = (-Math.log(2 / 4) - Math.log(1 / 3)) / 2;
    close(softmaxCrossEntropy(z, tensor([2, 0])).item(), expected);
    close(softmaxCrossEntropy(z, oneHot(tensor([2, 0]), 3)).item(), expected);
    expect(meanSquaredError(tensor([[1], [3]]), tensor([0, 1])).item()).toBe(2.5);
    expect(() => softmaxCrossEntropy(z, tensor([3, 0]))).toThrow("oneHot: labels[0] must be an integer in [0, 2], got 3");
    expect(() => meanSquaredError(tensor([[1, 2]]), tensor([1, 2, 3]))).toThrow(ShapeError);
  });

  it("metrics and prediction helpers", () => {
    expect(predictBinary(tensor([[0.2], [0.5], [0.7]])).toArray()).toEqual([0, 0, 1]);
    expect(predictBinary(tensor([[-1], [3]]), { from: "logits" }).toArray()).toEqual([0, 1]);
    expect(predictClass(tensor([[1, 3, 2], [5, 0, 0]])).toArray()).toEqual([1, 0]);
    expect(accuracy(tensor([1, 0, 1, 1]), tensor([1, 1, 1, 1]))).toBe(0.75);
    expect(errorRate(tensor([1, 0]), tensor([1, 1]))).toBe(0.5);
    expect(binaryAccuracy({ from: "logits" })(tensor([[2], [-1]]), tensor([1, 1]))).toBe(0.5);
    expect(categoricalAccuracy()(tensor([[0.1, 0.9], [0.8, 0.2]]), tensor([[0, 1], [0, 1]]))).toBe(0.5);
    expect(() => binaryAccuracy({ threshold: 1 })).toThrow("predictBinary: threshold must be in (0, 1), got 1");
  });
});

describe("fit", () => {
  const xor = { x: tensor([[0, 0], [0, 1], [1, 0], [1, 1]]), y: tensor([0, 1, 1, 0]) };

  it("learns XOR with full-batch gradient descent and records a history", () => {
    const model = mlp([2, 8, 1], { rng: rng(0) });
    const history = fit(model, xor, { loss: binaryCrossEntropyWithLogits, optimizer: sgd({ lr: 0.5 }), epochs: 500, metrics: { accuracy: binaryAccuracy({ from: "logits" }) } });
    expect(history.epochs.length).toBe(500);
    expect(history.epochs.at(-1)!.train?.accuracy).toBe(1);
    expect(history.epochs.at(-1)!.trainLoss).toBeLessThan(history.epochs[0]!.trainLoss / 10);
    expect(history.stopped).toBeNull();
  });

  it("reports the first-epoch cost as computed before the first update, penalty included", () => {
    const model = mlp([2, 3, 1], { rng: rng(2) });
    const before = binaryCrossEntropyWithLogits(model.forward(xor.x), xor.y).item();
    const penalty = (m: Module, size: number): Tensor => tensor(0.25 * size);
    const h = fit(model, xor, { loss: binaryCrossEntropyWithLogits, optimizer: sgd({ lr: 0.1 }), epochs: 1, penalty });
    close(h.epochs[0]!.trainLoss, before + 1);
    close(h.epochs[0]!.penalty, 1);
  });

  it("mini-batches: size-weighted cost, seeded shuffling through gatherRows, batch callbacks", () => {
    const x = tensor(Array.from({ length: 10 }, (_, i) => [i, -i])), y = tensor(Array.from({ length: 10 }, (_, i) => i % 2));
    const sizes: number[] = [];
    const cb: Callback = { onBackward: (info) => sizes.push(info.size) };
    const run = (seed: number): number[] => {
      const model = mlp([2, 4, 1], { rng: rng(5) });
      fit(model, { x, y }, { loss: binaryCrossEntropyWithLogits, optimizer: sgd({ lr: 0.1 }), epochs: 2, batchSize: 4, rng: rng(seed), callbacks: [cb] });
      return Array.from(model.parameters()[0]!.data);
    };
    expect(run(1)).toEqual(run(1));
    expect(run(1)).not.toEqual(run(2));
    expect(sizes.slice(0, 3)).toEqual([4, 4, 2]);
    expect(() => fit(mlp([2, 1], { rng: rng(0) }), { x, y }, { loss: binaryCrossEntropyWithLogits, optimizer: sgd({ lr: 0.1 }), epochs: 1, batchSize: 4 }))
      .toThrow("fit: shuffling needs rng");
  });

  it("evaluates the dev set in eval mode, and a callback can stop training", () => {
    const modes: boolean[] = [];
    const spy = new (class extends Identity { override forward(x: Tensor): Tensor { modes.push(this.training); return x; } })();
    const model = new Sequential([new Linear(2, 1, { rng: rng(0) }), spy]);
    const stopper: Callback = { onEpochEnd: (log, ctx) => { if (log.epoch === 2) ctx.stop("enough"); } };
    const h = fit(model, xor, { loss: binaryCrossEntropyWithLogits, optimizer: sgd({ lr: 0.1 }), epochs: 10, dev: xor, callbacks: [stopper] });
    expect(h.epochs.length).toBe(3);
    expect(h.stopped).toEqual({ epoch: 2, reason: "enough" });
    expect(h.epochs[0]!.devLoss).toBeTypeOf("number");
    expect(modes.slice(0, 2)).toEqual([true, false]); // train forward, then dev forward in eval mode
  });

  it("stops on a non-finite loss, naming the epoch, the batch and the place", () => {
    const model = mlp([2, 3, 1], { rng: rng(0) });
    const err = (() => {
      try {
        fit(model, xor, { loss: binaryCrossEntropyWithLogits, optimizer: sgd({ lr: 1e300 }), epochs: 5 });
      } catch (e) {
        return e as TrainingError;
      }
      return null;
    })();
    expect(err).toBeInstanceOf(TrainingError);
    expect(err!.epoch).toBe(1);
    expect(err!.batch).toBe(0);
    expect(err!.location).toMatch(/^(parameter layers\.\d\.(weight|bias)|the output of layers\.\d)/);
    expect(err!.message).toMatch(/^fit: the loss is (NaN|Infinity) at epoch 1, batch 0; non-finite values first appear in /);
  });

  it("applies augment to training batches only", () => {
    const seen: number[] = [];
    const model = mlp([2, 1], { rng: rng(0) });
    fit(model, xor, {
      loss: binaryCrossEntropyWithLogits, optimizer: sgd({ lr: 0.1 }), epochs: 2, dev: xor,
      augment: (b, info) => { seen.push(info.epoch); return { x: b.x, y: b.y }; },
    });
    expect(seen).toEqual([0, 1]);
  });

  it("validates its arguments", () => {
    const model = mlp([2, 1], { rng: rng(0) });
    const base = { loss: binaryCrossEntropyWithLogits, optimizer: sgd({ lr: 0.1 }), epochs: 1 };
    expect(() => fit(model, { x: tensor([[1, 2]]), y: tensor([1, 0]) }, base)).toThrow("fit: data.x has shape [1,2] and data.y has shape [2]; they need the same number of rows");
    expect(() => fit(model, xor, { ...base, epochs: -1 })).toThrow("fit: epochs must be a non-negative integer, got -1");
    expect(() => fit(model, xor, { ...base, batchSize: 0 })).toThrow('fit: batchSize must be a positive integer or "full", got 0');
    expect(() => fit(model, xor, { ...base, optimizer: {} as never })).toThrow(ArgumentError);
  });
});

describe("inference helpers", () => {
  it("infer runs in eval mode without gradients and restores the mode", () => {
    const model = mlp([2, 3, 1], { rng: rng(0) });
    const out = infer(model, tensor([[1, 2]]));
    expect(out.requiresGrad).toBe(false);
    expect(model.training).toBe(true);
  });

  it("evaluate gives the loss and metrics of one forward pass", () => {
    const model = new Linear(1, 1, { init: zerosInit });
    model.weight.data[0] = 1;
    // logits [2, -1] for targets [1, 1]: accuracy 1/2, loss (softplus(−2) + softplus(1))/2.
    const r = evaluate(model, { x: tensor([[2], [-1]]), y: tensor([1, 1]) }, { loss: binaryCrossEntropyWithLogits, metrics: { accuracy: binaryAccuracy({ from: "logits" }) } });
    expect(r.metrics.accuracy).toBe(0.5);
    close(r.loss!, (Math.log1p(Math.exp(-2)) + Math.log1p(Math.exp(1))) / 2);
  });

  it("classificationHead: one logit for two classes, k logits for more", () => {
    const binary = classificationHead(2), three = classificationHead(3);
    expect([binary.outputs, binary.lossName, three.outputs, three.lossName]).toEqual([1, "binaryCrossEntropyWithLogits", 3, "softmaxCrossEntropy"]);
    const p = binary.probabilities(tensor([[0], [Math.log(3)]])).toArray() as number[][];
    close(p[1]![1]!, 0.75);
    close(p[1]![0]!, 0.25);
    expect(binary.predict(tensor([[-1], [2]])).toArray()).toEqual([0, 1]);
    expect(three.predict(tensor([[0, 5, 1]])).toArray()).toEqual([1]);
    const q = three.probabilities(tensor([[0, 0, Math.log(2)]])).toArray() as number[][];
    close(q[0]![2]!, 0.5);
    expect(() => classificationHead(1)).toThrow("classificationHead: classes must be an integer ≥ 2, got 1");
  });
});
