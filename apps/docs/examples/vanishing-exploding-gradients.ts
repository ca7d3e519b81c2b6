// Examples of the "Vanishing and exploding gradients" page.
// #region monitor
import { gradientMonitor, type GradientMonitor } from "@hone/gradcheck";
import { heNormal, randomNormal, xavierNormal, type Initializer } from "@hone/init";
import { makeMoons } from "@hone/data-split";
import { binaryCrossEntropyWithLogits, fit, mlp, type Activation } from "@hone/nn";
import { sgd } from "@hone/optim";
import { rng } from "@hone/tensor";

/** Five SGD steps on batches of 8, with a gradient monitor watching every backward pass. */
export function watched(activation: Activation, depth: number, width: number, init: Initializer): GradientMonitor {
  const data = makeMoons({ samples: 40, noise: 0.2, rng: rng(0) });
  const model = mlp([2, ...Array<number>(depth).fill(width), 1], { activation, init, rng: rng(1) });
  const monitor = gradientMonitor(); // vanishing below a first/last ratio of 1e-3, exploding above 1e3
  fit(model, data, {
    loss: binaryCrossEntropyWithLogits, optimizer: sgd({ lr: 0.01 }), epochs: 1, batchSize: 8, rng: rng(2),
    callbacks: [monitor],
  });
  return monitor; // monitor.history: every step's ‖∇W‖ per layer; monitor.report(): the verdicts
}

export const deepSigmoid = (): GradientMonitor => watched("sigmoid", 10, 32, xavierNormal);
export const hugeWeights = (): GradientMonitor => watched("relu", 4, 32, randomNormal({ std: 10 }));
export const heRelu = (): GradientMonitor => watched("relu", 5, 32, heNormal);
// deepSigmoid().report().vanishing → true; hugeWeights().report().exploding → true; heRelu(): neither
// #endregion monitor

// #region clip
/** The huge-weight network again, with or without clipping the gradient's global norm. */
export function largestNormAfterFiveSteps(clipNorm?: number): number {
  const data = makeMoons({ samples: 40, noise: 0.2, rng: rng(0) });
  const model = mlp([2, 32, 32, 32, 32, 1], { init: randomNormal({ std: 10 }), rng: rng(1) });
  const monitor = gradientMonitor();
  fit(model, data, {
    loss: binaryCrossEntropyWithLogits, epochs: 1, batchSize: 8, rng: rng(2), callbacks: [monitor],
    optimizer: sgd({ lr: 0.01, ...(clipNorm === undefined ? {} : { clipNorm }) }), // rescale g when ‖g‖ > clipNorm
  });
  return Math.max(...monitor.report().layers.map((layer) => layer.max)); // the monitor sees g before clipping
}
// largestNormAfterFiveSteps()  → about 1e91: each step makes the weights, and the next gradient, larger
// largestNormAfterFiveSteps(1) → about 2e6, near the first step's: each step moves the weights by at most α·1 = 0.01
// #endregion clip
