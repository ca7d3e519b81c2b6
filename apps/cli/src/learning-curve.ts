// Learning curves from the command line: one `hone train --train-rows n` run per training-set
// size n, on the trial pool's worker threads (trials.ts), so every point runs exactly the
// train pipeline, seeded as `hone train` with the same flags would be, in parallel across cores.
// Reading the curve is @hone/data-split's `readLearningCurve`; drawing it is curve-render.ts.
import { availableParallelism } from "node:os";
import type { LearningCurvePoint } from "@hone/data-split";
import { UsageError } from "./errors.js";
import { TrialPool, summaryOf } from "./trials.js";
import { augmentText, type TrainConfig } from "./flags.js";

/** One point of a learning curve measured by the CLI: error rates with the rows they were counted on (a classifier's). */
export interface CurvePoint extends LearningCurvePoint {
  /** The training rows the train error was counted on (the `size` rows trained on); absent for a regressor. */
  readonly trainN?: number;
  /** The dev rows the dev error was counted on (the whole dev split); absent for a regressor. */
  readonly devN?: number;
}

/** Train and dev error (1 − accuracy) with their row counts, as `hone train --json` reports them in `metrics`. */
export interface TrainDevMetrics {
  readonly train: { readonly rows: number; readonly error: number; readonly r2?: number };
  readonly dev: { readonly rows: number; readonly error: number; readonly r2?: number };
}

/**
 * The curve point of a run trained on `size` rows: error = 1 − accuracy on train and dev
 * (a regressor: MSE ÷ the training target's variance, capped at 1).
 * `hone train --learning-curve` can add its own full run with `curvePoint(m, metrics)`
 * instead of running it twice: it is the same run as the child at size m.
 */
export function curvePoint(size: number, metrics: TrainDevMetrics): CurvePoint {
  // A regressor's error is its MSE ÷ the training target's variance: not a count, so no intervals; above 1 (worse than the mean) it is read as 1.
  if (metrics.train.r2 !== undefined) return { size, trainError: Math.min(1, metrics.train.error), devError: Math.min(1, metrics.dev.error) };
  return { size, trainError: metrics.train.error, devError: metrics.dev.error, trainN: metrics.train.rows, devN: metrics.dev.rows };
}

/**
 * The `hone train` flags that resolve to `config` again (`resolveConfig` of their parse is
 * `config`), so a child process runs the same configuration. `split.trainRows` is left out:
 * the runner sets it per size. The base error is passed only when it was given.
 */
