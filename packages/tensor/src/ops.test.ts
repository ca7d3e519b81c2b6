// Forward values of the ops against hand-computed numbers, NumPy broadcasting semantics,
// and the dtype rules (float32 in → float32 out; any float64 operand → float64).
import { describe, expect, it } from "vitest";
import {
  abs, add, arange, argmax, argmin, broadcastTo, cast, clip, concat, div, equal, exp, gatherRows,
  greater, greaterEqual, leakyRelu, less, lessEqual, log, logSoftmax, logSumExp, matmul, max, maximum, mean, min,
  minimum, mul, neg, norm, notEqual, pow, relu, reshape, scatterAddRows, sigmoid, sign, slice, softmax, sqrt,
  square, stack, sub, sum, sumTo, tanh, tensor, transpose, variance, where, zeros, type Tensor,
} from "./index.js";

/** Element-wise |a − b| ≤ tol·max(1, |b|) over flat values. */
function expectClose(actual: Tensor, expected: readonly number[], tol = 1e-15): void {
  expect(actual.size).toBe(expected.length);
  expected.forEach((e, i) => {
    const a = actual.data.at(i) ?? NaN;
    if (!Number.isFinite(e)) expect(a).toBe(e);
    else expect(Math.abs(a - e)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(e)));
  });
}

const m34 = (): Tensor => reshape(arange(0, 12), [3, 4]); // [[0,1,2,3],[4,5,6,7],[8,9,10,11]]

