// Hone's WebAssembly kernels, in AssemblyScript, compiled with 128-bit SIMD by
// `scripts/build-wasm.mjs`. The memory is imported and laid out by the JavaScript side
// (src/wasm-backend.ts): every argument here is a byte address or a count, nothing is
// allocated, and every kernel writes only the range it is given, so several threads can
// share one memory.
//
// Matrix products follow the packed-panel scheme: op(B) is packed into column panels of NR
// values per row, op(A) into row panels of MR values per column, and an MR×NR register
// tile of C is accumulated over k. Each output is summed in the order p = 0, 1, …, k−1
// starting from zero, with separate multiply and add (no fused multiply-add), so float64
// results equal the TypeScript backend's bit for bit. The same source also builds with
// relaxed SIMD, where float32 tiles use fused multiply-add (see `vmuladd`).

// ---------------------------------------------------------------------------------------
// Packing

/**
 * Packs rows [i0, i0+rows) × columns [p0, p0+kc) of op(A), element (i, p) at
 * a + (i·si + p·sp)·size, into MR-row panels: for each p, MR consecutive values (zeros past
 * the last row).
 */
function packA<T>(a: usize, si: i32, sp: i32, i0: i32, rows: i32, p0: i32, kc: i32, dst: usize, mr: i32): void {
  const size = sizeof<T>();
  let d = dst;
  for (let r0 = 0; r0 < rows; r0 += mr) {
    const n = min(mr, rows - r0);
    if (sp == 1 && n == mr) {
      // Rows are contiguous in p: read MR rows side by side.
      for (let t = 0; t < mr; t++) {
        let s = a + (<usize>((i0 + r0 + t) * si + p0) << alignof<T>());
        let o = d + <usize>t * size;
        for (let p = 0; p < kc; p++) {
          store<T>(o, load<T>(s));
          s += size;
          o += <usize>mr * size;
        }
      }
    } else if (si == 1 && n == mr) {
      // op(A) = Aᵀ: for each p the MR rows are MR contiguous values, copied as vectors.
      const vecs = (mr * <i32>size) >> 4;
      for (let p = 0; p < kc; p++) {
        const s = a + (<usize>(i0 + r0 + (p0 + p) * sp) << alignof<T>());
        const o = d + <usize>(p * mr) * size;
        for (let v = 0; v < vecs; v++) v128.store(o + (<usize>v << 4), v128.load(s + (<usize>v << 4)));
      }
    } else {
      for (let p = 0; p < kc; p++) {
        const base = a + (<usize>((i0 + r0) * si + (p0 + p) * sp) << alignof<T>());
        const o = d + <usize>(p * mr) * size;
        for (let t = 0; t < mr; t++) {
          store<T>(o + <usize>t * size, t < n ? load<T>(base + (<usize>(t * si) << alignof<T>())) : <T>0);
        }
      }
    }
    d += <usize>(kc * mr) * size;
  }
}

/**
 * Packs rows [p0, p0+kc) × columns [j0, j1) of op(B) (j0 a multiple of NR), element (p, j)
 * at b + (p·sp + j·sj)·size, into NR-column panels: for each p, NR consecutive values
 * (zeros past column n). Panel j goes to dst + j·kc·size.
 */
function packB<T>(b: usize, sp: i32, sj: i32, p0: i32, kc: i32, n: i32, j0: i32, j1: i32, dst: usize, nr: i32): void {
  const size = sizeof<T>();
  let d = dst + <usize>(j0 * kc) * size;
  for (let jp = j0; jp < j1; jp += nr) {
    const cols = min(nr, n - jp);
    if (sj == 1 && cols == nr) {
      // Row-major B: each panel row is NR contiguous values, copied as vectors.
      const vecs = (nr * <i32>size) >> 4;
      for (let p = 0; p < kc; p++) {
        const s = b + (<usize>((p0 + p) * sp + jp) << alignof<T>());
        const o = d + <usize>(p * nr) * size;
        for (let v = 0; v < vecs; v++) v128.store(o + (<usize>v << 4), v128.load(s + (<usize>v << 4)));
      }
    } else {
      let p = 0;
      if (sp == 1 && cols == nr) p = packBTransposed<T>(b, sj, p0, kc, jp, d);
      for (; p < kc; p++) {
        const o = d + <usize>(p * nr) * size;
        for (let t = 0; t < nr; t++) {
          store<T>(o + <usize>t * size, t < cols ? load<T>(b + (<usize>((p0 + p) * sp + (jp + t) * sj) << alignof<T>())) : <T>0);
        }
      }
    }
    d += <usize>(kc * nr) * size;
  }
}

