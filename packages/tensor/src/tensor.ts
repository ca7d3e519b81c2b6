// The Tensor type, the backend choice, and the reverse-mode autograd engine.
import type { Backend, Data, DType } from "./backend.js";
import { ArgumentError, DTypeError, ShapeError, describe } from "./errors.js";
import * as ops from "./ops.js";
import { formatShape, sameShape, sizeOf, type Shape } from "./shape.js";
import { tsBackend } from "./ts-backend.js";
import { createWasmBackend, wasmSimdSupported } from "./wasm-backend.js";
import { brand } from "./brand.js";
import { withScratch, withoutScratch } from "./scratch.js";

// ---------------------------------------------------------------------------------------
// Backend choice: the one piece of global state, set explicitly.

let activeBackend: Backend | undefined;

/**
 * Chooses the kernels every op runs on. Until it is called, the first op picks one: the
 * backend the environment variable `HONE_BACKEND` names (`ts` or `wasm`), else the
 * WebAssembly SIMD backend where the engine has WebAssembly SIMD, else the plain
 * TypeScript backend. Both give the same float64 results bit for bit.
 *
 * @example
 * ```ts
 * import { setBackend, getBackend, tsBackend } from "@hone/tensor";
 * setBackend(tsBackend);
 * console.log(getBackend().name); // "ts"
 * ```
 */
export function setBackend(backend: Backend): void {
  activeBackend = backend;
}

/** The backend ops currently run on (picked on first use; see {@link setBackend}). */
export function getBackend(): Backend {
  return (activeBackend ??= defaultBackend());
}

/** The backend picked when none was set: `HONE_BACKEND`, else wasm where it runs, else ts. */
function defaultBackend(): Backend {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  const wanted = env?.["HONE_BACKEND"];
  if (wanted === "ts") return tsBackend;
  if (wanted !== undefined && wanted !== "" && wanted !== "wasm") {
    throw new ArgumentError(`HONE_BACKEND must be "ts" or "wasm", got ${describe(wanted)}`);
  }
  // HONE_WASM_MIN_SIZE lowers the sizes below which products and element-wise ops stay on
  // the TypeScript kernels (the test suite sets 0, so all of its arithmetic that the
  // kernels cover runs in WebAssembly).
  const floor = env?.["HONE_WASM_MIN_SIZE"];
  const minSize = floor === undefined || floor === "" ? undefined : Number(floor);
  if (minSize !== undefined && !(Number.isInteger(minSize) && minSize >= 0)) {
    throw new ArgumentError(`HONE_WASM_MIN_SIZE must be an integer ≥ 0, got ${describe(floor)}`);
  }
  const options = minSize === undefined ? {} : { minProduct: minSize, minElements: minSize };
  if (wanted === "wasm") return createWasmBackend(options);
  if (!wasmSimdSupported()) return tsBackend;
  try {
    return createWasmBackend(options);
  } catch {
    // An engine that refuses synchronous compilation (a page's main thread with a limit on
    // module size) keeps the TypeScript kernels; loadWasmBackend() works everywhere.
    return tsBackend;
  }
}

// ---------------------------------------------------------------------------------------
// Gradient recording.

let gradEnabled = true;

/**
 * Runs `fn` without recording operations for autograd (evaluation, optimizer updates).
 * The previous mode is restored afterwards, also when `fn` throws.
 *
 * @example
 * ```ts
 * import { tensor, noGrad, mul } from "@hone/tensor";
 * const w = tensor([1, 2], { requiresGrad: true });
 * const y = noGrad(() => mul(w, 2));
 * console.log(y.requiresGrad); // false
 * ```
 */
export function noGrad<T>(fn: () => T): T {
  const previous = gradEnabled;
  gradEnabled = false;
  try {
    return fn();
  } finally {
    gradEnabled = previous;
  }
}

/** Whether operations are being recorded for autograd right now. */
export function isGradEnabled(): boolean {
  return gradEnabled;
}

/**
 * A backward rule: given the gradient of the loss with respect to an op's output, return
 * the gradient with respect to each input (or null where an input needs none).
 */
export type BackwardRule<A = undefined> = (
  grad: Tensor, inputs: readonly Tensor[], output: Tensor, attrs: A,
) => readonly (Tensor | null)[];

/** How a tensor was computed: the op, its inputs, and its backward rule. */
export interface GradNode {
  /** The op's name, for messages and graph inspection. */
  readonly op: string;
  /** The op's tensor inputs, in order. */
  readonly inputs: readonly Tensor[];
  /** The rule that maps the output gradient to the input gradients. */
  readonly rule: BackwardRule<unknown>;
  /** Op parameters the rule needs (axes, exponent…). */
  readonly attrs: unknown;
}

