// The course's Gradient Checking experiment: the 1-D check J(θ) = θ·x, then the 4→5→3→1
// network (ReLU, ReLU, sigmoid) of `gradient_check_n_test_case()` with a hand-written
// backward pass carrying two planted bugs (dW2 ×2, db1 ×4), the fixed backward pass, and
// the same network through Hone's autograd.
import { checkGradientVector, checkModel, type GradcheckResult } from "@hone/gradcheck";
import { Linear, ReLU, Sequential, binaryCrossEntropyWithLogits } from "@hone/nn";
import { libm, randn, rng, tensor, transpose, type Tensor } from "@hone/tensor";
import type { ExperimentMode, ExperimentResult, VariantResult } from "./types.js";

type Matrix = number[][];
const SHAPES: [string, [number, number]][] = [["W1", [5, 4]], ["b1", [5, 1]], ["W2", [3, 5]], ["b2", [3, 1]], ["W3", [1, 3]], ["b3", [1, 1]]];

/** The test case: `np.random.seed(1)`, then x = randn(4, 3) and the parameters in order; y = [1, 1, 0]. */
export function courseCase(): { x: Matrix; y: number[]; theta: Float64Array } {
  const r = rng(1);
  const x = randn([4, 3], r).toArray() as Matrix;
  const theta = new Float64Array(47);
  let k = 0;
  for (const [, [a, b]] of SHAPES) for (const v of randn([a, b], r).data) theta[k++] = v;
  return { x, y: [1, 1, 0], theta };
}

function unroll(theta: Float64Array): Record<string, Matrix> {
  const out: Record<string, Matrix> = {};
  let k = 0;
  for (const [name, [a, b]] of SHAPES) {
    out[name] = Array.from({ length: a }, () => Array.from({ length: b }, () => theta[k++]!));
  }
  return out;
}

/**
 * `np.dot(a, b)` as the notebook's numpy computes it: OpenBLAS accumulates each entry with fused
 * multiply-adds, p = 0..k-1 from 0 (libm.fma rounds each once), so the finite differences below
 * land on the notebook's to the last digit rather than within rounding of them.
 */
const dot = (a: Matrix, b: Matrix): Matrix => a.map((row) => b[0]!.map((_, j) => row.reduce((s, v, p) => libm.fma(v, b[p]![j]!, s), 0)));
const addCol = (a: Matrix, b: Matrix): Matrix => a.map((row, i) => row.map((v) => v + b[i]![0]!));
const map = (a: Matrix, f: (v: number, i: number, j: number) => number): Matrix => a.map((row, i) => row.map((v, j) => f(v, i, j)));
const T = (a: Matrix): Matrix => a[0]!.map((_, j) => a.map((row) => row[j]!));
const rowSums = (a: Matrix): Matrix => a.map((row) => [row.reduce((s, v) => s + v, 0)]);

/** The course's forward pass (course layout: columns are examples) and cost. */
function forward(x: Matrix, y: number[], theta: Float64Array): { cost: number; cache: Record<string, Matrix> } {
  const p = unroll(theta);
  const z1 = addCol(dot(p.W1!, x), p.b1!), a1 = map(z1, (v) => Math.max(0, v));
  const z2 = addCol(dot(p.W2!, a1), p.b2!), a2 = map(z2, (v) => Math.max(0, v));
  const z3 = addCol(dot(p.W3!, a2), p.b3!), a3 = map(z3, (v) => 1 / (1 + libm.exp(-v)));
  const m = y.length;
  let sum = 0;
  for (let i = 0; i < m; i++) sum += -libm.log(a3[0]![i]!) * y[i]! + -libm.log(1 - a3[0]![i]!) * (1 - y[i]!);
  return { cost: (1 / m) * sum, cache: { ...p, a1, a2, a3 } };
}

