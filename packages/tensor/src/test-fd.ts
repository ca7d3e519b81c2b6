// Test-only helpers (excluded from the build): a central-difference gradient reference,
// deterministic non-uniform test values, and the weighted reduction that makes gradients
// non-trivial. Kept independent of the autograd rules they check: the numeric side only
// evaluates forward values.
import { backward, mul, noGrad, sum, tensor, type Shape, type Tensor } from "./index.js";

/** The outcome of one finite-difference comparison. */
export interface FdResult {
  /** ‖g − ĝ‖₂ / (‖g‖₂ + ‖ĝ‖₂) over all inputs' components together (0 when both are 0). */
  relError: number;
  /** The autograd gradient of each input (zeros where none arrived). */
  analytic: Float64Array[];
  /** The central-difference gradient of each input. */
  numeric: Float64Array[];
}

/**
 * Compares the autograd gradient of the scalar `f(...inputs)` with central differences
 * `(f(x + εeᵢ) − f(x − εeᵢ)) / 2ε`, one component at a time. Inputs must be float64; they
 * are copied into fresh leaves, so the caller's tensors are untouched.
 */
export function fdCheck(f: (...inputs: Tensor[]) => Tensor, inputs: readonly Tensor[], eps = 1e-6): FdResult {
  for (const [i, x] of inputs.entries()) {
    if (x.dtype !== "float64") throw new Error(`fdCheck: inputs[${i}] must be float64, got ${x.dtype}`);
  }
  const leaves = inputs.map((x) => tensor(Float64Array.from(x.data), { shape: x.shape.slice(), requiresGrad: true }));
  const out = f(...leaves);
  if (out.size !== 1) throw new Error(`fdCheck: f must return a scalar, got shape [${out.shape.join(",")}]`);
  backward(out);
  const analytic = leaves.map((l) => (l.grad === null ? new Float64Array(l.size) : Float64Array.from(l.grad.data)));
  const numeric = leaves.map((leaf) => {
    const d = leaf.data;
    const g = new Float64Array(leaf.size);
    noGrad(() => {
      for (const [i, x0] of d.entries()) {
        d[i] = x0 + eps;
        const fp = f(...leaves).item();
        d[i] = x0 - eps;
        const fm = f(...leaves).item();
        d[i] = x0;
        g[i] = (fp - fm) / (2 * eps);
      }
    });
    return g;
  });
  let diff = 0, na = 0, nn = 0;
  analytic.forEach((a, k) => {
    const n = numeric.at(k) ?? new Float64Array(a.length);
    a.forEach((ai, i) => {
      const ni = n.at(i) ?? NaN;
      diff += (ai - ni) ** 2;
      na += ai ** 2;
      nn += ni ** 2;
    });
  });
  const denom = Math.sqrt(na) + Math.sqrt(nn);
  return { relError: denom === 0 ? 0 : Math.sqrt(diff) / denom, analytic, numeric };
}

const PHI = 0.6180339887498949;

function frac(v: number): number {
  return v - Math.floor(v);
}

/**
 * Deterministic, distinct, non-uniform float64 values in `[lo, hi)` (a golden-ratio
 * sequence, so no two are close for small tensors: no ties for max/min).
 */
export function values(shape: Shape, lo = -1, hi = 1, seed = 0): Tensor {
  const n = shape.reduce((p, d) => p * d, 1);
  const data = new Float64Array(n);
  for (let i = 0; i < n; i++) data[i] = lo + (hi - lo) * frac(0.5 + (i + 1 + 31 * seed) * PHI);
  return tensor(data, { shape: shape.slice() });
}

/** Values with magnitudes in `[minAbs, maxAbs)` and mixed signs: away from kinks at 0. */
export function signedValues(shape: Shape, minAbs = 0.1, maxAbs = 2, seed = 0): Tensor {
  const magnitudes = values(shape, minAbs, maxAbs, seed).data;
  const data = magnitudes.map((m, i) => (frac((i + 3 + 7 * seed) * 0.7548776662466927) < 0.5 ? -m : m));
  return tensor(data, { shape: shape.slice() });
}

/** A fixed weight tensor of `shape` with varied magnitudes and both signs, none zero. */
export function weights(shape: Shape): Tensor {
  const n = shape.reduce((p, d) => p * d, 1);
  const data = new Float64Array(n);
  for (let i = 0; i < n; i++) data[i] = (0.25 + 1.5 * frac((i + 1) * PHI)) * (i % 3 === 1 ? -1 : 1);
  return tensor(data, { shape: shape.slice() });
}

/** `(...xs) => sum(op(...xs) · W)` with `W = weights(shape of op's output)`. */
export function weighted(op: (...xs: Tensor[]) => Tensor): (...xs: Tensor[]) => Tensor {
  return (...xs: Tensor[]): Tensor => {
    const y = op(...xs);
    return sum(mul(y, weights(y.shape)));
  };
}
