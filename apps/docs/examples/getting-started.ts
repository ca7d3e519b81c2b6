// The first model of the getting-started page: two moons, a 60/20/20 split, inputs
// standardized with the training statistics, a 2→16→16→1 ReLU network trained with Adam;
// then the same training with fitAsync, which keeps a page (or a server) responsive.
// #region first-model
import { makeMoons, trainDevTestSplit, Standardizer } from "@hone/data-split";
import { mlp, fit, fitAsync, evaluate, binaryCrossEntropyWithLogits, binaryAccuracy, type EpochLog, type History, type Sequential } from "@hone/nn";
import { adam } from "@hone/optim";
import { rng, type Tensor } from "@hone/tensor";

type Part = { x: Tensor; y: Tensor };

/** The data, split and standardized with the training rows' statistics. */
export function moonsParts(): { train: Part; dev: Part; test: Part } {
  const { x, y } = makeMoons({ samples: 1000, noise: 0.2, rng: rng(1) });
  const split = trainDevTestSplit(x, y, { ratios: "60/20/20", rng: rng(2) });
  const scaler = new Standardizer().fit(split.train.x); // fit on train only
  const part = (p: Part): Part => ({ x: scaler.transform(p.x), y: p.y });
  return { train: part(split.train), dev: part(split.dev), test: part(split.test) };
}

const accuracy = binaryAccuracy({ from: "logits" });

export function firstModel(): { devAccuracy: number; testAccuracy: number; firstLoss: number; lastLoss: number } {
  const { train, dev, test } = moonsParts();
  const model = mlp([2, 16, 16, 1], { rng: rng(3) }); // He init for ReLU; one logit out
  const history = fit(model, train, {
    loss: binaryCrossEntropyWithLogits, optimizer: adam({ lr: 0.01 }),
    epochs: 60, batchSize: 64, rng: rng(4), dev, metrics: { accuracy },
  });

  const last = history.epochs.at(-1)!;
  return {
    devAccuracy: last.dev!.accuracy,
    testAccuracy: evaluate(model, test, { metrics: { accuracy } }).metrics.accuracy!, // once, at the very end
    firstLoss: history.epochs[0]!.trainLoss,
    lastLoss: last.trainLoss,
  };
}
// #endregion first-model

// #region fit-async
/**
 * The same training with fitAsync: the same numbers as fit, bit for bit, but it returns a
 * promise and gives the event loop a turn every `yieldEvery` ms, so a page keeps drawing
 * (here: after each epoch) and a button can stop it through an AbortSignal.
 */
export async function trainWithoutBlocking(
  options: { epochs?: number; signal?: AbortSignal; onEpoch?: (log: EpochLog<"accuracy">, model: Sequential) => void } = {},
): Promise<History<"accuracy">> {
  const { train, dev } = moonsParts();
  const model = mlp([2, 16, 16, 1], { rng: rng(3) });
  return fitAsync(model, train, {
    loss: binaryCrossEntropyWithLogits, optimizer: adam({ lr: 0.01 }),
    epochs: options.epochs ?? 60, batchSize: 64, rng: rng(4), dev, metrics: { accuracy },
    yieldEvery: 8, signal: options.signal,                      // at most 8 ms of training between turns
    callbacks: [{ onEpochEnd: (log) => options.onEpoch?.(log as EpochLog<"accuracy">, model) }],
  });
}
// await trainWithoutBlocking() → the history fit gives; 60 epochs at 96% dev accuracy
// #endregion fit-async
