// `matmul`: square products C = A·B at n = 64 … 1024, in GFLOP/s (2n³ flops a product),
// float32 against TensorFlow.js, NumPy and PyTorch, float64 against NumPy and PyTorch
// (TensorFlow.js has no float64); the Python peers on one thread (OpenBLAS).
// Each sample repeats the product for about 0.25 s. Each result is checked with a float64
// Freivalds test: C·x against A·(B·x). Hone runs on the TypeScript backend and on
// WebAssembly with one and two threads, float32 with fused multiply-add (`hone-fma`, Node's
// relaxed SIMD behind a flag) and in headless Chromium (`hone-chromium`, relaxed SIMD on);
// its float64 products are equal bit for bit on every backend, so in float64 the sums of C
// must be equal too.
import { matmul as honeMatmul, rng, tensor, type DType, type Tensor } from "@hone/tensor";
import { HONE_F64, JS_LIBRARIES, checkAgreement, checkValues, isHone, makeResult, now, type CasePlan, type Check, type LibraryName, type RunOptions, type Workload } from "../harness.js";
import { availablePython, rawArray } from "../python.js";
import { chromiumAvailable, chromiumSession, type PageScope } from "../browser.js";
import { backendOf, tfjs } from "../tfjs.js";

interface Case {
  name: string;
  n: number;
  dtype: DType;
}

function cases(options: RunOptions): Case[] {
  const sizes = options.quick ? [64, 256, 512] : [64, 128, 256, 512, 1024];
  return (["float32", "float64"] as const).flatMap((dtype) => sizes.map((n) => ({ name: `matmul n=${n} ${dtype}`, n, dtype })));
}

/** A case's operand values, drawn from `rng(n)` in float64. */
function draws(c: Case): [Float64Array, Float64Array] {
  const r = rng(c.n);
  return [r.randnArray(c.n * c.n), r.randnArray(c.n * c.n)];
}

/** The operands of a case (float32 cases round the same draws). */
function operands(c: Case): [Tensor, Tensor] {
  const [av, bv] = draws(c);
  return [tensor(av, { shape: [c.n, c.n], dtype: c.dtype }), tensor(bv, { shape: [c.n, c.n], dtype: c.dtype })];
}

/** The largest |C·x − A·(B·x)| relative to max |A·(B·x)|, all in float64. */
function freivalds(a: ArrayLike<number>, b: ArrayLike<number>, c: ArrayLike<number>, n: number): number {
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = ((i * 7919) % 13) - 6;
  const mul = (m: ArrayLike<number>, v: Float64Array): Float64Array => {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += m[i * n + j]! * v[j]!;
      out[i] = s;
    }
    return out;
  };
  const ref = mul(a, mul(b, x)), got = mul(c, x);
  let err = 0, scale = 0;
  for (let i = 0; i < n; i++) {
    err = Math.max(err, Math.abs(got[i]! - ref[i]!));
    scale = Math.max(scale, Math.abs(ref[i]!));
  }
  return err / scale;
}

