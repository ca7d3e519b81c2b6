// Test-only (excluded from the build): the course's Gradient Checking assignment written
// as a user would write it by hand, in plain loops, in the floating-point order numpy
// evaluates it, so that the finite differences reproduce the notebook's to the last bit.
//
// numpy's `np.dot` on these tiny float64 matrices goes to OpenBLAS, whose Haswell kernels
// accumulate each dot product with fused multiply-adds, p = 0..k−1, from 0. JavaScript has
// no FMA, so `fma` (@hone/tensor's libm.fma) computes a·b + c exactly and rounds once. numpy's
// `np.log`/`np.exp` (glibc's) are correctly rounded on these values, V8's `Math.log` is not
// always (log(0.6658325886005955) is 1 ulp off), so `log` and `exp` are @hone/tensor's
// libm ones, correctly rounded.
import { readFileSync } from "node:fs";
import { libm } from "@hone/tensor";

const { exp, fma, log } = libm;

/** The fixture `gradcheck_case.json`, as stored (x in the course layout (n_x, m)). */
export interface CourseCase {
  x: number[][];
  y: number[];
  W1: number[][]; b1: number[][];
  W2: number[][]; b2: number[][];
  W3: number[][]; b3: number[][];
  epsilon: number;
  expected_published: { difference_buggy_backprop: number; difference_correct_backprop: number; threshold_print: number };
  recomputed_locally: { cost: number; grad_vector_correct: number[]; gradapprox_vector: number[] };
}

/** Reads the fixture from the repo's copy in fixtures/course (tests only; shipped code never reads it). */
export function loadCourseCase(): CourseCase {
  return JSON.parse(readFileSync(new URL("../../../fixtures/course/gradcheck_case.json", import.meta.url), "utf8")) as CourseCase;
}

type Matrix = number[][];
/** The course's parameters dictionary. */
export type CourseParameters = { W1: Matrix; b1: Matrix; W2: Matrix; b2: Matrix; W3: Matrix; b3: Matrix };
/** The keys in the order `dictionary_to_vector` rolls them. */
export const courseKeys = ["W1", "b1", "W2", "b2", "W3", "b3"] as const;

// ---------------------------------------------------------------------------------------
// Plain matrix helpers in numpy's order.

/** `np.dot(A, B)` as OpenBLAS computes it: each entry an FMA chain over p = 0..k−1 from 0. */
export function dot(A: Matrix, B: Matrix, fused = true): Matrix {
  const n = A.length, k = B.length, m = B[0]!.length;
  return Array.from({ length: n }, (_, i) => Array.from({ length: m }, (_, j) => {
    let s = 0;
    for (let p = 0; p < k; p++) s = fused ? fma(A[i]![p]!, B[p]![j]!, s) : s + A[i]![p]! * B[p]![j]!;
    return s;
  }));
}

const T = (A: Matrix): Matrix => A[0]!.map((_, j) => A.map((row) => row[j]!));
const map = (A: Matrix, f: (v: number, i: number, j: number) => number): Matrix => A.map((row, i) => row.map((v, j) => f(v, i, j)));
/** `A + b` with b a column (n, 1) broadcast over columns. */
const addColumn = (A: Matrix, b: Matrix): Matrix => map(A, (v, i) => v + b[i]![0]!);
/** `np.sum(A, axis=1, keepdims=True)`. */
const rowSums = (A: Matrix): Matrix => A.map((row) => [row.reduce((s, v) => s + v, 0)]);

/** The course's `forward_propagation_n`: LINEAR→RELU→LINEAR→RELU→LINEAR→SIGMOID and the cross-entropy cost. */
export function courseForward(X: Matrix, Y: number[], p: CourseParameters, fused = true): { cost: number; cache: Record<string, Matrix> } {
  const m = X[0]!.length;
  const Z1 = addColumn(dot(p.W1, X, fused), p.b1);
  const A1 = map(Z1, (v) => Math.max(0, v));
  const Z2 = addColumn(dot(p.W2, A1, fused), p.b2);
  const A2 = map(Z2, (v) => Math.max(0, v));
  const Z3 = addColumn(dot(p.W3, A2, fused), p.b3);
  const A3 = map(Z3, (v) => 1 / (1 + exp(-v)));
  // logprobs = np.multiply(-np.log(A3), Y) + np.multiply(-np.log(1 - A3), 1 - Y)
  const logprobs = A3[0]!.map((a, j) => -log(a) * Y[j]! + -log(1 - a) * (1 - Y[j]!));
  let sum = 0;
  for (const v of logprobs) sum += v;
  const cost = (1 / m) * sum;
  return { cost, cache: { Z1, A1, Z2, A2, Z3, A3 } };
}

/**
 * The course's `backward_propagation_n`, as the "user's" hand-written backward pass. With
 * `buggy`, the two planted bugs: `dW2 = 1./m * np.dot(dZ2, A1.T) * 2` and `db1 = 4./m * …`.
 */
export function courseBackward(X: Matrix, Y: number[], p: CourseParameters, cache: Record<string, Matrix>, buggy: boolean): CourseParameters {
  const m = X[0]!.length;
  const { A1, A2, A3 } = cache as { A1: Matrix; A2: Matrix; A3: Matrix };
  const dZ3 = map(A3, (a, _i, j) => a - Y[j]!);
  const dW3 = map(dot(dZ3, T(A2)), (v) => (1 / m) * v);
  const db3 = map(rowSums(dZ3), (v) => (1 / m) * v);
  const dA2 = dot(T(p.W3), dZ3);
  const dZ2 = map(dA2, (v, i, j) => v * (A2[i]![j]! > 0 ? 1 : 0));
  const dW2 = map(dot(dZ2, T(A1)), (v) => (1 / m) * v * (buggy ? 2 : 1));
  const db2 = map(rowSums(dZ2), (v) => (1 / m) * v);
  const dA1 = dot(T(p.W2), dZ2);
  const dZ1 = map(dA1, (v, i, j) => v * (A1[i]![j]! > 0 ? 1 : 0));
  const dW1 = map(dot(dZ1, T(X)), (v) => (1 / m) * v);
  const db1 = map(rowSums(dZ1), (v) => ((buggy ? 4 : 1) / m) * v);
  return { W1: dW1, b1: db1, W2: dW2, b2: db2, W3: dW3, b3: db3 };
}

/** `dictionary_to_vector`: W1, b1, W2, b2, W3, b3, each row-major. */
export function toVector(p: CourseParameters): Float64Array {
  return Float64Array.from(courseKeys.flatMap((k) => p[k].flat()));
}

/** `vector_to_dictionary`, with the shapes of `like`. */
export function fromVector(theta: Float64Array, like: CourseParameters): CourseParameters {
  let offset = 0;
  const out = {} as CourseParameters;
  for (const k of courseKeys) {
    const rows = like[k].length, cols = like[k][0]!.length;
    out[k] = Array.from({ length: rows }, (_, i) => Array.from(theta.subarray(offset + i * cols, offset + (i + 1) * cols)));
    offset += rows * cols;
  }
  return out;
}
