// Images: 2-D convolution and pooling over NHWC tensors `(batch, height, width, channels)`.
// Each is one fused op with its own backward rule (the table `rules` below). conv2d lays
// every receptive field out as a row (im2col, plain TypeScript data movement) and hands
// the arithmetic to the backend's dense-layer and product kernels, so float64 results
// agree bit for bit across backends exactly as those kernels do. Pooling is plain loops.
import type { Data, DType } from "./backend.js";
import { allocate } from "./creation.js";
import { ArgumentError, DTypeError, ShapeError, describe } from "./errors.js";
import { formatShape } from "./shape.js";
import { Tensor, getBackend, record, type BackwardRule } from "./tensor.js";

// ---------------------------------------------------------------------------------------
// Types.

/**
 * How windows meet the border: `"valid"` (no padding: only whole windows), `"same"`
 * (TensorFlow's rule: output `⌈size/stride⌉`, total padding
 * `max((out − 1)·stride + kernel − size, 0)` split with the odd one after, at the bottom
 * and right, as PyTorch's `padding="same"` does for stride 1), or `n` (n rows and columns
 * on every side, as PyTorch's `padding=n`).
 */
export type Padding2d = "same" | "valid" | number;

/** A window size or stride: one number for both axes, or `[height, width]`. */
export type Size2d = number | readonly [number, number];

/** Options of {@link conv2d}. */
export interface Conv2dOptions {
  /** A bias per output channel, shape `(out)`. Default `null` (none). */
  bias?: Tensor | null;
  /** Step between windows. Default `1`. */
  stride?: Size2d;
  /** Border handling (see {@link Padding2d}). Default `"valid"`. */
  padding?: Padding2d;
  /** `"relu"` applies `max(z, 0)` in the same op (as `linear` does). Default `"none"`. */
  activation?: "none" | "relu";
}

/** Options of {@link maxPool2d}. */
export interface Pool2dOptions {
  /** Step between windows. Default: the kernel size (windows that tile the image). */
  stride?: Size2d;
  /** Border handling (see {@link Padding2d}); a number may be at most half the kernel, as in PyTorch. Default `"valid"`. */
  padding?: Padding2d;
}

/** Options of {@link avgPool2d}. */
export interface AvgPool2dOptions extends Pool2dOptions {
  /**
   * Whether padded cells count in a window's average. Default `true`: divide by the whole
   * window (PyTorch's `count_include_pad=True`); `false` averages the cells inside the image
   * only (TensorFlow's `"same"` average pooling).
   */
  countIncludePad?: boolean;
}

/** Where the windows of one image fall: sizes, strides and the padding before each axis. */
interface Geometry {
  n: number; h: number; w: number; c: number; kh: number; kw: number;
  sh: number; sw: number; pt: number; pl: number; oh: number; ow: number;
}

// ---------------------------------------------------------------------------------------
// Argument checks and output sizes.

function pairOf(op: string, name: string, v: unknown): [number, number] {
  const ok = (d: unknown): d is number => typeof d === "number" && Number.isInteger(d) && d >= 1;
  if (ok(v)) return [v, v];
  if (Array.isArray(v) && v.length === 2 && ok(v[0]) && ok(v[1])) return [v[0], v[1]];
  throw new ArgumentError(`${op}: ${name} must be a positive integer or [height, width] of positive integers, got ${describe(v)}`);
}

function checkPadding(op: string, padding: unknown): Padding2d {
  if (padding === "same" || padding === "valid") return padding;
  if (typeof padding === "number" && Number.isInteger(padding) && padding >= 0) return padding;
  throw new ArgumentError(`${op}: padding must be "same", "valid" or an integer ≥ 0, got ${describe(padding)}`);
}

