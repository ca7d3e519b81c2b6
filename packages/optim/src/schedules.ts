// Learning-rate schedules: functions of a 0-based count (epochs by default, or steps; see
// `scaleByLearningRate`). They are plain functions, so any `(count) => number` works.
import { libm, ArgumentError, describe } from "@hone/tensor";
import { nonNegative, positive } from "./check.js";

/** A learning rate as a function of a 0-based epoch (or step) count. */
export type Schedule = (count: number) => number;

function count(op: string, t: number): number {
  if (!Number.isInteger(t) || t < 0) throw new ArgumentError(`${op}: the count must be a non-negative integer, got ${describe(t)}`);
  return t;
}

/**
 * The same rate at every count.
 *
 * @example
 * ```ts
 * import { constant } from "@hone/optim";
 * constant(0.01)(100); // 0.01
 * ```
 */
export function constant(rate: number): Schedule {
  nonNegative("constant", "rate", rate);
  return () => rate;
}

/**
 * `α₀ / (1 + k·t)`: the course's "decay every epoch" (`update_lr`).
 *
 * @example
 * ```ts
 * import { inverseTimeDecay } from "@hone/optim";
 * inverseTimeDecay({ initial: 0.1, decayRate: 1 })(3); // 0.025
 * ```
 */
export function inverseTimeDecay(options: { initial: number; decayRate: number }): Schedule {
  const a0 = nonNegative("inverseTimeDecay", "initial", options.initial), k = nonNegative("inverseTimeDecay", "decayRate", options.decayRate);
  return (t) => a0 / (1 + k * count("inverseTimeDecay", t));
}

/**
 * `α₀ / (1 + k·⌊t / interval⌋)`: the course's stepped decay (`schedule_lr_decay`), which
 * lowers the rate once every `interval` epochs.
 *
 * @example
 * ```ts
 * import { steppedInverseTimeDecay } from "@hone/optim";
 * const s = steppedInverseTimeDecay({ initial: 0.1, decayRate: 1, interval: 1000 });
 * s(999); // 0.1
 * s(1000); // 0.05
 * ```
 */
export function steppedInverseTimeDecay(options: { initial: number; decayRate: number; interval: number }): Schedule {
  const a0 = nonNegative("steppedInverseTimeDecay", "initial", options.initial);
  const k = nonNegative("steppedInverseTimeDecay", "decayRate", options.decayRate);
  const interval = options.interval;
  if (!Number.isInteger(interval) || interval < 1) throw new ArgumentError(`steppedInverseTimeDecay: interval must be a positive integer, got ${describe(interval)}`);
  return (t) => a0 / (1 + k * Math.floor(count("steppedInverseTimeDecay", t) / interval));
}

/**
 * `α₀ · rᵗ`.
 *
 * @example
 * ```ts
 * import { exponentialDecay } from "@hone/optim";
 * exponentialDecay({ initial: 0.1, rate: 0.95 })(2); // 0.09025
 * ```
 */
export function exponentialDecay(options: { initial: number; rate: number }): Schedule {
  const a0 = nonNegative("exponentialDecay", "initial", options.initial);
  const r = options.rate;
  if (typeof r !== "number" || !(r > 0 && r <= 1)) throw new ArgumentError(`exponentialDecay: rate must be in (0, 1], got ${describe(r)}`);
  return (t) => a0 * r ** count("exponentialDecay", t);
}

/**
 * `α₀ · k / √(t + 1)` (the course's `k/√epoch` form, shifted so epoch 0 is defined).
 *
 * @example
 * ```ts
 * import { inverseSqrtDecay } from "@hone/optim";
 * inverseSqrtDecay({ initial: 0.1 })(3); // 0.05
 * ```
 */
export function inverseSqrtDecay(options: { initial: number; k?: number }): Schedule {
  const a0 = nonNegative("inverseSqrtDecay", "initial", options.initial);
  const k = positive("inverseSqrtDecay", "k", options.k ?? 1);
  return (t) => (a0 * k) / Math.sqrt(count("inverseSqrtDecay", t) + 1);
}

/**
 * `α₀ · factor^⌊t / every⌋`.
 *
 * @example
 * ```ts
 * import { stepDecay } from "@hone/optim";
 * stepDecay({ initial: 1, factor: 0.5, every: 10 })(25); // 0.25
 * ```
 */
export function stepDecay(options: { initial: number; factor: number; every: number }): Schedule {
  const a0 = nonNegative("stepDecay", "initial", options.initial);
  const f = options.factor;
  if (typeof f !== "number" || !(f > 0 && f <= 1)) throw new ArgumentError(`stepDecay: factor must be in (0, 1], got ${describe(f)}`);
  if (!Number.isInteger(options.every) || options.every < 1) throw new ArgumentError(`stepDecay: every must be a positive integer, got ${describe(options.every)}`);
  return (t) => a0 * f ** Math.floor(count("stepDecay", t) / options.every);
}

/**
 * Cosine annealing from `initial` to `final` over `total` counts, then `final`:
 * `final + (initial − final)·(1 + cos(π·t/total))/2`.
 *
 * @example
 * ```ts
 * import { cosineDecay } from "@hone/optim";
 * cosineDecay({ initial: 1, total: 100 })(50); // 0.5
 * ```
 */
export function cosineDecay(options: { initial: number; total: number; final?: number }): Schedule {
  const a0 = nonNegative("cosineDecay", "initial", options.initial);
  const a1 = nonNegative("cosineDecay", "final", options.final ?? 0);
  if (!Number.isInteger(options.total) || options.total < 1) throw new ArgumentError(`cosineDecay: total must be a positive integer, got ${describe(options.total)}`);
  return (t) => {
    const c = Math.min(count("cosineDecay", t), options.total);
    return a1 + ((a0 - a1) * (1 + libm.cos((Math.PI * c) / options.total))) / 2;
  };
}

/**
 * Linear warm-up from `start` (at 0) towards `schedule(0)` over `steps` counts, then `schedule(t − steps)`.
 *
 * @example
 * ```ts
 * import { warmup, constant } from "@hone/optim";
 * const s = warmup(constant(0.1), { steps: 10 });
 * s(5); // 0.05 (halfway up), s(10) = 0.1
 * ```
 */
export function warmup(schedule: Schedule, options: { steps: number; start?: number }): Schedule {
  if (typeof schedule !== "function") throw new ArgumentError(`warmup: schedule must be a function, got ${describe(schedule)}`);
  if (!Number.isInteger(options.steps) || options.steps < 1) throw new ArgumentError(`warmup: steps must be a positive integer, got ${describe(options.steps)}`);
  const start = nonNegative("warmup", "start", options.start ?? 0);
  return (t) => {
    count("warmup", t);
    if (t >= options.steps) return schedule(t - options.steps);
    return start + ((schedule(0) - start) * t) / options.steps;
  };
}

