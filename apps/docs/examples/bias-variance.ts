// Examples of the "Bias and variance" page.
// #region diagnose
import {
  Standardizer, diagnose, estimateBaseError, learningCurve, makeMoons, moonsBayesError, trainDevTestSplit, wilsonInterval,
  type BaseErrorEstimate, type Diagnosis, type Proportion, type Verdict,
} from "@hone/data-split";
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

// #region base-error
/** The base error of moons: known from the generator, and estimated from a training split alone. */
export function moonsBaseError(): { known: number; bayesAt03: number; estimate: BaseErrorEstimate } {
  // The generator knows its distribution, so it knows the best error any classifier can reach.
  const known = makeMoons({ samples: 400, noise: 0.2, rng: rng(1) }).bayesError!;   // 0.02896

  // On data without a known figure: a k-NN estimate from the training split only, on
  // standardized features (neighbours depend on the features' scales).
  const { x, y } = makeMoons({ samples: 2000, noise: 0.3, rng: rng(2) });
  const split = trainDevTestSplit(x, y, { ratios: "60/20/20", rng: rng(3) });
  const scaler = new Standardizer().fit(split.train.x);
  const estimate = estimateBaseError(scaler.transform(split.train.x), split.train.y, { rng: rng(4) });
  return { known, bayesAt03: moonsBayesError({ noise: 0.3 }), estimate };  // 0.0854; estimate 0.092 [0.075, 0.112]
}
// #endregion base-error

// #region sampling-noise
/** The same error rates, measured on 200 and on 20,000 dev examples. */
export function samplingNoise(): { sixOf200: Proportion; noneOf30: Proportion; small: Diagnosis; large: Diagnosis } {
  const train = { errors: 60, n: 6000 };                                   // 1% train error
  return {
    sixOf200: wilsonInterval(6, 200),                                      // 3%: [1.38%, 6.39%]
    noneOf30: wilsonInterval(0, 30),                                       // 0%: [0, 11.35%]
    small: diagnose({ trainError: train, devError: { errors: 10, n: 200 } }),     // 5%: "too few dev examples"
    large: diagnose({ trainError: train, devError: { errors: 1000, n: 20_000 } }), // 5%: "high variance"
  };
}
// #endregion sampling-noise

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

// #region three-models
/**
 * Three networks on the same 300 noisy moons: too simple (logistic regression), about right,
 * and too big for the data (trained far too long). Each is diagnosed from its error counts
 * against the data set's Bayes error.
 */
export function threeFits(): { train: { x: Tensor; y: Tensor }; fits: { name: string; model: Module; diagnosis: Diagnosis }[] } {
  const noise = 0.3;
  const train = makeMoons({ samples: 300, noise, rng: rng(10) });
  const dev = makeMoons({ samples: 2000, noise, rng: rng(11) });               // the same distribution
  const errors = (model: Module, d: { x: Tensor; y: Tensor }): { errors: number; n: number } =>
    ({ errors: Math.round(errorRate(predictBinary(infer(model, d.x), { from: "logits" }), d.y) * d.y.size), n: d.y.size });
  const baseError = moonsBayesError({ noise });                             // 0.0854
  const fitOne = (name: string, layers: number[], epochs: number, lr: number): { name: string; model: Module; diagnosis: Diagnosis } => {
    const model = mlp(layers, { rng: rng(12) });
    fit(model, train, { loss: binaryCrossEntropyWithLogits, optimizer: adam({ lr }), epochs, batchSize: "full" });
    const diagnosis = diagnose({ trainError: errors(model, train), devError: errors(model, dev), baseError });
    return { name, model, diagnosis };
  };
  return {
    train,
    fits: [
      fitOne("2→1 (logistic regression)", [2, 1], 100, 0.03),
      fitOne("2→8→1", [2, 8, 1], 300, 0.03),
      fitOne("2→40→40→1, 600 epochs", [2, 40, 40, 1], 600, 0.05),
    ],
  };
}
// threeFits().fits.map((f) => f.diagnosis.verdict) → ["high bias", "fine", "high variance"]
// #endregion three-models
