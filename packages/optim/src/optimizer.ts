// Optimizer: applies a gradient transformation to parameter tensors. The one place where
// parameters are updated in place: p −= u.
import { ArgumentError, ShapeError, Tensor, describe, formatShape, getBackend, type DType, type Data } from "@hone/tensor";
import { bufferOf, type GradientTransformation, type ParamInfo, type StepContext, type TransformState } from "./transform.js";

/** A transformation state as JSON: buffers as nested number arrays. */
export interface SerializedTransformState {
  scalars: Record<string, number>;
  buffers: Record<string, number[][]>;
  children?: SerializedTransformState[];
}

/** Everything needed to resume training: counters, hyperparameters, per-parameter buffers. */
export interface OptimizerState {
  name: string;
  step: number;
  epoch: number;
  hyper: Record<string, unknown>;
  /** The shapes of the parameters the state belongs to (empty before the first step). */
  shapes: number[][];
  /**
   * Their dtypes, which the buffers have (optimizer state is kept in the parameter's dtype).
   * Optional when loading: a state without it is read as float64.
   */
  dtypes?: DType[];
  transform: SerializedTransformState | null;
}

function serialize(s: TransformState): SerializedTransformState {
  const out: SerializedTransformState = {
    scalars: { ...s.scalars },
    buffers: Object.fromEntries(Object.entries(s.buffers).map(([k, bs]) => [k, bs.map((b) => Array.from(b))])),
  };
  if (s.children) out.children = s.children.map(serialize);
  return out;
}

function deserialize(s: SerializedTransformState, like: TransformState, path: string): TransformState {
  if (typeof s !== "object" || s === null) throw new ArgumentError(`loadStateDict: ${path} must be an object, got ${describe(s)}`);
  for (const k of Object.keys(like.scalars)) {
    if (typeof s.scalars?.[k] !== "number") throw new ArgumentError(`loadStateDict: ${path}.scalars.${k} must be a number, got ${describe(s.scalars?.[k])}`);
  }
  const buffers: Record<string, Data[]> = {};
  for (const [k, bs] of Object.entries(like.buffers)) {
    const given = s.buffers?.[k];
    if (!Array.isArray(given) || given.length !== bs.length) throw new ArgumentError(`loadStateDict: ${path}.buffers.${k} must hold ${bs.length} arrays`);
    buffers[k] = bs.map((b, i) => {
      const g = given[i];
      if (!Array.isArray(g) || g.length !== b.length || g.some((v) => typeof v !== "number")) {
        throw new ArgumentError(`loadStateDict: ${path}.buffers.${k}[${i}] must be ${b.length} numbers`);
      }
      return b instanceof Float32Array ? Float32Array.from(g) : Float64Array.from(g);
    });
  }
  const out: TransformState = { scalars: { ...like.scalars, ...s.scalars }, buffers };
  if (like.children) {
    if (!Array.isArray(s.children) || s.children.length !== like.children.length) throw new ArgumentError(`loadStateDict: ${path}.children must hold ${like.children.length} states`);
    out.children = like.children.map((c, i) => deserialize(s.children![i]!, c, `${path}.children[${i}]`));
  }
  return out;
}

/** The update buffer of a parameter without a gradient this step: links skip it. */
const NO_UPDATE = new Float64Array(0);

/**
 * An optimizer: a gradient transformation plus the counters and state it needs. `step`
 * reads each parameter's `.grad` and updates `.data` in place (a parameter whose `.grad` is
 * null is skipped: neither it nor its moment buffers change, as in PyTorch); `onEpochEnd`
 * advances the epoch for epoch schedules and reduce-on-plateau. `fit` from `@hone/nn`
 * drives both.
 *
 * @example
 * ```ts
 * import { Optimizer, chain, scaleByAdam, scaleByLearningRate } from "@hone/optim";
 * import { tensor, mul, sum, backward } from "@hone/tensor";
 * const w = tensor([1, 2], { requiresGrad: true });
 * const opt = new Optimizer("adam", chain(scaleByAdam(), scaleByLearningRate(0.1)));
 * backward(sum(mul(w, w)));
 * opt.step([w]); // w ≈ [0.9, 1.9]
 * ```
 */
