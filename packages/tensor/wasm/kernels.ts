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
// results equal the TypeScript backend's bit for bit.

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
 * Packs rows [p0, p0+kc) × columns [0, n) of op(B), element (p, j) at b + (p·sp + j·sj)·size,
 * into NR-column panels: for each p, NR consecutive values (zeros past the last column).
 */
function packB<T>(b: usize, sp: i32, sj: i32, p0: i32, kc: i32, n: i32, dst: usize, nr: i32): void {
  const size = sizeof<T>();
  let d = dst;
  for (let j0 = 0; j0 < n; j0 += nr) {
    const cols = min(nr, n - j0);
    if (sj == 1 && cols == nr) {
      // Row-major B: each panel row is NR contiguous values, copied as vectors.
      const vecs = (nr * <i32>size) >> 4;
      for (let p = 0; p < kc; p++) {
        const s = b + (<usize>((p0 + p) * sp + j0) << alignof<T>());
        const o = d + <usize>(p * nr) * size;
        for (let v = 0; v < vecs; v++) v128.store(o + (<usize>v << 4), v128.load(s + (<usize>v << 4)));
      }
    } else {
      for (let p = 0; p < kc; p++) {
        const o = d + <usize>(p * nr) * size;
        for (let t = 0; t < nr; t++) {
          store<T>(o + <usize>t * size, t < cols ? load<T>(b + (<usize>((p0 + p) * sp + (j0 + t) * sj) << alignof<T>())) : <T>0);
        }
      }
    }
    d += <usize>(kc * nr) * size;
  }
}

// ---------------------------------------------------------------------------------------
// Register tiles

// float32: 4 rows × 8 columns = 8 vectors of 4 lanes.
const MR32: i32 = 4;
const NR32: i32 = 8;
// float64: 4 rows × 4 columns = 8 vectors of 2 lanes.
const MR64: i32 = 4;
const NR64: i32 = 4;

/** C[4×8] (row stride ldc bytes) (+)= packed A panel · packed B panel over kc. */
// @ts-ignore: decorator
@inline
function tile32(ap: usize, bp: usize, kc: i32, c: usize, ldc: usize, accumulate: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  if (accumulate) {
    c00 = v128.load(c); c01 = v128.load(c, 16);
    c10 = v128.load(c + ldc); c11 = v128.load(c + ldc, 16);
    c20 = v128.load(c + 2 * ldc); c21 = v128.load(c + 2 * ldc, 16);
    c30 = v128.load(c + 3 * ldc); c31 = v128.load(c + 3 * ldc, 16);
  }
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(bp), b1 = v128.load(bp, 16);
    let x = v128.load32_splat(ap);
    c00 = f32x4.add(c00, f32x4.mul(x, b0)); c01 = f32x4.add(c01, f32x4.mul(x, b1));
    x = v128.load32_splat(ap, 4);
    c10 = f32x4.add(c10, f32x4.mul(x, b0)); c11 = f32x4.add(c11, f32x4.mul(x, b1));
    x = v128.load32_splat(ap, 8);
    c20 = f32x4.add(c20, f32x4.mul(x, b0)); c21 = f32x4.add(c21, f32x4.mul(x, b1));
    x = v128.load32_splat(ap, 12);
    c30 = f32x4.add(c30, f32x4.mul(x, b0)); c31 = f32x4.add(c31, f32x4.mul(x, b1));
    ap += 16;
    bp += 32;
  }
  v128.store(c, c00); v128.store(c, c01, 16);
  v128.store(c + ldc, c10); v128.store(c + ldc, c11, 16);
  v128.store(c + 2 * ldc, c20); v128.store(c + 2 * ldc, c21, 16);
  v128.store(c + 3 * ldc, c30); v128.store(c + 3 * ldc, c31, 16);
}

/** C[4×4] (row stride ldc bytes) (+)= packed A panel · packed B panel over kc, in float64. */
// @ts-ignore: decorator
@inline
function tile64(ap: usize, bp: usize, kc: i32, c: usize, ldc: usize, accumulate: bool): void {
  let c00 = f64x2.splat(0), c01 = f64x2.splat(0);
  let c10 = f64x2.splat(0), c11 = f64x2.splat(0);
  let c20 = f64x2.splat(0), c21 = f64x2.splat(0);
  let c30 = f64x2.splat(0), c31 = f64x2.splat(0);
  if (accumulate) {
    c00 = v128.load(c); c01 = v128.load(c, 16);
    c10 = v128.load(c + ldc); c11 = v128.load(c + ldc, 16);
    c20 = v128.load(c + 2 * ldc); c21 = v128.load(c + 2 * ldc, 16);
    c30 = v128.load(c + 3 * ldc); c31 = v128.load(c + 3 * ldc, 16);
  }
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(bp), b1 = v128.load(bp, 16);
    let x = v128.load64_splat(ap);
    c00 = f64x2.add(c00, f64x2.mul(x, b0)); c01 = f64x2.add(c01, f64x2.mul(x, b1));
    x = v128.load64_splat(ap, 8);
    c10 = f64x2.add(c10, f64x2.mul(x, b0)); c11 = f64x2.add(c11, f64x2.mul(x, b1));
    x = v128.load64_splat(ap, 16);
    c20 = f64x2.add(c20, f64x2.mul(x, b0)); c21 = f64x2.add(c21, f64x2.mul(x, b1));
    x = v128.load64_splat(ap, 24);
    c30 = f64x2.add(c30, f64x2.mul(x, b0)); c31 = f64x2.add(c31, f64x2.mul(x, b1));
    ap += 32;
    bp += 32;
  }
  v128.store(c, c00); v128.store(c, c01, 16);
  v128.store(c + ldc, c10); v128.store(c + ldc, c11, 16);
  v128.store(c + 2 * ldc, c20); v128.store(c + 2 * ldc, c21, 16);
  v128.store(c + 3 * ldc, c30); v128.store(c + 3 * ldc, c31, 16);
}

