// conv2d, maxPool2d and avgPool2d against PyTorch 1.13 (float64, CPU: fixtures/conv-torch.json,
// written by scripts/make-conv-fixtures.py; |got − want| ≤ 1e-10·max(1, |want|) for outputs
// and for the gradients of Σ y·G), against central differences (float64, ε = 1e-6, relative
// error ≤ 1e-7), against hand-derived values, and across the two backends (float64 bits).
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import {
  ArgumentError, ShapeError, arange, avgPool2d, backward, conv2d, conv2dOutputSize, createWasmBackend, getBackend, maxPool2d,
  relu, reshape, setBackend, tensor, tsBackend, type Padding2d, type Tensor,
} from "./index.js";
import { fdCheck, signedValues, values, weighted } from "./test-fd.js";

interface Stored { shape: number[]; data: number[] }
interface ConvCase { x: Stored; weight: Stored; bias: number[] | null; stride: [number, number]; padding: Padding2d; y: Stored; dx: number[]; dweight: number[]; dbias: number[] | null }
interface PoolCase { x: Stored; kernel: [number, number]; stride: [number, number]; padding: Padding2d; countIncludePad?: boolean; y: Stored; dx: number[] }
const fixture = JSON.parse(readFileSync(new URL("./fixtures/conv-torch.json", import.meta.url), "utf8")) as {
  conv2d: ConvCase[]; maxPool2d: PoolCase[]; avgPool2d: PoolCase[];
};

const TOL = 1e-10;
const leaf = (s: Stored): Tensor => tensor(s.data, { shape: s.shape, requiresGrad: true });
/** The fixture's upstream gradient: G[i] = ((37 i) mod 23 − 11) / 8, exact in float64. */
const upstream = (shape: number[]): Tensor => {
  const n = shape.reduce((p, d) => p * d, 1);
  return tensor(Array.from({ length: n }, (_, i) => (((37 * i) % 23) - 11) / 8), { shape });
};

function expectClose(got: ArrayLike<number>, want: readonly number[], what: string): void {
  expect(got.length, `${what}: length`).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const err = Math.abs(got[i]! - want[i]!);
    if (!(err <= TOL * Math.max(1, Math.abs(want[i]!)))) throw new Error(`${what}[${i}]: got ${got[i]}, PyTorch ${want[i]} (error ${err})`);
  }
}

const label = (c: { x: Stored; stride: number[]; padding: Padding2d }, k: number[]): string =>
  `x [${c.x.shape.join(",")}] kernel ${k.join("×")} stride ${c.stride.join(",")} padding ${JSON.stringify(c.padding)}`;

describe("conv2d equals PyTorch's conv2d (float64, 1e-10)", () => {
  it.each(fixture.conv2d.map((c) => [label(c, c.weight.shape.slice(1, 3)) + (c.bias ? " bias" : ""), c] as const))("%s", (_, c) => {
    const x = leaf(c.x), w = leaf(c.weight), b = c.bias === null ? null : tensor(c.bias, { requiresGrad: true });
    const y = conv2d(x, w, { bias: b, stride: c.stride, padding: c.padding });
    expect(y.shape).toEqual(c.y.shape);
    expectClose(y.data, c.y.data, "y");
    backward(y, upstream(y.shape.slice()));
    expectClose(x.grad!.data, c.dx, "dx");
    expectClose(w.grad!.data, c.dweight, "dweight");
    if (b !== null) expectClose(b.grad!.data, c.dbias!, "dbias");
  });
});

describe("maxPool2d equals PyTorch's max_pool2d (float64, 1e-10)", () => {
  it.each(fixture.maxPool2d.map((c) => [label(c, c.kernel), c] as const))("%s", (_, c) => {
    const x = leaf(c.x);
    const y = maxPool2d(x, c.kernel, { stride: c.stride, padding: c.padding });
    expect(y.shape).toEqual(c.y.shape);
    expectClose(y.data, c.y.data, "y");
    backward(y, upstream(y.shape.slice()));
    expectClose(x.grad!.data, c.dx, "dx");
  });
});

describe("avgPool2d equals PyTorch's avg_pool2d (float64, 1e-10)", () => {
  it.each(fixture.avgPool2d.map((c) => [`${label(c, c.kernel)} countIncludePad ${c.countIncludePad}`, c] as const))("%s", (_, c) => {
    const x = leaf(c.x);
    const y = avgPool2d(x, c.kernel, { stride: c.stride, padding: c.padding, countIncludePad: c.countIncludePad! });
    expect(y.shape).toEqual(c.y.shape);
    expectClose(y.data, c.y.data, "y");
    backward(y, upstream(y.shape.slice()));
    expectClose(x.grad!.data, c.dx, "dx");
  });
});