export const matmul: Workload = {
  name: "matmul",
  plan: (options) => cases(options).map((c): CasePlan => {
    const tol = c.dtype === "float32" ? 1e-4 : 1e-12 * Math.sqrt(c.n);
    return {
      name: c.name,
      libraries: [...(c.dtype === "float32" ? [...JS_LIBRARIES, ...(chromiumAvailable() ? ["hone-chromium" as const] : [])] : HONE_F64), ...availablePython(["numpy", "torch"])],
      // NumPy and PyTorch multiply the same draws (rounded to float32 for the float32 rows).
      python: () => {
        const [a, b] = draws(c);
        return { n: c.n, dtype: c.dtype, seconds: options.quick ? 0.05 : 0.25, a: rawArray(a, [c.n, c.n]), b: rawArray(b, [c.n, c.n]) };
      },
      result(samples, checks) {
        const errors: Partial<Record<LibraryName, number>> = {};
        for (const [library, v] of checks) {
          const e = v.error;
          if (e === undefined || !(e <= tol)) throw new Error(`${c.name}: ${library}'s product is wrong: Freivalds error ${e} > ${tol.toExponential(1)}`);
          errors[library] = e;
        }
        const checked: Check[] = [{ what: "Freivalds error |C·x − A·(B·x)|/max|A·(B·x)|", values: errors, tolerance: `≤ ${tol.toExponential(1)}` }];
        if (c.dtype === "float64") checked.push(checkAgreement("sum of C (equal bit for bit on every backend)", checkValues(checks, "sum", isHone), 0));
        return makeResult({
          name: c.name, workload: "matmul", unit: "GFLOP/s", higherIsBetter: true,
          ...(c.dtype === "float32" && c.n === 512
            ? {
                targets: [
                  { subject: "hone", against: "tfjs-cpu", op: ">=", value: 6 },
                  { subject: "hone-wasm", against: "tfjs-wasm", op: ">=", value: 1.2 },
                  { subject: "hone-wasm2", against: "tfjs-wasm", op: ">=", value: 2 },
                  { subject: "hone-wasm", against: "numpy", op: ">=", value: 0.6 },
                  { subject: "hone-chromium", against: "numpy", op: ">=", value: 0.9 },
                ],
              }
            : {}),
        }, samples, checked);
      },
    };
  }),

  async setup(library, caseName, options) {
    const c = cases(options).find((x) => x.name === caseName);
    if (c === undefined) throw new Error(`unknown case ${caseName}`);
    const [a, b] = operands(c);
    const flops = 2 * c.n ** 3;
    const seconds = options.quick ? 0.05 : 0.25;
    // One product: returns its values (for the check) and how long it took.
    let product: () => ArrayLike<number> | Promise<ArrayLike<number>>;
    let repeat: (times: number) => void | Promise<number>;
    if (library === "hone-chromium") {
      // The same draws in the page (rng is deterministic), timed there.
      const { page } = await chromiumSession();
      await page.evaluate(({ n, dtype }: { n: number; dtype: DType }) => {
        const w = globalThis as unknown as PageScope;
        const r = w.t.rng(n);
        w.a = w.t.tensor(r.randnArray(n * n), { shape: [n, n], dtype });
        w.b = w.t.tensor(r.randnArray(n * n), { shape: [n, n], dtype });
      }, { n: c.n, dtype: c.dtype });
      product = () => page.evaluate(() => {
        const w = globalThis as unknown as PageScope & { a: Tensor; b: Tensor };
        return Array.from(w.t.matmul(w.a, w.b).data);
      });
      repeat = (times) => page.evaluate((times: number) => {
        const w = globalThis as unknown as PageScope & { a: Tensor; b: Tensor };
        const t0 = performance.now();
        for (let i = 0; i < times; i++) w.t.matmul(w.a, w.b);
        return (performance.now() - t0) / 1000;
      }, times);
    } else if (isHone(library)) {
      product = () => honeMatmul(a, b).data;
      repeat = (times) => { for (let i = 0; i < times; i++) honeMatmul(a, b); };
    } else {
      const tf = await tfjs(backendOf(library));
      const ta = tf.tensor2d(a.data as Float32Array, [c.n, c.n], "float32"), tb = tf.tensor2d(b.data as Float32Array, [c.n, c.n], "float32");
      product = () => { const t = tf.matMul(ta, tb); const v = t.dataSync(); t.dispose(); return v; };
      repeat = (times) => { for (let i = 0; i < times; i++) tf.matMul(ta, tb).dispose(); };
    }
    let reps = 1;
    return {
      async sample(round) {
        if (round === 0) {
          const t0 = now();
          const values = await product();
          reps = Math.max(1, Math.ceil(seconds / Math.max(now() - t0, 1e-6)));
          const t = now() - t0;
          let sum = 0;
          for (let i = 0; i < values.length; i++) sum += values[i]!;
          return { value: flops / Math.max(t, 1e-9) / 1e9, checks: { error: freivalds(a.data, b.data, values, c.n), sum } };
        }
        const t0 = now();
        // A library that times itself (Chromium's page) returns its seconds.
        const elapsed = (await repeat(reps)) ?? now() - t0;
        return { value: (flops * reps) / elapsed / 1e9 };
      },
    };
  },
};
