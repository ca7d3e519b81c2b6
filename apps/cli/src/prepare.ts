// The shared first half of `train` and `gradcheck`: load, split, normalize, build the model.
import { MinMaxScaler, Standardizer, trainDevTestSplit, type TrainDevTestSplit } from "@hone/data-split";
import type { Module } from "@hone/nn";
import type { Tensor } from "@hone/tensor";
import { loadData, type LoadedData } from "./data.js";
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

/** Loads the data, splits it, fits the normalizer on train, and builds the model. */
export async function prepare(config: TrainConfig): Promise<Prepared> {
  const s = streams(config.seed);
  const data = await loadData(config.data, s.data);
  const split = trainDevTestSplit(data.x, data.y, { ratios: config.split.ratios, stratify: config.split.stratify, rng: s.split });
  const scaler = config.normalize === "standard" ? new Standardizer().fit(split.train.x)
    : config.normalize === "minmax" ? new MinMaxScaler().fit(split.train.x) : null;
  const dtype = config.model.dtype;
  const part = (p: { x: Tensor; y: Tensor; indices: Int32Array }): Part => ({
    x: asDType(scaler === null ? p.x : scaler.transform(p.x), dtype),
    y: asDType(p.y, dtype),
    indices: p.indices,
  });
  const task = taskFor(data.classes.length);
  const model = buildModel(config, data.x.shape[1]!, task, s);
  return { data, split, scaler, train: part(split.train), dev: part(split.dev), test: part(split.test), task, model, streams: s };
}
