// checkModel: the gradient check of a whole model with its loss and penalty, one row per
// named parameter. The model runs in eval mode (dropout off) and its parameters are
// perturbed in place and restored exactly; modes and gradients are restored afterwards.
import { LeakyReLU, Module, ReLU, type Loss, type Penalty } from "@hone/nn";
import {
  ArgumentError, DTypeError, ShapeError, Tensor, add, backward, describe, formatShape, noGrad, type Rng,
} from "@hone/tensor";
import { float32Message } from "./gradcheck.js";
import { centralDifferences, nanArray, selectComponents, type PerturbTarget } from "./numeric.js";
import {
  buildReport, checkEpsilon, checkWorst, resolveThresholds, unravel, type GradcheckResult, type Thresholds,
} from "./report.js";
import { walk } from "./walk.js";

/** Options for `checkModel`. */
export interface CheckModelOptions {
  /** A cost term added to the loss (L2 from `@hone/regularize`), called as `penalty(model, m)`. Default none. */
  penalty?: Penalty;
  /** The step of the two-sided difference. Default `1e-7`. */
  epsilon?: number;
  /** Where the verdict tiers start. Default correct ≤ 2e-7, wrong ≥ 1e-3. */
  thresholds?: Thresholds;
  /** Check only this many parameter components, drawn without replacement with `rng`. Default: all. */
  sample?: number;
  /** The generator that draws the sampled components (required with `sample`). */
  rng?: Rng;
  /** How many worst components each row lists. Default `3`. */
  worst?: number;
  /** A ReLU input with `|z| < kinkMargin · ε` counts as sitting on the kink. Default `10`. */
  kinkMargin?: number;
}

/** A ReLU-like layer whose input sits within the kink margin of 0 at the check point. */
export interface KinkWarning {
  /** The activation module's path (`layers.1`). */
  layer: string;
  /** Its type: `"ReLU"` or `"LeakyReLU"`. */
  type: string;
  /** How many of its inputs are within the margin. */
  count: number;
  /** The smallest `|z|`. */
  minAbs: number;
  /** Where the smallest `|z|` is, in the layer's input. */
  index: number[];
}

/** A model's gradient check: the report, plus the ReLU kinks found at the check point. */
export interface ModelCheckResult extends GradcheckResult {
  /** ReLU/LeakyReLU inputs within `kinkMargin · ε` of 0 (also summarized in `warnings`). */
  kinks: KinkWarning[];
}

/** Notes, for each ReLU/LeakyReLU reached through Sequential chains, inputs within `tolerance` of 0. */
function scanKinks(model: Module, x: Tensor, tolerance: number): KinkWarning[] {
  const out: KinkWarning[] = [];
  walk(model, x, (path, layer, input) => {
    if (!(layer instanceof ReLU || layer instanceof LeakyReLU)) return;
    let count = 0, minAbs = Infinity, at = 0;
    for (let i = 0; i < input.size; i++) {
      const a = Math.abs(input.data[i]!);
      if (a < tolerance) count++;
      if (a < minAbs) { minAbs = a; at = i; }
    }
    if (count > 0) out.push({ layer: path, type: layer.getConfig().type, count, minAbs, index: unravel(at, input.shape) });
  });
  return out;
}

/**
 * Checks a model's backprop against two-sided differences of its cost
 * `loss(model(x), y) + penalty(model, m)` on one batch: the overall relative difference,
 * and one row per named parameter with its own difference and the indices where the
 * analytic and numeric gradients disagree most ("layers.2.bias is wrong, worst at [1]").
 *
 * The check runs in eval mode (dropout off; every module's previous mode is restored
 * afterwards, also on a throw), leaves the parameters' values and `.grad` as they were,
 * refuses float32, and warns when a ReLU/LeakyReLU input sits within `kinkMargin·ε` of 0
 * (seen through Sequential containers), where the numeric gradient crosses the kink.
 *
 * @example
 * ```ts
 * import { checkModel } from "@hone/gradcheck";
 * import { mlp, binaryCrossEntropyWithLogits } from "@hone/nn";
 * import { rng, randn, tensor } from "@hone/tensor";
 * const model = mlp([3, 4, 1], { activation: "tanh", rng: rng(0) });
 * const batch = { x: randn([5, 3], rng(1)), y: tensor([1, 0, 1, 1, 0]) };
 * const result = checkModel(model, binaryCrossEntropyWithLogits, batch);
 * console.log(result.verdict, result.rows.map((r) => r.name)); // "correct" ["layers.0.weight", …]
 * ```
 */