describe("gradients against central differences (float64, ε = 1e-6, ≤ 1e-7)", () => {
  const cases: [string, (...xs: Tensor[]) => Tensor, Tensor[]][] = [
    ["conv2d 3×3 same + bias", (x, w, b) => conv2d(x, w, { bias: b!, padding: "same" }), [values([2, 5, 4, 3]), values([2, 3, 3, 3], -1, 1, 1), values([2], -1, 1, 2)]],
    ["conv2d 2×3 stride [2,1] padding 1", (x, w) => conv2d(x, w, { stride: [2, 1], padding: 1 }), [values([1, 6, 5, 2]), values([3, 2, 3, 2], -1, 1, 1)]],
    ["conv2d 4×4 stride 3 same (asymmetric padding)", (x, w) => conv2d(x, w, { stride: 3, padding: "same" }), [values([2, 7, 8, 1]), values([2, 4, 4, 1], -1, 1, 1)]],
    ["conv2d + fused relu", (x, w, b) => conv2d(x, w, { bias: b!, activation: "relu" }), [signedValues([1, 4, 4, 2]), signedValues([3, 2, 2, 2], 0.1, 1, 1), signedValues([3], 0.1, 1, 2)]],
    ["maxPool2d 2×2", (x) => maxPool2d(x, 2), [values([2, 4, 6, 3])]],
    ["maxPool2d 3×3 stride 2 same", (x) => maxPool2d(x, 3, { stride: 2, padding: "same" }), [values([1, 7, 5, 2])]],
    ["maxPool2d [2,3] stride 1 padding 1", (x) => maxPool2d(x, [2, 3], { stride: 1, padding: 1 }), [values([1, 4, 5, 2])]],
    ["avgPool2d 2×2", (x) => avgPool2d(x, 2), [values([2, 4, 6, 3])]],
    ["avgPool2d 3×3 stride 1 padding 1, pads excluded", (x) => avgPool2d(x, 3, { stride: 1, padding: 1, countIncludePad: false }), [values([1, 4, 5, 2])]],
    ["conv → relu → maxPool → avgPool", (x, w) => avgPool2d(maxPool2d(relu(conv2d(x, w, { padding: "same" })), 2), 2), [signedValues([2, 8, 8, 1]), values([2, 3, 3, 1], -1, 1, 1)]],
  ];
  it.each(cases)("%s", (_, f, inputs) => {
    expect(fdCheck(weighted(f), inputs).relError).toBeLessThanOrEqual(1e-7);
  });
});

describe("hand-derived values", () => {
  it("a 2×2 difference kernel over a 3×3 ramp", () => {
    const x = reshape(arange(0, 9), [1, 3, 3, 1]);
    const w = tensor([1, 0, 0, -1], { shape: [1, 2, 2, 1] });
    // x[i,j] − x[i+1,j+1] = −4 everywhere; "same" pads one row and column after.
    expect(conv2d(x, w).toArray()).toEqual([[[[-4], [-4]], [[-4], [-4]]]]);
    expect(conv2d(x, w, { padding: "same" }).toArray()).toEqual([[[[-4], [-4], [2]], [[-4], [-4], [5]], [[6], [7], [8]]]]);
  });

  it("channels: the output channel o sums weight[o, ·, ·, c] · x[·, ·, c] over c, plus bias[o]", () => {
    const x = tensor([1, 10, 2, 20], { shape: [1, 1, 2, 2] }); // pixels (1, 10) and (2, 20)
    const w = tensor([1, 0, 0, 1, 1, -1], { shape: [3, 1, 1, 2] });
    const y = conv2d(x, w, { bias: tensor([0, 0, 0.5]) });
    expect(y.toArray()).toEqual([[[[1, 10, -8.5], [2, 20, -17.5]]]]);
  });

  it("pooling", () => {
    const x = tensor([1, 5, 2, 0, 3, 4, 8, 6, 7, 1, 9, 2, 0, 2, 3, 4], { shape: [1, 4, 4, 1] });
    expect(maxPool2d(x, 2).toArray()).toEqual([[[[5], [8]], [[7], [9]]]]);
    expect(avgPool2d(x, 2).toArray()).toEqual([[[[13 / 4], [16 / 4]], [[10 / 4], [18 / 4]]]]);
    const y = tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], { shape: [1, 3, 3, 1] });
    expect(avgPool2d(y, 3, { stride: 1, padding: 1, countIncludePad: false }).data[0]).toBe(3);
    expect(avgPool2d(y, 3, { stride: 1, padding: 1 }).data[0]).toBe(12 / 9);
  });

  it("max pooling gives a tied window's gradient to its first maximum", () => {
    const x = tensor([2, 2, 1, 2], { shape: [1, 2, 2, 1], requiresGrad: true });
    backward(maxPool2d(x, 2).sum());
    expect(x.grad!.toList()).toEqual([1, 0, 0, 0]);
  });

  it("an empty batch gives an empty output and zero gradients", () => {
    const x = values([0, 5, 5, 2]).requireGrad(), w = values([3, 3, 3, 2]).requireGrad(), b = values([3]).requireGrad();
    const y = maxPool2d(conv2d(x, w, { bias: b, padding: "same" }), 2);
    expect(y.shape).toEqual([0, 2, 2, 3]);
    backward(y.sum());
    expect([x.grad!.shape, w.grad!.toList().every((v) => v === 0), b.grad!.toList()]).toEqual([[0, 5, 5, 2], true, [0, 0, 0]]);
  });

  it("conv2dOutputSize", () => {
    expect(conv2dOutputSize([28, 28], 3, { padding: "same" })).toEqual([28, 28]);
    expect(conv2dOutputSize([28, 28], 2, { stride: 2 })).toEqual([14, 14]);
    expect(conv2dOutputSize([8, 8], [3, 2], { padding: 1 })).toEqual([8, 9]);
    expect(conv2dOutputSize([7, 7], 3, { stride: 2, padding: "same" })).toEqual([4, 4]);
  });
});