/** Padding before and after one axis and its output length; throws when no window fits. */
function axis(op: string, name: string, size: number, k: number, s: number, padding: Padding2d): [number, number, number] {
  let before = 0, after = 0, out: number;
  if (padding === "same") {
    out = Math.ceil(size / s);
    const total = Math.max((out - 1) * s + k - size, 0);
    before = Math.floor(total / 2);
    after = total - before;
  } else {
    if (padding !== "valid") before = after = padding;
    const span = size + before + after;
    if (span < k) {
      throw new ShapeError(`${op}: the kernel's ${name} ${k} exceeds the input's ${name} ${size}${before > 0 ? ` padded to ${span}` : ""}`);
    }
    out = Math.floor((span - k) / s) + 1;
  }
  return [before, after, out];
}

function checkImages(op: string, name: string, x: unknown): Tensor {
  if (!(x instanceof Tensor)) throw new ArgumentError(`${op}: ${name} must be a Tensor, got ${describe(x)}`);
  if (x.rank !== 4) throw new ShapeError(`${op}: ${name} has shape ${formatShape(x.shape)}, expected 4 axes (batch, height, width, channels)`);
  return x;
}

function geometry(op: string, x: Tensor, kernel: [number, number], stride: [number, number], padding: Padding2d): Geometry {
  const [n, h, w, c] = x.shape as [number, number, number, number];
  const [kh, kw] = kernel, [sh, sw] = stride;
  const [pt, , oh] = axis(op, "height", h, kh, sh, padding);
  const [pl, , ow] = axis(op, "width", w, kw, sw, padding);
  return { n, h, w, c, kh, kw, sh, sw, pt, pl, oh, ow };
}

/**
 * The output `[height, width]` of a convolution or pooling window over an image of
 * `[height, width]`: what {@link conv2d}, {@link maxPool2d} and {@link avgPool2d} produce.
 *
 * @example
 * ```ts
 * import { conv2dOutputSize } from "@hone/tensor";
 * conv2dOutputSize([28, 28], 3, { padding: "same" });   // [28, 28]
 * conv2dOutputSize([28, 28], 2, { stride: 2 });         // [14, 14]
 * conv2dOutputSize([8, 8], [3, 2], { padding: 1 });     // [8, 9]
 * ```
 */
export function conv2dOutputSize(size: readonly [number, number], kernel: Size2d, options: { stride?: Size2d; padding?: Padding2d } = {}): [number, number] {
  const op = "conv2dOutputSize";
  const [h, w] = pairOf(op, "size", size);
  const [kh, kw] = pairOf(op, "kernel", kernel);
  const [sh, sw] = pairOf(op, "stride", options.stride ?? 1);
  const padding = checkPadding(op, options.padding ?? "valid");
  return [axis(op, "height", h, kh, sh, padding)[2], axis(op, "width", w, kw, sw, padding)[2]];
}

// ---------------------------------------------------------------------------------------
// Kernels: im2col and its adjoint.

/**
 * Walks every output position's receptive field, one window row at a time, between the image
 * `image` and the rows of `cols` (`n·oh·ow × kh·kw·c`, in the weight's `(kh, kw, c)` order).
 * `gather`: copies the image's cells into `cols` (im2col; `cols` must start zeroed, padding
 * stays zero); otherwise adds each row of `cols` back onto the cells it was read from (col2im,
 * the adjoint).
 */
function transferWindows(image: Data, g: Geometry, cols: Data, gather: boolean): void {
  const { n, h, w, c, kh, kw, sh, sw, pt, pl, oh, ow } = g;
  const seg = kw * c, rowLen = kh * seg;
  let o = 0;
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < oh; oy++) {
      const iy0 = oy * sh - pt;
      for (let ox = 0; ox < ow; ox++, o += rowLen) {
        const ix0 = ox * sw - pl;
        const lo = Math.max(0, -ix0), hi = Math.min(kw, w - ix0);
        for (let ky = 0; ky < kh; ky++) {
          const iy = iy0 + ky;
          if (iy < 0 || iy >= h || lo >= hi) continue;
          const at = ((b * h + iy) * w + ix0) * c, row = o + ky * seg;
          if (gather) for (let j = lo * c, end = hi * c; j < end; j++) cols[row + j] = image[at + j]!;
          else for (let j = lo * c, end = hi * c; j < end; j++) image[at + j] = image[at + j]! + cols[row + j]!;
        }
      }
    }
  }
}