/** The course's hand-written backward pass, with or without its two planted bugs. */
function backward(x: Matrix, y: number[], theta: Float64Array, buggy: boolean): Float64Array {
  const { cache: c } = forward(x, y, theta);
  const m = y.length;
  const dz3 = map(c.a3!, (v, _i, j) => v - y[j]!);
  const dw3 = map(dot(dz3, T(c.a2!)), (v) => v / m), db3 = map(rowSums(dz3), (v) => v / m);
  const dz2 = map(dot(T(c.W3!), dz3), (v, i, j) => (c.a2![i]![j]! > 0 ? v : 0));
  const dw2 = map(dot(dz2, T(c.a1!)), (v) => (buggy ? 2 : 1) * v / m), db2 = map(rowSums(dz2), (v) => v / m);
  const dz1 = map(dot(T(c.W2!), dz2), (v, i, j) => (c.a1![i]![j]! > 0 ? v : 0));
  const dw1 = map(dot(dz1, T(x)), (v) => v / m), db1 = map(rowSums(dz1), (v) => (buggy ? 4 : 1) * v / m);
  return Float64Array.from([dw1, db1, dw2, db2, dw3, db3].flatMap((g) => g.flat()));
}

function variant(name: string, r: GradcheckResult, published: number | undefined, lesson: string): VariantResult {
  return {
    name, costs: [], difference: r.difference, verdict: r.verdict, failing: r.failing,
    published: published === undefined ? {} : { difference: published }, lesson,
  };
}

/** Runs the checks. `mode` only changes the last variant's loss form (course or stable). */
export function runGradientChecking(options: { mode: ExperimentMode }): ExperimentResult {
  const start = performance.now();
  const segments = SHAPES.map(([name, shape]) => ({ name, shape }));
  const oneD = checkGradientVector({ cost: (t) => t[0]! * 2, theta: Float64Array.of(4), grad: [2] });
  const { x, y, theta } = courseCase();
  const cost = (t: Float64Array): number => forward(x, y, t).cost;
  const buggy = checkGradientVector({ cost, theta, grad: backward(x, y, theta, true), segments });
  const fixed = checkGradientVector({ cost, theta, grad: backward(x, y, theta, false), segments });
  // The same network in Hone: Linear weights are (out, in) like the course's W; rows are examples.
  const p = unroll(theta);
  const r = rng(0);
  const model = new Sequential([new Linear(4, 5, { rng: r }), new ReLU(), new Linear(5, 3, { rng: r }), new ReLU(), new Linear(3, 1, { rng: r })]);
  const values = [p.W1!, p.b1!, p.W2!, p.b2!, p.W3!, p.b3!].map((a) => a.flat());
  model.parameters().forEach((param, i) => param.data.set(values[i]!));
  const batch = { x: transpose(tensor(x)), y: tensor(y) };
  const form = options.mode === "exact" ? "course" : "stable";
  const hone = checkModel(model, (z: Tensor, t: Tensor) => binaryCrossEntropyWithLogits(z, t, { form }), batch);
  return {
    name: "gradient-checking",
    mode: options.mode,
    data: "the parameters of the course's gradient_check_n_test_case(), regenerated with numpy-compatible seed(1) draws",
    variants: [
      variant("1-D: J(θ) = θ·x at x = 2, θ = 4", oneD, 2.919335883291695e-10, "Two-sided differences (J(θ+ε) − J(θ−ε))/(2ε) agree with the derivative to ~1e-10."),
      variant("N-D, backprop with two planted bugs", buggy, 0.2850931567761623, `A difference of ${buggy.difference.toPrecision(3)} is a bug; the per-parameter rows point at ${buggy.failing.join(" and ")}.`),
      variant("N-D, fixed backprop", fixed, 1.1890913024229996e-7, "Fixed: ~1e-7. The digits past the tenth are finite-difference rounding (the order numpy sums rows and norms in), not backprop."),
      variant(`N-D, Hone autograd (${form} loss)`, hone, undefined, "Hone's autograd on the same network and point passes the same check, parameter by parameter."),
    ],
    seconds: (performance.now() - start) / 1000,
  };
}
