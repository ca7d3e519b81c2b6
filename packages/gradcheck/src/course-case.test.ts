// The course's Gradient Checking assignment (DLS Course 2, week 1), reproduced: the 1-D
// check, the N-D check of a hand-written backward pass with two planted bugs and without
// them, and the same network through Hone's own layers and checkModel.
import { Linear, ReLU, Sequential, Sigmoid, binaryCrossEntropy, binaryCrossEntropyWithLogits, type Loss } from "@hone/nn";
import { mul, tensor, transpose } from "@hone/tensor";
import { describe, expect, test } from "vitest";
import { checkGradientVector } from "./check-gradient-vector.js";
import { checkModel } from "./check-model.js";
import { gradcheck } from "./gradcheck.js";
import { courseBackward, courseForward, courseKeys, fromVector, loadCourseCase, toVector, type CourseParameters } from "./test-course.js";

const c = loadCourseCase();
const params: CourseParameters = { W1: c.W1, b1: c.b1, W2: c.W2, b2: c.b2, W3: c.W3, b3: c.b3 };
const segments = courseKeys.map((k) => ({ name: k, shape: [params[k].length, params[k][0]!.length] }));
const relative = (a: number, b: number): number => Math.abs(a / b - 1);

/** gradient_check_n with the user's backward pass (buggy or fixed). */
function courseCheck(buggy: boolean): ReturnType<typeof checkGradientVector> {
  const { cache } = courseForward(c.x, c.y, params);
  return checkGradientVector({
    cost: (theta) => courseForward(c.x, c.y, fromVector(theta, params)).cost,
    theta: toVector(params),
    grad: toVector(courseBackward(c.x, c.y, params, cache, buggy)),
    segments,
    epsilon: c.epsilon,
  });
}

describe("the course's gradient checking case", () => {
  test("1-D: J(θ) = θ·x at x = 2, θ = 4 gives 2.919335883291695e-10 (published)", () => {
    const r = gradcheck((theta) => mul(theta, 2), [tensor([4])]);
    expect(relative(r.difference, 2.919335883291695e-10)).toBeLessThan(1e-6);
    expect(r.verdict).toBe("correct");
    // The same through the hand-written workflow.
    const v = checkGradientVector({ cost: (t) => t[0]! * 2, theta: Float64Array.of(4), grad: [2] });
    expect(relative(v.difference, 2.919335883291695e-10)).toBeLessThan(1e-6);
  });

  test("the cost at θ is the fixture's 2.407833389834357", () => {
    expect(courseForward(c.x, c.y, params).cost).toBe(c.recomputed_locally.cost);
  });

  test("N-D with the two planted bugs: 0.2850931567761623 (published), wrong in W2 and b1 and nowhere else", () => {
    const r = courseCheck(true);
    expect(relative(r.difference, c.expected_published.difference_buggy_backprop)).toBeLessThan(1e-6);
    expect(r.verdict).toBe("wrong");
    expect([...r.failing].sort()).toEqual(["W2", "b1"]);
    for (const row of r.rows) expect(row.verdict).toBe(row.name === "W2" || row.name === "b1" ? "wrong" : "correct");
    // Where they are wrong: the worst entries are off by the planted factors, ×4 and ×2.
    const b1 = r.rows.find((row) => row.name === "b1")!, W2 = r.rows.find((row) => row.name === "W2")!;
    expect(b1.worst[0]!.analytic / b1.worst[0]!.numeric).toBeCloseTo(4, 5);
    expect(W2.worst[0]!.analytic / W2.worst[0]!.numeric).toBeCloseTo(2, 5);
    expect(b1.worst[0]!.index).toHaveLength(2);
    // Row differences follow from the factors: |4−1|/(4+1) = 0.6 for b1 (every entry scaled).
    expect(b1.difference).toBeCloseTo(0.6, 6);
  });

  test("N-D correct: 1.1890913024229996e-07 (published), read as correct under the 2e-7 tier, every row correct", () => {
    const r = courseCheck(false);
    expect(relative(r.difference, c.expected_published.difference_correct_backprop)).toBeLessThan(1e-6);
    // Above the course's 1e-7 tier, below 2e-7 (later course versions' threshold, and ours).
    expect(r.difference).toBeGreaterThan(1e-7);
    expect(r.verdict).toBe("correct");
    expect(r.rows.every((row) => row.verdict === "correct")).toBe(true);
  });

  test("the numeric gradient matches numpy's gradapprox component by component, and the backward pass its gradient", () => {
    const r = courseCheck(false);
    const gradapprox = r.rows.flatMap((row) => Array.from(row.numeric));
    const analytic = r.rows.flatMap((row) => Array.from(row.analytic));
    expect(gradapprox).toHaveLength(47);
    // Bit for bit: the cost is evaluated in numpy's floating-point order (FMA dot products,
    // correctly rounded exp/log), so J(θ ± ε) are the same doubles numpy computed.
    expect(gradapprox).toEqual(c.recomputed_locally.gradapprox_vector);
    analytic.forEach((g, i) => expect(Math.abs(g - c.recomputed_locally.grad_vector_correct[i]!)).toBeLessThanOrEqual(1e-15));
  });
});

