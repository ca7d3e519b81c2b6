// The home page's example: a script to paste, ten lines from data to a trained model.
// #region ten-lines
import { makeMoons, trainDevTestSplit } from "@hone/data-split";
import { mlp, fit, binaryCrossEntropyWithLogits, binaryAccuracy } from "@hone/nn";
import { adam } from "@hone/optim";
import { rng } from "@hone/tensor";

const { x, y } = makeMoons({ samples: 1000, noise: 0.2, rng: rng(1) });  // seeded: the same rows everywhere
const { train, dev } = trainDevTestSplit(x, y, { ratios: "60/20/20", rng: rng(2) });
const model = mlp([2, 16, 16, 1], { rng: rng(3) });                     // He init for ReLU
const history = fit(model, train, {
  loss: binaryCrossEntropyWithLogits, optimizer: adam({ lr: 0.01 }), epochs: 60, batchSize: 64,
  rng: rng(4), dev, metrics: { accuracy: binaryAccuracy({ from: "logits" }) },
});
console.log(`dev accuracy ${history.epochs.at(-1)!.dev!.accuracy}`);       // about 0.96
// #endregion ten-lines