/** The receptive field of every output position as one row of `cols` (zeroed first). */
function im2col(src: Data, g: Geometry, cols: Data): void {
  transferWindows(src, g, cols, true);
}

/** The adjoint of {@link im2col}: adds every row of `cols` back onto `dst`. */
function col2im(cols: Data, g: Geometry, dst: Data): void {
  transferWindows(dst, g, cols, false);
}

/** `t`'s values as a buffer of `dtype` (its own buffer when it already has it). */
function dataAs(t: Tensor, dtype: DType): Data {
  if (t.dtype === dtype) return t.data;
  const d = allocate(t.size, dtype);
  d.set(t.data);
  return d;
}

/** A gradient computed in `dtype` as a tensor of `like`'s shape and dtype. */
function gradFor(data: Data, dtype: DType, like: Tensor): Tensor {
  const t = new Tensor(data, like.shape.slice());
  return like.dtype === dtype ? t : new Tensor(dataAs(t, like.dtype), t.shape);
}

// ---------------------------------------------------------------------------------------
// The backward rules, one entry per op.

/** `cols`: the forward pass's im2col rows, kept for the weight's gradient (null when the weight needs none). */
type ConvAttrs = { g: Geometry; dtype: DType; relu: boolean; cols: Data | null };
type PoolAttrs = { g: Geometry; argmax: Int32Array | null; divisors: Float64Array | null };

const rules = {
  // With z = cols·Wᵀ + b (rows: output positions): dW = gᵀ·cols, db = Σ_rows g, dcols = g·W,
  // and dx is dcols added back onto the input cells (col2im).
  conv2d: (function conv2dBackward(grad, [x, weight, bias], out, { g, dtype, relu, cols: saved }) {
    const backend = getBackend();
    const m = g.n * g.oh * g.ow, k = g.kh * g.kw * g.c, o = weight!.shape[0]!;
    let gz = dataAs(grad, dtype);
    if (relu) {
      const masked = allocate(gz.length, dtype);
      backend.binary("reluBackward", gz, [gz.length], out.data, [gz.length], masked, [gz.length]);
      gz = masked;
    }
    let gx: Tensor | null = null, gw: Tensor | null = null, gb: Tensor | null = null;
    if (x!.requiresGrad) {
      const dcols = allocate(m * k, dtype), dx = allocate(x!.size, dtype);
      if (m > 0) backend.matmul(gz, dataAs(weight!, dtype), dcols, 1, m, o, k, false, false, 0, 0);
      col2im(dcols, g, dx);
      gx = gradFor(dx, dtype, x!);
    }
    if (weight!.requiresGrad) {
      let cols = saved;
      if (cols === null) im2col(dataAs(x!, dtype), g, (cols = allocate(m * k, dtype)));
      const dw = allocate(o * k, dtype);
      if (m > 0) backend.matmul(gz, cols, dw, 1, o, m, k, true, false, 0, 0);
      gw = gradFor(dw, dtype, weight!);
    }
    if (bias !== undefined && bias.requiresGrad) {
      const db = allocate(o, dtype);
      backend.reduce("sum", gz, [m, o], [0], db);
      gb = gradFor(db, dtype, bias);
    }
    return [gx, gw, gb];
  }) as BackwardRule<ConvAttrs>,
  // Max: each output's gradient goes to the cell that won its window. Average: spread over
  // the window's cells, each divided by the window's divisor.
  pool2d: (function pool2dBackward(grad, [x], _out, { g, argmax, divisors }) {
    const dx = allocate(x!.size, x!.dtype), gd = grad.data;
    if (argmax !== null) {
      for (let i = 0; i < argmax.length; i++) dx[argmax[i]!] = dx[argmax[i]!]! + gd[i]!;
    } else avgPoolKernel(gd, g, dx, divisors!, false);
    return [new Tensor(dx, x!.shape.slice())];
  }) as BackwardRule<PoolAttrs>,
};