/**
 * One full panel of a transposed B (stored n×k: column j of op(B) is the contiguous row
 * b + j·sj), for p in [0, kc) in steps of one vector: each of the panel's NR stored rows
 * gives a vector of consecutive p, and 4×4 (float32) or 2×2 (float64) register transposes
 * turn them into the panel's rows. The same values as the element-by-element loop, which
 * does the p left over; returns the first p it did not do.
 */
function packBTransposed<T>(b: usize, sj: i32, p0: i32, kc: i32, jp: i32, d: usize): i32 {
  const size = <usize>sizeof<T>();
  const rowBytes = <usize>sj * size;
  if (sizeof<T>() == 4) {
    const end = kc & ~3;
    for (let h = 0; h < 2; h++) {
      const src = b + (<usize>(p0 + (jp + 4 * h) * sj) << 2);
      for (let p = 0; p < end; p += 4) {
        const s = src + (<usize>p << 2);
        const r0 = v128.load(s), r1 = v128.load(s + rowBytes), r2 = v128.load(s + 2 * rowBytes), r3 = v128.load(s + 3 * rowBytes);
        const t0 = i32x4.shuffle(r0, r1, 0, 4, 1, 5), t1 = i32x4.shuffle(r2, r3, 0, 4, 1, 5);
        const t2 = i32x4.shuffle(r0, r1, 2, 6, 3, 7), t3 = i32x4.shuffle(r2, r3, 2, 6, 3, 7);
        const o = d + (<usize>(p * NR32) << 2) + (<usize>h << 4);
        v128.store(o, i32x4.shuffle(t0, t1, 0, 1, 4, 5));
        v128.store(o + NR32 * 4, i32x4.shuffle(t0, t1, 2, 3, 6, 7));
        v128.store(o + 2 * NR32 * 4, i32x4.shuffle(t2, t3, 0, 1, 4, 5));
        v128.store(o + 3 * NR32 * 4, i32x4.shuffle(t2, t3, 2, 3, 6, 7));
      }
    }
    return end;
  }
  const end = kc & ~1;
  for (let h = 0; h < 2; h++) {
    const src = b + (<usize>(p0 + (jp + 2 * h) * sj) << 3);
    for (let p = 0; p < end; p += 2) {
      const s = src + (<usize>p << 3);
      const r0 = v128.load(s), r1 = v128.load(s + rowBytes);
      const o = d + (<usize>(p * NR64) << 3) + (<usize>h << 4);
      v128.store(o, i64x2.shuffle(r0, r1, 0, 2));
      v128.store(o + NR64 * 8, i64x2.shuffle(r0, r1, 1, 3));
    }
  }
  return end;
}

// ---------------------------------------------------------------------------------------
// Register tiles
//
// MR rows × 2 vectors of columns, 8 accumulating vectors: float32 4 rows × 8 columns,
// float64 4 rows × 4 columns. (Six rows or a second unrolled step spill registers in V8's
// code and run slower.) The type branches below are resolved at compile time.

const MR: i32 = 4;
const NR32: i32 = 8;
const NR64: i32 = 4;

// @ts-ignore: decorator
@inline
function nrOf<T>(): i32 {
  return sizeof<T>() == 4 ? NR32 : NR64;
}

// @ts-ignore: decorator
@inline
function vzero<T>(): v128 {
  return sizeof<T>() == 4 ? f32x4.splat(0) : f64x2.splat(0);
}