describe("element-wise arithmetic", () => {
  it("same shape", () => {
    const a = tensor([[1, 2], [3, 4]]), b = tensor([[10, 20], [30, 40]]);
    expect(add(a, b).toArray()).toEqual([[11, 22], [33, 44]]);
    expect(sub(a, b).toArray()).toEqual([[-9, -18], [-27, -36]]);
    expect(mul(a, b).toArray()).toEqual([[10, 40], [90, 160]]);
    expect(div(b, a).toArray()).toEqual([[10, 10], [10, 10]]);
  });

  it("numbers act as scalars on either side", () => {
    const x = tensor([1, 2, 4]);
    expect(add(x, 1).toArray()).toEqual([2, 3, 5]);
    expect(sub(1, x).toArray()).toEqual([0, -1, -3]);
    expect(mul(3, x).toArray()).toEqual([3, 6, 12]);
    expect(div(1, x).toArray()).toEqual([1, 0.5, 0.25]);
    expect(div(x, 0).toArray()).toEqual([Infinity, Infinity, Infinity]);
  });

  describe("NumPy broadcasting", () => {
    it("[3,4] + [4] adds the row to every row", () => {
      expect(add(m34(), tensor([100, 200, 300, 400])).toArray()).toEqual([
        [100, 201, 302, 403], [104, 205, 306, 407], [108, 209, 310, 411],
      ]);
    });
    it("[3,1] · [1,4] is the outer product", () => {
      const y = mul(tensor([[1], [2], [3]]), tensor([[1, 10, 100, 1000]]));
      expect(y.shape).toEqual([3, 4]);
      expect(y.toArray()).toEqual([[1, 10, 100, 1000], [2, 20, 200, 2000], [3, 30, 300, 3000]]);
    });
    it("[2,1,3] − [4,1] gives [2,4,3]", () => {
      const a = tensor([[[1, 2, 3]], [[4, 5, 6]]]), b = tensor([[0], [10], [20], [30]]);
      const y = sub(a, b);
      expect(y.shape).toEqual([2, 4, 3]);
      // y[i,j,k] = a[i,0,k] − b[j,0]
      for (let i = 0; i < 2; i++) for (let j = 0; j < 4; j++) for (let k = 0; k < 3; k++) {
        expect(y.data[i * 12 + j * 3 + k]).toBe(1 + 3 * i + k - 10 * j);
      }
    });
    it("[2,3,4] / [3,1] divides each row by its own value", () => {
      const a = reshape(arange(0, 24), [2, 3, 4]), b = tensor([[1], [2], [4]]);
      const y = div(a, b);
      expect(y.shape).toEqual([2, 3, 4]);
      for (let i = 0; i < 24; i++) expect(y.data[i]).toBe(i / 2 ** (Math.floor(i / 4) % 3));
    });
    it("a 0-d tensor and a [1] tensor broadcast like numbers; the result rank is the larger", () => {
      expect(add(tensor(5), tensor([1, 2])).toArray()).toEqual([6, 7]);
      expect(add(tensor([5]), tensor([[1], [2]])).toArray()).toEqual([[6], [7]]);
      expect(add(tensor(5), tensor(2)).shape).toEqual([]);
    });
    it("zero-length axes broadcast to zero-length results", () => {
      const y = add(zeros([0, 3]), tensor([1, 2, 3]));
      expect(y.shape).toEqual([0, 3]);
      expect(y.size).toBe(0);
      expect(add(zeros([2, 1]), zeros([0])).shape).toEqual([2, 0]);
    });
    it("sumTo sums a broadcast result back to the original shape", () => {
      expect(sumTo(m34(), [4]).toArray()).toEqual([12, 15, 18, 21]);
      expect(sumTo(m34(), [3, 1]).toArray()).toEqual([[6], [22], [38]]);
      expect(sumTo(m34(), []).item()).toBe(66);
    });
  });

  it("pow: number and tensor exponents, number base", () => {
    expect(pow(tensor([4, 9, 0.25]), 0.5).toArray()).toEqual([2, 3, 0.5]);
    expect(pow(tensor([2, -3]), 2).toArray()).toEqual([4, 9]);
    expect(pow(tensor([2, -3]), 3).toArray()).toEqual([8, -27]);
    expect(pow(tensor([2, 4]), -1).toArray()).toEqual([0.5, 0.25]);
    expect(pow(tensor([7, 0]), 0).toArray()).toEqual([1, 1]);
    expect(pow(tensor([2, 3]), tensor([3, 2])).toArray()).toEqual([8, 9]);
    expect(pow(2, tensor([1, 2, 10])).toArray()).toEqual([2, 4, 1024]);
    expect(pow(tensor([[2], [3]]), tensor([1, 2])).toArray()).toEqual([[2, 4], [3, 9]]);
    expect(Number.isNaN(pow(tensor([-8]), 1 / 3).item())).toBe(true); // as numpy: real power of a negative base
  });

  it("unary functions at points with exact values", () => {
    expectClose(neg(tensor([1, -2, 0])), [-1, 2, -0]);
    expectClose(exp(tensor([0, Math.LN2, -Infinity])), [1, 2, 0], 1e-15);
    expectClose(log(tensor([1, Math.E, 0])), [0, 1, -Infinity], 1e-15);
    expect(Number.isNaN(log(tensor([-1])).item())).toBe(true);
    expect(sqrt(tensor([0, 4, 2.25])).toArray()).toEqual([0, 2, 1.5]);
    expect(square(tensor([-3, 0.5])).toArray()).toEqual([9, 0.25]);
    expect(abs(tensor([-3, 0, 2])).toArray()).toEqual([3, 0, 2]);
    expect(sign(tensor([-3, 0, 2])).toArray()).toEqual([-1, 0, 1]);
    expect(relu(tensor([-3, 0, 2])).toArray()).toEqual([0, 0, 2]);
    expect(leakyRelu(tensor([-10, 0, 5])).toArray()).toEqual([-0.1, 0, 5]);
    expect(leakyRelu(tensor([-10, 5]), 0.3).toArray()).toEqual([-3, 5]);
    // tanh(ln 2) = (4 − 1)/(4 + 1); sigmoid(ln 3) = 3/4; sigmoid(−ln 3) = 1/4.
    expectClose(tanh(tensor([Math.LN2, 0, -Math.LN2])), [0.6, 0, -0.6], 2e-16);
    expectClose(sigmoid(tensor([Math.log(3), 0, -Math.log(3)])), [0.75, 0.5, 0.25], 2e-16);
  });

  it("sigmoid(−800) = 0 and sigmoid(800) = 1 without NaN; tails keep relative precision", () => {
    expect(sigmoid(tensor([-800, 800, -Infinity, Infinity])).toArray()).toEqual([0, 1, 0, 1]);
    // σ(−40) = e⁻⁴⁰/(1 + e⁻⁴⁰) ≈ e⁻⁴⁰ (to 1e-17 relative)
    expect(Math.abs(sigmoid(tensor([-40])).item() / Math.exp(-40) - 1)).toBeLessThan(1e-15);
  });

  it("maximum, minimum (broadcast, NaN propagates as in numpy) and clip", () => {
    expect(maximum(tensor([[1, 5], [7, 2]]), tensor([3, 3])).toArray()).toEqual([[3, 5], [7, 3]]);
    expect(minimum(tensor([[1, 5], [7, 2]]), 3).toArray()).toEqual([[1, 3], [3, 2]]);
    expect(maximum(tensor([NaN, 1]), tensor([1, NaN])).toList().every(Number.isNaN)).toBe(true);
    expect(minimum(tensor([NaN, 1]), tensor([1, NaN])).toList().every(Number.isNaN)).toBe(true);
    expect(clip(tensor([-2, 0.5, 9]), 0, 1).toArray()).toEqual([0, 0.5, 1]);
    expect(clip(tensor([-2, 3]), 1, 1).toArray()).toEqual([1, 1]);
  });

  it("comparisons yield 1/0 with broadcasting", () => {
    const x = tensor([1, 2, 3]);
    expect(equal(x, 2).toArray()).toEqual([0, 1, 0]);
    expect(notEqual(x, 2).toArray()).toEqual([1, 0, 1]);
    expect(less(x, 2).toArray()).toEqual([1, 0, 0]);
    expect(lessEqual(x, 2).toArray()).toEqual([1, 1, 0]);
    expect(greater(x, 2).toArray()).toEqual([0, 0, 1]);
    expect(greaterEqual(x, 2).toArray()).toEqual([0, 1, 1]);
    expect(greater(tensor([[1], [3]]), tensor([0, 2, 4])).toArray()).toEqual([[1, 0, 0], [1, 1, 0]]);
    expect(equal(tensor([NaN]), tensor([NaN])).item()).toBe(0);
  });

  it("where broadcasts condition and both branches", () => {
    const c = tensor([[1], [0]]);
    expect(where(c, tensor([1, 2, 3]), tensor([[10], [20]])).toArray()).toEqual([[1, 2, 3], [20, 20, 20]]);
    expect(where(tensor([0.5, 0, -1]), 7, tensor([1, 2, 3])).toArray()).toEqual([7, 2, 7]);
    const x = tensor([-1, 2]);
    expect(where(greater(x, 0), x, 0).toArray()).toEqual([0, 2]);
  });
});

