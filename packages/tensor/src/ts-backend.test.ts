// The TypeScript backend's matrix product against a plain triple loop: every path (small
// loops, packed panels with partial tiles, the four transpose flags, batches) must give
// the bits of one float64 running sum over p = 0…k−1, rounded once to the output type.
import { describe, expect, it } from "vitest";
import { reference, values } from "./test-matmul.js";
import { tsBackend } from "./ts-backend.js";

// Operands of up to 32,768 values are read in place; the last two shapes are packed, the
// last one in three row blocks (the third partial) with a partial column panel.
const shapes: [number, number, number][] = [
  [1, 1, 1], [2, 3, 4], [3, 1, 5], [4, 4, 3], [5, 7, 4], [8, 16, 9], [17, 13, 11], [16, 64, 16], [33, 20, 35], [64, 40, 10],
  [7, 300, 5], [50, 2, 50], [3, 211, 20], [20, 211, 2], [97, 200, 101], [170, 400, 50],
];

describe("tsBackend.matmul", () => {
  for (const [m, k, n] of shapes) {
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        it(`float64 ${m}×${k}·${k}×${n}${transA ? " aᵀ" : ""}${transB ? " bᵀ" : ""} equals the in-order float64 sum bit for bit`, () => {
          const a = values(m * k, m * 31 + k), b = values(k * n, n * 17 + k);
          const out = new Float64Array(m * n).fill(NaN);
          tsBackend.matmul(a, b, out, 1, m, k, n, transA, transB, 0, 0);
          expect(Array.from(out)).toEqual(Array.from(reference(a, b, m, k, n, transA, transB)));
        });
      }
    }
  }

  it("float32 outputs are the float64 sum of the float32 inputs rounded once", () => {
    for (const [m, k, n] of [[5, 9, 7], [33, 70, 12], [90, 300, 40]] as const) {
      for (const transA of [false, true]) {
        for (const transB of [false, true]) {
          const a = Float32Array.from(values(m * k, 3)), b = Float32Array.from(values(k * n, 4));
          const out = new Float32Array(m * n);
          tsBackend.matmul(a, b, out, 1, m, k, n, transA, transB, 0, 0);
          expect(Array.from(out)).toEqual(Array.from(Float32Array.from(reference(a, b, m, k, n, transA, transB))));
        }
      }
    }
  });

  it("batches with their own matrices and with a shared (stride 0) operand", () => {
    const [m, k, n, batch] = [9, 12, 10, 3];
    const a = values(batch * m * k, 5), b = values(k * n, 6);
    const out = new Float64Array(batch * m * n);
    tsBackend.matmul(a, b, out, batch, m, k, n, false, false, m * k, 0);
    for (let t = 0; t < batch; t++) {
      const ref = reference(a.subarray(t * m * k, (t + 1) * m * k), b, m, k, n, false, false);
      expect(Array.from(out.subarray(t * m * n, (t + 1) * m * n))).toEqual(Array.from(ref));
    }
  });

  it.each([[12, 20, 9], [120, 200, 90]])("%i×%i·%i×… propagates NaN and 0·∞ (in-place and packed paths)", (m, k, n) => {
    const a = values(m * k, 7), b = values(k * n, 8);
    a[3 * k + 5] = 0;
    b[5 * n + 4] = Infinity; // row 3, column 4: 0·∞ → NaN
    a[7 * k + 1] = NaN; // all of row 7
    const out = new Float64Array(m * n);
    tsBackend.matmul(a, b, out, 1, m, k, n, false, false, 0, 0);
    const ref = reference(a, b, m, k, n, false, false);
    expect(Number.isNaN(out[3 * n + 4]!)).toBe(true);
    for (let j = 0; j < n; j++) expect(Number.isNaN(out[7 * n + j]!)).toBe(true);
    expect(Array.from(out)).toEqual(Array.from(ref));
  });
});

/** Row-major multi-index of flat position `i` in `shape`. */
function unravel(i: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    idx[d] = i % shape[d]!;
    i = Math.floor(i / shape[d]!);
  }
  return idx;
}

describe("tsBackend.binary with one operand repeated along leading axes", () => {
  const cases: [number[], number[]][] = [[[4, 5], [5]], [[4, 5], [1, 5]], [[2, 3, 4], [3, 4]], [[2, 3, 4], [1, 1, 4]], [[3, 4], [2, 3, 4]], [[5], [4, 5]], [[2, 3, 4], [4]]];
  for (const [aShape, bShape] of cases) {
    it(`[${aShape.join(",")}] with [${bShape.join(",")}] matches NumPy broadcasting element by element`, () => {
      const outShape = aShape.length >= bShape.length ? aShape : bShape;
      const size = outShape.reduce((x, y) => x * y, 1);
      const a = values(aShape.reduce((x, y) => x * y, 1), 11), b = values(bShape.reduce((x, y) => x * y, 1), 12);
      const at = (data: Float64Array, shape: number[], idx: number[]): number => {
        let off = 0;
        for (let d = 0; d < shape.length; d++) off = off * shape[d]! + (shape[d] === 1 ? 0 : idx[idx.length - shape.length + d]!);
        return data[off]!;
      };
      for (const op of ["sub", "div"] as const) {
        const out = new Float64Array(size);
        tsBackend.binary(op, a, aShape, b, bShape, out, outShape);
        for (let i = 0; i < size; i++) {
          const idx = unravel(i, outShape);
          const x = at(a, aShape, idx), y = at(b, bShape, idx);
          expect(out[i]).toBe(op === "sub" ? x - y : x / y);
        }
      }
    });
  }
});

