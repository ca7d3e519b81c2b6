// Image layers over NHWC tensors `(batch, height, width, channels)`: Conv2d, MaxPool2d and
// AvgPool2d, thin modules over @hone/tensor's conv2d, maxPool2d and avgPool2d.
import { computeFans, lecunNormal, zeros, type Initializer } from "@hone/init";
import {
  ArgumentError, DTypeError, ShapeError, avgPool2d, conv2d, describe, formatShape, maxPool2d,
  type DType, type Padding2d, type Rng, type Size2d, type Tensor,
} from "@hone/tensor";
import { Module, type ModuleConfig } from "./module.js";

/** Options for `Conv2d`. */
export interface Conv2dLayerOptions {
  /** Step between windows: one number or `[height, width]`. Default `1`. */
  stride?: Size2d;
  /** `"valid"` (no padding), `"same"` (output `⌈size/stride⌉`, TensorFlow's rule) or cells per side. Default `"valid"`. */
  padding?: Padding2d;
  /** Whether the layer has a bias. Default `true`. */
  bias?: boolean;
  /**
   * Weight initializer, called with shape `(out, kh, kw, in)` and the fans of the receptive
   * field (`fanIn = in·kh·kw`, `fanOut = out·kh·kw`). Default `lecunNormal` (variance
   * 1/fanIn, as `Linear`); pass `heNormal` before a ReLU.
   */
  init?: Initializer;
  /** Bias initializer, called with shape `(out)`. Default `zeros` (draws nothing). */
  biasInit?: Initializer;
  /** The generator random initializers draw from (required by random initializers). */
  rng?: Rng;
  /** Parameter dtype. Default `"float64"`. */
  dtype?: DType;
}

/** Options for `MaxPool2d`. */
export interface Pool2dLayerOptions {
  /** Step between windows. Default: the kernel size. */
  stride?: Size2d;
  /** `"valid"`, `"same"` or cells per side (at most half the kernel). Default `"valid"`. */
  padding?: Padding2d;
}

/** Options for `AvgPool2d`. */
export interface AvgPool2dLayerOptions extends Pool2dLayerOptions {
  /** Whether padded cells count in the average (PyTorch's `count_include_pad`). Default `true`. */
  countIncludePad?: boolean;
}

function positive(op: string, name: string, n: unknown): number {
  if (typeof n !== "number" || !Number.isInteger(n) || n < 1) throw new ArgumentError(`${op}: ${name} must be a positive integer, got ${describe(n)}`);
  return n;
}

function size2d(op: string, name: string, v: unknown): [number, number] {
  if (typeof v === "number") return [positive(op, name, v), v];
  if (Array.isArray(v) && v.length === 2) return [positive(op, `${name}[0]`, v[0]), positive(op, `${name}[1]`, v[1])];
  throw new ArgumentError(`${op}: ${name} must be a positive integer or [height, width], got ${describe(v)}`);
}

function padding2d(op: string, v: unknown): Padding2d {
  if (v === "same" || v === "valid" || (typeof v === "number" && Number.isInteger(v) && v >= 0)) return v;
  throw new ArgumentError(`${op}: padding must be "same", "valid" or an integer ≥ 0, got ${describe(v)}`);
}

function poolPadding(op: string, v: unknown, kernel: [number, number]): Padding2d {
  const p = padding2d(op, v);
  if (typeof p === "number" && (2 * p > kernel[0] || 2 * p > kernel[1])) {
    throw new ArgumentError(`${op}: padding must be at most half the kernel ${describe(kernel)}, got ${p}`);
  }
  return p;
}

function checkImages(layer: string, x: Tensor, channels: number | null): void {
  if (x.rank !== 4 || (channels !== null && x.shape[3] !== channels)) {
    throw new ShapeError(`${layer}: input has shape ${formatShape(x.shape)}, expected [batch, height, width, ${channels ?? "channels"}] (NHWC)`);
  }
}

function checkInit(name: string, t: Tensor, shape: number[], dtype: DType): void {
  if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
    throw new ShapeError(`Conv2d: the ${name} initializer returned shape ${formatShape(t.shape)}, expected ${formatShape(shape)}`);
  }
  if (t.dtype !== dtype) throw new DTypeError(`Conv2d: the ${name} initializer returned ${t.dtype}, expected ${dtype}`);
}

/**
 * A 2-D convolution over NHWC images: `(batch, h, w, in)` → `(batch, oh, ow, out)`, with
 * weight `(out, kh, kw, in)` and bias `(out)`. The weight keeps Hone's `(out, …, in)`
 * order (a `Linear` weight is `(out, in)`); PyTorch's `Conv2d.weight` is
 * `(out, in, kh, kw)`: a safetensors file for PyTorch wants `transpose(weight, [0, 3, 1, 2])`,
 * and a PyTorch weight loads as `transpose(w, [0, 2, 3, 1])`. A `Flatten` after it flattens
 * in `(h, w, c)` order where PyTorch's flattens NCHW in `(c, h, w)` order, so the next
 * `Linear`'s columns are permuted likewise. The weight is drawn first, in row-major
 * order of its shape, then the bias (zeros by default, no draws).
 *
 * @example
 * ```ts
 * import { Conv2d } from "@hone/nn";
 * import { heNormal } from "@hone/init";
 * import { rng, zeros } from "@hone/tensor";
 * const conv = new Conv2d(1, 8, 3, { padding: "same", init: heNormal, rng: rng(0) });
 * conv.weight.shape;                        // [8, 3, 3, 1]
 * conv.forward(zeros([2, 8, 8, 1])).shape;  // [2, 8, 8, 8]
 * ```
 */