describe("reductions", () => {
  const x3 = (): Tensor => reshape(arange(0, 24), [2, 3, 4]);

  it("sum over all, one, several and negative axes, keepDims both ways", () => {
    expect(sum(m34()).item()).toBe(66);
    expect(sum(m34()).shape).toEqual([]);
    expect(sum(m34(), 0).toArray()).toEqual([12, 15, 18, 21]);
    expect(sum(m34(), 1).toArray()).toEqual([6, 22, 38]);
    expect(sum(m34(), -1, true).toArray()).toEqual([[6], [22], [38]]);
    expect(sum(m34(), undefined, true).toArray()).toEqual([[66]]);
    // Σ over axes 0 and 2 of arange(24).reshape(2,3,4): j ↦ Σ_i Σ_k (12i + 4j + k) = 2·(4·4j + 6) + 12·4
    expect(sum(x3(), [0, 2]).toArray()).toEqual([60, 92, 124]);
    expect(sum(x3(), [-1, -3], true).toArray()).toEqual([[[60], [92], [124]]]);
    expect(sum(x3(), [0, 1]).toArray()).toEqual([60, 66, 72, 78]);
    expect(sum(x3(), [2, 0]).toArray()).toEqual([60, 92, 124]);
    expect(sum(zeros([0, 3])).item()).toBe(0);
    expect(sum(zeros([0, 3]), 0).toArray()).toEqual([0, 0, 0]);
    expect(sum(tensor(4)).item()).toBe(4);
  });

  it("mean", () => {
    expect(mean(tensor([1, 2, 3, 6])).item()).toBe(3);
    expect(mean(m34(), 0).toArray()).toEqual([4, 5, 6, 7]);
    expect(mean(m34(), 1, true).toArray()).toEqual([[1.5], [5.5], [9.5]]);
    expect(mean(x3(), [0, 2]).toArray()).toEqual([7.5, 11.5, 15.5]);
  });

  it("max and min", () => {
    const x = tensor([[1, 5, -2], [7, 2, 0]]);
    expect(max(x).item()).toBe(7);
    expect(min(x).item()).toBe(-2);
    expect(max(x, 1).toArray()).toEqual([5, 7]);
    expect(min(x, 0).toArray()).toEqual([1, 2, -2]);
    expect(max(x, -1, true).toArray()).toEqual([[5], [7]]);
    expect(max(x3(), [0, 2]).toArray()).toEqual([15, 19, 23]);
    expect(min(x3(), [0, 1], true).toArray()).toEqual([[[0, 1, 2, 3]]]);
    expect(max(tensor([-Infinity, -Infinity])).item()).toBe(-Infinity);
    expect(Number.isNaN(max(tensor([1, NaN, 3])).item())).toBe(true);
  });

  it("argmax/argmin: flattened by default, along axes, first index wins at ties", () => {
    const x = tensor([[1, 9, 9], [8, 2, 8], [0, 0, -1]]);
    expect(argmax(x).item()).toBe(1);
    expect(argmin(x).item()).toBe(8);
    expect(argmax(x, 1).toArray()).toEqual([1, 0, 0]);
    expect(argmax(x, 0).toArray()).toEqual([1, 0, 0]);
    expect(argmin(x, 1).toArray()).toEqual([0, 1, 2]);
    expect(argmin(x, -2).toArray()).toEqual([2, 2, 2]);
    expect(argmax(tensor([3, 3, 3])).item()).toBe(0);
    expect(argmin(tensor([[2, 2], [2, 2]])).item()).toBe(0);
    // 3-D along the middle axis: x3[i,j,k] grows with j, so argmax is 2 and argmin 0 everywhere.
    expect(argmax(x3(), 1).toArray()).toEqual([[2, 2, 2, 2], [2, 2, 2, 2]]);
    expect(argmin(x3(), 1).shape).toEqual([2, 4]);
    expect(argmax(x3(), 1).dtype).toBe("float64");
  });

  it("variance (ddof 0 by default, correction 1 for the sample variance) and norm", () => {
    expect(variance(tensor([1, 2, 3, 4])).item()).toBe(1.25);
    expectClose(variance(tensor([1, 2, 3, 4]), undefined, { correction: 1 }), [5 / 3], 1e-15);
    expect(variance(tensor([[1, 3], [2, 2]]), 1).toArray()).toEqual([1, 0]);
    expect(variance(tensor([[1, 3], [2, 2]]), 0, { keepDims: true }).toArray()).toEqual([[0.25, 0.25]]);
    expect(variance(tensor([[1, 3], [5, 7]]), 0, { correction: 1 }).toArray()).toEqual([8, 8]);
    expect(norm(tensor([3, 4])).item()).toBe(5);
    expect(norm(tensor([[3, 4], [5, 12]]), 1).toArray()).toEqual([5, 13]);
    expect(norm(tensor([[3, 4], [5, 12]]), -1, true).toArray()).toEqual([[5], [13]]);
    expect(norm(tensor([[1, 1], [1, 1]])).item()).toBe(2);
  });

  it("logSumExp is stable: [1000, 1000] → 1000 + ln 2; all −∞ → −∞; −∞ entries drop out", () => {
    expect(logSumExp(tensor([1000, 1000])).item()).toBe(1000 + Math.LN2);
    expect(logSumExp(tensor([-1000, -1000])).item()).toBe(-1000 + Math.LN2);
    expect(logSumExp(tensor([-Infinity, -Infinity])).item()).toBe(-Infinity);
    expect(logSumExp(tensor([0, -Infinity])).item()).toBe(0);
    expect(logSumExp(tensor([[0, Math.log(3)], [-Infinity, -Infinity]]), 1).toArray()).toEqual([Math.log(4), -Infinity]);
    expectClose(logSumExp(tensor([[0, 0], [Math.log(3), Math.log(5)]]), 0, true), [Math.log(4), Math.log(6)], 1e-15);
    expect(logSumExp(tensor([Infinity, 0])).item()).toBe(Infinity);
    expect(logSumExp(tensor([[1, 2]]), 0).shape).toEqual([2]);
  });

  it("softmax and logSoftmax of large inputs: rows sum to 1, no overflow", () => {
    const s = softmax(tensor([[1000, 1000 + Math.log(3)], [-1000, -1000]]));
    expectClose(s, [0.25, 0.75, 0.5, 0.5], 1e-12);
    const big = softmax(tensor([[1e4, 1e4 + 1, 1e4 + 2], [-5e3, 700, 710]]));
    for (const row of big.toArray() as number[][]) {
      expect(row.every(Number.isFinite)).toBe(true);
      // softmax = exp(x − logSumExp(x)): logSumExp ≈ 1e4 carries an absolute rounding of
      // ulp(1e4) ≈ 2e-12, which bounds each probability's relative error.
      expect(Math.abs(row.reduce((p, q) => p + q, 0) - 1)).toBeLessThan(5e-12);
    }
    // e/(1+e+e²) etc. for the first row
    const z = 1 + Math.E + Math.E ** 2;
    expectClose(slice(big, [0], [1]), [1 / z, Math.E / z, Math.E ** 2 / z], 5e-12);
    const s1000 = softmax(tensor([1000, 999, 1001, 1000.5]));
    expect(Math.abs(sum(s1000).item() - 1)).toBeLessThan(1e-15 * 1000);
    expectClose(softmax(tensor([[0, 1], [0, 1]]), 0), [0.5, 0.5, 0.5, 0.5], 2e-16);
    expectClose(logSoftmax(tensor([0, 0])), [-Math.LN2, -Math.LN2], 1e-16);
    expectClose(logSoftmax(tensor([1e4, 1e4 + Math.log(3)])), [-Math.log(4), Math.log(3) - Math.log(4)], 1e-12);
  });
});

