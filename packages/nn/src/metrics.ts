// Metrics and prediction helpers. A metric maps the model output and the targets to a
// number; `fit` records every metric it is given, for train and dev, each epoch.
import { libm, ArgumentError, ShapeError, Tensor, argmax, formatShape } from "@hone/tensor";

/** A metric: model output and targets in, a number out. */
export type Metric = (output: Tensor, target: Tensor) => number;

/** What a binary model outputs. */
export type BinaryOutput = "logits" | "probabilities";

/**
 * Class 1 where the probability is above `threshold` (0.5 by default, strictly above, as
 * the course's `a > 0.5`), else 0. Logits go through `1/(1+e⁻ᶻ)` first.
 *
 * @example
 * ```ts
 * import { predictBinary } from "@hone/nn";
 * import { tensor } from "@hone/tensor";
 * predictBinary(tensor([[0.2], [0.7]])).toArray(); // [0, 1]
 * predictBinary(tensor([[-3], [2]]), { from: "logits" }).toArray(); // [0, 1]
 * ```
 */
export function predictBinary(output: Tensor, options: { from?: BinaryOutput; threshold?: number } = {}): Tensor {
  const from = options.from ?? "probabilities";
  const threshold = options.threshold ?? 0.5;
  if (from !== "logits" && from !== "probabilities") throw new ArgumentError(`predictBinary: from must be "logits" or "probabilities", got ${JSON.stringify(from)}`);
  if (!(threshold > 0 && threshold < 1)) throw new ArgumentError(`predictBinary: threshold must be in (0, 1), got ${threshold}`);
  if (output.rank === 2 && output.shape[1] !== 1) throw new ShapeError(`predictBinary: output has shape ${formatShape(output.shape)}, expected [m] or [m,1]`);
  const out = new Float64Array(output.size);
  for (let i = 0; i < out.length; i++) {
    const v = output.data[i]!;
    const p = from === "logits" ? 1 / (1 + libm.exp(-v)) : v;
    out[i] = p > threshold ? 1 : 0;
  }
  return new Tensor(out, [output.size]);
}

/** The index of the largest output per row: the predicted class. @example `predictClass(tensor([[0.1, 0.9]])).toArray() // [1]` */
export function predictClass(output: Tensor): Tensor {
  if (output.rank !== 2) throw new ShapeError(`predictClass: output must have shape [m, classes], got ${formatShape(output.shape)}`);
  return argmax(output, 1);
}

/**
 * The fraction of predicted labels equal to the targets (both `(m,)`, or `(m,1)`).
 *
 * @example
 * ```ts
 * import { accuracy } from "@hone/nn";
 * import { tensor } from "@hone/tensor";
 * accuracy(tensor([1, 0, 1, 1]), tensor([1, 1, 1, 1])); // 0.75
 * ```
 */
export function accuracy(predicted: Tensor, target: Tensor): number {
  if (predicted.size !== target.size) throw new ShapeError(`accuracy: ${predicted.size} predictions for ${target.size} targets`);
  if (predicted.size === 0) throw new ShapeError("accuracy: no examples");
  let hits = 0;
  for (let i = 0; i < predicted.size; i++) if (predicted.data[i] === target.data[i]) hits++;
  return hits / predicted.size;
}

/** `1 − accuracy`. @example `errorRate(tensor([1, 0]), tensor([1, 1])) // 0.5` */
export function errorRate(predicted: Tensor, target: Tensor): number {
  return 1 - accuracy(predicted, target);
}

/**
 * A metric for `fit`: accuracy of a binary model's thresholded outputs.
 *
 * @example
 * ```ts
 * import { binaryAccuracy } from "@hone/nn";
 * import { tensor } from "@hone/tensor";
 * binaryAccuracy({ from: "logits" })(tensor([[2], [-1]]), tensor([1, 1])); // 0.5
 * ```
 */
export function binaryAccuracy(options: { from?: BinaryOutput; threshold?: number } = {}): Metric {
  predictBinary(new Tensor(new Float64Array(0), [0]), options); // validates the options now
  return (output, target) => accuracy(predictBinary(output, options), target);
}

/**
 * A metric for `fit`: accuracy of the argmax class against integer labels `(m,)` or
 * one-hot targets `(m, k)`.
 *
 * @example
 * ```ts
 * import { categoricalAccuracy } from "@hone/nn";
 * import { tensor } from "@hone/tensor";
 * categoricalAccuracy()(tensor([[0.1, 0.9], [0.8, 0.2]]), tensor([1, 1])); // 0.5
 * ```
 */
export function categoricalAccuracy(): Metric {
  return (output, target) => {
    const labels = target.rank === 2 && target.shape[1]! > 1 ? argmax(target, 1) : target;
    return accuracy(predictClass(output), labels);
  };
}
