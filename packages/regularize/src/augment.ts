// Data augmentation: seeded, per-batch transforms of the training inputs. Images are
// (batch, height, width, channels), row 0 at the top; tabular data is (batch, features).
// Each transform owns an Rng and documents its draw order, so a run is reproducible; the
// pipeline plugs into fit's `augment` option, which only ever sees training batches.
import type { Dataset } from "@hone/nn";
import { libm, ArgumentError, Rng, ShapeError, Tensor, describe, formatShape } from "@hone/tensor";

/** One transform of a batch of inputs: a new tensor of the same dtype, outside the autograd graph. */
export type Augmentation = (x: Tensor) => Tensor;

/** What fit's `augment` option takes: a training batch in, a transformed batch out (labels unchanged). */
export type AugmentFunction = (batch: Dataset, info: { epoch: number; batch: number }) => Dataset;

/** How a rotation samples the source image. */
export type Interpolation = "nearest" | "bilinear";

// ---------------------------------------------------------------------------------------
// Validation helpers.

function checkRng(op: string, rng: unknown): Rng {
  if (!(rng instanceof Rng)) throw new ArgumentError(`${op}: rng must be an Rng (from rng(seed) or a parent's split()), got ${describe(rng)}`);
  return rng;
}

function checkOptions(op: string, options: unknown, expected: string): Record<string, unknown> {
  if (options === null || typeof options !== "object") throw new ArgumentError(`${op}: expected options ${expected}, got ${describe(options)}`);
  return options as Record<string, unknown>;
}

function checkNonNegInt(op: string, name: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0) throw new ArgumentError(`${op}: ${name} must be an integer ≥ 0, got ${describe(v)}`);
  return v;
}

function checkPosInt(op: string, name: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 1) throw new ArgumentError(`${op}: ${name} must be a positive integer, got ${describe(v)}`);
  return v;
}

function checkFinite(op: string, name: string, v: unknown, min = -Infinity): number {
  if (typeof v !== "number" || !Number.isFinite(v) || v < min) {
    throw new ArgumentError(`${op}: ${name} must be a finite number${min === -Infinity ? "" : ` ≥ ${min}`}, got ${describe(v)}`);
  }
  return v;
}

function checkTensor(op: string, x: unknown): Tensor {
  if (!(x instanceof Tensor)) throw new ArgumentError(`${op}: input must be a Tensor, got ${describe(x)}`);
  return x;
}

function imageDims(op: string, x: unknown): [number, number, number, number] {
  const t = checkTensor(op, x);
  if (t.rank !== 4) throw new ShapeError(`${op}: images must have shape [batch, height, width, channels], got ${formatShape(t.shape)}`);
  return t.shape as unknown as [number, number, number, number];
}

function like(x: Tensor, shape: readonly number[]): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return new Tensor(x.dtype === "float32" ? new Float32Array(n) : new Float64Array(n), shape.slice());
}

// ---------------------------------------------------------------------------------------
// Transforms.

/** Options for `randomFlip`. */
export interface RandomFlipOptions {
  /** The generator. Required. */
  rng: Rng;
  /** Mirror left–right (reverse the width axis). Default `true`. */
  horizontal?: boolean;
  /** Mirror top–bottom (reverse the height axis). Default `false`. */
  vertical?: boolean;
  /** The probability of each enabled flip, per image, in [0, 1]. Default 0.5. */
  probability?: number;
}

/**
 * Random mirror images. For each image in batch order: if `horizontal`, one uniform `u`
 * (flip left–right when u < probability); then, if `vertical`, one more (flip top–bottom).
 *
 * @example
 * ```ts
 * import { randomFlip } from "@hone/regularize";
 * import { rng, tensor } from "@hone/tensor";
 * const flip = randomFlip({ rng: rng(0), probability: 1 });
 * flip(tensor([1, 2, 3], { shape: [1, 1, 3, 1] })).toList(); // [3, 2, 1]
 * ```
 */
