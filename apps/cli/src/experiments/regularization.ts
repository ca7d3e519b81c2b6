// The course's Regularization experiment: no regularization, L2 (λ = 0.7) and dropout
// (keepProb = 0.86) on the French football data, layers [2, 20, 3, 1], weights
// randn/√n[l−1] after seed(3), full-batch gradient descent with α = 0.3, 30,000 iterations.
import { fileURLToPath } from "node:url";
import type { Initializer } from "@hone/init";
import { binaryCrossEntropyWithLogits, fit, mlp, type MlpOptions, type Penalty } from "@hone/nn";
import { sgd } from "@hone/optim";
import { dropoutAfterHidden, l2 } from "@hone/regularize";
import { div, randn, rng, tensor, type Tensor } from "@hone/tensor";
import { binaryAccuracyOf, boundary, costRecorder } from "./common.js";
import type { ExperimentMode, ExperimentResult, Progress, VariantResult } from "./types.js";

/** The football data: training points X, y and the test points Xval, yval. */
export interface FootballData {
  X: number[][];
  y: number[];
  Xval: number[][];
  yval: number[];
}

/**
 * The football data the CLI ships, `apps/cli/data/football.json` (the course's data.mat as
 * JSON, a copy of the shared reference data; see apps/cli/data/README.md): the default data of
 * `hone experiment regularization`. The same path from src/experiments/ and dist/experiments/.
 */
export const bundledFootballFile: string = fileURLToPath(new URL("../../data/football.json", import.meta.url));

/** The notebook's `np.random.randn(n, n_prev) / np.sqrt(n_prev)` (a division, as numpy computes it). */
const courseInit: Initializer = (shape, context) => div(randn(shape, context!.rng!), Math.sqrt(shape[1]!));

/** Options for the experiment. */
export interface RegularizationOptions {
  mode: ExperimentMode;
  data: FootballData;
  /** Where the data came from, for the report. */
  source: string;
  iterations?: number;
  onProgress?: Progress;
}

/** Runs the three models and returns each beside the published numbers. */
export function runRegularization(options: RegularizationOptions): ExperimentResult {
  const start = performance.now();
  const iterations = options.iterations ?? 30_000;
  const exact = options.mode === "exact";
  const x = tensor(options.data.X), y = tensor(options.data.y);
  const xTest = tensor(options.data.Xval), yTest = tensor(options.data.yval);
  const variants: { name: string; penalty?: Penalty; afterHidden?: () => MlpOptions["afterHidden"]; published: VariantResult["published"]; lesson: string }[] = [
    {
      name: "no regularization",
      published: { costs: [{ iteration: 0, cost: 0.6557412523481002 }], trainAccuracy: 0.9478672985781991, testAccuracy: 0.915 },
      lesson: "Without regularization the network fits the training set's noise: train accuracy beats test accuracy (high variance).",
    },
    {
      name: "L2, λ = 0.7",
      penalty: l2({ lambda: 0.7 }),
      published: { costs: [{ iteration: 0, cost: 0.6974484493131264 }], trainAccuracy: 0.9383886255924171, testAccuracy: 0.93 },
      lesson: "L2 adds λ/(2m)·Σ‖W‖² to the cost, shrinking the weights: a smoother boundary, a little lower train accuracy, higher test accuracy.",
    },
    {
      name: "dropout, keepProb = 0.86",
      // exact: the notebook re-seeds seed(1) every forward pass, so its masks never change;
      // modern: a fresh mask every step from a stream of its own.
      afterHidden: () => dropoutAfterHidden(exact
        ? { keepProb: 0.86, rng: rng(1), fixedMask: true, maskLayout: "featuresFirst" }
        : { keepProb: 0.86, rng: rng(1).split() }),
      published: { costs: [{ iteration: 0, cost: 0.6543912405149825 }], trainAccuracy: 0.9289099526066351, testAccuracy: 0.95 },
      lesson: "Inverted dropout trains a different thinned network each step (here a fixed one, as in the notebook): the best test accuracy of the three.",
    },
  ];
  const results = variants.map(({ name, penalty, afterHidden, published, lesson }): VariantResult => {
    const model = mlp([2, 20, 3, 1], { init: courseInit, rng: rng(3), afterHidden: afterHidden?.() });
    const { callback, costs } = costRecorder(10_000, iterations, options.onProgress, name);
    fit(model, { x, y }, {
      loss: (z: Tensor, t: Tensor) => binaryCrossEntropyWithLogits(z, t, { form: exact ? "course" : "stable" }),
      optimizer: sgd({ lr: 0.3 }),
      epochs: iterations,
      callbacks: [callback],
      ...(penalty === undefined ? {} : { penalty }),
    });
    return {
      name, costs, published, lesson,
      trainAccuracy: binaryAccuracyOf(model, x, y),
      testAccuracy: binaryAccuracyOf(model, xTest, yTest),
      boundary: boundary(model, x, y),
    };
  });
  return { name: "regularization", mode: options.mode, data: options.source, variants: results, seconds: (performance.now() - start) / 1000 };
}
