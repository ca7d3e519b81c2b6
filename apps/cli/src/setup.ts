// From a resolved config to the library objects: the network, the optimizer with its
// schedule and clipping, the penalty, augmentation and early stopping.
import { heNormal, lecunNormal, randomNormal, varianceScaling, xavierNormal, zeros, type Initializer } from "@hone/init";
import { mlp, type Activation, type Module, type Penalty } from "@hone/nn";
import { augmentPipeline, dropoutAfterHidden, earlyStopping, gaussianNoise, l1, l2, type AugmentFunction, type EarlyStopping } from "@hone/regularize";
import { add, type Rng } from "@hone/tensor";
import type { TrainConfig } from "./flags.js";
import type { Streams } from "./streams.js";
import type { Task } from "./task.js";

const ACTIVATION: Record<TrainConfig["model"]["activation"], Activation> = {
  relu: "relu", "leaky-relu": "leakyRelu", tanh: "tanh", sigmoid: "sigmoid",
};

/**
 * The weight initializer of `--init` with `--init-scale`: `random` is N(0, s²) with s the
 * scale (default 0.01); he/lecun/xavier are variance-scaling presets whose standard
 * deviation the scale multiplies (variance × s²).
 */
export function initializer(config: TrainConfig["model"]): Initializer {
  const { init, initScale } = config;
  if (init === "zeros") return zeros;
  if (init === "random") return randomNormal({ std: initScale ?? 0.01 });
  if (initScale === null || initScale === 1) return init === "he" ? heNormal : init === "lecun" ? lecunNormal : xavierNormal;
  const s2 = initScale * initScale;
  if (init === "he") return varianceScaling({ scale: 2 * s2, mode: "fanIn", distribution: "normal" });
  if (init === "lecun") return varianceScaling({ scale: s2, mode: "fanIn", distribution: "normal" });
  return varianceScaling({ scale: s2, mode: "fanAvg", distribution: "normal" });
}

/** The network: input size from the data, `--layers` hidden, the task's outputs; dropout after hidden layers. */
export function buildModel(config: TrainConfig, features: number, task: Task, streams: Streams): Module {
  const { hidden, activation, dtype } = config.model;
  const keepProb = config.regularization.keepProb;
  const dropout = Array.isArray(keepProb) ? keepProb.some((p) => p < 1) : keepProb < 1;
  return mlp([features, ...hidden, task.outputs], {
    activation: ACTIVATION[activation],
    init: initializer(config.model),
    rng: streams.init,
    dtype,
    ...(dropout ? { afterHidden: dropoutAfterHidden({ keepProb, rng: streams.dropout }) } : {}),
  });
}

/** The L2 and/or L1 penalty, or null for none. */
export function buildPenalty(config: TrainConfig): Penalty | null {
  const { l2: lambda2, l1: lambda1 } = config.regularization;
  const terms: Penalty[] = [];
  if (lambda2 > 0) terms.push(l2({ lambda: lambda2 }));
  if (lambda1 > 0) terms.push(l1({ lambda: lambda1 }));
  if (terms.length === 0) return null;
  if (terms.length === 1) return terms[0]!;
  return (model, m) => add(terms[0]!(model, m), terms[1]!(model, m));
}

/** The training-batch augmentation, or null for none. */
export function buildAugment(config: TrainConfig, rng: Rng): AugmentFunction | null {
  const specs = config.regularization.augment;
  if (specs.length === 0) return null;
  return augmentPipeline(specs.map((s) => gaussianNoise({ rng, std: s.std })));
}

/** Early stopping on the dev loss, or null. */
export function buildEarlyStopping(config: TrainConfig): EarlyStopping | null {
  const e = config.regularization.earlyStopping;
  if (e === null) return null;
  return earlyStopping({ monitor: "devLoss", mode: "min", patience: e.patience, minDelta: e.minDelta, restoreBest: e.restoreBest });
}
