// The part of the WebAssembly JavaScript API the backend uses, typed here so the package
// needs neither the DOM library nor Node's globals to type-check (the `WebAssembly` global
// exists in Node and in every browser with WebAssembly).

/** A compiled module (opaque). */
export type WasmModule = { readonly __wasmModule: unique symbol };

/** A linear memory. */
export interface WasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  grow(pages: number): number;
}

interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  compile(bytes: Uint8Array): Promise<WasmModule>;
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => { exports: unknown };
  Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
}

/** The engine's `WebAssembly` namespace, or undefined where there is none. */
export const wasmApi: WasmApi | undefined = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
