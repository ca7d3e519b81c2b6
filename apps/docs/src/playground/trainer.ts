// One playground run, without any DOM: generate the data (or take a CSV's), split it into train and dev,
// standardize with the training statistics, build the network, and train it one epoch at a
// time with `fit`; read its decision boundary on a grid; diagnose bias and variance against
// the generator's Bayes error (a k-NN estimate for a CSV). The worker drives it; tests run it in Node.
import {
  Standardizer, diagnose, estimateBaseError, extentOf, gridPoints, makeCircles, makeMoons, makeSpirals, trainTestSplit, type Diagnosis,
} from "@hone/data-split";
import { heNormal, lecunNormal, randomNormal, xavierNormal, zeros, type Initializer } from "@hone/init";
import { classificationHead, evaluate, fit, infer, mlp, type ClassificationHead, type Module, type OptimizerLike, type Penalty } from "@hone/nn";
import { adam, momentum, rmsprop, sgd } from "@hone/optim";
import { dropoutAfterHidden, l2 } from "@hone/regularize";
import { HoneError, getBackend, rng, tensor, type Rng, type Tensor } from "@hone/tensor";
import { checkConfig, type InitName, type PlaygroundConfig } from "./config.js";
import type { BaseErrorShown, BoundaryGrid, EpochPoint, Extent, NetworkWeights, PlotPoints } from "./protocol.js";

/** Units drawn per layer in the network view; the rest are counted ("+ 240 more"). */
export const NETWORK_UNITS = 12;

/** Cells of the boundary grid along each axis. */
export const GRID = 72;

const INIT: Record<InitName, Initializer> = {
  he: heNormal,
  xavier: xavierNormal,
  lecun: lecunNormal,
  tiny: randomNormal({ std: 0.01 }),
  large: randomNormal({ std: 10 }),
  zeros,
};

/** A data set's rows, and its Bayes error when the generator knows it. */
interface Rows {
  x: Tensor;
  y: Tensor;
  baseError: BaseErrorShown | null;
}

function generate(c: PlaygroundConfig, dataRng: Rng): Rows {
  const data = c.dataset === "moons" ? makeMoons({ samples: c.samples, noise: c.noise, rng: dataRng })
    : c.dataset === "circles" ? makeCircles({ samples: c.samples, noise: c.noise, factor: 0.5, rng: dataRng })
      : makeSpirals({ samples: c.samples, noise: c.noise, classes: c.classes, rng: dataRng });
  const noise = `noise ${c.noise}`;
  const about = c.dataset === "spirals" ? `spirals (${c.classes} arms) at ${noise}` : c.dataset === "circles" ? `circles (factor 0.5) at ${noise}` : `moons at ${noise}`;
  const bayes = data.bayesError!;
  return { x: data.x, y: data.y, baseError: { value: bayes, low: bayes, high: bayes, label: `Bayes error of ${about}` } };
}

function fromCsv(c: PlaygroundConfig): Rows {
  const d = c.csv!;
  return { x: tensor(d.x, { shape: [d.y.length, 2] }), y: tensor(d.y), baseError: null };
}

function csvBaseError(train: { x: Tensor; y: Tensor }, stream: Rng): BaseErrorShown {
  const m = train.y.size;
  let e: ReturnType<typeof estimateBaseError>;
  try {
    e = estimateBaseError(train.x, train.y, { rng: stream });
  } catch (error) {
    if (!(error instanceof HoneError)) throw error;
    return { value: 0, low: 0, high: 0, label: "none: 0 assumed", note: `the base error could not be estimated (${error.message})` };
  }
  return {
    value: e.value, low: e.low, high: e.high, label: `${e.method}, on the ${m} training rows: a CSV's Bayes error is unknown, so it is estimated`,
    ...(e.reliable || e.note === undefined ? {} : { note: e.note }),
  };
}

function optimizerFor(c: PlaygroundConfig): OptimizerLike {
  switch (c.optimizer) {
    case "sgd": return sgd({ lr: c.lr });
    case "momentum": return momentum({ lr: c.lr, beta: 0.9 });
    case "rmsprop": return rmsprop({ lr: c.lr });
    case "adam": return adam({ lr: c.lr });
  }
}

