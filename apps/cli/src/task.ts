// What the network is trained to do: classify (binary with one logit, or softmax) or regress
// (one linear output on the standardized target), and how a split is scored for each: the
// CLI's view of @hone/nn's heads and metric functions.
import {
  classificationHead, classificationReport, infer, weightedCrossEntropy, majorityBaseline, meanBaseline, regressionHead, regressionReport,
  type ClassificationHead, type Loss, type Module,
} from "@hone/nn";
import { cast, noGrad, type DType, type Tensor } from "@hone/tensor";

export { infer } from "@hone/nn";

/** A classifier: @hone/nn's head (its loss possibly class-weighted), with probabilities flat and row-major. */
export interface ClassifierTask extends Omit<ClassificationHead, "probabilities" | "predict"> {
  /** Probabilities (m, classes) from logits, row-major. */
  probabilities(output: Tensor): Float64Array;
}

/** A regressor: one linear output trained on the standardized target; `unscale` maps it back to the label's units. */
export interface RegressorTask {
  kind: "regression";
  outputs: 1;
  loss: Loss;
  lossName: string;
  /** The training target's mean and standard deviation (the standardization to undo). */
  target: { mean: number; std: number };
  /** Predictions in the label's units. */
  unscale(output: Tensor): Float64Array;
}

export type Task = ClassifierTask | RegressorTask;

/** What a task is built from. */
export interface TaskSpec {
  task: "classification" | "regression";
  /** Class count (classification). */
  classes: number;
  /** Per-class loss weights (`--class-weight balanced`). */
  classWeights?: readonly number[];
  /** Regression: the loss and Huber's δ (in standardized units). */
  loss?: "mse" | "huber";
  delta?: number;
  /** Regression: the training target's mean and std. */
  target?: { mean: number; std: number };
}

/** The task of a run. */
export function taskFor(spec: TaskSpec): Task {
  if (spec.task === "regression") {
    const head = regressionHead({ loss: spec.loss ?? "mse", ...(spec.delta === undefined ? {} : { delta: spec.delta }) });
    const target = spec.target ?? { mean: 0, std: 1 };
    return {
      kind: "regression", outputs: 1, loss: head.loss, lossName: head.lossName, target,
      unscale: (out) => Float64Array.from(out.data, (v) => v * target.std + target.mean),
    };
  }
  const head = classificationHead(spec.classes);
  const weighted = spec.classWeights !== undefined;
  return {
    kind: head.kind, classes: head.classes, outputs: head.outputs,
    loss: weighted ? weightedCrossEntropy(spec.classWeights!) : head.loss, lossName: weighted ? `${head.lossName} (class-weighted)` : head.lossName, accuracy: head.accuracy,
    probabilities: (out) => Float64Array.from(head.probabilities(out).data),
  };
}

/** Scores of a classifier on one split. */
export interface ClassifierMetrics {
  rows: number;
  /** The training loss (cross-entropy, class-weighted when the run is). */
  loss: number;
  accuracy: number;
  /** 1 − accuracy: what the diagnosis reads. */
  error: number;
  /** Binary: of the positive class; more classes: macro averages. */
  precision: number;
  recall: number;
  f1: number;
  /** Binary ROC-AUC, or one-vs-rest macro; null when a class is absent from the split. */
  rocAuc: number | null;
  /** Average precision (binary), or one-vs-rest macro; null when undefined. */
  prAuc: number | null;
  logLoss: number;
  /** Rows: true class; columns: predicted class. */
  confusion: number[][];
  perClass: { precision: number; recall: number; f1: number; support: number }[];
  macro: { precision: number; recall: number; f1: number };
  weighted: { precision: number; recall: number; f1: number };
}

/** Scores of a regressor on one split, in the label's units. */
export interface RegressorMetrics {
  rows: number;
  /** The training loss (on the standardized target). */
  loss: number;
  rmse: number;
  mae: number;
  r2: number;
  /** Mean squared error ÷ the training target's variance (1 − R² measured against the training variance): what the diagnosis reads. */
  error: number;
}

export type SplitMetrics = ClassifierMetrics | RegressorMetrics;

/** How a binary classifier turns probabilities into classes. */
export interface Decision {
  /** The positive class id (binary). */
  positive: number;
  /** Predict positive when p(positive) > threshold. */
  threshold: number;
}

/** Scores `model` on `x`, `y` (class ids, or the standardized target for regression). */
export function score(model: Module, task: Task, x: Tensor, y: Tensor, decision: Decision = { positive: 1, threshold: 0.5 }): SplitMetrics {
  return scoreOutput(task, infer(model, x), y, decision);
}

/** Scores a network's output `out` against `y` (class ids, or the standardized target). */
export function scoreOutput(task: Task, out: Tensor, y: Tensor, decision: Decision = { positive: 1, threshold: 0.5 }): SplitMetrics {
  const loss = noGrad(() => task.loss(out, cast(y, out.dtype)).item());
  if (task.kind === "regression") {
    const predicted = task.unscale(out);
    const actual = Float64Array.from(y.data, (v) => v * task.target.std + task.target.mean);
    const r = regressionReport(actual, predicted);
    return { rows: y.size, loss, rmse: r.rmse, mae: r.mae, r2: r.r2, error: r.mse / (task.target.std * task.target.std) };
  }
  const probs = task.probabilities(out);
  const r = classificationReport(Float64Array.from(y.data), probs, { classes: task.classes, positive: decision.positive, threshold: decision.threshold });
  return {
    rows: y.size, loss, accuracy: r.accuracy, error: 1 - r.accuracy, precision: r.precision, recall: r.recall, f1: r.f1,
    rocAuc: r.rocAuc, prAuc: r.prAuc, logLoss: r.logLoss, confusion: r.confusion, perClass: r.perClass, macro: r.macro, weighted: r.weighted,
  };
}

/** The figures of the trivial model: always the training majority class, or always the training mean. */
export function baseline(task: Task, trainY: Tensor, splits: Record<string, Tensor>, classes: readonly string[]): Record<string, unknown> {
  if (task.kind === "regression") {
    const unscale = (t: Tensor): Float64Array => Float64Array.from(t.data, (v) => v * task.target.std + task.target.mean);
    const train = unscale(trainY);
    const out: Record<string, unknown> = { predicts: task.target.mean };
    for (const [name, y] of Object.entries(splits)) {
      const b = meanBaseline(train, unscale(y));
      out[name] = { rmse: b.rmse, mae: b.mae, r2: b.r2 };
    }
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const [name, y] of Object.entries(splits)) {
    const b = majorityBaseline(Float64Array.from(trainY.data), Float64Array.from(y.data), task.classes);
    out.predicts ??= classes[b.class] ?? String(b.class);
    out[name] = { accuracy: b.accuracy };
  }
  return out;
}

/** `t` in `dtype` (a no-op when it already is). */
export function asDType(t: Tensor, dtype: DType): Tensor {
  return cast(t, dtype);
}
