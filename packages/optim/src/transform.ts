// The core types: a gradient transformation rewrites the update buffers in place, given
// the parameters and its own state; `chain` runs several in order. Updates are applied to
// the parameters in one place, `Optimizer.step` (p −= u).
import type { DType, Data, Shape } from "@hone/tensor";

/** What a transformation knows about each parameter. */
export interface ParamInfo {
  /** Position in the parameter list. */
  index: number;
  /** The parameter's shape (rank ≥ 2 is a weight, rank 1 a bias). */
  shape: Shape;
  /**
   * The parameter's dtype, which its update and state buffers share (as PyTorch keeps
   * optimizer state in the parameter's dtype). Default `"float64"` when left out.
   */
  dtype?: DType;
}

/** The counters a transformation sees. */
export interface StepContext {
  /** Steps taken before this one (0 on the first step). */
  step: number;
  /** The current epoch, from 0 (advanced by `onEpochEnd`). */
  epoch: number;
}

/**
 * A transformation's state: named numbers, named per-parameter buffers (one array per
 * parameter, of the parameter's dtype: Float64Array, or Float32Array for a float32
 * parameter), and the states of chained links. Plain data, so it serializes.
 */
export interface TransformState {
  scalars: Record<string, number>;
  buffers: Record<string, Data[]>;
  children?: TransformState[];
}

/**
 * One link of an optimizer. `update` rewrites the update buffers in place; a parameter that
 * has no gradient this step gets an empty (length-0) buffer, so a link that loops over each
 * buffer's length leaves that parameter and its state alone.
 */
export interface GradientTransformation {
  /** A short name, for state dicts and messages. */
  readonly name: string;
  /** Hyperparameters, for inspection and state dicts. */
  readonly hyper: Readonly<Record<string, unknown>>;
  /** Fresh state for these parameters. */
  init(params: readonly ParamInfo[]): TransformState;
  /** Rewrites `updates` in place (they start as the gradients). */
  update(updates: Data[], params: readonly Data[], state: TransformState, ctx: StepContext): void;
  /** The factor this link applies to the learning rate right now (learning-rate links only). */
  rate?(state: TransformState, ctx: StepContext): number;
  /** Told the logged numbers at the end of every epoch (reduce-on-plateau). */
  onEpochEnd?(state: TransformState, info: { epoch: number; metrics: Record<string, number> }): void;
  /** True when `update` is exactly `u ← rate·u` (the learning rate), so the link before may fold the rate in. */
  readonly multiplies?: boolean;
  /**
   * `update` with the next link's rate folded into this link's arithmetic where numpy puts it
   * (Adam's `α·v̂/(√ŝ + ε)` is `(α·v̂)/(√ŝ + ε)`, not `α·(v̂/(√ŝ + ε))`: they differ in the last
   * bit). `chain` calls it instead of this link's and the next link's `update` when the next
   * link `multiplies`.
   */
  updateScaled?(updates: Data[], params: readonly Data[], state: TransformState, ctx: StepContext, rate: number): void;
  /**
   * `updateScaled` and `p −= u` in one pass: reads the gradients (left unchanged), updates
   * this link's state and the parameters in place, with exactly the numbers of the two
   * (Adam on the backend's kernels: one pass over memory instead of three). A parameter whose
   * gradient is null is skipped.
   */
  applyScaled?(params: readonly Data[], grads: readonly (Data | null)[], state: TransformState, ctx: StepContext, rate: number): void;
  /**
   * The whole step in one pass where the transformation can: parameters updated in place
   * from the gradients, exactly as `update` then `p −= u` would. Returns false, having
   * changed nothing, where it cannot; `Optimizer.step` then runs `update`.
   */
  apply?(params: readonly Data[], grads: readonly (Data | null)[], state: TransformState, ctx: StepContext): boolean;
}

/** Per-parameter zero buffers, each of its parameter's dtype. */
export function zerosLike(params: readonly ParamInfo[]): Data[] {
  return params.map((p) => bufferOf(p.dtype ?? "float64", p.shape.reduce((a, b) => a * b, 1)));
}

/** A zero buffer of `n` values of `dtype`. */
export function bufferOf(dtype: DType, n: number): Data {
  return dtype === "float32" ? new Float32Array(n) : new Float64Array(n);
}

/**
 * Runs transformations one after another on the same updates. A link with `updateScaled`
 * directly followed by a learning-rate link takes the rate into its own arithmetic, in
 * numpy's order, so `chain(scaleByAdam(), scaleByLearningRate(α))` computes the course's
 * `W − α·v̂/(√ŝ + ε)` bit for bit.
 *
 * @example
 * ```ts
 * import { chain, clipByGlobalNorm, scaleByAdam, scaleByLearningRate } from "@hone/optim";
 * const t = chain(clipByGlobalNorm(1), scaleByAdam(), scaleByLearningRate(0.001));
 * ```
 */
export function chain(...links: GradientTransformation[]): GradientTransformation {
  const child = (state: TransformState, i: number): TransformState => state.children![i]!;
  return {
    name: "chain",
    hyper: { links: links.map((l) => l.name) },
    init: (params) => ({ scalars: {}, buffers: {}, children: links.map((l) => l.init(params)) }),
    update: (updates, params, state, ctx) => {
      for (let i = 0; i < links.length; i++) {
        const link = links[i]!, next = links[i + 1];
        if (link.updateScaled !== undefined && next?.multiplies === true && next.rate !== undefined) {
          link.updateScaled(updates, params, child(state, i), ctx, next.rate(child(state, i + 1), ctx));
          i++;
        } else link.update(updates, params, child(state, i), ctx);
      }
    },
    // One link with applyScaled followed by the learning rate, and nothing else: one pass.
    apply: (params, grads, state, ctx) => {
      const [core, lr] = links;
      if (links.length !== 2 || core!.applyScaled === undefined || lr!.multiplies !== true || lr!.rate === undefined) return false;
      core!.applyScaled(params, grads, child(state, 0), ctx, lr!.rate(child(state, 1), ctx));
      return true;
    },
    rate: (state, ctx) => links.reduce((r, l, i) => (l.rate ? r * l.rate(child(state, i), ctx) : r), 1),
    onEpochEnd: (state, info) => links.forEach((l, i) => l.onEpochEnd?.(child(state, i), info)),
  };
}
