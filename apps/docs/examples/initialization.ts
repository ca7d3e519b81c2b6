// Examples of the "Weight initialization" page.
// #region variances
import { heNormal, lecunNormal, xavierNormal, zeros, randomNormal, type Initializer } from "@hone/init";
import { makeCircles } from "@hone/data-split";
import { Linear, binaryAccuracy, binaryCrossEntropyWithLogits, fit, infer, mlp } from "@hone/nn";
import { sgd } from "@hone/optim";
import { mean, randn, rng, square, variance, type Tensor } from "@hone/tensor";

/** The empirical variance of a (256, 512) weight: fanOut 256, fanIn 512. */
export function variances(): { he: number; lecun: number; xavier: number } {
  const draw = (init: Initializer, seed: number): number => variance(init([256, 512], { rng: rng(seed) })).item();
  return {
    he: draw(heNormal, 1),         // ≈ 2/512 = 0.00391
    lecun: draw(lecunNormal, 2),   // ≈ 1/512 = 0.00195, the course's "Xavier"
    xavier: draw(xavierNormal, 3), // ≈ 2/(512+256) = 0.00260, Glorot's
  };
}
// #endregion variances

// #region depth
/**
 * The mean square of the output of a 20-layer ReLU network (width 256, no training)
 * over the mean square of its input: how much of the signal survives the depth.
 */
export function signalThroughDepth(init: Initializer): number {
  const model = mlp([256, ...Array<number>(20).fill(256)], { init, rng: rng(4) });
  const x = randn([64, 256], rng(5));
  const out = infer(model, x);
  const meanSquare = (t: Tensor): number => mean(square(t)).item();
  return meanSquare(out) / meanSquare(x);
}
// signalThroughDepth(heNormal)    → about 1
// signalThroughDepth(lecunNormal) → about 2⁻²⁰ ≈ 1e-6: each ReLU layer halves it

/** What each Linear layer of a 5-layer ReLU network (width 100, no training) outputs on 100 random inputs. */
export function activationsByLayer(init: Initializer): Float64Array[] {
  const model = mlp([100, 100, 100, 100, 100, 100], { init, rng: rng(6) });
  let a = randn([100, 100], rng(7));
  const outputs: Float64Array[] = [];
  for (const layer of model.layers.items) {
    a = infer(layer, a);
    if (layer instanceof Linear) outputs.push(Float64Array.from(a.data)); // z = a·Wᵀ + b, before the ReLU
  }
  return outputs;
}
// zeros: every z is 0; randomNormal({ std: 10 }): z grows about 70× a layer; heNormal: the same spread at every depth
// #endregion depth

// #region symmetry
/** Train accuracy of a 2→10→5→1 ReLU network on circles after 1500 steps, by initializer. */
export function trainWith(init: Initializer): { firstLoss: number; accuracy: number } {
  const data = makeCircles({ samples: 300, noise: 0.05, rng: rng(1) });
  const model = mlp([2, 10, 5, 1], { init, rng: rng(3) });
  const history = fit(model, data, {
    loss: binaryCrossEntropyWithLogits, optimizer: sgd({ lr: 0.05 }), epochs: 1500,
    metrics: { accuracy: binaryAccuracy({ from: "logits" }) }, evaluateEvery: 1500,
  });
  return { firstLoss: history.epochs[0]!.trainLoss, accuracy: history.epochs.at(-1)!.train!.accuracy };
}

/** The course's three cases. */
export function initializationExperiment(): Record<"zeros" | "large" | "he", { firstLoss: number; accuracy: number }> {
  return {
    zeros: trainWith(zeros),                      // 50%: every hidden unit computes the same thing
    large: trainWith(randomNormal({ std: 10 })),  // a huge first cost, slow progress
    he: trainWith(heNormal),                      // well above 90%
  };
}
// #endregion symmetry