/**
 * acc + x·y: multiply then add, except for float32 in the build with relaxed SIMD, where
 * it is `f32x4.relaxed_madd` (a fused multiply-add where the hardware has one: half the
 * instructions, and each step rounded once instead of twice). Float64 is always multiply
 * then add, so its results stay the TypeScript backend's bits.
 */
// @ts-ignore: decorator
@inline
function vmuladd<T>(acc: v128, x: v128, y: v128): v128 {
  if (sizeof<T>() == 4) return ASC_FEATURE_RELAXED_SIMD ? f32x4.relaxed_madd(x, y, acc) : f32x4.add(acc, f32x4.mul(x, y));
  return f64x2.add(acc, f64x2.mul(x, y));
}

/** C[MR×NR] (row stride ldc bytes) (+)= packed A panel · packed B panel over kc. */
// @ts-ignore: decorator
@inline
function tile<T>(ap: usize, bp: usize, kc: i32, c: usize, ldc: usize, accumulate: bool): void {
  const size = sizeof<T>();
  let c00 = vzero<T>(), c01 = vzero<T>();
  let c10 = vzero<T>(), c11 = vzero<T>();
  let c20 = vzero<T>(), c21 = vzero<T>();
  let c30 = vzero<T>(), c31 = vzero<T>();
  if (accumulate) {
    c00 = v128.load(c); c01 = v128.load(c, 16);
    c10 = v128.load(c + ldc); c11 = v128.load(c + ldc, 16);
    c20 = v128.load(c + 2 * ldc); c21 = v128.load(c + 2 * ldc, 16);
    c30 = v128.load(c + 3 * ldc); c31 = v128.load(c + 3 * ldc, 16);
  }
  // Constant offsets stay in the load instructions (an added constant would cost an add:
  // Binaryen cannot fold it without assuming low memory is unused): 7% of the speed.
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(bp), b1 = v128.load(bp, 16);
    let x = splat<T>(ap);
    c00 = vmuladd<T>(c00, x, b0); c01 = vmuladd<T>(c01, x, b1);
    x = sizeof<T>() == 4 ? v128.load32_splat(ap, 4) : v128.load64_splat(ap, 8);
    c10 = vmuladd<T>(c10, x, b0); c11 = vmuladd<T>(c11, x, b1);
    x = sizeof<T>() == 4 ? v128.load32_splat(ap, 8) : v128.load64_splat(ap, 16);
    c20 = vmuladd<T>(c20, x, b0); c21 = vmuladd<T>(c21, x, b1);
    x = sizeof<T>() == 4 ? v128.load32_splat(ap, 12) : v128.load64_splat(ap, 24);
    c30 = vmuladd<T>(c30, x, b0); c31 = vmuladd<T>(c31, x, b1);
    ap += 4 * size;
    bp += 32;
  }
  v128.store(c, c00); v128.store(c, c01, 16);
  v128.store(c + ldc, c10); v128.store(c + ldc, c11, 16);
  v128.store(c + 2 * ldc, c20); v128.store(c + 2 * ldc, c21, 16);
  v128.store(c + 3 * ldc, c30); v128.store(c + 3 * ldc, c31, 16);
}

/** One value at p, repeated in every lane. */
// @ts-ignore: decorator
@inline
function splat<T>(p: usize): v128 {
  return sizeof<T>() == 4 ? v128.load32_splat(p) : v128.load64_splat(p);
}

// ---------------------------------------------------------------------------------------
// Matrix products

/** Columns of k packed at a time: a B panel (KC·NR values) stays in the level-1 cache. */
const KC: i32 = 256;
/** Rows of A packed at a time: an A block (MC·KC values) stays in the level-2 cache. */
const MC: i32 = 64;

/** Bytes of op(B) packed for a k×n product: k rows of n padded to whole panels. */
export function packedBBytes(k: i32, n: i32, dtypeBytes: i32): i32 {
  const nr = dtypeBytes == 4 ? NR32 : NR64;
  return k * (((n + nr - 1) / nr) * nr) * dtypeBytes;
}