// ---------------------------------------------------------------------------------------
// Convolution.

/**
 * A 2-D convolution (cross-correlation, as in PyTorch and TensorFlow) of images `x`
 * `(batch, height, width, in)` with `weight` `(out, kh, kw, in)`: the output
 * `(batch, oh, ow, out)` holds `Σ_{ky,kx,c} x[b, y·sh + ky − pt, x·sw + kx − pl, c] ·
 * weight[o, ky, kx, c] + bias[o]`, zero outside the image. The weight's layout is Hone's
 * `(out, …, in)`, PyTorch's is `(out, in, kh, kw)`: convert with `transpose(w, [0, 2, 3, 1])`
 * (PyTorch → Hone) and `transpose(w, [0, 3, 1, 2])` (back). Differentiable in `x`,
 * `weight` and `bias`.
 *
 * @example
 * ```ts
 * import { conv2d, tensor, reshape, arange } from "@hone/tensor";
 * const x = reshape(arange(0, 9), [1, 3, 3, 1]);            // one 3×3 image, one channel
 * const w = tensor([1, 0, 0, -1], { shape: [1, 2, 2, 1] }); // x[i,j] − x[i+1,j+1]
 * conv2d(x, w).toArray();                                   // [[[[-4], [-4]], [[-4], [-4]]]]
 * conv2d(x, w, { padding: "same" }).shape;                  // [1, 3, 3, 1]
 * ```
 */
export function conv2d(x: Tensor, weight: Tensor, options: Conv2dOptions = {}): Tensor {
  const op = "conv2d";
  checkImages(op, "x", x);
  if (!(weight instanceof Tensor)) throw new ArgumentError(`${op}: weight must be a Tensor, got ${describe(weight)}`);
  if (weight.rank !== 4 || weight.shape[3] !== x.shape[3]) {
    throw new ShapeError(`${op}: weight has shape ${formatShape(weight.shape)}, expected (out, kh, kw, ${x.shape[3]}) for x ${formatShape(x.shape)}`);
  }
  const bias = options.bias ?? null;
  const o = weight.shape[0]!;
  if (bias !== null && (!(bias instanceof Tensor) || bias.rank !== 1 || bias.shape[0] !== o)) {
    throw new ShapeError(`${op}: bias must be a Tensor of shape [${o}], got ${describe(bias)}`);
  }
  const activation = options.activation ?? "none";
  if (activation !== "none" && activation !== "relu") throw new ArgumentError(`${op}: activation must be "none" or "relu", got ${describe(activation)}`);
  const kernel: [number, number] = [weight.shape[1]!, weight.shape[2]!];
  if (kernel[0] < 1 || kernel[1] < 1) throw new ShapeError(`${op}: weight has shape ${formatShape(weight.shape)}; the kernel must be at least 1×1`);
  const g = geometry(op, x, kernel, pairOf(op, "stride", options.stride ?? 1), checkPadding(op, options.padding ?? "valid"));
  const dtype: DType = x.dtype === "float32" && weight.dtype === "float32" && (bias === null || bias.dtype === "float32") ? "float32" : "float64";
  const m = g.n * g.oh * g.ow, k = g.kh * g.kw * g.c;
  const cols = allocate(m * k, dtype);
  im2col(x.data, g, cols);
  const out = new Tensor(allocate(m * o, dtype), [g.n, g.oh, g.ow, o]);
  if (m > 0) getBackend().linear(cols, dataAs(weight, dtype), bias === null ? null : dataAs(bias, dtype), out.data, m, k, o, activation === "relu");
  const inputs = bias === null ? [x, weight] : [x, weight, bias];
  // The rows are kept for the weight's gradient only while the op is recorded (see `record`).
  return record(out, op, inputs, rules.conv2d, { g, dtype, relu: activation === "relu", cols: weight.requiresGrad ? cols : null });
}

