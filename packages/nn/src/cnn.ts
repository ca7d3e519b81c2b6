// `cnn`: the small convolutional network of the lectures, as `mlp` is the dense one —
// blocks of 3×3 "same" convolution, ReLU and 2×2 max-pooling, then a dense part.
import type { Initializer } from "@hone/init";
import { ArgumentError, conv2dOutputSize, describe, type DType, type Rng } from "@hone/tensor";
import { Conv2d, MaxPool2d } from "./conv-layers.js";
import { Flatten, Linear, Sequential, Sigmoid, Softmax, activationLayer, checkActivation, defaultInit, type Activation, type OutputActivation } from "./layers.js";
import type { Module } from "./module.js";

/** Options for `cnn`. */
export interface CnnOptions {
  /** Output channels of each block (conv, activation, max-pool), in order. Required, at least one. */
  conv: readonly number[];
  /** Sizes of the dense layers after `Flatten`, the last being the output (`[64, 10]`: one hidden layer of 64, 10 outputs). Required, at least one. */
  dense: readonly number[];
  /** Convolution kernel size. Default `3` (with `"same"` padding, so only the pooling shrinks the image). */
  kernel?: number;
  /** Max-pooling window and stride. Default `2`; `1` leaves pooling out. */
  pool?: number;
  /** The activation after each convolution and hidden dense layer. Default `"relu"`. */
  activation?: Activation;
  /** Negative slope for `leakyRelu`. Default 0.01. */
  slope?: number;
  /** Weight initializer of every conv and dense layer. Default by activation: He for relu/leakyRelu, Glorot (`xavierNormal`) for tanh/sigmoid. */
  init?: Initializer;
  /** Bias initializer. Default `zeros`. */
  biasInit?: Initializer;
  /** The generator weights are drawn from: each block's conv weight, then each dense weight, in order. Required for random initializers. */
  rng?: Rng;
  /** Parameter dtype. Default `"float64"`. */
  dtype?: DType;
  /** What follows the last dense layer. Default `"linear"` (logits). */
  output?: OutputActivation;
  /** Modules to insert after each hidden dense layer's activation (dropout); index counts hidden dense layers from 0. */
  afterHidden?: (index: number, units: number) => Module | readonly Module[] | null;
}

function positive(name: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 1) throw new ArgumentError(`cnn: ${name} must be a positive integer, got ${describe(v)}`);
  return v;
}

function sizes(name: string, v: unknown): number[] {
  if (!Array.isArray(v) || v.length === 0) throw new ArgumentError(`cnn: options.${name} must be a non-empty array of positive integers, got ${describe(v)}`);
  return v.map((d, i) => positive(`options.${name}[${i}]`, d));
}

/**
 * A convolutional classifier for images `(batch, height, width, channels)`: for each entry of
 * `conv`, a `kernel`×`kernel` convolution with `"same"` padding, the activation (ReLU by default) and a `pool`×`pool`
 * max-pooling; then `Flatten` and dense layers of sizes `dense` with the activation between them.
 * Refuses more blocks than the image has room for. Weights are drawn from `rng` in layer
 * order (conv blocks, then dense layers); biases start at zero.
 *
 * @example
 * ```ts
 * import { cnn } from "@hone/nn";
 * import { rng, zeros } from "@hone/tensor";
 * // 8×8 digits: conv 8 and 16 channels (8×8 → 4×4 → 2×2), then 64 features → 10 logits.
 * const model = cnn([8, 8, 1], { conv: [8, 16], dense: [10], rng: rng(0) });
 * model.forward(zeros([5, 8, 8, 1])).shape; // [5, 10]
 * ```
 */
export function cnn(input: readonly [number, number, number], options: CnnOptions): Sequential {
  if (!Array.isArray(input) || input.length !== 3) throw new ArgumentError(`cnn: input must be [height, width, channels], got ${describe(input)}`);
  let [h, w] = [positive("input[0] (height)", input[0]), positive("input[1] (width)", input[1])];
  let channels = positive("input[2] (channels)", input[2]);
  if (typeof options !== "object" || options === null) throw new ArgumentError(`cnn: options must be an object { conv, dense, … }, got ${describe(options)}`);
  const conv = sizes("conv", options.conv), dense = sizes("dense", options.dense);
  const kernel = positive("options.kernel", options.kernel ?? 3), pool = positive("options.pool", options.pool ?? 2);
  const output = options.output ?? "linear";
  if (!["linear", "sigmoid", "softmax"].includes(output)) throw new ArgumentError(`cnn: options.output must be linear, sigmoid or softmax, got ${describe(output)}`);
  const activation = options.activation ?? "relu";
  checkActivation("cnn", activation);
  const init = options.init ?? defaultInit(activation);
  const common = { init, biasInit: options.biasInit, rng: options.rng, dtype: options.dtype };
  const layers: Module[] = [];
  conv.forEach((out, i) => {
    layers.push(new Conv2d(channels, out, kernel, { padding: "same", ...common }), activationLayer(activation, options.slope));
    if (pool > 1) {
      if (h < pool || w < pool) {
        throw new ArgumentError(`cnn: conv block ${i + 1} of ${conv.length} gets a ${h}×${w} map, too small for ${pool}×${pool} pooling; a ${input[0]}×${input[1]} input has room for ${i} block(s)`);
      }
      layers.push(new MaxPool2d(pool));
      [h, w] = conv2dOutputSize([h, w], pool, { stride: pool });
    }
    channels = out;
  });
  layers.push(new Flatten());
  let features = h * w * channels;
  dense.forEach((units, i) => {
    layers.push(new Linear(features, units, common));
    if (i < dense.length - 1) {
      layers.push(activationLayer(activation, options.slope));
      const extra = options.afterHidden?.(i, units);
      if (extra) layers.push(...(Array.isArray(extra) ? (extra as readonly Module[]) : [extra as Module]));
    }
    features = units;
  });
  if (output === "sigmoid") layers.push(new Sigmoid());
  if (output === "softmax") layers.push(new Softmax());
  return new Sequential(layers);
}
