// The fused dense layer computes exactly what the composed ops compute: same forward bits,
// same gradient bits, for both dtypes, with and without bias and ReLU.
import { describe, expect, it } from "vitest";
import { add, backward, linear, matmul, mul, relu, rng, randn, sum, tensor, type DType, type Tensor } from "./index.js";

function setup(dtype: DType, seed: number): Tensor[] {
  const r = rng(seed);
  return [randn([7, 5], r, { dtype }), randn([4, 5], r, { dtype }), randn([4], r, { dtype }), randn([7, 4], r, { dtype })].map((t) => t.requireGrad());
}

const bits = (t: Tensor | null): number[] => Array.from(t!.data);

describe.each([
  ["float64", true, "relu"], ["float64", true, "none"], ["float64", false, "relu"], ["float32", true, "relu"], ["float32", false, "none"],
] as const)("linear %s, bias %s, %s", (dtype, withBias, activation) => {
  it("matches relu(add(matmul(x, Wᵀ), b)) bit for bit, forward and backward", () => {
    const [x1, w1, b1, g] = setup(dtype, 1);
    const [x2, w2, b2] = setup(dtype, 1);
    const fused = linear(x1!, w1!, withBias ? b1! : null, activation);
    let z = matmul(x2!, w2!, { transposeB: true });
    if (withBias) z = add(z, b2!);
    const composed = activation === "relu" ? relu(z) : z;
    expect(fused.dtype).toBe(composed.dtype);
    expect(bits(fused)).toEqual(bits(composed));
    backward(sum(mul(fused, g!)));
    backward(sum(mul(composed, g!)));
    expect(bits(x1!.grad)).toEqual(bits(x2!.grad));
    expect(bits(w1!.grad)).toEqual(bits(w2!.grad));
    if (withBias) expect(bits(b1!.grad)).toEqual(bits(b2!.grad));
  });
});

describe("linear", () => {
  it("computes a hand-checked example", () => {
    const x = tensor([[1, 2]]), w = tensor([[1, 1], [1, -1]]), b = tensor([0.5, 0]);
    expect(linear(x, w, b).toArray()).toEqual([[3.5, -1]]);
    expect(linear(x, w, b, "relu").toArray()).toEqual([[3.5, 0]]);
  });

  it("rejects mismatched shapes and unknown activations", () => {
    expect(() => linear(tensor([[1, 2]]), tensor([[1, 2, 3]]))).toThrow("linear: x [1,2] · weightᵀ [1,3]: expected x [m, in] and weight [out, in]");
    expect(() => linear(tensor([[1, 2]]), tensor([[1, 2]]), tensor([1, 2]))).toThrow("linear: bias has shape [2], expected [1]");
    expect(() => linear(tensor([[1]]), tensor([[1]]), null, "gelu" as never)).toThrow('linear: activation must be "none" or "relu", got "gelu"');
  });
});