// ---------------------------------------------------------------------------------------
// Pooling.

/**
 * The pooling kernels. For every output position (offset `o` into the output, channel 0),
 * its window's cells inside the image are visited in row-major order: max keeps the first
 * largest value (a NaN wins) and where it was, average sums into float64 and divides by
 * the window's size or by its cells inside the image.
 */
function maxPoolKernel(src: Data, g: Geometry, out: Data, argmax: Int32Array): void {
  const { n, h, w, c, kh, kw, sh, sw, pt, pl, oh, ow } = g;
  let o = 0;
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < oh; oy++) {
      const y0 = Math.max(oy * sh - pt, 0), y1 = Math.min(oy * sh - pt + kh, h);
      for (let ox = 0; ox < ow; ox++, o += c) {
        const x0 = Math.max(ox * sw - pl, 0), x1 = Math.min(ox * sw - pl + kw, w);
        let first = true;
        for (let iy = y0; iy < y1; iy++) {
          for (let ix = x0, cell = ((b * h + iy) * w + x0) * c; ix < x1; ix++, cell += c) {
            if (first) {
              for (let ch = 0; ch < c; ch++) { out[o + ch] = src[cell + ch]!; argmax[o + ch] = cell + ch; }
              first = false;
              continue;
            }
            for (let ch = 0; ch < c; ch++) {
              const v = src[cell + ch]!;
              if (v > out[o + ch]! || v !== v) { out[o + ch] = v; argmax[o + ch] = cell + ch; }
            }
          }
        }
      }
    }
  }
}

/** Average pooling (`forward`) or its adjoint (`!forward`: adds `gd[o]/divisor` to each cell of the window into `dst`). */
function avgPoolKernel(src: Data, g: Geometry, dst: Data, divisors: Float64Array, forward: boolean): void {
  const { n, h, w, c, kh, kw, sh, sw, pt, pl, oh, ow } = g;
  const sums = forward ? new Float64Array(c) : null;
  let o = 0, k = 0;
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < oh; oy++) {
      const y0 = Math.max(oy * sh - pt, 0), y1 = Math.min(oy * sh - pt + kh, h);
      for (let ox = 0; ox < ow; ox++, o += c, k++) {
        const x0 = Math.max(ox * sw - pl, 0), x1 = Math.min(ox * sw - pl + kw, w);
        if (sums !== null) {
          sums.fill(0);
          for (let iy = y0; iy < y1; iy++) {
            for (let ix = x0, cell = ((b * h + iy) * w + x0) * c; ix < x1; ix++, cell += c) {
              for (let ch = 0; ch < c; ch++) sums[ch] = sums[ch]! + src[cell + ch]!;
            }
          }
          const d = divisors[k]!;
          for (let ch = 0; ch < c; ch++) dst[o + ch] = sums[ch]! / d;
        } else {
          const d = divisors[k]!;
          for (let iy = y0; iy < y1; iy++) {
            for (let ix = x0, cell = ((b * h + iy) * w + x0) * c; ix < x1; ix++, cell += c) {
              for (let ch = 0; ch < c; ch++) dst[cell + ch] = dst[cell + ch]! + src[o + ch]! / d;
            }
          }
        }
      }
    }
  }
}