/**
 * Attaches an autograd node to `out` when recording is on and an input requires grad.
 * Used by every differentiable op; `customOp` wraps it for user-defined ops.
 */
export function record<A>(out: Tensor, op: string, inputs: readonly Tensor[], rule: BackwardRule<A>, attrs?: A): Tensor {
  if (!gradEnabled) return out;
  for (let i = 0; i < inputs.length; i++) {
    if (inputs[i]!.requiresGrad) {
      out.requiresGrad = true;
      out.node = { op, inputs, rule: rule as BackwardRule<unknown>, attrs };
      return out;
    }
  }
  return out;
}

/** Nested arrays of numbers, as `toArray()` returns them. */
export type NestedArray = number | NestedArray[];

// ---------------------------------------------------------------------------------------
// The Tensor.

/**
 * An n-dimensional array over a contiguous, row-major `Float64Array` (the default) or
 * `Float32Array`. Tensors are immutable values for every op; only optimizers update
 * parameter buffers in place. Methods are sugar over the functions of the same name.
 *
 * @example
 * ```ts
 * import { tensor } from "@hone/tensor";
 * const x = tensor([[1, 2], [3, 4]]);
 * console.log(x.shape, x.add(1).sum().item()); // [2, 2] 14
 * ```
 */
export class Tensor {
  /** The elements, row-major. */
  readonly data: Data;
  /** The length along each axis. */
  readonly shape: Shape;
  /** The number of elements. */
  readonly size: number;
  /** Whether gradients flow to this tensor. */
  requiresGrad: boolean;
  /** The accumulated gradient (leaf tensors, after `backward`). */
  grad: Tensor | null = null;
  /** How this tensor was computed (null for leaves and untracked results). */
  node: GradNode | null = null;

  /** Wraps `data` (not copied) with `shape`; prefer `tensor()` and friends. */
  constructor(data: Data, shape: Shape, requiresGrad = false) {
    const size = sizeOf(shape);
    if (data.length !== size) {
      throw new ShapeError(`Tensor: data has ${data.length} elements but shape ${formatShape(shape)} needs ${size}`);
    }
    this.data = data;
    this.shape = shape;
    this.size = size;
    this.requiresGrad = requiresGrad;
  }

  /** The element type. */
  get dtype(): DType {
    return this.data instanceof Float32Array ? "float32" : "float64";
  }

  /** The number of axes. */
  get rank(): number {
    return this.shape.length;
  }

  /** The single value of a one-element tensor. */
  item(): number {
    if (this.size !== 1) throw new ShapeError(`item: tensor has shape ${formatShape(this.shape)}, expected exactly one element`);
    return this.data[0]!;
  }

  /** The values as nested arrays (a number for a scalar). */
  toArray(): NestedArray {
    const { data, shape } = this;
    if (shape.length === 0) return data[0]!;
    const build = (axis: number, offset: number, stride: number): NestedArray[] => {
      const n = shape[axis]!;
      const inner = stride / n;
      const out: NestedArray[] = new Array<NestedArray>(n);
      for (let i = 0; i < n; i++) {
        out[i] = axis === shape.length - 1 ? data[offset + i]! : build(axis + 1, offset + i * inner, inner);
      }
      return out;
    };
    return build(0, 0, this.size);
  }

  /** A flat copy of the values as a plain array. */
  toList(): number[] {
    return Array.from(this.data);
  }

  /** A copy with its own buffer, outside the graph. */
  clone(): Tensor {
    return new Tensor(this.data.slice(), this.shape.slice());
  }

  /** The same values outside the graph (shares the buffer). */
  detach(): Tensor {
    return new Tensor(this.data, this.shape);
  }

  /** Marks this tensor as a leaf whose gradient is wanted; returns it. */
  requireGrad(flag = true): this {
    if (this.node !== null && !flag) throw new ArgumentError("requireGrad: cannot turn gradients off for a computed tensor; use detach()");
    this.requiresGrad = flag;
    return this;
  }

  /** Clears the accumulated gradient. */
  zeroGrad(): void {
    this.grad = null;
  }

  /** Runs backpropagation from this tensor; see `backward`. */
  backward(grad?: Tensor): void {
    backward(this, grad);
  }

  /** A readable summary: `Tensor(float64, [2,3])`. */
  toString(): string {
    return `Tensor(${this.dtype}, ${formatShape(this.shape)})`;
  }

