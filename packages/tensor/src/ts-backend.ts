// The plain TypeScript backend. Hot loops avoid per-element closures: each kernel
// switches on the op once per contiguous run and loops inside the case.
import type { Backend, BinaryOp, Data, ReduceOp, UnaryOp } from "./backend.js";
import { sizeOf, stridesOf, type Shape } from "./shape.js";

function unary(op: UnaryOp, a: Data, out: Data, alpha: number): void {
  const n = a.length;
  switch (op) {
    case "neg": for (let i = 0; i < n; i++) out[i] = -a[i]!; return;
    case "exp": for (let i = 0; i < n; i++) out[i] = Math.exp(a[i]!); return;
    case "log": for (let i = 0; i < n; i++) out[i] = Math.log(a[i]!); return;
    case "sqrt": for (let i = 0; i < n; i++) out[i] = Math.sqrt(a[i]!); return;
    case "abs": for (let i = 0; i < n; i++) out[i] = Math.abs(a[i]!); return;
    case "sign": for (let i = 0; i < n; i++) out[i] = Math.sign(a[i]!); return;
    case "square": for (let i = 0; i < n; i++) { const v = a[i]!; out[i] = v * v; } return;
    case "reciprocal": for (let i = 0; i < n; i++) out[i] = 1 / a[i]!; return;
    case "relu": for (let i = 0; i < n; i++) { const v = a[i]!; out[i] = v > 0 ? v : 0; } return;
    case "leakyRelu": for (let i = 0; i < n; i++) { const v = a[i]!; out[i] = v > 0 ? v : alpha * v; } return;
    case "tanh": for (let i = 0; i < n; i++) out[i] = Math.tanh(a[i]!); return;
    case "powScalar": for (let i = 0; i < n; i++) out[i] = Math.pow(a[i]!, alpha); return;
    case "sigmoid":
      // Stable on both tails: exp never sees a large positive argument.
      for (let i = 0; i < n; i++) {
        const v = a[i]!;
        if (v >= 0) out[i] = 1 / (1 + Math.exp(-v));
        else { const e = Math.exp(v); out[i] = e / (1 + e); }
      }
      return;
  }
}

/** One contiguous run of a broadcast binary op: `out[o + j] = a[ao + j*as] op b[bo + j*bs]`. */
function binaryRun(
  op: BinaryOp, a: Data, ao: number, as: number, b: Data, bo: number, bs: number, out: Data, o: number, n: number,
): void {
  switch (op) {
    case "add": for (let j = 0; j < n; j++) out[o + j] = a[ao + j * as]! + b[bo + j * bs]!; return;
    case "sub": for (let j = 0; j < n; j++) out[o + j] = a[ao + j * as]! - b[bo + j * bs]!; return;
    case "mul": for (let j = 0; j < n; j++) out[o + j] = a[ao + j * as]! * b[bo + j * bs]!; return;
    case "div": for (let j = 0; j < n; j++) out[o + j] = a[ao + j * as]! / b[bo + j * bs]!; return;
    case "pow": for (let j = 0; j < n; j++) out[o + j] = Math.pow(a[ao + j * as]!, b[bo + j * bs]!); return;
    case "maximum":
      for (let j = 0; j < n; j++) { const x = a[ao + j * as]!, y = b[bo + j * bs]!; out[o + j] = x >= y || x !== x ? x : y; }
      return;
    case "minimum":
      for (let j = 0; j < n; j++) { const x = a[ao + j * as]!, y = b[bo + j * bs]!; out[o + j] = x <= y || x !== x ? x : y; }
      return;
    case "eq": for (let j = 0; j < n; j++) out[o + j] = a[ao + j * as]! === b[bo + j * bs]! ? 1 : 0; return;
    case "ne": for (let j = 0; j < n; j++) out[o + j] = a[ao + j * as]! !== b[bo + j * bs]! ? 1 : 0; return;
    case "lt": for (let j = 0; j < n; j++) out[o + j] = a[ao + j * as]! < b[bo + j * bs]! ? 1 : 0; return;
    case "le": for (let j = 0; j < n; j++) out[o + j] = a[ao + j * as]! <= b[bo + j * bs]! ? 1 : 0; return;
    case "gt": for (let j = 0; j < n; j++) out[o + j] = a[ao + j * as]! > b[bo + j * bs]! ? 1 : 0; return;
    case "ge": for (let j = 0; j < n; j++) out[o + j] = a[ao + j * as]! >= b[bo + j * bs]! ? 1 : 0; return;
  }
}

