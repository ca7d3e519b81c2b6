// The course's Initialization experiment (shared/REFERENCE.md), through the public APIs:
// circles data, layers [2, 10, 5, 1], full-batch gradient descent with α = 0.01 for
// 15,000 iterations, weights drawn layer by layer after numpy's seed(3), biases zero.
// Published: the cost at iteration 0 and the train/test accuracies.
import { readFileSync } from "node:fs";
import { heNormal, randomNormal, zeros, type Initializer } from "@hone/init";
import { sgd } from "@hone/optim";
import { rng, tensor } from "@hone/tensor";
import { describe, expect, it } from "vitest";
import { accuracy, binaryCrossEntropyWithLogits, fit, mlp, predictBinary } from "./index.js";

interface Circles { X: number[][]; y: number[]; Xtest: number[][]; ytest: number[] }
const data = JSON.parse(readFileSync(new URL("../../../fixtures/course/circles.json", import.meta.url), "utf8")) as Circles;
const x = tensor(data.X), y = tensor(data.y), xTest = tensor(data.Xtest), yTest = tensor(data.ytest);

const cases: { name: string; init: Initializer; cost0: number; train: number; test: number }[] = [
  { name: "zeros", init: zeros, cost0: 0.6931471805599453, train: 0.5, test: 0.5 },
  { name: "random ×10", init: randomNormal({ std: 10 }), cost0: Infinity, train: 0.83, test: 0.86 },
  { name: "He", init: heNormal, cost0: 0.8830537463419761, train: 0.9933333333333333, test: 0.96 },
];

describe("course: Initialization (circles, [2,10,5,1], α = 0.01, 15,000 iterations)", () => {
  it.each(cases)("$name init reproduces the published cost and accuracies", ({ init, cost0, train, test }) => {
    const model = mlp([2, 10, 5, 1], { init, rng: rng(3) });
    const history = fit(model, { x, y }, {
      // The course prints σ then the nansum cross-entropy; its gradient is (a − y)/m.
      loss: (out, target) => binaryCrossEntropyWithLogits(out, target, { form: "course" }),
      optimizer: sgd({ lr: 0.01 }),
      epochs: 15_000,
      onNonFinite: "continue", // random ×10 starts at an infinite cost, as published
    });
    const first = history.epochs[0]!.trainLoss;
    if (Number.isFinite(cost0)) expect(Math.abs(first - cost0) / cost0).toBeLessThan(1e-10);
    else expect(first).toBe(cost0);
    model.eval();
    expect(accuracy(predictBinary(model.forward(x), { from: "logits" }), y)).toBe(train);
    expect(accuracy(predictBinary(model.forward(xTest), { from: "logits" }), yTest)).toBe(test);
  });
});
