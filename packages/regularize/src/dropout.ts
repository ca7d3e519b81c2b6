// Inverted dropout: in training, keep each unit with probability keepProb and divide the
// kept ones by keepProb, so the expected activation is unchanged and evaluation needs no
// scaling. The mask comes from an Rng of the layer's own (or one shared by several layers,
// drawn in forward order). Optionally the mask is drawn once and held fixed, and drawn in
// the column-major order of a (features, examples) notebook, to reproduce published numbers.
import { Module, type ModuleConfig } from "@hone/nn";
import {
  ArgumentError, Rng, Tensor, customOp, describe, formatShape, sameShape, type Shape,
} from "@hone/tensor";

/**
 * The order the mask's uniforms are drawn in. `"batchFirst"` (the default): the input's own
 * row-major order. `"featuresFirst"`: the reverse (column-major) order, i.e. for a
 * `(batch, features)` input the mask is the transpose of `rand(features, batch)`; this
 * reproduces notebooks that keep activations as `(features, examples)` (the course's).
 */
export type MaskLayout = "batchFirst" | "featuresFirst";

/** Options shared by `Dropout` and `dropoutAfterHidden`, besides the probability. */
export interface DropoutMaskOptions {
  /** The generator masks are drawn from: the layer's own stream (e.g. `root.split()`). Required to train with keepProb < 1. */
  rng?: Rng;
  /**
   * Draw the mask once, on the first training forward pass, and reuse it while the input
   * shape stays the same (a new shape draws a new mask). This is what the course notebook
   * does by re-seeding `np.random.seed(1)` at every forward pass. Default `false`: a fresh
   * mask every training forward pass.
   */
  fixedMask?: boolean;
  /** The order the uniforms are drawn in (see `MaskLayout`). Default `"batchFirst"`. */
  maskLayout?: MaskLayout;
}

/** Options for `Dropout`: exactly one of `keepProb` and `rate`, plus the mask options. */
export type DropoutOptions = DropoutMaskOptions & (
  | {
    /** The probability of keeping a unit, in (0, 1]. 1 makes the layer an identity that draws nothing. */
    keepProb: number;
    rate?: undefined;
  }
  | {
    /** The probability of dropping a unit, in [0, 1): `keepProb = 1 − rate` (PyTorch's and Keras's `p`/`rate`). */
    rate: number;
    keepProb?: undefined;
  }
);

function resolveKeepProb(op: string, options: unknown): number {
  if (options === null || typeof options !== "object") throw new ArgumentError(`${op}: expected options { keepProb } or { rate }, got ${describe(options)}`);
  const { keepProb, rate } = options as { keepProb?: unknown; rate?: unknown };
  if (keepProb !== undefined && rate !== undefined) {
    throw new ArgumentError(`${op}: give keepProb or rate, not both (got keepProb ${describe(keepProb)} and rate ${describe(rate)})`);
  }
  if (rate !== undefined) {
    if (typeof rate !== "number" || !(rate >= 0 && rate < 1)) throw new ArgumentError(`${op}: rate must be in [0, 1), got ${describe(rate)}`);
    return 1 - rate;
  }
  if (keepProb === undefined) throw new ArgumentError(`${op}: expected keepProb (in (0, 1]) or rate (in [0, 1))`);
  return checkKeepProb(op, "keepProb", keepProb);
}

function checkKeepProb(op: string, name: string, keepProb: unknown): number {
  if (typeof keepProb !== "number" || !(keepProb > 0 && keepProb <= 1)) {
    throw new ArgumentError(`${op}: ${name} must be in (0, 1], got ${describe(keepProb)}`);
  }
  return keepProb;
}

function checkMaskOptions(op: string, options: DropoutMaskOptions): { rng: Rng | undefined; fixedMask: boolean; maskLayout: MaskLayout } {
  const { rng, fixedMask, maskLayout } = options;
  if (rng !== undefined && !(rng instanceof Rng)) throw new ArgumentError(`${op}: rng must be an Rng (from rng(seed) or a parent's split()), got ${describe(rng)}`);
  if (fixedMask !== undefined && typeof fixedMask !== "boolean") throw new ArgumentError(`${op}: fixedMask must be a boolean, got ${describe(fixedMask)}`);
  if (maskLayout !== undefined && maskLayout !== "batchFirst" && maskLayout !== "featuresFirst") {
    throw new ArgumentError(`${op}: maskLayout must be "batchFirst" or "featuresFirst", got ${describe(maskLayout)}`);
  }
  return { rng, fixedMask: fixedMask ?? false, maskLayout: maskLayout ?? "batchFirst" };
}

/**
 * A 0/1 mask of `shape` (1 where the uniform is < keepProb), drawn from `rng` in row-major
 * order (`"batchFirst"`) or in column-major order (`"featuresFirst"`).
 */
