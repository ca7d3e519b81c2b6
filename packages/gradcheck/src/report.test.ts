import { customOp, mul, sum, tensor } from "@hone/tensor";
import { describe, expect, test } from "vitest";
import { gradcheck } from "./gradcheck.js";
import { buildReport, defaultThresholds, formatReport, unravel, verdictOf } from "./report.js";

describe("verdict tiers", () => {
  test("default: correct ≤ 2e-7, suspicious below 1e-3, wrong from 1e-3 and for NaN", () => {
    expect(defaultThresholds).toEqual({ correct: 2e-7, wrong: 1e-3 });
    expect(verdictOf(0)).toBe("correct");
    expect(verdictOf(1.1890913024229996e-7)).toBe("correct"); // the course's correct N-D backprop
    expect(verdictOf(2e-7)).toBe("correct");
    expect(verdictOf(2.01e-7)).toBe("suspicious");
    expect(verdictOf(1e-5)).toBe("suspicious");
    expect(verdictOf(9.99e-4)).toBe("suspicious");
    expect(verdictOf(1e-3)).toBe("wrong");
    expect(verdictOf(0.2850931567761623)).toBe("wrong");
    expect(verdictOf(NaN)).toBe("wrong");
  });

  test("the course's own tiers are a configuration away", () => {
    expect(verdictOf(1.19e-7, { correct: 1e-7 })).toBe("suspicious");
    expect(verdictOf(5e-8, { correct: 1e-7 })).toBe("correct");
    expect(() => verdictOf(1, { correct: -1 })).toThrow(/thresholds.correct must be a positive number, got -1/);
  });
});

describe("rows", () => {
  test("unravel gives row-major multi-indices", () => {
    expect(unravel(0, [])).toEqual([]);
    expect(unravel(7, [3, 4])).toEqual([1, 3]);
    expect(unravel(23, [2, 3, 4])).toEqual([1, 2, 3]);
  });

  test("a row with a tiny gradient is judged on its share of the overall scale, not on noise", () => {
    // Block "big": exact. Block "tiny": gradient 1e-12 with numeric noise 1e-12 — relative
    // difference ~0.5 on its own, negligible next to the whole gradient.
    const t = { correct: 2e-7, wrong: 1e-3 };
    const r = buildReport([
      { name: "big", shape: [2], analytic: Float64Array.of(1, 2), numeric: Float64Array.of(1, 2), checked: Int32Array.of(0, 1) },
      { name: "tiny", shape: [1], analytic: Float64Array.of(1e-12), numeric: Float64Array.of(2e-12), checked: Int32Array.of(0) },
    ], { epsilon: 1e-7, thresholds: t, worst: 1, cost: 0, warnings: [] });
    const tiny = r.rows[1]!;
    expect(tiny.difference).toBeCloseTo(1 / 3, 12);
    // ‖g−ĝ‖ / ((‖g‖+‖ĝ‖)_all·√(1/3)) = 1e-12 / ((√5+√5+3e-12)·0.57735)
    expect(tiny.judged).toBeCloseTo(1e-12 / (2 * Math.sqrt(5) * Math.sqrt(1 / 3)), 20);
    expect(tiny.verdict).toBe("correct");
    expect(r.verdict).toBe("correct");
  });

  test("a bug confined to a small block makes the overall verdict at least as bad as that row", () => {
    const analytic = new Float64Array(10000).fill(1);
    const numeric = analytic.slice();
    const r = buildReport([
      { name: "w", shape: [10000], analytic, numeric, checked: Int32Array.from({ length: 10000 }, (_, i) => i) },
      { name: "b", shape: [1], analytic: Float64Array.of(1.01), numeric: Float64Array.of(1), checked: Int32Array.of(0) },
    ], { epsilon: 1e-7, thresholds: defaultThresholds, worst: 1, cost: 0, warnings: [] });
    // Overall: 0.01 / (2·√10001 + 0.01) ≈ 5e-5, suspicious; the row: 0.01 / 2.01 ≈ 5e-3, wrong.
    expect(r.difference).toBeCloseTo(0.01 / (Math.sqrt(10000 + 1.01 ** 2) + Math.sqrt(10001)), 12);
    expect(verdictOf(r.difference)).toBe("suspicious");
    expect(r.rows[1]!.verdict).toBe("wrong");
    expect(r.verdict).toBe("wrong");
    expect(r.failing).toEqual(["b"]);
  });
});

describe("formatReport", () => {
  test("a row none of whose components was sampled reads 'not sampled'", () => {
    const r = buildReport([
      { name: "w", shape: [2], analytic: Float64Array.of(1, 2), numeric: Float64Array.of(1, NaN), checked: Int32Array.of(0) },
      { name: "b", shape: [1], analytic: Float64Array.of(3), numeric: Float64Array.of(NaN), checked: new Int32Array(0) },
    ], { epsilon: 1e-7, thresholds: defaultThresholds, worst: 2, cost: 1, warnings: [] });
    expect(r.checked).toBe(1);
    expect(r.total).toBe(3);
    expect(formatReport(r).split("\n")[3]).toMatch(/^ {2}b +\[1\] +- +not sampled +- +- +-$/);
    expect(formatReport(r).split("\n")[0]).toContain("1 of 3 components (sampled)");
  });

  test("reads: overall verdict and difference, a line per row, the failing rows with their worst index", () => {
    const broken = customOp({
      name: "broken",
      forward: (a, b) => mul(a!, b!),
      backward: (g, [a, b]) => [mul(g, b!), mul(mul(g, a!), 2)],
    });
    const r = gradcheck((a, b) => sum(broken(a, b)), [tensor([[1, 2], [3, 4]]), tensor([[0.5, 0.25], [2, 1]])], { names: ["weight", "bias"] });
    const text = formatReport(r);
    const lines = text.split("\n");
    // Analytic g = (b, 2a), numeric ĝ = (b, a) with a = [1,2,3,4], b = [.5,.25,2,1]: ‖a‖ / (‖g‖ + ‖ĝ‖).
    const na = Math.sqrt(30), nb = Math.sqrt(0.25 + 0.0625 + 4 + 1);
    const overall = na / (Math.hypot(nb, 2 * na) + Math.hypot(nb, na));
    expect(r.difference).toBeCloseTo(overall, 8);
    expect(lines[0]).toBe(`gradient check: wrong (difference ${overall.toExponential(2)}; correct ≤ 2.00e-7, wrong ≥ 1.00e-3; ε = 1.00e-7, 8 components, cost 11)`);
    expect(lines[1]).toMatch(/^ {2}row +shape +difference +verdict +worst at +analytic +numeric$/);
    expect(lines[2]).toMatch(/^ {2}weight +\[2,2\] +\S+ +correct/);
    expect(lines[3]).toMatch(/^ {2}bias +\[2,2\] +3\.33e-1 +wrong +\[1,1\] +8 +4$/);
    expect(text).toContain("bias is wrong, worst at [1,1]: analytic 8 vs numeric 4");
    expect(text).not.toContain("weight is");
  });
});
