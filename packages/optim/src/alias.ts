// Named optimizers, each a recipe over the links in transforms.ts.
import { ArgumentError, describe } from "@hone/tensor";
import { beta as checkBeta, nonNegative } from "./check.js";
import { Optimizer } from "./optimizer.js";
import type { Schedule } from "./schedules.js";
import { chain, type GradientTransformation } from "./transform.js";
import {
  addWeightDecay, clipByGlobalNorm, clipByValue, scaleByAdam, scaleByLearningRate, scaleByRms, trace, traceEma,
  weightsOnly, type ParamMask, type ScheduleUnit,
} from "./transforms.js";

/** Options every named optimizer takes. */
export interface CommonOptions {
  /** Learning rate α: a number, or a `Schedule` of the epoch (or step, see `scheduleUnit`). */
  lr: number | Schedule;
  /** What a schedule counts: `"epoch"` (default) or `"step"`. */
  scheduleUnit?: ScheduleUnit;
  /** Coupled weight decay: adds `weightDecay·p` to the gradient (PyTorch's `weight_decay`). Default 0. */
  weightDecay?: number;
  /** Which parameters weight decay applies to. Default all (pass `weightsOnly` to spare biases). */
  weightDecayMask?: ParamMask;
  /** Rescale the gradients when their global norm exceeds this. Default: no clipping. */
  clipNorm?: number;
  /** Clip every gradient component to ±clipValue. Default: no clipping. */
  clipValue?: number;
}

function build(name: string, options: CommonOptions, core: GradientTransformation[], lrAt: "end" | "none" = "end"): Optimizer {
  if (typeof options !== "object" || options === null) throw new ArgumentError(`${name}: options must be an object with lr, got ${describe(options)}`);
  if (options.lr === undefined) throw new ArgumentError(`${name}: lr is required`);
  const links: GradientTransformation[] = [];
  if (options.clipValue !== undefined) links.push(clipByValue(options.clipValue));
  if (options.clipNorm !== undefined) links.push(clipByGlobalNorm(options.clipNorm));
  if (options.weightDecay !== undefined && nonNegative(name, "weightDecay", options.weightDecay) > 0) {
    links.push(addWeightDecay(options.weightDecay, { mask: options.weightDecayMask }));
  }
  links.push(...core);
  if (lrAt === "end") links.push(scaleByLearningRate(options.lr, { unit: options.scheduleUnit }));
  return new Optimizer(name, chain(...links));
}

/**
 * Plain (mini-batch) gradient descent: `W −= α·dW`.
 *
 * @example
 * ```ts
 * import { sgd } from "@hone/optim";
 * const opt = sgd({ lr: 0.01 });
 * ```
 */
export function sgd(options: CommonOptions): Optimizer {
  return build("sgd", options, []);
}

/** Options for `momentum`. */
export interface MomentumOptions extends CommonOptions {
  /** β. Default 0.9. */
  beta?: number;
  /**
   * `"ema"` (default): the course's `v = β·v + (1−β)·dW; W −= α·v`.
   * `"pytorch"`: `v = β·v + dW` (v = dW on the first step); `W −= α·v`. With the same α
   * the PyTorch form takes steps about 1/(1−β) times larger.
   */
  form?: "ema" | "pytorch";
  /** Nesterov momentum (PyTorch form only): `W −= α·(dW + β·v)`. Default false. */
  nesterov?: boolean;
  /** Dampening of the PyTorch form. Default 0. */
  dampening?: number;
}

/**
 * Gradient descent with momentum, in the course's form (default) or PyTorch's.
 *
 * @example
 * ```ts
 * import { momentum } from "@hone/optim";
 * momentum({ lr: 0.0007, beta: 0.9 });                             // the course
 * momentum({ lr: 0.01, beta: 0.9, form: "pytorch", nesterov: true }); // PyTorch SGD(nesterov=True)
 * ```
 */