export function randomFlip(options: RandomFlipOptions): Augmentation {
  const op = "randomFlip";
  const o = checkOptions(op, options, "{ rng, horizontal, vertical, probability }");
  const rng = checkRng(op, o.rng);
  const horizontal = o.horizontal ?? true, vertical = o.vertical ?? false;
  if (typeof horizontal !== "boolean" || typeof vertical !== "boolean") throw new ArgumentError(`${op}: horizontal and vertical must be booleans, got ${describe(horizontal)} and ${describe(vertical)}`);
  if (!horizontal && !vertical) throw new ArgumentError(`${op}: horizontal and vertical are both false, so nothing would be flipped`);
  const p = o.probability ?? 0.5;
  if (typeof p !== "number" || !(p >= 0 && p <= 1)) throw new ArgumentError(`${op}: probability must be in [0, 1], got ${describe(p)}`);
  return (x) => {
    const [b, h, w, c] = imageDims(op, x);
    const out = like(x, x.shape);
    const src = x.data, dst = out.data;
    for (let n = 0; n < b; n++) {
      const fh = horizontal && rng.random() < p;
      const fv = vertical && rng.random() < p;
      const base = n * h * w * c;
      for (let r = 0; r < h; r++) {
        const sr = fv ? h - 1 - r : r;
        for (let col = 0; col < w; col++) {
          const sc = fh ? w - 1 - col : col;
          const o0 = base + (r * w + col) * c, s0 = base + (sr * w + sc) * c;
          for (let k = 0; k < c; k++) dst[o0 + k] = src[s0 + k]!;
        }
      }
    }
    return out;
  };
}

/** Options for `randomShift`. */
export interface RandomShiftOptions {
  /** The generator. Required. */
  rng: Rng;
  /** Largest horizontal shift in pixels (an integer ≥ 0); dx is uniform over −maxDx…maxDx. Default 0. */
  maxDx?: number;
  /** Largest vertical shift in pixels (an integer ≥ 0); dy is uniform over −maxDy…maxDy. Default 0. */
  maxDy?: number;
  /** The value of pixels shifted in from outside the image. Default 0. */
  fill?: number;
}

/**
 * Random translations by whole pixels: `out[r][c] = in[r − dy][c − dx]`, or `fill` where that
 * falls outside (positive dx moves the content right, positive dy down). For each image in
 * batch order: `dy = randint(−maxDy, maxDy + 1)`, then `dx = randint(−maxDx, maxDx + 1)`; an
 * axis whose maximum is 0 draws nothing.
 *
 * @example
 * ```ts
 * import { randomShift } from "@hone/regularize";
 * import { rng, tensor } from "@hone/tensor";
 * const shift = randomShift({ rng: rng(0), maxDx: 1, fill: -1 });
 * shift(tensor([1, 2, 3], { shape: [1, 1, 3, 1] })).toList(); // [1, 2, 3], [-1, 1, 2] or [2, 3, -1]
 * ```
 */
export function randomShift(options: RandomShiftOptions): Augmentation {
  const op = "randomShift";
  const o = checkOptions(op, options, "{ rng, maxDx, maxDy, fill }");
  const rng = checkRng(op, o.rng);
  const maxDx = checkNonNegInt(op, "maxDx", o.maxDx ?? 0), maxDy = checkNonNegInt(op, "maxDy", o.maxDy ?? 0);
  if (maxDx === 0 && maxDy === 0) throw new ArgumentError(`${op}: maxDx and maxDy are both 0, so nothing would be shifted`);
  const fill = checkFinite(op, "fill", o.fill ?? 0);
  return (x) => {
    const [b, h, w, c] = imageDims(op, x);
    const out = like(x, x.shape);
    const src = x.data, dst = out.data;
    for (let n = 0; n < b; n++) {
      const dy = maxDy > 0 ? rng.randint(-maxDy, maxDy + 1) : 0;
      const dx = maxDx > 0 ? rng.randint(-maxDx, maxDx + 1) : 0;
      const base = n * h * w * c;
      for (let r = 0; r < h; r++) {
        const sr = r - dy;
        for (let col = 0; col < w; col++) {
          const sc = col - dx;
          const o0 = base + (r * w + col) * c;
          const inside = sr >= 0 && sr < h && sc >= 0 && sc < w;
          const s0 = base + (sr * w + sc) * c;
          for (let k = 0; k < c; k++) dst[o0 + k] = inside ? src[s0 + k]! : fill;
        }
      }
    }
    return out;
  };
}