// ---------------------------------------------------------------------------------------
// Matrix products

/** Columns of k packed at a time: a B panel (KC·NR values) stays in the level-1 cache. */
const KC: i32 = 256;
/** Rows of A packed at a time: an A block (MC·KC values) stays in the level-2 cache. */
const MC: i32 = 64;

/** Bytes of scratch `matmul32`/`matmul64` need for a product with n columns. */
export function matmulScratch(n: i32, dtypeBytes: i32): i32 {
  const nr = dtypeBytes == 4 ? NR32 : NR64;
  const nPad = ((n + nr - 1) / nr) * nr;
  return (KC * nPad + MC * KC) * dtypeBytes + 64;
}

/**
 * Rows [r0, r1) of C = op(A)·op(B), with op(A) m×k and op(B) k×n (A stored k×m when
 * `transA`, B stored n×k when `transB`). C has row stride `ldc` elements, a multiple of
 * NR32, and r1 − r0 rows padded to a multiple of MR32 that it may write; `scratch` holds
 * `matmulScratch(n, 4)` bytes, 16-byte aligned.
 */
export function matmul32(a: usize, b: usize, c: usize, m: i32, k: i32, n: i32, transA: bool, transB: bool, r0: i32, r1: i32, ldc: i32, scratch: usize): void {
  const si = transA ? 1 : k, spa = transA ? m : 1;
  const spb = transB ? 1 : n, sj = transB ? k : 1;
  const nPad = ((n + NR32 - 1) / NR32) * NR32;
  const bPacked = scratch;
  const aPacked = scratch + <usize>(KC * nPad) * 4;
  const ldcBytes = <usize>ldc * 4;
  if (k == 0) {
    for (let i = r0; i < r1; i++) memory.fill(c + <usize>i * ldcBytes, 0, <usize>n * 4);
    return;
  }
  for (let p0 = 0; p0 < k; p0 += KC) {
    const kc = min(KC, k - p0);
    packB<f32>(b, spb, sj, p0, kc, n, bPacked, NR32);
    for (let i0 = r0; i0 < r1; i0 += MC) {
      const rows = min(MC, r1 - i0);
      // Rows past m are packed as zeros by reading within bounds only.
      packA<f32>(a, si, spa, i0, min(rows, m - i0), p0, kc, aPacked, MR32);
      const panels = (rows + MR32 - 1) / MR32;
      for (let j0 = 0; j0 < n; j0 += NR32) {
        const bp = bPacked + <usize>(j0 * kc) * 4;
        let cp = c + <usize>i0 * ldcBytes + <usize>j0 * 4;
        let ap = aPacked;
        for (let q = 0; q < panels; q++) {
          tile32(ap, bp, kc, cp, ldcBytes, p0 > 0);
          ap += <usize>(kc * MR32) * 4;
          cp += ldcBytes * MR32;
        }
      }
    }
  }
}

/** The float64 form of `matmul32` (C's row stride a multiple of NR64, rows padded to MR64). */
export function matmul64(a: usize, b: usize, c: usize, m: i32, k: i32, n: i32, transA: bool, transB: bool, r0: i32, r1: i32, ldc: i32, scratch: usize): void {
  const si = transA ? 1 : k, spa = transA ? m : 1;
  const spb = transB ? 1 : n, sj = transB ? k : 1;
  const nPad = ((n + NR64 - 1) / NR64) * NR64;
  const bPacked = scratch;
  const aPacked = scratch + <usize>(KC * nPad) * 8;
  const ldcBytes = <usize>ldc * 8;
  if (k == 0) {
    for (let i = r0; i < r1; i++) memory.fill(c + <usize>i * ldcBytes, 0, <usize>n * 8);
    return;
  }
  for (let p0 = 0; p0 < k; p0 += KC) {
    const kc = min(KC, k - p0);
    packB<f64>(b, spb, sj, p0, kc, n, bPacked, NR64);
    for (let i0 = r0; i0 < r1; i0 += MC) {
      const rows = min(MC, r1 - i0);
      packA<f64>(a, si, spa, i0, min(rows, m - i0), p0, kc, aPacked, MR64);
      const panels = (rows + MR64 - 1) / MR64;
      for (let j0 = 0; j0 < n; j0 += NR64) {
        const bp = bPacked + <usize>(j0 * kc) * 8;
        let cp = c + <usize>i0 * ldcBytes + <usize>j0 * 8;
        let ap = aPacked;
        for (let q = 0; q < panels; q++) {
          tile64(ap, bp, kc, cp, ldcBytes, p0 > 0);
          ap += <usize>(kc * MR64) * 8;
          cp += ldcBytes * MR64;
        }
      }
    }
  }
}
