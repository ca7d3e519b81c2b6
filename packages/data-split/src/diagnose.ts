// The basic recipe: avoidable bias and variance from train/dev/base error, with intervals
// from the counts the errors were measured on, a verdict that names a problem only when
// the data supports it, and what to try next.
import { ArgumentError, describe } from "@hone/tensor";
import { differenceInterval, type Interval, wilsonInterval } from "./stats.js";
import { checkConfidence, checkThreshold, pct } from "./util.js";

/**
 * The verdicts: the basic recipe's four, and two for when the counts are too small to tell
 * a gap above the threshold from sampling noise.
 */
export type Verdict =
  | "fine"
  | "high bias"
  | "high variance"
  | "high bias and high variance"
  | "too few dev examples"
  | "too few training examples";

/** How a gap compares with the threshold: surely above it, at most it, or above it but within the noise. */
export type GapLevel = "high" | "low" | "unresolved";

/** An error rate as a fraction, or as a count of errors out of `n` examples. */
export type ErrorInput = number | { readonly errors: number; readonly n: number };

/** A base error: a fraction, or a value with an interval and where it came from. */
export type BaseErrorInput = number | {
  /** The base error, a fraction in [0, 1]. */
  readonly value: number;
  /** Lower end of its interval. Default `value`. */
  readonly low?: number;
  /** Upper end of its interval. Default `value`. */
  readonly high?: number;
  /** Where it came from, e.g. `"flag"`, `"dataset"`, `"estimate"`. Default `"given"`. */
  readonly source?: string;
  /** How it was obtained, e.g. the estimator's name. */
  readonly method?: string;
};

/** Options of {@link diagnose}: error rates as fractions in [0, 1], or counts. */
export interface DiagnoseOptions {
  /** Error on the training set: a fraction, or `{ errors, n }`. */
  readonly trainError: ErrorInput;
  /** Error on the dev set: a fraction, or `{ errors, n }`. */
  readonly devError: ErrorInput;
  /** Training examples the (fractional) trainError was measured on; gives it an interval. */
  readonly trainN?: number;
  /** Dev examples the (fractional) devError was measured on; gives it an interval. */
  readonly devN?: number;
  /**
   * Base (Bayes, or a proxy such as human-level) error, a fraction or a value with its
   * interval and source. Default `0`, which the summary states (the avoidable bias is then
   * the whole training error).
   */
  readonly baseError?: BaseErrorInput;
  /** A gap is high when it is strictly above this many (absolute) error points. Default `0.02` (2%). */
  readonly threshold?: number;
  /** Confidence of the intervals. Default `0.95`. */
  readonly confidence?: number;
}

/** An error rate with its interval; `n` is null when no count was given (then low = value = high). */
export interface MeasuredError extends Interval {
  /** Examples it was measured on, or null. */
  readonly n: number | null;
}

/** The base error the diagnosis used, with its interval and where it came from. */
export interface BaseError extends Interval {
  /** Where it came from: what the caller said (`"flag"`, `"dataset"`, `"estimate"`, `"given"`), or `"none"` (0 assumed). */
  readonly source: string;
  /** How it was obtained, when known. */
  readonly method?: string;
}

/** The result of {@link diagnose}. */
export interface Diagnosis {
  /** The training error with its Wilson interval. */
  readonly trainError: MeasuredError;
  /** The dev error with its Wilson interval. */
  readonly devError: MeasuredError;
  /** The base error used. */
  readonly baseError: BaseError;
  /** trainError − baseError, with its interval. */
  readonly avoidableBias: Interval;
  /** devError − trainError, with its interval. */
  readonly variance: Interval;
  /** Each gap against the threshold: `high` (its interval above it), `low` (at most the threshold), `unresolved` (above it, the interval reaching below). */
  readonly levels: { readonly bias: GapLevel; readonly variance: GapLevel };
  /** The verdict: the problems the data supports, or why it cannot tell. */
  readonly verdict: Verdict;
  /** What to try next, bias remedies first (empty when fine). */
  readonly actions: string[];
  /**
   * When the variance gap is unresolved: the dev-set size at which a gap of the threshold's
   * size would be told from none (dev error = train error + threshold, the training counts
   * as they are, the interval's lower end above 0); if the dev set is already that big, the
   * size at which this gap (the same dev error rate) would have its interval above the
   * threshold. Null otherwise, and when no dev-set size would do (the training error's own
   * interval is too wide).
   */
  readonly devExamplesNeeded: number | null;
  /** The threshold used. */
  readonly threshold: number;
  /** The confidence of the intervals. */
  readonly confidence: number;
  /** What else the numbers say (a base error assumed 0, negative gaps, a dev set too small to resolve the threshold), one sentence each. */
  readonly notes: string[];
  /** One paragraph for a report: the gaps, the verdict, what to try, and the notes. */
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

const FN = "diagnose";

function checkFraction(name: string, value: unknown): number {
  if (typeof value !== "number" || !(value >= 0 && value <= 1)) {
    const hint = typeof value === "number" && value > 1 && value <= 100 ? ` (pass ${value / 100} for ${value}%)` : "";
    throw new ArgumentError(`${FN}: ${name} must be a fraction in [0, 1], got ${describe(value)}${hint}`);
  }
  return value;
}

function checkCount(name: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) throw new ArgumentError(`${FN}: ${name} must be a positive integer (a number of examples), got ${describe(value)}`);
  return value;
}