describe("shape and data movement", () => {
  it("reshape (with −1) shares the buffer", () => {
    const x = arange(0, 6);
    const y = reshape(x, [2, -1]);
    expect(y.shape).toEqual([2, 3]);
    expect(y.toArray()).toEqual([[0, 1, 2], [3, 4, 5]]);
    expect(y.data).toBe(x.data);
    expect(reshape(x, [-1]).shape).toEqual([6]);
    expect(reshape(x, [3, 1, -1]).shape).toEqual([3, 1, 2]);
    expect(reshape(tensor([7]), []).shape).toEqual([]);
    expect(reshape(zeros([0, 4]), [-1, 2]).shape).toEqual([0, 2]);
    expect(reshape(x, [6])).toBe(x);
  });

  it("broadcastTo copies along new and size-1 axes", () => {
    expect(broadcastTo(tensor([1, 2]), [2, 2]).toArray()).toEqual([[1, 2], [1, 2]]);
    expect(broadcastTo(tensor([[1], [2]]), [2, 2, 3]).toArray()).toEqual([[[1, 1, 1], [2, 2, 2]], [[1, 1, 1], [2, 2, 2]]]);
    expect(broadcastTo(tensor(5), [3]).toArray()).toEqual([5, 5, 5]);
  });

  it("transpose: 2-D, 3-D permutations, default reversal", () => {
    expect(transpose(tensor([[1, 2, 3], [4, 5, 6]])).toArray()).toEqual([[1, 4], [2, 5], [3, 6]]);
    expect(tensor([[1, 2, 3]]).T.toArray()).toEqual([[1], [2], [3]]);
    const x = reshape(arange(0, 24), [2, 3, 4]);
    const y = transpose(x, [2, 0, 1]); // y[k,i,j] = x[i,j,k] = 12i + 4j + k
    expect(y.shape).toEqual([4, 2, 3]);
    for (let k = 0; k < 4; k++) for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) {
      expect(y.data[k * 6 + i * 3 + j]).toBe(12 * i + 4 * j + k);
    }
    const z = transpose(x); // reversed: z[k,j,i]
    expect(z.shape).toEqual([4, 3, 2]);
    expect(z.data[3 * 6 + 2 * 2 + 1]).toBe(12 + 8 + 3);
    expect(transpose(x, [0, 1, 2]).toArray()).toEqual(x.toArray());
    expect(transpose(x, [-3, -1, -2]).shape).toEqual([2, 4, 3]);
    expect(transpose(tensor(3)).item()).toBe(3);
  });

  it("matmul: values, the four transpose combinations, batched and broadcast", () => {
    const a = tensor([[1, 2], [3, 4], [5, 6]]); // 3×2
    const b = tensor([[7, 8, 9], [10, 11, 12]]); // 2×3
    const ab = [[27, 30, 33], [61, 68, 75], [95, 106, 117]];
    expect(matmul(a, b).toArray()).toEqual(ab);
    expect(matmul(transpose(a), transpose(b), { transposeA: true, transposeB: true }).toArray()).toEqual(ab);
    expect(matmul(transpose(a), b, { transposeA: true }).toArray()).toEqual(ab);
    expect(matmul(a, transpose(b), { transposeB: true }).toArray()).toEqual(ab);
    // bᵀ·aᵀ = (ab)ᵀ, via the flags only
    expect(matmul(b, a, { transposeA: true, transposeB: true }).toArray()).toEqual(transpose(tensor(ab)).toArray());
    expect(matmul(tensor([[1, 2]]), tensor([[3], [4]])).toArray()).toEqual([[11]]);
    // Batched: [2,3,2]·[2,2,3] with the second batch scaled by 2 on both sides ⇒ 4·ab.
    const A = stack([a, mul(a, 2)]), B = stack([b, mul(b, 2)]);
    const C = matmul(A, B);
    expect(C.shape).toEqual([2, 3, 3]);
    expect(C.toArray()).toEqual([ab, ab.map((r) => r.map((v) => 4 * v))]);
    // Broadcast batch: [2,3,2]·[2,3] and [3,2]·[2,2,3].
    expect(matmul(A, b).toArray()).toEqual([ab, ab.map((r) => r.map((v) => 2 * v))]);
    expect(matmul(a, B).toArray()).toEqual([ab, ab.map((r) => r.map((v) => 2 * v))]);
    // [2,1,3,2]·[3,2,3] → [2,3,3,3]: batch (i,j) is (i+1)·a times (j+1)·b.
    const A4 = reshape(stack([a, mul(a, 2)]), [2, 1, 3, 2]);
    const B3 = stack([b, mul(b, 2), mul(b, 3)]);
    const C4 = matmul(A4, B3);
    expect(C4.shape).toEqual([2, 3, 3, 3]);
    for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) {
      expect(slice(C4, [i, j], [i + 1, j + 1]).toList()).toEqual(ab.flat().map((v) => (i + 1) * (j + 1) * v));
    }
    // An inner dimension of 0 gives zeros (an empty sum).
    expect(matmul(zeros([2, 0]), zeros([0, 3])).toArray()).toEqual([[0, 0, 0], [0, 0, 0]]);
  });

  it("matmul follows IEEE like numpy: 0·∞ and 0·NaN are NaN under every transpose flag", () => {
    const a = tensor([[0, 1]]), b = tensor([[Infinity], [1]]);
    expect(Number.isNaN(matmul(a, b).item())).toBe(true);
    expect(Number.isNaN(matmul(transpose(a), b, { transposeA: true }).item())).toBe(true);
    expect(Number.isNaN(matmul(a, transpose(b), { transposeB: true }).item())).toBe(true);
    expect(Number.isNaN(matmul(transpose(a), transpose(b), { transposeA: true, transposeB: true }).item())).toBe(true);
    expect(Number.isNaN(matmul(tensor([[0]]), tensor([[NaN]])).item())).toBe(true);
    // Zeros of A with a finite B (the sparse fast path) still give exact products.
    const sparse = tensor([[0, 2], [3, 0]]), dense = tensor([[1, 2], [3, 4]]);
    expect(matmul(sparse, dense).toArray()).toEqual([[6, 8], [3, 6]]);
    expect(matmul(transpose(sparse), dense, { transposeA: true }).toArray()).toEqual([[6, 8], [3, 6]]);
  });

  it("slice: interior windows, omitted ends, negative indices, empty windows", () => {
    const x = m34();
    expect(slice(x, [1, 1], [3, 3]).toArray()).toEqual([[5, 6], [9, 10]]);
    expect(slice(x, [2]).toArray()).toEqual([[8, 9, 10, 11]]);
    expect(slice(x, [-2, -3], [-1, -1]).toArray()).toEqual([[5, 6]]);
    expect(slice(x, [0, 3]).toArray()).toEqual([[3], [7], [11]]);
    expect(slice(x, [1], [1]).shape).toEqual([0, 4]);
    const y = reshape(arange(0, 24), [2, 3, 4]);
    expect(slice(y, [1, 1, 2], [2, 3, 4]).toArray()).toEqual([[[18, 19], [22, 23]]]);
    const s = slice(x, [0]);
    s.data[0] = 99; // a copy, not a view
    expect(x.data[0]).toBe(0);
  });

  it("concat and stack", () => {
    const a = tensor([[1, 2]]), b = tensor([[3, 4], [5, 6]]), c = tensor([[7, 8]]);
    expect(concat([a, b, c]).toArray()).toEqual([[1, 2], [3, 4], [5, 6], [7, 8]]);
    expect(concat([tensor([[1], [2]]), tensor([[3, 4], [5, 6]]), tensor([[7], [8]])], 1).toArray()).toEqual([[1, 3, 4, 7], [2, 5, 6, 8]]);
    expect(concat([tensor([[1], [2]]), tensor([[3], [4]])], -1).toArray()).toEqual([[1, 3], [2, 4]]);
    expect(concat([tensor([1, 2])]).toArray()).toEqual([1, 2]);
    expect(stack([tensor([1, 2]), tensor([3, 4])]).toArray()).toEqual([[1, 2], [3, 4]]);
    expect(stack([tensor([1, 2]), tensor([3, 4])], 1).toArray()).toEqual([[1, 3], [2, 4]]);
    expect(stack([tensor([1, 2]), tensor([3, 4]), tensor([5, 6])], -1).toArray()).toEqual([[1, 3, 5], [2, 4, 6]]);
    expect(stack([tensor(1), tensor(2)]).toArray()).toEqual([1, 2]);
  });

  it("gatherRows and scatterAddRows (repeats accumulate)", () => {
    const x = tensor([[1, 1], [2, 2], [3, 3]]);
    expect(gatherRows(x, [2, 0, 2]).toArray()).toEqual([[3, 3], [1, 1], [3, 3]]);
    expect(gatherRows(x, tensor([1])).toArray()).toEqual([[2, 2]]);
    expect(gatherRows(x, []).shape).toEqual([0, 2]);
    expect(gatherRows(tensor([5, 6, 7]), [2, 2]).toArray()).toEqual([7, 7]);
    expect(scatterAddRows(zeros([3, 1]), [2, 2], tensor([[1], [5]])).toArray()).toEqual([[0], [0], [6]]);
    const base = tensor([[1, 1], [1, 1]]);
    expect(scatterAddRows(base, [1, 0], tensor([[2, 3], [4, 5]])).toArray()).toEqual([[5, 6], [3, 4]]);
    expect(base.toArray()).toEqual([[1, 1], [1, 1]]); // not modified
  });

  it("cast rounds to float32 and back", () => {
    const y = cast(tensor([0.1, 1e40]), "float32");
    expect(y.dtype).toBe("float32");
    expect(Array.from(y.data)).toEqual([Math.fround(0.1), Infinity]);
    expect(cast(y, "float64").data[0]).toBe(Math.fround(0.1));
    const x = tensor([1]);
    expect(cast(x, "float64")).toBe(x);
  });
});