/** Bytes of the packed A block each thread needs. */
export function packedABytes(dtypeBytes: i32): i32 {
  return MC * KC * dtypeBytes + 64;
}

/**
 * Packs column panels [j0, j1) of op(B) (k×n; stored n×k when `transB`) for every block of
 * KC rows into `dst`: the block from row p0 at dst + p0·nPad·size, panel j within it at
 * + j·kc·size. j0 is a multiple of NR; threads can pack disjoint ranges side by side.
 */
function packBRange<T>(b: usize, k: i32, n: i32, transB: bool, j0: i32, j1: i32, dst: usize): void {
  const size = <usize>sizeof<T>(), nr = nrOf<T>();
  const spb = transB ? 1 : n, sj = transB ? k : 1;
  const nPad = ((n + nr - 1) / nr) * nr;
  for (let p0 = 0; p0 < k; p0 += KC) {
    packB<T>(b, spb, sj, p0, min(KC, k - p0), n, j0, j1, dst + <usize>(p0 * nPad) * size, nr);
  }
}

/**
 * Rows [r0, r1) of C = op(A)·op(B), with op(A) m×k (stored k×m when `transA`) and op(B)
 * packed by `packBRange` at `packed`. C has row stride `ldc` elements, a multiple of NR,
 * and r1 − r0 rows padded to a multiple of MR that it may write; `scratch` holds
 * `packedABytes` bytes, 16-byte aligned.
 */
function productT<T>(a: usize, packed: usize, c: usize, m: i32, k: i32, n: i32, transA: bool, r0: i32, r1: i32, ldc: i32, scratch: usize): void {
  const size = <usize>sizeof<T>(), nr = nrOf<T>();
  const si = transA ? 1 : k, spa = transA ? m : 1;
  const nPad = ((n + nr - 1) / nr) * nr;
  const ldcBytes = <usize>ldc * size;
  if (k == 0) {
    for (let i = r0; i < r1; i++) memory.fill(c + <usize>i * ldcBytes, 0, <usize>n * size);
    return;
  }
  for (let p0 = 0; p0 < k; p0 += KC) {
    const kc = min(KC, k - p0);
    const block = packed + <usize>(p0 * nPad) * size;
    for (let i0 = r0; i0 < r1; i0 += MC) {
      const rows = min(MC, r1 - i0);
      // Rows past m are packed as zeros by reading within bounds only.
      packA<T>(a, si, spa, i0, min(rows, m - i0), p0, kc, scratch, MR);
      const panels = (rows + MR - 1) / MR;
      for (let j0 = 0; j0 < n; j0 += nr) {
        const bp = block + <usize>(j0 * kc) * size;
        let cp = c + <usize>i0 * ldcBytes + <usize>j0 * size;
        let ap = scratch;
        for (let q = 0; q < panels; q++) {
          tile<T>(ap, bp, kc, cp, ldcBytes, p0 > 0);
          ap += <usize>(kc * MR) * size;
          cp += ldcBytes * MR;
        }
      }
    }
  }
}

export function packB32(b: usize, k: i32, n: i32, transB: bool, j0: i32, j1: i32, dst: usize): void {
  packBRange<f32>(b, k, n, transB, j0, j1, dst);
}

export function packB64(b: usize, k: i32, n: i32, transB: bool, j0: i32, j1: i32, dst: usize): void {
  packBRange<f64>(b, k, n, transB, j0, j1, dst);
}

export function product32(a: usize, packed: usize, c: usize, m: i32, k: i32, n: i32, transA: bool, r0: i32, r1: i32, ldc: i32, scratch: usize): void {
  productT<f32>(a, packed, c, m, k, n, transA, r0, r1, ldc, scratch);
}

export function product64(a: usize, packed: usize, c: usize, m: i32, k: i32, n: i32, transA: bool, r0: i32, r1: i32, ldc: i32, scratch: usize): void {
  productT<f64>(a, packed, c, m, k, n, transA, r0, r1, ldc, scratch);
}

