// Losses. Each takes the model output and the targets and returns a scalar tensor (or
// per-example values with `reduction: "none"`). Most are composed from tensor primitives;
// the logits form of binary cross-entropy is one fused op, for stability, whose gradient
// (σ(z) − y)/m is the exact derivative of its stable form.
import { libm,
  ArgumentError, ShapeError, Tensor, div, record, type BackwardRule, equal, formatShape, full, log, logSoftmax, mean, mul,
  neg, reshape, square, sub, sum, where,
} from "@hone/tensor";

/** How per-example losses are combined. */
export type Reduction = "mean" | "sum" | "none";

/** Options shared by the losses. */
export interface LossOptions {
  /** `"mean"` over examples (the default, the course's 1/m), `"sum"`, or `"none"`. */
  reduction?: Reduction;
}

/** A loss: model output and targets in, scalar out. */
export type Loss = (output: Tensor, target: Tensor) => Tensor;

function checkReduction(op: string, r: unknown): Reduction {
  if (r === undefined) return "mean";
  if (r !== "mean" && r !== "sum" && r !== "none") throw new ArgumentError(`${op}: reduction must be "mean", "sum" or "none", got ${JSON.stringify(r)}`);
  return r;
}

/** Targets shaped like `output`: `(m,)` and `(m, 1)` are accepted for one another. */
function alignTarget(op: string, output: Tensor, target: Tensor): Tensor {
  if (!(output instanceof Tensor) || !(target instanceof Tensor)) throw new ArgumentError(`${op}: output and target must be Tensors`);
  if (output.shape.length === target.shape.length && output.shape.every((d, i) => d === target.shape[i])) return target;
  if (output.size === target.size && output.shape[0] === target.shape[0] && output.size === output.shape[0]) return reshape(target, output.shape);
  throw new ShapeError(`${op}: target has shape ${formatShape(target.shape)} but the output has shape ${formatShape(output.shape)}`);
}

function reduce(values: Tensor, reduction: Reduction, examples: number): Tensor {
  if (reduction === "none") return values;
  const total = sum(values);
  return reduction === "sum" ? total : div(total, examples);
}

/** Options for binary cross-entropy from probabilities. */
export interface BceOptions extends LossOptions {
  /**
   * Drop NaN terms before summing, as the course's `np.nansum` does: a `0·log 0` term
   * (y = 0 with a = 0) is dropped, while a real `+∞` (y = 0 with a = 1) is kept. Default `false`.
   */
  nanSum?: boolean;
}

/**
 * Binary cross-entropy from probabilities `a ∈ [0, 1]`, the course's
 * `J = (1/m)·Σ[−y·log a − (1−y)·log(1−a)]`. Saturated probabilities give `∞`; prefer
 * `binaryCrossEntropyWithLogits` for training.
 *
 * @example
 * ```ts
 * import { binaryCrossEntropy } from "@hone/nn";
 * import { tensor } from "@hone/tensor";
 * binaryCrossEntropy(tensor([[0.5]]), tensor([1])).item(); // ln 2 ≈ 0.6931
 * ```
 */
export function binaryCrossEntropy(probabilities: Tensor, target: Tensor, options: BceOptions = {}): Tensor {
  const reduction = checkReduction("binaryCrossEntropy", options.reduction);
  const y = alignTarget("binaryCrossEntropy", probabilities, target);
  let terms = sub(mul(neg(y), log(probabilities)), mul(sub(1, y), log(sub(1, probabilities))));
  if (options.nanSum === true) terms = where(equal(terms, terms), terms, 0);
  return reduce(terms, reduction, probabilities.shape[0] ?? 1);
}

/** Options for binary cross-entropy from logits. */
export interface BceLogitsOptions extends LossOptions {
  /**
   * `"stable"` (default): `max(z,0) − z·y + log(1 + e^−|z|)`, finite for every z.
   * `"course"`: the value the course prints, `σ(z)` as `1/(1+e^−z)` then the
   * probabilities formula with `nansum` (so it can be `∞`); the gradient is the same.
   */
  form?: "stable" | "course";
}

