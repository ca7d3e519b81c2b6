// TensorFlow.js, the peer: the pure-JavaScript `cpu` backend and the WebAssembly backend
// (XNNPACK, SIMD when the runtime has it). Both run eagerly and synchronously, so an op's
// time is spent by the time it returns. Loaded on demand, so that the process measuring
// Hone never loads it.
import type * as TF from "@tensorflow/tfjs";
import type { LibraryName } from "./harness.js";

/** The TensorFlow.js module. */
export type Tf = typeof TF;

let loaded: Tf | null = null;

/** TensorFlow.js in production mode (no debug checks, no console banner), with `backend` made current when given. */
export async function tfjs(backend?: "cpu" | "wasm"): Promise<Tf> {
  if (loaded === null) {
    const tf = await import("@tensorflow/tfjs");
    await import("@tensorflow/tfjs-backend-wasm");
    tf.enableProdMode();
    loaded = tf;
  }
  if (backend !== undefined && loaded.getBackend() !== backend) {
    if (!(await loaded.setBackend(backend))) throw new Error(`TensorFlow.js: the ${backend} backend failed to initialize`);
    await loaded.ready();
  }
  return loaded;
}

/** The TensorFlow.js backend name of a TensorFlow.js library (the Python peers run in processes of their own). */
export function backendOf(library: LibraryName): "cpu" | "wasm" {
  if (library === "tfjs-cpu") return "cpu";
  if (library === "tfjs-wasm") return "wasm";
  throw new Error(`${library} is not a TensorFlow.js backend`);
}

/** TensorFlow.js's version and what its wasm backend runs with, for the record. */
export async function tfjsInfo(): Promise<{ version: string; wasm: string }> {
  const tf = await tfjs();
  const simd = await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT");
  const threads = await tf.env().getAsync("WASM_HAS_MULTITHREAD_SUPPORT");
  return { version: tf.version.tfjs, wasm: `SIMD ${simd ? "on" : "off"}, ${threads ? "multi-threaded" : "one thread"}` };
}
