// Internal helpers shared by the package's modules: argument checks that name the value,
// the optional-seed convention, and the per-row view of a tensor. Not exported.
import { ArgumentError, ShapeError, Tensor, describe, formatShape, rng as seeded, type Rng } from "@hone/tensor";

/** A generator, or an integer seed for `rng(seed)` (numpy's `np.random.seed(seed)`). */
export type RngLike = Rng | number;

/** The `rng` option resolved to a generator; throws when it is needed but missing. */
export function resolveRng(fn: string, value: RngLike | undefined, why: string): Rng {
  if (value === undefined) {
    throw new ArgumentError(`${fn}: rng is required ${why} (pass rng: rng(seed) or a seed number)`);
  }
  if (typeof value === "number") return seeded(value);
  if (typeof value !== "object" || value === null || typeof (value as { permutation?: unknown }).permutation !== "function") {
    throw new ArgumentError(`${fn}: rng must be an Rng or an integer seed, got ${describe(value)}`);
  }
  return value;
}

/** Checks that `value` is a Tensor with at least one axis; returns its row count. */
export function checkRows(fn: string, name: string, value: unknown): number {
  if (!(value instanceof Tensor)) throw new ArgumentError(`${fn}: ${name} must be a Tensor, got ${describe(value)}`);
  if (value.rank === 0) throw new ShapeError(`${fn}: ${name} must have rows on axis 0, got a scalar`);
  return value.shape[0];
}

/** Checks that x and y are tensors with the same number of rows (y of rank 1 or 2). */
export function checkXY(fn: string, x: unknown, y: unknown): number {
  const m = checkRows(fn, "x", x);
  const my = checkRows(fn, "y", y);
  const yt = y as Tensor;
  if (yt.rank > 2) throw new ShapeError(`${fn}: y must have shape (m,) or (m, k), got ${formatShape(yt.shape)}`);
  if (m !== my) {
    throw new ShapeError(`${fn}: x has ${m} rows (shape ${formatShape((x as Tensor).shape)}) but y has ${my} (shape ${formatShape(yt.shape)})`);
  }
  return m;
}

/** The number of values per row (the product of the trailing axes; 1 for a rank-1 tensor). */
export function rowSize(x: Tensor): number {
  let n = 1;
  for (let i = 1; i < x.shape.length; i++) n *= x.shape[i];
  return n;
}

/** A positive integer option. */
export function checkPositiveInt(fn: string, name: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
    throw new ArgumentError(`${fn}: ${name} must be a positive integer, got ${describe(value)}`);
  }
  return value;
}

/** A non-negative finite number option. */
export function checkNonNegative(fn: string, name: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new ArgumentError(`${fn}: ${name} must be a finite number ≥ 0, got ${describe(value)}`);
  }
  return value;
}

/** A boolean option. */
export function checkBoolean(fn: string, name: string, value: unknown): boolean {
  if (typeof value !== "boolean") throw new ArgumentError(`${fn}: ${name} must be true or false, got ${describe(value)}`);
  return value;
}

/**
 * numpy's `linspace(start, stop, num, endpoint)`: `start + i·step` with
 * `step = (stop − start) / (endpoint ? num − 1 : num)`, and the last value exactly `stop`
 * when `endpoint` is true.
 */
export function linspaceValues(start: number, stop: number, num: number, endpoint: boolean): Float64Array {
  const out = new Float64Array(num);
  const div = endpoint ? num - 1 : num;
  const step = div > 0 ? (stop - start) / div : 0;
  for (let i = 0; i < num; i++) out[i] = i * step + start;
  if (endpoint && num > 1) out[num - 1] = stop;
  return out;
}

/** `Array.isArray` that narrows to `readonly unknown[]` (not `any[]`), for validating input. */
export function isArray(value: unknown): value is readonly unknown[] {
  return Array.isArray(value);
}

/** A confidence level in (0, 1) (of an interval). */
export function checkConfidence(fn: string, value: unknown): number {
  if (typeof value !== "number" || !(value > 0 && value < 1)) throw new ArgumentError(`${fn}: confidence must be in (0, 1), got ${describe(value)}`);
  return value;
}

/** A gap threshold in [0, 1) (error points). */
export function checkThreshold(fn: string, value: unknown): number {
  if (typeof value !== "number" || !(value >= 0 && value < 1)) throw new ArgumentError(`${fn}: threshold must be in [0, 1), got ${describe(value)}`);
  return value;
}

/** A fraction as a short percentage for messages: 0.0233333 → "2.33%". */
export const pct = (v: number): string => `${Number((v * 100).toFixed(2))}%`;