/**
 * A run of `config`. The seed is split into five independent streams, in this order: data,
 * split, initial weights, mini-batch shuffling, dropout masks; so the same configuration
 * trains the same way every time, and changing, say, keepProb leaves the data and the
 * initial weights as they were.
 *
 * @example
 * ```ts
 * const t = new Trainer(defaultConfig());
 * t.step();        // one epoch
 * t.last.devAccuracy; // ≈ 0.85 after one epoch on moons
 * t.baseError.value;  // 0.02896: the Bayes error of moons at noise 0.2
 * t.diagnosis().verdict;
 * ```
 */
export class Trainer {
  readonly config: PlaygroundConfig;
  readonly head: ClassificationHead;
  readonly model: Module;
  readonly extent: Extent;
  readonly points: PlotPoints;
  /** The base error the diagnosis uses: the generator's Bayes error for this data set and noise. */
  readonly baseError: BaseErrorShown;
  /** What each class is called. */
  readonly classNames: string[];
  /** The features' names, horizontal then vertical. */
  readonly axes: [string, string];
  /** Epochs completed. */
  epoch = 0;
  /** The numbers of the latest epoch (epoch 0: the untrained model). */
  last: EpochPoint;
  readonly #train: { x: Tensor; y: Tensor };
  readonly #dev: { x: Tensor; y: Tensor };
  readonly #scaler: Standardizer;
  readonly #optimizer: OptimizerLike;
  readonly #penalty: Penalty | null;
  readonly #shuffle: Rng;
  #grid: Tensor | null = null;

