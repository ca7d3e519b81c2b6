// Hyperparameter validation: fail at construction, naming the value.
import { ArgumentError, describe } from "@hone/tensor";

/** A finite number ≥ 0 (learning rates, weight decay). */
export function nonNegative(op: string, name: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isFinite(v) || v < 0) throw new ArgumentError(`${op}: ${name} must be a finite number ≥ 0, got ${describe(v)}`);
  return v;
}

/** A finite number > 0 (ε, clipping bounds). */
export function positive(op: string, name: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isFinite(v) || v <= 0) throw new ArgumentError(`${op}: ${name} must be a finite number > 0, got ${describe(v)}`);
  return v;
}

/** A decay rate in [0, 1). */
export function beta(op: string, name: string, v: unknown): number {
  if (typeof v !== "number" || !(v >= 0 && v < 1)) throw new ArgumentError(`${op}: ${name} must be in [0, 1), got ${describe(v)}`);
  return v;
}
