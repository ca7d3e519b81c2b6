// The WebAssembly backend's products against the in-order float64 reference (a plain
// triple loop): float64 results must be its bits exactly (the kernels add products in the
// same order, without fused multiply-add); float32 results, summed in float32, must lie
// within the classic bound |ĉ − c| ≤ γ_k·Σ_p |a_ip·b_pj| with γ_k = k·u/(1 − k·u), u = 2⁻²⁴,
// of the exact sum, to which we add the one rounding of the float64 reference.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ArgumentError } from "./errors.js";
import { sizeOf, type Shape } from "./shape.js";
import { getBackend } from "./tensor.js";
import { reference, values } from "./test-matmul.js";
import { tsBackend } from "./ts-backend.js";
import { build, createWasmBackend, loadWasmBackend, wasmRelaxedSimdSupported, wasmSimdSupported, type WasmBackend, type WasmBackendOptions } from "./wasm-backend.js";
import { nodeSpawner, type NodeWorkerConstructor } from "./wasm-threads.js";

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

  for (const type of [Float32Array, Float64Array]) {
    it(`a dense layer (${type.name}): the product, + bias, ReLU — the TypeScript kernels' bits`, () => {
      for (const [m, k, n] of [[5, 7, 9], [211, 2, 20], [64, 300, 13]] as const) {
        for (const bias of [true, false]) {
          for (const relu of [true, false]) {
            const x = specials(m * k, 21, type).map((v) => (Number.isFinite(v) ? v : 0.25));
            const w = type.from(values(n * k, 22)), b = bias ? type.from(values(n, 23)) : null;
            const want = new type(m * n), got = new type(m * n).fill(NaN);
            tsBackend.linear(x, w, b, want, m, k, n, relu);
            wasm.linear(x, w, b, got, m, k, n, relu);
            if (type === Float64Array) expect(sameBits(got, want)).toBe(true);
            else {
              // float32 products differ by rounding: compare with the product rounded the kernels' way.
              const z = new type(m * n);
              wasm.matmul(x, w, z, 1, m, k, n, false, true, 0, 0);
              const expected = z.map((v, i) => {
                const t = b === null ? v : Math.fround(v + b[i % n]!);
                return relu ? (t > 0 ? t : 0) : t;
              });
              expect(sameBits(got, expected)).toBe(true);
            }
          }
        }
      }
    });
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

  it("hands back memory grown past keepBytes after the call, and keeps memory under it", () => {
    // 300×400·400×350 float64: A 0.96 MB, B 1.12 MB, C and packed B ~0.85 and 1.12 MB, so
    // the layout needs ~4.1 MB: past a 2 MB keepBytes, under the default 64 MiB.
    const [m, k, n] = [300, 400, 350];
    const a = values(m * k, 9), b = values(k * n, 10);
    const want = Array.from(reference(a, b, m, k, n, false, true));
    const trimming = createWasmBackend({ keepBytes: 2 * 2 ** 20 });
    const keeping = createWasmBackend();
    const initial = keeping.memoryBytes;
    expect(initial).toBe(16 * 65536); // the initial 16 pages
    for (const backend of [trimming, keeping]) {
      for (let round = 0; round < 2; round++) {
        const out = new Float64Array(m * n);
        backend.matmul(a, b, out, 1, m, k, n, false, true, 0, 0);
        expect(Array.from(out)).toEqual(want);
      }
    }
    expect(trimming.memoryBytes).toBe(initial);
    expect(keeping.memoryBytes).toBeGreaterThan(4e6);
    // Element-wise kernels on the fresh memory after a trim: still the TypeScript bits.
    const x = values(400_000, 3), y = values(400_000, 4), got = new Float64Array(x.length), ref = new Float64Array(x.length);
    trimming.binary("mul", x, [x.length], y, [y.length], got, [x.length]);
    tsBackend.binary("mul", x, [x.length], y, [y.length], ref, [x.length]);
    expect(sameBits(got, ref)).toBe(true);
    expect(trimming.memoryBytes).toBe(initial); // 6.4 MB of operands grew it; handed back
  });

  it("leaves small products to the TypeScript kernels", () => {
    const small = createWasmBackend();
    const a = values(6, 1), b = values(6, 2), out = new Float64Array(4);
    small.matmul(a, b, out, 1, 2, 3, 2, false, false, 0, 0);
    expect(Array.from(out)).toEqual(Array.from(reference(a, b, 2, 3, 2, false, false)));
  });

  it.each([
    [{ threads: 2 }, /createWasmBackend: threads must be 1 .*loadWasmBackend.*got 2/],
    [{ threads: 0 }, /createWasmBackend: threads must be an integer ≥ 1, got 0/],
    [{ minProduct: -1 }, /createWasmBackend: minProduct must be an integer ≥ 0, got -1/],
    [{ minThreadedProduct: 1.5 }, /createWasmBackend: minThreadedProduct must be an integer ≥ 0, got 1.5/],
    [{ minElements: "8" } as unknown as WasmBackendOptions, /createWasmBackend: minElements must be an integer ≥ 0, got "8"/],
    [{ keepBytes: -5 }, /createWasmBackend: keepBytes must be an integer ≥ 0, got -5/],
  ])("refuses %j with a typed error", (options, message) => {
    expect(() => createWasmBackend(options)).toThrow(ArgumentError);
    expect(() => createWasmBackend(options)).toThrow(message);
  });
});