function drawMask(rng: Rng, shape: Shape, keepProb: number, layout: MaskLayout, dtype: Tensor["dtype"]): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const u = rng.rand(n);
  const data = dtype === "float32" ? new Float32Array(n) : new Float64Array(n);
  if (layout === "batchFirst" || shape.length < 2) {
    for (let i = 0; i < n; i++) data[i] = u[i]! < keepProb ? 1 : 0;
    return new Tensor(data, shape.slice());
  }
  // Column-major: element with multi-index (i0, …, ik) takes u[i0 + d0·(i1 + d1·(…))].
  const rank = shape.length;
  const colStrides = new Array<number>(rank);
  for (let a = 0, s = 1; a < rank; a++) { colStrides[a] = s; s *= shape[a]!; }
  const index = new Array<number>(rank).fill(0);
  for (let i = 0; i < n; i++) {
    let j = 0;
    for (let a = 0; a < rank; a++) j += index[a]! * colStrides[a]!;
    data[i] = u[j]! < keepProb ? 1 : 0;
    for (let a = rank - 1; a >= 0; a--) {
      if (++index[a]! < shape[a]!) break;
      index[a] = 0;
    }
  }
  return new Tensor(data, shape.slice());
}

/**
 * `(x·mask)/keepProb` element by element, and its gradient `(g·mask)/keepProb` for x (the mask
 * is a constant). One fused op rather than `div(mul(x, mask), keepProb)`: the same values bit
 * for bit (the course's `A = A * D; A = A / keep_prob`, and `dA = dA * D; dA = dA / keep_prob`
 * backward), with one buffer each way instead of the composed rules' six, and no gradient
 * computed for the mask or keepProb; it is the hot path of every training step.
 */
function maskOp(keepProb: number): (x: Tensor, mask: Tensor) => Tensor {
  const scaled = (a: Tensor, mask: Tensor): Tensor => {
    const out = a.dtype === "float32" ? new Float32Array(a.size) : new Float64Array(a.size);
    const src = a.data, m = mask.data;
    for (let i = 0; i < out.length; i++) out[i] = (src[i]! * m[i]!) / keepProb;
    return new Tensor(out, a.shape.slice());
  };
  return customOp({
    name: "dropout",
    forward: (x, mask) => scaled(x!, mask!),
    backward: (g, [, mask]) => [scaled(g, mask!), null],
  });
}

/**
 * Inverted dropout. Training mode: `y = x·mask / keepProb` with `mask = (u < keepProb)` and
 * `u` uniform in [0, 1) from the layer's `rng`, computed per element as `(x·mask)/keepProb`,
 * in the course's order (`A = A * D; A = A / keep_prob`); the gradient is
 * `(dy·mask)/keepProb`. Evaluation mode: the identity, with no scaling and no draws.
 * keepProb = 1: the identity in both modes, with no draws.
 *
 * @example
 * ```ts
 * import { Dropout } from "@hone/regularize";
 * import { ones, rng } from "@hone/tensor";
 * const drop = new Dropout({ keepProb: 0.8, rng: rng(1) });
 * drop.forward(ones([2, 3])).toArray(); // each entry 0 or 1/0.8 = 1.25
 * drop.eval().forward(ones([2, 3])).toArray(); // all ones: no dropout at test time
 * ```
 */
export class Dropout extends Module {
  /** The probability of keeping a unit, in (0, 1]. */
  readonly keepProb: number;
  /** Whether the mask is drawn once and reused while the input shape is the same. */
  readonly fixedMask: boolean;
  /** The order the mask's uniforms are drawn in. */
  readonly maskLayout: MaskLayout;
  readonly #rng: Rng | undefined;
  readonly #apply: (x: Tensor, mask: Tensor) => Tensor;
  #mask: Tensor | null = null;

  constructor(options: DropoutOptions) {
    super();
    this.keepProb = resolveKeepProb("Dropout", options);
    const checked = checkMaskOptions("Dropout", options);
    this.#rng = checked.rng;
    this.fixedMask = checked.fixedMask;
    this.maskLayout = checked.maskLayout;
    this.#apply = maskOp(this.keepProb);
  }

  /**
   * The 0/1 mask the last training forward pass used (before the division by keepProb), or
   * null before any. With `fixedMask` it is the mask every training pass uses.
   */
  get mask(): Tensor | null {
    return this.#mask;
  }

  /** Forgets the held mask: the next training forward pass draws a new one. */
  resetMask(): void {
    this.#mask = null;
  }

