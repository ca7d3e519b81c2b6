// Fans of a weight tensor. Hone's weight layout is `(out, in)` (as `W[l]` is `(n[l], n[l−1])`
// in the course and in PyTorch), so fanIn = shape[1] and fanOut = shape[0]; a conv kernel
// `(out, in, ...receptive)` multiplies both by the receptive field size.
import { ArgumentError, type Shape } from "@hone/tensor";

/** The number of inputs and outputs each unit of a weight tensor connects. */
export interface Fans {
  fanIn: number;
  fanOut: number;
}

/**
 * Fans for the `(out, in)` layout: rank 1 (a bias) has fanIn = fanOut = shape[0]; rank 2
 * gives `{ fanIn: shape[1], fanOut: shape[0] }`; higher ranks multiply by the product of
 * the trailing (receptive field) axes, as PyTorch's `_calculate_fan_in_and_fan_out`.
 *
 * @example
 * ```ts
 * import { computeFans } from "@hone/init";
 * computeFans([20, 2]);       // { fanIn: 2, fanOut: 20 }
 * computeFans([8, 3, 5, 5]);  // { fanIn: 75, fanOut: 200 }
 * ```
 */
export function computeFans(shape: Shape): Fans {
  if (shape.length === 0) throw new ArgumentError("computeFans: a scalar has no fans; expected a shape of rank ≥ 1, got []");
  if (shape.length === 1) return { fanIn: shape[0]!, fanOut: shape[0]! };
  let receptive = 1;
  for (let i = 2; i < shape.length; i++) receptive *= shape[i]!;
  return { fanIn: shape[1]! * receptive, fanOut: shape[0]! * receptive };
}
