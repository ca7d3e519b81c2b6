// Inference helpers: run a model in evaluation mode without recording gradients, score it,
// and read a classifier's outputs. A classifier outputs logits (one for two classes, k for
// k > 2); the sigmoid/softmax lives in the loss, for stability, and in `probabilities`.
import { ArgumentError, Tensor, noGrad, sigmoid, softmax } from "@hone/tensor";
import { binaryCrossEntropyWithLogits, softmaxCrossEntropy, type Loss } from "./losses.js";
import { binaryAccuracy, categoricalAccuracy, predictBinary, predictClass, type Metric } from "./metrics.js";
import type { Module } from "./module.js";

/**
 * The model's output on `x` in evaluation mode (dropout off), without recording gradients;
 * the model's previous mode is restored.
 *
 * @example
 * ```ts
 * import { infer, mlp } from "@hone/nn";
 * import { rng, tensor } from "@hone/tensor";
 * const logits = infer(mlp([2, 4, 1], { rng: rng(0) }), tensor([[0.5, -1]]));
 * logits.requiresGrad; // false
 * ```
 */
export function infer(model: Module, x: Tensor): Tensor {
  const wasTraining = model.training;
  model.eval();
  try {
    return noGrad(() => model.forward(x));
  } finally {
    model.train(wasTraining);
  }
}

/** What `evaluate` computes. */
export interface EvaluateOptions {
  /** The loss to report (omit for metrics only). */
  loss?: Loss;
  /** Named metrics, e.g. `{ accuracy: binaryAccuracy({ from: "logits" }) }`. */
  metrics?: Record<string, Metric>;
}

/** The loss (when asked) and metrics of a model on a data set. */
export interface Evaluation {
  loss?: number;
  metrics: Record<string, number>;
}

/**
 * Scores `model` on `{ x, y }` in evaluation mode: one forward pass, then the loss and
 * every metric on its output.
 *
 * @example
 * ```ts
 * import { evaluate, mlp, binaryCrossEntropyWithLogits, binaryAccuracy } from "@hone/nn";
 * import { rng, tensor } from "@hone/tensor";
 * const model = mlp([2, 4, 1], { rng: rng(0) });
 * evaluate(model, { x: tensor([[0, 1], [1, 0]]), y: tensor([1, 0]) }, {
 *   loss: binaryCrossEntropyWithLogits, metrics: { accuracy: binaryAccuracy({ from: "logits" }) },
 * }); // { loss: …, metrics: { accuracy: … } }
 * ```
 */
export function evaluate(model: Module, data: { x: Tensor; y: Tensor }, options: EvaluateOptions = {}): Evaluation {
  const out = infer(model, data.x);
  return noGrad(() => {
    const metrics: Record<string, number> = {};
    for (const [name, metric] of Object.entries(options.metrics ?? {})) metrics[name] = metric(out, data.y);
    const result: Evaluation = { metrics };
    if (options.loss !== undefined) result.loss = options.loss(out, data.y).item();
    return result;
  });
}

/** How a classifier with `classes` classes is built, trained and read. */
export interface ClassificationHead {
  kind: "binary" | "multiclass";
  classes: number;
  /** Units of the last Linear layer: 1 for two classes, k otherwise. */
  outputs: number;
  /** The training loss on logits. */
  loss: Loss;
  /** The loss's name, for saved configs: `"binaryCrossEntropyWithLogits"` or `"softmaxCrossEntropy"`. */
  lossName: string;
  /** Accuracy of logits against class ids. */
  accuracy: Metric;
  /** Class ids `(m,)` from logits. */
  predict(output: Tensor): Tensor;
  /** Class probabilities `(m, classes)` from logits. */
  probabilities(output: Tensor): Tensor;
}

/**
 * The head for `classes` classes: two classes use one logit with binary cross-entropy
 * from logits; more use k logits with softmax cross-entropy.
 *
 * @example
 * ```ts
 * import { classificationHead, mlp } from "@hone/nn";
 * import { rng } from "@hone/tensor";
 * const head = classificationHead(3);
 * const model = mlp([2, 16, head.outputs], { rng: rng(0) });
 * head.lossName; // "softmaxCrossEntropy"
 * ```
 */
export function classificationHead(classes: number): ClassificationHead {
  if (!Number.isInteger(classes) || classes < 2) throw new ArgumentError(`classificationHead: classes must be an integer ≥ 2, got ${classes}`);
  if (classes === 2) {
    return {
      kind: "binary", classes, outputs: 1, loss: binaryCrossEntropyWithLogits, lossName: "binaryCrossEntropyWithLogits",
      accuracy: binaryAccuracy({ from: "logits" }),
      predict: (out) => predictBinary(out, { from: "logits" }),
      probabilities: (out) => noGrad(() => {
        const p = sigmoid(out);
        const probs = new Float64Array(p.size * 2);
        for (let i = 0; i < p.size; i++) { probs[2 * i] = 1 - p.data[i]!; probs[2 * i + 1] = p.data[i]!; }
        return new Tensor(probs, [p.size, 2]);
      }),
    };
  }
  return {
    kind: "multiclass", classes, outputs: classes, loss: softmaxCrossEntropy, lossName: "softmaxCrossEntropy",
    accuracy: categoricalAccuracy(),
    predict: (out) => predictClass(out),
    probabilities: (out) => noGrad(() => softmax(out, -1)),
  };
}