/** An error input resolved to a rate with its Wilson interval (or a bare rate when there is no count). */
function measured(name: string, input: unknown, nOption: unknown, confidence: number): MeasuredError {
  if (typeof input === "object" && input !== null) {
    const { errors, n } = input as { errors?: unknown; n?: unknown };
    const count = checkCount(`${name}.n`, n);
    if (typeof errors !== "number" || !(errors >= 0 && errors <= count)) throw new ArgumentError(`${FN}: ${name}.errors must be a number in [0, ${count}] (errors out of n), got ${describe(errors)}`);
    if (nOption !== undefined) throw new ArgumentError(`${FN}: give ${name === "trainError" ? "trainN" : "devN"} only with a fractional ${name}, not with { errors, n }`);
    return wilsonInterval(errors, count, confidence);
  }
  const value = checkFraction(name, input);
  if (nOption === undefined) return { value, low: value, high: value, n: null };
  return wilsonInterval(value * checkCount(name === "trainError" ? "trainN" : "devN", nOption), nOption as number, confidence);
}

function baseErrorOf(input: unknown): BaseError {
  if (input === undefined) return { value: 0, low: 0, high: 0, source: "none" };
  if (typeof input === "number") {
    const value = checkFraction("baseError", input);
    return { value, low: value, high: value, source: "given" };
  }
  if (typeof input !== "object" || input === null) throw new ArgumentError(`${FN}: baseError must be a fraction or { value, low?, high?, source?, method? }, got ${describe(input)}`);
  const b = input as { value?: unknown; low?: unknown; high?: unknown; source?: unknown; method?: unknown };
  const value = checkFraction("baseError.value", b.value);
  const low = checkFraction("baseError.low", b.low ?? value);
  const high = checkFraction("baseError.high", b.high ?? value);
  if (!(low <= value && value <= high)) throw new ArgumentError(`${FN}: baseError must have low ≤ value ≤ high, got low ${low}, value ${value}, high ${high}`);
  if (b.source !== undefined && typeof b.source !== "string") throw new ArgumentError(`${FN}: baseError.source must be a string, got ${describe(b.source)}`);
  if (b.method !== undefined && typeof b.method !== "string") throw new ArgumentError(`${FN}: baseError.method must be a string, got ${describe(b.method)}`);
  return { value, low, high, source: (b.source as string | undefined) ?? "given", ...(b.method === undefined ? {} : { method: b.method as string }) };
}

/**
 * A gap against the threshold: high when its whole interval is above the threshold and
 * above what one example of its set is worth (1/n: under 1/threshold examples, 50 for 2
 * points, one example outweighs the threshold); unresolved when it is above the threshold
 * but its interval is not above both; low when it is at most the threshold.
 */
function levelOf(gap: Interval, threshold: number, n: number | null): GapLevel {
  if (!(gap.value > threshold)) return "low";
  return gap.low > Math.max(threshold, n === null ? 0 : 1 / n) ? "high" : "unresolved";
}

/**
 * The smallest dev-set size n at which a dev error of `devRate` against the training error
 * as measured gives a variance interval whose lower end is above `target(n)`; null when no
 * dev-set size would (the training error's own interval is too wide) or beyond 10⁹.
 */
function devSizeFor(train: MeasuredError, devRate: number, target: (n: number) => number, confidence: number): number | null {
  if (train.n === null) return null;
  const p = Math.min(1, devRate);
  const clears = (n: number): boolean => differenceInterval(wilsonInterval(p * n, n, confidence), train).low > target(n);
  const cap = 1e9;
  if (!clears(cap)) return null;
  let lo = 1, hi = 1;
  while (!clears(hi)) { lo = hi; hi *= 2; }
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (clears(mid)) hi = mid; else lo = mid;
  }
  return hi;
}