/** Strides of `shape` aligned to `outShape`'s rank, 0 where the axis is broadcast. */
function broadcastStrides(shape: Shape, outShape: Shape): number[] {
  const r = outShape.length;
  const own = stridesOf(shape);
  const s = new Array<number>(r).fill(0);
  for (let i = 0; i < shape.length; i++) {
    const k = r - shape.length + i;
    s[k] = shape[i] === 1 && outShape[k] !== 1 ? 0 : own[i]!;
  }
  return s;
}

/**
 * Walks every contiguous run along the last axis of `outShape`, calling `run` with the
 * offsets of each operand. Shared by the broadcasting kernels.
 */
function forEachRun(
  outShape: Shape, strides: readonly (readonly number[])[],
  run: (offsets: readonly number[], o: number, n: number) => void,
): void {
  const r = outShape.length;
  const total = sizeOf(outShape);
  if (total === 0) return;
  const inner = r === 0 ? 1 : outShape[r - 1]!;
  const idx = new Array<number>(Math.max(r - 1, 0)).fill(0);
  const offs = strides.map(() => 0);
  for (let o = 0; o < total; o += inner) {
    run(offs, o, inner);
    // Advance the odometer over the outer axes.
    for (let ax = r - 2; ax >= 0; ax--) {
      idx[ax]!++;
      for (let t = 0; t < offs.length; t++) offs[t]! += strides[t]![ax]!;
      if (idx[ax]! < outShape[ax]!) break;
      for (let t = 0; t < offs.length; t++) offs[t]! -= strides[t]![ax]! * outShape[ax]!;
      idx[ax] = 0;
    }
  }
}

function binary(op: BinaryOp, a: Data, aShape: Shape, b: Data, bShape: Shape, out: Data, outShape: Shape): void {
  const n = out.length;
  if (a.length === n && b.length === n) return binaryRun(op, a, 0, 1, b, 0, 1, out, 0, n);
  if (b.length === 1 && a.length === n) return binaryRun(op, a, 0, 1, b, 0, 0, out, 0, n);
  if (a.length === 1 && b.length === n) return binaryRun(op, a, 0, 0, b, 0, 1, out, 0, n);
  const as = broadcastStrides(aShape, outShape);
  const bs = broadcastStrides(bShape, outShape);
  const r = outShape.length;
  const ai = as[r - 1] ?? 0, bi = bs[r - 1] ?? 0;
  forEachRun(outShape, [as, bs], (offs, o, len) => binaryRun(op, a, offs[0]!, ai, b, offs[1]!, bi, out, o, len));
}

function where(
  cond: Data, cShape: Shape, a: Data, aShape: Shape, b: Data, bShape: Shape, out: Data, outShape: Shape,
): void {
  const cs = broadcastStrides(cShape, outShape);
  const as = broadcastStrides(aShape, outShape);
  const bs = broadcastStrides(bShape, outShape);
  const r = outShape.length;
  const ci = cs[r - 1] ?? 0, ai = as[r - 1] ?? 0, bi = bs[r - 1] ?? 0;
  forEachRun(outShape, [cs, as, bs], (offs, o, len) => {
    const c0 = offs[0]!, a0 = offs[1]!, b0 = offs[2]!;
    for (let j = 0; j < len; j++) out[o + j] = cond[c0 + j * ci] !== 0 ? a[a0 + j * ai]! : b[b0 + j * bi]!;
  });
}

function reduce(op: ReduceOp, a: Data, shape: Shape, axes: readonly number[], out: Data): void {
  const init = op === "sum" ? 0 : op === "max" ? -Infinity : Infinity;
  out.fill(init);
  if (a.length === 0) return;
  // Output strides over the input's axes: 0 on reduced axes.
  const keep = shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const os = broadcastStrides(keep, shape);
  const r = shape.length;
  const oi = os[r - 1] ?? 0;
  const is = stridesOf(shape);
  forEachRun(shape, [os, is], (offs, _o, len) => {
    const o0 = offs[0]!, i0 = offs[1]!;
    if (oi === 0) {
      let acc = out[o0]!;
      if (op === "sum") for (let j = 0; j < len; j++) acc += a[i0 + j]!;
      else if (op === "max") for (let j = 0; j < len; j++) { const v = a[i0 + j]!; if (v > acc || v !== v) acc = v; }
      else for (let j = 0; j < len; j++) { const v = a[i0 + j]!; if (v < acc || v !== v) acc = v; }
      out[o0] = acc;
    } else if (op === "sum") for (let j = 0; j < len; j++) out[o0 + j] = out[o0 + j]! + a[i0 + j]!;
    else if (op === "max") for (let j = 0; j < len; j++) { const v = a[i0 + j]!; if (v > out[o0 + j]! || v !== v) out[o0 + j] = v; }
    else for (let j = 0; j < len; j++) { const v = a[i0 + j]!; if (v < out[o0 + j]! || v !== v) out[o0 + j] = v; }
  });
}