export function trainArgs(config: TrainConfig): string[] {
  const { data, model, optimizer: o, regularization: r } = config;
  // `--flag=value` for the free-text values, so a value starting with "-" stays a value.
  const args = ["--seed", String(config.seed), `--data=${data.source}`];
  if (data.samples !== undefined) args.push("--samples", String(data.samples));
  if (data.noise !== undefined) args.push("--noise", String(data.noise));
  if (data.classes !== undefined) args.push("--classes", String(data.classes));
  if (data.label !== undefined) args.push(`--label=${data.label}`);
  args.push("--split", config.split.ratios);
  if (config.split.stratify) args.push("--stratify");
  args.push("--normalize", config.normalize);
  args.push("--layers", model.hidden.length === 0 ? "none" : model.hidden.join(","));
  if (model.conv.length > 0) args.push("--conv", model.conv.join(","));
  args.push("--activation", model.activation, "--init", model.init, "--dtype", model.dtype);
  if (model.initScale !== null) args.push("--init-scale", String(model.initScale));
  args.push("--optimizer", o.name, "--lr", String(o.lr));
  for (const [key, flag] of [["beta", "--beta"], ["beta1", "--beta1"], ["beta2", "--beta2"], ["eps", "--eps"], ["weightDecay", "--weight-decay"]] as const) {
    const v = o[key];
    if (v !== undefined) args.push(flag, String(v));
  }
  args.push("--lr-decay", o.decay.type);
  if (o.decay.rate !== undefined) args.push("--decay-rate", String(o.decay.rate));
  if (o.decay.interval !== undefined) args.push("--decay-interval", String(o.decay.interval));
  if (o.decay.minLr !== undefined) args.push("--min-lr", String(o.decay.minLr));
  if (o.clipNorm !== null) args.push("--clip-norm", String(o.clipNorm));
  args.push("--batch-size", String(config.training.batchSize), "--epochs", String(config.training.epochs));
  if (r.l2 > 0) args.push("--l2", String(r.l2));
  if (r.l1 > 0) args.push("--l1", String(r.l1));
  if (Array.isArray(r.keepProb)) args.push("--keep-prob", r.keepProb.join(","));
  else if (r.keepProb !== 1) args.push("--keep-prob", String(r.keepProb));
  if (r.augment.length > 0) args.push("--augment", r.augment.map(augmentText).join(","));
  if (r.earlyStopping !== null) {
    args.push("--patience", String(r.earlyStopping.patience), "--min-delta", String(r.earlyStopping.minDelta));
    if (r.earlyStopping.restoreBest) args.push("--restore-best");
  }
  if (config.baseError !== null) args.push("--base-error", String(config.baseError));
  if (config.task !== "auto") args.push("--task", config.task);
  const t = config.table;
  if (t !== null) {
    args.push(`--delimiter=${t.delimiter}`, `--decimal=${t.decimal}`);
    if (!t.header) args.push("--no-header");
    if (t.naValues !== null) args.push(`--na-values=${t.naValues.join(",")}`);
    for (const [flag, list] of [["--categorical", t.categorical], ["--ignore", t.ignore], ["--keep", t.keep], ["--features", t.features ?? []]] as const) {
      if (list.length > 0) args.push(`${flag}=${list.join(",")}`);
    }
    args.push("--impute", t.numericImpute, "--impute-categorical", t.categoricalImpute, "--unseen", t.unseen, "--min-category-count", String(t.minCategoryCount));
    if (t.indicators) args.push("--missing-indicators");
  }
  const ob = config.objective;
  if (ob.classWeight !== "none") args.push("--class-weight", ob.classWeight);
  if (ob.threshold !== 0.5) args.push("--threshold", String(ob.threshold));
  if (ob.positive !== null) args.push(`--positive=${ob.positive}`);
  if (ob.loss !== "mse") args.push("--loss", ob.loss, "--huber-delta", String(ob.huberDelta));
  return args;
}

/** Options of {@link runLearningCurve}. */
export interface RunLearningCurveOptions {
  /** Training-set sizes: distinct integers in [1, the training split's rows]. */
  readonly sizes: readonly number[];
  /** Runs at once. Default: the CPU cores (`os.availableParallelism()`). */
  readonly workers?: number;
  /** Called as each point finishes (in finishing order), e.g. for progress on stderr. */
  readonly onPoint?: (point: CurvePoint, done: number, total: number) => void;
}

/**
 * Trains a fresh model on the first n rows of the training split for each n of `sizes`
 * (each a `hone train --train-rows n` run on a worker thread with the flags of `config`: the same
 * data, split, initial weights and streams as `hone train` with those flags), `workers` at
 * a time, and returns the points in increasing size: the error on the n rows trained and on
 * the whole dev split, with their counts. The point at the full training split is exactly
 * `hone train`'s train and dev error.
 */
export async function runLearningCurve(config: TrainConfig, options: RunLearningCurveOptions): Promise<CurvePoint[]> {
  const sizes = [...options.sizes].sort((a, b) => a - b);
  sizes.forEach((n, i) => {
    if (!Number.isInteger(n) || n < 1) throw new UsageError(`learning curve: sizes must be positive integers (training rows), got ${n}`);
    if (i > 0 && n === sizes[i - 1]) throw new UsageError(`learning curve: sizes must be distinct, got ${n} twice`);
  });
  const pool = new TrialPool(Math.max(1, Math.min(options.workers ?? availableParallelism(), sizes.length)));
  const base = trainArgs(config);
  const points = new Map<number, CurvePoint>();
  try {
    await Promise.all(sizes.map(async (n) => {
      const out = summaryOf(await pool.run([...base, "--train-rows", String(n)]), `learning curve: the run on ${n} training rows`);
      const point = curvePoint(n, out.metrics as unknown as TrainDevMetrics);
      points.set(n, point);
      options.onPoint?.(point, points.size, sizes.length);
    }));
  } finally {
    await pool.close();
  }
  return sizes.map((n) => points.get(n)!);
}