const range = (g: Interval): string => `${pct(g.low)} to ${pct(g.high)}`;

/**
 * The course's basic recipe, with sampling noise. Avoidable bias = train − base error,
 * variance = dev − train error. When the errors come with counts (`{ errors, n }`, or a
 * rate with `trainN`/`devN`), each rate gets a Wilson score interval and each gap
 * Newcombe's square-and-add interval (see {@link wilsonInterval},
 * {@link differenceInterval}; the base error's own interval, e.g. an estimate's, is added
 * in the same way). A gap is:
 * - `high` when its whole interval lies above `threshold` (default 2 points): the data
 *   supports a gap of more than the threshold;
 * - `unresolved` when its value is above the threshold but its interval reaches below it:
 *   it could be sampling noise (on 200 dev rows one example is half a point, and the
 *   interval of a 3% error on 200 rows is 1.4%–6.4%);
 * - `low` when its value is at most the threshold.
 * On a set of fewer than 1/threshold examples (under 50 for 2 points) one example is worth
 * more than the threshold, so there the interval must also clear 1/n to read high (else a
 * single example would flip the verdict with the split's seed).
 *
 * Verdicts: the high gaps (high bias → bigger network, train longer, better optimizer or
 * learning rate, another architecture, and fix bias first; high variance → more data,
 * regularization, early stopping, another architecture); with no high gap, "too few dev
 * examples" when the variance gap is unresolved (with `devExamplesNeeded`, the dev-set size
 * that would tell a gap of the threshold's size from none), "too few training examples"
 * when the avoidable bias is (or the variance gap is and only the training error was
 * counted); else "fine". Without counts the intervals are points and this
 * is the course's rule: with base error 0, 1%/11% is high variance, 15%/16% high bias,
 * 15%/30% both, 0.5%/1% fine; with base error 15%, 15%/16% is fine.
 *
 * @example
 * ```ts
 * import { diagnose } from "@hone/data-split";
 * diagnose({ trainError: 0.01, devError: 0.11 }).verdict;                   // "high variance"
 * diagnose({ trainError: 0.15, devError: 0.16, baseError: 0.15 }).verdict; // "fine"
 * // A 5-point gap on 50 dev examples (3 errors) cannot be told from noise:
 * const d = diagnose({ trainError: { errors: 6, n: 600 }, devError: { errors: 3, n: 50 } });
 * console.log(d.verdict, d.devExamplesNeeded); // "too few dev examples" 197
 * ```
 */
