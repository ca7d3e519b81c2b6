// Test helpers for matrix-product kernels: the in-order float64 reference and operands.

/** The reference: C[i,j] = Σ_p op(A)[i,p]·op(B)[p,j], summed in order from 0, in float64. */
export function reference(a: ArrayLike<number>, b: ArrayLike<number>, m: number, k: number, n: number, transA: boolean, transB: boolean): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += (transA ? a[p * m + i]! : a[i * k + p]!) * (transB ? b[j * k + p]! : b[p * n + j]!);
      c[i * n + j] = s;
    }
  }
  return c;
}

/** Deterministic values with varied magnitudes and exact zeros (so skipping zeros is exercised). */
export function values(n: number, seed: number): Float64Array {
  const v = new Float64Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    v[i] = s % 7 === 0 ? 0 : (s / 2147483648 - 0.5) * 10 ** ((s % 5) - 2);
  }
  return v;
}
