// The course's Regularization experiment (shared/REFERENCE.md), through the public APIs:
// football data (211 train, 200 test), layers [2, 20, 3, 1] with ReLU, ReLU and a sigmoid
// output (logits here, with the course's cross-entropy form), weights randn/√n_prev drawn
// layer by layer after numpy's seed(3), biases zero, full-batch gradient descent with
// α = 0.3 for 30,000 iterations. Published: the cost at iteration 0 (penalty included) and
// the train/test accuracies, for no regularization, L2 with λ = 0.7, and dropout with
// keep_prob = 0.86 on both hidden layers (masks re-seeded with seed(1) every pass).
import { readFileSync } from "node:fs";
import { accuracy, binaryCrossEntropyWithLogits, fit, mlp, predictBinary, type MlpOptions, type Penalty } from "@hone/nn";
import type { Initializer } from "@hone/init";
import { sgd } from "@hone/optim";
import { div, randn, rng, tensor } from "@hone/tensor";
import { describe, expect, it } from "vitest";
import { Dropout, dropoutAfterHidden, l2 } from "./index.js";

interface Football { X: number[][]; y: number[]; Xval: number[][]; yval: number[] }
interface Fixtures {
  init_reg_randn_div_sqrt_nprev_seed3_dims_2_20_3_1: Record<"W1" | "W2" | "W3", number[][]>;
  dropout_seed1_rand_20x211_then_3x211: Record<"D1_keep0.86" | "D2_keep0.86", number[][]>;
}
const read = <T>(file: string): T => JSON.parse(readFileSync(new URL(`../../../fixtures/course/${file}`, import.meta.url), "utf8")) as T;
const data = read<Football>("football.json");
const fixtures = read<Fixtures>("numpy_rng_fixtures.json");
const x = tensor(data.X), y = tensor(data.y), xTest = tensor(data.Xval), yTest = tensor(data.yval);

/** The notebook's `np.random.randn(n, n_prev) / np.sqrt(n_prev)` (a division, as numpy does it). */
const courseInit: Initializer = (shape, context) => div(randn(shape, context!.rng!), Math.sqrt(shape[1]!));

const transpose = (a: number[][]): number[][] => a[0]!.map((_, j) => a.map((row) => row[j]!));

interface Case {
  name: string;
  penalty?: Penalty;
  afterHidden?: MlpOptions["afterHidden"];
  cost0: number;
  train: number;
  test: number;
}

const cases: Case[] = [
  { name: "no regularization", cost0: 0.6557412523481002, train: 0.9478672985781991, test: 0.915 },
  { name: "L2, λ = 0.7", penalty: l2({ lambda: 0.7 }), cost0: 0.6974484493131264, train: 0.9383886255924171, test: 0.93 },
  {
    name: "dropout, keepProb = 0.86",
    // One shared rng(1), masks drawn once (the notebook re-seeds every pass) in its (features, examples) order.
    afterHidden: dropoutAfterHidden({ keepProb: 0.86, rng: rng(1), fixedMask: true, maskLayout: "featuresFirst" }),
    cost0: 0.6543912405149825, train: 0.9289099526066351, test: 0.95,
  },
];

describe("course: Regularization (football, [2,20,3,1], α = 0.3, 30,000 iterations)", () => {
  it("draws the published initial weights (randn/√n_prev after seed(3))", () => {
    const model = mlp([2, 20, 3, 1], { init: courseInit, rng: rng(3) });
    const w = fixtures.init_reg_randn_div_sqrt_nprev_seed3_dims_2_20_3_1;
    const params = Object.fromEntries(model.namedParameters().map(([k, p]) => [k, p.toArray()]));
    expect(params["layers.0.weight"]).toEqual(w.W1);
    expect(params["layers.2.weight"]).toEqual(w.W2);
    expect(params["layers.4.weight"]).toEqual(w.W3);
  });

  it.each(cases)("$name reproduces the published cost at iteration 0 and the accuracies", ({ penalty, afterHidden, cost0, train, test }) => {
    const model = mlp([2, 20, 3, 1], { init: courseInit, rng: rng(3), afterHidden });
    const started = performance.now();
    const history = fit(model, { x, y }, {
      // The course prints σ then the nansum cross-entropy; the gradient is (a − y)/m.
      loss: (out, target) => binaryCrossEntropyWithLogits(out, target, { form: "course" }),
      optimizer: sgd({ lr: 0.3 }),
      epochs: 30_000,
      ...(penalty ? { penalty } : {}),
    });
    const seconds = (performance.now() - started) / 1000;
    const first = history.epochs[0]!.trainLoss;
    expect(Math.abs(first - cost0) / cost0).toBeLessThan(1e-10);
    model.eval();
    expect(accuracy(predictBinary(model.forward(x), { from: "logits" }), y)).toBe(train);
    expect(accuracy(predictBinary(model.forward(xTest), { from: "logits" }), yTest)).toBe(test);
    if (afterHidden) {
      // The masks used in every iteration are the notebook's D1, D2, transposed to (examples, units).
      const drops = model.namedModules().map(([, m]) => m).filter((m): m is Dropout => m instanceof Dropout);
      expect(drops).toHaveLength(2);
      const f = fixtures.dropout_seed1_rand_20x211_then_3x211;
      expect(drops[0]!.mask!.toArray()).toEqual(transpose(f["D1_keep0.86"]));
      expect(drops[1]!.mask!.toArray()).toEqual(transpose(f["D2_keep0.86"]));
    }
    // Speed is the bench's business (bench/), not a timed assertion here.
    console.info(`course regularization: ${seconds.toFixed(2)} s for 30,000 iterations`);
  });
});
