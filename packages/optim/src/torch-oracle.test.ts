// PyTorch's optimizers as the oracle, in float32 and float64: the same initial values and
// gradients (integer formulas, each value correctly rounded to the dtype, so both sides
// start from the same bits), 30 steps of torch.optim.Adam, RMSprop and SGD with Nesterov
// momentum (PyTorch 1.13, Debian's python3-torch, one thread, foreach=False), parameters
// compared after every step (the 5×7 weight) and after the last (all three tensors; the
// 30×70 one is past the WebAssembly backend's 2048-element threshold, so its kernels run).
// Made by scripts/make-torch-fixtures.py.
//
// Hone keeps the optimizer state in the parameter's dtype, as PyTorch does. Tolerance, in
// both dtypes: 4 ulps (of the dtype) of the tensor's largest value, per value. The orders
// of operations differ in the last bits (PyTorch's AVX2 kernels fuse `a + α·b` into one
// multiply-add; Hone's float64 Adam follows numpy's order; Hone's learning-rate link rounds
// α·u before p − α·u), so values that pass near 0 keep an error of the size of the
// tensor's larger values. Measured: Adam and RMSprop ≤ 1 ulp, Nesterov ≤ 3.5 in float32
// and ≤ 1.2 in float64.
import { tensor, type DType, type Tensor } from "@hone/tensor";
import { describe, expect, it } from "vitest";
import { adam, momentum, rmsprop, type Optimizer } from "./index.js";
import fixture from "./fixtures/torch-optimizers.json" with { type: "json" };

const shapes = fixture.shapes as number[][];
const sizeOf = (s: number[]): number => s.reduce((a, b) => a * b, 1);

function decode(text: string, dtype: DType): Float32Array | Float64Array {
  const bytes = Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  return dtype === "float32" ? new Float32Array(bytes.buffer) : new Float64Array(bytes.buffer);
}

const initial = (n: number): number[] => Array.from({ length: n }, (_, i) => (((i * 31) % 97) - 48) / 50);
const gradient = (n: number, k: number, t: number): number[] =>
  Array.from({ length: n }, (_, i) => ((((i * 7919 + t * 104729 + k * 13 + 17) % 2001) - 1000) / 1000) * (1 + (t % 3)));

const CASES: { name: string; make: () => Optimizer }[] = [
  { name: "adam", make: () => adam({ lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8 }) },
  { name: "rmsprop", make: () => rmsprop({ lr: 1e-3, beta: 0.9, eps: 1e-8 }) },
  { name: "nesterov", make: () => momentum({ lr: 1e-2, beta: 0.9, form: "pytorch", nesterov: true }) },
];

/** The unit in the last place of |x| in `dtype` (x normal). */
const ulp = (x: number, dtype: DType): number => 2 ** (Math.floor(Math.log2(Math.abs(x))) - (dtype === "float32" ? 23 : 52));

/** The largest |got − want| in ulps of want's largest value: ≤ 4 passes. */
function worst(got: ArrayLike<number>, want: ArrayLike<number>, dtype: DType): number {
  let big = 0, m = 0;
  for (let i = 0; i < want.length; i++) big = Math.max(big, Math.abs(want[i]!));
  for (let i = 0; i < want.length; i++) m = Math.max(m, Math.abs(got[i]! - want[i]!));
  return m / ulp(big, dtype);
}

describe.each(CASES)("$name against torch.optim", ({ name, make }) => {
  it.each(["float32", "float64"] as const)("%s: parameters after every step and after 30", (dtype) => {
    const ref = (fixture.cases as Record<string, { final: string[]; weightEachStep: string[] }>)[`${name}/${dtype}`]!;
    const ps: Tensor[] = shapes.map((s) => tensor(initial(sizeOf(s)), { shape: s, dtype, requiresGrad: true }));
    const opt = make();
    let worstStep = 0;
    for (let t = 0; t < fixture.steps; t++) {
      ps.forEach((p, k) => (p.grad = tensor(gradient(p.size, k, t), { shape: p.shape, dtype })));
      opt.step(ps);
      worstStep = Math.max(worstStep, worst(ps[1]!.data, decode(ref.weightEachStep[t]!, dtype), dtype));
    }
    expect(worstStep).toBeLessThanOrEqual(4);
    ps.forEach((p, k) => expect(worst(p.data, decode(ref.final[k]!, dtype), dtype)).toBeLessThanOrEqual(4));
    // The state is of the parameter's dtype.
    const buffers = Object.values(opt.state!.children!.find((c) => Object.keys(c.buffers).length > 0)!.buffers);
    for (const b of buffers) expect(b[0]).toBeInstanceOf(dtype === "float32" ? Float32Array : Float64Array);
  });
});
