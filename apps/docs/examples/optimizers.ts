// Examples of the "Optimizers and schedules" page.
// #region compare
import { makeMoons, Standardizer } from "@hone/data-split";
import { binaryCrossEntropyWithLogits, fit, mlp, type OptimizerLike } from "@hone/nn";
import { adam, momentum, rmsprop, sgd, inverseTimeDecay, steppedInverseTimeDecay, exponentialDecay, cosineDecay } from "@hone/optim";
import { rng, tensor } from "@hone/tensor";

/** The same network, data, batches and number of steps; only the optimizer changes. The cost after each epoch. */
export function costs(optimizer: OptimizerLike): number[] {
  const raw = makeMoons({ samples: 300, noise: 0.2, rng: rng(3) });
  const x = new Standardizer().fitTransform(raw.x);
  const model = mlp([2, 5, 2, 1], { rng: rng(2) });
  const history = fit(model, { x, y: raw.y }, {
    loss: binaryCrossEntropyWithLogits, optimizer, epochs: 100, batchSize: 64, rng: (epoch) => rng(11 + epoch),
  });
  return history.epochs.map((e) => e.trainLoss);
}

export const finalCost = (optimizer: OptimizerLike): number => costs(optimizer).at(-1)!;

export const optimizers: Record<string, () => OptimizerLike> = {
  sgd: () => sgd({ lr: 0.01 }),                      // W −= α·dW
  momentum: () => momentum({ lr: 0.01, beta: 0.9 }), // v = β·v + (1 − β)·dW;  W −= α·v
  rmsprop: () => rmsprop({ lr: 0.01 }),              // s = β·s + (1 − β)·dW²; W −= α·dW/(√s + ε)
  adam: () => adam({ lr: 0.01 }),                    // both, bias-corrected;  W −= α·v̂/(√ŝ + ε)
};
// #endregion compare

// #region first-step
/** Adam's first step, for gradients of very different sizes: each weight moves by about α. */
export function adamFirstStep(): number[] {
  const w = tensor([1, 1, 1], { requiresGrad: true });
  w.grad = tensor([1e-4, 1, 1e4]);
  adam({ lr: 0.01 }).step([w]);
  return w.toList().map((v) => 1 - v); // v̂ = g, ŝ = g², so the step is α·g/(|g| + ε)
}
// #endregion first-step

// #region schedules
/** The learning rate of the first epochs under each schedule, α₀ = 0.1. */
export function schedules(): Record<string, number[]> {
  const at = (schedule: (t: number) => number): number[] => [0, 1, 2, 3, 10].map((t) => schedule(t));
  return {
    inverseTime: at(inverseTimeDecay({ initial: 0.1, decayRate: 1 })),                    // α₀/(1 + k·t)
    stepped: at(steppedInverseTimeDecay({ initial: 0.1, decayRate: 1, interval: 2 })),   // α₀/(1 + k·⌊t/2⌋)
    exponential: at(exponentialDecay({ initial: 0.1, rate: 0.5 })),                      // α₀·rᵗ
    cosine: at(cosineDecay({ initial: 0.1, total: 10 })),                                 // α₀·(1 + cos(π·t/T))/2
  };
}

/** fit reports each epoch's rate: the optimizer advances its schedule at every epoch's end. */
export function ratesDuringTraining(): number[] {
  const data = makeMoons({ samples: 100, noise: 0.2, rng: rng(0) });
  const history = fit(mlp([2, 4, 1], { rng: rng(1) }), data, {
    loss: binaryCrossEntropyWithLogits, epochs: 4,
    optimizer: sgd({ lr: inverseTimeDecay({ initial: 0.1, decayRate: 1 }) }),
  });
  return history.epochs.map((e) => e.learningRate!);
}
// #endregion schedules
