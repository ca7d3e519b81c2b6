// From a resolved config to the library objects: the network, the optimizer with its
// schedule and clipping, the penalty, augmentation and early stopping.
import { heNormal, lecunNormal, randomNormal, varianceScaling, xavierNormal, zeros, type Initializer } from "@hone/init";
import { Reshape, Sequential, cnn, mlp, type Activation, type Module, type Penalty } from "@hone/nn";
import {
  augmentPipeline, dropoutAfterHidden, earlyStopping, gaussianNoise, l1, l2, randomFlip, randomRotation, randomShift,
  type AugmentFunction, type Augmentation, type EarlyStopping,
} from "@hone/regularize";
import { Tensor, add, conv2dOutputSize, type Rng } from "@hone/tensor";
import type { ImageShape } from "./data.js";
import { UsageError } from "./errors.js";
import type { AugmentSpec, TrainConfig } from "./flags.js";
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

/** The network's shape: the dense part's sizes (its input: the features, or the flattened last conv block) and how it reads in a header line. */
export interface NetworkShape {
  /** The dense layers' sizes, input first, the outputs last. */
  sizes: number[];
  /** `2→16→16→1`, or `8×8×1→conv 8→conv 16→64→10` with `--conv`. */
  text: string;
}

/**
 * The network `config` builds for `features` inputs (an image of shape `image` with `--conv`)
 * and `outputs` outputs: each conv block keeps the size (3×3 "same") and halves it (2×2
 * max-pooling, floor). Refuses more blocks than the image has room for.
 */
export function networkShape(config: TrainConfig, features: number, outputs: number, image?: ImageShape): NetworkShape {
  const { hidden, conv } = config.model;
  if (conv.length === 0 || image === undefined) {
    const sizes = [features, ...hidden, outputs];
    return { sizes, text: sizes.join("→") };
  }
  let [h, w] = image;
  conv.forEach((_, i) => {
    if (h < 2 || w < 2) throw new UsageError(`--conv ${conv.join(",")} has ${conv.length} blocks, but ${image[0]}×${image[1]} images have room for ${i} (each 2×2 max-pooling halves the size)`);
    [h, w] = conv2dOutputSize([h, w], 2, { stride: 2 });
  });
  const sizes = [h * w * conv.at(-1)!, ...hidden, outputs];
  return { sizes, text: [`${image.join("×")}`, ...conv.map((c) => `conv ${c}`), ...sizes].join("→") };
}

/**
 * The network: input size from the data, `--conv` blocks for images (each row reshaped to
 * the image first), `--layers` hidden, the task's outputs; dropout after hidden dense layers.
 */
export function buildModel(config: TrainConfig, features: number, task: Task, streams: Streams, image?: ImageShape): Module {
  const { hidden, conv, activation, dtype } = config.model;
  const keepProb = config.regularization.keepProb;
  const dropout = Array.isArray(keepProb) ? keepProb.some((p) => p < 1) : keepProb < 1;
  const common = {
    activation: ACTIVATION[activation],
    init: initializer(config.model),
    rng: streams.init,
    dtype,
    ...(dropout ? { afterHidden: dropoutAfterHidden({ keepProb, rng: streams.dropout }) } : {}),
  };
  if (conv.length === 0 || image === undefined) return mlp([features, ...hidden, task.outputs], common);
  networkShape(config, features, task.outputs, image);
  const net = cnn(image, { conv, dense: [...hidden, task.outputs], ...common });
  return new Sequential([new Reshape(image), ...net.layers.items]);
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

/** One augmentation; image transforms see each row as an image of shape `image`. */
function augmentation(spec: AugmentSpec, rng: Rng, image: ImageShape | undefined): Augmentation {
  if (spec.type === "noise") return gaussianNoise({ rng, std: spec.std });
  if (image === undefined) throw new Error(`--augment ${spec.type}: an image transform on a table (flags should have refused it)`);
  const t = spec.type === "shift" ? randomShift({ rng, maxDx: spec.pixels, maxDy: spec.pixels })
    : spec.type === "rotate" ? randomRotation({ rng, maxDegrees: spec.degrees })
    : randomFlip({ rng });
  return (x) => {
    const m = x.shape[0]!;
    return new Tensor(t(new Tensor(x.data, [m, ...image])).data, [m, x.shape[1]!]);
  };
}

/** The training-batch augmentation, or null for none. */
export function buildAugment(config: TrainConfig, rng: Rng, image?: ImageShape): AugmentFunction | null {
  const specs = config.regularization.augment;
  if (specs.length === 0) return null;
  return augmentPipeline(specs.map((s) => augmentation(s, rng, image)));
}

/** Early stopping on the dev loss, or null. */
export function buildEarlyStopping(config: TrainConfig): EarlyStopping | null {
  const e = config.regularization.earlyStopping;
  if (e === null) return null;
  return earlyStopping({ monitor: "devLoss", mode: "min", patience: e.patience, minDelta: e.minDelta, restoreBest: e.restoreBest });
}
