// The backward pass's scratch buffers (scratch.ts): buffers of one pass serve the next, so
// what outlives a pass must never be one of them. Hand-derived gradients of
// f(x) = Σ relu(x·W)·c and g(x) = Σ (x·W)² over 24 elements, pass after pass.
import { describe, expect, it } from "vitest";
import { backward, customOp, matmul, mul, relu, square, sum, tensor, type Tensor } from "./index.js";

const ROWS = 4, COLS = 6;
/** x: (4, 6) with x[i][j] = (i − 1.5)·0.5 + j·0.25, W: (6, 6) = 2·I, c: (4, 6) all 3. */
function inputs(dtype: "float64" | "float32" = "float64"): { x: Tensor; w: Tensor; c: Tensor } {
  const x = tensor(Array.from({ length: ROWS }, (_, i) => Array.from({ length: COLS }, (_, j) => (i - 1.5) * 0.5 + j * 0.25)), { dtype, requiresGrad: true });
  const w = tensor(Array.from({ length: COLS }, (_, i) => Array.from({ length: COLS }, (_, j): number => (i === j ? 2 : 0))), { dtype });
  const c = tensor(Array.from({ length: ROWS }, (): number[] => Array<number>(COLS).fill(3)), { dtype });
  return { x, w, c };
}

/** d/dx Σ relu(2x)·3 = 6·[x > 0], by hand. */
const reluGrad = (x: Tensor): number[] => Array.from(x.data, (v) => (v > 0 ? 6 : 0));
/** d/dx Σ (2x)² = 8x, by hand. */
const squareGrad = (x: Tensor): number[] => Array.from(x.data, (v) => 8 * v);

describe("backward's scratch buffers", () => {
  it("leave every leaf gradient intact through later passes", () => {
    const kept: { x: Tensor; grad: number[] }[] = [];
    for (let pass = 0; pass < 6; pass++) {
      const { x, w, c } = inputs();
      if (pass % 2 === 0) backward(sum(mul(relu(matmul(x, w)), c)));
      else backward(sum(square(matmul(x, w))));
      kept.push({ x, grad: pass % 2 === 0 ? reluGrad(x) : squareGrad(x) });
    }
    for (const { x, grad } of kept) expect(Array.from(x.grad!.data)).toEqual(grad);
  });

  it("leave a float32 leaf's gradient intact when the pass computed it in float64 (cast at the leaf)", () => {
    const x32 = tensor(Array.from({ length: ROWS * COLS }, (_, i) => i - 10), { dtype: "float32", requiresGrad: true });
    const one64 = tensor(Array<number>(ROWS * COLS).fill(1)); // float64: x32·1 is float64, and so is its gradient
    backward(sum(square(mul(x32, one64))));
    const first = Array.from(x32.grad!.data);
    expect(first).toEqual(Array.from({ length: ROWS * COLS }, (_, i) => 2 * (i - 10)));
    for (let pass = 0; pass < 3; pass++) {
      const { x, w } = inputs("float32"); // float32 buffers of the same length
      backward(sum(square(matmul(x, w))));
      expect(Array.from(x.grad!.data)).toEqual(squareGrad(x));
    }
    expect(Array.from(x32.grad!.data)).toEqual(first);
  });

  it("are not what a customOp's backward allocates (user code may keep it)", () => {
    const seen: Tensor[] = [];
    const double = customOp({
      name: "double",
      forward: (x) => mul(x!, 2),
      backward: (g) => {
        const d = mul(g, 2);
        seen.push(d);
        return [d];
      },
    });
    for (let pass = 0; pass < 4; pass++) {
      const { x, w } = inputs();
      backward(sum(square(double(matmul(x, w)))));
    }
    // y = double(xW) = 4x, so the rule gets g = 2y = 8x and keeps 2g = 16x.
    const x = inputs().x;
    for (const d of seen) expect(Array.from(d.data)).toEqual(Array.from(x.data, (v) => 16 * v));
  });

  it("past a pass's 16 MB budget, allocate as usual (a 2.2-million-value pass, twice, then a small one)", () => {
    const n = 2_200_000; // 17.6 MB a float64 buffer: over the budget on its own
    for (let pass = 0; pass < 2; pass++) {
      const x = tensor(Float64Array.from({ length: n }, (_, i) => ((i % 1000) - 500) / 64), { requiresGrad: true });
      backward(sum(square(mul(x, 2)))); // d/dx Σ(2x)² = 8x
      const g = x.grad!.data;
      for (const i of [0, 1, 499, 500, 123_456, n - 1]) expect(g[i]).toBe(8 * x.data[i]!);
    }
    const { x, w } = inputs();
    backward(sum(square(matmul(x, w))));
    expect(Array.from(x.grad!.data)).toEqual(squareGrad(x));
  });

  it("give the same gradients as fresh buffers when a pass reuses them (accumulating into an existing grad)", () => {
    const { x, w, c } = inputs();
    backward(sum(mul(relu(matmul(x, w)), c)));
    backward(sum(square(matmul(x, w))));
    const expected = reluGrad(x).map((r, i) => r + squareGrad(x)[i]!);
    expect(Array.from(x.grad!.data)).toEqual(expected);
  });
});
