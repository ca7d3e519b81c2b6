// Training objectives for real tables: class-weighted cross-entropy for imbalanced classes,
// the Huber loss for regression with outliers, and the regression head (one linear output).
// All composed from tensor primitives, so autograd differentiates them.
import { ArgumentError, Tensor, abs, describe, div, less, mul, mean, reshape, square, sub, sum, where } from "@hone/tensor";
import { binaryCrossEntropyWithLogits, meanSquaredError, softmaxCrossEntropy, type Loss, type LossOptions } from "./losses.js";

/**
 * The Huber loss: ½(ŷ − y)² where |ŷ − y| ≤ δ, and δ·(|ŷ − y| − ½δ) beyond, averaged over
 * the elements (PyTorch's `huber_loss` with `delta`; quadratic near the target like MSE,
 * linear far away so outliers pull less). Default δ = 1.
 *
 * @example
 * ```ts
 * import { huberLoss } from "@hone/nn";
 * import { tensor } from "@hone/tensor";
 * huberLoss(tensor([[0.5], [3]]), tensor([0, 0])).item(); // (0.125 + 2.5) / 2 = 1.3125
 * ```
 */
export function huberLoss(output: Tensor, target: Tensor, options: LossOptions & { delta?: number } = {}): Tensor {
  const fn = "huberLoss";
  const delta = options.delta ?? 1;
  if (!(typeof delta === "number" && delta > 0 && Number.isFinite(delta))) throw new ArgumentError(`${fn}: delta must be a positive number, got ${describe(delta)}`);
  if (!(output instanceof Tensor) || !(target instanceof Tensor)) throw new ArgumentError(`${fn}: output and target must be Tensors`);
  const y = target.size === output.size && target.shape.length !== output.shape.length ? reshape(target, output.shape) : target;
  const e = sub(output, y);
  const a = abs(e);
  const terms = where(less(a, delta), mul(square(e), 0.5), mul(sub(a, 0.5 * delta), delta));
  const reduction = options.reduction ?? "mean";
  if (reduction === "none") return terms;
  return reduction === "sum" ? sum(terms) : mean(terms);
}

/**
 * Cross-entropy from logits with a weight per class: Σᵢ w(yᵢ)·lᵢ / Σᵢ w(yᵢ) over the rows
 * (PyTorch's `cross_entropy(weight=…)` convention for the mean), binary (one logit, labels
 * 0/1) or softmax (k logits). With `classWeights(labels, k, "balanced")` every class counts
 * the same in the loss however rare it is.
 *
 * @example
 * ```ts
 * import { weightedCrossEntropy } from "@hone/nn";
 * import { tensor } from "@hone/tensor";
 * const loss = weightedCrossEntropy([1, 3]);
 * loss(tensor([[0], [0]]), tensor([0, 1])).item(); // ln 2: every row has the same loss
 * ```
 */
export function weightedCrossEntropy(weights: readonly number[]): Loss {
  const fn = "weightedCrossEntropy";
  const list = weights as unknown;
  if (!Array.isArray(list) || list.length < 2 || !(list as unknown[]).every((w) => typeof w === "number" && w > 0 && Number.isFinite(w))) {
    throw new ArgumentError(`${fn}: weights must be one positive number per class (at least 2), got ${describe(weights)}`);
  }
  const k = weights.length;
  return (output, target) => {
    const m = output.shape[0] ?? 1;
    const w = new Float64Array(m);
    for (let i = 0; i < m; i++) {
      const c = target.data[i]!;
      if (!Number.isInteger(c) || c < 0 || c >= k) throw new ArgumentError(`${fn}: target[${i}] must be a class id in 0..${k - 1}, got ${c}`);
      w[i] = weights[c]!;
    }
    const terms = k === 2 && output.shape[1] === 1
      ? reshape(binaryCrossEntropyWithLogits(output, target, { reduction: "none" }), [m])
      : softmaxCrossEntropy(output, target, { reduction: "none" });
    const wt = new Tensor(output.dtype === "float32" ? Float32Array.from(w) : w, [m]);
    let total = 0;
    for (const v of w) total += v;
    return div(sum(mul(terms, wt)), total);
  };
}

/** How a regressor is trained: one linear output and its loss. */
export interface RegressionHead {
  kind: "regression";
  outputs: 1;
  loss: Loss;
  /** `"meanSquaredError"` or `"huberLoss"`, for saved configs. */
  lossName: string;
  /** The predictions `(m,)` from the output `(m, 1)`. */
  predict(output: Tensor): Tensor;
}

/**
 * The head of a regressor: one linear output (no activation) trained with mean squared
 * error (default) or the Huber loss with `delta`. Train it on a standardized target and
 * undo the standardization on the predictions.
 *
 * @example
 * ```ts
 * import { regressionHead, mlp } from "@hone/nn";
 * import { rng } from "@hone/tensor";
 * const head = regressionHead({ loss: "huber", delta: 1 });
 * const model = mlp([10, 16, head.outputs], { rng: rng(0) });
 * head.lossName; // "huberLoss"
 * ```
 */
export function regressionHead(options: { loss?: "mse" | "huber"; delta?: number } = {}): RegressionHead {
  const fn = "regressionHead";
  const kind = options.loss ?? "mse";
  if (kind !== "mse" && kind !== "huber") throw new ArgumentError(`${fn}: loss must be "mse" or "huber", got ${describe(options.loss)}`);
  if (kind === "mse" && options.delta !== undefined) throw new ArgumentError(`${fn}: delta applies to loss "huber"`);
  if (kind === "huber") huberLoss(new Tensor(new Float64Array(1), [1, 1]), new Tensor(new Float64Array(1), [1]), { delta: options.delta ?? 1 }); // validates delta now
  const loss: Loss = kind === "mse" ? (o, t) => meanSquaredError(o, t) : (o, t) => huberLoss(o, t, { delta: options.delta ?? 1 });
  return { kind: "regression", outputs: 1, loss, lossName: kind === "mse" ? "meanSquaredError" : "huberLoss", predict: (out) => reshape(out, [out.size]) };
}
