import { readFileSync } from "node:fs";
import { ArgumentError, DTypeError, matmul, rng, type Tensor } from "@hone/tensor";
import { describe, expect, it } from "vitest";
import {
  computeFans, constant, gain, heNormal, heUniform, lecunNormal, lecunUniform, ones, orthogonal, randomNormal,
  randomUniform, varianceScaling, xavierNormal, xavierUniform, zeros, type Initializer,
} from "./index.js";

const fixtures = JSON.parse(readFileSync(new URL("../../../fixtures/course/numpy_rng_fixtures.json", import.meta.url), "utf8")) as Record<string, Record<string, number[][]>>;

/** Draws W1, W2, … layer by layer from one generator, as the course's initialize_parameters. */
function layerByLayer(init: Initializer, dims: number[], seed: number): Tensor[] {
  const r = rng(seed);
  return dims.slice(1).map((n, l) => init([n, dims[l]!], { rng: r }));
}

describe("course fixtures (numpy seed 3, weights drawn layer by layer)", () => {
  const cases: [string, Initializer, number[]][] = [
    ["init_he_seed3_dims_2_10_5_1", heNormal, [2, 10, 5, 1]],
    ["init_random_x10_seed3_dims_2_10_5_1", randomNormal({ std: 10 }), [2, 10, 5, 1]],
    ["init_he_seed3_dims_2_5_2_1", heNormal, [2, 5, 2, 1]],
  ];
  it.each(cases)("%s is reproduced exactly", (key, init, dims) => {
    const weights = layerByLayer(init, dims, 3);
    weights.forEach((w, l) => expect(w.toArray()).toEqual(fixtures[key]![`W${l + 1}`]));
  });
});

describe("computeFans: the (out, in) layout", () => {
  it("reads fanIn from shape[1] and fanOut from shape[0]", () => {
    expect(computeFans([20, 2])).toEqual({ fanIn: 2, fanOut: 20 });
    expect(computeFans([7])).toEqual({ fanIn: 7, fanOut: 7 });
    expect(computeFans([8, 3, 5, 5])).toEqual({ fanIn: 75, fanOut: 200 });
    expect(() => computeFans([])).toThrow(ArgumentError);
  });
});

// One conformance table: every initializer once, with the mean and variance its formula promises.
const [OUT, IN] = [300, 400];
const fanIn = IN, fanOut = OUT, fanAvg = (IN + OUT) / 2;
const table: { name: string; init: Initializer; mean: number; variance: number; random: boolean; bound?: number }[] = [
  { name: "zeros", init: zeros, mean: 0, variance: 0, random: false },
  { name: "ones", init: ones, mean: 1, variance: 0, random: false },
  { name: "constant(0.25)", init: constant(0.25), mean: 0.25, variance: 0, random: false },
  { name: "randomNormal({mean: 1, std: 3})", init: randomNormal({ mean: 1, std: 3 }), mean: 1, variance: 9, random: true },
  { name: "randomUniform({low: -1, high: 3})", init: randomUniform({ low: -1, high: 3 }), mean: 1, variance: 16 / 12, random: true, bound: 3 },
  { name: "heNormal", init: heNormal, mean: 0, variance: 2 / fanIn, random: true },
  { name: "heUniform", init: heUniform, mean: 0, variance: 2 / fanIn, random: true, bound: Math.sqrt(6 / fanIn) },
  { name: "lecunNormal", init: lecunNormal, mean: 0, variance: 1 / fanIn, random: true },
  { name: "lecunUniform", init: lecunUniform, mean: 0, variance: 1 / fanIn, random: true, bound: Math.sqrt(3 / fanIn) },
  { name: "xavierNormal", init: xavierNormal, mean: 0, variance: 1 / fanAvg, random: true },
  { name: "xavierUniform", init: xavierUniform, mean: 0, variance: 1 / fanAvg, random: true, bound: Math.sqrt(3 / fanAvg) },
  { name: "varianceScaling fanOut truncatedNormal", init: varianceScaling({ scale: 2, mode: "fanOut", distribution: "truncatedNormal" }), mean: 0, variance: 2 / fanOut, random: true, bound: 2 * Math.sqrt(2 / fanOut) / 0.87962566103423978 },
  { name: "orthogonal({gain: 2})", init: orthogonal({ gain: 2 }), mean: 0, variance: 4 / IN, random: true },
];

describe.each(table)("$name", ({ init, mean, variance, random, bound }) => {
  const w = init([OUT, IN], { rng: rng(42) });
  const n = w.size;
  let m = 0;
  for (const v of w.data) m += v;
  m /= n;
  let s = 0;
  for (const v of w.data) s += (v - m) ** 2;
  s /= n;

  it("has the shape and dtype asked for", () => {
    expect(w.shape).toEqual([OUT, IN]);
    expect(w.dtype).toBe("float64");
    expect(init([2, 3], { rng: rng(1), dtype: "float32" }).dtype).toBe("float32");
  });

  it("matches the formula's mean and variance within 5 standard errors", () => {
    // SE of the mean is σ/√n; SE of the variance is about σ²·√(2/n) (less for uniform).
    const seMean = Math.sqrt(variance / n), seVar = variance * Math.sqrt(2 / n);
    if (variance === 0) {
      expect(m).toBe(mean);
      expect(s).toBe(0);
    } else {
      expect(Math.abs(m - mean)).toBeLessThan(5 * seMean);
      expect(Math.abs(s - variance)).toBeLessThan(5 * seVar);
    }
  });

  it("stays within its bound", () => {
    if (bound === undefined) return;
    let worst = 0;
    for (const v of w.data) worst = Math.max(worst, Math.abs(v - mean));
    expect(worst).toBeLessThanOrEqual(mean === 1 ? 2 : bound);
  });

  it("is deterministic for a seed and draws only when random", () => {
    expect(init([4, 5], { rng: rng(7) }).toArray()).toEqual(init([4, 5], { rng: rng(7) }).toArray());
    if (random) {
      expect(init([4, 5], { rng: rng(7) }).toArray()).not.toEqual(init([4, 5], { rng: rng(8) }).toArray());
      expect(() => init([2, 2])).toThrow(/needs context.rng/);
    } else {
      const r = rng(7), before = r.clone();
      init([4, 5], { rng: r });
      expect(r.random()).toBe(before.random());
    }
  });
});

