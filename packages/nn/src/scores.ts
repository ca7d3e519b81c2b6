// Scores of a finished model on labeled rows: for classifiers the confusion matrix,
// precision, recall and F1 (per class, macro, weighted), ROC-AUC and average precision,
// log loss and the majority-class baseline; for regressors RMSE, MAE and R² and the
// mean-predictor baseline. Plain functions over arrays of numbers: labels are class ids
// 0..k−1, binary targets 0/1, probabilities row-major (m, k). Definitions follow
// scikit-learn's (named in each doc) so that numbers can be checked against it.
import { libm, ArgumentError, describe } from "@hone/tensor";

// ---------------------------------------------------------------------------------------
// Types

/** Precision, recall and F1 of one class, with its support (true rows of the class). */
export interface ClassScores {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly support: number;
}

/** Per-class scores and their macro (unweighted) and weighted (by support) averages. */
export interface PrecisionRecallF1 {
  readonly perClass: ClassScores[];
  readonly macro: { readonly precision: number; readonly recall: number; readonly f1: number };
  readonly weighted: { readonly precision: number; readonly recall: number; readonly f1: number };
}

/** Options of {@link classificationReport}. */
export interface ClassificationReportOptions {
  /** The number of classes k (probabilities have k columns). */
  readonly classes: number;
  /** Binary: the positive class id. Default 1 (the second class in sorted order). */
  readonly positive?: number;
  /** Binary: predict the positive class when its probability is above this (strictly, as `predictBinary`). Default 0.5. */
  readonly threshold?: number;
}

/** Everything {@link classificationReport} measures. */
export interface ClassificationReport extends PrecisionRecallF1 {
  readonly accuracy: number;
  /** Binary: of the positive class; more classes: the macro average. */
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  /** Binary ROC-AUC of the positive class, or the one-vs-rest macro average; null when a class needed is absent. */
  readonly rocAuc: number | null;
  /** Average precision (PR-AUC) likewise; null when undefined (no positive row). */
  readonly prAuc: number | null;
  readonly logLoss: number;
  /** Rows: true class; columns: predicted class. */
  readonly confusion: number[][];
}

/** RMSE, MAE, R² and MSE. */
export interface RegressionReport {
  readonly rmse: number;
  readonly mae: number;
  readonly r2: number;
  readonly mse: number;
}

// ---------------------------------------------------------------------------------------
// Checks

type Numbers = ArrayLike<number>;

function checkNumbers(fn: string, name: string, v: unknown): Numbers {
  if (v === null || typeof v !== "object" || typeof (v as Numbers).length !== "number") throw new ArgumentError(`${fn}: ${name} must be an array of numbers, got ${describe(v)}`);
  const a = v as Numbers;
  for (let i = 0; i < a.length; i++) if (typeof a[i] !== "number" || !Number.isFinite(a[i])) throw new ArgumentError(`${fn}: ${name}[${i}] must be a finite number, got ${describe(a[i])}`);
  return a;
}

function checkSameLength(fn: string, a: Numbers, b: Numbers, an: string, bn: string): number {
  if (a.length !== b.length) throw new ArgumentError(`${fn}: ${an} has ${a.length} values but ${bn} has ${b.length}`);
  if (a.length === 0) throw new ArgumentError(`${fn}: no rows`);
  return a.length;
}

function checkClasses(fn: string, k: unknown): number {
  if (!(typeof k === "number" && Number.isInteger(k) && k >= 2)) throw new ArgumentError(`${fn}: classes must be an integer ≥ 2, got ${describe(k)}`);
  return k;
}

function checkLabels(fn: string, name: string, v: unknown, k: number): Numbers {
  const a = checkNumbers(fn, name, v);
  for (let i = 0; i < a.length; i++) if (!Number.isInteger(a[i]) || a[i]! < 0 || a[i]! >= k) throw new ArgumentError(`${fn}: ${name}[${i}] must be a class id in 0..${k - 1}, got ${a[i]}`);
  return a;
}

function checkBinary(fn: string, name: string, v: unknown): Numbers {
  return checkLabels(fn, name, v, 2);
}