describe("tsBackend.reduce", () => {
  const cases: [number[], number[]][] = [[[5, 7], [0]], [[5, 7], [1]], [[5, 7], [0, 1]], [[3, 4, 5], [0]], [[3, 4, 5], [0, 1]], [[3, 4, 5], [2]], [[3, 4, 5], [1, 2]], [[3, 4, 5], [0, 2]], [[3, 4, 5], [0, 1, 2]], [[6], [0]], [[3, 4], []]];
  for (const [shape, axes] of cases) {
    it(`sum, max and min of [${shape.join(",")}] over axes [${axes.join(",")}] visit elements in row-major order`, () => {
      const size = shape.reduce((x, y) => x * y, 1);
      const a = values(size, 13);
      a[size - 2] = 7; // a repeated maximum candidate
      const outShape = shape.map((d, i) => (axes.includes(i) ? 1 : d));
      const outSize = outShape.reduce((x, y) => x * y, 1);
      const outIndex = (idx: number[]): number => idx.reduce((off, v, d) => off * outShape[d]! + (axes.includes(d) ? 0 : v), 0);
      for (const op of ["sum", "max", "min"] as const) {
        const ref = new Float64Array(outSize).fill(op === "sum" ? 0 : op === "max" ? -Infinity : Infinity);
        for (let i = 0; i < size; i++) {
          const o = outIndex(unravel(i, shape));
          ref[o] = op === "sum" ? ref[o]! + a[i]! : op === "max" ? Math.max(ref[o]!, a[i]!) : Math.min(ref[o]!, a[i]!);
        }
        const out = new Float64Array(outSize);
        tsBackend.reduce(op, a, shape, axes, out);
        expect(Array.from(out)).toEqual(Array.from(ref));
      }
    });
  }

  it("max propagates NaN on every path", () => {
    const a = Float64Array.from([1, NaN, 3, 4, 5, 6]);
    for (const [shape, axes, expected] of [[[6], [0], [NaN]], [[2, 3], [1], [NaN, 6]], [[2, 3], [0], [4, NaN, 6]], [[2, 3], [0, 1], [NaN]]] as const) {
      const out = new Float64Array(expected.length);
      tsBackend.reduce("max", a, shape, axes, out);
      expect(Array.from(out)).toEqual(expected);
    }
  });
});

describe("tsBackend fused activation gradients", () => {
  const g = Float64Array.from([1.5, -2, 0.25, NaN, Infinity, -3, 7, 0.1]);
  const x = Float64Array.from([0.3, -0.2, 0, 1, -1, 2, NaN, 1e-9]);
  const run = (op: "reluBackward" | "sigmoidBackward" | "tanhBackward", a: Float64Array | Float32Array, b: Float64Array | Float32Array, out: Float64Array | Float32Array): number[] => {
    tsBackend.binary(op, a, [a.length], b, [b.length], out, [out.length]);
    return Array.from(out);
  };

  it("reluBackward is g·[x > 0], as the product with the 0/1 mask gives (NaN·0 is NaN, −3·0 is −0)", () => {
    expect(run("reluBackward", g, x, new Float64Array(8))).toEqual(Array.from(g, (v, i) => v * (x[i]! > 0 ? 1 : 0)));
  });

  it("sigmoidBackward is g·(y·(1 − y)) and tanhBackward g·(1 − y²), rounded like the unfused float32 ops", () => {
    const y = Float64Array.from([0.2, 0.5, 0.9, 0.01, 0.3, 0.7, 0.99, 0.6]);
    expect(run("sigmoidBackward", g, y, new Float64Array(8))).toEqual(Array.from(g, (v, i) => v * (y[i]! * (1 - y[i]!))));
    expect(run("tanhBackward", g, y, new Float64Array(8))).toEqual(Array.from(g, (v, i) => v * (1 - y[i]! * y[i]!)));
    const g32 = Float32Array.from(g), y32 = Float32Array.from(y), f = Math.fround;
    expect(run("sigmoidBackward", g32, y32, new Float32Array(8))).toEqual(Array.from(g32, (v, i) => f(v * f(y32[i]! * f(1 - y32[i]!)))));
    expect(run("tanhBackward", g32, y32, new Float32Array(8))).toEqual(Array.from(g32, (v, i) => f(v * f(1 - f(y32[i]! * y32[i]!)))));
  });
});
