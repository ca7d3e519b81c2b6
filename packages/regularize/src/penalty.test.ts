// L2 and L1 penalties: values and gradients against hand formulas, validation, and the
// cost fit reports (penalty included) decreasing monotonically under gradient descent.
import { Module, Sequential, binaryCrossEntropyWithLogits, fit, type ModuleConfig } from "@hone/nn";
import { sgd } from "@hone/optim";
import { ArgumentError, add, backward, matmul, tensor, type Tensor } from "@hone/tensor";
import { describe, expect, it } from "vitest";
import { l1, l2 } from "./index.js";

/** A dense layer with weights given by hand: y = x·Wᵀ + b. */
class Dense extends Module {
  readonly weight: Tensor;
  readonly bias: Tensor;
  constructor(w: number[][], b: number[]) {
    super();
    this.weight = this.registerParameter("weight", tensor(w));
    this.bias = this.registerParameter("bias", tensor(b));
  }
  forward(x: Tensor): Tensor { return add(matmul(x, this.weight, { transposeB: true }), this.bias); }
  getConfig(): ModuleConfig { return { type: "Dense", config: {} }; }
}

const W1 = [[0.5, -1.25, 2], [-0.75, 0.3, 1.1]];
const b1 = [0.2, -0.4];
const W2 = [[1.5, -2.5]];
const b2 = [0.7];
const tiny = (): Sequential => new Sequential([new Dense(W1, b1), new Dense(W2, b2)]);
const sumSq = (rows: number[][]): number => rows.flat().reduce((s, v) => s + v * v, 0);
const sumAbs = (rows: number[][]): number => rows.flat().reduce((s, v) => s + Math.abs(v), 0);

const x = tensor([[1, 2, 3], [-1, 0.5, 2], [0.3, -0.2, 0.1], [2, 1, -1]]);
const y = tensor([1, 0, 1, 0]);
const m = 4;

function grads(model: Module, withPenalty: ((model: Module, m: number) => Tensor) | null): Map<string, Float64Array> {
  model.zeroGrad();
  let cost = binaryCrossEntropyWithLogits(model.forward(x), y);
  if (withPenalty !== null) cost = add(cost, withPenalty(model, m));
  backward(cost);
  return new Map(model.namedParameters().map(([name, p]) => [name, Float64Array.from(p.grad?.data ?? new Float64Array(p.size))]));
}