// ---------------------------------------------------------------------------------------
// Classification

/**
 * The confusion matrix: `c[i][j]` counts rows of true class i predicted as j (scikit-learn's
 * `confusion_matrix` layout).
 *
 * @example
 * ```ts
 * import { confusionMatrix } from "@hone/nn";
 * confusionMatrix([0, 0, 1, 1], [0, 1, 1, 1], 2); // [[1, 1], [0, 2]]
 * ```
 */
export function confusionMatrix(target: Numbers, predicted: Numbers, classes: number): number[][] {
  const fn = "confusionMatrix";
  const k = checkClasses(fn, classes);
  const t = checkLabels(fn, "target", target, k), p = checkLabels(fn, "predicted", predicted, k);
  checkSameLength(fn, t, p, "target", "predicted");
  const c = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < t.length; i++) c[t[i]!]![p[i]!]!++;
  return c;
}

/**
 * Precision tp/(tp+fp), recall tp/(tp+fn) and F1 (their harmonic mean) per class from a
 * confusion matrix, and their macro and support-weighted averages (scikit-learn's
 * `precision_recall_fscore_support` with `zero_division=0`: a class never predicted has
 * precision 0, a class with no rows recall 0, and F1 0 when both are 0).
 *
 * @example
 * ```ts
 * import { precisionRecallF1 } from "@hone/nn";
 * const s = precisionRecallF1([[1, 1], [0, 2]]);
 * s.perClass[1]; // { precision: 2/3, recall: 1, f1: 0.8, support: 2 }
 * ```
 */
export function precisionRecallF1(confusion: readonly (readonly number[])[]): PrecisionRecallF1 {
  const fn = "precisionRecallF1";
  const rows = confusion as unknown;
  const k = Array.isArray(rows) ? rows.length : 0;
  if (!Array.isArray(rows) || k < 2 || !(rows as unknown[]).every((r) => Array.isArray(r) && r.length === k && (r as unknown[]).every((v) => Number.isInteger(v) && (v as number) >= 0))) {
    throw new ArgumentError(`${fn}: confusion must be a k×k matrix of counts (k ≥ 2), got ${describe(confusion)}`);
  }
  const perClass: ClassScores[] = [];
  let total = 0;
  for (let c = 0; c < k; c++) {
    const tp = confusion[c]![c]!;
    let predicted = 0, support = 0;
    for (let i = 0; i < k; i++) { predicted += confusion[i]![c]!; support += confusion[c]![i]!; }
    const precision = predicted === 0 ? 0 : tp / predicted;
    const recall = support === 0 ? 0 : tp / support;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    perClass.push({ precision, recall, f1, support });
    total += support;
  }
  const avg = (key: "precision" | "recall" | "f1", weighted: boolean): number =>
    perClass.reduce((s, c) => s + c[key] * (weighted ? c.support / total : 1 / k), 0);
  return {
    perClass,
    macro: { precision: avg("precision", false), recall: avg("recall", false), f1: avg("f1", false) },
    weighted: total === 0 ? { precision: 0, recall: 0, f1: 0 } : { precision: avg("precision", true), recall: avg("recall", true), f1: avg("f1", true) },
  };
}

/** The cumulative true and false positives at each distinct score, taken as a threshold from the highest down (equal scores enter together). */
interface ThresholdStep {
  readonly threshold: number;
  readonly tp: number;
  readonly fp: number;
}

/** Checks binary `target` and `scores`, and walks the thresholds: the steps and the count of positives. */
function thresholdSteps(fn: string, target: unknown, scores: unknown): { steps: ThresholdStep[]; pos: number; neg: number } {
  const t = checkBinary(fn, "target", target), s = checkNumbers(fn, "scores", scores);
  const n = checkSameLength(fn, t, s, "target", "scores");
  const order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => s[b]! - s[a]!);
  const steps: ThresholdStep[] = [];
  let tp = 0, fp = 0;
  for (let i = 0; i < n;) {
    const threshold = s[order[i]!]!;
    for (; i < n && s[order[i]!] === threshold; i++) { if (t[order[i]!] === 1) tp++; else fp++; }
    steps.push({ threshold, tp, fp });
  }
  return { steps, pos: tp, neg: fp };
}

