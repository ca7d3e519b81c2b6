// Examples of the "Gradient checking" page.
// #region one-dimensional
import { checkModel, gradcheck, verdictOf, type Verdict } from "@hone/gradcheck";
import { Module, Sequential, ReLU, Linear, mlp, binaryCrossEntropyWithLogits, type ModuleConfig } from "@hone/nn";
import { dropoutAfterHidden, l2 } from "@hone/regularize";
import { add, customOp, matmul, mul, randn, rng, sum, tensor, type Tensor } from "@hone/tensor";

/** J(θ) = θ·x at x = 2, θ = 4, by hand: the two-sided difference and the relative error. */
export function oneDimensional(): { numeric: number; difference: number } {
  const J = (theta: number): number => theta * 2;
  const theta = 4, epsilon = 1e-7;
  const numeric = (J(theta + epsilon) - J(theta - epsilon)) / (2 * epsilon); // error O(ε²)
  const analytic = 2;                                                         // dJ/dθ = x
  const difference = Math.abs(analytic - numeric) / (Math.abs(analytic) + Math.abs(numeric));
  return { numeric, difference };
}

/** The tiers: correct up to 2e-7, wrong from 1e-3, "look closer" in between. */
export function tiers(): Verdict[] {
  return [verdictOf(1e-9), verdictOf(1e-5), verdictOf(0.28)]; // ["correct", "suspicious", "wrong"]
}
// #endregion one-dimensional

// #region custom-op
/** A hand-written backward pass, checked: cube(x) = x³, so d/dx = 3x². */
export function checkCube(factor: number): Verdict {
  const cube = customOp({
    name: "cube",
    forward: (x) => mul(mul(x!, x!), x!),
    backward: (g, [x]) => [mul(g, mul(mul(x!, x!), factor))], // factor 3 is right
  });
  return gradcheck((x) => sum(cube(x)), [tensor([0.5, -1.2, 2])]).verdict;
}
// checkCube(3) → "correct";  checkCube(2) → "wrong"
// #endregion custom-op

// #region find-the-bug
/** A dense layer with its own backward pass, and a planted bug: the bias gradient is doubled. */
class HandLinear extends Module {
  readonly weight: Tensor;
  readonly bias: Tensor;
  constructor(inputs: number, outputs: number, seed: number) {
    super();
    this.weight = this.registerParameter("weight", mul(randn([outputs, inputs], rng(seed)), Math.sqrt(2 / inputs)));
    this.bias = this.registerParameter("bias", tensor(Array<number>(outputs).fill(0.1)));
  }
  static readonly affine = customOp({
    name: "affine",
    forward: (x, w, b) => add(matmul(x!, w!, { transposeB: true }), b!),                  // x·Wᵀ + b
    backward: (g, [x, w]) => [matmul(g, w!), matmul(g, x!, { transposeA: true }), mul(sum(g, 0), 2)], // bug: ×2
  });
  forward(x: Tensor): Tensor { return HandLinear.affine(x, this.weight, this.bias); }
  getConfig(): ModuleConfig { return { type: "HandLinear", config: {} }; }
}

export function findTheBug(): { verdict: Verdict; failing: string[]; rows: { name: string; difference: number; verdict: Verdict }[] } {
  const model = new Sequential([new Linear(3, 5, { rng: rng(0) }), new ReLU(), new HandLinear(5, 1, 1)]);
  const batch = { x: randn([8, 3], rng(2)), y: tensor([0, 1, 1, 0, 1, 0, 0, 1]) };
  const result = checkModel(model, binaryCrossEntropyWithLogits, batch, { penalty: l2({ lambda: 0.7 }) });
  return { verdict: result.verdict, failing: result.failing, rows: result.rows.map((r) => ({ name: r.name, difference: r.difference, verdict: r.verdict })) };
}
// failing → ["layers.2.bias"]: the other parameters' gradients are correct
// #endregion find-the-bug

// #region dropout-off
/** A model with dropout (keepProb 0.5): checkModel runs it in eval mode, so the cost is one function. */
export function checkWithDropout(): { verdict: Verdict; stillTraining: boolean } {
  const [initRng, dropRng] = rng(3).spawn(2);
  const model = mlp([3, 6, 6, 1], {
    activation: "tanh", rng: initRng!, afterHidden: dropoutAfterHidden({ keepProb: 0.5, rng: dropRng! }),
  });
  const batch = { x: randn([8, 3], rng(4)), y: tensor([0, 1, 1, 0, 1, 0, 0, 1]) };
  const result = checkModel(model, binaryCrossEntropyWithLogits, batch);
  return { verdict: result.verdict, stillTraining: model.training }; // the previous mode is restored
}
// #endregion dropout-off