export class Conv2d extends Module {
  /** Weight, shape `(out, kh, kw, in)`. */
  readonly weight: Tensor;
  /** Bias, shape `(out)`, or null without bias. */
  readonly bias: Tensor | null;
  readonly inChannels: number;
  readonly outChannels: number;
  /** `[kh, kw]`. */
  readonly kernel: [number, number];
  /** `[height, width]` steps. */
  readonly stride: [number, number];
  readonly padding: Padding2d;

  constructor(inChannels: number, outChannels: number, kernel: Size2d, options: Conv2dLayerOptions = {}) {
    super();
    this.inChannels = positive("Conv2d", "inChannels", inChannels);
    this.outChannels = positive("Conv2d", "outChannels", outChannels);
    this.kernel = size2d("Conv2d", "kernel", kernel);
    this.stride = size2d("Conv2d", "stride", options.stride ?? 1);
    this.padding = padding2d("Conv2d", options.padding ?? "valid");
    const [kh, kw] = this.kernel;
    const dtype = options.dtype ?? "float64";
    // Fans from the receptive field: computeFans takes PyTorch's (out, in, kh, kw).
    const fans = computeFans([outChannels, inChannels, kh, kw]);
    const context = { rng: options.rng, dtype, ...fans };
    const shape = [outChannels, kh, kw, inChannels];
    const w = (options.init ?? lecunNormal)(shape, context);
    checkInit("weight", w, shape, dtype);
    this.weight = this.registerParameter("weight", w);
    if (options.bias ?? true) {
      const b = (options.biasInit ?? zeros)([outChannels], context);
      checkInit("bias", b, [outChannels], dtype);
      this.bias = this.registerParameter("bias", b);
    } else this.bias = null;
  }

  forward(x: Tensor): Tensor {
    return this.forwardWith(x, "none");
  }

  /** `act(conv(x) + b)` as one fused op (what Sequential uses for Conv2d → ReLU). */
  forwardWith(x: Tensor, activation: "none" | "relu"): Tensor {
    checkImages(`Conv2d(${this.inChannels} → ${this.outChannels})`, x, this.inChannels);
    return conv2d(x, this.weight, { bias: this.bias, stride: this.stride, padding: this.padding, activation });
  }

  getConfig(): ModuleConfig {
    return {
      type: "Conv2d",
      config: {
        inChannels: this.inChannels, outChannels: this.outChannels, kernel: this.kernel.slice(), stride: this.stride.slice(),
        padding: this.padding, bias: this.bias !== null, dtype: this.weight.dtype,
      },
    };
  }
}

/**
 * Max pooling over NHWC images, channel by channel (the gradient goes to each window's
 * first maximum, as in PyTorch). Stride defaults to the kernel.
 *
 * @example
 * ```ts
 * import { MaxPool2d } from "@hone/nn";
 * import { zeros } from "@hone/tensor";
 * new MaxPool2d(2).forward(zeros([4, 8, 8, 16])).shape; // [4, 4, 4, 16]
 * ```
 */
export class MaxPool2d extends Module {
  /** `[kh, kw]`. */
  readonly kernel: [number, number];
  readonly stride: [number, number];
  readonly padding: Padding2d;
  constructor(kernel: Size2d, options: Pool2dLayerOptions = {}) {
    super();
    this.kernel = size2d("MaxPool2d", "kernel", kernel);
    this.stride = size2d("MaxPool2d", "stride", options.stride ?? this.kernel);
    this.padding = poolPadding("MaxPool2d", options.padding ?? "valid", this.kernel);
  }
  forward(x: Tensor): Tensor {
    checkImages("MaxPool2d", x, null);
    return maxPool2d(x, this.kernel, { stride: this.stride, padding: this.padding });
  }
  getConfig(): ModuleConfig {
    return { type: "MaxPool2d", config: { kernel: this.kernel.slice(), stride: this.stride.slice(), padding: this.padding } };
  }
}

/**
 * Average pooling over NHWC images. Stride defaults to the kernel; padded cells count as
 * zeros unless `countIncludePad: false`.
 *
 * @example
 * ```ts
 * import { AvgPool2d } from "@hone/nn";
 * import { ones } from "@hone/tensor";
 * new AvgPool2d(2).forward(ones([1, 4, 4, 3])).shape; // [1, 2, 2, 3]
 * ```
 */
export class AvgPool2d extends Module {
  /** `[kh, kw]`. */
  readonly kernel: [number, number];
  readonly stride: [number, number];
  readonly padding: Padding2d;
  readonly countIncludePad: boolean;
  constructor(kernel: Size2d, options: AvgPool2dLayerOptions = {}) {
    super();
    this.kernel = size2d("AvgPool2d", "kernel", kernel);
    this.stride = size2d("AvgPool2d", "stride", options.stride ?? this.kernel);
    this.padding = poolPadding("AvgPool2d", options.padding ?? "valid", this.kernel);
    const include = options.countIncludePad ?? true;
    if (typeof include !== "boolean") throw new ArgumentError(`AvgPool2d: countIncludePad must be a boolean, got ${describe(include)}`);
    this.countIncludePad = include;
  }
  forward(x: Tensor): Tensor {
    checkImages("AvgPool2d", x, null);
    return avgPool2d(x, this.kernel, { stride: this.stride, padding: this.padding, countIncludePad: this.countIncludePad });
  }
  getConfig(): ModuleConfig {
    return { type: "AvgPool2d", config: { kernel: this.kernel.slice(), stride: this.stride.slice(), padding: this.padding, countIncludePad: this.countIncludePad } };
  }
}
