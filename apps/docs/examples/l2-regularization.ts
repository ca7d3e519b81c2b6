// Examples of the "L2 regularization" page.
// #region by-hand
import { makeMoons } from "@hone/data-split";
import { binaryAccuracy, binaryCrossEntropyWithLogits, fit, mlp, type Module } from "@hone/nn";
import { adam, sgd, weightsOnly } from "@hone/optim";
import { l2 } from "@hone/regularize";
import { backward, rng, type Tensor } from "@hone/tensor";

/** L2's value and gradient for a 3→4→2 network and a batch of m = 5, against the formula. */
export function penaltyByHand(): { value: number; byHand: number; gradientError: number; biasGrad: Tensor | null } {
  const model = mlp([3, 4, 2], { rng: rng(0) });
  const lambda = 0.7, m = 5;
  const penalty = l2({ lambda })(model, m); // λ/(2m)·Σ‖W‖²_F over the weights, not the biases

  let squares = 0;
  for (const [name, p] of model.namedParameters()) {
    if (name.endsWith("weight")) for (const w of p.data) squares += w * w;
  }
  backward(penalty);
  const w = model.namedParameters().find(([name]) => name === "layers.0.weight")![1];
  let gradientError = 0; // dW should be λ/m·W
  w.data.forEach((v, i) => { gradientError = Math.max(gradientError, Math.abs(w.grad!.data[i]! - (lambda / m) * v)); });
  return {
    value: penalty.item(),
    byHand: (lambda / (2 * m)) * squares,
    gradientError,
    biasGrad: model.namedParameters().find(([name]) => name === "layers.0.bias")![1].grad,
  };
}
// #endregion by-hand

// #region weight-decay
/**
 * Full-batch gradient descent with l2({ lambda }) on the cost, and the same descent with
 * weight decay λ/m added to the weights' gradients: the same weights, step for step.
 */
export function l2IsWeightDecay(): number {
  const data = makeMoons({ samples: 200, noise: 0.2, rng: rng(1) });
  const lambda = 0.7, m = 200;
  const train = (penalized: boolean): Module => {
    const model = mlp([2, 8, 1], { rng: rng(2) });
    fit(model, data, {
      loss: binaryCrossEntropyWithLogits, epochs: 50, batchSize: "full",
      ...(penalized
        ? { penalty: l2({ lambda }), optimizer: sgd({ lr: 0.3 }) }
        : { optimizer: sgd({ lr: 0.3, weightDecay: lambda / m, weightDecayMask: weightsOnly }) }),
    });
    return model;
  };
  const a = train(true).parameters(), b = train(false).parameters();
  let largest = 0; // the largest difference between the two runs' parameters
  a.forEach((p, k) => p.data.forEach((v, i) => { largest = Math.max(largest, Math.abs(v - b[k]!.data[i]!)); }));
  return largest;
}
// #endregion weight-decay

// #region overfit
/** A 2→64→64→1 network on 40 noisy points, without and with L2. */
export function withAndWithoutL2(lambda: number): { trainAccuracy: number; devAccuracy: number; devLoss: number; weightNorm: number } {
  return trainWithL2(lambda).result;
}

/** The same, with the trained model and its training points (for drawing the boundary). */
export function trainWithL2(lambda: number): {
  model: Module; train: { x: Tensor; y: Tensor };
  result: { trainAccuracy: number; devAccuracy: number; devLoss: number; weightNorm: number };
} {
  const train = makeMoons({ samples: 40, noise: 0.35, rng: rng(3) });
  const dev = makeMoons({ samples: 500, noise: 0.35, rng: rng(4) });
  const model = mlp([2, 64, 64, 1], { rng: rng(5) });
  const accuracy = binaryAccuracy({ from: "logits" });
  const history = fit(model, train, {
    loss: binaryCrossEntropyWithLogits, optimizer: adam({ lr: 0.01 }), epochs: 400, batchSize: "full",
    penalty: l2({ lambda }), dev, metrics: { accuracy }, evaluateEvery: 400,
  });
  const last = history.epochs.at(-1)!;
  let squares = 0;
  for (const [name, p] of model.namedParameters()) if (name.endsWith("weight")) for (const w of p.data) squares += w * w;
  return {
    model, train,
    result: { trainAccuracy: last.train!.accuracy, devAccuracy: last.dev!.accuracy, devLoss: last.devLoss!, weightNorm: Math.sqrt(squares) },
  };
}
// withAndWithoutL2(0)  → fits the 40 points exactly, with large weights
// withAndWithoutL2(1)  → a smoother boundary: lower train accuracy, higher dev accuracy
// #endregion overfit
