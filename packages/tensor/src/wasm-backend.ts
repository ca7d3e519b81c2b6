// The WebAssembly SIMD backend: matrix products run in the kernels of wasm/kernels.ts
// (AssemblyScript, 128-bit SIMD), optionally split across worker threads; everything a
// product's arithmetic does not dominate (element-wise ops, reductions, small products)
// stays on the TypeScript kernels, because copying operands into the module's memory
// costs more than the work. Float64 products equal the TypeScript backend's bit for bit
// (same summation order, no fused multiply-add); float32 products differ by rounding only
// (the TypeScript backend sums float32 operands in float64), and use fused multiply-add
// where the engine has relaxed SIMD (Chromium, Node ≥ 22; Node 20 with
// --experimental-wasm-relaxed-simd) unless `fusedMultiplyAdd: false`.
import type { Backend, BinaryOp, Data, ReduceOp, UnaryOp } from "./backend.js";
import type { Shape } from "./shape.js";
import { ArgumentError, describe } from "./errors.js";
import { suffixSize, tsBackend } from "./ts-backend.js";
import { WASM_MAX_PAGES, WASM_SINGLE_BASE64, WASM_SINGLE_FMA_BASE64 } from "./wasm-module.js";
import { wasmApi, type WasmMemory, type WasmModule } from "./wasm-api.js";
import { nodeSpawner, startMatmulThreads, webSpawner, type MatmulThreads, type NodeWorkerConstructor, type Spawner } from "./wasm-threads.js";

/** Options of {@link createWasmBackend}. */
export interface WasmBackendOptions {
  /**
   * Threads a large product is split across, the calling thread included (default 1).
   * More than one needs {@link loadWasmBackend} (starting workers is asynchronous) and
   * shared WebAssembly memory: Node's `worker_threads`, or Web Workers on a
   * cross-origin-isolated page.
   */
  threads?: number;
  /**
   * Products with fewer multiply-adds (m·k·n per batch entry) than this run on the
   * TypeScript kernels, where crossing into WebAssembly costs more than it saves
   * (default 4096).
   */
  minProduct?: number;
  /** Products with at least this many multiply-adds are split across the threads (default 2²⁰). */
  minThreadedProduct?: number;
  /**
   * Element-wise ops, column sums and optimizer updates over fewer values than this run on
   * the TypeScript kernels (default 2048).
   */
  minElements?: number;
  /**
   * The kernels' memory kept between calls, in bytes (default 64 MiB). WebAssembly memory
   * only grows; after a call that grew it past this, the single-threaded backend replaces it
   * with a fresh one of the initial size (1 MiB), so one large product does not leave a long
   * session holding hundreds of MB. The threaded backend keeps the shared memory of its split
   * products while its workers run (they share it; it is trimmed at `dispose`) and trims the
   * ordinary memory of everything else. Calls under this size reuse the memory with no
   * allocation.
   */
  keepBytes?: number;
  /**
   * Float32 products with fused multiply-add (relaxed SIMD's `f32x4.relaxed_madd`): half the
   * instructions of multiply then add, and one rounding per step instead of two. `"auto"`
   * (the default) uses it where the engine validates relaxed SIMD (Chromium, Node ≥ 22; Node
   * 20 with `--experimental-wasm-relaxed-simd`), `true` requires it, `false` never uses it
   * (float32 products then round like the engines without it). Float64 products never use
   * it: they stay equal to the TypeScript backend's bit for bit.
   */
  fusedMultiplyAdd?: boolean | "auto";
}

/** The exported kernels of the module. */
export interface WasmKernels {
  packedBBytes(this: void, k: number, n: number, dtypeBytes: number): number;
  packedABytes(this: void, dtypeBytes: number): number;
  packB32: PackKernel;
  packB64: PackKernel;
  product32: ProductKernel;
  product64: ProductKernel;
  biasAct32: BiasActKernel;
  biasAct64: BiasActKernel;
  compactRows(this: void, c: number, ldcBytes: number, rowBytes: number, r0: number, r1: number): void;
  binary32: BinaryKernel;
  binary64: BinaryKernel;
  unary32(this: void, op: number, a: number, out: number, n: number): void;
  unary64(this: void, op: number, a: number, out: number, n: number): void;
  sumRows32(this: void, a: number, out: number, rows: number, len: number): void;
  sumRows64(this: void, a: number, out: number, rows: number, len: number): void;
  adam64(this: void, u: number, v: number, s: number, n: number, b1: number, b2: number, c1: number, c2: number, eps: number, rate: number, p: number): void;
  ema64(this: void, u: number, v: number, n: number, b: number): void;
  rms64(this: void, u: number, s: number, n: number, b: number, eps: number, rate: number): void;
  applyUpdate32(this: void, p: number, u: number, n: number): void;
  applyUpdate64(this: void, p: number, u: number, n: number): void;
  adam32(this: void, u: number, v: number, s: number, n: number, b1: number, w1: number, b2: number, w2: number, step: number, root: number, eps: number, p: number): void;
  ema32(this: void, u: number, v: number, n: number, b: number, w: number): void;
  rms32(this: void, u: number, s: number, n: number, b: number, w: number, eps: number, rate: number): void;
  applyUpdate32x32(this: void, p: number, u: number, n: number): void;
}

