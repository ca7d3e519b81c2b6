// Examples of the "Normalizing inputs" page.
// #region fit-on-train
import { Standardizer, makeMoons, trainDevTestSplit } from "@hone/data-split";
import { Linear, binaryCrossEntropyWithLogits, fit, meanSquaredError, mlp } from "@hone/nn";
import { constant } from "@hone/init";
import { sgd } from "@hone/optim";
import { Tensor, matmul, mean, rng, tensor, variance } from "@hone/tensor";

/** Moons with the second feature in thousands, as a price next to a ratio might be. */
function unevenMoons(): { x: Tensor; y: Tensor } {
  const { x, y } = makeMoons({ samples: 1000, noise: 0.2, rng: rng(0) });
  const data = Float64Array.from(x.data, (v, i) => (i % 2 === 1 ? 1000 * v + 5000 : v));
  return { x: new Tensor(data, x.shape), y };
}

export function fitOnTrain(): { trainMean: number[]; trainVar: number[]; devMean: number[]; fitOnDev: string } {
  const { x, y } = unevenMoons();
  const split = trainDevTestSplit(x, y, { ratios: "60/20/20", rng: rng(1) });
  const scaler = new Standardizer().fit(split.train.x); // μ and σ of the training rows
  const xTrain = scaler.transform(split.train.x);
  const xDev = scaler.transform(split.dev.x);            // the same μ and σ

  let fitOnDev = "";
  try {
    new Standardizer().fit(split.dev.x);                 // a leak: refused
  } catch (error) {
    fitOnDev = (error as Error).message;
  }
  return {
    trainMean: mean(xTrain, 0).toList(),                 // [0, 0] up to rounding
    trainVar: variance(xTrain, 0).toList(),              // [1, 1]
    devMean: mean(xDev, 0).toList(),                     // near 0, not exactly 0
    fitOnDev,
  };
}
// #endregion fit-on-train

// #region training
/** The same network and learning rate on raw and on standardized inputs. */
export function rawVersusStandardized(): { raw: number; standardized: number } {
  const { x, y } = unevenMoons();
  const split = trainDevTestSplit(x, y, { ratios: "60/20/20", rng: rng(1) });
  const train = (xs: Tensor): number => {
    const model = mlp([2, 8, 1], { activation: "tanh", rng: rng(2) });
    const history = fit(model, { x: xs, y: split.train.y }, {
      loss: binaryCrossEntropyWithLogits, optimizer: sgd({ lr: 0.1 }), epochs: 200,
      batchSize: "full", onNonFinite: "continue",
    });
    return history.epochs.at(-1)!.trainLoss;
  };
  const scaler = new Standardizer().fit(split.train.x);
  return { raw: train(split.train.x), standardized: train(scaler.transform(split.train.x)) };
}
// #endregion training

// #region contours
/**
 * Linear regression ŷ = w₁x₁ + w₂x₂ on 200 rows whose second feature has 5 times the first's
 * spread: full-batch gradient descent from w = (−2, −2) for 25 steps, on raw and on standardized
 * inputs. Returns the weights after every step and the cost J(w) = mean((ŷ − y)²) at any w, for
 * drawing its contours.
 */
export function descentPath(standardize: boolean): { lr: number; path: [number, number][]; costAt: (w: [number, number]) => number } {
  const g = rng(8);
  const rows = 200;
  const x = new Tensor(Float64Array.from({ length: 2 * rows }, (_, i) => (i % 2 === 0 ? 1 : 5) * g.randn()), [rows, 2]);
  const y = new Tensor(Float64Array.from({ length: rows }, (_, i) => x.data[2 * i]! + 0.4 * x.data[2 * i + 1]! + 0.3 * g.randn()), [rows]);
  const xs = standardize ? new Standardizer().fitTransform(x) : x;
  const model = new Linear(2, 1, { bias: false, init: constant(-2) });
  const weight = model.parameters()[0]!;
  // Raw: J is 25 times steeper across w₂ than along w₁, and any rate above 2/50 = 0.04 diverges.
  const lr = standardize ? 0.4 : 0.036;
  const path: [number, number][] = [[weight.data[0]!, weight.data[1]!]];
  fit(model, { x: xs, y }, {
    loss: meanSquaredError, optimizer: sgd({ lr }), epochs: 25, batchSize: "full",
    callbacks: [{ onBatchEnd: () => { path.push([weight.data[0]!, weight.data[1]!]); } }],
  });
  const costAt = ([w1, w2]: [number, number]): number =>
    meanSquaredError(matmul(xs, tensor([[w1], [w2]])), y).item();
  return { lr, path, costAt };
}
// descentPath(false) zigzags across the narrow valley of w₂ and crawls along w₁;
// descentPath(true) heads almost straight for the minimum.
// #endregion contours