/**
 * The area under the ROC curve of binary `target` (0/1) scored by `scores`: the chance that
 * a random positive scores above a random negative, ties counting one half (the
 * Mann–Whitney statistic; equal to scikit-learn's `roc_auc_score`, the trapezoid under the
 * ROC curve). Both classes must be present.
 *
 * @example
 * ```ts
 * import { rocAuc } from "@hone/nn";
 * rocAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]); // 0.75 (scikit-learn's documented example)
 * ```
 */
export function rocAuc(target: Numbers, scores: Numbers): number {
  const fn = "rocAuc";
  const { steps, pos, neg } = thresholdSteps(fn, target, scores);
  if (pos === 0 || neg === 0) throw new ArgumentError(`${fn}: target has only ${pos === 0 ? "negatives" : "positives"}; ROC-AUC needs both classes`);
  // The trapezoid under the ROC curve: a step that admits tied positives and negatives together counts them half.
  let area = 0, tp = 0, fp = 0;
  for (const step of steps) {
    area += (step.fp - fp) * (step.tp + tp) / 2;
    tp = step.tp; fp = step.fp;
  }
  return area / (pos * neg);
}

/**
 * Average precision of binary `target` scored by `scores`: AP = Σₙ (Rₙ − Rₙ₋₁)·Pₙ over the
 * distinct score thresholds in decreasing order (rows with equal scores enter together),
 * scikit-learn's `average_precision_score` — a step sum, not the trapezoid, which is
 * optimistic. At least one positive row is needed.
 *
 * @example
 * ```ts
 * import { averagePrecision } from "@hone/nn";
 * averagePrecision([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]); // 0.8333… (scikit-learn's documented example)
 * ```
 */
export function averagePrecision(target: Numbers, scores: Numbers): number {
  const fn = "averagePrecision";
  const { steps, pos } = thresholdSteps(fn, target, scores);
  if (pos === 0) throw new ArgumentError(`${fn}: target has no positive row; average precision needs one`);
  let ap = 0, tp = 0;
  for (const step of steps) {
    ap += ((step.tp - tp) / pos) * (step.tp / (step.tp + step.fp));
    tp = step.tp;
  }
  return ap;
}

function columnOf(probabilities: Numbers, k: number, c: number): Float64Array {
  const m = probabilities.length / k;
  return Float64Array.from({ length: m }, (_, i) => probabilities[i * k + c]!);
}

/** Checks class ids `labels` and their (m, k) row-major `probabilities`. */
function checkScored(fn: string, labels: unknown, probabilities: unknown, classes: unknown): { k: number; y: Numbers; p: Numbers } {
  const k = checkClasses(fn, classes);
  const y = checkLabels(fn, "labels", labels, k);
  if (y.length === 0) throw new ArgumentError(`${fn}: no rows`);
  const p = checkNumbers(fn, "probabilities", probabilities);
  if (p.length !== y.length * k) throw new ArgumentError(`${fn}: probabilities must hold ${y.length}×${k} = ${y.length * k} values (row-major), got ${p.length}`);
  return { k, y, p };
}

/** The mean over classes of a binary score of "this class" against the rest, on its probability column. */
function oneVsRest(fn: string, labels: Numbers, probabilities: Numbers, classes: number, score: (target: Numbers, scores: Numbers) => number): number {
  const { k, y, p } = checkScored(fn, labels, probabilities, classes);
  let sum = 0;
  for (let c = 0; c < k; c++) sum += score(Float64Array.from(y, (v) => (v === c ? 1 : 0)), columnOf(p, k, c));
  return sum / k;
}

