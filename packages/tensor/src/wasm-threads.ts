// Worker threads for large matrix products: each worker instantiates the kernels on the
// backend's shared memory and waits on a control word; the calling thread hands each one a
// band of C's rows, computes the first band itself, takes back any band whose worker has not
// started it yet (a sleeping thread can take tens of microseconds to wake, longer than a small
// band takes), and waits until every band is done.
// Workers are Node's worker_threads, or Web Workers on a cross-origin-isolated page. The
// calling thread blocks in Atomics.wait where it may (Node's main thread, any worker) and
// spins where it may not (a page's main thread).
import type { WasmMemory, WasmModule } from "./wasm-api.js";

/** What a worker receives to start. */
export interface WorkerInit {
  module: WasmModule;
  memory: WasmMemory;
  control: SharedArrayBuffer;
  index: number;
}

/** A started worker: resolves `ready` once it has instantiated the kernels. */
export interface SpawnedWorker {
  ready: Promise<void>;
  terminate(): Promise<unknown> | void;
}

/** Starts one worker running `loop` (the body below) with `init`. */
export type Spawner = (init: WorkerInit) => SpawnedWorker;

/** The constructor of Node's `worker_threads.Worker`, as far as it is used here. */
export interface NodeWorkerConstructor {
  new (code: string, options: { eval: true; workerData: unknown }): {
    unref(): void;
    terminate(): Promise<number>;
    once(event: "message" | "error", listener: (value: unknown) => void): void;
  };
}

/** The Web Worker constructor and blob URLs, as far as they are used here. */
interface WebWorkerApi {
  Worker: new (url: string) => {
    postMessage(message: unknown): void;
    terminate(): void;
    addEventListener(event: "message" | "error", listener: (event: { data?: unknown; message?: string }) => void, options?: { once: boolean }): void;
  };
  Blob: new (parts: string[], options: { type: string }) => object;
  URL: { createObjectURL(blob: object): string };
}

/** A started set of workers. */
export interface MatmulThreads {
  /**
   * Hands worker `w` (0-based) a job and returns at once. `job` fills the control words
   * from the third on: [kind, bytes, a or b, packed, c, m, k, n, transpose, lo, hi, ldc,
   * scratch]; kind 1 packs op(B)'s column panels [lo, hi), kind 2 computes C's rows [lo, hi).
   */
  post(w: number, job: readonly number[]): void;
  /**
   * Takes back worker `w`'s last job if the worker has not started it: true when the caller
   * must now run it itself (the worker will skip it), false when the worker has it.
   */
  take(w: number): boolean;
  /** Waits until workers 0…count−1 have finished the jobs they were last given. */
  wait(count: number): void;
  /** Resolves when every worker has started. */
  ready: Promise<void>;
  /** Stops the workers. */
  stop(): Promise<void>;
}

/** Checks of a control word before a thread sleeps on it (about 20–50 µs). */
const SPINS = 20000;

// Control words per worker: [sequence, done, kind, bytes, a or b, packed, c, m, k, n, transpose, lo, hi, ldc, scratch, claim].
// `claim` holds the sequence of a posted job nobody has started; whoever swaps it for 0 first
// (the worker, or the poster taking the job back) runs the job.
const WORDS = 16;

// A worker's loop once it has the kernels `k` and the control words `w` from `base`.
const LOOP = `
let seen = 0;
for (;;) {
  // Spin briefly before sleeping: products come back to back while a model trains, and
  // waking a sleeping thread costs tens of microseconds.
  for (let spin = 0; spin < ${SPINS} && Atomics.load(w, base) === seen; spin++);
  Atomics.wait(w, base, seen);
  seen = Atomics.load(w, base);
  if (seen < 0) break;
  // Taken back by the thread that posted it (which also marks it done): skip it.
  if (Atomics.compareExchange(w, base + 15, seen, 0) !== seen) continue;
  const f32 = w[base + 3] === 4;
  if (w[base + 2] === 1) (f32 ? k.packB32 : k.packB64)(w[base + 4], w[base + 8], w[base + 9], w[base + 10], w[base + 11], w[base + 12], w[base + 5]);
  else (f32 ? k.product32 : k.product64)(w[base + 4], w[base + 5], w[base + 6], w[base + 7], w[base + 8], w[base + 9], w[base + 10], w[base + 11], w[base + 12], w[base + 13], w[base + 14]);
  Atomics.store(w, base + 1, seen);
  Atomics.notify(w, base + 1);
}
`;

