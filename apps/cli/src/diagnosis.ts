// The diagnosis of a run: the base error by precedence (--base-error, then the data set's
// Bayes error, then an estimate from the training split), the counts behind the train and
// dev error, and the JSON shape `--json` prints. The statistics are @hone/data-split's.
import { Standardizer, diagnose, estimateBaseError, estimateNoiseVariance, type BaseErrorEstimate, type Diagnosis } from "@hone/data-split";
import { HoneError, type Tensor } from "@hone/tensor";
import type { TrainConfig } from "./flags.js";
import type { Prepared } from "./prepare.js";

/** Where the base error came from, in order of precedence. */
export type BaseErrorSource = "flag" | "dataset" | "estimate" | "none";

/** The base error a run is diagnosed against. */
export interface ChosenBaseError {
  value: number;
  low: number;
  high: number;
  source: BaseErrorSource;
  method: string;
  /** Why an estimate may be unreliable, when it may be. */
  note?: string;
}

/**
 * The base error by precedence: the user's `--base-error` (human-level or known), then the
 * built-in data set's Bayes error for its noise, then a k-NN estimate from the standardized
 * training split (never dev or test). Never a silent 0.
 */
export function chooseBaseError(config: TrainConfig, p: Prepared): ChosenBaseError {
  if (config.baseError !== null) {
    const v = config.baseError;
    return { value: v, low: v, high: v, source: "flag", method: "--base-error" };
  }
  const known = p.data.bayesError?.();
  if (known !== undefined && Number.isFinite(known)) {
    const defaults: Record<string, string> = { moons: "noise 0.2", circles: "noise 0.05", spirals: "noise 0.2", blobs: "std 1" };
    const noise = config.data.noise === undefined ? (defaults[config.data.source] ?? "its default noise") : `${config.data.source === "blobs" ? "std" : "noise"} ${config.data.noise}`;
    return { value: known, low: known, high: known, source: "dataset", method: `the Bayes error of ${config.data.source} at ${noise}, from its generating distribution` };
  }
  // On standardized float64 features whatever --normalize and --dtype say: nearest neighbours need comparable scales.
  const train = p.split.train;
  const x = (p.scaler instanceof Standardizer ? p.scaler : new Standardizer().fit(train.x)).transform(train.x);
  if (p.data.task === "regression") return noiseBaseError(x, train.y, p);
  let estimate: BaseErrorEstimate;
  try {
    estimate = estimateBaseError(x, train.y, { rng: p.streams.diagnosis });
  } catch (error) {
    // Too few rows or a single class: say so instead of failing the run.
    if (!(error instanceof HoneError)) throw error;
    return { value: 0, low: 0, high: 0, source: "none", method: "no estimate", note: `it could not be estimated (${error.message}), so 0 is assumed` };
  }
  return {
    value: estimate.value, low: estimate.low, high: estimate.high, source: "estimate", method: `${estimate.method}, on ${train.y.shape[0]} training rows`,
    ...(estimate.reliable || estimate.note === undefined ? {} : { note: estimate.note }),
  };
}

/**
 * A regression's base error: the noise variance left by the best possible predictor, as a
 * fraction of the training target's variance (the unit of a regression's train and dev
 * error), from nearest-neighbour differences on the training split.
 */
function noiseBaseError(x: Tensor, y: Tensor, p: Prepared): ChosenBaseError {
  try {
    const e = estimateNoiseVariance(x, y, { rng: p.streams.diagnosis });
    const v = e.fractionOfVariance;
    return {
      value: v, low: v, high: v, source: "estimate", method: `the noise variance by nearest-neighbour differences (the Gamma test), ÷ the target's variance, on ${y.size} training rows`,
      ...(e.reliable ? {} : { note: e.notes.join("; ") }),
    };
  } catch (error) {
    if (!(error instanceof HoneError)) throw error;
    return { value: 0, low: 0, high: 0, source: "none", method: "no estimate", note: `it could not be estimated (${error.message}), so 0 is assumed` };
  }
}

/** Errors out of rows, from an accuracy measured on `rows` examples. */
function counted(accuracy: number, rows: number): { errors: number; n: number } {
  return { errors: Math.round((1 - accuracy) * rows), n: rows };
}

/**
 * The diagnosis of a run from its train and dev error and the chosen base error. A
 * classifier's errors are counted (1 − accuracy on so many rows), so they have intervals; a
 * regressor's are its mean squared error ÷ the training target's variance, read as points.
 */
export function diagnoseRun(metrics: { train: { rows: number; error: number }; dev: { rows: number; error: number } }, base: ChosenBaseError, regression = false): Diagnosis {
  // A regressor worse than the training mean has an error above 1; the diagnosis reads fractions, so it is capped at 1 (R² ≤ 0).
  if (regression) return diagnose({ trainError: Math.min(1, metrics.train.error), devError: Math.min(1, metrics.dev.error), baseError: base });
  return diagnose({
    trainError: counted(1 - metrics.train.error, metrics.train.rows),
    devError: counted(1 - metrics.dev.error, metrics.dev.rows),
    baseError: base,
  });
}

/**
 * The `diagnosis` object of `--json`: every field of the diagnosis (the base error with the
 * estimate's note, when it has one), and `devExamplesNeeded` whenever the verdict is "too
 * few dev examples" (null when no dev-set size alone would do).
 */
export function diagnosisJson(d: Diagnosis, note?: string): Record<string, unknown> {
  return {
    avoidableBias: d.avoidableBias, variance: d.variance, verdict: d.verdict, actions: d.actions, notes: d.notes, summary: d.summary,
    baseError: { ...d.baseError, ...(note === undefined ? {} : { note }) },
    trainError: d.trainError, devError: d.devError, levels: d.levels, threshold: d.threshold, confidence: d.confidence,
    ...(d.verdict === "too few dev examples" || d.devExamplesNeeded !== null ? { devExamplesNeeded: d.devExamplesNeeded } : {}),
  };
}