export class Optimizer {
  readonly name: string;
  readonly transform: GradientTransformation;
  #state: TransformState | null = null;
  #shapes: number[][] = [];
  #dtypes: DType[] = [];
  /** Per parameter, of its dtype: the gradient, rewritten into the update by the transformation. */
  #updates: Data[] = [];
  /** Per step: `#updates[k]`, or NO_UPDATE for a parameter without a gradient. */
  #current: Data[] = [];
  #data: (Float64Array | Float32Array)[] = [];
  /** Per step: each parameter's gradient data, or null. */
  #grads: (Data | null)[] = [];
  #step = 0;
  #epoch = 0;

  constructor(name: string, transform: GradientTransformation) {
    this.name = name;
    this.transform = transform;
  }

  /** Steps taken so far. */
  get stepCount(): number {
    return this.#step;
  }

  /** The current epoch (0-based; advanced by `onEpochEnd`). */
  get epoch(): number {
    return this.#epoch;
  }

  #ctx(): StepContext {
    return { step: this.#step, epoch: this.#epoch };
  }

  /** The learning rate the next step uses (the product of the learning-rate links). */
  get learningRate(): number {
    const state = this.#state ?? this.transform.init([]);
    return this.transform.rate?.(state, this.#ctx()) ?? 1;
  }

  /** Hyperparameters, as given. */
  get hyper(): Readonly<Record<string, unknown>> {
    return this.transform.hyper;
  }

  /** The live state, for inspection (per-parameter moment buffers…); null before the first step. */
  get state(): Readonly<TransformState> | null {
    return this.#state;
  }

  #init(params: readonly Tensor[]): void {
    const infos: ParamInfo[] = params.map((p, index) => ({ index, shape: p.shape.slice(), dtype: p.dtype }));
    this.#state = this.transform.init(infos);
    this.#shapes = infos.map((i) => i.shape.slice());
    this.#dtypes = params.map((p) => p.dtype);
    this.#updates = params.map((p) => bufferOf(p.dtype, p.size));
  }