/** Options for `randomCrop`. */
export interface RandomCropOptions {
  /** The generator. Required. */
  rng: Rng;
  /** Output height in pixels, at most the padded height. Required. */
  height: number;
  /** Output width in pixels, at most the padded width. Required. */
  width: number;
  /** Pixels of `fill` added on every side before cropping. Default 0. */
  padding?: number;
  /** The padding value. Default 0. */
  fill?: number;
}

/**
 * Random crops of `height × width`, after padding every side by `padding` pixels of `fill`
 * (with the input's own size and a padding of a few pixels this is the usual "pad and crop"
 * jitter). For each image in batch order: `top = randint(0, H + 2·padding − height + 1)`, then
 * `left = randint(0, W + 2·padding − width + 1)`; `out[r][c] = padded[top + r][left + c]`.
 *
 * @example
 * ```ts
 * import { randomCrop } from "@hone/regularize";
 * import { rng, zeros } from "@hone/tensor";
 * randomCrop({ rng: rng(0), height: 28, width: 28, padding: 2 })(zeros([8, 28, 28, 1])).shape; // [8, 28, 28, 1]
 * ```
 */
export function randomCrop(options: RandomCropOptions): Augmentation {
  const op = "randomCrop";
  const o = checkOptions(op, options, "{ rng, height, width, padding, fill }");
  const rng = checkRng(op, o.rng);
  const height = checkPosInt(op, "height", o.height), width = checkPosInt(op, "width", o.width);
  const padding = checkNonNegInt(op, "padding", o.padding ?? 0);
  const fill = checkFinite(op, "fill", o.fill ?? 0);
  return (x) => {
    const [b, h, w, c] = imageDims(op, x);
    if (height > h + 2 * padding || width > w + 2 * padding) {
      throw new ShapeError(`${op}: a ${height}×${width} crop does not fit images of ${h}×${w} padded by ${padding} (input ${formatShape(x.shape)})`);
    }
    const out = like(x, [b, height, width, c]);
    const src = x.data, dst = out.data;
    for (let n = 0; n < b; n++) {
      const top = rng.randint(0, h + 2 * padding - height + 1);
      const left = rng.randint(0, w + 2 * padding - width + 1);
      const base = n * h * w * c, obase = n * height * width * c;
      for (let r = 0; r < height; r++) {
        const sr = top + r - padding;
        for (let col = 0; col < width; col++) {
          const sc = left + col - padding;
          const o0 = obase + (r * width + col) * c;
          const inside = sr >= 0 && sr < h && sc >= 0 && sc < w;
          const s0 = base + (sr * w + sc) * c;
          for (let k = 0; k < c; k++) dst[o0 + k] = inside ? src[s0 + k]! : fill;
        }
      }
    }
    return out;
  };
}

/** Options for `rotateImages`. */
export interface RotateOptions {
  /** `"bilinear"` (default) or `"nearest"` sampling of the source image. */
  interpolation?: Interpolation;
  /** The value of pixels whose source falls outside the image. Default 0. */
  fill?: number;
}

const SNAP = 1e-9;
function snap(v: number): number {
  const r = Math.round(v);
  return Math.abs(v - r) < SNAP ? r : v;
}

/**
 * Rotates each image counterclockwise (as displayed, row 0 on top) by `degrees` (one angle
 * for all, or one per image) about its center `((H−1)/2, (W−1)/2)`, keeping the size. Each
 * output pixel samples the source at the inversely rotated position: `"nearest"` takes the
 * closest pixel, `"bilinear"` interpolates the four around it; a source position outside the
 * image (beyond its outer pixel centers, for bilinear) gives `fill`. Positions within 1e-9 of
 * a whole pixel are snapped to it, so multiples of 90° move pixels exactly.
 *
 * @example
 * ```ts
 * import { rotateImages } from "@hone/regularize";
 * import { tensor } from "@hone/tensor";
 * const img = tensor([1, 2, 3, 4], { shape: [1, 2, 2, 1] }); // [[1, 2], [3, 4]]
 * rotateImages(img, 90).toList(); // [2, 4, 1, 3]: [[2, 4], [1, 3]]
 * ```
 */
