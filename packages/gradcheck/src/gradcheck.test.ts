import { ArgumentError, DTypeError, customOp, log, mul, rng, sum, tensor, type Tensor } from "@hone/tensor";
import { describe, expect, test } from "vitest";
import { gradcheck } from "./gradcheck.js";

/** a·b with a planted bug: the gradient for b is doubled. */
const brokenMul = customOp({
  name: "brokenMul",
  forward: (a, b) => mul(a!, b!),
  backward: (g, [a, b]) => [mul(g, b!), mul(mul(g, a!), 2)],
});

describe("gradcheck", () => {
  test("the two-sided difference of x³ at 2 is 3·2² + ε² (hand-derived), and the relative difference follows", () => {
    const r = gradcheck((x) => sum(mul(mul(x, x), x)), [tensor([2])], { epsilon: 1e-3 });
    // ((2+ε)³ − (2−ε)³) / 2ε = 12 + ε², exactly in real arithmetic; rounding adds ~1e-12.
    expect(r.rows[0]!.numeric[0]).toBeCloseTo(12.000001, 9);
    expect(r.rows[0]!.analytic[0]).toBe(12);
    // |12 − 12.000001| / (12 + 12.000001)
    expect(r.difference / (1e-6 / 24.000001) - 1).toBeLessThan(1e-4);
    expect(r.epsilon).toBe(1e-3);
  });

  test("a correct function of two inputs is correct, with one row per input and the cost at θ", () => {
    const a = tensor([[0.5, -1.2], [2.0, 0.3]]), b = tensor([[1.5, 0.7], [-0.4, 1.1]]);
    const r = gradcheck((x, y) => sum(mul(mul(x, y), x)), [a, b]);
    expect(r.verdict).toBe("correct");
    expect(r.passed).toBe(true);
    expect(r.difference).toBeLessThan(1e-8);
    expect(r.rows.map((row) => row.name)).toEqual(["inputs[0]", "inputs[1]"]);
    expect(r.rows[1]!.shape).toEqual([2, 2]);
    // d/da Σ a²b = 2ab, d/db = a² (hand-derived).
    const ad = a.data, bd = b.data;
    r.rows[0]!.analytic.forEach((g, i) => expect(g).toBeCloseTo(2 * ad[i]! * bd[i]!, 12));
    r.rows[1]!.analytic.forEach((g, i) => expect(g).toBeCloseTo(ad[i]! ** 2, 12));
    expect(r.cost).toBeCloseTo(0.25 * 1.5 + 1.44 * 0.7 + 4 * -0.4 + 0.09 * 1.1, 12);
    expect(r.checked).toBe(8);
    expect(r.total).toBe(8);
  });

  test("a custom op with a wrong backward fails with that input named, and only that input", () => {
    const r = gradcheck(brokenMul, [tensor([0.5, -1.5, 2]), tensor([1.25, 0.75, -0.5])], { names: ["a", "b"] });
    expect(r.verdict).toBe("wrong");
    expect(r.failing).toEqual(["b"]);
    expect(r.rows[0]!.verdict).toBe("correct");
    expect(r.rows[1]!.verdict).toBe("wrong");
    // The gradient for b is 2a instead of a: relative difference |2−1|/(2+1) = 1/3.
    expect(r.rows[1]!.difference).toBeCloseTo(1 / 3, 6);
    // The output a·b is projected with r = rng(0).randnArray(3) ≈ [1.76, 0.40, 0.98]; the error
    // |2a·r − a·r| = |a·r| ≈ [0.88, 0.60, 1.96] is largest at index 2, off by the factor 2.
    expect(r.rows[1]!.worst[0]!.index).toEqual([2]);
    expect(r.rows[1]!.worst[0]!.analytic / r.rows[1]!.worst[0]!.numeric).toBeCloseTo(2, 6);
  });

  test("a non-scalar output is reduced with fixed N(0,1) weights drawn from rng(projectionSeed)", () => {
    const x = tensor([0.3, -0.8, 1.7, 0.2]);
    const r = gradcheck((v) => mul(v, v), [x], { projectionSeed: 5 });
    const w = rng(5).randnArray(4);
    // d/dx Σ x²·w = 2·x·w.
    r.rows[0]!.analytic.forEach((g, i) => expect(g).toBeCloseTo(2 * x.data[i]! * w[i]!, 12));
    expect(r.verdict).toBe("correct");
    expect(r.cost).toBeCloseTo(Array.from(x.data).reduce((s, v, i) => s + v * v * w[i]!, 0), 12);
  });

  test("wrt leaves the other inputs unperturbed and out of the report", () => {
    let labelsSeen = 0;
    const fn = (z: Tensor, y: Tensor): Tensor => {
      if (y.data[0] !== 1 || y.data[1] !== 0) throw new Error("labels were perturbed");
      labelsSeen++;
      return sum(mul(z, y));
    };
    const r = gradcheck(fn, [tensor([0.2, 0.4]), tensor([1, 0])], { wrt: [0] });
    expect(r.rows.map((row) => row.name)).toEqual(["inputs[0]"]);
    expect(r.verdict).toBe("correct");
    expect(labelsSeen).toBe(1 + 2 * 2);
    expect(() => gradcheck(fn, [tensor([1]), tensor([1, 0])], { wrt: [0, 0] })).toThrow(ArgumentError);
    expect(() => gradcheck(fn, [tensor([1]), tensor([1, 0])], { wrt: [2] })).toThrow(/wrt must list distinct input indices in \[0, 1\], got \[2\]/);
  });

  test("never touches the caller's tensors: values, requiresGrad and .grad stay as they were", () => {
    const x = tensor([1.5, -2.5], { requiresGrad: true });
    const before = Array.from(x.data);
    gradcheck((v) => sum(mul(v, v)), [x]);
    expect(Array.from(x.data)).toEqual(before);
    expect(x.grad).toBeNull();
    expect(x.requiresGrad).toBe(true);
  });

  test("refuses float32 with a DTypeError that says why, or upcasts a copy on request", () => {
    const x = tensor([0.5, 1.5], { dtype: "float32" });
    const f = (v: Tensor): Tensor => sum(mul(v, v));
    expect(() => gradcheck(f, [x])).toThrow(DTypeError);
    expect(() => gradcheck(f, [x])).toThrow(/inputs\[0\] is float32.*ε = 1e-7 is below float32 resolution \(about 1\.2e-7 relative, 2⁻²³\).*\{ upcast: true \}/);
    const r = gradcheck(f, [x], { upcast: true });
    expect(r.verdict).toBe("correct");
    expect(x.dtype).toBe("float32");
  });

  test("a small systematic error lands in the suspicious band; thresholds move the tiers", () => {
    const delta = 1e-5;
    const slightlyOff = customOp({
      name: "slightlyOff",
      forward: (a) => mul(a!, a!),
      backward: (g, [a]) => [mul(g, mul(a!, 2 * (1 + delta)))],
    });
    const x = [tensor([0.5, -1.25, 2])];
    const r = gradcheck((v) => sum(slightlyOff(v)), x);
    // ‖(1+δ)g − g‖ / ((2+δ)‖g‖) = δ/(2+δ) (hand-derived).
    expect(r.difference / (delta / (2 + delta)) - 1).toBeLessThan(1e-3);
    expect(r.verdict).toBe("suspicious");
    expect(gradcheck((v) => sum(slightlyOff(v)), x, { thresholds: { correct: 1e-5 } }).verdict).toBe("correct");
    expect(gradcheck((v) => sum(slightlyOff(v)), x, { thresholds: { correct: 1e-7, wrong: 1e-6 } }).verdict).toBe("wrong");
  });

  test("sample checks a seeded subset of components; the rest stay NaN", () => {
    const x = tensor(Array.from({ length: 20 }, (_, i) => 0.1 * (i + 1)), { shape: [4, 5] });
    const r = gradcheck((v) => sum(mul(v, v)), [x], { sample: 6, rng: rng(7) });
    expect(r.checked).toBe(6);
    expect(r.total).toBe(20);
    const picked = Array.from(rng(7).choice(20, 6, { replace: false })).sort((p, q) => p - q);
    const checked = Array.from(r.rows[0]!.numeric).map((v, i) => (Number.isNaN(v) ? -1 : i)).filter((i) => i >= 0);
    expect(checked).toEqual(picked);
    expect(r.verdict).toBe("correct");
    expect(() => gradcheck((v) => sum(v), [x], { sample: 3 })).toThrow(/sample needs rng/);
    expect(() => gradcheck((v) => sum(v), [x], { sample: 0, rng: rng(1) })).toThrow(/sample must be a positive integer, got 0/);
  });

  test("a non-finite cost at a perturbed point is reported and reads as wrong", () => {
    const r = gradcheck((v) => sum(log(v)), [tensor([1e-8, 1])]);
    expect(r.warnings.length).toBe(1);
    expect(r.warnings[0]).toMatch(/not finite for 1 perturbed component\(s\), first at inputs\[0\]\[0\]/);
    expect(r.verdict).toBe("wrong");
  });

  test("a constant function has zero gradients on both sides: difference 0, correct", () => {
    const r = gradcheck(() => tensor([3]), [tensor([1, 2])]);
    expect(r.difference).toBe(0);
    expect(r.verdict).toBe("correct");
  });

  test("validates its arguments", () => {
    const f = (v: Tensor): Tensor => sum(v);
    expect(() => gradcheck(f, [tensor([1])], { epsilon: 0 })).toThrow(/epsilon must be a positive finite number, got 0/);
    expect(() => gradcheck(f, [[1] as unknown as Tensor])).toThrow(/inputs\[0\] must be a Tensor/);
    expect(() => gradcheck((() => 3) as unknown as (v: Tensor) => Tensor, [tensor([1])])).toThrow(/fn must return a Tensor, got 3/);
    expect(() => gradcheck(f, [tensor([1])], { names: ["a", "b"] })).toThrow(/names must have one entry per input \(1\), got 2/);
    expect(() => gradcheck(f, [tensor([1])], { thresholds: { correct: 1e-2, wrong: 1e-3 } })).toThrow(/thresholds.wrong must be a number above thresholds.correct/);
  });
});