/**
 * One-vs-rest macro ROC-AUC over k classes: the mean over classes of the ROC-AUC of
 * "this class" against the rest, scored by its probability column (scikit-learn's
 * `roc_auc_score(multi_class="ovr", average="macro")`). Every class must be present.
 *
 * @example
 * ```ts
 * import { rocAucOvr } from "@hone/nn";
 * rocAucOvr([0, 1, 2], [0.8, 0.1, 0.1, 0.2, 0.7, 0.1, 0.1, 0.2, 0.7], 3); // 1
 * ```
 */
export function rocAucOvr(labels: Numbers, probabilities: Numbers, classes: number): number {
  return oneVsRest("rocAucOvr", labels, probabilities, classes, rocAuc);
}

/**
 * One-vs-rest macro average precision over k classes (scikit-learn's
 * `average_precision_score` on the one-hot labels with `average="macro"`).
 *
 * @example
 * ```ts
 * import { averagePrecisionOvr } from "@hone/nn";
 * averagePrecisionOvr([0, 1, 2], [0.8, 0.1, 0.1, 0.2, 0.7, 0.1, 0.1, 0.2, 0.7], 3); // 1
 * ```
 */
export function averagePrecisionOvr(labels: Numbers, probabilities: Numbers, classes: number): number {
  return oneVsRest("averagePrecisionOvr", labels, probabilities, classes, averagePrecision);
}

/** Probabilities are clipped to [ε, 1 − ε] with this ε before the logarithm. */
export const LOG_LOSS_EPS = 1e-15;

/**
 * The mean negative log-likelihood −(1/m)·Σ log p(true class), probabilities clipped to
 * [1e-15, 1 − 1e-15] (scikit-learn 1.2's `log_loss` with its default `eps=1e-15`; rows
 * are not renormalized).
 *
 * @example
 * ```ts
 * import { logLoss } from "@hone/nn";
 * logLoss([1, 0], [0.2, 0.8, 0.6, 0.4], 2); // −(ln 0.8 + ln 0.6)/2 ≈ 0.3670
 * ```
 */
export function logLoss(labels: Numbers, probabilities: Numbers, classes: number): number {
  const { k, y, p } = checkScored("logLoss", labels, probabilities, classes);
  let sum = 0;
  for (let i = 0; i < y.length; i++) sum -= libm.log(Math.min(1 - LOG_LOSS_EPS, Math.max(LOG_LOSS_EPS, p[i * k + y[i]!]!)));
  return sum / y.length;
}

/**
 * Per-class loss weights. `"balanced"`: n / (k · count of the class), so every class weighs
 * the same in total (scikit-learn's `compute_class_weight("balanced")`). Every class must
 * have a row.
 *
 * @example
 * ```ts
 * import { classWeights } from "@hone/nn";
 * classWeights([0, 0, 0, 1], 2, "balanced"); // [4/6, 4/2] = [0.667, 2]
 * ```
 */
export function classWeights(labels: Numbers, classes: number, how: "balanced"): number[] {
  const fn = "classWeights";
  const k = checkClasses(fn, classes);
  const y = checkLabels(fn, "labels", labels, k);
  if (how !== "balanced") throw new ArgumentError(`${fn}: how must be "balanced", got ${describe(how)}`);
  const counts = new Array<number>(k).fill(0);
  for (let i = 0; i < y.length; i++) counts[y[i]!]!++;
  const missing = counts.findIndex((c) => c === 0);
  if (missing >= 0) throw new ArgumentError(`${fn}: class ${missing} has no row; balanced weights need every class`);
  return counts.map((c) => y.length / (k * c));
}

/**
 * What always predicting the training majority class scores on `evalLabels`: that class
 * (the smallest id on a tie) and its accuracy.
 *
 * @example
 * ```ts
 * import { majorityBaseline } from "@hone/nn";
 * majorityBaseline([0, 0, 1], [0, 1, 1, 1], 2); // { class: 0, accuracy: 0.25 }
 * ```
 */
