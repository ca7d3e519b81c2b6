// Weight penalties for `fit`'s `penalty` option: L2 and L1 in the course's convention.
// A penalty is a function (model, m) → scalar Tensor that fit adds to every batch's data
// loss, so the cost fit reports (and plots) includes it, and autograd adds its gradient to
// the parameters' gradients: no optimizer change is needed.
import type { Module, Penalty } from "@hone/nn";
import { ArgumentError, Tensor, abs, add, describe, mul, square, sum } from "@hone/tensor";

/** A penalty that also says what it is (for reports and saved configs). */
export type WeightPenalty = Penalty & {
  /** What the penalty is: its kind, λ, and whether biases are included. */
  readonly config: { readonly type: "l2" | "l1"; readonly lambda: number; readonly includeBiases: boolean };
};

/** Options for `l2`. */
export interface L2Options {
  /** λ, the regularization strength, a finite number ≥ 0 (the course's `lambd`). Required. */
  lambda: number;
  /** Penalize parameters of rank < 2 (biases, scalars) too. Default `false`: weights (rank ≥ 2) only, as the course does. */
  includeBiases?: boolean;
}

/** Options for `l1`. */
export interface L1Options {
  /** λ, the regularization strength, a finite number ≥ 0. Required. */
  lambda: number;
  /** Penalize parameters of rank < 2 (biases, scalars) too. Default `false`: weights (rank ≥ 2) only. */
  includeBiases?: boolean;
}

function checkLambda(op: string, options: unknown): { lambda: number; includeBiases: boolean } {
  if (options === null || typeof options !== "object") throw new ArgumentError(`${op}: expected options { lambda }, got ${describe(options)}`);
  const { lambda, includeBiases } = options as { lambda?: unknown; includeBiases?: unknown };
  if (typeof lambda !== "number" || !Number.isFinite(lambda) || lambda < 0) {
    throw new ArgumentError(`${op}: lambda must be a finite number ≥ 0, got ${describe(lambda)}`);
  }
  if (includeBiases !== undefined && typeof includeBiases !== "boolean") {
    throw new ArgumentError(`${op}: includeBiases must be a boolean, got ${describe(includeBiases)}`);
  }
  return { lambda, includeBiases: includeBiases ?? false };
}

function checkBatch(op: string, m: unknown): number {
  if (typeof m !== "number" || !Number.isInteger(m) || m < 1) throw new ArgumentError(`${op}: m (the batch size) must be a positive integer, got ${describe(m)}`);
  return m;
}

/** Σ over the penalized parameters of Σ term(p); null when no parameter is penalized. */
function total(model: Module, includeBiases: boolean, term: (p: Tensor) => Tensor): Tensor | null {
  let acc: Tensor | null = null;
  for (const [, p] of model.namedParameters()) {
    if (p.rank < 2 && !includeBiases) continue;
    const s = sum(term(p));
    acc = acc === null ? s : add(acc, s);
  }
  return acc;
}

function makePenalty(type: "l2" | "l1", op: string, options: unknown, term: (p: Tensor) => Tensor): WeightPenalty {
  const { lambda, includeBiases } = checkLambda(op, options);
  const penalty = (model: Module, m: number): Tensor => {
    const factor = lambda / (2 * checkBatch(op, m));
    const s = total(model, includeBiases, term);
    return s === null ? new Tensor(new Float64Array([0]), []) : mul(s, factor);
  };
  return Object.assign(penalty, { config: { type, lambda, includeBiases } });
}

/**
 * The course's L2 penalty: `λ/(2m)·Σ_l ‖W[l]‖²_F` over the weight matrices (parameters of
 * rank ≥ 2; biases only with `includeBiases`), so backprop adds `λ/m·W` to each `dW`. `m` is
 * the number of examples in the batch the cost is computed on (fit passes it).
 *
 * Other conventions: PyTorch's `weight_decay = wd` adds `wd·W` to the gradient, so it equals
 * this L2 with `wd = λ/m` (m the batch size; for full-batch gradient descent, the training
 * set size). Keras's `l2(l)` adds `l·Σw²` to the loss without dividing by m, so `l = λ/(2m)`.
 *
 * @example
 * ```ts
 * import { fit, mlp, binaryCrossEntropyWithLogits } from "@hone/nn";
 * import { l2 } from "@hone/regularize";
 * import { rng, tensor } from "@hone/tensor";
 * const model = mlp([2, 4, 1], { rng: rng(0) });
 * const sgd = { step: () => undefined }; // any optimizer; see @hone/optim
 * const history = fit(model, { x: tensor([[0, 1]]), y: tensor([1]) }, {
 *   loss: binaryCrossEntropyWithLogits, optimizer: sgd, epochs: 1, penalty: l2({ lambda: 0.7 }),
 * });
 * history.epochs[0]?.penalty; // 0.7/(2·1)·(‖W1‖² + ‖W2‖²)
 * ```
 */
export function l2(options: L2Options): WeightPenalty {
  return makePenalty("l2", "l2", options, square);
}

/**
 * L1 penalty `λ/(2m)·Σ_l Σ|W[l]|` over the weight matrices (biases only with
 * `includeBiases`): the same `λ/(2m)` factor as the course's L2 (and as the lecture writes
 * L1), so backprop adds `λ/(2m)·sign(W)` to each `dW` (0 where W = 0). Keras's `l1(l)` adds
 * `l·Σ|w|`, so `l = λ/(2m)`; PyTorch's `weight_decay` has no L1 form.
 *
 * @example
 * ```ts
 * import { l1 } from "@hone/regularize";
 * import { Linear } from "@hone/nn";
 * import { rng } from "@hone/tensor";
 * const layer = new Linear(3, 2, { rng: rng(0) });
 * l1({ lambda: 0.1 })(layer, 10).item(); // 0.1/20 · Σ|W|
 * ```
 */
export function l1(options: L1Options): WeightPenalty {
  return makePenalty("l1", "l1", options, abs);
}