/**
 * The per-element terms of binary cross-entropy from logits, and σ(z) for its gradient (one
 * exp per element serves both): the stable form max(z, 0) − z·y + log(1 + e^−|z|), or the
 * course's, which evaluates σ(z) as 1/(1 + e^−z) and sums like nansum.
 */
function bceLogitsTerms(z: Float64Array | Float32Array, y: Float64Array | Float32Array, course: boolean): { terms: Float64Array; sigma: Float64Array } {
  const terms = new Float64Array(z.length), sigma = new Float64Array(z.length);
  for (let i = 0; i < z.length; i++) {
    const zi = z[i]!, yi = y[i]!;
    const e = libm.exp(-Math.abs(zi));
    sigma[i] = zi >= 0 ? 1 / (1 + e) : e / (1 + e);
    if (course) {
      // A term whose label weight is exactly 0 contributes 0 (or NaN, which nansum drops):
      // its log is skipped, so a 0/1 label costs one log.
      const a = 1 / (1 + libm.exp(-zi));
      const t = (yi === 0 ? 0 : -yi * libm.log(a)) - (yi === 1 ? 0 : (1 - yi) * libm.log(1 - a));
      terms[i] = t === t ? t : 0;
    } else terms[i] = Math.max(zi, 0) - zi * yi + libm.log1p(e);
  }
  return { terms, sigma };
}

/** What the fused op keeps for its backward rule. */
interface BceLogitsAttrs {
  sigma: Float64Array;
  /** The reduction's factor on the upstream gradient: 1/m for the mean, 1 for the sum, null for none (per element). */
  reduction: Reduction;
  examples: number;
}

// d/dz of the stable form is σ(z) − y per element, times the reduction's factor: the mean's
// upstream gradient g/m is formed first, as div's rule forms it, so the bits are those of the
// composed ops (terms, then sum, then ÷ m).
const bceLogitsRule: BackwardRule<BceLogitsAttrs> = (g, [z, y], _out, { sigma, reduction, examples }) => {
  const f32 = g.dtype === "float32";
  const scale = reduction === "none" ? 0 : reduction === "sum" ? g.data[0]! : f32 ? Math.fround(g.data[0]! / examples) : g.data[0]! / examples;
  const d = new Float64Array(sigma.length);
  for (let i = 0; i < d.length; i++) d[i] = (sigma[i]! - y!.data[i]!) * (reduction === "none" ? g.data[i]! : scale);
  return [new Tensor(z!.dtype === "float32" ? Float32Array.from(d) : d, z!.shape.slice()), null];
};

/** The fused op: terms, their reduction, and one graph node whose rule uses the forward's σ(z). */
function bceLogits(z: Tensor, y: Tensor, course: boolean, reduction: Reduction, examples: number): Tensor {
  const { terms, sigma } = bceLogitsTerms(z.data, y.data, course);
  const values = new Tensor(z.dtype === "float32" ? Float32Array.from(terms) : terms, z.shape.slice());
  return record(reduce(values, reduction, examples), "binaryCrossEntropyWithLogits", [z, y], bceLogitsRule, { sigma, reduction, examples });
}

/**
 * Binary cross-entropy from logits `z` (pre-sigmoid outputs), computed stably. Its
 * gradient with respect to `z` is `(σ(z) − y)/m`, the course's `dZ = A − Y` over m.
 *
 * @example
 * ```ts
 * import { binaryCrossEntropyWithLogits } from "@hone/nn";
 * import { tensor } from "@hone/tensor";
 * binaryCrossEntropyWithLogits(tensor([[0]]), tensor([1])).item(); // ln 2
 * binaryCrossEntropyWithLogits(tensor([[800]]), tensor([0])).item(); // 800, not ∞
 * ```
 */