describe("dtypes: float32 in → float32 out, mixed → float64", () => {
  const f32 = (v: number[][]): Tensor => tensor(v, { dtype: "float32" });
  const ops1: [string, (x: Tensor) => Tensor][] = [
    ["neg", neg], ["exp", exp], ["log", log], ["sqrt", sqrt], ["square", square], ["abs", abs], ["sign", sign],
    ["relu", relu], ["leakyRelu", (x) => leakyRelu(x)], ["sigmoid", sigmoid], ["tanh", tanh],
    ["pow 3", (x) => pow(x, 3)], ["pow 2", (x) => pow(x, 2)], ["clip", (x) => clip(x, 0, 1)],
    ["add number", (x) => add(x, 1.5)], ["mul number", (x) => mul(2, x)], ["maximum number", (x) => maximum(x, 0.5)],
    ["greater number", (x) => greater(x, 1)], ["where numbers", (x) => where(x, x, 0)],
    ["sum", (x) => sum(x, 1)], ["mean", (x) => mean(x)], ["max", (x) => max(x, 0)], ["min", (x) => min(x)],
    ["variance", (x) => variance(x, 0)], ["norm", (x) => norm(x)], ["logSumExp", (x) => logSumExp(x, 1)],
    ["softmax", (x) => softmax(x)], ["logSoftmax", (x) => logSoftmax(x, 0)], ["reshape", (x) => reshape(x, [-1])],
    ["broadcastTo", (x) => broadcastTo(x, [3, 2, 2])], ["transpose", (x) => transpose(x)],
    ["slice", (x) => slice(x, [0, 1])], ["gatherRows", (x) => gatherRows(x, [1, 1])],
    ["stack", (x) => stack([x, x])], ["concat", (x) => concat([x, x], 1)], ["sumTo", (x) => sumTo(x, [2])],
    ["matmul", (x) => matmul(x, x)], ["scatterAddRows", (x) => scatterAddRows(x, [0], slice(x, [1]))],
  ];
  it.each(ops1)("%s keeps float32", (_name, op) => {
    const y = op(f32([[0.5, 1.5], [2, 3]]));
    expect(y.dtype).toBe("float32");
  });

  const ops2: [string, (a: Tensor, b: Tensor) => Tensor][] = [
    ["add", add], ["sub", sub], ["mul", mul], ["div", div], ["pow", pow], ["maximum", maximum], ["minimum", minimum],
    ["equal", equal], ["less", less], ["where", (a, b) => where(tensor([1, 0]), a, b)], ["matmul", matmul],
    ["concat", (a, b) => concat([a, b])], ["stack", (a, b) => stack([a, b])],
    ["scatterAddRows", (a, b) => scatterAddRows(a, [0, 1], b)],
  ];
  it.each(ops2)("%s: float32 ⊕ float32 → float32, float32 ⊕ float64 → float64 (both orders)", (_name, op) => {
    const a = f32([[1, 2], [3, 4]]), b = f32([[0.5, 0.25], [2, 1]]);
    const b64 = cast(b, "float64"), a64 = cast(a, "float64");
    expect(op(a, b).dtype).toBe("float32");
    expect(op(a, b64).dtype).toBe("float64");
    expect(op(a64, b).dtype).toBe("float64");
    expect(op(a64, b64).dtype).toBe("float64");
    // The float64 result of a mixed op equals the all-float64 result.
    expect(op(a, b64).toArray()).toEqual(op(a64, b64).toArray());
  });

  it("float32 arithmetic is rounded to float32", () => {
    const y = add(f32([[0.1]]), f32([[0.2]]));
    expect(y.data[0]).toBe(Math.fround(Math.fround(0.1) + Math.fround(0.2)));
    expect(add(tensor([0.1]), tensor([0.2])).item()).toBe(0.1 + 0.2);
  });
});

