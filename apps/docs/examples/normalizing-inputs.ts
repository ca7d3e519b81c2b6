// Examples of the "Normalizing inputs" page.
// #region fit-on-train
import { Standardizer, makeMoons, trainDevTestSplit } from "@hone/data-split";
import { binaryCrossEntropyWithLogits, fit, mlp } from "@hone/nn";
import { sgd } from "@hone/optim";
import { Tensor, mean, rng, variance } from "@hone/tensor";

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
