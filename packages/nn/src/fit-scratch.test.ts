// fit runs a step's forward pass, loss and backward pass in scratch buffers (withScratch)
// only when nothing in them can keep a tensor: built-in modules and losses, no penalty.
// Checked here: the same numbers either way, and a module or loss that keeps its tensors
// (so fit must allocate as usual) finds them intact after later steps.
import { adam, sgd } from "@hone/optim";
import { relu, rng, tensor, type Tensor } from "@hone/tensor";
import { describe, expect, it } from "vitest";
import { Linear, Module, ReLU, Sequential, binaryCrossEntropyWithLogits, fit, mlp, softmaxCrossEntropy, type Loss } from "./index.js";

/** 64 points of two noisy rings (seeded), labels 0/1. */
function rings(): { x: Tensor; y: Tensor } {
  const r = rng(11);
  const xs: number[][] = [], ys: number[] = [];
  for (let i = 0; i < 64; i++) {
    const label = i % 2, angle = r.uniform(0, 2 * Math.PI), radius = (label === 1 ? 1 : 2) + 0.2 * r.randn();
    xs.push([radius * Math.cos(angle), radius * Math.sin(angle)]);
    ys.push(label);
  }
  return { x: tensor(xs), y: tensor(ys) };
}

/** A ReLU that keeps every output it returns, with a copy taken at the time. */
class KeepingReLU extends Module {
  readonly kept: Tensor[] = [];
  readonly copies: number[][] = [];
  forward(x: Tensor): Tensor {
    const y = relu(x);
    this.kept.push(y);
    this.copies.push(Array.from(y.data));
    return y;
  }
  getConfig(): { type: string; config: Record<string, never> } {
    return { type: "KeepingReLU", config: {} };
  }
}

/** The same network as mlp([2, 16, 16, 1]) with the same weights, its first ReLU keeping its outputs. */
function keepingModel(): { model: Sequential; keeper: KeepingReLU } {
  const reference = mlp([2, 16, 16, 1], { rng: rng(4) });
  const linears = reference.parameters();
  const l1 = new Linear(2, 16, { rng: rng(0) }), l2 = new Linear(16, 16, { rng: rng(0) }), l3 = new Linear(16, 1, { rng: rng(0) });
  [l1.weight, l1.bias!, l2.weight, l2.bias!, l3.weight, l3.bias!].forEach((p, i) => p.data.set(linears[i]!.data));
  const keeper = new KeepingReLU();
  return { model: new Sequential([l1, keeper, l2, new ReLU(), l3]), keeper };
}

describe("fit's steps in scratch buffers", () => {
  it("give the same costs and weights as ordinary allocation (a user module in the model turns it off)", () => {
    const data = rings();
    const builtIn = mlp([2, 16, 16, 1], { rng: rng(4) });
    const { model: keeping } = keepingModel();
    const a = fit(builtIn, data, { loss: binaryCrossEntropyWithLogits, optimizer: adam({ lr: 0.02 }), epochs: 60, batchSize: 16, rng: rng(2) });
    const b = fit(keeping, data, { loss: binaryCrossEntropyWithLogits, optimizer: adam({ lr: 0.02 }), epochs: 60, batchSize: 16, rng: rng(2) });
    expect(a.epochs.map((e) => e.trainLoss)).toEqual(b.epochs.map((e) => e.trainLoss));
    expect(builtIn.parameters().map((p) => Array.from(p.data))).toEqual(keeping.parameters().map((p) => Array.from(p.data)));
    expect(a.epochs.at(-1)!.trainLoss).toBeLessThan(0.3 * a.epochs[0]!.trainLoss); // it learned
  });

  it("leave a user module's kept outputs intact through later steps", () => {
    const { model, keeper } = keepingModel();
    fit(model, rings(), { loss: binaryCrossEntropyWithLogits, optimizer: sgd({ lr: 0.1 }), epochs: 20, batchSize: 16, rng: rng(2) });
    expect(keeper.kept).toHaveLength(80);
    keeper.kept.forEach((t, i) => { expect(Array.from(t.data), `step ${i}`).toEqual(keeper.copies[i]); });
  });

  it("leave what a user loss keeps intact (a built-in model, a loss of one's own)", () => {
    const kept: Tensor[] = [], copies: number[][] = [];
    const keepingLoss: Loss = (output, target) => {
      kept.push(output);
      copies.push(Array.from(output.data));
      return softmaxCrossEntropy(output, target);
    };
    const data = rings();
    fit(mlp([2, 16, 2], { rng: rng(4) }), data, { loss: keepingLoss, optimizer: sgd({ lr: 0.1 }), epochs: 10, batchSize: 16, rng: rng(2) });
    expect(kept).toHaveLength(40);
    kept.forEach((t, i) => { expect(Array.from(t.data), `step ${i}`).toEqual(copies[i]); });
  });
});