  add(other: Tensor | number): Tensor { return ops.add(this, other); }
  sub(other: Tensor | number): Tensor { return ops.sub(this, other); }
  mul(other: Tensor | number): Tensor { return ops.mul(this, other); }
  div(other: Tensor | number): Tensor { return ops.div(this, other); }
  pow(exponent: Tensor | number): Tensor { return ops.pow(this, exponent); }
  neg(): Tensor { return ops.neg(this); }
  exp(): Tensor { return ops.exp(this); }
  log(): Tensor { return ops.log(this); }
  sqrt(): Tensor { return ops.sqrt(this); }
  abs(): Tensor { return ops.abs(this); }
  square(): Tensor { return ops.square(this); }
  relu(): Tensor { return ops.relu(this); }
  sigmoid(): Tensor { return ops.sigmoid(this); }
  tanh(): Tensor { return ops.tanh(this); }
  matmul(other: Tensor, options?: ops.MatmulOptions): Tensor { return ops.matmul(this, other, options); }
  transpose(perm?: readonly number[]): Tensor { return ops.transpose(this, perm); }
  /** The 2-D transpose. */
  get T(): Tensor { return ops.transpose(this); }
  reshape(shape: Shape): Tensor { return ops.reshape(this, shape); }
  sum(axis?: number | readonly number[], keepDims?: boolean): Tensor { return ops.sum(this, axis, keepDims); }
  mean(axis?: number | readonly number[], keepDims?: boolean): Tensor { return ops.mean(this, axis, keepDims); }
  max(axis?: number | readonly number[], keepDims?: boolean): Tensor { return ops.max(this, axis, keepDims); }
  min(axis?: number | readonly number[], keepDims?: boolean): Tensor { return ops.min(this, axis, keepDims); }
  argmax(axis?: number): Tensor { return ops.argmax(this, axis); }
  softmax(axis?: number): Tensor { return ops.softmax(this, axis); }
  logSoftmax(axis?: number): Tensor { return ops.logSoftmax(this, axis); }
  /** A copy converted to `dtype` (this tensor itself when it already has it). */
  to(dtype: DType): Tensor { return ops.cast(this, dtype); }
}

// `instanceof Tensor` holds for a tensor from any copy of the package (see brand.ts).
brand(Tensor, "Tensor");

/**
 * Whether `x` is a tensor, from this copy of @hone/tensor or any other (the same test as
 * `x instanceof Tensor`): a guard for code that takes tensors from elsewhere.
 *
 * @example
 * ```ts
 * import { isTensor, tensor } from "@hone/tensor";
 * isTensor(tensor([1, 2])); // true
 * isTensor([1, 2]); // false
 * ```
 */
export function isTensor(x: unknown): x is Tensor {
  return x instanceof Tensor;
}

// ---------------------------------------------------------------------------------------
// Backpropagation.

/** Tensors reachable from `root` through nodes, inputs before the tensors using them. */
function topoOrder(root: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const seen = new Set<Tensor>([root]);
  // Iterative post-order DFS (deep graphs must not overflow the stack).
  const stack: [Tensor, number][] = [[root, 0]];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const [t, i] = top;
    const inputs = t.node?.inputs ?? [];
    if (i < inputs.length) {
      top[1] = i + 1;
      const child = inputs[i]!;
      if (child.requiresGrad && !seen.has(child)) {
        seen.add(child);
        stack.push([child, 0]);
      }
    } else {
      stack.pop();
      order.push(t);
    }
  }
  return order;
}

/**
 * Reverse-mode differentiation: accumulates d(root)/d(leaf) into `.grad` of every leaf
 * that requires grad. `root` must be a scalar unless `grad` (the upstream gradient, of
 * `root`'s shape) is given. Gradients accumulate across calls until `zeroGrad()`.
 *
 * @example
 * ```ts
 * import { tensor, mul, sum, backward } from "@hone/tensor";
 * const x = tensor([1, 2, 3], { requiresGrad: true });
 * backward(sum(mul(x, x)));
 * console.log(x.grad?.toArray()); // [2, 4, 6]
 * ```
 */
export function backward(root: Tensor, grad?: Tensor): void {
  if (!root.requiresGrad) {
    throw new ArgumentError("backward: the tensor does not require grad (no input had requiresGrad: true, or it was computed under noGrad)");
  }
  let seed: Tensor;
  if (grad === undefined) {
    if (root.size !== 1) {
      throw new ShapeError(`backward: the output has shape ${formatShape(root.shape)}; reduce it to a scalar or pass an upstream gradient of that shape`);
    }
    seed = ops.onesLike(root);
  } else {
    if (!sameShape(grad.shape, root.shape)) {
      throw new ShapeError(`backward: grad has shape ${formatShape(grad.shape)} but the output has shape ${formatShape(root.shape)}`);
    }
    seed = grad;
  }
  const order = topoOrder(root);
  const grads = new Map<Tensor, Tensor>([[root, seed]]);
  // The intermediate gradients die with the pass: their buffers serve the next one (scratch.ts).
  withScratch(() => noGrad(() => {
    for (let k = order.length - 1; k >= 0; k--) {
      const t = order[k]!;
      const g = grads.get(t);
      if (g === undefined) continue;
      grads.delete(t);
      const node = t.node;
      if (node === null) {
        accumulateLeaf(t, g);
        continue;
      }
      const inputGrads = node.rule(g, node.inputs, t, node.attrs);
      for (let i = 0; i < node.inputs.length; i++) {
        const x = node.inputs[i]!;
        const gx = inputGrads[i];
        if (!x.requiresGrad || gx === null || gx === undefined) continue;
        if (!sameShape(gx.shape, x.shape)) {
          throw new ShapeError(`backward: the rule of '${node.op}' gave input ${i} a gradient of shape ${formatShape(gx.shape)}, expected ${formatShape(x.shape)}`);
        }
        const prev = grads.get(x);
        grads.set(x, prev === undefined ? gx : ops.add(prev, gx));
      }
    }
  }));
}

