// Examples of the "Bias and variance" page.
// #region diagnose
import { diagnose, learningCurve, makeMoons, trainDevTestSplit, type Verdict } from "@hone/data-split";
import { binaryCrossEntropyWithLogits, errorRate, fit, infer, mlp, predictBinary, type Module } from "@hone/nn";
import { adam } from "@hone/optim";
import { rng, type Tensor } from "@hone/tensor";

/** The four cases of the basic recipe, then the same numbers against a 15% base error. */
export function fourCases(): Verdict[] {
  return [
    diagnose({ trainError: 0.01, devError: 0.11 }).verdict,                    // "high variance"
    diagnose({ trainError: 0.15, devError: 0.16 }).verdict,                    // "high bias"
    diagnose({ trainError: 0.15, devError: 0.30 }).verdict,                    // "high bias and high variance"
    diagnose({ trainError: 0.005, devError: 0.01 }).verdict,                   // "fine"
    diagnose({ trainError: 0.15, devError: 0.16, baseError: 0.15 }).verdict,   // "fine": the 15% is unavoidable
  ];
}
// #endregion diagnose

// #region learning-curve
/** Train and dev error of a 2→32→32→1 network trained on the first n rows, for growing n. */
export function moonsLearningCurve(): { size: number; trainError: number; devError: number }[] {
  const { x, y } = makeMoons({ samples: 1400, noise: 0.3, rng: rng(5) });
  const split = trainDevTestSplit(x, y, { counts: [1000, 200, 200], rng: rng(6) });
  const error = (model: Module, xs: Tensor, ys: Tensor): number =>
    errorRate(predictBinary(infer(model, xs), { from: "logits" }), ys);
  return learningCurve({
    sizes: [16, 64, 250, 1000],
    x: split.train.x, y: split.train.y, dev: split.dev,
    train: (xs, ys) => {
      const model = mlp([2, 32, 32, 1], { rng: rng(8) });
      fit(model, { x: xs, y: ys }, {
        loss: binaryCrossEntropyWithLogits, optimizer: adam({ lr: 0.01 }), epochs: 300, batchSize: "full",
      });
      return model;
    },
    evaluate: error,
  });
}
// #endregion learning-curve