// ---------------------------------------------------------------------------------------
// Element-wise kernels
//
// Operands and results are padded by the caller to whole 16-byte vectors, so every loop
// runs in vectors: lanes past the end compute on padding and are never copied out. Each
// op is the IEEE operation the TypeScript backend performs (float32 operations computed in
// float64 and rounded once give the float32 operation's result), so results agree bit for
// bit in both types.

/** Binary ops: add, sub, mul, div, and the fused activation gradients a·[b > 0], a·(b·(1 − b)), a·(1 − b²). */
// @ts-ignore: decorator
@inline
function binaryOp<T>(op: i32, x: v128, y: v128): v128 {
  if (sizeof<T>() == 4) {
    switch (op) {
      case 0: return f32x4.add(x, y);
      case 1: return f32x4.sub(x, y);
      case 2: return f32x4.mul(x, y);
      case 3: return f32x4.div(x, y);
      case 4: return v128.bitselect(x, f32x4.mul(x, f32x4.splat(0)), f32x4.gt(y, f32x4.splat(0)));
      case 5: return f32x4.mul(x, f32x4.mul(y, f32x4.sub(f32x4.splat(1), y)));
      default: return f32x4.mul(x, f32x4.sub(f32x4.splat(1), f32x4.mul(y, y)));
    }
  }
  switch (op) {
    case 0: return f64x2.add(x, y);
    case 1: return f64x2.sub(x, y);
    case 2: return f64x2.mul(x, y);
    case 3: return f64x2.div(x, y);
    case 4: return v128.bitselect(x, f64x2.mul(x, f64x2.splat(0)), f64x2.gt(y, f64x2.splat(0)));
    case 5: return f64x2.mul(x, f64x2.mul(y, f64x2.sub(f64x2.splat(1), y)));
    default: return f64x2.mul(x, f64x2.sub(f64x2.splat(1), f64x2.mul(y, y)));
  }
}

/**
 * out = a op b over `n` values, where each operand is full (mode 0), one value repeated
 * (mode 1), or a row of `len` values repeated along the full operand (mode 2; `len` a
 * multiple of the vector's lanes). At most one operand is not full.
 */
function binaryT<T>(op: i32, a: usize, aMode: i32, b: usize, bMode: i32, out: usize, n: i32, len: i32): void {
  const bytes = <usize>n * sizeof<T>();
  if (aMode == 0 && bMode == 0) {
    for (let i: usize = 0; i < bytes; i += 16) v128.store(out + i, binaryOp<T>(op, v128.load(a + i), v128.load(b + i)));
  } else if (bMode == 1) {
    const y = splat<T>(b);
    for (let i: usize = 0; i < bytes; i += 16) v128.store(out + i, binaryOp<T>(op, v128.load(a + i), y));
  } else if (aMode == 1) {
    const x = splat<T>(a);
    for (let i: usize = 0; i < bytes; i += 16) v128.store(out + i, binaryOp<T>(op, x, v128.load(b + i)));
  } else {
    const rowBytes = <usize>len * sizeof<T>();
    const full = bMode == 2 ? a : b, row = bMode == 2 ? b : a;
    for (let o: usize = 0; o < bytes; o += rowBytes) {
      if (bMode == 2) for (let j: usize = 0; j < rowBytes; j += 16) v128.store(out + o + j, binaryOp<T>(op, v128.load(full + o + j), v128.load(row + j)));
      else for (let j: usize = 0; j < rowBytes; j += 16) v128.store(out + o + j, binaryOp<T>(op, v128.load(row + j), v128.load(full + o + j)));
    }
  }
}

export function binary32(op: i32, a: usize, aMode: i32, b: usize, bMode: i32, out: usize, n: i32, len: i32): void {
  binaryT<f32>(op, a, aMode, b, bMode, out, n, len);
}

export function binary64(op: i32, a: usize, aMode: i32, b: usize, bMode: i32, out: usize, n: i32, len: i32): void {
  binaryT<f64>(op, a, aMode, b, bMode, out, n, len);
}

