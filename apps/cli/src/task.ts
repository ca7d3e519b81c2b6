// Binary or multi-class: the CLI's view of @hone/nn's classification head (output size,
// loss, accuracy, predictions, probabilities), and scoring a model on a split.
import { classificationHead, evaluate as evaluateModel, type ClassificationHead, type Module } from "@hone/nn";
import { cast, type DType, type Tensor } from "@hone/tensor";

export { infer } from "@hone/nn";

/** How a model with `classes` classes is trained and read; probabilities come flat, row-major. */
export interface Task extends Omit<ClassificationHead, "probabilities"> {
  /** Probabilities (m, classes) from logits, row-major. */
  probabilities(output: Tensor): Float64Array;
}

/** The task for `classes` classes (2: binary with one logit; more: softmax). */
export function taskFor(classes: number): Task {
  const head = classificationHead(classes);
  return { ...head, probabilities: (out) => Float64Array.from(head.probabilities(out).data) };
}

/** Loss and accuracy of `model` (in eval mode, no gradients) on `x`, `y`. */
export function evaluate(model: Module, task: Task, x: Tensor, y: Tensor): { rows: number; loss: number; accuracy: number } {
  const r = evaluateModel(model, { x, y }, { loss: task.loss, metrics: { accuracy: task.accuracy } });
  return { rows: y.size, loss: r.loss!, accuracy: r.metrics.accuracy! };
}

/** `t` in `dtype` (a no-op when it already is). */
export function asDType(t: Tensor, dtype: DType): Tensor {
  return cast(t, dtype);
}
