// The links optimizers are made of. Each rewrites the update buffers in place; buffers
// are allocated once in `init`, and no tensor is allocated per step.
import { ArgumentError, describe, getBackend, libm, type Data } from "@hone/tensor";
import { beta, nonNegative, positive } from "./check.js";
import type { Schedule } from "./schedules.js";
import { zerosLike, type GradientTransformation, type ParamInfo, type StepContext, type TransformState } from "./transform.js";

/** Selects parameters: a predicate on their info, or one boolean per parameter. */
export type ParamMask = ((param: ParamInfo) => boolean) | readonly boolean[];

/** The mask that selects weights (rank ≥ 2) and skips biases: decay weights, not biases. */
export const weightsOnly: (param: ParamInfo) => boolean = (p) => p.shape.length >= 2;

function selected(mask: ParamMask | undefined, info: ParamInfo): boolean {
  if (mask === undefined) return true;
  if (typeof mask === "function") return mask(info);
  return mask[info.index] ?? false;
}

/** When a learning-rate schedule advances. */
export type ScheduleUnit = "epoch" | "step";

/**
 * Multiplies the updates by the learning rate: a number, or a `Schedule` of the 0-based
 * epoch (default; the optimizer's epoch advances in `onEpochEnd`) or of the 0-based step
 * count (steps taken before this one). Epoch e trains with `schedule(e)`, as Keras's and
 * PyTorch's epoch schedulers do; the course's loop is one epoch later (it sets the rate
 * `decay(α₀, i)` at the end of epoch i, so epoch e uses `decay(α₀, e − 1)`, and α₀ in epoch 0).
 *
 * @example
 * ```ts
 * import { scaleByLearningRate, inverseTimeDecay } from "@hone/optim";
 * scaleByLearningRate(0.01);
 * scaleByLearningRate(inverseTimeDecay({ initial: 0.1, decayRate: 1 }), { unit: "epoch" });
 * ```
 */
export function scaleByLearningRate(lr: number | Schedule, options: { unit?: ScheduleUnit } = {}): GradientTransformation {
  const unit = options.unit ?? "epoch";
  if (unit !== "epoch" && unit !== "step") throw new ArgumentError(`scaleByLearningRate: unit must be "epoch" or "step", got ${describe(unit)}`);
  if (typeof lr !== "function") nonNegative("scaleByLearningRate", "lr", lr);
  const current = (ctx: StepContext): number => {
    if (typeof lr !== "function") return lr;
    const v = lr(unit === "epoch" ? ctx.epoch : ctx.step);
    return nonNegative("scaleByLearningRate", `the scheduled lr at ${unit} ${unit === "epoch" ? ctx.epoch : ctx.step}`, v);
  };
  return {
    name: "scaleByLearningRate",
    hyper: { lr: typeof lr === "function" ? "schedule" : lr, unit },
    init: () => ({ scalars: {}, buffers: {} }),
    update: (updates, _params, _state, ctx) => {
      const a = current(ctx);
      for (const u of updates) for (let i = 0; i < u.length; i++) u[i] = a * u[i]!;
    },
    rate: (_state, ctx) => current(ctx),
    multiplies: true,
  };
}

/**
 * The course's momentum: `v = β·v + (1 − β)·g`, update `v` (an exponential moving average
 * of the gradients; v starts at 0 and is not bias-corrected).
 *
 * @example
 * ```ts
 * import { traceEma } from "@hone/optim";
 * traceEma(0.9);
 * ```
 */
export function traceEma(decay = 0.9): GradientTransformation {
  const b = beta("traceEma", "beta", decay);
  return {
    name: "traceEma",
    hyper: { beta: b },
    init: (params) => ({ scalars: {}, buffers: { v: zerosLike(params) } }),
    update: (updates, _params, state) => {
      const vs = state.buffers.v!, backend = getBackend();
      for (let k = 0; k < updates.length; k++) {
        if (updates[k]!.length > 0) backend.ema(updates[k]!, vs[k]!, b);
      }
    },
  };
}

/** Options for the PyTorch-style momentum trace. */
export interface TraceOptions {
  /** Momentum β. Default 0.9. */
  momentum?: number;
  /** Dampening: `v = β·v + (1 − dampening)·g`. Default 0. */
  dampening?: number;
  /** Nesterov: the update is `g + β·v` instead of `v`. Default false. */
  nesterov?: boolean;
}