export function momentum(options: MomentumOptions): Optimizer {
  const form = options.form ?? "ema";
  if (form !== "ema" && form !== "pytorch") throw new ArgumentError(`momentum: form must be "ema" or "pytorch", got ${describe(form)}`);
  const b = checkBeta("momentum", "beta", options.beta ?? 0.9);
  if (form === "ema" && (options.nesterov === true || (options.dampening ?? 0) !== 0)) {
    throw new ArgumentError('momentum: nesterov and dampening belong to form "pytorch"');
  }
  const core = form === "ema" ? traceEma(b) : trace({ momentum: b, nesterov: options.nesterov, dampening: options.dampening });
  return build("momentum", options, [core]);
}

/** Options for `rmsprop`. */
export interface RmspropOptions extends CommonOptions {
  /** Decay of the squared-gradient average. Default 0.9 (the course's β; PyTorch's α is 0.99). */
  beta?: number;
  /** ε outside the root. Default 1e-8. */
  eps?: number;
}

/**
 * RMSprop: `s = β·s + (1−β)·dW²; W −= α·dW/(√s + ε)`.
 *
 * @example
 * ```ts
 * import { rmsprop } from "@hone/optim";
 * rmsprop({ lr: 0.001, beta: 0.9 });
 * ```
 */
export function rmsprop(options: RmspropOptions): Optimizer {
  return build("rmsprop", options, [scaleByRms({ beta: options.beta, eps: options.eps })]);
}

/** Options for `adam` and `adamw`. */
export interface AdamOptions extends Omit<CommonOptions, "lr"> {
  /** Learning rate. Default 0.001. */
  lr?: number | Schedule;
  /** β1. Default 0.9. */
  beta1?: number;
  /** β2. Default 0.999. */
  beta2?: number;
  /** ε outside the root. Default 1e-8. */
  eps?: number;
}

/**
 * Adam: bias-corrected moments, t counting steps from 1, `W −= α·v̂/(√ŝ + ε)` with ε
 * outside the root (as in the paper, the course and PyTorch). `weightDecay` here is
 * coupled (added to the gradient before the moments); for decoupled decay use `adamw`.
 *
 * @example
 * ```ts
 * import { adam } from "@hone/optim";
 * adam({ lr: 0.0007, beta1: 0.9, beta2: 0.999, eps: 1e-8 }); // the course
 * ```
 */
export function adam(options: AdamOptions = {}): Optimizer {
  const o = { ...options, lr: options.lr ?? 0.001 };
  return build("adam", o, [scaleByAdam({ beta1: o.beta1, beta2: o.beta2, eps: o.eps })]);
}

/** Options for `adamw`. */
export interface AdamWOptions extends Omit<AdamOptions, "weightDecay" | "weightDecayMask"> {
  /** Decoupled decay λ: `W −= α·(v̂/(√ŝ + ε) + λ·W)`. Default 0.01 (PyTorch's). */
  weightDecay?: number;
  /** Which parameters decay. Default `weightsOnly` (biases are spared). */
  weightDecayMask?: ParamMask;
}

/**
 * AdamW (Loshchilov & Hutter): Adam with decoupled weight decay, `W −= α·λ·W` applied
 * beside the Adam step rather than through the gradient, so it is not rescaled by √ŝ.
 * Matches PyTorch's `AdamW`; by default biases are not decayed.
 *
 * @example
 * ```ts
 * import { adamw } from "@hone/optim";
 * adamw({ lr: 0.001, weightDecay: 0.01 });
 * ```
 */
export function adamw(options: AdamWOptions = {}): Optimizer {
  const wd = nonNegative("adamw", "weightDecay", options.weightDecay ?? 0.01);
  const o: CommonOptions = { lr: options.lr ?? 0.001, scheduleUnit: options.scheduleUnit, clipNorm: options.clipNorm, clipValue: options.clipValue };
  return build("adamw", o, [
    scaleByAdam({ beta1: options.beta1, beta2: options.beta2, eps: options.eps }),
    addWeightDecay(wd, { mask: options.weightDecayMask ?? weightsOnly }),
  ]);
}
