import { describe, expect, it } from "vitest";
import { Tensor, rng } from "@hone/tensor";
import { estimateNoiseVariance } from "./noise-variance.js";

/** n rows of f(x) + N(0, σ²), x uniform in [0, 1]^d, seeded. */
function sample(n: number, d: number, f: (x: number[]) => number, sigma: number, seed: number): { x: Tensor; y: Tensor } {
  const g = rng(seed);
  const u = g.rand(n * d);
  const e = g.randnArray(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) y[i] = f(Array.from(u.subarray(i * d, (i + 1) * d))) + sigma * e[i]!;
  return { x: new Tensor(Float64Array.from(u), [n, d]), y: new Tensor(y, [n]) };
}

describe("estimateNoiseVariance", () => {
  // With n = 2000 the mean of the half squared differences has a relative standard error of
  // about √(2/n)·√(1 + correlation) ≈ 4%; the tolerances below are about 3 of them.
  it("recovers a known noise variance around a smooth 1-D function (σ = 0.1 and 0.5)", () => {
    for (const sigma of [0.1, 0.5]) {
      const { x, y } = sample(2000, 1, ([v]) => Math.sin(6 * v!), sigma, 1);
      const e = estimateNoiseVariance(x, y);
      expect(Math.abs(e.variance / sigma ** 2 - 1)).toBeLessThan(0.12);
      expect(e.reliable).toBe(true);
    }
  });

  it("recovers the noise of a linear function of 5 features", () => {
    const { x, y } = sample(3000, 5, (v) => v.reduce((s, t, j) => s + (j + 1) * t, 0), 0.3, 2);
    const e = estimateNoiseVariance(x, y);
    expect(Math.abs(e.variance / 0.09 - 1)).toBeLessThan(0.15);
  });

  it("reads pure noise as all of the target's variance, and a noiseless function as none", () => {
    const noise = sample(2000, 2, () => 0, 1, 3);
    expect(Math.abs(estimateNoiseVariance(noise.x, noise.y).fractionOfVariance - 1)).toBeLessThan(0.12);
    const clean = sample(2000, 1, ([v]) => Math.sin(6 * v!), 0, 4);
    const e = estimateNoiseVariance(clean.x, clean.y);
    expect(e.variance).toBeLessThan(1e-4);
    expect(e.oneNN).toBeLessThan(1e-4);
  });

  it("samples query rows with the rng when there are more than maxQueries, deterministically", () => {
    const { x, y } = sample(3000, 1, ([v]) => v!, 0.2, 5);
    const a = estimateNoiseVariance(x, y, { maxQueries: 500, rng: 7 });
    const b = estimateNoiseVariance(x, y, { maxQueries: 500, rng: 7 });
    expect(a.rows).toBe(500);
    expect(a.variance).toBe(b.variance);
    expect(() => estimateNoiseVariance(x, y, { maxQueries: 500 })).toThrow(/rng/);
  });

  it("flags too few rows for the dimension and validates its input", () => {
    const { x, y } = sample(200, 8, (v) => v[0]!, 0.1, 6);
    const e = estimateNoiseVariance(x, y);
    expect(e.reliable).toBe(false);
    expect(e.notes.join(" ")).toMatch(/200 rows for 8 features/);
    expect(() => estimateNoiseVariance(x, y, { neighbours: 0 })).toThrow(/neighbours must be a positive integer/);
    expect(() => estimateNoiseVariance(new Tensor(new Float64Array(4), [4, 1]), new Tensor(new Float64Array(4), [4]))).toThrow(/at least neighbours \+ 2/);
  });
});
