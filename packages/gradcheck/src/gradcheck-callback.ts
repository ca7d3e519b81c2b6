// gradcheckCallback: a `fit` callback that checks the model's gradients at the start of
// training (at initialization) and again at its end, because some bugs only show once the
// weights have moved away from their initial values. Each check is `checkModel` on one
// fixed batch: dropout off, parameters, modes and `.grad` left as they were, no random
// draw besides the sampled components, so training goes exactly as it would without it.
import type { Callback, FitContext, History, Loss, Module } from "@hone/nn";
import { ArgumentError, Rng, ShapeError, Tensor, describe, formatShape } from "@hone/tensor";
import { checkModel, type CheckModelOptions, type ModelCheckResult } from "./check-model.js";
import { checkEpsilon, checkWorst, resolveThresholds, type Verdict } from "./report.js";

/** Options for `gradcheckCallback`: what `checkModel` checks, and on which batch. */
export interface GradcheckCallbackOptions extends CheckModelOptions {
  /** The loss the model trains with, e.g. `binaryCrossEntropyWithLogits`. */
  loss: Loss;
  /** The batch both checks run on (a few dozen training rows; float64). */
  batch: { x: Tensor; y: Tensor };
}

/** The two checks of a training run. */
export interface TrainingGradcheck {
  /** The check at the start of training, before the first update (null until training begins). */
  initial: ModelCheckResult | null;
  /** The check at the end of training, after early stopping's restore if that comes first in `callbacks` (null until training ends). */
  trained: ModelCheckResult | null;
  /** Epochs trained between the two checks (0 until training ends). */
  epochs: number;
  /** The worse verdict of the checks that ran (null before the first). */
  verdict: Verdict | null;
  /** Both checks ran and both are `"correct"`. */
  passed: boolean;
}

/** A `fit` callback that checks gradients at train begin and train end; `report()` gives both. */
export interface GradcheckCallback extends Callback {
  onTrainBegin(ctx: FitContext): void;
  onTrainEnd(history: History, ctx: FitContext): void;
  /** The checks so far. */
  report(): TrainingGradcheck;
}

const rank: Record<Verdict, number> = { correct: 0, suspicious: 1, wrong: 2 };

/**
 * A training callback that runs `checkModel` on `ctx.model` with `loss`, `batch` and the
 * check options at `onTrainBegin` (at initialization, before the first update) and at
 * `onTrainEnd` (after the last epoch or an early stop), then reports both:
 * the lecture's "check at random initialization, and again after some training".
 *
 * Pass the same `penalty` as `fit` so the checked cost is the trained one. The checks run
 * in eval mode (dropout off) and restore every module's mode, the parameters and their
 * `.grad`; they draw nothing from any generator but `rng` (with `sample`, the first check
 * draws its components first, then the second), so a run with the callback trains exactly
 * as one without it. Put it after an early-stopping callback that restores the best
 * weights, so that the second check sees the weights `fit` returns. Options are validated
 * here, at construction.
 *
 * @example
 * ```ts
 * import { gradcheckCallback } from "@hone/gradcheck";
 * import { mlp, fit, binaryCrossEntropyWithLogits } from "@hone/nn";
 * import { rng, randn, tensor, type Tensor } from "@hone/tensor";
 * const model = mlp([3, 4, 1], { activation: "tanh", rng: rng(0) });
 * const data = { x: randn([8, 3], rng(1)), y: tensor([1, 0, 1, 1, 0, 0, 1, 0]) };
 * // Plain gradient descent, lr 0.5 (any @hone/optim optimizer fits here).
 * const sgd = { step: (ps: readonly Tensor[]) => ps.forEach((p) => p.data.forEach((v, i) => { p.data[i] = v - 0.5 * p.grad!.data[i]!; })) };
 * const check = gradcheckCallback({ loss: binaryCrossEntropyWithLogits, batch: data });
 * fit(model, data, { loss: binaryCrossEntropyWithLogits, optimizer: sgd, epochs: 10, callbacks: [check] });
 * const { initial, trained, epochs, passed } = check.report();
 * console.log(initial!.verdict, trained!.verdict, epochs, passed); // "correct" "correct" 10 true
 * ```
 */
export function gradcheckCallback(options: GradcheckCallbackOptions): GradcheckCallback {
  const op = "gradcheckCallback";
  if (options === null || typeof options !== "object") throw new ArgumentError(`${op}: options must be { loss, batch, … }, got ${describe(options)}`);
  const { loss, batch, ...check } = options;
  if (typeof loss !== "function") throw new ArgumentError(`${op}: loss must be a function (output, target) => Tensor, got ${describe(loss)}`);
  if (!(batch?.x instanceof Tensor) || !(batch?.y instanceof Tensor)) throw new ArgumentError(`${op}: batch must be { x: Tensor, y: Tensor }, got ${describe(batch)}`);
  if (batch.x.rank < 1 || batch.x.shape[0] === 0) throw new ShapeError(`${op}: batch.x must have at least one row, got shape ${formatShape(batch.x.shape)}`);
  if (check.penalty !== undefined && typeof check.penalty !== "function") throw new ArgumentError(`${op}: penalty must be a function (model, m) => Tensor, got ${describe(check.penalty)}`);
  checkEpsilon(op, check.epsilon);
  resolveThresholds(op, check.thresholds);
  checkWorst(op, check.worst);
  if (check.sample !== undefined) {
    if (!Number.isInteger(check.sample) || check.sample < 1) throw new ArgumentError(`${op}: sample must be a positive integer, got ${describe(check.sample)}`);
    if (!(check.rng instanceof Rng)) throw new ArgumentError(`${op}: sample needs rng (an Rng from rng(seed)) to draw the components, got ${describe(check.rng)}`);
  }

  let initial: ModelCheckResult | null = null;
  let trained: ModelCheckResult | null = null;
  let epochs = 0;
  const run = (model: Module): ModelCheckResult => checkModel(model, loss, batch, check);

  return {
    onTrainBegin(ctx: FitContext): void {
      trained = null;
      epochs = 0;
      initial = run(ctx.model);
    },
    onTrainEnd(history: History, ctx: FitContext): void {
      epochs = history.epochs.length;
      trained = run(ctx.model);
    },
    report(): TrainingGradcheck {
      const done = [initial, trained].filter((r): r is ModelCheckResult => r !== null);
      let verdict: Verdict | null = null;
      for (const r of done) if (verdict === null || rank[r.verdict] > rank[verdict]) verdict = r.verdict;
      return { initial, trained, epochs, verdict, passed: done.length === 2 && verdict === "correct" };
    },
  };
}
