// Examples of the "Augmentation and early stopping" page.
// #region augment
import { makeMoons } from "@hone/data-split";
import { binaryCrossEntropyWithLogits, evaluate, fit, mlp } from "@hone/nn";
import { adam } from "@hone/optim";
import { augmentPipeline, earlyStopping, gaussianNoise, randomFlip, randomShift } from "@hone/regularize";
import { gatherRows, rng, tensor } from "@hone/tensor";

/** A flip and a shift of one 2×3 image, (batch, height, width, channels). */
export function transforms(): { flipped: number[]; shifted: number[] } {
  const image = tensor([[[[1], [2], [3]], [[4], [5], [6]]]]); // shape [1, 2, 3, 1]
  const flip = randomFlip({ rng: rng(0), probability: 1 });    // always mirror left-right
  const shift = randomShift({ rng: rng(0), maxDx: 1 });        // dx drawn from {−1, 0, 1}
  return { flipped: flip(image).toList(), shifted: shift(image).toList() };
}
// flipped → [3, 2, 1, 6, 5, 4]

/** fit's augment option: a fresh noisy copy of each training batch, never of the dev set. */
export function trainWithNoise(): number {
  const train = makeMoons({ samples: 200, noise: 0.2, rng: rng(1) });
  const model = mlp([2, 32, 1], { rng: rng(2) });
  fit(model, train, {
    loss: binaryCrossEntropyWithLogits, optimizer: adam({ lr: 0.01 }), epochs: 100, batchSize: 50, rng: rng(3),
    augment: augmentPipeline([gaussianNoise({ rng: rng(4), std: 0.1 })]),
  });
  return evaluate(model, train, { loss: binaryCrossEntropyWithLogits }).loss!;
}
// #endregion augment

// #region digits
import { loadDigits, trainDevTestSplit } from "@hone/data-split";
import { cnn, errorRate, predictClass, softmaxCrossEntropy } from "@hone/nn";

/**
 * A CNN on the first 300 training images of the 8×8 digits, with or without random
 * one-pixel shifts of every training batch. Returns the train and dev error.
 */
export function digitsRun(seed: number, shift: boolean, epochs = 300): { trainError: number; devError: number } {
  const digits = loadDigits({ range: "unit" }); // x: [1797, 8, 8, 1], pixels in [0, 1]
  const { train, dev } = trainDevTestSplit(digits.x, digits.y, { ratios: "60/20/20", rng: rng(0) });
  const first = Array.from({ length: 300 }, (_, i) => i);
  const few = { x: gatherRows(train.x, first), y: gatherRows(train.y, first) }; // a small training set
  const model = cnn([8, 8, 1], { conv: [16, 32], dense: [64, 10], rng: rng(seed) });
  const augment = shift ? augmentPipeline([randomShift({ rng: rng(100 + seed), maxDx: 1, maxDy: 1 })]) : undefined;
  fit(model, few, {
    loss: softmaxCrossEntropy, optimizer: adam({ lr: 0.01 }), epochs, batchSize: 64, rng: rng(200 + seed),
    ...(augment ? { augment } : {}),
  });
  model.eval();
  const error = (p: { x: typeof few.x; y: typeof few.y }): number => errorRate(predictClass(model.forward(p.x)), p.y);
  return { trainError: error(few), devError: error(dev) };
}

/** Both variants on each seed: the variance is devError − trainError. */
export function augmentationExperiment(seeds: number[]): { seed: number; plain: ReturnType<typeof digitsRun>; shifted: ReturnType<typeof digitsRun> }[] {
  return seeds.map((seed) => ({ seed, plain: digitsRun(seed, false), shifted: digitsRun(seed, true) }));
}
// #endregion digits

// #region early-stopping
/** A big network on 60 noisy points: the dev loss falls, then rises as it overfits. */
export function stopEarly(): {
  bestEpoch: number; stoppedEpoch: number | null; epochsRun: number; bestValue: number; restoredDevLoss: number;
  trainLoss: number[]; devLoss: number[];
} {
  const train = makeMoons({ samples: 60, noise: 0.35, rng: rng(3) });
  const dev = makeMoons({ samples: 500, noise: 0.35, rng: rng(4) });
  const model = mlp([2, 64, 64, 1], { rng: rng(5) });
  const stopper = earlyStopping({ monitor: "devLoss", patience: 25, restoreBest: true });
  const history = fit(model, train, {
    loss: binaryCrossEntropyWithLogits, optimizer: adam({ lr: 0.01 }), epochs: 2000, batchSize: "full",
    dev, callbacks: [stopper],
  });
  const { bestEpoch, bestValue, stoppedEpoch } = stopper.result;
  return {
    bestEpoch, bestValue, stoppedEpoch, epochsRun: history.epochs.length,
    restoredDevLoss: evaluate(model, dev, { loss: binaryCrossEntropyWithLogits }).loss!, // the best epoch's weights
    trainLoss: history.epochs.map((e) => e.trainLoss), devLoss: history.epochs.map((e) => e.devLoss!),
  };
}
// #endregion early-stopping