function accumulateLeaf(t: Tensor, g: Tensor): void {
  if (t.grad === null) {
    // The engine owns a leaf's gradient buffer, so later accumulation may add in place.
    // A copy outside the pass's scratch: the gradient outlives the pass.
    t.grad = new Tensor(g.dtype === t.dtype ? g.data.slice() : withoutScratch(() => ops.cast(g, t.dtype)).data, t.shape.slice());
    return;
  }
  const acc = t.grad.data, add = g.data;
  for (let i = 0; i < acc.length; i++) acc[i] = acc[i]! + add[i]!;
}

// ---------------------------------------------------------------------------------------
// Custom differentiable ops.

/** The definition of a user op: its forward computation and its backward rule. */
export interface CustomOpSpec {
  /** The op's name, used in error messages and gradient-check reports. */
  name: string;
  /** Computes the output from the inputs (runs without recording). */
  forward: (...inputs: Tensor[]) => Tensor;
  /** Maps the output gradient to one gradient per input (null for none). */
  backward: (grad: Tensor, inputs: readonly Tensor[], output: Tensor) => readonly (Tensor | null)[];
}

/**
 * Defines a differentiable op from a forward function and a hand-written backward rule:
 * the thing `@hone/gradcheck` verifies. The returned function records the op like a
 * built-in one.
 *
 * @example
 * ```ts
 * import { customOp, tensor, mul, sum, backward } from "@hone/tensor";
 * const cube = customOp({
 *   name: "cube",
 *   forward: (x) => mul(mul(x, x), x),
 *   backward: (g, [x]) => [mul(g, mul(mul(x!, x!), 3))],
 * });
 * const x = tensor([2], { requiresGrad: true });
 * backward(sum(cube(x)));
 * console.log(x.grad?.item()); // 12
 * ```
 */
export function customOp(spec: CustomOpSpec): (...inputs: Tensor[]) => Tensor {
  if (typeof spec.forward !== "function" || typeof spec.backward !== "function") {
    throw new ArgumentError(`customOp: forward and backward must be functions, got ${describe(typeof spec.forward)} and ${describe(typeof spec.backward)}`);
  }
  const rule: BackwardRule = (g, inputs, out) => {
    // User code: what it allocates may be kept, so not from the pass's scratch.
    const grads = withoutScratch(() => spec.backward(g, inputs, out));
    if (!(grads instanceof Array)) throw new ArgumentError(`customOp '${spec.name}': backward must return an array of gradients, got ${describe(grads)}`);
    if (grads.length !== inputs.length) {
      throw new ArgumentError(`customOp '${spec.name}': backward returned ${grads.length} gradients for ${inputs.length} inputs`);
    }
    for (const [i, gi] of grads.entries()) {
      if (gi !== null && !(gi instanceof Tensor)) throw new ArgumentError(`customOp '${spec.name}': backward returned ${describe(gi)} for input ${i}; expected a Tensor or null`);
    }
    return grads;
  };
  return (...inputs: Tensor[]): Tensor => {
    for (const [i, x] of inputs.entries()) {
      if (!(x instanceof Tensor)) throw new ArgumentError(`customOp '${spec.name}': input ${i} must be a Tensor, got ${describe(x)}`);
    }
    const out = noGrad(() => spec.forward(...inputs));
    if (!(out instanceof Tensor)) throw new ArgumentError(`customOp '${spec.name}': forward must return a Tensor, got ${describe(out)}`);
    // A fresh result is used as is; a tracked tensor or one of the inputs (identity-like
    // forwards) is wrapped, so that recording never rewires an existing tensor.
    const result = out.node === null && !inputs.includes(out) ? out : out.detach();
    return record(result, spec.name, inputs, rule);
  };
}

/** Throws a DTypeError unless `t` is float64 (for checks that need double precision). */
export function assertFloat64(op: string, name: string, t: Tensor): void {
  if (t.dtype !== "float64") throw new DTypeError(`${op}: ${name} must be float64, got ${t.dtype}`);
}