/** Starts workers with Node's `worker_threads` (the program runs with `eval`, so no file has to be found). */
export function nodeSpawner(Worker: NodeWorkerConstructor): Spawner {
  const source = `
const { workerData, parentPort } = require("node:worker_threads");
const { module, memory, control, index } = workerData;
const k = new WebAssembly.Instance(module, { env: { memory } }).exports;
const w = new Int32Array(control), base = index * ${WORDS};
parentPort.postMessage("ready");
${LOOP}`;
  return (init) => {
    const worker = new Worker(source, { eval: true, workerData: init });
    const ready = new Promise<void>((resolve, reject) => {
      worker.once("message", () => resolve());
      worker.once("error", reject);
    }).then(() => {
      // Idle workers must not keep the process alive (they are unreferenced once started).
      worker.unref();
    });
    return { ready, terminate: () => worker.terminate() };
  };
}

/** Starts Web Workers from a blob URL (the page must be cross-origin isolated for shared memory). */
export function webSpawner(): Spawner {
  const api = globalThis as unknown as WebWorkerApi;
  const source = `
self.onmessage = (event) => {
  const { module, memory, control, index } = event.data;
  const k = new WebAssembly.Instance(module, { env: { memory } }).exports;
  const w = new Int32Array(control), base = index * ${WORDS};
  self.postMessage("ready");
  ${LOOP}
};`;
  const url = api.URL.createObjectURL(new api.Blob([source], { type: "text/javascript" }));
  return (init) => {
    const worker = new api.Worker(url);
    const ready = new Promise<void>((resolve, reject) => {
      worker.addEventListener("message", () => resolve(), { once: true });
      worker.addEventListener("error", (event) => reject(new Error(`a kernel worker failed to start: ${event.message ?? "unknown error"}`)), { once: true });
    });
    worker.postMessage(init);
    return { ready, terminate: () => worker.terminate() };
  };
}

/** Whether this thread may block in Atomics.wait (not a page's main thread). */
function canBlock(words: Int32Array): boolean {
  try {
    Atomics.wait(words, 0, 1, 0);
    return true;
  } catch {
    return false;
  }
}

/** Starts `count` workers on the kernels' shared `memory`. */
export function startMatmulThreads(spawn: Spawner, module: WasmModule, memory: WasmMemory, count: number): MatmulThreads {
  const control = new SharedArrayBuffer(count * WORDS * 4);
  const words = new Int32Array(control);
  const blocking = canBlock(words);
  const workers = Array.from({ length: count }, (_, index) => spawn({ module, memory, control, index }));
  const ready = Promise.all(workers.map((worker) => worker.ready)).then(() => undefined);
  const sequences = new Array<number>(count).fill(0);

  return {
    ready,
    post(w, job) {
      const base = w * WORDS;
      sequences[w]!++;
      words.set(job, base + 2);
      Atomics.store(words, base + 15, sequences[w]!);
      Atomics.store(words, base, sequences[w]!);
      Atomics.notify(words, base);
    },
    take(w) {
      const base = w * WORDS, sequence = sequences[w]!;
      if (Atomics.compareExchange(words, base + 15, sequence, 0) !== sequence) return false;
      Atomics.store(words, base + 1, sequence);
      return true;
    },
    wait(count) {
      for (let w = 0; w < count; w++) {
        const base = w * WORDS, sequence = sequences[w]!;
        for (let spin = 0; spin < SPINS && Atomics.load(words, base + 1) !== sequence; spin++);
        for (;;) {
          const done = Atomics.load(words, base + 1);
          if (done === sequence) break;
          if (blocking) Atomics.wait(words, base + 1, done);
        }
      }
    },
    async stop() {
      for (let w = 0; w < count; w++) {
        Atomics.store(words, w * WORDS, -1);
        Atomics.notify(words, w * WORDS);
      }
      await Promise.all(workers.map(async (worker) => { await worker.terminate(); }));
    },
  };
}
