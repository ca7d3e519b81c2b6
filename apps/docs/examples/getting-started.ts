// The first model of the getting-started page: two moons, a 60/20/20 split, inputs
// standardized with the training statistics, a 2→16→16→1 ReLU network trained with Adam.
// #region first-model
import { makeMoons, trainDevTestSplit, Standardizer } from "@hone/data-split";
import { mlp, fit, evaluate, binaryCrossEntropyWithLogits, binaryAccuracy } from "@hone/nn";
import { adam } from "@hone/optim";
import { rng } from "@hone/tensor";

export function firstModel(): { devAccuracy: number; testAccuracy: number; firstLoss: number; lastLoss: number } {
  const { x, y } = makeMoons({ samples: 1000, noise: 0.2, rng: rng(1) });
  const split = trainDevTestSplit(x, y, { ratios: "60/20/20", rng: rng(2) });
  const scaler = new Standardizer().fit(split.train.x); // fit on train only
  const train = { x: scaler.transform(split.train.x), y: split.train.y };
  const dev = { x: scaler.transform(split.dev.x), y: split.dev.y };
  const test = { x: scaler.transform(split.test.x), y: split.test.y };

  const model = mlp([2, 16, 16, 1], { rng: rng(3) }); // He init for ReLU; one logit out
  const accuracy = binaryAccuracy({ from: "logits" });
  const history = fit(model, train, {
    loss: binaryCrossEntropyWithLogits, optimizer: adam({ lr: 0.01 }),
    epochs: 60, batchSize: 64, rng: rng(4), dev, metrics: { accuracy },
  });

  const last = history.epochs.at(-1)!;
  return {
    devAccuracy: last.dev!.accuracy!,
    testAccuracy: evaluate(model, test, { metrics: { accuracy } }).metrics.accuracy!, // once, at the very end
    firstLoss: history.epochs[0]!.trainLoss,
    lastLoss: last.trainLoss,
  };
}
// #endregion first-model
