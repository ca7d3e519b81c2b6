// What the workloads share about Hone: its backend in a library process, and its models.
import { createWasmBackend, getBackend, loadWasmBackend, setBackend, tsBackend, type Backend, type Tensor } from "@hone/tensor";
import type { HoneLibrary } from "./harness.js";

/** The backend each Hone variant runs on, by the name the backend reports. */
const BACKEND_NAMES: Readonly<Record<Exclude<HoneLibrary, "hone-chromium">, string>> = { hone: "ts", "hone-wasm": "wasm", "hone-wasm2": "wasm×2", "hone-fma": "wasm" };

/**
 * Makes `library`'s backend the current one in this process, explicitly (the default
 * depends on the engine and on HONE_BACKEND): the TypeScript kernels, or WebAssembly SIMD
 * on one thread or on two (the worker threads are unref'd: they end with the process), with
 * float32 fused multiply-add off (`hone-wasm`, `hone-wasm2`) or required (`hone-fma`).
 * Returns the backend's name. `hone-chromium` computes in its page (browser.ts), not here.
 */
export async function useHoneBackend(library: HoneLibrary): Promise<string> {
  if (library === "hone-chromium") return "wasm (Chromium)";
  const backend: Backend = library === "hone" ? tsBackend
    : library === "hone-wasm" ? createWasmBackend({ fusedMultiplyAdd: false })
    : library === "hone-fma" ? createWasmBackend({ fusedMultiplyAdd: true })
    : await loadWasmBackend({ threads: 2, fusedMultiplyAdd: false });
  setBackend(backend);
  const name = getBackend().name;
  if (name !== BACKEND_NAMES[library]) throw new Error(`${library} should run on the ${BACKEND_NAMES[library]} backend, but it is ${name}`);
  return name;
}

/** A dense layer's weight `(out, in)` as TensorFlow.js's kernel `(in, out)`, in float32. */
export function kernelOf(weight: Tensor): Float32Array {
  const [out, inp] = weight.shape as [number, number];
  const k = new Float32Array(out * inp);
  for (let o = 0; o < out; o++) for (let i = 0; i < inp; i++) k[i * out + o] = weight.data[o * inp + i]!;
  return k;
}