/**
 * PyTorch's SGD momentum: `v = g` on the first step, then `v = β·v + (1 − dampening)·g`;
 * the update is `v`, or `g + β·v` with Nesterov.
 *
 * @example
 * ```ts
 * import { trace } from "@hone/optim";
 * trace({ momentum: 0.9, nesterov: true });
 * ```
 */
export function trace(options: TraceOptions = {}): GradientTransformation {
  const m = beta("trace", "momentum", options.momentum ?? 0.9);
  const damp = options.dampening ?? 0;
  if (typeof damp !== "number" || !(damp >= 0 && damp <= 1)) throw new ArgumentError(`trace: dampening must be in [0, 1], got ${describe(damp)}`);
  const nesterov = options.nesterov ?? false;
  if (nesterov && damp !== 0) throw new ArgumentError(`trace: Nesterov momentum requires dampening 0, got ${damp}`);
  return {
    name: "trace",
    hyper: { momentum: m, dampening: damp, nesterov },
    init: (params) => ({ scalars: {}, buffers: { v: zerosLike(params) } }),
    update: (updates, _params, state, ctx) => {
      const vs = state.buffers.v!;
      for (let k = 0; k < updates.length; k++) {
        const u = updates[k]!, v = vs[k]!;
        for (let i = 0; i < u.length; i++) {
          const g = u[i]!;
          v[i] = ctx.step === 0 ? g : m * v[i]! + (1 - damp) * g;
          u[i] = nesterov ? g + m * v[i]! : v[i]!;
        }
      }
    },
  };
}

/**
 * RMSprop's scaling: `s = β·s + (1 − β)·g²`, update `g / (√s + ε)` (ε outside the root,
 * as the course and PyTorch write it; Keras puts it inside, `√(s + ε)`). Followed directly
 * by the learning rate, the update is `(α·g)/(√s + ε)`, numpy's order.
 *
 * @example
 * ```ts
 * import { scaleByRms } from "@hone/optim";
 * scaleByRms({ beta: 0.9, eps: 1e-8 });
 * ```
 */
export function scaleByRms(options: { beta?: number; eps?: number } = {}): GradientTransformation {
  const b = beta("scaleByRms", "beta", options.beta ?? 0.9);
  const eps = positive("scaleByRms", "eps", options.eps ?? 1e-8);
  const scaled = (updates: Data[], state: TransformState, rate: number): void => {
    const ss = state.buffers.s!, backend = getBackend();
    for (let k = 0; k < updates.length; k++) {
      if (updates[k]!.length > 0) backend.rms(updates[k]!, ss[k]!, b, eps, rate);
    }
  };
  return {
    name: "scaleByRms",
    hyper: { beta: b, eps },
    init: (params) => ({ scalars: {}, buffers: { s: zerosLike(params) } }),
    update: (updates, _params, state) => scaled(updates, state, 1),
    updateScaled: (updates, _params, state, _ctx, rate) => scaled(updates, state, rate),
  };
}

/** Options for Adam's scaling. */
export interface AdamScalingOptions {
  /** First-moment decay β1. Default 0.9. */
  beta1?: number;
  /** Second-moment decay β2. Default 0.999. */
  beta2?: number;
  /** ε, added outside the square root. Default 1e-8. */
  eps?: number;
}

/**
 * Adam's scaling (Kingma & Ba): `v = β1·v + (1 − β1)·g`, `s = β2·s + (1 − β2)·g²`,
 * `v̂ = v/(1 − β1ᵗ)`, `ŝ = s/(1 − β2ᵗ)` with t counting steps from 1, update
 * `v̂ / (√ŝ + ε)`. ε sits outside the root, as in the paper, the course and PyTorch
 * (TensorFlow's `epsilon` is the paper's ε̂, applied to the uncorrected moments).
 * Followed directly by the learning rate, the update is the course's
 * `learning_rate * v_corrected / (np.sqrt(s_corrected) + epsilon)` in numpy's order, with
 * β^t correctly rounded as C's `pow` gives it (V8's `**` is not), so numpy's Adam is
 * reproduced bit for bit. Float32 parameters keep float32 moments and round every operation
 * to float32, in PyTorch's order: `((α/(1 − β1ᵗ))·v)/(√s/√(1 − β2ᵗ) + ε)`. Buffers: `v`
 * (first moment, PyTorch's `exp_avg`) and `s` (second moment, `exp_avg_sq`).
 *
 * @example
 * ```ts
 * import { scaleByAdam } from "@hone/optim";
 * scaleByAdam({ beta1: 0.9, beta2: 0.999, eps: 1e-8 });
 * ```
 */
