// checkGradientVector: the course's workflow for a hand-written backward pass. The
// parameters are rolled into one vector θ, the user's backward pass gives its gradient,
// and named segments of θ (W1, b1, …) become the report's rows.
import { ArgumentError, DTypeError, ShapeError, describe, sizeOf, type Rng } from "@hone/tensor";
import { float32Message } from "./gradcheck.js";
import { centralDifferences, nanArray, selectComponents, type PerturbTarget } from "./numeric.js";
import {
  buildReport, checkEpsilon, checkWorst, resolveThresholds, type GradcheckResult, type Thresholds,
} from "./report.js";

/** A named piece of θ: the next `size(shape)` entries, row-major. */
export interface Segment {
  /** The row's name (`W1`, `b1`). */
  name: string;
  /** Its shape (`[5, 4]`); its entries are the next `product(shape)` entries of θ. */
  shape: readonly number[];
}

/** What `checkGradientVector` checks. */
export interface GradientVectorCheck {
  /** The cost `J(θ)`; called with perturbed copies of θ, so it must read only its argument. */
  cost: (theta: Float64Array) => number;
  /** The point to check at (not modified). */
  theta: Float64Array;
  /** The gradient `dJ/dθ` that the hand-written backward pass gives at `theta`. */
  grad: Float64Array | readonly number[];
  /** How θ splits into named blocks, in order; their sizes must add up to θ's length. Default one segment `theta`. */
  segments?: readonly Segment[];
  /** The step of the two-sided difference. Default `1e-7`. */
  epsilon?: number;
  /** Where the verdict tiers start. Default correct ≤ 2e-7, wrong ≥ 1e-3. */
  thresholds?: Thresholds;
  /** Check only this many components, drawn without replacement with `rng`. Default: all. */
  sample?: number;
  /** The generator that draws the sampled components (required with `sample`). */
  rng?: Rng;
  /** How many worst components each row lists. Default `3`. */
  worst?: number;
}

/**
 * Checks a gradient vector from a hand-written backward pass against two-sided
 * differences of `cost`, the course's `gradient_check_n`: θ is copied, component `i` is
 * set to `θᵢ + ε` and `θᵢ − ε` in turn, and `gradapprox[i] = (J⁺ − J⁻) / 2ε`. The report
 * has one row per segment, naming the blocks that are wrong and where.
 *
 * @example
 * ```ts
 * import { checkGradientVector } from "@hone/gradcheck";
 * // J(θ) = θ₀² + 3θ₁, gradient (2θ₀, 3), with a planted bug in the second entry.
 * const result = checkGradientVector({
 *   cost: (t) => t[0]! ** 2 + 3 * t[1]!,
 *   theta: Float64Array.from([1.5, -2]),
 *   grad: [3, 6],
 *   segments: [{ name: "a", shape: [1] }, { name: "b", shape: [1] }],
 * });
 * console.log(result.verdict, result.failing); // "wrong" ["b"]
 * ```
 */
export function checkGradientVector(check: GradientVectorCheck): GradcheckResult {
  const op = "checkGradientVector";
  if (typeof check?.cost !== "function") throw new ArgumentError(`${op}: cost must be a function (theta: Float64Array) => number, got ${describe(check?.cost)}`);
  const { theta, grad } = check;
  if (theta instanceof Float32Array) throw new DTypeError(float32Message(op, "theta", "Pass a Float64Array."));
  if (!(theta instanceof Float64Array)) throw new ArgumentError(`${op}: theta must be a Float64Array, got ${describe(theta)}`);
  if (grad instanceof Float32Array) throw new DTypeError(float32Message(op, "grad", "Pass a Float64Array."));
  if (!(grad instanceof Float64Array) && !Array.isArray(grad)) throw new ArgumentError(`${op}: grad must be a Float64Array or an array of numbers, got ${describe(grad)}`);
  if (grad.length !== theta.length) throw new ShapeError(`${op}: grad has ${grad.length} entries but theta has ${theta.length}`);
  const segments = check.segments ?? [{ name: "theta", shape: [theta.length] }];
  let total = 0;
  segments.forEach((s, i) => {
    if (typeof s?.name !== "string" || !Array.isArray(s.shape) || s.shape.some((d) => !Number.isInteger(d) || d < 0)) {
      throw new ArgumentError(`${op}: segments[${i}] must be { name: string, shape: non-negative integers }, got ${describe(s)}`);
    }
    total += sizeOf(s.shape);
  });
  if (total !== theta.length) {
    throw new ShapeError(`${op}: the segments hold ${total} entries (${segments.map((s) => `${s.name} [${s.shape.join(",")}]`).join(", ")}) but theta has ${theta.length}`);
  }
  const epsilon = checkEpsilon(op, check.epsilon);
  const thresholds = resolveThresholds(op, check.thresholds);
  const worst = checkWorst(op, check.worst);
  const sizes = segments.map((s) => sizeOf(s.shape));
  const chosen = selectComponents(op, sizes, check.sample, check.rng);

  const work = Float64Array.from(theta);
  const cost = check.cost(Float64Array.from(theta));
  // One perturbation target per segment: a view into the working copy of θ.
  let offset = 0;
  const targets: PerturbTarget[] = segments.map((s, k) => {
    const t = { name: s.name, shape: s.shape.slice(), data: work.subarray(offset, offset + sizes[k]!), checked: chosen[k]!, numeric: nanArray(sizes[k]!) };
    offset += sizes[k]!;
    return t;
  });
  const warnings: string[] = [];
  // The cost sees a fresh copy each time, so a cost that writes to its argument cannot corrupt θ.
  centralDifferences(targets, () => check.cost(Float64Array.from(work)), epsilon, warnings);

  offset = 0;
  const g = Float64Array.from(grad);
  return buildReport(
    targets.map((t, k) => {
      const analytic = g.slice(offset, offset + sizes[k]!);
      offset += sizes[k]!;
      return { name: t.name, shape: t.shape, analytic, numeric: t.numeric, checked: t.checked };
    }),
    { epsilon, thresholds, worst, cost, warnings },
  );
}