  #check(params: readonly Tensor[]): void {
    if (params.length !== this.#shapes.length) {
      throw new ShapeError(`${this.name}.step: got ${params.length} parameters, but the optimizer state holds ${this.#shapes.length}; use a new optimizer for a new model`);
    }
    params.forEach((p, i) => {
      const s = this.#shapes[i]!;
      if (p.shape.length !== s.length || p.shape.some((d, j) => d !== s[j])) {
        throw new ShapeError(`${this.name}.step: parameter ${i} has shape ${formatShape(p.shape)}, the optimizer state expects ${formatShape(s)}`);
      }
      if (p.dtype !== this.#dtypes[i]) {
        throw new ArgumentError(`${this.name}.step: parameter ${i} is ${p.dtype}, the optimizer state holds ${this.#dtypes[i]!} buffers; use a new optimizer for a model of another dtype`);
      }
    });
  }

  /** Updates every parameter in place from its gradient. */
  step(params: readonly Tensor[]): void {
    if (!Array.isArray(params as unknown)) throw new ArgumentError(`${this.name}.step: params must be an array of Tensors, got ${describe(params)}`);
    params.forEach((p, i) => {
      if (!(p instanceof Tensor)) throw new ArgumentError(`${this.name}.step: params[${i}] must be a Tensor, got ${describe(p)}`);
    });
    if (this.#state === null) this.#init(params);
    else this.#check(params);
    const updates = this.#updates, current = this.#current, data = this.#data, grads = this.#grads;
    current.length = params.length;
    data.length = params.length;
    grads.length = params.length;
    for (let k = 0; k < params.length; k++) {
      const p = params[k]!, g = p.grad;
      data[k] = p.data;
      grads[k] = g === null ? null : g.data;
      if (g !== null && g.size !== p.size) throw new ShapeError(`${this.name}.step: parameter ${k} has shape ${formatShape(p.shape)} but its grad has shape ${formatShape(g.shape)}`);
    }
    // The whole step in one pass where the transformation can (Adam with a learning rate):
    // only when every gradient has its parameter's type, and the same numbers either way.
    if (this.transform.apply !== undefined && grads.every((g, k) => g === null || g.constructor === data[k]!.constructor)) {
      if (this.transform.apply(data, grads, this.#state!, this.#ctx())) {
        this.#step++;
        return;
      }
    }
    for (let k = 0; k < params.length; k++) {
      const g = grads[k]!;
      if (g === null) {
        current[k] = NO_UPDATE;
        continue;
      }
      updates[k]!.set(g);
      current[k] = updates[k]!;
    }
    this.transform.update(current, data, this.#state!, this.#ctx());
    const backend = getBackend();
    for (let k = 0; k < params.length; k++) {
      const u = current[k]!;
      if (u.length > 0) backend.applyUpdate(data[k]!, u);
    }
    this.#step++;
  }

  /** Ends an epoch: reduce-on-plateau sees the metrics; epoch schedules advance. */
  onEpochEnd(info: { epoch: number; metrics: Record<string, number> }): void {
    if (this.#state === null) this.#state = this.transform.init([]);
    this.transform.onEpochEnd?.(this.#state, info);
    this.#epoch = info.epoch + 1;
  }

  /** A JSON-serializable snapshot: counters, hyperparameters, buffers. */
  stateDict(): OptimizerState {
    return {
      name: this.name,
      step: this.#step,
      epoch: this.#epoch,
      hyper: { ...this.transform.hyper },
      shapes: this.#shapes.map((s) => s.slice()),
      dtypes: this.#dtypes.slice(),
      transform: this.#state === null ? null : serialize(this.#state),
    };
  }

  /** Restores a snapshot from `stateDict` (of an optimizer of the same kind). */
  loadStateDict(state: OptimizerState): void {
    if (typeof state !== "object" || state === null) throw new ArgumentError(`loadStateDict: state must be an object, got ${describe(state)}`);
    if (state.name !== this.name) throw new ArgumentError(`loadStateDict: the state is for '${String(state.name)}', this optimizer is '${this.name}'`);
    for (const k of ["step", "epoch"] as const) {
      if (!Number.isInteger(state[k]) || state[k] < 0) throw new ArgumentError(`loadStateDict: ${k} must be a non-negative integer, got ${describe(state[k])}`);
    }
    if (!Array.isArray(state.shapes)) throw new ArgumentError("loadStateDict: shapes must be an array");
    const dtypes: DType[] = state.dtypes === undefined ? state.shapes.map(() => "float64") : state.dtypes;
    if (!Array.isArray(dtypes) || dtypes.length !== state.shapes.length || dtypes.some((d) => d !== "float64" && d !== "float32")) {
      throw new ArgumentError(`loadStateDict: dtypes must hold ${state.shapes.length} of "float64" or "float32" (one per shape), got ${describe(state.dtypes)}`);
    }
    let restored: TransformState | null = null;
    if (state.transform !== null) {
      const like = this.transform.init(state.shapes.map((shape, index) => ({ index, shape, dtype: dtypes[index]! })));
      restored = deserialize(state.transform, like, "transform");
    }
    this.#state = restored;
    this.#shapes = state.shapes.map((s) => s.slice());
    this.#dtypes = dtypes.slice();
    this.#updates = this.#shapes.map((s, i) => bufferOf(dtypes[i]!, s.reduce((a, b) => a * b, 1)));
    this.#step = state.step;
    this.#epoch = state.epoch;
  }
}