export function checkModel(model: Module, loss: Loss, batch: { x: Tensor; y: Tensor }, options: CheckModelOptions = {}): ModelCheckResult {
  const op = "checkModel";
  if (!(model instanceof Module)) throw new ArgumentError(`${op}: model must be a Module, got ${describe(model)}`);
  if (typeof loss !== "function") throw new ArgumentError(`${op}: loss must be a function (output, target) => Tensor, got ${describe(loss)}`);
  if (!(batch?.x instanceof Tensor) || !(batch?.y instanceof Tensor)) throw new ArgumentError(`${op}: batch must be { x: Tensor, y: Tensor }`);
  if (batch.x.rank < 1 || batch.x.shape[0] === 0) throw new ShapeError(`${op}: batch.x must have at least one row, got shape ${formatShape(batch.x.shape)}`);
  const penalty = options.penalty;
  if (penalty !== undefined && typeof penalty !== "function") throw new ArgumentError(`${op}: penalty must be a function (model, m) => Tensor, got ${describe(penalty)}`);
  const epsilon = checkEpsilon(op, options.epsilon);
  const thresholds = resolveThresholds(op, options.thresholds);
  const worst = checkWorst(op, options.worst);
  const margin = options.kinkMargin ?? 10;
  if (!(margin >= 0 && Number.isFinite(margin))) throw new ArgumentError(`${op}: kinkMargin must be a non-negative number, got ${String(options.kinkMargin)}`);
  const params = model.namedParameters();
  if (params.length === 0) throw new ArgumentError(`${op}: the model has no parameters to check`);
  for (const [name, p] of params) if (p.dtype !== "float64") throw new DTypeError(float32Message(op, `parameter ${name}`, "Build the model with dtype \"float64\" (the default) to check it."));
  if (batch.x.dtype !== "float64") throw new DTypeError(float32Message(op, "batch.x", "Pass a float64 batch (cast(x, \"float64\"))."));
  const x = batch.x.detach(), y = batch.y.detach();
  const m = x.shape[0]!;
  const chosen = selectComponents(op, params.map(([, p]) => p.size), options.sample, options.rng);

  const cost = (): Tensor => {
    const data = loss(model.forward(x), y);
    const c = penalty === undefined ? data : add(data, penalty(model, m));
    if (!(c instanceof Tensor) || c.size !== 1) throw new ShapeError(`${op}: the cost must be a scalar, got ${c instanceof Tensor ? formatShape(c.shape) : describe(c)}`);
    return c;
  };

  const modes = model.namedModules().map(([, mod]) => [mod, mod.training] as const);
  const savedGrads = params.map(([, p]) => p.grad);
  try {
    model.eval();
    const kinks = noGrad(() => scanKinks(model, x, margin * epsilon));

    // Analytic gradients, from fresh .grad.
    for (const [, p] of params) p.grad = null;
    const c = cost();
    const value = c.item();
    if (c.requiresGrad) backward(c);
    const analytic = params.map(([, p]) => (p.grad === null ? new Float64Array(p.size) : Float64Array.from(p.grad.data)));

    // Numeric gradients: each parameter component perturbed in place and restored.
    const targets: PerturbTarget[] = params.map(([name, p], k) => ({
      name, shape: p.shape.slice(), data: p.data as Float64Array, checked: chosen[k]!, numeric: nanArray(p.size),
    }));
    const warnings: string[] = kinks.map((k) =>
      `${k.layer === "" ? "the model" : k.layer} (${k.type}): ${k.count} input(s) within ${(margin * epsilon).toExponential(0)} of the kink at 0 (smallest |z| = ${k.minAbs.toExponential(2)} at [${k.index.join(",")}]); a step of ε can cross it, so the numeric gradient may disagree with backprop there without a bug`);
    noGrad(() => centralDifferences(targets, () => cost().item(), epsilon, warnings));

    const report = buildReport(
      targets.map((t, k) => ({ name: t.name, shape: t.shape, analytic: analytic[k]!, numeric: t.numeric, checked: t.checked })),
      { epsilon, thresholds, worst, cost: value, warnings },
    );
    return { ...report, kinks };
  } finally {
    for (const [mod, training] of modes) mod.training = training;
    params.forEach(([, p], k) => { p.grad = savedGrads[k]!; });
  }
}