/** Each window's divisor: its size, or (`!include`) its cells inside the image. */
function divisorsOf(g: Geometry, include: boolean): Float64Array {
  const { n, h, w, kh, kw, sh, sw, pt, pl, oh, ow } = g;
  const d = new Float64Array(n * oh * ow);
  for (let b = 0, k = 0; b < n; b++) {
    for (let oy = 0; oy < oh; oy++) {
      const rows = Math.min(oy * sh - pt + kh, h) - Math.max(oy * sh - pt, 0);
      for (let ox = 0; ox < ow; ox++, k++) d[k] = include ? kh * kw : rows * (Math.min(ox * sw - pl + kw, w) - Math.max(ox * sw - pl, 0));
    }
  }
  return d;
}

function poolSetup(op: string, x: Tensor, kernel: Size2d, options: Pool2dOptions): Geometry {
  checkImages(op, "x", x);
  const k = pairOf(op, "kernel", kernel);
  const stride = pairOf(op, "stride", options.stride ?? k);
  const padding = checkPadding(op, options.padding ?? "valid");
  if (typeof padding === "number" && (2 * padding > k[0] || 2 * padding > k[1])) {
    throw new ArgumentError(`${op}: padding must be at most half the kernel ${describe(k)}, got ${padding}`);
  }
  return geometry(op, x, k, stride, padding);
}

/**
 * Max pooling of images `(batch, height, width, channels)` over `kernel` windows, channel
 * by channel; padding never wins (it counts as −∞). The gradient of each output goes to the
 * first maximum of its window in row-major order (PyTorch's rule; `max` shares it among
 * ties instead); a NaN in a window wins it.
 *
 * @example
 * ```ts
 * import { maxPool2d, tensor } from "@hone/tensor";
 * const x = tensor([1, 5, 2, 0, 3, 4, 8, 6, 7, 1, 9, 2, 0, 2, 3, 4], { shape: [1, 4, 4, 1] });
 * maxPool2d(x, 2).toArray(); // [[[[5], [8]], [[7], [9]]]]
 * ```
 */
export function maxPool2d(x: Tensor, kernel: Size2d, options: Pool2dOptions = {}): Tensor {
  const g = poolSetup("maxPool2d", x, kernel, options);
  const size = g.n * g.oh * g.ow * g.c;
  const out = allocate(size, x.dtype), argmax = new Int32Array(size);
  maxPoolKernel(x.data, g, out, argmax);
  return record(new Tensor(out, [g.n, g.oh, g.ow, g.c]), "maxPool2d", [x], rules.pool2d, { g, argmax, divisors: null });
}

/**
 * Average pooling of images `(batch, height, width, channels)` over `kernel` windows: the
 * sum of each window's cells inside the image, divided by the window's size (padding
 * counts as zeros, PyTorch's default) or, with `countIncludePad: false`, by the number of
 * those cells.
 *
 * @example
 * ```ts
 * import { avgPool2d, tensor } from "@hone/tensor";
 * const x = tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], { shape: [1, 3, 3, 1] });
 * avgPool2d(x, 2, { stride: 1 }).toArray();                               // [[[[3], [4]], [[6], [7]]]]
 * avgPool2d(x, 3, { stride: 1, padding: 1, countIncludePad: false }).data[0]; // (1+2+4+5)/4 = 3
 * ```
 */
export function avgPool2d(x: Tensor, kernel: Size2d, options: AvgPool2dOptions = {}): Tensor {
  const g = poolSetup("avgPool2d", x, kernel, options);
  const include = options.countIncludePad ?? true;
  if (typeof include !== "boolean") throw new ArgumentError(`avgPool2d: countIncludePad must be a boolean, got ${describe(include)}`);
  if (x.dtype !== "float32" && x.dtype !== "float64") throw new DTypeError(`avgPool2d: x has dtype ${describe(x.dtype)}`);
  const size = g.n * g.oh * g.ow * g.c;
  const divisors = divisorsOf(g, include), out = allocate(size, x.dtype);
  avgPoolKernel(x.data, g, out, divisors, true);
  return record(new Tensor(out, [g.n, g.oh, g.ow, g.c]), "avgPool2d", [x], rules.pool2d, { g, argmax: null, divisors });
}
