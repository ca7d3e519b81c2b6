import { describe, expect, it } from "vitest";
import { differenceInterval, normalCdf, normalQuantile, wilsonInterval } from "./index.js";

describe("normalCdf and normalQuantile", () => {
  // Reference values: scipy.stats.norm.cdf / norm.ppf (SciPy 1.10).
  it.each([
    [0, 0.5], [-1.96, 0.024997895148220435], [-3, 0.0013498980316300933], [-3.5, 0.00023262907903552502],
    [-5, 2.866515718791933e-7], [-9, 1.1285884059538324e-19], [-20, 2.7536241186061556e-89], [1, 0.8413447460685429], [4, 0.9999683287581669],
  ])("Φ(%f) = %f (relative 1e-12)", (x, p) => {
    expect(Math.abs(normalCdf(x) - p) / p).toBeLessThan(1e-12);
  });

  it.each([
    [0.975, 1.959963984540054], [0.5, 0], [1e-10, -6.361340902404056], [0.01, -2.3263478740408408], [0.3, -0.5244005127080409],
  ])("Φ⁻¹(%f) = %f (1e-12)", (p, x) => {
    expect(normalQuantile(p)).toBeCloseTo(x, 12);
  });

  it("refuses p outside (0, 1)", () => {
    expect(() => normalQuantile(1)).toThrow(/normalQuantile: p must be in \(0, 1\), got 1/);
  });
});

describe("wilsonInterval", () => {
  // Reference values: scipy.stats.binomtest(k, n).proportion_ci(method="wilson").
  it.each([
    [6, 200, 0.013820314340111339, 0.06389429245451923],
    [56, 70, 0.6918335550374693, 0.8769526075163704],
    [3, 10, 0.10779126740630102, 0.6032218525388546],
  ])("%i of %i → [%f, %f] (1e-12)", (k, n, low, high) => {
    const w = wilsonInterval(k, n);
    expect(w.value).toBe(k / n);
    expect(w.n).toBe(n);
    expect(w.low).toBeCloseTo(low, 12);
    expect(w.high).toBeCloseTo(high, 12);
  });

  it("at 0 and n errors the ends are the closed forms z²/(n + z²) and n/(n + z²)", () => {
    const z2 = 1.959963984540054 ** 2;
    expect(wilsonInterval(0, 30)).toEqual({ value: 0, low: 0, high: expect.closeTo(z2 / (30 + z2), 14) as number, n: 30 });
    expect(wilsonInterval(30, 30).low).toBeCloseTo(30 / (30 + z2), 14);
    expect(wilsonInterval(30, 30).high).toBe(1);
  });

  it("narrows with confidence", () => {
    const w90 = wilsonInterval(6, 200, 0.9), w95 = wilsonInterval(6, 200);
    expect(w90.low).toBeGreaterThan(w95.low);
    expect(w90.high).toBeLessThan(w95.high);
  });

  it("validates its arguments", () => {
    expect(() => wilsonInterval(3, 0)).toThrow(/n must be a positive integer \(the number of examples\), got 0/);
    expect(() => wilsonInterval(5, 4)).toThrow(/errors must be a number in \[0, n = 4\], got 5/);
    expect(() => wilsonInterval(1, 4, 95)).toThrow(/confidence must be in \(0, 1\), got 95/);
  });
});

describe("differenceInterval", () => {
  // Newcombe, Stat. Med. 17 (1998) 873–890, Table II, method 10 (score, no continuity correction).
  it.each([
    [56, 70, 48, 80, 0.0524, 0.3339],
    [9, 10, 3, 10, 0.1705, 0.809],
  ])("%i/%i − %i/%i → [%f, %f] (Newcombe's published 4 digits)", (a, m, b, n, low, high) => {
    const d = differenceInterval(wilsonInterval(a, m), wilsonInterval(b, n));
    expect(d.value).toBeCloseTo(a / m - b / n, 14);
    expect(Math.abs(d.low - low)).toBeLessThan(5e-5);
    expect(Math.abs(d.high - high)).toBeLessThan(5e-5);
  });

  it("an exact value adds no width", () => {
    const w = wilsonInterval(6, 200);
    const d = differenceInterval(w, { value: 0.01, low: 0.01, high: 0.01 });
    expect(d.low).toBeCloseTo(w.low - 0.01, 15);
    expect(d.high).toBeCloseTo(w.high - 0.01, 15);
  });
});
