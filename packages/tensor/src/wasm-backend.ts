// The WebAssembly SIMD backend: matrix products run in the kernels of wasm/kernels.ts
// (AssemblyScript, 128-bit SIMD), optionally split across worker threads; everything a
// product's arithmetic does not dominate (element-wise ops, reductions, small products)
// stays on the TypeScript kernels, because copying operands into the module's memory
// costs more than the work. Float64 products equal the TypeScript backend's bit for bit
// (same summation order, no fused multiply-add); float32 products differ by rounding only
// (the TypeScript backend sums float32 operands in float64).
import type { Backend, Data } from "./backend.js";
import { ArgumentError, describe } from "./errors.js";
import { tsBackend } from "./ts-backend.js";
import { WASM_MAX_PAGES, WASM_SHARED_BASE64, WASM_SINGLE_BASE64 } from "./wasm-module.js";
import { wasmApi, type WasmMemory, type WasmModule } from "./wasm-api.js";
import { startMatmulThreads, type MatmulThreads, type NodeWorkerConstructor } from "./wasm-threads.js";

/** Options of {@link createWasmBackend}. */
export interface WasmBackendOptions {
  /**
   * Threads a large product is split across, the calling thread included (default 1).
   * More than one needs Node's `worker_threads` and shared WebAssembly memory, and
   * {@link loadWasmBackend} (starting workers is asynchronous).
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
}

/** The exported kernels of the module. */
export interface WasmKernels {
  matmulScratch(this: void, n: number, dtypeBytes: number): number;
  matmul32: MatmulKernel;
  matmul64: MatmulKernel;
}

/** A product kernel: rows [r0, r1) of C = op(A)·op(B) (see wasm/kernels.ts). */
export type MatmulKernel = (this: void, a: number, b: number, c: number, m: number, k: number, n: number, transA: number, transB: number, r0: number, r1: number, ldc: number, scratch: number) => void;

/** Register-tile sizes of the kernels (rows, columns) by element size. */
export const TILE: Readonly<Record<4 | 8, { mr: number; nr: number }>> = { 4: { mr: 4, nr: 8 }, 8: { mr: 4, nr: 4 } };

const PAGE = 65536;

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

const modules: { single?: WasmModule; shared?: WasmModule } = {};

/** The compiled kernels (compiled once per variant and kept). */
export function kernelModule(shared: boolean): WasmModule {
  const key = shared ? "shared" : "single";
  return (modules[key] ??= new wasmApi!.Module(decodeBase64(shared ? WASM_SHARED_BASE64 : WASM_SINGLE_BASE64)));
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
export interface ProductLayout {
  a: number; b: number; c: number; scratch: number; scratchBytes: number; end: number; mPad: number; nPad: number;
}

/** Where a product's operands, result and per-thread scratch go in memory. */
export function productLayout(kernels: WasmKernels, bytes: 4 | 8, m: number, k: number, n: number, threads: number): ProductLayout {
  const { mr, nr } = TILE[bytes];
  const mPad = Math.ceil(m / mr) * mr, nPad = Math.ceil(n / nr) * nr;
  const a = 64, b = a + align(m * k * bytes), c = b + align(k * n * bytes), scratch = c + align(mPad * nPad * bytes);
  const scratchBytes = align(kernels.matmulScratch(n, bytes));
  return { a, b, c, scratch, scratchBytes, end: scratch + threads * scratchBytes, mPad, nPad };
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
 * const c = matmul(randn([256, 128], { rng: r }), randn([128, 64], { rng: r }));
 * console.log(c.shape); // [256, 64]
 * ```
 */
export function createWasmBackend(options: WasmBackendOptions = {}): WasmBackend {
  const threads = checkOptions("createWasmBackend", options);
  if (threads > 1) throw new ArgumentError(`createWasmBackend: threads must be 1 (starting worker threads is asynchronous: use loadWasmBackend), got ${threads}`);
  return build(options, threads, undefined);
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
  const threads = checkOptions("loadWasmBackend", options);
  const shared = threads > 1;
  const key = shared ? "shared" : "single";
  modules[key] ??= await wasmApi!.compile(decodeBase64(shared ? WASM_SHARED_BASE64 : WASM_SINGLE_BASE64));
  if (!shared) return build(options, threads, undefined);
  const isNode = typeof process === "object" && typeof process.versions?.node === "string";
  if (!isNode || typeof SharedArrayBuffer !== "function") {
    throw new ArgumentError(`loadWasmBackend: threads > 1 needs Node's worker_threads and SharedArrayBuffer, got threads ${threads} in an engine without them`);
  }
  const specifier = "node:worker_threads";
  const { Worker } = (await import(/* @vite-ignore */ specifier)) as { Worker: NodeWorkerConstructor };
  const backend = build(options, threads, Worker);
  await backend.ready;
  return backend;
}

/** The WebAssembly backend: a {@link Backend} with a way to stop its worker threads. */
export interface WasmBackend extends Backend {
  /** Threads large products are split across, the calling thread included. */
  readonly threads: number;
  /** Resolves when the worker threads have started. */
  readonly ready: Promise<void>;
  /** Stops the worker threads (the backend then runs products on one thread). */
  dispose(): Promise<void>;
}

function checkOptions(caller: string, options: WasmBackendOptions): number {
  if (!wasmSimdSupported()) throw new ArgumentError(`${caller}: this JavaScript engine has no WebAssembly SIMD; use tsBackend`);
  positiveInteger(caller, "minProduct", options.minProduct ?? 4096, 0);
  positiveInteger(caller, "minThreadedProduct", options.minThreadedProduct ?? 1 << 20, 0);
  return positiveInteger(caller, "threads", options.threads ?? 1, 1);
}

function build(options: WasmBackendOptions, threads: number, Worker: NodeWorkerConstructor | undefined): WasmBackend {
  const minProduct = options.minProduct ?? 4096;
  const minThreadedProduct = options.minThreadedProduct ?? 1 << 20;
  const shared = threads > 1;
  const module = kernelModule(shared);
  const memory = kernelMemory(shared);
  const kernels = instantiateKernels(module, memory);
  let pool: MatmulThreads | undefined = Worker !== undefined ? startMatmulThreads(Worker, module, memory, threads - 1) : undefined;

  let f32 = new Float32Array(memory.buffer), f64 = new Float64Array(memory.buffer);
  const reserve = (bytes: number): void => {
    const have = memory.buffer.byteLength;
    if (bytes > have) memory.grow(Math.ceil((bytes - have) / PAGE));
    if (f64.buffer !== memory.buffer || f64.length * 8 !== memory.buffer.byteLength) {
      f32 = new Float32Array(memory.buffer);
      f64 = new Float64Array(memory.buffer);
    }
  };

  function matmul(
    a: Data, b: Data, out: Data, batch: number, m: number, k: number, n: number,
    transA: boolean, transB: boolean, aStride: number, bStride: number,
  ): void {
    const product = m * k * n;
    const bytes: 4 | 8 = a instanceof Float32Array ? 4 : 8;
    if (product < minProduct || b.BYTES_PER_ELEMENT !== bytes || out.BYTES_PER_ELEMENT !== bytes) {
      tsBackend.matmul(a, b, out, batch, m, k, n, transA, transB, aStride, bStride);
      return;
    }
    const parts = pool !== undefined && product >= minThreadedProduct ? threads : 1;
    const layout = productLayout(kernels, bytes, m, k, n, parts);
    if (layout.end > WASM_MAX_PAGES * PAGE) {
      tsBackend.matmul(a, b, out, batch, m, k, n, transA, transB, aStride, bStride);
      return;
    }
    reserve(layout.end);
    const view = bytes === 4 ? f32 : f64;
    const kernel = bytes === 4 ? kernels.matmul32 : kernels.matmul64;
    const { mPad, nPad } = layout;
    for (let t = 0; t < batch; t++) {
      view.set(a.subarray(t * aStride, t * aStride + m * k), layout.a / bytes);
      if (t === 0 || bStride !== 0) view.set(b.subarray(t * bStride, t * bStride + k * n), layout.b / bytes);
      if (parts > 1) {
        pool!.run(bytes, layout, m, k, n, transA, transB, kernel, parts);
      } else {
        kernel(layout.a, layout.b, layout.c, m, k, n, transA ? 1 : 0, transB ? 1 : 0, 0, mPad, nPad, layout.scratch);
      }
      const c0 = layout.c / bytes;
      if (n === nPad) out.set(view.subarray(c0, c0 + m * n), t * m * n);
      else for (let i = 0; i < m; i++) out.set(view.subarray(c0 + i * nPad, c0 + i * nPad + n), t * m * n + i * n);
    }
  }

  return {
    ...tsBackend,
    name: shared ? `wasm×${threads}` : "wasm",
    threads,
    ready: pool?.ready ?? Promise.resolve(),
    matmul,
    async dispose() {
      const stopping = pool;
      pool = undefined;
      await stopping?.stop();
    },
  };
}
