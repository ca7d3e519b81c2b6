// Random tensors: thin wrappers that shape the draws of an explicit Rng. Values are drawn
// in row-major order, one per element, exactly as numpy's `randn(*shape)` / `rand(*shape)`.
import type { DType } from "./backend.js";
import { allocate } from "./creation.js";
import { ArgumentError, describe } from "./errors.js";
import { Rng } from "./random.js";
import { checkShape, sizeOf, type Shape } from "./shape.js";
import { Tensor } from "./tensor.js";

function check(op: string, shape: Shape, rng: unknown): void {
  checkShape(op, shape);
  if (!(rng instanceof Rng)) throw new ArgumentError(`${op}: rng must be an Rng (from rng(seed)), got ${describe(rng)}`);
}

function fromDraws(draws: Float64Array, shape: Shape, dtype: DType | undefined): Tensor {
  if (dtype === undefined || dtype === "float64") return new Tensor(draws, shape.slice());
  const data = allocate(draws.length, dtype);
  data.set(draws);
  return new Tensor(data, shape.slice());
}

/**
 * Standard normal values of `shape`, drawn in row-major order (numpy's `randn(*shape)`:
 * `size` draws of the legacy polar method, including its cached second value).
 *
 * @example
 * ```ts
 * import { randn, rng } from "@hone/tensor";
 * randn([2, 2], rng(3)).toArray(); // np.random.seed(3); np.random.randn(2, 2)
 * ```
 */
export function randn(shape: Shape, rng: Rng, options: { dtype?: DType } = {}): Tensor {
  check("randn", shape, rng);
  return fromDraws(rng.randnArray(sizeOf(shape)), shape, options.dtype);
}

/**
 * Uniform values in [0, 1) of `shape`, drawn in row-major order (numpy's `rand(*shape)`).
 *
 * @example
 * ```ts
 * import { rand, rng } from "@hone/tensor";
 * rand([3], rng(1)).toArray(); // np.random.seed(1); np.random.rand(3)
 * ```
 */
export function rand(shape: Shape, rng: Rng, options: { dtype?: DType } = {}): Tensor {
  check("rand", shape, rng);
  return fromDraws(rng.rand(sizeOf(shape)), shape, options.dtype);
}