export function majorityBaseline(trainLabels: Numbers, evalLabels: Numbers, classes: number): { class: number; accuracy: number } {
  const fn = "majorityBaseline";
  const k = checkClasses(fn, classes);
  const t = checkLabels(fn, "trainLabels", trainLabels, k), e = checkLabels(fn, "evalLabels", evalLabels, k);
  if (t.length === 0 || e.length === 0) throw new ArgumentError(`${fn}: no rows`);
  const counts = new Array<number>(k).fill(0);
  for (let i = 0; i < t.length; i++) counts[t[i]!]!++;
  const majority = counts.indexOf(Math.max(...counts));
  let hits = 0;
  for (let i = 0; i < e.length; i++) if (e[i] === majority) hits++;
  return { class: majority, accuracy: hits / e.length };
}

/**
 * The probability threshold that maximizes F1 of the positive class on these rows:
 * candidates are the distinct scores, a row is predicted positive when its score ≥ the
 * threshold; on a tie the higher threshold wins. Returns the threshold and its F1.
 *
 * @example
 * ```ts
 * import { bestThreshold } from "@hone/nn";
 * bestThreshold([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], { metric: "f1" }); // { threshold: 0.35, f1: 0.8 }
 * ```
 */
export function bestThreshold(target: Numbers, scores: Numbers, options: { metric?: "f1" } = {}): { threshold: number; f1: number } {
  const fn = "bestThreshold";
  if ((options.metric ?? "f1") !== "f1") throw new ArgumentError(`${fn}: metric must be "f1", got ${describe(options.metric)}`);
  const { steps, pos } = thresholdSteps(fn, target, scores);
  if (pos === 0) throw new ArgumentError(`${fn}: target has no positive row; F1 is 0 at every threshold`);
  let best = { threshold: steps[0]!.threshold, f1: -1 };
  for (const { threshold, tp, fp } of steps) {
    const f1 = (2 * tp) / (2 * tp + fp + (pos - tp));
    if (f1 > best.f1) best = { threshold, f1 };
  }
  return best;
}

/**
 * Every classification score of `probabilities` (m, k) against `labels` (ids): accuracy,
 * the confusion matrix, precision/recall/F1 per class with macro and weighted averages,
 * ROC-AUC, average precision (PR-AUC) and log loss. Binary: predictions are the positive
 * class where its probability is above `threshold`; the headline precision, recall, F1,
 * ROC-AUC and PR-AUC are the positive class's. More classes: argmax predictions, macro
 * averages, one-vs-rest AUCs. An AUC that is undefined on these rows (a class absent) is null.
 *
 * @example
 * ```ts
 * import { classificationReport } from "@hone/nn";
 * const r = classificationReport([0, 0, 1, 1], [0.9, 0.1, 0.6, 0.4, 0.65, 0.35, 0.2, 0.8], { classes: 2 });
 * [r.accuracy, r.recall, r.rocAuc]; // [0.75, 0.5, 0.75]
 * ```
 */
export function classificationReport(labels: Numbers, probabilities: Numbers, options: ClassificationReportOptions): ClassificationReport {
  const fn = "classificationReport";
  const { k, y, p } = checkScored(fn, labels, probabilities, options.classes);
  const m = y.length;
  const predicted = new Float64Array(m);
  let positive = 1;
  if (k === 2) {
    positive = options.positive ?? 1;
    if (positive !== 0 && positive !== 1) throw new ArgumentError(`${fn}: positive must be 0 or 1, got ${describe(options.positive)}`);
    const threshold = options.threshold ?? 0.5;
    if (!(typeof threshold === "number" && threshold >= 0 && threshold < 1)) throw new ArgumentError(`${fn}: threshold must be in [0, 1), got ${describe(options.threshold)}`);
    for (let i = 0; i < m; i++) predicted[i] = p[i * 2 + positive]! > threshold ? positive : 1 - positive;
  } else {
    for (let i = 0; i < m; i++) {
      let best = 0;
      for (let c = 1; c < k; c++) if (p[i * k + c]! > p[i * k + best]!) best = c;
      predicted[i] = best;
    }
  }
  const confusion = confusionMatrix(y, predicted, k);
  const prf = precisionRecallF1(confusion);
  let hits = 0;
  for (let c = 0; c < k; c++) hits += confusion[c]![c]!;
  const orNull = (f: () => number): number | null => {
    try {
      return f();
    } catch (error) {
      if (error instanceof ArgumentError) return null;
      throw error;
    }
  };
  const head = k === 2 ? prf.perClass[positive]! : prf.macro;
  const binaryTarget = k === 2 ? Float64Array.from(y, (v) => (v === positive ? 1 : 0)) : null;
  const scores = k === 2 ? columnOf(p, 2, positive) : null;
  return {
    accuracy: hits / m, precision: head.precision, recall: head.recall, f1: head.f1,
    rocAuc: orNull(() => (binaryTarget !== null ? rocAuc(binaryTarget, scores!) : rocAucOvr(y, p, k))),
    prAuc: orNull(() => (binaryTarget !== null ? averagePrecision(binaryTarget, scores!) : averagePrecisionOvr(y, p, k))),
    logLoss: logLoss(y, p, k), confusion, ...prf,
  };
}