export function diagnose(options: DiagnoseOptions): Diagnosis {
  if (typeof options !== "object" || options === null) throw new ArgumentError(`${FN}: options must be { trainError, devError, baseError? }, got ${describe(options)}`);
  const confidence = checkConfidence(FN, options.confidence ?? 0.95);
  const threshold = checkThreshold(FN, options.threshold ?? 0.02);
  const train = measured("trainError", options.trainError, options.trainN, confidence);
  const dev = measured("devError", options.devError, options.devN, confidence);
  const base = baseErrorOf(options.baseError);
  const avoidableBias = differenceInterval(train, base);
  const variance = differenceInterval(dev, train);
  const levels = { bias: levelOf(avoidableBias, threshold, train.n), variance: levelOf(variance, threshold, dev.n) };
  const highBias = levels.bias === "high", highVariance = levels.variance === "high";
  // The dev size whose interval tells a gap of the threshold's size from none (its resolution).
  const resolving = dev.n === null ? null : devSizeFor(train, train.value + threshold, () => 0, confidence);
  // Unresolved variance: that size, or, if this dev set already has it, the size at which this gap would clear the threshold.
  const devExamplesNeeded = levels.variance !== "unresolved" ? null
    : resolving !== null && resolving > dev.n! ? resolving
      : devSizeFor(train, dev.value, (n) => Math.max(threshold, 1 / n), confidence);

  let verdict: Verdict;
  if (highBias || highVariance) verdict = highBias && highVariance ? "high bias and high variance" : highBias ? "high bias" : "high variance";
  // An unresolved variance gap is the dev set's to settle when it was counted; otherwise only the training counts widen it.
  else if (levels.variance === "unresolved") verdict = dev.n !== null ? "too few dev examples" : "too few training examples";
  else if (levels.bias === "unresolved") verdict = "too few training examples";
  else verdict = "fine";

  const devMore = devExamplesNeeded !== null
    ? `collect more dev examples: about ${devExamplesNeeded} would tell ${devExamplesNeeded === resolving ? `a ${pct(threshold)} gap from none` : `whether this gap is above ${pct(threshold)}`} (now ${dev.n})`
    : `collect more dev and training examples: with ${train.n ?? "these"} training examples the training error's own interval is too wide for any dev set alone to settle a ${pct(threshold)} gap`;
  let actions: string[];
  if (verdict === "too few dev examples") {
    actions = devExamplesNeeded === null ? [devMore] : [devMore, "or give the dev split a larger share of the rows (a big data set needs only a small fraction: 98/1/1)"];
  } else if (verdict === "too few training examples") {
    actions = levels.bias === "unresolved"
      ? ["pin the base error down: measure human-level error, or pass a known figure", "or train on more examples"]
      : ["train on more examples (the training error's interval is what is wide)", "and give the dev error's count (devN) so that its own noise is counted too"];
  } else {
    actions = [...(highBias ? BIAS_ACTIONS : []), ...(highVariance ? VARIANCE_ACTIONS.filter((a) => !(highBias && BIAS_ACTIONS.includes(a))) : [])];
  }

  const counted = train.n !== null || dev.n !== null || base.low !== base.high;
  const of = (e: MeasuredError): string => (e.n === null ? pct(e.value) : `${pct(e.value)} of ${e.n}`);
  const baseText = base.source === "none" ? "base 0% (none given)" : `base ${pct(base.value)}${base.low !== base.high ? ` [${range(base)}]` : ""} (${base.source}${base.method === undefined ? "" : `: ${base.method}`})`;
  const biasText = `avoidable bias ${pct(avoidableBias.value)}${counted ? ` [${Math.round(confidence * 100)}%: ${range(avoidableBias)}]` : ""} (train ${of(train)} − ${baseText})`;
  const varianceText = `variance ${pct(variance.value)}${counted ? ` [${range(variance)}]` : ""} (dev ${of(dev)} − train ${pct(train.value)})`;
  const notes: string[] = [];
  if (base.source === "none") notes.push("no base error was given, so 0 is assumed and all of the training error counts as avoidable");
  // Negative gaps are noted when the data supports them (the whole interval below 0), or, without counts, when negative.
  if (avoidableBias.high < 0) notes.push("train error is below the base error: the base estimate may be too high (human-level error is only an upper bound on Bayes error), or the model overfits the training set");
  if (variance.high < 0) notes.push("dev error is below train error: check that dev comes from the same distribution as train and is not easier, or that regularization (e.g. dropout) is what raises the training error");
  if (highBias && levels.variance === "unresolved") notes.push(`the variance gap is above the threshold but within the noise; ${devMore}`);
  if (verdict === "fine" && resolving !== null && dev.n !== null && resolving > dev.n) notes.push(`this dev set is too small to resolve a ${pct(threshold)} gap (the variance interval reaches ${pct(variance.high)}); about ${resolving} dev examples would`);
  if (levels.bias === "unresolved" && verdict !== "too few training examples") notes.push("the avoidable bias is above the threshold but within the noise of the training error and the base error");
  const next = verdict === "fine"
    ? `both gaps are within the threshold (${pct(threshold)}); check the test error${base.source === "dataset" ? "" : ", or lower the base error if you expect better"}`
    : verdict === "too few dev examples"
      ? `the variance gap is above ${pct(threshold)} but its interval reaches below it${dev.n !== null && dev.n * threshold < 1 ? ` or below one dev example (${pct(1 / dev.n)})` : ""}, so it may be noise; ${actions.join("; ")}`
      : verdict === "too few training examples"
        ? `the ${levels.bias === "unresolved" ? "avoidable bias" : "variance gap"} is above ${pct(threshold)} but its interval reaches below it, so it may be noise; ${actions.join("; ")}`
        : `${highBias ? "reduce bias first (check training-set performance), " : ""}try: ${actions.join("; ")}`;
  const summary = `${biasText}, ${varianceText}: ${verdict}. ${next[0]!.toUpperCase()}${next.slice(1)}.${notes.length > 0 ? ` Note: ${notes.join("; ")}.` : ""}`;
  return { trainError: train, devError: dev, baseError: base, avoidableBias, variance, levels, verdict, actions, devExamplesNeeded, threshold, confidence, notes, summary };
}