export function rotateImages(x: Tensor, degrees: number | ArrayLike<number>, options: RotateOptions = {}): Tensor {
  const op = "rotateImages";
  const [b, h, w, c] = imageDims(op, x);
  const o = checkOptions(op, options, "{ interpolation, fill }");
  const interpolation = o.interpolation ?? "bilinear";
  if (interpolation !== "nearest" && interpolation !== "bilinear") throw new ArgumentError(`${op}: interpolation must be "nearest" or "bilinear", got ${describe(interpolation)}`);
  const fill = checkFinite(op, "fill", o.fill ?? 0);
  if (typeof degrees !== "number" && (typeof degrees !== "object" || degrees === null || degrees.length !== b)) {
    throw new ArgumentError(`${op}: degrees must be a number or one angle per image (${b}), got ${describe(degrees)}`);
  }
  const out = like(x, x.shape);
  const src = x.data, dst = out.data;
  const cy = (h - 1) / 2, cx = (w - 1) / 2;
  for (let n = 0; n < b; n++) {
    const deg = checkFinite(op, typeof degrees === "number" ? "degrees" : `degrees[${n}]`, typeof degrees === "number" ? degrees : degrees[n]);
    const t = (deg * Math.PI) / 180;
    const cos = libm.cos(t), sin = libm.sin(t);
    const base = n * h * w * c;
    for (let r = 0; r < h; r++) {
      for (let col = 0; col < w; col++) {
        // Output position relative to the center, y pointing up; rotate it back by −θ.
        const xo = col - cx, yo = cy - r;
        const sc = snap(cx + cos * xo + sin * yo);
        const sr = snap(cy - (-sin * xo + cos * yo));
        const o0 = base + (r * w + col) * c;
        if (interpolation === "nearest") {
          const rr = Math.round(sr), cc = Math.round(sc);
          const inside = rr >= 0 && rr < h && cc >= 0 && cc < w;
          const s0 = base + (rr * w + cc) * c;
          for (let k = 0; k < c; k++) dst[o0 + k] = inside ? src[s0 + k]! : fill;
          continue;
        }
        if (!(sr >= 0 && sr <= h - 1 && sc >= 0 && sc <= w - 1)) {
          for (let k = 0; k < c; k++) dst[o0 + k] = fill;
          continue;
        }
        const r0 = Math.floor(sr), c0 = Math.floor(sc);
        const r1 = Math.min(r0 + 1, h - 1), c1 = Math.min(c0 + 1, w - 1);
        const fr = sr - r0, fc = sc - c0;
        const w00 = (1 - fr) * (1 - fc), w01 = (1 - fr) * fc, w10 = fr * (1 - fc), w11 = fr * fc;
        const p00 = base + (r0 * w + c0) * c, p01 = base + (r0 * w + c1) * c;
        const p10 = base + (r1 * w + c0) * c, p11 = base + (r1 * w + c1) * c;
        for (let k = 0; k < c; k++) {
          // Exact at whole-pixel positions: zero weights are skipped, not multiplied.
          let v = w00 * src[p00 + k]!;
          if (w01 !== 0) v += w01 * src[p01 + k]!;
          if (w10 !== 0) v += w10 * src[p10 + k]!;
          if (w11 !== 0) v += w11 * src[p11 + k]!;
          dst[o0 + k] = v;
        }
      }
    }
  }
  return out;
}

/** Options for `randomRotation`. */
export interface RandomRotationOptions extends RotateOptions {
  /** The generator. Required. */
  rng: Rng;
  /** Largest rotation in degrees (finite, ≥ 0): each image turns by an angle uniform in [−maxDegrees, maxDegrees). Required. */
  maxDegrees: number;
}