describe("the backends agree bit for bit in float64", () => {
  const before = getBackend();
  afterEach(() => setBackend(before));
  it("conv2d forward and all gradients, and pooling", () => {
    const wasm = createWasmBackend({ minProduct: 0, minElements: 0 });
    const run = (): number[][] => {
      const x = values([3, 9, 7, 4]).requireGrad(), w = values([5, 3, 3, 4], -1, 1, 1).requireGrad(), b = values([5], -1, 1, 2).requireGrad();
      const y = maxPool2d(conv2d(x, w, { bias: b, padding: "same", activation: "relu" }), 2, { padding: "same" });
      backward(avgPool2d(y, 2, { stride: 1 }), upstream([3, 4, 3, 5]));
      return [y, x.grad!, w.grad!, b.grad!].map((t) => Array.from(t.data));
    };
    setBackend(tsBackend);
    const ts = run();
    setBackend(wasm);
    expect(run()).toEqual(ts);
  });
});

describe("float32", () => {
  it("stays float32 and within float32 rounding of the float64 result", () => {
    const x = values([2, 6, 6, 3]), w = values([4, 3, 3, 3], -1, 1, 1);
    const y64 = conv2d(x, w, { padding: 1 });
    const y32 = conv2d(x.to("float32"), w.to("float32"), { padding: 1 });
    expect(y32.dtype).toBe("float32");
    for (let i = 0; i < y64.size; i++) expect(Math.abs(y32.data[i]! - y64.data[i]!)).toBeLessThan(1e-5);
    expect(maxPool2d(x.to("float32"), 2).dtype).toBe("float32");
    expect(avgPool2d(x.to("float32"), 2).dtype).toBe("float32");
  });

  it("a float32 weight on float64 images computes in float64 and gives the weight a float32 gradient", () => {
    const x = values([1, 4, 4, 1]), w = values([2, 2, 2, 1]).to("float32").requireGrad();
    const y = conv2d(x, w);
    expect(y.dtype).toBe("float64");
    backward(y.sum());
    expect(w.grad!.dtype).toBe("float32");
  });
});

describe("bad input names the argument", () => {
  const x = values([1, 5, 5, 2]), w = values([3, 3, 3, 2]);
  it.each([
    ["x of rank 3", () => conv2d(values([5, 5, 2]), w), ShapeError, /conv2d: x has shape \[5,5,2\], expected 4 axes/],
    ["channels differ", () => conv2d(x, values([3, 3, 3, 1])), ShapeError, /conv2d: weight has shape \[3,3,3,1\], expected \(out, kh, kw, 2\)/],
    ["bias of the wrong size", () => conv2d(x, w, { bias: values([2]) }), ShapeError, /conv2d: bias must be a Tensor of shape \[3\], got Tensor\[2\]/],
    ["kernel larger than the image", () => conv2d(values([1, 2, 5, 2]), w), ShapeError, /conv2d: the kernel's height 3 exceeds the input's height 2/],
    ["stride 0", () => conv2d(x, w, { stride: 0 }), ArgumentError, /conv2d: stride must be a positive integer or \[height, width\].*got 0/],
    ["padding 'full'", () => conv2d(x, w, { padding: "full" as Padding2d }), ArgumentError, /conv2d: padding must be "same", "valid" or an integer ≥ 0, got "full"/],
    ["padding −1", () => maxPool2d(x, 2, { padding: -1 }), ArgumentError, /maxPool2d: padding must be .* got -1/],
    ["pool padding over half the kernel", () => maxPool2d(x, 2, { padding: 2 }), ArgumentError, /maxPool2d: padding must be at most half the kernel \[2,2\], got 2/],
    ["pool kernel 1.5", () => avgPool2d(x, 1.5), ArgumentError, /avgPool2d: kernel must be a positive integer/],
    ["countIncludePad 'yes'", () => avgPool2d(x, 2, { countIncludePad: "yes" as unknown as boolean }), ArgumentError, /avgPool2d: countIncludePad must be a boolean, got "yes"/],
    ["activation 'tanh'", () => conv2d(x, w, { activation: "tanh" as "relu" }), ArgumentError, /conv2d: activation must be "none" or "relu", got "tanh"/],
  ] as const)("%s", (_, call, type, message) => {
    expect(call).toThrow(type);
    expect(call).toThrow(message);
  });
});
