// The WebAssembly backend's products against the in-order float64 reference (a plain
// triple loop): float64 results must be its bits exactly (the kernels add products in the
// same order, without fused multiply-add); float32 results, summed in float32, must lie
// within the classic bound |ĉ − c| ≤ γ_k·Σ_p |a_ip·b_pj| with γ_k = k·u/(1 − k·u), u = 2⁻²⁴,
// of the exact sum, to which we add the one rounding of the float64 reference.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ArgumentError } from "./errors.js";
import { getBackend } from "./tensor.js";
import { reference, values } from "./test-matmul.js";
import { tsBackend } from "./ts-backend.js";
import { createWasmBackend, loadWasmBackend, wasmSimdSupported, type WasmBackend } from "./wasm-backend.js";

const U32 = 2 ** -24;

/** Checks a float32 product against the float64 reference with the bound above. */
function expectWithinBound(out: Float32Array, a: Float32Array, b: Float32Array, m: number, k: number, n: number, transA: boolean, transB: boolean): void {
  const exact = reference(a, b, m, k, n, transA, transB);
  const absA = a.map(Math.abs), absB = b.map(Math.abs);
  const magnitude = reference(absA, absB, m, k, n, transA, transB);
  const gamma = (k * U32) / (1 - k * U32);
  for (let i = 0; i < m * n; i++) {
    const bound = gamma * magnitude[i]! + U32 * Math.abs(exact[i]!) + Number.MIN_VALUE;
    if (!(Math.abs(out[i]! - exact[i]!) <= bound)) {
      throw new Error(`element ${i}: got ${out[i]}, exact ${exact[i]}, bound ${bound}`);
    }
  }
}

// Shapes crossing every edge: partial 4-row and 4/8-column tiles, one row or column, k past
// one 256-deep block (300, 513), products below and above the default size threshold.
const shapes: [number, number, number][] = [
  [1, 1, 1], [2, 3, 4], [3, 1, 5], [4, 8, 8], [5, 7, 9], [17, 13, 11], [33, 20, 35], [64, 40, 10],
  [7, 300, 5], [1, 513, 19], [97, 200, 101], [130, 257, 70],
];

describe("the WebAssembly backend", () => {
  it("is available in this engine", () => {
    expect(wasmSimdSupported()).toBe(true);
  });

  it("is the backend HONE_BACKEND names when the suite runs on it", () => {
    const wanted = process.env["HONE_BACKEND"];
    if (wanted === undefined) return;
    expect(getBackend().name).toBe(wanted);
  });

  const wasm = createWasmBackend({ minProduct: 0 });

  for (const [m, k, n] of shapes) {
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        const label = `${m}×${k}·${k}×${n}${transA ? " aᵀ" : ""}${transB ? " bᵀ" : ""}`;
        it(`float64 ${label} equals the in-order float64 sum bit for bit`, () => {
          const a = values(m * k, m * 31 + k), b = values(k * n, n * 17 + k);
          const out = new Float64Array(m * n).fill(NaN);
          wasm.matmul(a, b, out, 1, m, k, n, transA, transB, 0, 0);
          expect(Array.from(out)).toEqual(Array.from(reference(a, b, m, k, n, transA, transB)));
        });
        it(`float32 ${label} is within the float32 summation bound`, () => {
          const a = Float32Array.from(values(m * k, 3)), b = Float32Array.from(values(k * n, 4));
          const out = new Float32Array(m * n).fill(NaN);
          wasm.matmul(a, b, out, 1, m, k, n, transA, transB, 0, 0);
          expectWithinBound(out, a, b, m, k, n, transA, transB);
        });
      }
    }
  }

  it("writes zeros for an empty inner dimension (k = 0)", () => {
    const out = new Float64Array(12).fill(NaN);
    wasm.matmul(new Float64Array(0), new Float64Array(0), out, 1, 3, 0, 4, false, false, 0, 0);
    expect(Array.from(out)).toEqual(new Array(12).fill(0));
  });

  it("batches with their own matrices and with a shared (stride 0) operand", () => {
    const [m, k, n, batch] = [9, 12, 10, 3];
    const a = values(batch * m * k, 5), b = values(k * n, 6);
    const out = new Float64Array(batch * m * n);
    wasm.matmul(a, b, out, batch, m, k, n, false, false, m * k, 0);
    for (let t = 0; t < batch; t++) {
      const ref = reference(a.subarray(t * m * k, (t + 1) * m * k), b, m, k, n, false, false);
      expect(Array.from(out.subarray(t * m * n, (t + 1) * m * n))).toEqual(Array.from(ref));
    }
  });

  it("propagates NaN and 0·∞ like the reference", () => {
    const [m, k, n] = [12, 20, 9];
    const a = values(m * k, 7), b = values(k * n, 8);
    a[3 * k + 5] = 0;
    b[5 * n + 4] = Infinity;
    a[7 * k + 1] = NaN;
    const out = new Float64Array(m * n);
    wasm.matmul(a, b, out, 1, m, k, n, false, false, 0, 0);
    expect(Array.from(out)).toEqual(Array.from(reference(a, b, m, k, n, false, false)));
  });

  it("grows its memory for a product larger than the first one", () => {
    const [m, k, n] = [300, 400, 350];
    const a = values(m * k, 9), b = values(k * n, 10);
    const out = new Float64Array(m * n);
    wasm.matmul(a, b, out, 1, m, k, n, false, true, 0, 0);
    expect(Array.from(out)).toEqual(Array.from(reference(a, b, m, k, n, false, true)));
  });

  it("leaves small products and everything else to the TypeScript kernels", () => {
    const small = createWasmBackend();
    expect(small.unary === tsBackend.unary && small.reduce === tsBackend.reduce).toBe(true);
    const a = values(6, 1), b = values(6, 2), out = new Float64Array(4);
    small.matmul(a, b, out, 1, 2, 3, 2, false, false, 0, 0);
    expect(Array.from(out)).toEqual(Array.from(reference(a, b, 2, 3, 2, false, false)));
  });

  it.each([
    [{ threads: 2 }, /createWasmBackend: threads must be 1 .*loadWasmBackend.*got 2/],
    [{ threads: 0 }, /createWasmBackend: threads must be an integer ≥ 1, got 0/],
    [{ minProduct: -1 }, /createWasmBackend: minProduct must be an integer ≥ 0, got -1/],
    [{ minThreadedProduct: 1.5 }, /createWasmBackend: minThreadedProduct must be an integer ≥ 0, got 1.5/],
  ])("refuses %j with a typed error", (options, message) => {
    expect(() => createWasmBackend(options)).toThrow(ArgumentError);
    expect(() => createWasmBackend(options)).toThrow(message);
  });
});