export function scaleByAdam(options: AdamScalingOptions = {}): GradientTransformation {
  const b1 = beta("scaleByAdam", "beta1", options.beta1 ?? 0.9);
  const b2 = beta("scaleByAdam", "beta2", options.beta2 ?? 0.999);
  const eps = positive("scaleByAdam", "eps", options.eps ?? 1e-8);
  // The backend's kernel: v = β1·v + (1 − β1)·g, s = β2·s + (1 − β2)·g², u = (rate·(v/c1))/(√(s/c2) + ε)
  // written into `updates[k]`, or, given the parameters, p −= u in the same pass.
  const scaled = (updates: readonly (Data | null)[], state: TransformState, ctx: StepContext, rate: number, params?: readonly Data[]): void => {
    const t = ctx.step + 1;
    const c1 = 1 - libm.powInt(b1, t), c2 = 1 - libm.powInt(b2, t);
    const vs = state.buffers.v!, ss = state.buffers.s!;
    const backend = getBackend();
    for (let k = 0; k < updates.length; k++) {
      const u = updates[k];
      if (u !== null && u !== undefined && u.length > 0) backend.adam(u, vs[k]!, ss[k]!, b1, b2, c1, c2, eps, rate, params?.[k]);
    }
  };
  return {
    name: "scaleByAdam",
    hyper: { beta1: b1, beta2: b2, eps },
    init: (params) => ({ scalars: {}, buffers: { v: zerosLike(params), s: zerosLike(params) } }),
    update: (updates, _params, state, ctx) => scaled(updates, state, ctx, 1),
    updateScaled: (updates, _params, state, ctx, rate) => scaled(updates, state, ctx, rate),
    applyScaled: (params, grads, state, ctx, rate) => scaled(grads, state, ctx, rate, params),
  };
}

/**
 * Adds `λ·p` to the update of the selected parameters. Before the learning rate it is
 * coupled weight decay (L2 in the gradient, as PyTorch's SGD `weight_decay`); after
 * Adam's scaling it is AdamW's decoupled decay.
 *
 * @example
 * ```ts
 * import { addWeightDecay, weightsOnly } from "@hone/optim";
 * addWeightDecay(1e-4, { mask: weightsOnly }); // decay weights, not biases
 * ```
 */
export function addWeightDecay(lambda: number, options: { mask?: ParamMask } = {}): GradientTransformation {
  const wd = nonNegative("addWeightDecay", "weightDecay", lambda);
  const mask = options.mask;
  if (mask !== undefined && typeof mask !== "function" && !Array.isArray(mask)) throw new ArgumentError(`addWeightDecay: mask must be a function or an array of booleans, got ${describe(mask)}`);
  return {
    name: "addWeightDecay",
    hyper: { weightDecay: wd },
    // The selection is state (`decay.<index>` = 1 or 0), fixed when the parameters are first seen.
    init: (params) => ({ scalars: Object.fromEntries(params.map((p) => [`decay.${p.index}`, selected(mask, p) ? 1 : 0])), buffers: {} }),
    update: (updates, params, state) => {
      for (let k = 0; k < updates.length; k++) {
        if (state.scalars[`decay.${k}`] !== 1) continue;
        const u = updates[k]!, p = params[k]!;
        for (let i = 0; i < u.length; i++) u[i] = u[i]! + wd * p[i]!;
      }
    },
  };
}

/**
 * Clips every update component to `[−c, c]`.
 *
 * @example
 * ```ts
 * import { clipByValue } from "@hone/optim";
 * clipByValue(5);
 * ```
 */
export function clipByValue(c: number): GradientTransformation {
  const bound = positive("clipByValue", "c", c);
  return {
    name: "clipByValue",
    hyper: { c: bound },
    init: () => ({ scalars: {}, buffers: {} }),
    update: (updates) => {
      for (const u of updates) for (let i = 0; i < u.length; i++) u[i] = Math.min(bound, Math.max(-bound, u[i]!));
    },
  };
}

/**
 * The Euclidean norm of all updates together, `√(Σ u²)` over every parameter.
 *
 * @example
 * ```ts
 * import { globalNorm } from "@hone/optim";
 * globalNorm([Float64Array.of(3, 0), Float64Array.of(4)]); // 5
 * ```
 */
export function globalNorm(updates: readonly Data[]): number {
  let s = 0;
  for (const u of updates) for (let i = 0; i < u.length; i++) s += u[i]! * u[i]!;
  return Math.sqrt(s);
}

