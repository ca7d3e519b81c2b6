// The built-in digits: 1,797 handwritten digits of 8×8 pixels (the UCI "Optical Recognition
// of Handwritten Digits" test set, the copy scikit-learn ships as load_digits), decoded
// from the text in digits-data.ts when first asked for.
import { ArgumentError, Tensor, describe, type DType } from "@hone/tensor";
import { DIGITS_TEXT } from "./digits-data.js";

/** Where the digits come from and their licence: ship this line with anything built on them. */
export const DIGITS_ATTRIBUTION: string =
  'E. Alpaydin and C. Kaynak (1998), "Optical Recognition of Handwritten Digits", UCI Machine Learning Repository, ' +
  "https://doi.org/10.24432/C50P49, licensed CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/); " +
  "the 1,797-image test set as bundled by scikit-learn (load_digits).";

/** A set of labelled images. */
export interface ImageDataset {
  /** Images, shape `(m, height, width, channels)` (NHWC). */
  readonly x: Tensor;
  /** Class labels 0..k−1 as float64, shape `(m,)`. */
  readonly y: Tensor;
  /** Class names by label (`"0"` … `"9"` for the digits). */
  readonly classes: readonly string[];
  /** The source and licence of the data. */
  readonly attribution: string;
}

/** Options of {@link loadDigits}. */
export interface DigitsOptions {
  /**
   * `"counts"`: each pixel is the number of inked cells (0..16) of its 4×4 block, as UCI and
   * scikit-learn give them; `"unit"`: the counts divided by 16, in [0, 1]. Default `"counts"`.
   */
  readonly range?: "counts" | "unit";
  /** Element type of `x`. Default `"float64"`. */
  readonly dtype?: DType;
}

const COUNT = 1797, SIDE = 8, PIXELS = SIDE * SIDE;

let decoded: { pixels: Uint8Array; labels: Uint8Array } | undefined;

function decode(): { pixels: Uint8Array; labels: Uint8Array } {
  if (decoded !== undefined) return decoded;
  const pixels = new Uint8Array(COUNT * PIXELS), labels = new Uint8Array(COUNT);
  const lines = DIGITS_TEXT.trim().split("\n");
  if (lines.length !== COUNT) throw new Error(`digits: the embedded data has ${lines.length} images, expected ${COUNT}`);
  for (let i = 0; i < COUNT; i++) {
    const line = lines[i]!;
    labels[i] = line.charCodeAt(0) - 48;
    for (let p = 0; p < PIXELS; p++) pixels[i * PIXELS + p] = line.charCodeAt(2 + p) - 97;
  }
  return (decoded = { pixels, labels });
}

/**
 * The 8×8 handwritten digits: 1,797 images `(1797, 8, 8, 1)` of 10 classes, in
 * scikit-learn's order (it is not shuffled: split it with a seed). The data is the UCI
 * "Optical Recognition of Handwritten Digits" test set, CC BY 4.0 (see
 * {@link DIGITS_ATTRIBUTION}). Every call returns new tensors; nothing is random.
 *
 * @example
 * ```ts
 * import { loadDigits } from "@hone/data-split";
 * const { x, y, classes } = loadDigits({ range: "unit" });
 * x.shape;        // [1797, 8, 8, 1]
 * y.shape;        // [1797]
 * classes.length; // 10
 * ```
 */
export function loadDigits(options: DigitsOptions = {}): ImageDataset {
  const range = options.range ?? "counts";
  if (range !== "counts" && range !== "unit") throw new ArgumentError(`loadDigits: range must be "counts" or "unit", got ${describe(range)}`);
  const dtype = options.dtype ?? "float64";
  if (dtype !== "float64" && dtype !== "float32") throw new ArgumentError(`loadDigits: dtype must be "float64" or "float32", got ${describe(dtype)}`);
  const { pixels, labels } = decode();
  const data = dtype === "float32" ? new Float32Array(pixels.length) : new Float64Array(pixels.length);
  const scale = range === "unit" ? 1 / 16 : 1;
  for (let i = 0; i < pixels.length; i++) data[i] = pixels[i]! * scale;
  return {
    x: new Tensor(data, [COUNT, SIDE, SIDE, 1]),
    y: new Tensor(Float64Array.from(labels), [COUNT]),
    classes: Array.from({ length: 10 }, (_, k) => String(k)),
    attribution: DIGITS_ATTRIBUTION,
  };
}