/** Packs column panels [j0, j1) of op(B) for every block of k (see wasm/kernels.ts). */
type PackKernel = (this: void, b: number, k: number, n: number, transB: number, j0: number, j1: number, dst: number) => void;
/** A dense layer's epilogue on rows [r0, r1) of C: + bias, then ReLU (see wasm/kernels.ts). */
type BiasActKernel = (this: void, c: number, ldc: number, r0: number, r1: number, n: number, bias: number, hasBias: number, relu: number) => void;
/** Rows [r0, r1) of C = op(A)·(packed op(B)) (see wasm/kernels.ts). */
type ProductKernel = (this: void, a: number, packed: number, c: number, m: number, k: number, n: number, transA: number, r0: number, r1: number, ldc: number, scratch: number) => void;

/** An element-wise kernel: out = a op b, each operand full (0), one value (1) or a repeated row of `len` (2). */
type BinaryKernel = (this: void, op: number, a: number, aMode: number, b: number, bMode: number, out: number, n: number, len: number) => void;

/** The kernels' codes of the binary ops they run (the rest stay on the TypeScript kernels). */
const BINARY_CODES: Partial<Record<BinaryOp, number>> = { add: 0, sub: 1, mul: 2, div: 3, reluBackward: 4, sigmoidBackward: 5, tanhBackward: 6 };
/** The kernels' codes of the unary ops they run. */
const UNARY_CODES: Partial<Record<UnaryOp, number>> = { neg: 0, abs: 1, square: 2, sqrt: 3, relu: 4 };

/** Register-tile sizes of the kernels (rows, columns) by element size. */
export const TILE: Readonly<Record<4 | 8, { mr: number; nr: number }>> = { 4: { mr: 4, nr: 8 }, 8: { mr: 4, nr: 4 } };

const PAGE = 65536;
/** Rows of C per kernel call in a single-threaded product (a multiple of every tile's MR). */
const BAND_ROWS = 64;
/** The memory kept between calls by default: 64 MiB. */
const DEFAULT_KEEP_BYTES = 64 * 1024 * 1024;

/** The bytes of a base64 string (atob exists in Node ≥ 16 and every browser). */
function decodeBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

// A module using v128: WebAssembly.validate tells whether this engine has SIMD.
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11,
]);

/** Whether this JavaScript engine runs WebAssembly with 128-bit SIMD. */
export function wasmSimdSupported(): boolean {
  try {
    return wasmApi !== undefined && wasmApi.validate(SIMD_PROBE);
  } catch {
    return false;
  }
}

/** A build of the kernels: shared memory or not, relaxed SIMD (float32 fused multiply-add) or not. */
export interface KernelVariant {
  shared: boolean;
  fma: boolean;
}

const variantKey = (v: KernelVariant): string => `${v.shared ? "shared" : "single"}${v.fma ? "-fma" : ""}`;
const modules = new Map<string, WasmModule>();

let relaxedSupported: boolean | undefined;

/**
 * Whether this JavaScript engine runs WebAssembly with relaxed SIMD, tested by validating
 * the kernels built with it (Chromium and Node ≥ 22 have it; Node 20 behind
 * `--experimental-wasm-relaxed-simd`).
 */
export function wasmRelaxedSimdSupported(): boolean {
  if (relaxedSupported === undefined) {
    try {
      relaxedSupported = wasmApi !== undefined && wasmApi.validate(decodeBase64(WASM_SINGLE_FMA_BASE64));
    } catch {
      relaxedSupported = false;
    }
  }
  return relaxedSupported;
}

/**
 * The compiled kernels, compiled once per variant and kept. The shared-memory variants live
 * in a module of their own, imported only by `loadWasmBackend` with `threads > 1`, so a page
 * that never starts threads never downloads them.
 */
export function kernelModule(variant: KernelVariant): WasmModule {
  const key = variantKey(variant);
  let module = modules.get(key);
  if (module === undefined) {
    if (variant.shared) throw new Error("kernelModule: the shared-memory kernels are compiled by loadWasmBackend({ threads > 1 }) first");
    module = new wasmApi!.Module(decodeBase64(variant.fma ? WASM_SINGLE_FMA_BASE64 : WASM_SINGLE_BASE64));
    modules.set(key, module);
  }
  return module;
}

/** Compiles a variant off the calling thread where the engine can (the shared ones imported on demand). */
async function compileKernels(variant: KernelVariant): Promise<void> {
  const key = variantKey(variant);
  if (modules.has(key)) return;
  let text: string;
  if (variant.shared) {
    const { WASM_SHARED_BASE64, WASM_SHARED_FMA_BASE64 } = await import("./wasm-module-shared.js");
    text = variant.fma ? WASM_SHARED_FMA_BASE64 : WASM_SHARED_BASE64;
  } else text = variant.fma ? WASM_SINGLE_FMA_BASE64 : WASM_SINGLE_BASE64;
  const module = await wasmApi!.compile(decodeBase64(text));
  if (!modules.has(key)) modules.set(key, module);
}

