// gradcheck: the numeric gradient check of any function of tensors, built-in ops and
// custom ops alike. The inputs are copied into float64 leaves; the copies are perturbed,
// never the caller's tensors.
import {
  ArgumentError, DTypeError, Tensor, backward, describe, mul, noGrad, rng as makeRng, sum, type Rng,
} from "@hone/tensor";
import { centralDifferences, nanArray, selectComponents, type PerturbTarget } from "./numeric.js";
import {
  buildReport, checkEpsilon, checkWorst, resolveThresholds, type GradcheckResult, type Thresholds,
} from "./report.js";

/** Options for `gradcheck`. */
export interface GradcheckOptions {
  /** The step of the two-sided difference. Default `1e-7` (the course's). */
  epsilon?: number;
  /** Where the verdict tiers start. Default correct ≤ 2e-7, wrong ≥ 1e-3. */
  thresholds?: Thresholds;
  /** Indices of the inputs to check (others, like labels, are passed through unperturbed). Default: all. */
  wrt?: readonly number[];
  /** Row names for the inputs. Default `inputs[0]`, `inputs[1]`, …. */
  names?: readonly string[];
  /** Check float32 inputs on float64 copies instead of refusing them. Default `false`. */
  upcast?: boolean;
  /** Check only this many components, drawn without replacement with `rng`. Default: all. */
  sample?: number;
  /** The generator that draws the sampled components (required with `sample`). */
  rng?: Rng;
  /** Seed of the fixed N(0, 1) weights that reduce a non-scalar output to a scalar. Default `0`. */
  projectionSeed?: number;
  /** How many worst components each row lists. Default `3`. */
  worst?: number;
}

/** The message of the float32 refusal, shared by every checker. */
export function float32Message(op: string, what: string, remedy: string): string {
  return `${op}: ${what} is float32. A gradient check needs float64: ε = 1e-7 is below float32 resolution (about 1.2e-7 relative, 2⁻²³), so θ ± ε rounds back to θ or to a neighbour and the differences are rounding noise. ${remedy}`;
}

/**
 * Checks the gradients that backprop gives `fn` against two-sided differences
 * `(J(θ+ε) − J(θ−ε)) / 2ε`, one component of one input at a time, and reports the relative
 * difference `‖g − ĝ‖₂ / (‖g‖₂ + ‖ĝ‖₂)` overall and per input, with a verdict by tier and
 * the components that disagree most.
 *
 * `fn` must be deterministic. If it returns a non-scalar `y`, the check runs on the scalar
 * `Σ yᵢ·rᵢ` with fixed weights `r ~ N(0, 1)` (seed `projectionSeed`): every output element
 * contributes, and errors cannot cancel as they may under a plain sum (the sum of a
 * softmax is constant, for instance).
 *
 * @example
 * ```ts
 * import { gradcheck } from "@hone/gradcheck";
 * import { tensor, mul, sum } from "@hone/tensor";
 * const result = gradcheck((a, b) => sum(mul(a, b)), [tensor([1, 2]), tensor([3, 4])]);
 * console.log(result.verdict, result.difference); // "correct" 6.7e-10
 * ```
 */
export function gradcheck(fn: (...inputs: Tensor[]) => Tensor, inputs: readonly Tensor[], options: GradcheckOptions = {}): GradcheckResult {
  const op = "gradcheck";
  if (typeof fn !== "function") throw new ArgumentError(`${op}: fn must be a function of tensors, got ${describe(fn)}`);
  if (!Array.isArray(inputs as unknown)) throw new ArgumentError(`${op}: inputs must be an array of tensors, got ${describe(inputs)}`);
  inputs.forEach((x, i) => {
    if (!(x instanceof Tensor)) throw new ArgumentError(`${op}: inputs[${i}] must be a Tensor, got ${describe(x)}`);
  });
  const epsilon = checkEpsilon(op, options.epsilon);
  const thresholds = resolveThresholds(op, options.thresholds);
  const worst = checkWorst(op, options.worst);
  const wrt = options.wrt ?? inputs.map((_, i) => i);
  wrt.forEach((k, j) => {
    if (!Number.isInteger(k) || k < 0 || k >= inputs.length || wrt.indexOf(k) !== j) {
      throw new ArgumentError(`${op}: wrt must list distinct input indices in [0, ${inputs.length - 1}], got ${describe(wrt)}`);
    }
  });
  const names = options.names ?? inputs.map((_, i) => `inputs[${i}]`);
  if (names.length !== inputs.length) throw new ArgumentError(`${op}: names must have one entry per input (${inputs.length}), got ${names.length}`);
  const seed = options.projectionSeed ?? 0;

  // Float64 leaf copies of the checked inputs; the others pass through as given.
  const leaves = inputs.map((x, i) => {
    if (!wrt.includes(i)) return x;
    if (x.dtype !== "float64" && options.upcast !== true) throw new DTypeError(float32Message(op, names[i]!, "Pass float64 tensors, or { upcast: true } to check float64 copies."));
    return new Tensor(Float64Array.from(x.data), x.shape.slice(), true);
  });

  let projection: Tensor | null = null;
  const scalar = (y: Tensor): Tensor => {
    if (!(y instanceof Tensor)) throw new ArgumentError(`${op}: fn must return a Tensor, got ${describe(y)}`);
    if (y.size === 1) return y;
    projection ??= new Tensor(makeRng(seed).randnArray(y.size), y.shape.slice());
    if (projection.size !== y.size) throw new ArgumentError(`${op}: fn returned ${y.size} elements at one point and ${projection.size} at another`);
    return sum(mul(y, projection));
  };

  // Analytic gradients.
  const out = scalar(fn(...leaves));
  const cost = out.item();
  if (out.requiresGrad) backward(out);
  const checkedLeaves = wrt.map((k) => leaves[k]!);
  const chosen = selectComponents(op, checkedLeaves.map((l) => l.size), options.sample, options.rng);
  const targets: PerturbTarget[] = checkedLeaves.map((leaf, j) => ({
    name: names[wrt[j]!]!,
    shape: leaf.shape.slice(),
    data: leaf.data as Float64Array,
    checked: chosen[j]!,
    numeric: nanArray(leaf.size),
  }));
  const analytic = checkedLeaves.map((leaf) => (leaf.grad === null ? new Float64Array(leaf.size) : Float64Array.from(leaf.grad.data)));

  // Numeric gradients.
  const warnings: string[] = [];
  noGrad(() => centralDifferences(targets, () => scalar(fn(...leaves)).item(), epsilon, warnings));

  return buildReport(
    targets.map((t, j) => ({ name: t.name, shape: t.shape, analytic: analytic[j]!, numeric: t.numeric, checked: t.checked })),
    { epsilon, thresholds, worst, cost, warnings },
  );
}