/** Values with the special cases mixed in: ±0, ±∞, NaN, tiny and huge magnitudes. */
function specials(n: number, seed: number, type: typeof Float32Array | typeof Float64Array): Float32Array | Float64Array {
  const out = type.from(values(n, seed));
  const special = [0, -0, Infinity, -Infinity, NaN, 1e-300, -1e300, 0.5, -2];
  for (let i = 0; i < n; i += 7) out[i] = special[(i / 7) % special.length]!;
  return out;
}

/** Whether two arrays hold the same values, NaN equal to NaN and −0 distinct from +0. */
function sameBits(x: ArrayLike<number>, y: ArrayLike<number>): boolean {
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) return false;
  return true;
}

describe("a dense layer's backward pass in one call (linearBackward)", () => {
  const wasm = createWasmBackend({ minProduct: 0 });
  // m×k inputs, n units: partial tiles, one row, k past a 256-deep block, m past the 64-row bands.
  const layers: [number, number, number][] = [[211, 2, 20], [211, 20, 3], [5, 7, 9], [1, 3, 4], [130, 300, 6], [64, 8, 1]];

  it.each(layers)("float64, m %i, k %i, n %i: gz = g·[out > 0], then gz·w, gzᵀ·x and the column sums, in order, bit for bit", (m, k, n) => {
    const g = values(m * n, m + n), out = values(m * n, 7 * m + k), x = values(m * k, k), w = values(n * k, n);
    for (const relu of [true, false]) {
      const gz = g.map((v, i) => (relu ? (out[i]! > 0 ? v : v * 0) : v));
      const db = new Float64Array(n);
      for (let j = 0; j < n; j++) for (let i = 0; i < m; i++) db[j] = db[j]! + gz[i * n + j]!;
      const got = { dx: new Float64Array(m * k), dw: new Float64Array(n * k), db: new Float64Array(n) };
      expect(wasm.linearBackward!(g, relu ? out : null, x, w, got.dx, got.dw, got.db, m, k, n)).toBe(true);
      expect(sameBits(got.dx, reference(gz, w, m, n, k, false, false)), "dx").toBe(true);
      expect(sameBits(got.dw, reference(gz, x, n, m, k, true, false)), "dw").toBe(true);
      expect(sameBits(got.db, db), "db").toBe(true);
    }
  });

  it("writes only the gradients asked for, and leaves its inputs as they were", () => {
    const [m, k, n] = [33, 20, 35];
    const g = values(m * n, 1), out = values(m * n, 2), x = values(m * k, 3), w = values(n * k, 4);
    const before = [g, out, x, w].map((a) => Array.from(a));
    const dw = new Float64Array(n * k);
    expect(wasm.linearBackward!(g, out, x, w, null, dw, null, m, k, n)).toBe(true);
    const gz = g.map((v, i) => (out[i]! > 0 ? v : v * 0));
    expect(sameBits(dw, reference(gz, x, n, m, k, true, false))).toBe(true);
    expect([g, out, x, w].map((a) => Array.from(a))).toEqual(before);
  });

  it("float32: the same bits as the backend's own reluBackward, matmul and sum", () => {
    const [m, k, n] = [97, 40, 24];
    const f = (len: number, seed: number): Float32Array => Float32Array.from(values(len, seed));
    const g = f(m * n, 5), out = f(m * n, 6), x = f(m * k, 7), w = f(n * k, 8);
    const gz = new Float32Array(m * n);
    wasm.binary("reluBackward", g, [m, n], out, [m, n], gz, [m, n]);
    const want = { dx: new Float32Array(m * k), dw: new Float32Array(n * k), db: new Float32Array(n) };
    wasm.matmul(gz, w, want.dx, 1, m, n, k, false, false, 0, 0);
    wasm.matmul(gz, x, want.dw, 1, n, m, k, true, false, 0, 0);
    wasm.reduce("sum", gz, [m, n], [0], want.db);
    const got = { dx: new Float32Array(m * k), dw: new Float32Array(n * k), db: new Float32Array(n) };
    expect(wasm.linearBackward!(g, out, x, w, got.dx, got.dw, got.db, m, k, n)).toBe(true);
    expect([sameBits(got.dx, want.dx), sameBits(got.dw, want.dw), sameBits(got.db, want.db)]).toEqual([true, true, true]);
  });

  it("declines (false, nothing written) below minProduct and for mixed types", () => {
    const small = createWasmBackend();
    const dw = new Float64Array(6);
    expect(small.linearBackward!(values(6, 1), null, values(4, 2), values(6, 3), null, dw, null, 2, 2, 3)).toBe(false);
    expect(Array.from(dw)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(wasm.linearBackward!(values(6, 1), null, Float32Array.from(values(4, 2)), values(6, 3), null, dw, null, 2, 2, 3)).toBe(false);
  });
});

describe("the WebAssembly element-wise kernels equal the TypeScript kernels bit for bit", () => {
  const wasm = createWasmBackend({ minElements: 0 });
  const types = [Float32Array, Float64Array] as const;
  // 4099 values: not a whole number of vectors; rows of 12 (whole vectors in both types) and of 6 (not, in float32).
  const cases: [string, Shape, Shape][] = [
    ["same shape", [4099], [4099]], ["scalar second", [4099], []], ["scalar first", [], [4099]],
    ["a bias row", [343, 12], [12]], ["a row first", [12], [343, 12]], ["rows of 6", [500, 6], [1, 6]],
    ["a column (the TypeScript kernels)", [40, 12], [40, 1]],
  ];
  for (const op of ["add", "sub", "mul", "div", "reluBackward", "sigmoidBackward", "tanhBackward", "maximum", "lt"] as const) {
    for (const type of types) {
      it.each(cases)(`${op} ${type.name}: %s`, (_label, aShape, bShape) => {
        const outShape = aShape.length >= bShape.length ? (aShape[0] === 40 ? [40, 12] : aShape) : bShape;
        const a = specials(sizeOf(aShape), 1, type), b = specials(sizeOf(bShape), 2, type);
        const want = new type(sizeOf(outShape)), got = new type(sizeOf(outShape)).fill(7);
        tsBackend.binary(op, a, aShape, b, bShape, want, outShape);
        wasm.binary(op, a, aShape, b, bShape, got, outShape);
        expect(sameBits(got, want)).toBe(true);
      });
    }
  }

  for (const op of ["neg", "abs", "square", "sqrt", "relu", "exp", "leakyRelu"] as const) {
    for (const type of types) {
      it(`${op} ${type.name}`, () => {
        const a = specials(4099, 3, type);
        const want = new type(a.length), got = new type(a.length);
        tsBackend.unary(op, a, want, 0.01);
        wasm.unary(op, a, got, 0.01);
        expect(sameBits(got, want)).toBe(true);
      });
    }
  }

  for (const type of types) {
    it.each([
      [[300, 12], [0]], [[300, 7], [0]], [[20, 15, 9], [0, 1]], [[20, 15, 9], [0]], [[20, 15], [1]],
    ] as [Shape, number[]][])(`sum ${type.name} of %j over axes %j`, (shape, axes) => {
      const a = specials(sizeOf(shape), 4, type).map((v) => (Number.isFinite(v) ? v : 1.5));
      const outSize = sizeOf(shape.filter((_, i) => !axes.includes(i)));
      const want = new type(outSize), got = new type(outSize).fill(7);
      tsBackend.reduce("sum", a, shape, axes, want);
      wasm.reduce("sum", a, shape, axes, got);
      expect(sameBits(got, want)).toBe(true);
    });
  }

  it("Adam's step equals the TypeScript step, buffers and update", () => {
    const n = 4099;
    const init = (seed: number): Float64Array => Float64Array.from(values(n, seed));
    const g = init(5), v = init(6), s = init(7).map(Math.abs);
    const [u1, v1, s1] = [g.slice(), v.slice(), s.slice()];
    const [u2, v2, s2] = [g.slice(), v.slice(), s.slice()];
    tsBackend.adam(u1, v1, s1, 0.9, 0.999, 1 - 0.9 ** 3, 1 - 0.999 ** 3, 1e-8, 0.01);
    wasm.adam(u2, v2, s2, 0.9, 0.999, 1 - 0.9 ** 3, 1 - 0.999 ** 3, 1e-8, 0.01);
    expect(sameBits(u2, u1) && sameBits(v2, v1) && sameBits(s2, s1)).toBe(true);
    // And the hand-written formula for one element.
    const i = 10, vi = 0.9 * v[i]! + (1 - 0.9) * g[i]!, si = 0.999 * s[i]! + (1 - 0.999) * (g[i]! * g[i]!);
    expect(u2[i]).toBe((0.01 * (vi / (1 - 0.9 ** 3))) / (Math.sqrt(si / (1 - 0.999 ** 3)) + 1e-8));
  });
});

describe("the WebAssembly optimizer kernels equal the TypeScript kernels bit for bit", () => {
  const wasm = createWasmBackend({ minElements: 0 });
  const n = 4099;
  const init = (seed: number): Float64Array => Float64Array.from(values(n, seed));

  it("the course's momentum: v = β·v + (1 − β)·g, u = v", () => {
    const g = init(8), v = init(9);
    const [u1, v1, u2, v2] = [g.slice(), v.slice(), g.slice(), v.slice()];
    tsBackend.ema(u1, v1, 0.9);
    wasm.ema(u2, v2, 0.9);
    expect(sameBits(u2, u1) && sameBits(v2, v1)).toBe(true);
    expect(v2[3]).toBe(0.9 * v[3]! + (1 - 0.9) * g[3]!);
  });

  it("RMSprop: s = β·s + (1 − β)·g², u = (rate·g)/(√s + ε)", () => {
    const g = init(10), s = init(11).map(Math.abs);
    const [u1, s1, u2, s2] = [g.slice(), s.slice(), g.slice(), s.slice()];
    tsBackend.rms(u1, s1, 0.9, 1e-8, 0.01);
    wasm.rms(u2, s2, 0.9, 1e-8, 0.01);
    expect(sameBits(u2, u1) && sameBits(s2, s1)).toBe(true);
    const s3 = 0.9 * s[3]! + (1 - 0.9) * (g[3]! * g[3]!);
    expect(u2[3]).toBe((0.01 * g[3]!) / (Math.sqrt(s3) + 1e-8));
  });

  it.each([Float32Array, Float64Array])("p −= u on %o parameters (float32: the float64 difference rounded once)", (type) => {
    const p = type.from(values(n, 12)), u = init(13);
    const [p1, p2] = [p.slice(), p.slice()];
    tsBackend.applyUpdate(p1, u);
    wasm.applyUpdate(p2, u);
    expect(sameBits(p2, p1)).toBe(true);
    expect(p2[5]).toBe(type === Float32Array ? Math.fround(p[5]! - u[5]!) : p[5]! - u[5]!);
  });
});

describe("the float32 optimizer kernels: every operation in float32, WebAssembly equal to TypeScript bit for bit", () => {
  const wasm = createWasmBackend({ minElements: 0 });
  const n = 4099;
  const init = (seed: number): Float32Array => Float32Array.from(values(n, seed));
  const f = Math.fround;

  it("Adam in PyTorch's order: u = ((rate/c1)·v)/(√s/√c2 + ε)", () => {
    const g = init(5), v = init(6), s = init(7).map(Math.abs);
    const [u1, v1, s1, u2, v2, s2] = [g.slice(), v.slice(), s.slice(), g.slice(), v.slice(), s.slice()];
    const c1 = 1 - 0.9 ** 3, c2 = 1 - 0.999 ** 3;
    tsBackend.adam(u1, v1, s1, 0.9, 0.999, c1, c2, 1e-8, 0.01);
    wasm.adam(u2, v2, s2, 0.9, 0.999, c1, c2, 1e-8, 0.01);
    expect(sameBits(u2, u1) && sameBits(v2, v1) && sameBits(s2, s1)).toBe(true);
    // One element by hand, each operation rounded to float32.
    const i = 10, vi = f(f(f(0.9) * v[i]!) + f(f(1 - 0.9) * g[i]!)), si = f(f(f(0.999) * s[i]!) + f(f(1 - 0.999) * f(g[i]! * g[i]!)));
    expect(v2[i]).toBe(vi);
    expect(s2[i]).toBe(si);
    expect(u2[i]).toBe(f(f(f(0.01 / c1) * vi) / f(f(f(Math.sqrt(si)) / f(Math.sqrt(c2))) + f(1e-8))));
  });

  it("the course's momentum and RMSprop", () => {
    const g = init(8), v = init(9), s = init(10).map(Math.abs);
    const [u1, v1, u2, v2] = [g.slice(), v.slice(), g.slice(), v.slice()];
    tsBackend.ema(u1, v1, 0.9);
    wasm.ema(u2, v2, 0.9);
    expect(sameBits(u2, u1) && sameBits(v2, v1)).toBe(true);
    expect(v2[3]).toBe(f(f(f(0.9) * v[3]!) + f(f(1 - 0.9) * g[3]!)));
    const [r1, s1, r2, s2] = [g.slice(), s.slice(), g.slice(), s.slice()];
    tsBackend.rms(r1, s1, 0.9, 1e-8, 0.01);
    wasm.rms(r2, s2, 0.9, 1e-8, 0.01);
    expect(sameBits(r2, r1) && sameBits(s2, s1)).toBe(true);
    const s3 = f(f(f(0.9) * s[3]!) + f(f(1 - 0.9) * f(g[3]! * g[3]!)));
    expect(r2[3]).toBe(f(f(f(0.01) * g[3]!) / f(f(Math.sqrt(s3)) + f(1e-8))));
  });

  it("p −= u with a float32 update is a float32 difference; float64 parameters refuse it", () => {
    const p = init(12), u = init(13);
    const [p1, p2] = [p.slice(), p.slice()];
    tsBackend.applyUpdate(p1, u);
    wasm.applyUpdate(p2, u);
    expect(sameBits(p2, p1)).toBe(true);
    expect(p2[5]).toBe(f(p[5]! - u[5]!));
    for (const b of [tsBackend, wasm]) expect(() => b.applyUpdate(new Float64Array(n), u)).toThrow("applyUpdate: a float32 update needs float32 parameters, got Float64Array");
  });
});

describe("Adam applied in the same pass (adam with p)", () => {
  const wasm = createWasmBackend({ minElements: 0 });
  const n = 4099;
  it.each([Float64Array, Float32Array])("%o: p −= update exactly as adam then applyUpdate, the moments the same, u keeps g", (type) => {
    const g = type.from(values(n, 21)), v = type.from(values(n, 22)), s = type.from(values(n, 23).map(Math.abs)), p = type.from(values(n, 24));
    const c1 = 1 - 0.9 ** 5, c2 = 1 - 0.999 ** 5;
    // The reference: the update written, then applied.
    const [u0, v0, s0, p0] = [g.slice(), v.slice(), s.slice(), p.slice()];
    tsBackend.adam(u0, v0, s0, 0.9, 0.999, c1, c2, 1e-8, 0.01);
    tsBackend.applyUpdate(p0, u0);
    for (const backend of [tsBackend, wasm]) {
      const [u1, v1, s1, p1] = [g.slice(), v.slice(), s.slice(), p.slice()];
      backend.adam(u1, v1, s1, 0.9, 0.999, c1, c2, 1e-8, 0.01, p1);
      expect(sameBits(p1, p0) && sameBits(v1, v0) && sameBits(s1, s0)).toBe(true);
      expect(sameBits(u1, g)).toBe(true);
    }
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

  it("keeps its shared memory past keepBytes while its workers run, and hands it back after dispose", async () => {
    const other = await loadWasmBackend({ threads: 2, minProduct: 0, minThreadedProduct: 0, keepBytes: 2 ** 20 });
    const [m, k, n] = [300, 400, 350];
    const a = values(m * k, 9), b = values(k * n, 10), out = new Float64Array(m * n);
    other.matmul(a, b, out, 1, m, k, n, false, false, 0, 0);
    expect(Array.from(out)).toEqual(Array.from(reference(a, b, m, k, n, false, false)));
    expect(other.memoryBytes).toBeGreaterThan(4e6);
    await other.dispose();
    out.fill(NaN);
    other.matmul(a, b, out, 1, m, k, n, false, false, 0, 0);
    expect(Array.from(out)).toEqual(Array.from(reference(a, b, m, k, n, false, false)));
    // Both memories at their initial 1 MiB: the shared one handed back at dispose, and the
    // ordinary one of the single-threaded kernels that run what is not split (and, after
    // dispose, every product) trimmed after the product that grew it.
    expect(other.memoryBytes).toBe(2 * 16 * 65536);
  });

  /** `on`'s float64 m×k·k×n products, every transpose variant, equal the in-order reference bit for bit. */
  function expectExactProducts(on: WasmBackend, m: number, k: number, n: number, seed: number): void {
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        const a = values(m * k, seed), b = values(k * n, seed + 1);
        const out = new Float64Array(m * n).fill(NaN);
        on.matmul(a, b, out, 1, m, k, n, transA, transB, 0, 0);
        expect(Array.from(out)).toEqual(Array.from(reference(a, b, m, k, n, transA, transB)));
      }
    }
  }

  for (const [m, k, n] of [[3, 5, 7], [4, 9, 8], [17, 300, 33], [130, 257, 70]] as const) {
    it(`splits ${m}×${k}·${k}×${n} across threads with the single-thread bits (float64, all transposes)`, () => {
      expectExactProducts(backend, m, k, n, 11);
    });
  }

  it("does not wait for a worker that has not woken: the calling thread takes its bands back, with the same bits", async () => {
    // A worker that sleeps 3 s after it starts, before it looks at its first job: a thread
    // slow to wake. Each product below posts it two jobs (packing, then rows); waiting for it
    // would take 3 s, taking them back takes none.
    const { Worker } = await import("node:worker_threads");
    const READY = 'parentPort.postMessage("ready");';
    class Sleepy extends Worker {
      constructor(code: string, options: { eval: true; workerData: unknown }) {
        if (!code.includes(READY)) throw new Error("the worker's code no longer posts its ready message as this test expects");
        super(code.replace(READY, `${READY} Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 3000);`), options);
      }
    }
    const sleepy = build({ minProduct: 0, minThreadedProduct: 0 }, 2, backend.fusedMultiplyAdd, nodeSpawner(Sleepy as unknown as NodeWorkerConstructor));
    await sleepy.ready;
    try {
      const started = performance.now();
      expectExactProducts(sleepy, 130, 257, 70, 21);
      expect(performance.now() - started).toBeLessThan(2500);
    } finally {
      await sleepy.dispose();
    }
  });

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

// Float32 products in the order the kernels sum (p = 0, 1, …, k − 1 from zero), rounded
// their two ways: multiply then add (each rounded to float32), or fused multiply-add (one
// rounding of the exact x·y + acc). x·y of two float32 values is exact in float64; the sum
// is made exact-then-rounded-once by rounding it to odd in float64 first (53 ≥ 24 + 2 bits,
// so rounding to odd and then to nearest float32 rounds the exact value correctly).
const bitsView = new DataView(new ArrayBuffer(8));

/** fma(x, y, acc) rounded once to float32. */
function fusedF32(x: number, y: number, acc: number): number {
  const p = x * y, s = p + acc;
  const bb = s - p, err = (p - (s - bb)) + (acc - bb);
  if (err === 0 || !Number.isFinite(s)) return Math.fround(s);
  bitsView.setFloat64(0, s);
  const bits = bitsView.getBigUint64(0);
  if ((bits & 1n) === 1n) return Math.fround(s);
  // Even last bit: the exact sum lies strictly between s and its neighbour toward err; take the odd one.
  bitsView.setBigUint64(0, (err > 0) === (s > 0) ? bits + 1n : bits - 1n);
  return Math.fround(bitsView.getFloat64(0));
}

/** C = A·B (m×k, k×n, row-major) summed in order with `step`. */
function orderedF32(a: Float32Array, b: Float32Array, m: number, k: number, n: number, step: (x: number, y: number, acc: number) => number): Float32Array {
  const out = new Float32Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let acc = 0;
      for (let p = 0; p < k; p++) acc = step(a[i * k + p]!, b[p * n + j]!, acc);
      out[i * n + j] = acc;
    }
  }
  return out;
}

const unfusedF32 = (x: number, y: number, acc: number): number => Math.fround(acc + Math.fround(x * y));

/** Whether this CPU has fused multiply-add instructions (x86's FMA3; relaxed_madd may fall back to multiply then add without them). */
const cpuHasFma = existsSync("/proc/cpuinfo") && /^flags\s*:.*\bfma\b/m.test(readFileSync("/proc/cpuinfo", "utf8"));

describe("float32 fused multiply-add (relaxed SIMD)", () => {
  // Past one 256-deep block of k and with partial tiles.
  const [m, k, n] = [37, 300, 21];
  const a = Float32Array.from(values(m * k, 41)), b = Float32Array.from(values(k * n, 42));

  it("fusedMultiplyAdd: false rounds every multiply and every add (the in-order float32 sum's bits)", () => {
    const plain = createWasmBackend({ minProduct: 0, fusedMultiplyAdd: false });
    expect(plain.fusedMultiplyAdd).toBe(false);
    const out = new Float32Array(m * n);
    plain.matmul(a, b, out, 1, m, k, n, false, false, 0, 0);
    expect(sameBits(out, orderedF32(a, b, m, k, n, unfusedF32))).toBe(true);
  });

  it("\"auto\" uses it exactly when the engine validates relaxed SIMD", () => {
    expect(createWasmBackend().fusedMultiplyAdd).toBe(wasmRelaxedSimdSupported());
    // Node 20 has relaxed SIMD only behind --experimental-wasm-relaxed-simd (the wasm-fma test project sets it).
    if (process.env["HONE_EXPECT_RELAXED_SIMD"] === "1") expect(wasmRelaxedSimdSupported()).toBe(true);
  });

  it("true without relaxed SIMD is an ArgumentError naming the option; other values are refused", () => {
    if (!wasmRelaxedSimdSupported()) {
      expect(() => createWasmBackend({ fusedMultiplyAdd: true })).toThrow(ArgumentError);
      expect(() => createWasmBackend({ fusedMultiplyAdd: true })).toThrow(/fusedMultiplyAdd is true .*relaxed SIMD/);
    }
    expect(() => createWasmBackend({ fusedMultiplyAdd: "yes" as unknown as boolean })).toThrow(/fusedMultiplyAdd must be true, false or "auto", got "yes"/);
  });

  it.runIf(wasmRelaxedSimdSupported())("rounds each step once: the in-order fused sum's bits (on a CPU with FMA)", async () => {
    const fused = createWasmBackend({ minProduct: 0, fusedMultiplyAdd: true });
    expect(fused.fusedMultiplyAdd).toBe(true);
    const out = new Float32Array(m * n);
    fused.matmul(a, b, out, 1, m, k, n, false, false, 0, 0);
    const unfused = orderedF32(a, b, m, k, n, unfusedF32);
    if (cpuHasFma) {
      expect(sameBits(out, orderedF32(a, b, m, k, n, fusedF32))).toBe(true);
      // And so not the unfused bits (which differ in most elements at k = 300).
      expect(out.filter((v, i) => v !== unfused[i]).length).toBeGreaterThan((m * n) / 4);
    } else {
      expect(sameBits(out, unfused)).toBe(true);
    }
    // Float64 products never fuse: still the in-order float64 sum's bits.
    const a64 = values(m * k, 43), b64 = values(k * n, 44), out64 = new Float64Array(m * n);
    fused.matmul(a64, b64, out64, 1, m, k, n, false, false, 0, 0);
    expect(Array.from(out64)).toEqual(Array.from(reference(a64, b64, m, k, n, false, false)));
    // Split across worker threads, the shared-memory build fuses the same way.
    const threaded = await loadWasmBackend({ threads: 2, minProduct: 0, minThreadedProduct: 0, fusedMultiplyAdd: true });
    try {
      expect(threaded.fusedMultiplyAdd).toBe(true);
      const split = new Float32Array(m * n);
      threaded.matmul(a, b, split, 1, m, k, n, false, false, 0, 0);
      expect(sameBits(split, out)).toBe(true);
    } finally {
      await threaded.dispose();
    }
  });
});

describe("the checked-in module", () => {
  it("is what wasm/kernels.ts builds to with the pinned AssemblyScript", () => {
    const script = fileURLToPath(new URL("../scripts/build-wasm.mjs", import.meta.url));
    const output = execFileSync(process.execPath, [script, "--check"], { encoding: "utf8" });
    expect(output).toContain("matches");
  });
});
