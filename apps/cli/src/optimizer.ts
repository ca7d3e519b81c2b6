// The optimizer of a run: the named @hone/optim recipe with its learning-rate schedule (per
// epoch), gradient clipping and weight decay.
import type { OptimizerLike } from "@hone/nn";
import {
  adam, adamw, cosineDecay, exponentialDecay, inverseTimeDecay, momentum, rmsprop, sgd, steppedInverseTimeDecay,
  type Schedule,
} from "@hone/optim";
import type { TrainConfig } from "./flags.js";

/** The learning rate: a number, or a schedule of the 0-based epoch. */
export function learningRate(config: TrainConfig): number | Schedule {
  const { lr, decay } = config.optimizer;
  switch (decay.type) {
    case "none": return lr;
    case "inverse": return inverseTimeDecay({ initial: lr, decayRate: decay.rate! });
    case "stepped": return steppedInverseTimeDecay({ initial: lr, decayRate: decay.rate!, interval: decay.interval! });
    // α₀·r^(t/interval): the per-epoch factor is r^(1/interval).
    case "exponential": return exponentialDecay({ initial: lr, rate: decay.rate! ** (1 / decay.interval!) });
    case "cosine": return cosineDecay({ initial: lr, total: Math.max(1, config.training.epochs - 1), final: decay.minLr ?? 0 });
  }
}

/** The optimizer `--optimizer` names, configured by the other flags. */
export function buildOptimizer(config: TrainConfig): OptimizerLike {
  const o = config.optimizer;
  const common = {
    lr: learningRate(config),
    scheduleUnit: "epoch" as const,
    ...(o.clipNorm === null ? {} : { clipNorm: o.clipNorm }),
  };
  const coupledDecay = o.weightDecay === undefined ? {} : { weightDecay: o.weightDecay };
  switch (o.name) {
    case "gd": return sgd({ ...common, ...coupledDecay });
    case "momentum": return momentum({ ...common, ...coupledDecay, beta: o.beta! });
    case "rmsprop": return rmsprop({ ...common, ...coupledDecay, beta: o.beta!, eps: o.eps! });
    case "adam": return adam({ ...common, ...coupledDecay, beta1: o.beta1!, beta2: o.beta2!, eps: o.eps! });
    case "adamw": return adamw({ ...common, weightDecay: o.weightDecay ?? 0.01, beta1: o.beta1!, beta2: o.beta2!, eps: o.eps! });
  }
}