describe("Tensor methods are sugar over the functions", () => {
  it("method chains give the function results", () => {
    const x = tensor([[1, 2], [3, 4]]);
    expect(x.add(1).mul(2).sub(tensor([1, 1])).div(2).toArray()).toEqual([[1.5, 2.5], [3.5, 4.5]]);
    expect(x.pow(2).sqrt().toArray()).toEqual(x.toArray());
    expect(x.neg().abs().square().toArray()).toEqual([[1, 4], [9, 16]]);
    expect(x.matmul(x, { transposeB: true }).toArray()).toEqual([[5, 11], [11, 25]]);
    expect(x.T.toArray()).toEqual([[1, 3], [2, 4]]);
    expect(x.transpose([1, 0]).reshape([4]).toArray()).toEqual([1, 3, 2, 4]);
    expect(x.sum().item()).toBe(10);
    expect(x.mean(0).toArray()).toEqual([2, 3]);
    expect(x.max(1, true).toArray()).toEqual([[2], [4]]);
    expect(x.min().item()).toBe(1);
    expect(x.argmax(0).toArray()).toEqual([1, 1]);
    expect(x.relu().toArray()).toEqual(x.toArray());
    expectClose(x.exp().log(), [1, 2, 3, 4], 1e-15);
    expect(tensor([0]).sigmoid().item()).toBe(0.5);
    expect(tensor([0]).tanh().item()).toBe(0);
    expect(tensor([0, 0]).softmax().toArray()).toEqual([0.5, 0.5]);
    expect(tensor([0, 0]).logSoftmax().toArray()).toEqual([-Math.LN2, -Math.LN2]);
    expect(x.to("float32").dtype).toBe("float32");
    expect(x.toString()).toBe("Tensor(float64, [2,2])");
    expect(x.rank).toBe(2);
  });
});