/** Unary ops: neg, abs, square, sqrt, relu (v > 0 ? v : 0). */
function unaryT<T>(op: i32, a: usize, out: usize, n: i32): void {
  const bytes = <usize>n * sizeof<T>();
  const f32 = sizeof<T>() == 4;
  for (let i: usize = 0; i < bytes; i += 16) {
    const x = v128.load(a + i);
    let y: v128;
    switch (op) {
      case 0: y = f32 ? f32x4.neg(x) : f64x2.neg(x); break;
      case 1: y = f32 ? f32x4.abs(x) : f64x2.abs(x); break;
      case 2: y = f32 ? f32x4.mul(x, x) : f64x2.mul(x, x); break;
      case 3: y = f32 ? f32x4.sqrt(x) : f64x2.sqrt(x); break;
      default: y = v128.and(x, f32 ? f32x4.gt(x, f32x4.splat(0)) : f64x2.gt(x, f64x2.splat(0)));
    }
    v128.store(out + i, y);
  }
}

export function unary32(op: i32, a: usize, out: usize, n: i32): void {
  unaryT<f32>(op, a, out, n);
}

export function unary64(op: i32, a: usize, out: usize, n: i32): void {
  unaryT<f64>(op, a, out, n);
}

/**
 * Column sums of a rows×len block: out[j] = ((0 + a[0, j]) + a[1, j]) + …, rows in order,
 * `len` padded to whole vectors.
 */
function sumRowsT<T>(a: usize, out: usize, rows: i32, len: i32): void {
  const rowBytes = (<usize>len * sizeof<T>() + 15) & ~15;
  const stride = <usize>len * sizeof<T>();
  for (let j: usize = 0; j < rowBytes; j += 16) {
    let s = f64x2.splat(0);
    let p = a + j;
    for (let r = 0; r < rows; r++) {
      s = sizeof<T>() == 4 ? f32x4.add(s, v128.load(p)) : f64x2.add(s, v128.load(p));
      p += stride;
    }
    v128.store(out + j, s);
  }
}

export function sumRows32(a: usize, out: usize, rows: i32, len: i32): void {
  sumRowsT<f32>(a, out, rows, len);
}

export function sumRows64(a: usize, out: usize, rows: i32, len: i32): void {
  sumRowsT<f64>(a, out, rows, len);
}

// Optimizer steps, one generic loop per optimizer for both element types (the arithmetic of
// binaryOp: 0 add, 1 sub, 2 mul, 3 div; each op is the IEEE operation of the TypeScript
// backend, so the two agree bit for bit). The exported wrappers splat the constants.

// @ts-ignore: decorator
@inline
function vsqrt<T>(x: v128): v128 {
  return sizeof<T>() == 4 ? f32x4.sqrt(x) : f64x2.sqrt(x);
}

// @ts-ignore: decorator
@inline
function vsplat<T>(x: f64): v128 {
  return sizeof<T>() == 4 ? f32x4.splat(<f32>x) : f64x2.splat(x);
}

/**
 * Adam's step: v = β1·v + w1·g, s = β2·s + w2·(g·g), then float64 in numpy's order
 * u = (x1·(v/x2))/(√(s/x3) + ε) with x1 = rate, x2 = c1, x3 = c2; float32 in PyTorch's
 * u = (x1·v)/(√s/x2 + ε) with x1 = rate/c1, x2 = √c2. u holds g on entry; with parameters
 * `p` (nonzero), p −= u instead and u keeps g. `n` padded to whole vectors.
 */