export function binaryCrossEntropyWithLogits(logits: Tensor, target: Tensor, options: BceLogitsOptions = {}): Tensor {
  const reduction = checkReduction("binaryCrossEntropyWithLogits", options.reduction);
  const form = options.form ?? "stable";
  if (form !== "stable" && form !== "course") throw new ArgumentError(`binaryCrossEntropyWithLogits: form must be "stable" or "course", got ${JSON.stringify(form)}`);
  const y = alignTarget("binaryCrossEntropyWithLogits", logits, target);
  return bceLogits(logits, y, form === "course", reduction, logits.shape[0] ?? 1);
}

/** Integer class labels `(m,)` to a one-hot `(m, k)` tensor. @example `oneHot(tensor([2, 0]), 3).toArray() // [[0,0,1],[1,0,0]]` */
export function oneHot(labels: Tensor, classes: number): Tensor {
  if (!Number.isInteger(classes) || classes < 1) throw new ArgumentError(`oneHot: classes must be a positive integer, got ${classes}`);
  const m = labels.size;
  const out = full([m, classes], 0, { dtype: labels.dtype });
  for (let i = 0; i < m; i++) {
    const c = labels.data[i]!;
    if (!Number.isInteger(c) || c < 0 || c >= classes) throw new ArgumentError(`oneHot: labels[${i}] must be an integer in [0, ${classes - 1}], got ${c}`);
    out.data[i * classes + c] = 1;
  }
  return out;
}

/**
 * Softmax cross-entropy from logits `(m, k)` with integer labels `(m,)` or one-hot
 * targets `(m, k)`: `−(1/m)·Σ log softmax(z)[y]`, computed through a stable log-softmax.
 *
 * @example
 * ```ts
 * import { softmaxCrossEntropy } from "@hone/nn";
 * import { tensor } from "@hone/tensor";
 * softmaxCrossEntropy(tensor([[0, 0]]), tensor([1])).item(); // ln 2
 * ```
 */
export function softmaxCrossEntropy(logits: Tensor, target: Tensor, options: LossOptions = {}): Tensor {
  const reduction = checkReduction("softmaxCrossEntropy", options.reduction);
  if (!(logits instanceof Tensor) || logits.rank !== 2) throw new ShapeError(`softmaxCrossEntropy: logits must have shape [m, classes], got ${logits instanceof Tensor ? formatShape(logits.shape) : typeof logits}`);
  const [m, k] = logits.shape as [number, number];
  let y: Tensor;
  if (target.rank === 1 || (target.rank === 2 && target.shape[1] === 1 && k !== 1)) {
    if (target.size !== m) throw new ShapeError(`softmaxCrossEntropy: ${target.size} labels for ${m} rows of logits`);
    y = oneHot(target, k);
  } else if (target.rank === 2 && target.shape[0] === m && target.shape[1] === k) y = target;
  else throw new ShapeError(`softmaxCrossEntropy: target has shape ${formatShape(target.shape)}, expected [${m}] labels or [${m},${k}] one-hot`);
  const terms = neg(sum(mul(y, logSoftmax(logits, -1)), -1));
  return reduce(terms, reduction, m);
}

/**
 * Mean squared error `(1/m)·Σ (ŷ − y)²` (summed over output columns, averaged over examples
 * and columns with `"mean"`).
 *
 * @example
 * ```ts
 * import { meanSquaredError } from "@hone/nn";
 * import { tensor } from "@hone/tensor";
 * meanSquaredError(tensor([[1], [3]]), tensor([0, 1])).item(); // (1 + 4) / 2 = 2.5
 * ```
 */
export function meanSquaredError(output: Tensor, target: Tensor, options: LossOptions = {}): Tensor {
  const reduction = checkReduction("meanSquaredError", options.reduction);
  const y = alignTarget("meanSquaredError", output, target);
  const terms = square(sub(output, y));
  if (reduction === "mean") return mean(terms);
  return reduction === "sum" ? sum(terms) : terms;
}

