// Buffers a backward pass reuses from the previous one. The gradients a backward pass
// computes for intermediate nodes live only until the pass ends (leaf gradients are copied
// out), so the buffers of one pass can serve the next: a training loop then allocates no
// new typed arrays for its backward passes after the first step (allocating a 30 kB
// Float64Array costs about 2 µs here, zeroing a reused one 0.3 µs).
//
// Only code run between `withScratch`'s start and end takes scratch buffers: the built-in
// backward rules, and what a caller that knows its tensors die puts inside (fit's step).
// User code inside a backward pass (a customOp's backward) runs under `withoutScratch`, so
// a tensor it keeps is never recycled.
import type { Data, DType } from "./backend.js";

/** Buffers smaller than this many elements are allocated as usual (V8 allocates them on its heap, cheaply). */
const MIN_ELEMENTS = 16;
/**
 * A pass takes at most this many bytes of scratch buffers (past it, buffers are allocated as
 * usual), and they are what the next pass reuses. A pass keeps its buffers alive until it
 * ends, so this also bounds what the reuse adds to a pass's peak memory.
 */
const KEEP_BYTES = 16 << 20;

let active = false;
/** Free buffers by key (length·2 + 1 for float32), from the last pass. */
let free = new Map<number, Data[]>();
/** Buffers handed out during the current pass, and their bytes. */
let used: Data[] = [];
let usedBytes = 0;

/** A zero-filled buffer from the current pass's scratch, or null outside a pass (or for a small one, or past the pass's budget). */
export function scratchBuffer(n: number, dtype: DType): Data | null {
  if (!active || n < MIN_ELEMENTS) return null;
  const bytes = n * (dtype === "float32" ? 4 : 8);
  if (usedBytes + bytes > KEEP_BYTES) return null;
  usedBytes += bytes;
  const list = free.get(2 * n + (dtype === "float32" ? 1 : 0));
  let data = list?.pop();
  if (data === undefined) data = dtype === "float32" ? new Float32Array(n) : new Float64Array(n);
  else data.fill(0);
  used.push(data);
  return data;
}

/**
 * Runs `fn` with scratch buffers: the typed arrays the ops inside allocate come from the
 * previous call's, and when `fn` returns (or throws) they become the next call's. So **no
 * tensor created inside `fn` may be used after it returns**; take numbers out (`item()`),
 * or `clone()` what you keep. `backward` runs in one itself, and `@hone/nn`'s `fit` runs
 * each step's forward pass, loss and backward pass in one when every module and the loss
 * are built-in (they keep no tensors). A `customOp`'s backward allocates as usual. Nested
 * calls join the outer one.
 *
 * @example
 * ```ts
 * import { withScratch, backward, matmul, relu, sum, tensor } from "@hone/tensor";
 * const w = tensor([[1, -1], [2, 0.5]], { requiresGrad: true });
 * const x = tensor([[0.5, 1], [1, 2]]);
 * const loss = withScratch(() => {
 *   const l = sum(relu(matmul(x, w)));
 *   backward(l);
 *   return l.item(); // a number: the tensors inside are not used afterwards
 * });
 * console.log(loss, w.grad?.toArray()); // 7.5 [[1.5, 0], [3, 0]]
 * ```
 */
export function withScratch<T>(fn: () => T): T {
  if (active) return fn();
  active = true;
  try {
    return fn();
  } finally {
    active = false;
    const next = new Map<number, Data[]>();
    for (const data of used) {
      const key = 2 * data.length + (data instanceof Float32Array ? 1 : 0);
      const list = next.get(key);
      if (list === undefined) next.set(key, [data]);
      else list.push(data);
    }
    free = next;
    used = [];
    usedBytes = 0;
  }
}

/** Runs `fn` with ordinary allocation, also inside a pass (for code whose tensors may outlive it). */
export function withoutScratch<T>(fn: () => T): T {
  if (!active) return fn();
  active = false;
  try {
    return fn();
  } finally {
    active = true;
  }
}