describe("l2", () => {
  it("is λ/(2m)·Σ‖W‖²_F over weights only (hand value)", () => {
    const lambda = 0.7;
    const expected = (lambda / (2 * m)) * (sumSq(W1) + sumSq(W2));
    const value = l2({ lambda })(tiny(), m).item();
    expect(Math.abs(value - expected) / expected).toBeLessThan(1e-15);
  });

  it("includes biases when asked", () => {
    const lambda = 0.3;
    const expected = (lambda / (2 * m)) * (sumSq(W1) + sumSq(W2) + sumSq([b1, b2]));
    const value = l2({ lambda, includeBiases: true })(tiny(), m).item();
    expect(Math.abs(value - expected) / expected).toBeLessThan(1e-15);
  });

  it("adds λ/m·W to dW and nothing to db (to 1e-12)", () => {
    const lambda = 0.7;
    const plain = grads(tiny(), null);
    const model = tiny();
    const reg = grads(model, l2({ lambda }));
    for (const [name, p] of model.namedParameters()) {
      const g0 = plain.get(name)!, g1 = reg.get(name)!;
      for (let i = 0; i < p.size; i++) {
        const expected = p.rank >= 2 ? (lambda / m) * p.data[i]! : 0;
        expect(Math.abs(g1[i]! - g0[i]! - expected), `${name}[${i}]`).toBeLessThan(1e-12);
      }
    }
  });

  it("alone, its gradient is exactly (λ/m)·W, with biases untouched", () => {
    const lambda = 0.7;
    const model = tiny();
    backward(l2({ lambda })(model, m));
    for (const [name, p] of model.namedParameters()) {
      if (p.rank < 2) { expect(p.grad, name).toBeNull(); continue; }
      for (let i = 0; i < p.size; i++) expect(p.grad!.data[i], `${name}[${i}]`).toBe((lambda / m) * p.data[i]!);
    }
  });

  it("with includeBiases, db gains λ/m·b", () => {
    const lambda = 0.5;
    const model = tiny();
    backward(l2({ lambda, includeBiases: true })(model, m));
    const b = model.namedParameters().find(([n]) => n === "layers.0.bias")![1];
    for (let i = 0; i < b.size; i++) expect(Math.abs(b.grad!.data[i]! - (lambda / m) * b.data[i]!)).toBeLessThan(1e-15);
  });

  it("is 0 for λ = 0 and for a model without weights", () => {
    expect(l2({ lambda: 0 })(tiny(), m).item()).toBe(0);
    class Empty extends Module {
      forward(t: Tensor): Tensor { return t; }
      getConfig(): ModuleConfig { return { type: "Empty", config: {} }; }
    }
    expect(l2({ lambda: 1 })(new Empty(), m).item()).toBe(0);
  });

  it("says what it is", () => {
    expect(l2({ lambda: 0.7 }).config).toEqual({ type: "l2", lambda: 0.7, includeBiases: false });
  });

  it.each([-1, NaN, Infinity, "0.7", undefined])("rejects lambda %s", (lambda) => {
    expect(() => l2({ lambda } as unknown as { lambda: number })).toThrow(ArgumentError);
    expect(() => l2({ lambda } as unknown as { lambda: number })).toThrow(/l2: lambda must be a finite number ≥ 0, got/);
  });

  it("rejects a bad batch size at call time", () => {
    expect(() => l2({ lambda: 1 })(tiny(), 0)).toThrow(/l2: m \(the batch size\) must be a positive integer, got 0/);
  });

  it("is part of the cost fit reports, which then decreases monotonically under gradient descent", () => {
    const lambda = 0.7;
    const model = tiny();
    const history = fit(model, { x, y }, { loss: binaryCrossEntropyWithLogits, optimizer: sgd({ lr: 0.1 }), epochs: 200, penalty: l2({ lambda }) });
    // Epoch 0's penalty is computed on the initial weights: the hand value.
    const expectedPenalty = (lambda / (2 * m)) * (sumSq(W1) + sumSq(W2));
    expect(Math.abs(history.epochs[0]!.penalty - expectedPenalty) / expectedPenalty).toBeLessThan(1e-15);
    const initialData = binaryCrossEntropyWithLogits(tiny().forward(x), y).item();
    expect(Math.abs(history.epochs[0]!.trainLoss - (initialData + expectedPenalty))).toBeLessThan(1e-14);
    const costs = history.epochs.map((e) => e.trainLoss);
    for (let i = 1; i < costs.length; i++) expect(costs[i]!, `epoch ${i}`).toBeLessThan(costs[i - 1]!);
    // The penalty shrinks the weights: the final ‖W‖² is below the initial one.
    expect(history.epochs.at(-1)!.penalty).toBeLessThan(expectedPenalty);
  });
});

describe("l1", () => {
  it("is λ/(2m)·Σ|W| over weights only (hand value)", () => {
    const lambda = 0.4;
    const expected = (lambda / (2 * m)) * (sumAbs(W1) + sumAbs(W2));
    const value = l1({ lambda })(tiny(), m).item();
    expect(Math.abs(value - expected) / expected).toBeLessThan(1e-15);
    const withBiases = (lambda / (2 * m)) * (sumAbs(W1) + sumAbs(W2) + sumAbs([b1, b2]));
    expect(Math.abs(l1({ lambda, includeBiases: true })(tiny(), m).item() - withBiases) / withBiases).toBeLessThan(1e-15);
  });

  it("adds λ/(2m)·sign(W) to dW (0 at W = 0) and nothing to db", () => {
    const lambda = 0.4;
    const model = new Sequential([new Dense([[0, -2], [3, 0.5]], [1, -1])]);
    backward(l1({ lambda })(model, m));
    const [[, w], [, b]] = model.namedParameters() as [[string, Tensor], [string, Tensor]];
    const c = lambda / (2 * m);
    expect(Array.from(w.grad!.data)).toEqual([0, -c, c, c]);
    expect(b.grad).toBeNull();
  });

  it("rejects a negative lambda", () => {
    expect(() => l1({ lambda: -0.1 })).toThrow("l1: lambda must be a finite number ≥ 0, got -0.1");
  });
});
