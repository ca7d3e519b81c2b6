import { DTypeError, ShapeError, rng } from "@hone/tensor";
import { describe, expect, test } from "vitest";
import { checkGradientVector } from "./check-gradient-vector.js";

// J(θ) = Σᵢ (i+1)·θᵢ² over θ = (A (2×2), c (3)): gradient 2(i+1)θᵢ (hand-derived).
const cost = (t: Float64Array): number => t.reduce((s, v, i) => s + (i + 1) * v * v, 0);
const theta = Float64Array.of(0.5, -1, 1.5, 2, -0.25, 0.75, 1.25);
const grad = theta.map((v, i) => 2 * (i + 1) * v);
const segments = [{ name: "A", shape: [2, 2] }, { name: "c", shape: [3] }];

describe("checkGradientVector", () => {
  test("a correct gradient is correct, with one row per segment in θ's order", () => {
    const r = checkGradientVector({ cost, theta, grad, segments });
    expect(r.verdict).toBe("correct");
    expect(r.rows.map((row) => [row.name, row.shape, row.size])).toEqual([["A", [2, 2], 4], ["c", [3], 3]]);
    expect(r.cost).toBeCloseTo(cost(theta), 15);
    expect(r.difference).toBeLessThan(1e-8);
  });

  test("a bug in one entry names its segment and its multi-index", () => {
    const bad = grad.slice();
    bad[3] = bad[3]! * 3; // A[1,1]
    const r = checkGradientVector({ cost, theta, grad: bad, segments });
    expect(r.verdict).toBe("wrong");
    expect(r.failing).toEqual(["A"]);
    expect(r.rows[1]!.verdict).toBe("correct");
    expect(r.rows[0]!.worst[0]!.index).toEqual([1, 1]);
    expect(r.rows[0]!.worst[0]!.analytic).toBeCloseTo(3 * 2 * 4 * 2, 12);
    expect(r.rows[0]!.worst[0]!.numeric).toBeCloseTo(2 * 4 * 2, 6);
  });

  test("θ is never modified, even by a cost that writes to its argument", () => {
    const before = Array.from(theta);
    const r = checkGradientVector({ cost: (t) => { const v = cost(t); t.fill(99); return v; }, theta, grad, segments });
    expect(Array.from(theta)).toEqual(before);
    expect(r.verdict).toBe("correct");
  });

  test("defaults to one segment named theta; samples with an rng", () => {
    const r = checkGradientVector({ cost, theta, grad: Array.from(grad), sample: 3, rng: rng(2) });
    expect(r.rows.map((row) => row.name)).toEqual(["theta"]);
    expect(r.checked).toBe(3);
    expect(r.verdict).toBe("correct");
  });

  test("validates θ, the gradient and the segments", () => {
    expect(() => checkGradientVector({ cost, theta: Float32Array.from(theta) as unknown as Float64Array, grad })).toThrow(DTypeError);
    expect(() => checkGradientVector({ cost, theta: Float32Array.from(theta) as unknown as Float64Array, grad })).toThrow(/theta is float32.*below float32 resolution/);
    expect(() => checkGradientVector({ cost, theta, grad: grad.slice(1) })).toThrow(/grad has 6 entries but theta has 7/);
    expect(() => checkGradientVector({ cost, theta, grad, segments: [{ name: "A", shape: [2, 2] }] })).toThrow(ShapeError);
    expect(() => checkGradientVector({ cost, theta, grad, segments: [{ name: "A", shape: [2, 2] }] })).toThrow(/segments hold 4 entries \(A \[2,2\]\) but theta has 7/);
    expect(() => checkGradientVector({ cost: 3 as unknown as (t: Float64Array) => number, theta, grad })).toThrow(/cost must be a function/);
  });
});