function adamT<T>(u: usize, v: usize, s: usize, n: i32, b1: v128, w1: v128, b2: v128, w2: v128, x1: v128, x2: v128, x3: v128, eps: v128, p: usize): void {
  const bytes = <usize>n * sizeof<T>();
  for (let i: usize = 0; i < bytes; i += 16) {
    const g = v128.load(u + i);
    const vi = binaryOp<T>(0, binaryOp<T>(2, b1, v128.load(v + i)), binaryOp<T>(2, w1, g));
    const si = binaryOp<T>(0, binaryOp<T>(2, b2, v128.load(s + i)), binaryOp<T>(2, w2, binaryOp<T>(2, g, g)));
    v128.store(v + i, vi);
    v128.store(s + i, si);
    const ui = sizeof<T>() == 8
      ? binaryOp<T>(3, binaryOp<T>(2, x1, binaryOp<T>(3, vi, x2)), binaryOp<T>(0, vsqrt<T>(binaryOp<T>(3, si, x3)), eps))
      : binaryOp<T>(3, binaryOp<T>(2, x1, vi), binaryOp<T>(0, binaryOp<T>(3, vsqrt<T>(si), x2), eps));
    if (p != 0) v128.store(p + i, binaryOp<T>(1, v128.load(p + i), ui));
    else v128.store(u + i, ui);
  }
}

/** Float64 Adam (numpy's order); see adamT. */
export function adam64(u: usize, v: usize, s: usize, n: i32, b1: f64, b2: f64, c1: f64, c2: f64, eps: f64, rate: f64, p: usize): void {
  adamT<f64>(u, v, s, n, f64x2.splat(b1), f64x2.splat(1 - b1), f64x2.splat(b2), f64x2.splat(1 - b2), f64x2.splat(rate), f64x2.splat(c1), f64x2.splat(c2), f64x2.splat(eps), p);
}

/** Float32 Adam (PyTorch's order, every constant rounded to float32 by the caller); see adamT. */
export function adam32(u: usize, v: usize, s: usize, n: i32, b1: f32, w1: f32, b2: f32, w2: f32, step: f32, root: f32, eps: f32, p: usize): void {
  adamT<f32>(u, v, s, n, f32x4.splat(b1), f32x4.splat(w1), f32x4.splat(b2), f32x4.splat(w2), f32x4.splat(step), f32x4.splat(root), f32x4.splat(0), f32x4.splat(eps), p);
}

/** The course's momentum: v = β·v + w·u (w = 1 − β), then u = v. */
function emaT<T>(u: usize, v: usize, n: i32, b: v128, w: v128): void {
  const bytes = <usize>n * sizeof<T>();
  for (let i: usize = 0; i < bytes; i += 16) {
    const vi = binaryOp<T>(0, binaryOp<T>(2, b, v128.load(v + i)), binaryOp<T>(2, w, v128.load(u + i)));
    v128.store(v + i, vi);
    v128.store(u + i, vi);
  }
}

export function ema64(u: usize, v: usize, n: i32, b: f64): void {
  emaT<f64>(u, v, n, vsplat<f64>(b), vsplat<f64>(1 - b));
}

export function ema32(u: usize, v: usize, n: i32, b: f32, w: f32): void {
  emaT<f32>(u, v, n, vsplat<f32>(b), vsplat<f32>(w));
}

/** RMSprop's step: s = β·s + w·(g·g), u = (rate·g)/(√s + ε), with u holding g. */
function rmsT<T>(u: usize, s: usize, n: i32, b: v128, w: v128, eps: v128, rate: v128): void {
  const bytes = <usize>n * sizeof<T>();
  for (let i: usize = 0; i < bytes; i += 16) {
    const g = v128.load(u + i);
    const si = binaryOp<T>(0, binaryOp<T>(2, b, v128.load(s + i)), binaryOp<T>(2, w, binaryOp<T>(2, g, g)));
    v128.store(s + i, si);
    v128.store(u + i, binaryOp<T>(3, binaryOp<T>(2, rate, g), binaryOp<T>(0, vsqrt<T>(si), eps)));
  }
}

export function rms64(u: usize, s: usize, n: i32, b: f64, eps: f64, rate: f64): void {
  rmsT<f64>(u, s, n, vsplat<f64>(b), vsplat<f64>(1 - b), vsplat<f64>(eps), vsplat<f64>(rate));
}