/**
 * Rescales all updates together by `maxNorm/‖g‖` when their global norm `‖g‖` exceeds
 * `maxNorm` (direction kept); identity otherwise.
 *
 * @example
 * ```ts
 * import { clipByGlobalNorm } from "@hone/optim";
 * clipByGlobalNorm(1);
 * ```
 */
export function clipByGlobalNorm(maxNorm: number): GradientTransformation {
  const max = positive("clipByGlobalNorm", "maxNorm", maxNorm);
  return {
    name: "clipByGlobalNorm",
    hyper: { maxNorm: max },
    init: () => ({ scalars: {}, buffers: {} }),
    update: (updates) => {
      const n = globalNorm(updates);
      if (!(n > max)) return;
      const f = max / n;
      for (const u of updates) for (let i = 0; i < u.length; i++) u[i] = u[i]! * f;
    },
  };
}

/** Options for `reduceOnPlateau`. */
export interface PlateauOptions {
  /** The logged value watched at each epoch end (`devLoss`, `trainLoss`, `dev.accuracy`…). Default `"devLoss"`. */
  monitor?: string;
  /** `"min"` (default) when lower is better, `"max"` for accuracies. */
  mode?: "min" | "max";
  /** Multiply the rate by this when the value stalls. Default 0.1. */
  factor?: number;
  /** Epochs without improvement before reducing. Default 10. */
  patience?: number;
  /** The smallest change that counts as improvement. Default 0. */
  minDelta?: number;
  /** Never scale below this factor of the original rate. Default 0. */
  minScale?: number;
}

/**
 * Multiplies the updates by a factor that drops by `factor` whenever the monitored value
 * has not improved for more than `patience` epochs (PyTorch's `ReduceLROnPlateau` count),
 * driven by the training loop's `onEpochEnd`. An epoch whose log lacks the value (a dev set
 * evaluated only every few epochs) does not count; a log that has never had it throws.
 *
 * @example
 * ```ts
 * import { chain, scaleByAdam, scaleByLearningRate, reduceOnPlateau } from "@hone/optim";
 * chain(scaleByAdam(), scaleByLearningRate(0.01), reduceOnPlateau({ monitor: "devLoss", patience: 5 }));
 * ```
 */
export function reduceOnPlateau(options: PlateauOptions = {}): GradientTransformation {
  const monitor = options.monitor ?? "devLoss";
  const mode = options.mode ?? "min";
  if (mode !== "min" && mode !== "max") throw new ArgumentError(`reduceOnPlateau: mode must be "min" or "max", got ${describe(mode)}`);
  const factor = options.factor ?? 0.1;
  if (typeof factor !== "number" || !(factor > 0 && factor < 1)) throw new ArgumentError(`reduceOnPlateau: factor must be in (0, 1), got ${describe(factor)}`);
  const patience = options.patience ?? 10;
  if (!Number.isInteger(patience) || patience < 0) throw new ArgumentError(`reduceOnPlateau: patience must be a non-negative integer, got ${describe(patience)}`);
  const minDelta = nonNegative("reduceOnPlateau", "minDelta", options.minDelta ?? 0);
  const minScale = nonNegative("reduceOnPlateau", "minScale", options.minScale ?? 0);
  return {
    name: "reduceOnPlateau",
    hyper: { monitor, mode, factor, patience, minDelta, minScale },
    init: () => ({ scalars: { scale: 1, best: mode === "min" ? Infinity : -Infinity, wait: 0, seen: 0 }, buffers: {} }),
    update: (updates, _params, state) => {
      const f = state.scalars.scale!;
      if (f === 1) return;
      for (const u of updates) for (let i = 0; i < u.length; i++) u[i] = u[i]! * f;
    },
    rate: (state) => state.scalars.scale!,
    onEpochEnd: (state, { metrics }) => {
      const value = metrics[monitor];
      const s = state.scalars;
      if (value === undefined) {
        if (s.seen === 1) return;
        throw new ArgumentError(`reduceOnPlateau: the epoch log has no '${monitor}'; it has ${Object.keys(metrics).join(", ")}`);
      }
      s.seen = 1;
      const improved = mode === "min" ? value < s.best! - minDelta : value > s.best! + minDelta;
      if (improved) {
        s.best = value;
        s.wait = 0;
      } else if (++s.wait! > patience) {
        s.scale = Math.max(minScale, s.scale! * factor);
        s.wait = 0;
      }
    },
  };
}
