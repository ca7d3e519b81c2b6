// The core types: a gradient transformation rewrites the update buffers in place, given
// the parameters and its own state; `chain` runs several in order. Updates are applied to
// the parameters in one place, `Optimizer.step` (p −= u).
import type { Data, Shape } from "@hone/tensor";

/** What a transformation knows about each parameter. */
export interface ParamInfo {
  /** Position in the parameter list. */
  index: number;
  /** The parameter's shape (rank ≥ 2 is a weight, rank 1 a bias). */
  shape: Shape;
}

/** The counters a transformation sees. */
export interface StepContext {
  /** Steps taken before this one (0 on the first step). */
  step: number;
  /** The current epoch, from 0 (advanced by `onEpochEnd`). */
  epoch: number;
}

/**
 * A transformation's state: named numbers, named per-parameter buffers (one Float64Array
 * per parameter), and the states of chained links. Plain data, so it serializes.
 */
export interface TransformState {
  scalars: Record<string, number>;
  buffers: Record<string, Float64Array[]>;
  children?: TransformState[];
}

/** One link of an optimizer. */
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
}

/** Per-parameter zero buffers. */
export function zerosLike(params: readonly ParamInfo[]): Float64Array[] {
  return params.map((p) => new Float64Array(p.shape.reduce((a, b) => a * b, 1)));
}

/**
 * Runs transformations one after another on the same updates.
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
      for (let i = 0; i < links.length; i++) links[i]!.update(updates, params, child(state, i), ctx);
    },
    rate: (state, ctx) => links.reduce((r, l, i) => (l.rate ? r * l.rate(child(state, i), ctx) : r), 1),
    onEpochEnd: (state, info) => links.forEach((l, i) => l.onEpochEnd?.(child(state, i), info)),
  };
}