/**
 * Small random rotations (see `rotateImages`, whose sampling it uses; bilinear by default).
 * For each image in batch order, one draw: `angle = uniform(−maxDegrees, maxDegrees)`.
 *
 * @example
 * ```ts
 * import { randomRotation } from "@hone/regularize";
 * import { rng, zeros } from "@hone/tensor";
 * randomRotation({ rng: rng(0), maxDegrees: 15 })(zeros([4, 8, 8, 3])).shape; // [4, 8, 8, 3]
 * ```
 */
export function randomRotation(options: RandomRotationOptions): Augmentation {
  const op = "randomRotation";
  const o = checkOptions(op, options, "{ rng, maxDegrees, interpolation, fill }");
  const rng = checkRng(op, o.rng);
  const maxDegrees = checkFinite(op, "maxDegrees", o.maxDegrees, 0);
  const rotate: RotateOptions = { interpolation: (o.interpolation ?? "bilinear") as Interpolation, fill: checkFinite(op, "fill", o.fill ?? 0) };
  if (rotate.interpolation !== "nearest" && rotate.interpolation !== "bilinear") {
    throw new ArgumentError(`${op}: interpolation must be "nearest" or "bilinear", got ${describe(rotate.interpolation)}`);
  }
  return (x) => {
    const [b] = imageDims(op, x);
    const angles = new Float64Array(b);
    for (let n = 0; n < b; n++) angles[n] = rng.uniform(-maxDegrees, maxDegrees);
    return rotateImages(x, angles, rotate);
  };
}

/** Options for `gaussianNoise`. */
export interface GaussianNoiseOptions {
  /** The generator. Required. */
  rng: Rng;
  /** Standard deviation of the noise, finite and ≥ 0. Required. */
  std: number;
}

/**
 * Adds independent `N(0, std²)` noise to every element, for any shape: images, or tabular
 * and 2-D point data `(batch, features)`. Draws `std·randn()` once per element, row-major.
 *
 * @example
 * ```ts
 * import { gaussianNoise } from "@hone/regularize";
 * import { rng, tensor } from "@hone/tensor";
 * gaussianNoise({ rng: rng(1), std: 0.1 })(tensor([[0, 0]])).toList(); // 0.1·[1.6243…, −0.6117…]
 * ```
 */
export function gaussianNoise(options: GaussianNoiseOptions): Augmentation {
  const op = "gaussianNoise";
  const o = checkOptions(op, options, "{ rng, std }");
  const rng = checkRng(op, o.rng);
  const std = checkFinite(op, "std", o.std, 0);
  return (x) => {
    checkTensor(op, x);
    const out = like(x, x.shape);
    const src = x.data, dst = out.data;
    for (let i = 0; i < src.length; i++) dst[i] = src[i]! + std * rng.randn();
    return out;
  };
}

/**
 * Chains transforms into the `augment` function `fit` takes: each training batch's inputs go
 * through the transforms in order; labels pass unchanged. fit never calls it on the dev set
 * or during evaluation.
 *
 * @example
 * ```ts
 * import { augmentPipeline, randomFlip, randomShift } from "@hone/regularize";
 * import { rng } from "@hone/tensor";
 * const [flipRng, shiftRng] = rng(0).spawn(2);
 * const augment = augmentPipeline([randomFlip({ rng: flipRng! }), randomShift({ rng: shiftRng!, maxDx: 2, maxDy: 2 })]);
 * // fit(model, train, { ..., augment })
 * ```
 */
export function augmentPipeline(transforms: readonly Augmentation[]): AugmentFunction {
  if (!Array.isArray(transforms as unknown)) throw new ArgumentError(`augmentPipeline: transforms must be an array of functions, got ${describe(transforms)}`);
  transforms.forEach((t, i) => {
    if (typeof t !== "function") throw new ArgumentError(`augmentPipeline: transforms[${i}] must be a function (x) => Tensor, got ${describe(t)}`);
  });
  const chain = transforms.slice();
  return (batch) => {
    let x = batch.x;
    for (const t of chain) x = t(x);
    return { x, y: batch.y };
  };
}