/** A memory for the kernels; shared when worker threads will use it. */
export function kernelMemory(shared: boolean): WasmMemory {
  return new wasmApi!.Memory({ initial: 16, maximum: WASM_MAX_PAGES, shared });
}

/** Instantiates the kernels on `memory`. */
export function instantiateKernels(module: WasmModule, memory: WasmMemory): WasmKernels {
  return new wasmApi!.Instance(module, { env: { memory } }).exports as unknown as WasmKernels;
}

const align = (bytes: number): number => Math.ceil(bytes / 64) * 64;

function positiveInteger(caller: string, name: string, value: unknown, min: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min) {
    throw new ArgumentError(`${caller}: ${name} must be an integer ≥ ${min}, got ${describe(value)}`);
  }
  return value;
}

/** The layout of one product in the kernels' memory (byte offsets). */
interface ProductLayout {
  a: number; b: number; c: number; bias: number; packed: number; scratch: number; scratchBytes: number; end: number; mPad: number; nPad: number;
}

/** Where a product's operands, result, packed B and per-thread A blocks go in memory. */
function productLayout(kernels: WasmKernels, bytes: 4 | 8, m: number, k: number, n: number, threads: number): ProductLayout {
  const { mr, nr } = TILE[bytes];
  const mPad = Math.ceil(m / mr) * mr, nPad = Math.ceil(n / nr) * nr;
  const a = 64, b = a + align(m * k * bytes), c = b + align(k * n * bytes), bias = c + align(mPad * nPad * bytes), packed = bias + align(nPad * bytes);
  const scratch = packed + align(kernels.packedBBytes(k, n, bytes));
  const scratchBytes = align(kernels.packedABytes(bytes));
  return { a, b, c, bias, packed, scratch, scratchBytes, end: scratch + threads * scratchBytes, mPad, nPad };
}

/**
 * Copies rows [r0, end) of an n-column result stored with row stride `nPad` at element `c0`
 * of `view` into `out` from element `o0` (+ r0·n). Narrower rows than the stride are first
 * moved together in the kernels' memory (`compactRows`; rows before r0 must be copied out
 * already), then copied in one piece.
 */
function copyRows(kernels: WasmKernels, view: Data, c0: number, nPad: number, out: Data, o0: number, r0: number, end: number, n: number): void {
  if (end <= r0) return;
  if (n !== nPad) {
    const bytes = view.BYTES_PER_ELEMENT;
    kernels.compactRows(c0 * bytes, nPad * bytes, n * bytes, r0, end);
  }
  out.set(view.subarray(c0 + r0 * n, c0 + end * n), o0 + r0 * n);
}

/** `units` split into `parts` near-equal runs of whole units of `size`: the runs' bounds. */
function splitBounds(units: number, parts: number, size: number): number[] {
  const count = Math.max(1, Math.min(parts, units));
  return Array.from({ length: count + 1 }, (_, i) => Math.round((units * i) / count) * size);
}

/**
 * Creates the WebAssembly SIMD backend. Compiling is synchronous, which browsers allow on
 * the main thread only for tiny modules: on a page, call this in a Web Worker (as the docs
 * playground does), or use {@link loadWasmBackend}.
 *
 * @example
 * ```ts
 * import { createWasmBackend, setBackend, matmul, randn, rng } from "@hone/tensor";
 * setBackend(createWasmBackend());
 * const r = rng(0);
 * const c = matmul(randn([256, 128], r), randn([128, 64], r));
 * console.log(c.shape); // [256, 64]
 * ```
 */
export function createWasmBackend(options: WasmBackendOptions = {}): WasmBackend {
  const { threads, fma } = checkOptions("createWasmBackend", options);
  if (threads > 1) throw new ArgumentError(`createWasmBackend: threads must be 1 (starting worker threads is asynchronous: use loadWasmBackend), got ${threads}`);
  return build(options, threads, fma, undefined);
}

/**
 * Creates the WebAssembly SIMD backend asynchronously: compiles the module off the calling
 * thread where the engine can, and starts `threads − 1` worker threads (Node) that large
 * products are split across.
 *
 * @example
 * ```ts
 * import { loadWasmBackend, setBackend, getBackend } from "@hone/tensor";
 * const backend = await loadWasmBackend({ threads: 2 });
 * setBackend(backend);
 * console.log(getBackend().name); // "wasm×2"
 * await backend.dispose();
 * ```
 */