describe("logSoftmax, softmax and logSumExp's gradient at large logits", () => {
  // Logits c + [1, 2, 0]: c + k is exact in float64 for these c, so the exact answers are those of
  // [1, 2, 0], derived by hand: log-softmax = [1, 2, 0] − ln(e + e² + 1), softmax = e^[1,2,0] / (e + e² + 1).
  const lse = Math.log(Math.E + Math.E ** 2 + 1); // 2.4076059644443804
  const exactLog = [1 - lse, 2 - lse, -lse];
  const exactSoft = [Math.E, Math.E ** 2, 1].map((v) => v / (Math.E + Math.E ** 2 + 1));
  const relative = (got: number, want: number): number => Math.abs(got - want) / Math.abs(want);

  it.each([0, 1e3, 1e6, 1e9, 1e12, -1e12])("offset %d: accurate to 1e-12 relative, as PyTorch is", (c) => {
    const x = tensor([[c + 1, c + 2, c]]);
    const ls = logSoftmax(x).toArray() as number[][];
    const sm = softmax(x).toArray() as number[][];
    for (let j = 0; j < 3; j++) {
      expect(relative(ls[0]![j]!, exactLog[j]!)).toBeLessThan(1e-12);
      expect(relative(sm[0]![j]!, exactSoft[j]!)).toBeLessThan(1e-12);
    }
    // The case: logSoftmax([[1e9+1, 1e9+2, 1e9]])[0][1] is −0.4076059644443804 (not −0.40760600566864).
    if (c === 1e9) expect(ls[0]![1]).toBeCloseTo(-0.4076059644443804, 15);
  });

  it.each([1e3, 1e9, 1e12])("offset %d: gradients of logSoftmax and logSumExp are exact to 1e-12", (c) => {
    // d/dx Σ w·logSoftmax(x) = w − softmax·Σw; d/dx logSumExp(x) = softmax.
    const w = [0.5, -1, 2];
    const x = tensor([[c + 1, c + 2, c]], { requiresGrad: true });
    sum(mul(logSoftmax(x), tensor([w]))).backward();
    const g = (x.grad!.toArray() as number[][])[0]!;
    const sw = w.reduce((a, b) => a + b, 0);
    for (let j = 0; j < 3; j++) expect(relative(g[j]!, w[j]! - exactSoft[j]! * sw)).toBeLessThan(1e-12);
    const y = tensor([[c + 1, c + 2, c]], { requiresGrad: true });
    logSumExp(y).backward();
    const gy = (y.grad!.toArray() as number[][])[0]!;
    for (let j = 0; j < 3; j++) expect(relative(gy[j]!, exactSoft[j]!)).toBeLessThan(1e-12);
    expect((logSumExp(tensor([c + 1, c + 2, c])).item() - c - lse) / (c + lse)).toBeLessThan(1e-15);
  });
});
