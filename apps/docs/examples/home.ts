// The home page's example: a script to paste, from data to a trained model, in
// lines that fit the home page's column (at most 72 characters). Running it
// trains the model and prints its dev accuracy (test/examples.test.ts imports
// it and reads that number).
// #region ten-lines
import { makeMoons, trainDevTestSplit } from "@hone/data-split";
import { mlp, fit, binaryAccuracy } from "@hone/nn";
import { binaryCrossEntropyWithLogits } from "@hone/nn";
import { adam } from "@hone/optim";
import { rng } from "@hone/tensor";

const { x, y } = makeMoons({ samples: 1000, noise: 0.2, rng: rng(1) });
const split = { ratios: "60/20/20", rng: rng(2) };
const { train, dev } = trainDevTestSplit(x, y, split);
const model = mlp([2, 16, 16, 1], { rng: rng(3) }); // He init for ReLU
const history = fit(model, train, {
  loss: binaryCrossEntropyWithLogits, optimizer: adam({ lr: 0.01 }),
  epochs: 60, batchSize: 64, rng: rng(4), dev,
  metrics: { accuracy: binaryAccuracy({ from: "logits" }) },
});
console.log(history.epochs.at(-1)!.dev!.accuracy); // about 0.96
// #endregion ten-lines