describe("the same network through Hone's layers and checkModel", () => {
  // W[l] is (n[l], n[l−1]) in the course and (out, in) in Hone: the same matrices. The
  // course's X is (n_x, m); Hone's batch is (m, n_x).
  function build(withSigmoid: boolean): Sequential {
    const linear = (W: number[][], b: number[][]): Linear =>
      new Linear(W[0]!.length, W.length, { init: () => tensor(W), biasInit: () => tensor(b.flat()) });
    const layers = [linear(c.W1, c.b1), new ReLU(), linear(c.W2, c.b2), new ReLU(), linear(c.W3, c.b3)];
    return new Sequential(withSigmoid ? [...layers, new Sigmoid()] : layers);
  }
  const batch = { x: transpose(tensor(c.x)), y: tensor(c.y) };
  const names = ["layers.0.weight", "layers.0.bias", "layers.2.weight", "layers.2.bias", "layers.4.weight", "layers.4.bias"];

  // The course's 1.19e-7 is the rounding noise of log(1 − a) at a = σ(6.79) ≈ 0.9989 (1 − a
  // cancels three digits). Hone's probability forms compute the same terms in another
  // order and land next to it (1.191e-7); the stable logits form avoids the cancellation
  // and lands at 1.2e-9.
  const cases: [string, boolean, Loss, [number, number]][] = [
    ["Sigmoid output + binaryCrossEntropy", true, binaryCrossEntropy, [1e-7, 2e-7]],
    ["logits + binaryCrossEntropyWithLogits", false, binaryCrossEntropyWithLogits, [0, 1e-8]],
    ["logits + binaryCrossEntropyWithLogits (form: course)", false, (z, y) => binaryCrossEntropyWithLogits(z, y, { form: "course" }), [1e-7, 2e-7]],
  ];
  test.each(cases)("%s: correct, every parameter row correct, gradients equal the course's", (_name, withSigmoid, loss, [lo, hi]) => {
    const r = checkModel(build(withSigmoid), loss, batch);
    expect(Math.abs(r.cost - c.recomputed_locally.cost)).toBeLessThan(1e-13);
    expect(r.rows.map((row) => row.name)).toEqual(names);
    expect(r.difference).toBeGreaterThan(lo);
    expect(r.difference).toBeLessThan(hi);
    expect(r.verdict).toBe("correct");
    expect(r.rows.every((row) => row.verdict === "correct")).toBe(true);
    expect(r.kinks).toEqual([]);
    // Hone's backprop gives the course's gradient vector (row-major W1, b1, …).
    const analytic = r.rows.flatMap((row) => Array.from(row.analytic));
    analytic.forEach((g, i) => expect(Math.abs(g - c.recomputed_locally.grad_vector_correct[i]!)).toBeLessThan(1e-14));
  });
});
