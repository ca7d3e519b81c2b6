// The built-in digits against numbers scikit-learn 1.2.1 gives for load_digits(), computed
// by scripts/make-digits.py from scikit-learn's arrays (not from the encoded text):
// np.bincount(target), the pixel sums, and a few pixels.
import { ArgumentError } from "@hone/tensor";
import { describe, expect, it } from "vitest";
import { DIGITS_ATTRIBUTION, loadDigits } from "./index.js";

describe("loadDigits", () => {
  const { x, y, classes, attribution } = loadDigits();

  it("has 1,797 images of 8×8×1 and ten classes", () => {
    expect(x.shape).toEqual([1797, 8, 8, 1]);
    expect(x.dtype).toBe("float64");
    expect(y.shape).toEqual([1797]);
    expect(classes).toEqual(["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]);
  });

  it("has scikit-learn's class counts", () => {
    const counts = new Array<number>(10).fill(0);
    for (const v of y.data) counts[v]!++;
    expect(counts).toEqual([178, 182, 177, 183, 181, 182, 181, 179, 174, 180]);
  });

  it("has scikit-learn's pixels: sums per class and a few values", () => {
    const sums = new Array<number>(10).fill(0);
    let total = 0, min = Infinity, max = -Infinity;
    for (let i = 0; i < 1797; i++) {
      for (let p = 0; p < 64; p++) {
        const v = x.data[i * 64 + p]!;
        sums[y.data[i]!]! += v;
        total += v;
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
    }
    expect(total).toBe(561718);
    expect(sums).toEqual([56415, 57007, 55566, 56151, 56239, 55915, 56336, 54289, 57408, 56392]);
    expect([min, max]).toEqual([0, 16]);
    const row = (i: number, r: number): number[] => Array.from(x.data.subarray(i * 64 + r * 8, i * 64 + r * 8 + 8));
    expect([y.data[0], row(0, 0)]).toEqual([0, [0, 0, 5, 13, 9, 1, 0, 0]]);
    expect([y.data[1796], row(1796, 4)]).toEqual([8, [0, 0, 12, 15, 15, 12, 0, 0]]);
    expect([y.data[1000], x.data[1000 * 64 + 3 * 8 + 5]]).toEqual([1, 1]);
  });

  it("scales to [0, 1] and casts on request; returns new tensors each call", () => {
    const unit = loadDigits({ range: "unit", dtype: "float32" });
    expect(unit.x.dtype).toBe("float32");
    expect(Array.from(unit.x.data.subarray(0, 8))).toEqual([0, 0, 5 / 16, 13 / 16, 9 / 16, 1 / 16, 0, 0]);
    expect(loadDigits().x.data).not.toBe(x.data);
  });

  it("carries its attribution (UCI, CC BY 4.0)", () => {
    expect(attribution).toBe(DIGITS_ATTRIBUTION);
    expect(attribution).toMatch(/Optical Recognition of Handwritten Digits.*UCI.*CC BY 4\.0/);
  });

  it("refuses bad options, naming them", () => {
    expect(() => loadDigits({ range: "bytes" as "unit" })).toThrow(ArgumentError);
    expect(() => loadDigits({ range: "bytes" as "unit" })).toThrow(/loadDigits: range must be "counts" or "unit", got "bytes"/);
    expect(() => loadDigits({ dtype: "int8" as "float32" })).toThrow(/loadDigits: dtype must be "float64" or "float32", got "int8"/);
  });
});