  forward(x: Tensor): Tensor {
    if (!this.training || this.keepProb === 1) return x;
    let mask = this.#mask;
    if (!this.fixedMask || mask === null || !sameShape(mask.shape, x.shape) || mask.dtype !== x.dtype) {
      if (this.#rng === undefined) {
        throw new ArgumentError(`Dropout(keepProb=${this.keepProb}): training mode needs an rng to draw masks from; pass { rng } (input shape ${formatShape(x.shape)})`);
      }
      mask = drawMask(this.#rng, x.shape, this.keepProb, this.maskLayout, x.dtype);
    }
    this.#mask = mask;
    return this.#apply(x, mask);
  }

  getConfig(): ModuleConfig {
    const config: Record<string, unknown> = { keepProb: this.keepProb };
    if (this.fixedMask) config.fixedMask = true;
    if (this.maskLayout !== "batchFirst") config.maskLayout = this.maskLayout;
    return { type: "Dropout", config };
  }

  /**
   * Rebuilds a layer from `getConfig().config` (a model loader's builder for `"Dropout"`);
   * the generator is not part of the config, so pass one to train the loaded layer.
   *
   * @example
   * ```ts
   * import { Dropout } from "@hone/regularize";
   * const saved = new Dropout({ keepProb: 0.5 }).getConfig();
   * Dropout.fromConfig(saved.config).keepProb; // 0.5
   * ```
   */
  static fromConfig(config: Record<string, unknown>, options: { rng?: Rng } = {}): Dropout {
    if (config === null || typeof config !== "object") throw new ArgumentError(`Dropout.fromConfig: expected a config object, got ${describe(config)}`);
    const keepProb = checkKeepProb("Dropout.fromConfig", "config.keepProb", config.keepProb);
    return new Dropout({
      keepProb,
      rng: options.rng,
      fixedMask: config.fixedMask as boolean | undefined,
      maskLayout: config.maskLayout as MaskLayout | undefined,
    });
  }
}

/**
 * A `Dropout` layer: `dropout(options)` is `new Dropout(options)`.
 *
 * @example
 * ```ts
 * import { dropout } from "@hone/regularize";
 * import { rng } from "@hone/tensor";
 * dropout({ rate: 0.2, rng: rng(0) }).keepProb; // 0.8
 * ```
 */
export function dropout(options: DropoutOptions): Dropout {
  return new Dropout(options);
}

/** Options for `dropoutAfterHidden`. */
export interface DropoutAfterHiddenOptions extends DropoutMaskOptions {
  /**
   * Keep probability for every hidden layer (a number), or one per hidden layer, in order
   * (`[0.5, 0.7]`: first hidden layer 0.5, second 0.7). A keepProb of 1 inserts no layer.
   * Required.
   */
  keepProb: number | readonly number[];
}

/**
 * The `afterHidden` function for `mlp` that puts a `Dropout` after each hidden layer's
 * activation, with per-layer keep probabilities. Every layer draws from the one `rng` given,
 * in forward order (hidden layer 1's mask, then layer 2's, …); pass `rng.split()` for a
 * stream separate from initialization and shuffling.
 *
 * @example
 * ```ts
 * import { mlp } from "@hone/nn";
 * import { dropoutAfterHidden } from "@hone/regularize";
 * import { rng } from "@hone/tensor";
 * const model = mlp([2, 20, 3, 1], { rng: rng(3), afterHidden: dropoutAfterHidden({ keepProb: [0.86, 0.86], rng: rng(1) }) });
 * model.layers.items.map((m) => m.getConfig().type);
 * // ["Linear", "ReLU", "Dropout", "Linear", "ReLU", "Dropout", "Linear"]
 * ```
 */
export function dropoutAfterHidden(options: DropoutAfterHiddenOptions): (index: number, units: number) => Dropout | null {
  const op = "dropoutAfterHidden";
  if (options === null || typeof options !== "object") throw new ArgumentError(`${op}: expected options { keepProb, rng }, got ${describe(options)}`);
  const { keepProb } = options;
  const probs: readonly number[] | number = Array.isArray(keepProb)
    ? (keepProb as readonly unknown[]).map((p, i) => checkKeepProb(op, `keepProb[${i}]`, p))
    : checkKeepProb(op, "keepProb", keepProb);
  const mask = checkMaskOptions(op, options);
  if (mask.rng === undefined && (typeof probs === "number" ? probs < 1 : probs.some((p) => p < 1))) {
    throw new ArgumentError(`${op}: rng is required to draw dropout masks (keepProb ${describe(keepProb)})`);
  }
  return (index: number): Dropout | null => {
    let p: number;
    if (typeof probs === "number") p = probs;
    else {
      if (index >= probs.length) throw new ArgumentError(`${op}: keepProb lists ${probs.length} hidden layers, but the model has a hidden layer ${index + 1}`);
      p = probs[index]!;
    }
    return p === 1 ? null : new Dropout({ keepProb: p, ...mask });
  };
}