// ---------------------------------------------------------------------------------------
// Regression

/**
 * RMSE √(mean (y − ŷ)²), MAE mean |y − ŷ|, MSE, and R² = 1 − SS_res/SS_tot with SS_tot the
 * spread of `target` around its own mean (scikit-learn's `r2_score`; when the target is
 * constant R² is 1 for a perfect prediction and 0 otherwise, as there).
 *
 * @example
 * ```ts
 * import { regressionReport } from "@hone/nn";
 * regressionReport([3, -0.5, 2, 7], [2.5, 0.0, 2, 8]); // { rmse: 0.6124, mae: 0.5, r2: 0.9486, mse: 0.375 } (scikit-learn's documented example)
 * ```
 */
export function regressionReport(target: Numbers, predicted: Numbers): RegressionReport {
  const fn = "regressionReport";
  const t = checkNumbers(fn, "target", target), p = checkNumbers(fn, "predicted", predicted);
  const n = checkSameLength(fn, t, p, "target", "predicted");
  let mean = 0;
  for (let i = 0; i < n; i++) mean += t[i]!;
  mean /= n;
  let ss = 0, sa = 0, st = 0;
  for (let i = 0; i < n; i++) {
    const e = t[i]! - p[i]!;
    ss += e * e; sa += Math.abs(e); st += (t[i]! - mean) ** 2;
  }
  const r2 = st === 0 ? (ss === 0 ? 1 : 0) : 1 - ss / st;
  return { rmse: Math.sqrt(ss / n), mae: sa / n, r2, mse: ss / n };
}

/** Root mean squared error. @example `rmse([3, -0.5, 2, 7], [2.5, 0, 2, 8]) // 0.6124` */
export function rmse(target: Numbers, predicted: Numbers): number {
  return regressionReport(target, predicted).rmse;
}

/** Mean absolute error. @example `mae([3, -0.5, 2, 7], [2.5, 0, 2, 8]) // 0.5` */
export function mae(target: Numbers, predicted: Numbers): number {
  return regressionReport(target, predicted).mae;
}

/** R², scikit-learn's `r2_score`. @example `r2([3, -0.5, 2, 7], [2.5, 0, 2, 8]) // 0.9486` */
export function r2(target: Numbers, predicted: Numbers): number {
  return regressionReport(target, predicted).r2;
}

/**
 * What always predicting the training mean scores on `evalTarget`.
 *
 * @example
 * ```ts
 * import { meanBaseline } from "@hone/nn";
 * meanBaseline([1, 2, 3], [2, 4]).rmse; // √((0 + 4)/2) ≈ 1.414
 * ```
 */
export function meanBaseline(trainTarget: Numbers, evalTarget: Numbers): RegressionReport & { mean: number } {
  const fn = "meanBaseline";
  const t = checkNumbers(fn, "trainTarget", trainTarget);
  if (t.length === 0) throw new ArgumentError(`${fn}: trainTarget has no rows`);
  let mean = 0;
  for (let i = 0; i < t.length; i++) mean += t[i]! / t.length;
  const e = checkNumbers(fn, "evalTarget", evalTarget);
  return { ...regressionReport(e, new Float64Array(e.length).fill(mean)), mean };
}
