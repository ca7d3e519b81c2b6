// Binary or multi-class: the output size, the loss, the accuracy metric and how outputs read
// as classes and probabilities. Models output logits in both cases (one logit for two
// classes, k logits for k > 2); the sigmoid/softmax lives in the loss, for stability.
import {
  binaryAccuracy, binaryCrossEntropyWithLogits, categoricalAccuracy, predictBinary, predictClass, softmaxCrossEntropy,
  type Loss, type Metric, type Module,
} from "@hone/nn";
import { cast, noGrad, sigmoid, softmax, type DType, type Tensor } from "@hone/tensor";

/** How a model with `classes` classes is trained and read. */
export interface Task {
  kind: "binary" | "multiclass";
  classes: number;
  /** Units of the last Linear layer. */
  outputs: number;
  /** The training loss on logits. */
  loss: Loss;
  /** `"binaryCrossEntropyWithLogits"` or `"softmaxCrossEntropy"` (for the config). */
  lossName: string;
  /** Accuracy of logits against class ids. */
  accuracy: Metric;
  /** Class ids (m,) from logits. */
  predict(output: Tensor): Tensor;
  /** Probabilities (m, classes) from logits, row-major. */
  probabilities(output: Tensor): Float64Array;
}

/** The task for `classes` classes (2: binary with one logit; more: softmax). */
export function taskFor(classes: number): Task {
  if (classes === 2) {
    return {
      kind: "binary", classes, outputs: 1, loss: binaryCrossEntropyWithLogits, lossName: "binaryCrossEntropyWithLogits",
      accuracy: binaryAccuracy({ from: "logits" }),
      predict: (out) => predictBinary(out, { from: "logits" }),
      probabilities: (out) => {
        const p = sigmoid(out).data;
        const probs = new Float64Array(p.length * 2);
        for (let i = 0; i < p.length; i++) { probs[2 * i] = 1 - p[i]!; probs[2 * i + 1] = p[i]!; }
        return probs;
      },
    };
  }
  return {
    kind: "multiclass", classes, outputs: classes, loss: softmaxCrossEntropy, lossName: "softmaxCrossEntropy",
    accuracy: categoricalAccuracy(),
    predict: (out) => predictClass(out),
    probabilities: (out) => Float64Array.from(softmax(out, -1).data),
  };
}

/** Loss and accuracy of `model` (in eval mode, no gradients) on `x`, `y`. */
export function evaluate(model: Module, task: Task, x: Tensor, y: Tensor): { rows: number; loss: number; accuracy: number } {
  const wasTraining = model.training;
  model.eval();
  try {
    return noGrad(() => {
      const out = model.forward(x);
      return { rows: y.size, loss: task.loss(out, y).item(), accuracy: task.accuracy(out, y) };
    });
  } finally {
    model.train(wasTraining);
  }
}

/** The model's outputs (logits) on `x`, in eval mode and without gradients. */
export function infer(model: Module, x: Tensor): Tensor {
  const wasTraining = model.training;
  model.eval();
  try {
    return noGrad(() => model.forward(x));
  } finally {
    model.train(wasTraining);
  }
}

/** `t` in `dtype` (a no-op when it already is). */
export function asDType(t: Tensor, dtype: DType): Tensor {
  return cast(t, dtype);
}
