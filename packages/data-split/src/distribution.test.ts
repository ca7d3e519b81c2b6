import { Tensor, rng, tensor } from "@hone/tensor";
import { describe, expect, it } from "vitest";
import { applySplit, checkSplit, compareDistributions, kolmogorovQ, ksTest, trainDevTestSplit } from "./index.js";

describe("kolmogorovQ", () => {
  it("matches the Kolmogorov distribution's critical values", () => {
    // scipy.special.kolmogorov: Q(1.36) = 0.049485876755377876 (the 5% point 1.358),
    // Q(1.63) = 0.009846364888486529 (the 1% point 1.628).
    expect(kolmogorovQ(1.36)).toBeCloseTo(0.049485876755377876, 14);
    expect(kolmogorovQ(1.63)).toBeCloseTo(0.009846364888486529, 14);
    expect(kolmogorovQ(1.36)).toBeCloseTo(0.0494, 3);
    expect(kolmogorovQ(1.63)).toBeCloseTo(0.0098, 4);
  });

  it("agrees with scipy in the small-λ branch and with the plain series at the switch", () => {
    // scipy.special.kolmogorov(0.3) = 0.9999906941986655, (0.8) = 0.5441424115741981, (1.18) = 0.1234538094297657
    expect(kolmogorovQ(0.3)).toBeCloseTo(0.9999906941986655, 14);
    expect(kolmogorovQ(0.8)).toBeCloseTo(0.5441424115741981, 14);
    expect(kolmogorovQ(1.18)).toBeCloseTo(0.1234538094297657, 14);
    // The alternating series summed directly (many terms) at λ = 0.8, independent of either branch.
    let series = 0;
    for (let j = 1; j <= 200; j++) series += 2 * (-1) ** (j - 1) * Math.exp(-2 * j * j * 0.8 * 0.8);
    expect(kolmogorovQ(0.8)).toBeCloseTo(series, 13);
    expect(Math.abs(kolmogorovQ(1.18 - 1e-12) - kolmogorovQ(1.18))).toBeLessThan(1e-12);
    expect(kolmogorovQ(0)).toBe(1);
    expect(kolmogorovQ(10)).toBeLessThan(1e-80);
    expect(() => kolmogorovQ(-1)).toThrow(/lambda must be a number ≥ 0, got -1/);
  });
});

describe("ksTest", () => {
  it("computes D by hand and the Numerical Recipes p-value", () => {
    // a = 1..5, b = 3.5, 6, 7: after 5, F_a = 5/5 and F_b = 1/3, so D = 2/3.
    const r = ksTest([5, 1, 3, 2, 4], [7, 3.5, 6]);
    expect(r.statistic).toBeCloseTo(2 / 3, 15);
    // n_e = 5·3/8; λ = (√n_e + 0.12 + 0.11/√n_e)·D = 1.046426023686893; scipy kolmogorov(λ) = 0.22351642912891242.
    expect(r.pValue).toBeCloseTo(0.22351642912891242, 13);
  });

  it("handles ties by stepping both samples past equal values", () => {
    // a = {1, 1, 2}, b = {1, 2, 2}: after 1, F_a = 2/3, F_b = 1/3; after 2 both 1. D = 1/3.
    expect(ksTest([1, 1, 2], [1, 2, 2]).statistic).toBeCloseTo(1 / 3, 15);
    expect(ksTest([1, 2, 3], [1, 2, 3]).statistic).toBe(0);
    expect(ksTest([1, 2], [3, 4]).statistic).toBe(1);
    expect(() => ksTest([], [1])).toThrow(/a is empty/);
    expect(() => ksTest([1, NaN], [1])).toThrow(/a\[1\] must be a number, got NaN/);
  });
});

describe("compareDistributions", () => {
  it("finds the shifted feature and only that one", () => {
    const g = rng(0);
    const n = 400;
    const a = tensor(g.randnArray(3 * n), { shape: [n, 3] });
    const bData = g.randnArray(3 * n);
    for (let i = 0; i < n; i++) bData[3 * i + 1] = bData[3 * i + 1]! + 1; // shift feature 1 by one σ
    const b = tensor(bData, { shape: [n, 3] });
    const c = compareDistributions(a, b, { featureNames: ["age", "income", "height"] });
    expect(c.verdict).toBe("different");
    expect(c.level).toBeCloseTo(0.01 / 3, 15);
    expect(c.differentFeatures.map((f) => f.name)).toEqual(["income"]);
    // A one-σ shift of a normal moves the CDFs apart by up to 2Φ(0.5) − 1 = 0.383.
    expect(c.features[1]!.statistic).toBeGreaterThan(0.3);
    expect(c.features[1]!.statistic).toBeLessThan(0.46);
    const same = compareDistributions(a, tensor(g.randnArray(3 * n), { shape: [n, 3] }));
    expect(same.verdict).toBe("same");
  });

  it("rejects mismatched rows and bad options", () => {
    expect(() => compareDistributions(tensor([[1, 2]]), tensor([[1]]))).toThrow(/a has rows of shape \[2\] but b has \[1\]/);
    expect(() => compareDistributions(tensor([[1]]), tensor([[1]]), { alpha: 2 })).toThrow(/alpha must be in \(0, 1\), got 2/);
    expect(() => compareDistributions(tensor([[1]]), tensor([[1]]), { featureNames: ["a", "b"] })).toThrow(/featureNames must be 1 names/);
  });
});

describe("checkSplit", () => {
  it("passes a random split", () => {
    const g = rng(3);
    const m = 1500;
    const x = tensor(g.randnArray(2 * m), { shape: [m, 2] });
    const y = tensor(Array.from({ length: m }, (_, i) => i % 2));
    const report = checkSplit(trainDevTestSplit(x, y, { rng: g }));
    expect(report.ok).toBe(true);
    expect(report.findings).toEqual([]);
    expect(report.devVsTest.features.map((f) => f.name)).toEqual(["x[0]", "x[1]", "y"]);
  });

  it("flags dev ≠ test as an error and train ≠ dev/test as a warning", () => {
    const g = rng(4);
    const m = 900;
    // Rows sorted by feature 0, split without shuffling: train low, dev middle, test high.
    const values = Array.from(g.randnArray(m)).sort((p, q) => p - q);
    const x = new Tensor(Float64Array.from(values), [m, 1]);
    const y = tensor(new Float64Array(m));
    const report = checkSplit(trainDevTestSplit(x, y, { shuffle: false }));
    expect(report.ok).toBe(false);
    expect(report.findings.map((f) => [f.level, f.between])).toEqual([["error", "dev/test"], ["warning", "train/dev+test"]]);
    expect(report.findings[0]!.features.map((f) => f.name)).toEqual(["x[0]"]);
    expect(report.findings[0]!.message).toMatch(/dev and test come from different distributions in x\[0\] \(D = 1\.00/);
    expect(report.findings[1]!.message).toMatch(/fine when deliberate .* watch for data mismatch/);
  });

  it("warns only when train alone differs (deliberate extra training data)", () => {
    const g = rng(5);
    const train = Array.from(g.randnArray(600), (v) => v + 3); // another source
    const held = Array.from(g.randnArray(400));
    const x = new Tensor(Float64Array.from([...train, ...held]), [1000, 1]);
    const y = tensor(new Float64Array(1000));
    const ids = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);
    const report = checkSplit(applySplit(x, y, { train: ids(0, 600), dev: ids(600, 800), test: ids(800, 1000) }));
    expect(report.ok).toBe(true);
    expect(report.findings.map((f) => f.level)).toEqual(["warning"]);
  });
});