function argReduce(op: "argmax" | "argmin", a: Data, shape: Shape, axis: number, out: Data): void {
  const d = shape[axis]!;
  const innerSize = sizeOf(shape.slice(axis + 1));
  const outer = sizeOf(shape.slice(0, axis));
  const sign = op === "argmax" ? 1 : -1;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < innerSize; i++) {
      const base = o * d * innerSize + i;
      let best = 0, bv = sign * a[base]!;
      for (let k = 1; k < d; k++) {
        const v = sign * a[base + k * innerSize]!;
        if (v > bv) { bv = v; best = k; }
      }
      out[o * innerSize + i] = best;
    }
  }
}

/** Whether `b[o, o + n)` holds only finite values, so that skipping zero multipliers is exact. */
function allFinite(b: Data, o: number, n: number): boolean {
  for (let i = o; i < o + n; i++) {
    const v = b[i]!;
    if (v - v !== 0) return false; // NaN or ±∞ (0·∞ must stay NaN)
  }
  return true;
}

function matmul(
  a: Data, b: Data, out: Data, batch: number, m: number, k: number, n: number,
  transA: boolean, transB: boolean, aStride: number, bStride: number,
): void {
  for (let t = 0; t < batch; t++) {
    const ao = t * aStride, bo = t * bStride, co = t * m * n;
    for (let i = 0; i < m * n; i++) out[co + i] = 0;
    // The row-update loops skip zeros of A (sparse ReLU activations) when B is all finite.
    const skipZeros = !transB && allFinite(b, bo, k * n);
    if (!transA && !transB) {
      // i-p-j order: reads B and writes C along rows.
      for (let i = 0; i < m; i++) {
        const ci = co + i * n;
        for (let p = 0; p < k; p++) {
          const av = a[ao + i * k + p]!;
          if (av === 0 && skipZeros) continue;
          const bp = bo + p * n;
          for (let j = 0; j < n; j++) out[ci + j] = out[ci + j]! + av * b[bp + j]!;
        }
      }
    } else if (!transA && transB) {
      // Row of A dotted with row of B.
      for (let i = 0; i < m; i++) {
        const ai = ao + i * k;
        for (let j = 0; j < n; j++) {
          const bj = bo + j * k;
          let s = 0;
          for (let p = 0; p < k; p++) s += a[ai + p]! * b[bj + p]!;
          out[co + i * n + j] = s;
        }
      }
    } else if (transA && !transB) {
      // A stored k×m: accumulate outer products of row p of A and row p of B.
      for (let p = 0; p < k; p++) {
        const ap = ao + p * m, bp = bo + p * n;
        for (let i = 0; i < m; i++) {
          const av = a[ap + i]!;
          if (av === 0 && skipZeros) continue;
          const ci = co + i * n;
          for (let j = 0; j < n; j++) out[ci + j] = out[ci + j]! + av * b[bp + j]!;
        }
      }
    } else {
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let p = 0; p < k; p++) s += a[ao + p * m + i]! * b[bo + j * k + p]!;
          out[co + i * n + j] = s;
        }
      }
    }
  }
}

function transpose(a: Data, shape: Shape, perm: readonly number[], out: Data): void {
  if (shape.length === 2 && perm[0] === 1) {
    const r = shape[0]!, c = shape[1]!;
    for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[j * r + i] = a[i * c + j]!;
    return;
  }
  const outShape = perm.map((p) => shape[p]!);
  const inStrides = stridesOf(shape);
  const permStrides = perm.map((p) => inStrides[p]!);
  const r = outShape.length;
  const last = permStrides[r - 1] ?? 0;
  forEachRun(outShape, [permStrides], (offs, o, len) => {
    const i0 = offs[0]!;
    for (let j = 0; j < len; j++) out[o + j] = a[i0 + j * last]!;
  });
}

/** The plain TypeScript backend: the reference every other backend is compared with. */
export const tsBackend: Backend = { name: "ts", unary, binary, reduce, argReduce, matmul, transpose, where };
