// β^t correctly rounded, for Adam's bias corrections (internal).
//
// V8's `**`/Math.pow is not correctly rounded: 0.9 ** 4 is 0.6561000000000001 where numpy
// (C's pow) gives 0.6561, and about 7% of 0.9^t, 0.99^t, 0.999^t for t ≤ 30,000 differ in the
// last bit. That changes 1 − β^t and with it every Adam step. powInt multiplies in
// double-double arithmetic (error about t·2^−104) and rounds once, so it is the correctly
// rounded β^t; for the usual β and t ≤ 30,000 its 1 − β^t equals numpy's every time.

/** Dekker's splitter for exact products without FMA: 2^27 + 1. */
const SPLITTER = 134217729;
let hi = 0;
let lo = 0;

/** The rounding error of `p = a·b` (p + error = a·b exactly). */
function productError(a: number, b: number, p: number): number {
  let t = SPLITTER * a;
  const ah = t - (t - a), al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b), bl = b - bh;
  return ah * bh - p + ah * bl + al * bh + al * bl;
}

/** (hi, lo) = (ah + al)·(bh + bl) in double-double. */
function ddMul(ah: number, al: number, bh: number, bl: number): void {
  const p = ah * bh;
  const e = productError(ah, bh, p) + (ah * bl + al * bh);
  hi = p + e;
  lo = e - (hi - p);
}

/** `base^n` for an integer n ≥ 0, correctly rounded (but for astronomically rare ties). */
export function powInt(base: number, n: number): number {
  let rh = 1, rl = 0, bh = base, bl = 0;
  while (n > 0) {
    if (n % 2 === 1) {
      ddMul(rh, rl, bh, bl);
      rh = hi;
      rl = lo;
    }
    n = Math.floor(n / 2);
    if (n > 0) {
      ddMul(bh, bl, bh, bl);
      bh = hi;
      bl = lo;
    }
  }
  return rh + rl;
}
