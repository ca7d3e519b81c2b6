// The numeric side shared by every checker: which components to check (all, or a seeded
// sample), and the two-sided differences (J(θ+ε) − J(θ−ε)) / 2ε computed by perturbing a
// buffer in place and restoring the exact original value after each component.
import { ArgumentError, Rng, describe } from "@hone/tensor";
import { unravel } from "./report.js";

/** A buffer to perturb, the components to check in it, and where the results go. */
export interface PerturbTarget {
  name: string;
  shape: number[];
  data: Float64Array;
  checked: Int32Array;
  numeric: Float64Array;
}

/**
 * The components to check in blocks of the given sizes: all of them, or `sample` drawn
 * uniformly without replacement over all blocks together (`rng.choice(total, sample,
 * { replace: false })`, then sorted).
 */
export function selectComponents(op: string, sizes: readonly number[], sample: number | undefined, rng: Rng | undefined): Int32Array[] {
  const total = sizes.reduce((a, b) => a + b, 0);
  if (sample === undefined || sample >= total) {
    if (sample !== undefined) checkSample(op, sample);
    return sizes.map((n) => Int32Array.from({ length: n }, (_, i) => i));
  }
  checkSample(op, sample);
  if (!(rng instanceof Rng)) throw new ArgumentError(`${op}: sample needs rng (an Rng from rng(seed)) to draw the components, got ${describe(rng)}`);
  const picked = rng.choice(total, sample, { replace: false }).sort();
  const out: Int32Array[] = [];
  let start = 0, k = 0;
  for (const n of sizes) {
    const from = k;
    while (k < picked.length && picked[k]! < start + n) k++;
    out.push(picked.slice(from, k).map((i) => i - start));
    start += n;
  }
  return out;
}

function checkSample(op: string, sample: number): void {
  if (!Number.isInteger(sample) || sample < 1) throw new ArgumentError(`${op}: sample must be a positive integer, got ${String(sample)}`);
}

/**
 * Fills each target's `numeric` at its checked components with
 * `(J(θ+ε) − J(θ−ε)) / (2ε)`, where θ ± ε is computed as `θᵢ + ε` and `θᵢ − ε` (the
 * course's order) and θᵢ is restored exactly after each component, also when `cost`
 * throws. Non-finite costs are reported in `warnings`.
 */
export function centralDifferences(targets: readonly PerturbTarget[], cost: () => number, epsilon: number, warnings: string[]): void {
  let nonFinite = 0;
  let first = "";
  for (const t of targets) {
    const d = t.data;
    for (const i of t.checked) {
      const x0 = d[i]!;
      let plus: number, minus: number;
      try {
        d[i] = x0 + epsilon;
        plus = cost();
        d[i] = x0 - epsilon;
        minus = cost();
      } finally {
        d[i] = x0;
      }
      if (!Number.isFinite(plus) || !Number.isFinite(minus)) {
        if (nonFinite === 0) first = `${t.name}[${unravel(i, t.shape).join(",")}] (J(θ+ε) = ${plus}, J(θ−ε) = ${minus})`;
        nonFinite++;
      }
      t.numeric[i] = (plus - minus) / (2 * epsilon);
    }
  }
  if (nonFinite > 0) {
    warnings.push(`the cost was not finite for ${nonFinite} perturbed component(s), first at ${first}; the numeric gradient there is meaningless`);
  }
}

/** A NaN-filled array (numeric gradients of components that are not checked stay NaN). */
export function nanArray(n: number): Float64Array {
  return new Float64Array(n).fill(NaN);
}