export function rms32(u: usize, s: usize, n: i32, b: f32, w: f32, eps: f32, rate: f32): void {
  rmsT<f32>(u, s, n, vsplat<f32>(b), vsplat<f32>(w), vsplat<f32>(eps), vsplat<f32>(rate));
}

/** p −= u with p and u of one type. */
function subtractT<T>(p: usize, u: usize, n: i32): void {
  const bytes = <usize>n * sizeof<T>();
  for (let i: usize = 0; i < bytes; i += 16) v128.store(p + i, binaryOp<T>(1, v128.load(p + i), v128.load(u + i)));
}

/** p −= u over float32 parameters with a float32 update (a float32 difference). */
export function applyUpdate32x32(p: usize, u: usize, n: i32): void {
  subtractT<f32>(p, u, n);
}

/** p −= u over float64 parameters. */
export function applyUpdate64(p: usize, u: usize, n: i32): void {
  subtractT<f64>(p, u, n);
}

/** p −= u over float32 parameters with a float64 update: the difference in float64, rounded once. */
export function applyUpdate32(p: usize, u: usize, n: i32): void {
  const bytes = <usize>n * 4;
  for (let i: usize = 0, j: usize = 0; i < bytes; i += 16, j += 32) {
    const x = v128.load(p + i);
    const lo = f64x2.sub(f64x2.promote_low_f32x4(x), v128.load(u + j));
    const hi = f64x2.sub(f64x2.promote_low_f32x4(i32x4.shuffle(x, x, 2, 3, 0, 1)), v128.load(u + j, 16));
    v128.store(p + i, i32x4.shuffle(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5));
  }
}

/**
 * A dense layer's epilogue on rows [r0, r1) of C (row stride ldc elements, a whole number
 * of vectors): c = c + bias (when `hasBias`), then c = c > 0 ? c : 0 (when `relu`), the
 * TypeScript backend's operations in its order.
 */
function biasActT<T>(c: usize, ldc: i32, r0: i32, r1: i32, n: i32, bias: usize, hasBias: bool, relu: bool): void {
  const size = <usize>sizeof<T>();
  const rowBytes = (<usize>n * size + 15) & ~15;
  const zero = vzero<T>();
  for (let r = r0; r < r1; r++) {
    const row = c + <usize>r * <usize>ldc * size;
    for (let j: usize = 0; j < rowBytes; j += 16) {
      let v = v128.load(row + j);
      if (hasBias) v = sizeof<T>() == 4 ? f32x4.add(v, v128.load(bias + j)) : f64x2.add(v, v128.load(bias + j));
      if (relu) v = v128.and(v, sizeof<T>() == 4 ? f32x4.gt(v, zero) : f64x2.gt(v, zero));
      v128.store(row + j, v);
    }
  }
}

/**
 * Moves rows [r0, r1) of C (row stride `ldcBytes`, a multiple of 16) to a row stride of
 * `rowBytes` (< ldcBytes), in place, so they can be copied out in one piece. Rows move in
 * whole vectors: a row's last vector may spill into the next row's new place (written next)
 * but never past its own old end, so no row is overwritten before it has moved, provided
 * rows before r0 were moved (or copied out) first.
 */
export function compactRows(c: usize, ldcBytes: i32, rowBytes: i32, r0: i32, r1: i32): void {
  const vecBytes = (<usize>rowBytes + 15) & ~15;
  for (let r = r0; r < r1; r++) {
    const src = c + <usize>r * <usize>ldcBytes, dst = c + <usize>r * <usize>rowBytes;
    for (let j: usize = 0; j < vecBytes; j += 16) v128.store(dst + j, v128.load(src + j));
  }
}

export function biasAct32(c: usize, ldc: i32, r0: i32, r1: i32, n: i32, bias: usize, hasBias: bool, relu: bool): void {
  biasActT<f32>(c, ldc, r0, r1, n, bias, hasBias, relu);
}

export function biasAct64(c: usize, ldc: i32, r0: i32, r1: i32, n: i32, bias: usize, hasBias: bool, relu: bool): void {
  biasActT<f64>(c, ldc, r0, r1, n, bias, hasBias, relu);
}