  constructor(config: PlaygroundConfig) {
    const c = checkConfig(config);
    this.config = c;
    const [dataRng, splitRng, initRng, shuffleRng, dropoutRng] = rng(c.seed).spawn(5) as [Rng, Rng, Rng, Rng, Rng];
    const data = c.dataset === "csv" ? fromCsv(c) : generate(c, dataRng);
    let classes = 0;
    for (const v of data.y.data) classes = Math.max(classes, v + 1);
    this.head = classificationHead(Math.max(2, classes));
    const split = trainTestSplit(data.x, data.y, { ratios: [1 - c.devShare, c.devShare], stratify: true, rng: splitRng });
    this.#scaler = new Standardizer().fit(split.train.x);
    this.#train = { x: this.#scaler.transform(split.train.x), y: split.train.y };
    this.#dev = { x: this.#scaler.transform(split.test.x), y: split.test.y };
    // A generator knows its Bayes error; a CSV's is estimated by nearest neighbours on the
    // standardized training rows (never dev), from the data stream, which a CSV leaves unused.
    this.baseError = data.baseError ?? csvBaseError(this.#train, dataRng);
    this.classNames = c.dataset === "csv" ? [...c.csv!.classes] : Array.from({ length: this.head.classes }, (_, k) => String(k));
    this.axes = c.dataset === "csv" ? [...c.csv!.columns] : ["x₁", "x₂"];
    this.extent = extentOf(data.x);
    const m = data.y.size;
    const role = new Uint8Array(m);
    split.test.indices.forEach((i) => { role[i] = 1; });
    this.points = { xy: Float64Array.from(data.x.data), label: Uint8Array.from(data.y.data), role };

    this.model = mlp([2, ...c.hidden, this.head.outputs], {
      activation: c.activation,
      init: INIT[c.init],
      rng: initRng,
      ...(c.keepProb < 1 && c.hidden.length > 0 ? { afterHidden: dropoutAfterHidden({ keepProb: c.keepProb, rng: dropoutRng }) } : {}),
    });
    this.#optimizer = optimizerFor(c);
    this.#penalty = c.l2 > 0 ? l2({ lambda: c.l2 }) : null;
    this.#shuffle = shuffleRng;
    this.last = this.#measure();
  }

  /** Rows in the training and dev sets. */
  get sizes(): { train: number; dev: number } {
    return { train: this.#train.y.size, dev: this.#dev.y.size };
  }

  /** Trainable numbers in the model. */
  get parameterCount(): number {
    return this.model.parameters().reduce((n, p) => n + p.size, 0);
  }

  /** The name of the tensor backend the kernels run on. */
  get backend(): string {
    return getBackend().name;
  }

  /**
   * Trains one epoch (mini-batches of `batchSize`, reshuffled from the shuffling stream)
   * and returns its numbers. Throws `TrainingError` from `fit` when the cost diverges.
   */
  step(): EpochPoint {
    const c = this.config;
    const history = fit(this.model, this.#train, {
      loss: this.head.loss,
      optimizer: this.#optimizer,
      epochs: 1,
      batchSize: c.batchSize === 0 ? "full" : c.batchSize,
      rng: this.#shuffle,
      dev: this.#dev,
      metrics: { accuracy: this.head.accuracy },
      ...(this.#penalty === null ? {} : { penalty: this.#penalty }),
    });
    const log = history.epochs[0]!;
    this.epoch++;
    this.last = {
      epoch: this.epoch,
      trainCost: log.trainLoss,
      devCost: log.devLoss ?? NaN,
      trainAccuracy: log.train?.accuracy ?? NaN,
      devAccuracy: log.dev?.accuracy ?? NaN,
    };
    return this.last;
  }

  /**
   * Bias and variance of the latest epoch (`last`): `diagnose` with the errors as counts
   * (errors out of the train and dev rows, from the accuracies), so each comes with its 95%
   * Wilson interval and a gap reads high only when its interval clears the 2-point
   * threshold; the base error is `baseError` (the generator's Bayes error, or a CSV's estimate). Null when an
   * accuracy is not a number (a diverged run).
   */
  diagnosis(): Diagnosis | null {
    const { train, dev } = this.sizes;
    if (!Number.isFinite(this.last.trainAccuracy) || !Number.isFinite(this.last.devAccuracy)) return null;
    const errors = (accuracy: number, n: number): { errors: number; n: number } => ({ errors: Math.round((1 - accuracy) * n), n });
    const b = this.baseError;
    return diagnose({
      trainError: errors(this.last.trainAccuracy, train),
      devError: errors(this.last.devAccuracy, dev),
      baseError: { value: b.value, low: b.low, high: b.high, source: this.config.dataset === "csv" ? "estimate" : "dataset", method: b.label },
    });
  }

  /** Class probabilities over a `GRID`×`GRID` grid covering `extent`, row 0 at the top. */
  /** The layer sizes and the weights between the first `cap` units of each layer. */
  network(cap = NETWORK_UNITS): NetworkWeights {
    const dense = this.model.namedParameters().filter(([name, p]) => name.endsWith(".weight") && p.rank === 2).map(([, p]) => p);
    const sizes = [dense[0]!.shape[1]!, ...dense.map((w) => w.shape[0]!)];
    const shown = sizes.map((n) => Math.min(n, cap));
    const weights = dense.map((w, l) => {
      const [rows, cols] = [shown[l + 1]!, shown[l]!], stride = w.shape[1]!, out: number[] = [];
      for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out.push(w.data[i * stride + j]!);
      return out;
    });
    return { sizes, shown, weights };
  }

  boundary(): BoundaryGrid {
    if (this.#grid === null) {
      this.#grid = this.#scaler.transform(gridPoints(this.extent, GRID));
    }
    const probs = this.head.probabilities(infer(this.model, this.#grid));
    return { nx: GRID, ny: GRID, probs: Float32Array.from(probs.data) };
  }

  /** The untrained model's numbers: data loss (+ penalty over the whole training set) and accuracy. */
  #measure(): EpochPoint {
    const metrics = { accuracy: this.head.accuracy };
    const tr = evaluate(this.model, this.#train, { loss: this.head.loss, metrics });
    const dv = evaluate(this.model, this.#dev, { loss: this.head.loss, metrics });
    const penalty = this.#penalty === null ? 0 : this.#penalty(this.model, this.#train.y.size).item();
    return { epoch: 0, trainCost: tr.loss! + penalty, devCost: dv.loss!, trainAccuracy: tr.metrics.accuracy!, devAccuracy: dv.metrics.accuracy! };
  }
}