export async function loadWasmBackend(options: WasmBackendOptions = {}): Promise<WasmBackend> {
  const { threads, fma } = checkOptions("loadWasmBackend", options);
  const shared = threads > 1;
  await compileKernels({ shared, fma });
  // The threaded backend runs what it does not split on the ordinary kernels (see build).
  if (shared) await compileKernels({ shared: false, fma });
  if (!shared) return build(options, threads, fma, undefined);
  if (typeof SharedArrayBuffer !== "function") {
    throw new ArgumentError(`loadWasmBackend: threads > 1 needs SharedArrayBuffer (in a browser, a cross-origin-isolated page), got threads ${threads}`);
  }
  const scope = globalThis as { process?: { versions?: { node?: string } }; crossOriginIsolated?: boolean; Worker?: unknown };
  let spawn: Spawner;
  if (typeof scope.process?.versions?.node === "string") {
    const specifier = "node:worker_threads";
    const { Worker } = (await import(/* @vite-ignore */ specifier)) as { Worker: NodeWorkerConstructor };
    spawn = nodeSpawner(Worker);
  } else if (scope.crossOriginIsolated === true && typeof scope.Worker === "function") {
    spawn = webSpawner();
  } else {
    throw new ArgumentError(`loadWasmBackend: threads > 1 needs Node's worker_threads or Web Workers on a cross-origin-isolated page (COOP/COEP headers), got threads ${threads}`);
  }
  const backend = build(options, threads, fma, spawn);
  await backend.ready;
  return backend;
}

/** The WebAssembly backend: a {@link Backend} with a way to stop its worker threads. */
export interface WasmBackend extends Backend {
  /** Threads large products are split across, the calling thread included. */
  readonly threads: number;
  /** Resolves when the worker threads have started. */
  readonly ready: Promise<void>;
  /** Whether float32 products use fused multiply-add (see {@link WasmBackendOptions.fusedMultiplyAdd}). */
  readonly fusedMultiplyAdd: boolean;
  /**
   * Bytes the kernels' memory holds now (see {@link WasmBackendOptions.keepBytes}); with
   * worker threads, the shared memory of the split products plus the ordinary memory of the
   * rest.
   */
  readonly memoryBytes: number;
  /** Stops the worker threads (the backend then runs products on one thread). */
  dispose(): Promise<void>;
}

function checkOptions(caller: string, options: WasmBackendOptions): { threads: number; fma: boolean } {
  if (!wasmSimdSupported()) throw new ArgumentError(`${caller}: this JavaScript engine has no WebAssembly SIMD; use tsBackend`);
  const wanted = options.fusedMultiplyAdd ?? "auto";
  if (wanted !== "auto" && typeof wanted !== "boolean") throw new ArgumentError(`${caller}: fusedMultiplyAdd must be true, false or "auto", got ${describe(wanted)}`);
  if (wanted === true && !wasmRelaxedSimdSupported()) {
    throw new ArgumentError(`${caller}: fusedMultiplyAdd is true but this JavaScript engine has no WebAssembly relaxed SIMD (Node 20 needs --experimental-wasm-relaxed-simd); use "auto" or false`);
  }
  const fma = wanted === "auto" ? wasmRelaxedSimdSupported() : wanted;
  positiveInteger(caller, "minProduct", options.minProduct ?? 4096, 0);
  positiveInteger(caller, "minThreadedProduct", options.minThreadedProduct ?? 1 << 20, 0);
  positiveInteger(caller, "minElements", options.minElements ?? 2048, 0);
  positiveInteger(caller, "keepBytes", options.keepBytes ?? DEFAULT_KEEP_BYTES, 0);
  return { threads: positiveInteger(caller, "threads", options.threads ?? 1, 1), fma };
}

/**
 * The backend on `threads` threads whose workers `spawn` starts (none: single-threaded).
 * Not part of the package's API (index.ts does not export it): tests start backends with
 * workers of their own.
 */