describe("orthogonal", () => {
  it.each([[5, 5], [3, 8], [8, 3]])("shape [%i, %i] is (semi-)orthogonal to 1e-12", (rows, cols) => {
    const w = orthogonal({ gain: 1.5 })([rows, cols], { rng: rng(3) });
    const product = rows <= cols ? matmul(w, w, { transposeB: true }) : matmul(w, w, { transposeA: true });
    const k = Math.min(rows, cols);
    const p = product.toArray() as number[][];
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) expect(Math.abs(p[i]![j]! - (i === j ? 2.25 : 0))).toBeLessThan(1e-12);
  });
});

describe("the truncated normal keeps its promised variance", () => {
  it("variance 1/fanIn on a large draw, and no value beyond 2·std/0.8796", () => {
    const init = varianceScaling({ scale: 1, distribution: "truncatedNormal" });
    const w = init([1000, 100], { rng: rng(5) });
    let s = 0;
    for (const v of w.data) s += v * v;
    s /= w.size;
    expect(Math.abs(s - 0.01)).toBeLessThan(5 * 0.01 * Math.sqrt(2 / w.size));
  });
});

describe("gain", () => {
  it("gives the documented table", () => {
    expect(gain("linear")).toBe(1);
    expect(gain("sigmoid")).toBe(1);
    expect(gain("tanh")).toBe(5 / 3);
    expect(gain("relu")).toBe(Math.SQRT2);
    expect(gain("leakyRelu", 0.2)).toBe(Math.sqrt(2 / 1.04));
    expect(gain("selu")).toBe(0.75);
  });
});

describe("bad arguments", () => {
  it.each([
    [() => varianceScaling({ scale: 0 }), "varianceScaling: scale must be a finite number > 0, got 0"],
    [() => varianceScaling({ mode: "fanMiddle" as never }), 'varianceScaling: mode must be "fanIn", "fanOut" or "fanAvg", got "fanMiddle"'],
    [() => varianceScaling({ distribution: "cauchy" as never }), 'varianceScaling: distribution must be "normal", "truncatedNormal" or "uniform", got "cauchy"'],
    [() => randomNormal({ std: -1 }), "randomNormal: std must be a finite number ≥ 0, got -1"],
    [() => randomUniform({ low: 1, high: 1 }), "randomUniform: need finite low < high, got low=1, high=1"],
    [() => heNormal([3, 0], { rng: rng(0) }), "heNormal: the fanIn of shape [3,0] is 0; it must be > 0"],
    [() => xavierUniform([2, 2], { rng: rng(0), fanIn: -4 }), "xavierUniform: the fanAvg of shape [2,2] is -1; it must be > 0"],
    [() => lecunNormal([2, 2]), "lecunNormal: a random initializer needs context.rng (an Rng from rng(seed)), got undefined"],
    [() => gain("swish" as never), 'gain: activation must be one of linear, identity, sigmoid, tanh, relu, leakyRelu, selu, got "swish"'],
    [() => constant(Number.NaN), "constant: value must be a finite number, got NaN"],
  ])("%#", (fn, message) => {
    expect(fn).toThrow(ArgumentError);
    expect(fn).toThrow(message);
  });
});

describe("dtype", () => {
  it("float32 holds the float64 draws rounded, and an unknown dtype is refused", () => {
    const w64 = heNormal([10, 2], { rng: rng(3) });
    const w32 = heNormal([10, 2], { rng: rng(3), dtype: "float32" });
    expect(w32.data).toBeInstanceOf(Float32Array);
    expect(Array.from(w32.data)).toEqual(Array.from(w64.data, Math.fround));
    expect(() => heNormal([2, 2], { rng: rng(0), dtype: "int8" as never })).toThrow(DTypeError);
    expect(() => zeros([2], { dtype: "float16" as never })).toThrow('zeros: context.dtype must be "float64" or "float32", got "float16"');
  });
});

describe("lecunNormal and the course's randn / √n_prev (Regularization notebook)", () => {
  it("agrees to 2 ulp; the product and the quotient differ in the last bit of some values", () => {
    const course = fixtures.init_reg_randn_div_sqrt_nprev_seed3_dims_2_20_3_1!;
    const weights = layerByLayer(lecunNormal, [2, 20, 3, 1], 3);
    let differ = 0, total = 0;
    weights.forEach((w, l) => {
      const expected = course[`W${l + 1}`]!.flat();
      expected.forEach((e, i) => {
        total++;
        if (w.data[i] !== e) differ++;
        expect(Math.abs(w.data[i]! - e)).toBeLessThanOrEqual(2 * Math.abs(e) * Number.EPSILON);
      });
    });
    expect(total).toBe(103);
    expect(differ).toBe(46); // numpy: (randn(n, m) / np.sqrt(m) != randn(n, m) * np.sqrt(1 / m)).sum()
  });
});
