// The basic recipe: avoidable bias and variance from train/dev/base error, a verdict, and
// what to try next.
import { ArgumentError, describe } from "@hone/tensor";

/** The four verdicts of the basic recipe. */
export type Verdict = "high bias" | "high variance" | "high bias and high variance" | "fine";

/** Options of {@link diagnose}: error rates as fractions in [0, 1]. */
export interface DiagnoseOptions {
  /** Error on the training set. */
  readonly trainError: number;
  /** Error on the dev set. */
  readonly devError: number;
  /** Base (Bayes, or a proxy such as human-level) error. Default `0`. */
  readonly baseError?: number;
  /** A gap counts as high when it is strictly above this many (absolute) error points. Default `0.02` (2%). */
  readonly threshold?: number;
}

/** The result of {@link diagnose}. */
export interface Diagnosis {
  /** trainError − baseError. */
  readonly avoidableBias: number;
  /** devError − trainError. */
  readonly variance: number;
  /** High bias when avoidableBias > threshold; high variance when variance > threshold; both; or fine. */
  readonly verdict: Verdict;
  /** What to try next, bias remedies first (empty when fine). */
  readonly actions: string[];
  /** One paragraph for a report. */
  readonly summary: string;
}

/** The basic recipe's remedies for high avoidable bias. */
const BIAS_ACTIONS: readonly string[] = [
  "train a bigger network (more hidden units or layers)",
  "train longer",
  "use a better optimizer (momentum, RMSprop, Adam) or tune the learning rate",
  "try a different architecture",
];

/** The basic recipe's remedies for high variance. */
const VARIANCE_ACTIONS: readonly string[] = [
  "get more training data",
  "add regularization (L2, dropout, data augmentation)",
  "use early stopping",
  "try a different architecture",
];

function checkError(fn: string, name: string, value: unknown): number {
  if (typeof value !== "number" || !(value >= 0 && value <= 1)) {
    const hint = typeof value === "number" && value > 1 && value <= 100 ? ` (pass ${value / 100} for ${value}%)` : "";
    throw new ArgumentError(`${fn}: ${name} must be a fraction in [0, 1], got ${describe(value)}${hint}`);
  }
  return value;
}

const pct = (v: number): string => `${Number((v * 100).toFixed(2))}%`;

/**
 * The course's basic recipe. Avoidable bias = train − base error, variance = dev − train
 * error; each is "high" when it is strictly above `threshold` (default 2 points). Verdicts
 * and remedies: high bias → bigger network, train longer, better optimizer or learning rate,
 * another architecture (fix bias first); high variance → more data, regularization (L2,
 * dropout, augmentation), early stopping, another architecture. With base error 0 this gives
 * the course's cases: 1%/11% high variance, 15%/16% high bias, 15%/30% both, 0.5%/1% fine;
 * with base error 15%, 15%/16% is fine.
 *
 * @example
 * ```ts
 * import { diagnose } from "@hone/data-split";
 * diagnose({ trainError: 0.01, devError: 0.11 }).verdict;                   // "high variance"
 * diagnose({ trainError: 0.15, devError: 0.16, baseError: 0.15 }).verdict; // "fine"
 * ```
 */
export function diagnose(options: DiagnoseOptions): Diagnosis {
  const fn = "diagnose";
  if (typeof options !== "object" || options === null) throw new ArgumentError(`${fn}: options must be { trainError, devError, baseError? }, got ${describe(options)}`);
  const train = checkError(fn, "trainError", options.trainError);
  const dev = checkError(fn, "devError", options.devError);
  const base = checkError(fn, "baseError", options.baseError ?? 0);
  const threshold = options.threshold ?? 0.02;
  if (typeof threshold !== "number" || !(threshold >= 0 && threshold < 1)) throw new ArgumentError(`${fn}: threshold must be in [0, 1), got ${describe(threshold)}`);
  const avoidableBias = train - base;
  const variance = dev - train;
  const highBias = avoidableBias > threshold;
  const highVariance = variance > threshold;
  const verdict: Verdict = highBias && highVariance ? "high bias and high variance" : highBias ? "high bias" : highVariance ? "high variance" : "fine";
  const actions = [...(highBias ? BIAS_ACTIONS : []), ...(highVariance ? VARIANCE_ACTIONS.filter((a) => !(highBias && BIAS_ACTIONS.includes(a))) : [])];
  const notes: string[] = [];
  if (avoidableBias < 0) notes.push("train error is below the base error: the base estimate may be too high (human-level error is only an upper bound on Bayes error), or the model overfits the training set");
  if (variance < 0) notes.push("dev error is below train error: check that dev comes from the same distribution as train and is not easier, or that regularization (e.g. dropout) is what raises the training error");
  const gaps = `avoidable bias ${pct(avoidableBias)} (train ${pct(train)} − base ${pct(base)}), variance ${pct(variance)} (dev ${pct(dev)} − train ${pct(train)})`;
  const next = verdict === "fine"
    ? "both gaps are within the threshold; check the test error, or lower the base error estimate if you expect better"
    : `${highBias ? "reduce bias first (check training-set performance), " : ""}try: ${actions.join("; ")}`;
  const summary = `${gaps}: ${verdict}. ${next[0].toUpperCase()}${next.slice(1)}.${notes.length > 0 ? ` Note: ${notes.join("; ")}.` : ""}`;
  return { avoidableBias, variance, verdict, actions, summary };
}
