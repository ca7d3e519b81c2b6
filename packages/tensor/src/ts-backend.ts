// The plain TypeScript backend. Hot loops avoid per-element closures: each kernel
// switches on the op once per contiguous run and loops inside the case.
import type { Backend, BinaryOp, Data, ReduceOp, UnaryOp } from "./backend.js";
import { exp, log, tanh } from "./libm.js";
import { sizeOf, stridesOf, type Shape } from "./shape.js";
import { ArgumentError } from "./errors.js";

function unary(op: UnaryOp, a: Data, out: Data, alpha: number): void {
  const n = a.length;
  switch (op) {
    case "neg": for (let i = 0; i < n; i++) out[i] = -a[i]!; return;
    case "exp": for (let i = 0; i < n; i++) out[i] = exp(a[i]!); return;
    case "log": for (let i = 0; i < n; i++) out[i] = log(a[i]!); return;
    case "sqrt": for (let i = 0; i < n; i++) out[i] = Math.sqrt(a[i]!); return;
    case "abs": for (let i = 0; i < n; i++) out[i] = Math.abs(a[i]!); return;
    case "sign": for (let i = 0; i < n; i++) out[i] = Math.sign(a[i]!); return;
    case "square": for (let i = 0; i < n; i++) { const v = a[i]!; out[i] = v * v; } return;
    case "reciprocal": for (let i = 0; i < n; i++) out[i] = 1 / a[i]!; return;
    case "relu": for (let i = 0; i < n; i++) { const v = a[i]!; out[i] = v > 0 ? v : 0; } return;
    case "leakyRelu": for (let i = 0; i < n; i++) { const v = a[i]!; out[i] = v > 0 ? v : alpha * v; } return;
    case "tanh": for (let i = 0; i < n; i++) out[i] = tanh(a[i]!); return;
    case "powScalar": for (let i = 0; i < n; i++) out[i] = Math.pow(a[i]!, alpha); return;
    case "sigmoid":
      // Stable on both tails: exp never sees a large positive argument. exp and log are libm's,
      // correctly rounded, so every engine gives the same bits.
      for (let i = 0; i < n; i++) {
        const v = a[i]!;
        if (v >= 0) out[i] = 1 / (1 + exp(-v));
        else { const e = exp(v); out[i] = e / (1 + e); }
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
    // a·[b > 0]: a·1 is a, a·0 is 0 (or NaN for a non-finite a), as the product gives.
    case "reluBackward": for (let j = 0; j < n; j++) { const x = a[ao + j * as]!; out[o + j] = b[bo + j * bs]! > 0 ? x : x * 0; } return;
    case "sigmoidBackward":
      // Intermediates round to b's type, as the unfused ops store them.
      if (b instanceof Float32Array) for (let j = 0; j < n; j++) { const y = b[bo + j * bs]!; out[o + j] = a[ao + j * as]! * Math.fround(y * Math.fround(1 - y)); }
      else for (let j = 0; j < n; j++) { const y = b[bo + j * bs]!; out[o + j] = a[ao + j * as]! * (y * (1 - y)); }
      return;
    case "tanhBackward":
      if (b instanceof Float32Array) for (let j = 0; j < n; j++) { const y = b[bo + j * bs]!; out[o + j] = a[ao + j * as]! * Math.fround(1 - Math.fround(y * y)); }
      else for (let j = 0; j < n; j++) { const y = b[bo + j * bs]!; out[o + j] = a[ao + j * as]! * (1 - y * y); }
      return;
  }
}

/** `out = a op b` over n values of the same shape: the common ops with unit strides, the rest through `binaryRun`. */
function binarySame(op: BinaryOp, a: Data, b: Data, out: Data, n: number): void {
  switch (op) {
    case "add": for (let j = 0; j < n; j++) out[j] = a[j]! + b[j]!; return;
    case "sub": for (let j = 0; j < n; j++) out[j] = a[j]! - b[j]!; return;
    case "mul": for (let j = 0; j < n; j++) out[j] = a[j]! * b[j]!; return;
    case "div": for (let j = 0; j < n; j++) out[j] = a[j]! / b[j]!; return;
    case "reluBackward": for (let j = 0; j < n; j++) { const x = a[j]!; out[j] = b[j]! > 0 ? x : x * 0; } return;
    default: binaryRun(op, a, 0, 1, b, 0, 1, out, 0, n);
  }
}

/**
 * `out = full op row` (or `row op full` when `!rowSecond`) where `row` (of `len` values)
 * repeats along `full` (of `n` values). The arithmetic ops loop in place; the rest go row
 * by row through `binaryRun`.
 */
function binaryRows(op: BinaryOp, full: Data, row: Data, out: Data, n: number, len: number, rowSecond: boolean): void {
  switch (op) {
    case "add":
      for (let o = 0; o < n; o += len) for (let j = 0; j < len; j++) out[o + j] = full[o + j]! + row[j]!;
      return;
    case "mul":
      for (let o = 0; o < n; o += len) for (let j = 0; j < len; j++) out[o + j] = full[o + j]! * row[j]!;
      return;
    case "sub":
      if (rowSecond) for (let o = 0; o < n; o += len) for (let j = 0; j < len; j++) out[o + j] = full[o + j]! - row[j]!;
      else for (let o = 0; o < n; o += len) for (let j = 0; j < len; j++) out[o + j] = row[j]! - full[o + j]!;
      return;
    case "div":
      if (rowSecond) for (let o = 0; o < n; o += len) for (let j = 0; j < len; j++) out[o + j] = full[o + j]! / row[j]!;
      else for (let o = 0; o < n; o += len) for (let j = 0; j < len; j++) out[o + j] = row[j]! / full[o + j]!;
      return;
    default:
      for (let o = 0; o < n; o += len) {
        if (rowSecond) binaryRun(op, full, o, 1, row, 0, 1, out, o, len);
        else binaryRun(op, row, 0, 1, full, o, 1, out, o, len);
      }
  }
}

/**
 * The number of trailing elements of `outShape` that `shape` covers when it broadcasts
 * only along leading axes (its shape, leading 1s dropped, is a suffix of `outShape`), or
 * 0 when it does not.
 */
export function suffixSize(shape: Shape, outShape: Shape): number {
  let lead = 0;
  while (lead < shape.length && shape[lead] === 1) lead++;
  const len = shape.length - lead;
  if (len > outShape.length) return 0;
  let size = 1;
  for (let i = 0; i < len; i++) {
    const d = shape[lead + i]!;
    if (d !== outShape[outShape.length - len + i]) return 0;
    size *= d;
  }
  return size;
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
  if (a.length === n && b.length === n) return binarySame(op, a, b, out, n);
  if (b.length === 1 && a.length === n) return binaryRun(op, a, 0, 1, b, 0, 0, out, 0, n);
  if (a.length === 1 && b.length === n) return binaryRun(op, a, 0, 0, b, 0, 1, out, 0, n);
  if (a.length === 1 && b.length === 1) return binaryRun(op, a, 0, 0, b, 0, 0, out, 0, n);
  // One operand repeated along leading axes (a bias row added to every example): rows, no odometer.
  if (a.length === n && n > 0) {
    const len = suffixSize(bShape, outShape);
    if (len > 0 && len === b.length) return binaryRows(op, a, b, out, n, len, true);
  } else if (b.length === n && n > 0) {
    const len = suffixSize(aShape, outShape);
    if (len > 0 && len === a.length) return binaryRows(op, b, a, out, n, len, false);
  }
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

/** Reduces each run of `len` consecutive elements of `a` into one element of `out`, in order. */
function reduceRuns(op: ReduceOp, a: Data, out: Data, runs: number, len: number): void {
  for (let o = 0, i = 0; o < runs; o++) {
    const end = i + len;
    let acc = out[o]!;
    if (op === "sum") for (; i < end; i++) acc += a[i]!;
    else if (op === "max") for (; i < end; i++) { const v = a[i]!; if (v > acc || v !== v) acc = v; }
    else for (; i < end; i++) { const v = a[i]!; if (v < acc || v !== v) acc = v; }
    out[o] = acc;
  }
}

/** Reduces `rows` consecutive blocks of `len` elements of `a` element-wise into `out[0, len)`, block by block. */
function reduceRows(op: ReduceOp, a: Data, out: Data, rows: number, len: number): void {
  if (op === "sum" && out instanceof Float64Array) {
    // Four column sums at a time in registers (each still adds its rows in order).
    let j = 0;
    for (; j + 4 <= len; j += 4) {
      let s0 = out[j]!, s1 = out[j + 1]!, s2 = out[j + 2]!, s3 = out[j + 3]!;
      for (let r = 0, i = j; r < rows; r++, i += len) { s0 += a[i]!; s1 += a[i + 1]!; s2 += a[i + 2]!; s3 += a[i + 3]!; }
      out[j] = s0; out[j + 1] = s1; out[j + 2] = s2; out[j + 3] = s3;
    }
    for (; j < len; j++) {
      let s = out[j]!;
      for (let r = 0, i = j; r < rows; r++, i += len) s += a[i]!;
      out[j] = s;
    }
    return;
  }
  for (let r = 0, i = 0; r < rows; r++, i += len) {
    if (op === "sum") for (let j = 0; j < len; j++) out[j] = out[j]! + a[i + j]!;
    else if (op === "max") for (let j = 0; j < len; j++) { const v = a[i + j]!; if (v > out[j]! || v !== v) out[j] = v; }
    else for (let j = 0; j < len; j++) { const v = a[i + j]!; if (v < out[j]! || v !== v) out[j] = v; }
  }
}

function reduce(op: ReduceOp, a: Data, shape: Shape, axes: readonly number[], out: Data): void {
  const init = op === "sum" ? 0 : op === "max" ? -Infinity : Infinity;
  out.fill(init);
  if (a.length === 0) return;
  // Common layouts without the odometer, visiting elements in the same order: the last
  // axis alone or everything (one running value per output), or leading axes (rows
  // folded into one output row).
  const r = shape.length;
  if (axes.length === r && (r <= 1 || out instanceof Float64Array)) return reduceRuns(op, a, out, 1, a.length);
  if (axes.length === 1 && axes[0] === r - 1) return reduceRuns(op, a, out, out.length, shape[r - 1]!);
  let leading = axes.length < r;
  for (let i = 0; i < axes.length; i++) if (axes[i] !== i) leading = false;
  if (leading) return reduceRows(op, a, out, a.length / out.length, out.length);
  // Output strides over the input's axes: 0 on reduced axes.
  const keep = shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const os = broadcastStrides(keep, shape);
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

// --- Matrix product -------------------------------------------------------------------
//
// Every path computes each output element as `((0 + a₀b₀) + a₁b₁) + … + a_{k−1}b_{k−1}`:
// one running sum in float64, terms in order p = 0…k−1, rounded to the output type once.
// So all paths (and every size, transpose flag and batch layout) give the same bits.
//
// The work is done in register tiles: a 4×3 block of C held in 12 local accumulators while
// p runs over k, 24 flops per 7 loads. That ratio is what bounds plain JavaScript here (V8
// checks every typed-array access); larger tiles spill registers and run slower.
// Products whose operands fit in cache read A and B where they are, through strides, so a
// transposed operand costs nothing and there is no set-up (the course's small networks).
// Larger ones pack both operands into float64 panels first (transposes absorbed by the
// packing), blocked so that an A block stays in the level-2 cache and a B panel in level 1.

const MR = 4, NR = 3;
// Scratch buffers for the packed operands, grown on demand and reused (ops never nest).
let packA = new Float64Array(0);
let packB = new Float64Array(0);
function scratchA(n: number): Float64Array {
  if (packA.length < n) packA = new Float64Array(Math.max(n, packA.length * 2));
  return packA;
}
function scratchB(n: number): Float64Array {
  if (packB.length < n) packB = new Float64Array(Math.max(n, packB.length * 2));
  return packB;
}

/**
 * Packs `m` rows of op(A) (m×k) into row panels of MR rows: panel `q` holds, for
 * p = 0…k−1, the MR values of column p (zeros below row m). `ld` is the stored row
 * length: A is stored with rows of `ld` values, transposed (k rows) when `transA`.
 */
function packRows(a: Data, ao: number, m: number, k: number, transA: boolean, ld: number, ap: Float64Array): void {
  for (let i0 = 0, q = 0; i0 < m; i0 += MR, q += MR * k) {
    const rows = Math.min(MR, m - i0);
    if (rows === MR && !transA) {
      const r0 = ao + i0 * ld, r1 = r0 + ld, r2 = r1 + ld, r3 = r2 + ld;
      for (let p = 0, o = q; p < k; p++, o += MR) {
        ap[o] = a[r0 + p]!; ap[o + 1] = a[r1 + p]!; ap[o + 2] = a[r2 + p]!; ap[o + 3] = a[r3 + p]!;
      }
    } else if (rows === MR) {
      for (let p = 0, o = q, s = ao + i0; p < k; p++, o += MR, s += ld) {
        ap[o] = a[s]!; ap[o + 1] = a[s + 1]!; ap[o + 2] = a[s + 2]!; ap[o + 3] = a[s + 3]!;
      }
    } else {
      for (let p = 0, o = q; p < k; p++, o += MR) {
        for (let t = 0; t < MR; t++) ap[o + t] = t < rows ? a[transA ? ao + p * ld + i0 + t : ao + (i0 + t) * ld + p]! : 0;
      }
    }
  }
}

/**
 * Packs op(B) (k×n) into column panels of NR columns: panel `q` holds, for p = 0…k−1, the
 * NR values of row p (zeros past column n). B is stored n×k when `transB`.
 */
function packCols(b: Data, bo: number, k: number, n: number, transB: boolean, bp: Float64Array): void {
  for (let j0 = 0, q = 0; j0 < n; j0 += NR, q += NR * k) {
    const cols = Math.min(NR, n - j0);
    if (cols === NR && !transB) {
      for (let p = 0, o = q, s = bo + j0; p < k; p++, o += NR, s += n) { bp[o] = b[s]!; bp[o + 1] = b[s + 1]!; bp[o + 2] = b[s + 2]!; }
    } else if (cols === NR) {
      const r0 = bo + j0 * k, r1 = r0 + k, r2 = r1 + k;
      for (let p = 0, o = q; p < k; p++, o += NR) { bp[o] = b[r0 + p]!; bp[o + 1] = b[r1 + p]!; bp[o + 2] = b[r2 + p]!; }
    } else {
      for (let p = 0, o = q; p < k; p++, o += NR) {
        for (let t = 0; t < NR; t++) bp[o + t] = t < cols ? b[transB ? bo + (j0 + t) * k + p : bo + p * n + j0 + t]! : 0;
      }
    }
  }
}

/**
 * The 4×3 tile (packed A panel at `aq`) · (packed B panel at `bq`) over k, written to
 * `out` at `o` with row stride `ld`. Every tile is written whole: partial tiles at the
 * edges go to a scratch tile first (one store path keeps the JIT's code stable).
 */
function microKernel(ap: Float64Array, aq: number, bp: Float64Array, bq: number, k: number, out: Data, o: number, ld: number): void {
  let c00 = 0, c01 = 0, c02 = 0, c10 = 0, c11 = 0, c12 = 0, c20 = 0, c21 = 0, c22 = 0, c30 = 0, c31 = 0, c32 = 0;
  for (let p = 0, r = aq, q = bq; p < k; p++, r += MR, q += NR) {
    const b0 = bp[q]!, b1 = bp[q + 1]!, b2 = bp[q + 2]!;
    const x0 = ap[r]!;
    c00 += x0 * b0; c01 += x0 * b1; c02 += x0 * b2;
    const x1 = ap[r + 1]!;
    c10 += x1 * b0; c11 += x1 * b1; c12 += x1 * b2;
    const x2 = ap[r + 2]!;
    c20 += x2 * b0; c21 += x2 * b1; c22 += x2 * b2;
    const x3 = ap[r + 3]!;
    c30 += x3 * b0; c31 += x3 * b1; c32 += x3 * b2;
  }
  out[o] = c00; out[o + 1] = c01; out[o + 2] = c02; o += ld;
  out[o] = c10; out[o + 1] = c11; out[o + 2] = c12; o += ld;
  out[o] = c20; out[o + 1] = c21; out[o + 2] = c22; o += ld;
  out[o] = c30; out[o + 1] = c31; out[o + 2] = c32;
}

/** The scratch tile of partial edge tiles. */
const edgeTile = new Float64Array(MR * NR);

/** Float64 values of packed A rows kept per block: about half of a 512 KB level-2 cache. */
const BLOCK_A = 32768;

/**
 * One product through packed panels: op(B) packed once; op(A) packed a block of rows at a
 * time (sized to stay in the level-2 cache) and run against every B panel, whose k×NR
 * values stay in the level-1 cache while the block's A panels stream past.
 */
function packedMatmul(a: Data, ao: number, b: Data, bo: number, out: Data, co: number, m: number, k: number, n: number, transA: boolean, transB: boolean): void {
  const bp = scratchB(Math.ceil(n / NR) * NR * k);
  packCols(b, bo, k, n, transB, bp);
  const mc = Math.max(MR, Math.floor(BLOCK_A / Math.max(k, 1) / MR) * MR);
  const ap = scratchA(Math.min(mc, Math.ceil(m / MR) * MR) * k);
  for (let i1 = 0; i1 < m; i1 += mc) {
    const mb = Math.min(mc, m - i1);
    packRows(a, transA ? ao + i1 : ao + i1 * k, mb, k, transA, transA ? m : k, ap);
    for (let j0 = 0, bq = 0; j0 < n; j0 += NR, bq += NR * k) {
      const cols = Math.min(NR, n - j0);
      for (let i0 = 0, aq = 0; i0 < mb; i0 += MR, aq += MR * k) {
        const rows = Math.min(MR, mb - i0), o = co + (i1 + i0) * n + j0;
        if (rows === MR && cols === NR) microKernel(ap, aq, bp, bq, k, out, o, n);
        else {
          microKernel(ap, aq, bp, bq, k, edgeTile, 0, NR);
          for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[o + i * n + j] = edgeTile[i * NR + j]!;
        }
      }
    }
  }
}

/** Products whose operands together hold at most this many values run straight from their storage (they stay in cache). */
const STRIDED_MAX_VALUES = 32768;

/**
 * A product straight from the operands' storage, without packing: the same 4×3 register
 * tiles, reading op(A) and op(B) through their strides (so a transposed operand costs
 * nothing); the rows and columns left over at the edges go four outputs at a time.
 */
function stridedMatmul(a: Data, ao: number, b: Data, bo: number, out: Data, co: number, m: number, k: number, n: number, transA: boolean, transB: boolean): void {
  // op(A)[i,p] = a[ao + i·ai + p·ap] and op(B)[p,j] = b[bo + p·bp + j·bj].
  const ai = transA ? 1 : k, ap = transA ? m : 1;
  const bp = transB ? 1 : n, bj = transB ? k : 1;
  const ai2 = 2 * ai, ai3 = 3 * ai, bj2 = 2 * bj;
  const mFull = m - (m % MR), nFull = n - (n % NR);
  for (let j0 = 0; j0 < nFull; j0 += NR) {
    for (let i0 = 0; i0 < mFull; i0 += MR) {
      let c00 = 0, c01 = 0, c02 = 0, c10 = 0, c11 = 0, c12 = 0, c20 = 0, c21 = 0, c22 = 0, c30 = 0, c31 = 0, c32 = 0;
      for (let p = 0, x = ao + i0 * ai, y = bo + j0 * bj; p < k; p++, x += ap, y += bp) {
        const b0 = b[y]!, b1 = b[y + bj]!, b2 = b[y + bj2]!;
        const x0 = a[x]!;
        c00 += x0 * b0; c01 += x0 * b1; c02 += x0 * b2;
        const x1 = a[x + ai]!;
        c10 += x1 * b0; c11 += x1 * b1; c12 += x1 * b2;
        const x2 = a[x + ai2]!;
        c20 += x2 * b0; c21 += x2 * b1; c22 += x2 * b2;
        const x3 = a[x + ai3]!;
        c30 += x3 * b0; c31 += x3 * b1; c32 += x3 * b2;
      }
      let o = co + i0 * n + j0;
      out[o] = c00; out[o + 1] = c01; out[o + 2] = c02; o += n;
      out[o] = c10; out[o + 1] = c11; out[o + 2] = c12; o += n;
      out[o] = c20; out[o + 1] = c21; out[o + 2] = c22; o += n;
      out[o] = c30; out[o + 1] = c31; out[o + 2] = c32;
    }
  }
  // Leftover rows (with every column), then leftover columns of the full rows.
  for (let i = mFull; i < m; i++) rowStrip(a, ao + i * ai, ap, b, bo, bp, bj, out, co + i * n, n, k);
  for (let j = nFull; j < n; j++) columnStrip(a, ao, ai, ap, b, bo + j * bj, bp, out, co + j, n, mFull, k);
}

/** One row of C: `out[o + j] = Σ_p a[x0 + p·ap]·b[bo + p·bp + j·bj]` for j < n, four columns at a time. */
function rowStrip(a: Data, x0: number, ap: number, b: Data, bo: number, bp: number, bj: number, out: Data, o: number, n: number, k: number): void {
  const bj2 = 2 * bj, bj3 = 3 * bj;
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    let c0 = 0, c1 = 0, c2 = 0, c3 = 0;
    for (let p = 0, x = x0, y = bo + j * bj; p < k; p++, x += ap, y += bp) {
      const v = a[x]!;
      c0 += v * b[y]!; c1 += v * b[y + bj]!; c2 += v * b[y + bj2]!; c3 += v * b[y + bj3]!;
    }
    out[o + j] = c0; out[o + j + 1] = c1; out[o + j + 2] = c2; out[o + j + 3] = c3;
  }
  for (; j < n; j++) {
    let c = 0;
    for (let p = 0, x = x0, y = bo + j * bj; p < k; p++, x += ap, y += bp) c += a[x]! * b[y]!;
    out[o + j] = c;
  }
}

/** One column of C for rows i < m: `out[o + i·n] = Σ_p a[ao + i·ai + p·ap]·b[y0 + p·bp]`, four rows at a time. */
function columnStrip(a: Data, ao: number, ai: number, ap: number, b: Data, y0: number, bp: number, out: Data, o: number, n: number, m: number, k: number): void {
  const ai2 = 2 * ai, ai3 = 3 * ai;
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    let c0 = 0, c1 = 0, c2 = 0, c3 = 0;
    for (let p = 0, x = ao + i * ai, y = y0; p < k; p++, x += ap, y += bp) {
      const v = b[y]!;
      c0 += a[x]! * v; c1 += a[x + ai]! * v; c2 += a[x + ai2]! * v; c3 += a[x + ai3]! * v;
    }
    out[o + i * n] = c0; out[o + (i + 1) * n] = c1; out[o + (i + 2) * n] = c2; out[o + (i + 3) * n] = c3;
  }
  for (; i < m; i++) {
    let c = 0;
    for (let p = 0, x = ao + i * ai, y = y0; p < k; p++, x += ap, y += bp) c += a[x]! * b[y]!;
    out[o + i * n] = c;
  }
}

function matmul(
  a: Data, b: Data, out: Data, batch: number, m: number, k: number, n: number,
  transA: boolean, transB: boolean, aStride: number, bStride: number,
): void {
  const kernel = m * k + k * n <= STRIDED_MAX_VALUES ? stridedMatmul : packedMatmul;
  for (let t = 0; t < batch; t++) kernel(a, t * aStride, b, t * bStride, out, t * m * n, m, k, n, transA, transB);
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

function linear(x: Data, w: Data, bias: Data | null, out: Data, m: number, k: number, n: number, relu: boolean): void {
  matmul(x, w, out, 1, m, k, n, false, true, m * k, k * n);
  if (bias !== null) for (let i = 0; i < m; i++) for (let j = 0, r = i * n; j < n; j++) out[r + j] = out[r + j]! + bias[j]!;
  if (relu) for (let i = 0; i < out.length; i++) { const v = out[i]!; out[i] = v > 0 ? v : 0; }
}

const f32 = Math.fround;

function adam(u: Data, v: Data, s: Data, b1: number, b2: number, c1: number, c2: number, eps: number, rate: number, p?: Data): void {
  // With p, the update is subtracted from it (rounded to p's type) and u keeps g.
  if (u instanceof Float32Array) {
    // Float32 arithmetic: each operation's float64 result rounded to float32 is the float32
    // operation's result (a product of two floats is exact in float64; for +, /, √ the double
    // rounding is harmless since 53 ≥ 2·24 + 2), so this equals the WebAssembly f32x4 kernel.
    const fb1 = f32(b1), fw1 = f32(1 - b1), fb2 = f32(b2), fw2 = f32(1 - b2);
    const step = f32(rate / c1), root = f32(Math.sqrt(c2)), fe = f32(eps);
    for (let i = 0; i < u.length; i++) {
      const g = u[i]!;
      const vi = f32(f32(fb1 * v[i]!) + f32(fw1 * g)), si = f32(f32(fb2 * s[i]!) + f32(fw2 * f32(g * g)));
      v[i] = vi;
      s[i] = si;
      const ui = f32(f32(step * vi) / f32(f32(f32(Math.sqrt(si)) / root) + fe));
      if (p === undefined) u[i] = ui;
      else p[i] = p[i]! - ui;
    }
    return;
  }
  const w1 = 1 - b1, w2 = 1 - b2;
  for (let i = 0; i < u.length; i++) {
    const g = u[i]!;
    const vi = b1 * v[i]! + w1 * g, si = b2 * s[i]! + w2 * (g * g);
    v[i] = vi;
    s[i] = si;
    const ui = (rate * (vi / c1)) / (Math.sqrt(si / c2) + eps);
    if (p === undefined) u[i] = ui;
    else p[i] = p[i]! - ui;
  }
}

function ema(u: Data, v: Data, b: number): void {
  if (u instanceof Float32Array) {
    const fb = f32(b), fw = f32(1 - b);
    for (let i = 0; i < u.length; i++) {
      const vi = f32(f32(fb * v[i]!) + f32(fw * u[i]!));
      v[i] = vi;
      u[i] = vi;
    }
    return;
  }
  const w = 1 - b;
  for (let i = 0; i < u.length; i++) {
    const vi = b * v[i]! + w * u[i]!;
    v[i] = vi;
    u[i] = vi;
  }
}

function rms(u: Data, s: Data, b: number, eps: number, rate: number): void {
  if (u instanceof Float32Array) {
    const fb = f32(b), fw = f32(1 - b), fe = f32(eps), fr = f32(rate);
    for (let i = 0; i < u.length; i++) {
      const g = u[i]!, si = f32(f32(fb * s[i]!) + f32(fw * f32(g * g)));
      s[i] = si;
      u[i] = f32(fr * g) / f32(f32(Math.sqrt(si)) + fe);
    }
    return;
  }
  const w = 1 - b;
  for (let i = 0; i < u.length; i++) {
    const g = u[i]!, si = b * s[i]! + w * (g * g);
    s[i] = si;
    u[i] = (rate * g) / (Math.sqrt(si) + eps);
  }
}

function applyUpdate(p: Data, u: Data): void {
  if (u instanceof Float32Array && !(p instanceof Float32Array)) throw new ArgumentError(`applyUpdate: a float32 update needs float32 parameters, got ${p.constructor.name}`);
  for (let i = 0; i < p.length; i++) p[i] = p[i]! - u[i]!;
}

/** The plain TypeScript backend: the reference every other backend is compared with. */
export const tsBackend: Backend = { name: "ts", unary, binary, reduce, argReduce, matmul, linear, transpose, where, adam, ema, rms, applyUpdate };