export function build(options: WasmBackendOptions, threads: number, fma: boolean, spawn: Spawner | undefined): WasmBackend {
  const minProduct = options.minProduct ?? 4096;
  const minThreadedProduct = options.minThreadedProduct ?? 1 << 20;
  const minElements = options.minElements ?? 2048;
  const keepBytes = options.keepBytes ?? DEFAULT_KEEP_BYTES;
  const shared = threads > 1;
  const module = kernelModule({ shared, fma });
  let memory = kernelMemory(shared);
  let kernels = instantiateKernels(module, memory);
  let pool: MatmulThreads | undefined = spawn !== undefined ? startMatmulThreads(spawn, module, memory, threads - 1) : undefined;

  let f32 = new Float32Array(memory.buffer), f64 = new Float64Array(memory.buffer);
  const reserve = (bytes: number): void => {
    const have = memory.buffer.byteLength;
    if (bytes > have) memory.grow(Math.ceil((bytes - have) / PAGE));
    if (f64.buffer !== memory.buffer || f64.length * 8 !== memory.buffer.byteLength) {
      f32 = new Float32Array(memory.buffer);
      f64 = new Float64Array(memory.buffer);
    }
  };

  /** After a call that grew the memory past `keepBytes`: a fresh memory (single-threaded only). */
  const trim = (): void => {
    if (pool !== undefined || memory.buffer.byteLength <= keepBytes) return;
    memory = kernelMemory(shared);
    kernels = instantiateKernels(module, memory);
    f32 = new Float32Array(memory.buffer);
    f64 = new Float64Array(memory.buffer);
  };

  /** A dense layer's bias and activation, applied to C in the kernels' memory before it is copied out. */
  interface Epilogue { bias: Data | null; relu: boolean }

  function matmul(
    a: Data, b: Data, out: Data, batch: number, m: number, k: number, n: number,
    transA: boolean, transB: boolean, aStride: number, bStride: number,
  ): void {
    product(a, b, out, batch, m, k, n, transA, transB, aStride, bStride, null);
  }

  function linear(x: Data, w: Data, bias: Data | null, out: Data, m: number, k: number, n: number, relu: boolean): void {
    const bytes = out.BYTES_PER_ELEMENT;
    if (m * k * n < minProduct || (bias !== null && bias.BYTES_PER_ELEMENT !== bytes)) {
      tsBackend.linear(x, w, bias, out, m, k, n, relu);
      return;
    }
    product(x, w, out, 1, m, k, n, false, true, m * k, k * n, { bias, relu });
  }

  function product(
    a: Data, b: Data, out: Data, batch: number, m: number, k: number, n: number,
    transA: boolean, transB: boolean, aStride: number, bStride: number, epilogue: Epilogue | null,
  ): void {
    const size = m * k * n;
    const bytes: 4 | 8 = a instanceof Float32Array ? 4 : 8;
    if (size < minProduct || b.BYTES_PER_ELEMENT !== bytes || out.BYTES_PER_ELEMENT !== bytes) {
      if (epilogue === null) tsBackend.matmul(a, b, out, batch, m, k, n, transA, transB, aStride, bStride);
      else tsBackend.linear(a, b, epilogue.bias, out, m, k, n, epilogue.relu);
      return;
    }
    const parts = pool !== undefined && size >= minThreadedProduct ? threads : 1;
    const layout = productLayout(kernels, bytes, m, k, n, parts);
    if (layout.end > WASM_MAX_PAGES * PAGE) {
      if (epilogue === null) tsBackend.matmul(a, b, out, batch, m, k, n, transA, transB, aStride, bStride);
      else tsBackend.linear(a, b, epilogue.bias, out, m, k, n, epilogue.relu);
      return;
    }
    reserve(layout.end);
    const view = bytes === 4 ? f32 : f64;
    const pack = bytes === 4 ? kernels.packB32 : kernels.packB64;
    const compute = bytes === 4 ? kernels.product32 : kernels.product64;
    const finish = bytes === 4 ? kernels.biasAct32 : kernels.biasAct64;
    if (epilogue?.bias) view.set(epilogue.bias, layout.bias / bytes);
    const { mPad, nPad } = layout;
    const tA = transA ? 1 : 0, tB = transB ? 1 : 0;
    const c0 = layout.c / bytes, a0 = layout.a / bytes;
    /** Copies rows [r0, r1) of C (clamped to m) out of batch entry t's result, after the epilogue. */
    const copyOut = (t: number, r0: number, r1: number): void => {
      const end = Math.min(r1, m);
      if (epilogue !== null && end > r0) finish(layout.c, nPad, r0, end, n, layout.bias, epilogue.bias === null ? 0 : 1, epilogue.relu ? 1 : 0);
      copyRows(kernels, view, c0, nPad, out, t * m * n, r0, end, n);
    };
    for (let t = 0; t < batch; t++) {
      const aBase = t * aStride;
      const newB = t === 0 || bStride !== 0;
      if (parts > 1) {
        // Two phases, each split across the threads: pack op(B)'s column panels (copying A
        // in meanwhile), then compute bands of C's rows against the whole packed B, copying
        // the calling thread's band out while the workers finish theirs.
        const workers = parts - 1;
        if (newB) {
          view.set(b.subarray(t * bStride, t * bStride + k * n), layout.b / bytes);
          const cols = splitBounds(nPad / TILE[bytes].nr, parts, TILE[bytes].nr);
          for (let w = 1; w < cols.length - 1; w++) pool!.post(w - 1, [1, bytes, layout.b, layout.packed, 0, 0, k, n, tB, cols[w]!, Math.min(cols[w + 1]!, n), 0, 0]);
          pack(layout.b, k, n, tB, 0, Math.min(cols[1]!, n), layout.packed);
          view.set(a.subarray(aBase, aBase + m * k), a0);
          // Panels whose worker has not woken yet are packed here (the same bytes either way).
          for (let w = 1; w < cols.length - 1; w++) if (pool!.take(w - 1)) pack(layout.b, k, n, tB, cols[w]!, Math.min(cols[w + 1]!, n), layout.packed);
          pool!.wait(cols.length - 2);
        } else {
          view.set(a.subarray(aBase, aBase + m * k), a0);
        }
        const rows = splitBounds(mPad / TILE[bytes].mr, Math.min(parts, workers + 1), TILE[bytes].mr);
        for (let w = 1; w < rows.length - 1; w++) pool!.post(w - 1, [2, bytes, layout.a, layout.packed, layout.c, m, k, n, tA, rows[w]!, rows[w + 1]!, nPad, layout.scratch + w * layout.scratchBytes]);
        compute(layout.a, layout.packed, layout.c, m, k, n, tA, 0, rows[1]!, nPad, layout.scratch);
        copyOut(t, 0, rows[1]!);
        // Bands whose worker has not started are computed here, with this thread's scratch.
        for (let w = 1; w < rows.length - 1; w++) if (pool!.take(w - 1)) compute(layout.a, layout.packed, layout.c, m, k, n, tA, rows[w]!, rows[w + 1]!, nPad, layout.scratch);
        pool!.wait(rows.length - 2);
        copyOut(t, rows[1]!, m);
      } else {
        if (newB) {
          view.set(b.subarray(t * bStride, t * bStride + k * n), layout.b / bytes);
          pack(layout.b, k, n, tB, 0, n, layout.packed);
        }
        view.set(a.subarray(aBase, aBase + m * k), a0);
        // In bands of rows, one call each: a fresh engine runs a module's first calls on its
        // baseline compiler and swaps in the optimized code only between calls, so one call
        // for a whole large product would run all of it at baseline speed (measured: 3.9 s
        // against 1.4 s for 2000³ float64 on the first call).
        for (let r = 0; r < mPad; r += BAND_ROWS) compute(layout.a, layout.packed, layout.c, m, k, n, tA, r, Math.min(r + BAND_ROWS, mPad), nPad, layout.scratch);
        copyOut(t, 0, m);
      }
    }
    trim();
  }

  /**
   * C = op(A)·op(B) for one m×k by k×n product whose operands are already in the kernels'
   * memory at byte offsets `aAt` and `bAt`, on this thread: packed B, C and the A blocks go
   * from byte offset `base` on, and C is copied into `out`.
   */
  function productIn(bytes: 4 | 8, aAt: number, bAt: number, out: Data, m: number, k: number, n: number, transA: boolean, transB: boolean, base: number): void {
    const { mr, nr } = TILE[bytes];
    const mPad = Math.ceil(m / mr) * mr, nPad = Math.ceil(n / nr) * nr;
    const c = base, packed = c + align(mPad * nPad * bytes), scratch = packed + align(kernels.packedBBytes(k, n, bytes));
    reserve(scratch + align(kernels.packedABytes(bytes)));
    (bytes === 4 ? kernels.packB32 : kernels.packB64)(bAt, k, n, transB ? 1 : 0, 0, n, packed);
    const compute = bytes === 4 ? kernels.product32 : kernels.product64;
    for (let r = 0; r < mPad; r += BAND_ROWS) compute(aAt, packed, c, m, k, n, transA ? 1 : 0, r, Math.min(r + BAND_ROWS, mPad), nPad, scratch);
    copyRows(kernels, bytes === 4 ? f32 : f64, c / bytes, nPad, out, 0, 0, m, n);
  }

  function linearBackward(
    g: Data, out: Data | null, x: Data, w: Data, dx: Data | null, dw: Data | null, db: Data | null, m: number, k: number, n: number,
  ): boolean {
    const bytes = g.BYTES_PER_ELEMENT as 4 | 8;
    const size = m * k * n;
    if (size < minProduct || (pool !== undefined && size >= minThreadedProduct)) return false;
    for (const d of [out, x, w, dx, dw, db]) if (d !== null && d.BYTES_PER_ELEMENT !== bytes) return false;
    // g (then gz, in place), the mask, x, w and db side by side; the products' regions after them.
    const gAt = 64, outAt = gAt + span(m * n, bytes), xAt = outAt + (out === null ? 0 : span(m * n, bytes));
    const wAt = xAt + (dw === null ? 0 : span(m * k, bytes)), dbAt = wAt + (dx === null ? 0 : span(n * k, bytes));
    const base = dbAt + (db === null ? 0 : span(n, bytes));
    reserve(base);
    put(g, gAt);
    if (out !== null) {
      put(out, outAt);
      (bytes === 4 ? kernels.binary32 : kernels.binary64)(BINARY_CODES.reluBackward!, gAt, 0, outAt, 0, gAt, m * n, 0);
    }
    if (db !== null) {
      (bytes === 4 ? kernels.sumRows32 : kernels.sumRows64)(gAt, dbAt, m, n);
      take(db, dbAt);
    }
    if (dw !== null) {
      put(x, xAt);
      productIn(bytes, gAt, xAt, dw, n, m, k, true, false, base);
    }
    if (dx !== null) {
      put(w, wAt);
      productIn(bytes, gAt, wAt, dx, m, n, k, false, false, base);
    }
    trim();
    return true;
  }

  /** Copies `data` into the kernels' memory at byte offset `at` (views refreshed by `reserve`). */
  const put = (data: Data, at: number): void => {
    (data instanceof Float32Array ? f32 : f64).set(data, at / data.BYTES_PER_ELEMENT);
  };
  /** Copies `n` values at byte offset `at` out into `out`. */
  const take = (out: Data, at: number): void => {
    const view = out instanceof Float32Array ? f32 : f64, i = at / out.BYTES_PER_ELEMENT;
    out.set(view.subarray(i, i + out.length));
  };
  /** Whether every buffer has the first one's element type. */
  const sameType = (...xs: Data[]): boolean => xs.every((x) => x.BYTES_PER_ELEMENT === xs[0]!.BYTES_PER_ELEMENT);
  /** Bytes of `n` values of `bytes` each, padded to a whole cache line. */
  const span = (n: number, bytes: number): number => align(n * bytes);

  function binary(op: BinaryOp, a: Data, aShape: Shape, b: Data, bShape: Shape, out: Data, outShape: Shape): void {
    const n = out.length;
    if (n < minElements) {
      tsBackend.binary(op, a, aShape, b, bShape, out, outShape);
      return;
    }
    const code = BINARY_CODES[op], bytes = out.BYTES_PER_ELEMENT;
    if (code !== undefined && a.BYTES_PER_ELEMENT === bytes && b.BYTES_PER_ELEMENT === bytes) {
      // Which operand is full, one value, or a row repeated along leading axes (a whole number of vectors).
      const lanes = 16 / bytes;
      const mode = (x: Data, shape: Shape): number => {
        if (x.length === n) return 0;
        if (x.length === 1) return 1;
        const len = suffixSize(shape, outShape);
        return len > 0 && len === x.length && len % lanes === 0 ? 2 : -1;
      };
      const aMode = mode(a, aShape), bMode = mode(b, bShape);
      if (aMode >= 0 && bMode >= 0 && (aMode === 0 || bMode === 0)) {
        const aAt = 64, bAt = aAt + span(a.length, bytes), outAt = bAt + span(b.length, bytes);
        reserve(outAt + span(n, bytes));
        put(a, aAt);
        put(b, bAt);
        const len = aMode === 2 ? a.length : bMode === 2 ? b.length : 0;
        (bytes === 4 ? kernels.binary32 : kernels.binary64)(code, aAt, aMode, bAt, bMode, outAt, n, len);
        take(out, outAt);
        trim();
        return;
      }
    }
    tsBackend.binary(op, a, aShape, b, bShape, out, outShape);
  }

  function unary(op: UnaryOp, a: Data, out: Data, alpha: number): void {
    const n = a.length;
    if (n < minElements) {
      tsBackend.unary(op, a, out, alpha);
      return;
    }
    const code = UNARY_CODES[op], bytes = out.BYTES_PER_ELEMENT;
    if (code === undefined || a.BYTES_PER_ELEMENT !== bytes) {
      tsBackend.unary(op, a, out, alpha);
      return;
    }
    const aAt = 64, outAt = aAt + span(n, bytes);
    reserve(outAt + span(n, bytes));
    put(a, aAt);
    (bytes === 4 ? kernels.unary32 : kernels.unary64)(code, aAt, outAt, n);
    take(out, outAt);
    trim();
  }

  function reduce(op: ReduceOp, a: Data, shape: Shape, axes: readonly number[], out: Data): void {
    // Sums over leading axes (a bias gradient: the batch summed away), column by column.
    const leading = op === "sum" && axes.length < shape.length && axes.every((ax, i) => ax === i);
    const bytes = a.BYTES_PER_ELEMENT;
    if (!leading || a.length < minElements || out.BYTES_PER_ELEMENT !== bytes || out.length === 0) {
      tsBackend.reduce(op, a, shape, axes, out);
      return;
    }
    const len = out.length, rows = a.length / len;
    const aAt = 64, outAt = aAt + span(a.length + 16 / bytes, bytes);
    reserve(outAt + span(len, bytes));
    put(a, aAt);
    (bytes === 4 ? kernels.sumRows32 : kernels.sumRows64)(aAt, outAt, rows, len);
    take(out, outAt);
    trim();
  }

  /**
   * Runs an optimizer kernel over buffers of one parameter's length: copies them in,
   * calls `kernel` with their offsets, and copies them all back (each is updated in place).
   */
  /** Runs `kernel` on copies of `buffers` in the kernels' memory and copies back the first `written` of them (the ones it changes). */
  const inPlace = (buffers: readonly Data[], kernel: (offsets: number[]) => void, written = buffers.length): void => {
    const offsets: number[] = [];
    let at = 64;
    for (const x of buffers) {
      offsets.push(at);
      at += span(x.length, x.BYTES_PER_ELEMENT);
    }
    reserve(at);
    buffers.forEach((x, i) => put(x, offsets[i]!));
    kernel(offsets);
    for (let i = 0; i < written; i++) take(buffers[i]!, offsets[i]!);
    trim();
  };

  function adam(u: Data, v: Data, s: Data, b1: number, b2: number, c1: number, c2: number, eps: number, rate: number, p?: Data): void {
    if (u.length < minElements || !(p === undefined ? sameType(u, v, s) : sameType(u, v, s, p))) {
      tsBackend.adam(u, v, s, b1, b2, c1, c2, eps, rate, p);
      return;
    }
    // With p: the moments and p are copied back, u (the gradient) is only read.
    const buffers = p === undefined ? [u, v, s] : [p, v, s, u];
    const f = Math.fround;
    inPlace(buffers, (at) => {
      const [uAt, vAt, sAt, pAt] = p === undefined ? [at[0]!, at[1]!, at[2]!, 0] : [at[3]!, at[1]!, at[2]!, at[0]!];
      if (u instanceof Float32Array) kernels.adam32(uAt, vAt, sAt, u.length, f(b1), f(1 - b1), f(b2), f(1 - b2), f(rate / c1), f(Math.sqrt(c2)), f(eps), pAt);
      else kernels.adam64(uAt, vAt, sAt, u.length, b1, b2, c1, c2, eps, rate, pAt);
    }, 3);
  }

  function ema(u: Data, v: Data, b: number): void {
    if (u.length < minElements || !sameType(u, v)) tsBackend.ema(u, v, b);
    else if (u instanceof Float32Array) inPlace([u, v], ([uAt, vAt]) => kernels.ema32(uAt!, vAt!, u.length, Math.fround(b), Math.fround(1 - b)));
    else inPlace([u, v], ([uAt, vAt]) => kernels.ema64(uAt!, vAt!, u.length, b));
  }

  function rms(u: Data, s: Data, b: number, eps: number, rate: number): void {
    if (u.length < minElements || !sameType(u, s)) tsBackend.rms(u, s, b, eps, rate);
    else if (u instanceof Float32Array) {
      const f = Math.fround;
      inPlace([u, s], ([uAt, sAt]) => kernels.rms32(uAt!, sAt!, u.length, f(b), f(1 - b), f(eps), f(rate)));
    } else inPlace([u, s], ([uAt, sAt]) => kernels.rms64(uAt!, sAt!, u.length, b, eps, rate));
  }

  function applyUpdate(p: Data, u: Data): void {
    if (p.length < minElements) tsBackend.applyUpdate(p, u);
    else if (u instanceof Float32Array) {
      if (!(p instanceof Float32Array)) throw new ArgumentError(`applyUpdate: a float32 update needs float32 parameters, got ${p.constructor.name}`);
      inPlace([p, u], ([pAt, uAt]) => kernels.applyUpdate32x32(pAt!, uAt!, p.length), 1);
    } else inPlace([p, u], ([pAt, uAt]) => (p instanceof Float32Array ? kernels.applyUpdate32 : kernels.applyUpdate64)(pAt!, uAt!, p.length), 1);
  }

  // With worker threads, only the products split across them use the shared memory: a copy
  // into or out of a SharedArrayBuffer takes about 1.75× an ordinary one (1.6 MB: 61 against
  // 35 µs here), so the rest (element-wise ops, sums, optimizer steps, products too small to
  // split) runs on a single-threaded backend with an ordinary memory of its own.
  const side = shared ? build(options, 1, fma, undefined) : undefined;
  const split = (size: number): boolean => pool !== undefined && size >= minThreadedProduct;
  return {
    ...tsBackend,
    name: shared ? `wasm×${threads}` : "wasm",
    threads,
    fusedMultiplyAdd: fma,
    ready: pool?.ready ?? Promise.resolve(),
    get memoryBytes() {
      return memory.buffer.byteLength + (side?.memoryBytes ?? 0);
    },
    matmul: side === undefined ? matmul : (...args: Parameters<Backend["matmul"]>) => {
      const [, , , , m, k, n] = args;
      if (split(m * k * n)) matmul(...args);
      else side.matmul(...args);
    },
    linear: side === undefined ? linear : (...args: Parameters<Backend["linear"]>) => {
      const [, , , , m, k, n] = args;
      if (split(m * k * n)) linear(...args);
      else side.linear(...args);
    },
    linearBackward: side === undefined ? linearBackward : (...args: Parameters<typeof linearBackward>) => {
      const [, , , , , , , m, k, n] = args;
      return !split(m * k * n) && side.linearBackward!(...args);
    },
    binary: side === undefined ? binary : (...args: Parameters<Backend["binary"]>) => side.binary(...args),
    unary: side === undefined ? unary : (...args: Parameters<Backend["unary"]>) => side.unary(...args),
    reduce: side === undefined ? reduce : (...args: Parameters<Backend["reduce"]>) => side.reduce(...args),
    adam: side === undefined ? adam : (...args: Parameters<Backend["adam"]>) => side.adam(...args),
    ema: side === undefined ? ema : (...args: Parameters<Backend["ema"]>) => side.ema(...args),
    rms: side === undefined ? rms : (...args: Parameters<Backend["rms"]>) => side.rms(...args),
    applyUpdate: side === undefined ? applyUpdate : (...args: Parameters<Backend["applyUpdate"]>) => side.applyUpdate(...args),
    async dispose() {
      const stopping = pool;
      pool = undefined;
      await stopping?.stop();
      trim(); // the shared memory is this thread's alone now: hand back what is past keepBytes
    },
  };
}