describe("the WebAssembly backend on two threads", () => {
  let backend: WasmBackend;
  beforeAll(async () => {
    backend = await loadWasmBackend({ threads: 2, minProduct: 0, minThreadedProduct: 0 });
  });
  afterAll(async () => {
    await backend.dispose();
  });

  it("is named for its threads", () => {
    expect(backend.name).toBe("wasm×2");
    expect(backend.threads).toBe(2);
  });

  for (const [m, k, n] of [[3, 5, 7], [4, 9, 8], [17, 300, 33], [130, 257, 70]] as const) {
    it(`splits ${m}×${k}·${k}×${n} across threads with the single-thread bits (float64, all transposes)`, () => {
      for (const transA of [false, true]) {
        for (const transB of [false, true]) {
          const a = values(m * k, 11), b = values(k * n, 12);
          const out = new Float64Array(m * n).fill(NaN);
          backend.matmul(a, b, out, 1, m, k, n, transA, transB, 0, 0);
          expect(Array.from(out)).toEqual(Array.from(reference(a, b, m, k, n, transA, transB)));
        }
      }
    });
  }

  it("splits float32 products within the float32 bound", () => {
    const [m, k, n] = [129, 260, 67];
    const a = Float32Array.from(values(m * k, 13)), b = Float32Array.from(values(k * n, 14));
    const out = new Float32Array(m * n);
    backend.matmul(a, b, out, 1, m, k, n, true, false, 0, 0);
    expectWithinBound(out, a, b, m, k, n, true, false);
  });

  it("runs products on the calling thread after dispose", async () => {
    const other = await loadWasmBackend({ threads: 2, minProduct: 0, minThreadedProduct: 0 });
    await other.dispose();
    const a = values(40 * 30, 15), b = values(30 * 20, 16), out = new Float64Array(40 * 20);
    other.matmul(a, b, out, 1, 40, 30, 20, false, false, 0, 0);
    expect(Array.from(out)).toEqual(Array.from(reference(a, b, 40, 30, 20, false, false)));
  });
});

describe("the checked-in module", () => {
  it("is what wasm/kernels.ts builds to with the pinned AssemblyScript", () => {
    const script = fileURLToPath(new URL("../scripts/build-wasm.mjs", import.meta.url));
    const output = execFileSync(process.execPath, [script, "--check"], { encoding: "utf8" });
    expect(output).toContain("matches");
  });
});
