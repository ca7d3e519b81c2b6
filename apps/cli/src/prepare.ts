// The shared first half of `train` and `gradcheck`: load, split, normalize, build the model.
import { MinMaxScaler, Standardizer, trainDevTestSplit, type TrainDevTestSplit } from "@hone/data-split";
import type { Module } from "@hone/nn";
import { gatherRows, type Tensor } from "@hone/tensor";
import { loadData, type LoadedData } from "./data.js";
import { UsageError } from "./errors.js";
import type { TrainConfig } from "./flags.js";
import { buildModel } from "./setup.js";
import { streams, type Streams } from "./streams.js";
import { asDType, taskFor, type Task } from "./task.js";

/** One split part, normalized and in the model's dtype. */
export interface Part {
  x: Tensor;
  y: Tensor;
  /** Rows of the original data. */
  indices: Int32Array;
}

/** Everything up to training. */
export interface Prepared {
  data: LoadedData;
  split: TrainDevTestSplit;
  scaler: Standardizer | MinMaxScaler | null;
  train: Part;
  dev: Part;
  test: Part;
  task: Task;
  model: Module;
  streams: Streams;
}

/**
 * Loads the data, splits it, fits the normalizer on train, and builds the model. With
 * `config.split.trainRows` (`--train-rows n`) the training part is the first n rows of the
 * training split (the split's rows are in shuffled order), in `split.train` too, and the
 * normalizer is fit on them.
 */
export async function prepare(config: TrainConfig): Promise<Prepared> {
  const s = streams(config.seed);
  const data = await loadData(config.data, s.data);
  const split = trainDevTestSplit(data.x, data.y, { ratios: config.split.ratios, stratify: config.split.stratify, rng: s.split });
  const trainRows = config.split.trainRows ?? split.train.indices.length;
  if (trainRows > split.train.indices.length) throw new UsageError(`--train-rows must be at most the ${split.train.indices.length} rows of the training split, got ${trainRows}`);
  const first = Int32Array.from({ length: trainRows }, (_, i) => i);
  const train = trainRows === split.train.indices.length ? split.train
    : { x: gatherRows(split.train.x, first), y: gatherRows(split.train.y, first), indices: split.train.indices.slice(0, trainRows) };
  const scaler = config.normalize === "standard" ? new Standardizer().fit(train.x)
    : config.normalize === "minmax" ? new MinMaxScaler().fit(train.x) : null;
  const dtype = config.model.dtype;
  const part = (p: { x: Tensor; y: Tensor; indices: Int32Array }): Part => ({
    x: asDType(scaler === null ? p.x : scaler.transform(p.x), dtype),
    y: asDType(p.y, dtype),
    indices: p.indices,
  });
  const task = taskFor(data.classes.length);
  const model = buildModel(config, data.x.shape[1]!, task, s);
  return { data, split: train === split.train ? split : { ...split, train }, scaler, train: part(train), dev: part(split.dev), test: part(split.test), task, model, streams: s };
}
