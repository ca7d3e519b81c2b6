// The shared first half of `train` and `gradcheck`: load, split, preprocess (a CSV's columns
// fit on the training rows), normalize, build the model.
import { MinMaxScaler, Standardizer, TablePreprocessor, applySplit, trainDevTestSplit, type TrainDevTestSplit } from "@hone/data-split";
import { classWeights, type Module } from "@hone/nn";
import { HoneError, Tensor, gatherRows } from "@hone/tensor";
import { checkSource, isBuiltin, loadBuiltin, readSource, type LoadedData } from "./data.js";
import { UsageError } from "./errors.js";
import { checkActivations, checkParameters, type TrainConfig } from "./flags.js";
import { buildModel, networkShape } from "./setup.js";
import { streams, type Streams } from "./streams.js";
import { asDType, taskFor, type Task } from "./task.js";

/** One split part, normalized and in the model's dtype. */
export interface Part {
  x: Tensor;
  /** Class ids, or the standardized target (regression). */
  y: Tensor;
  /** Rows of the loaded data (for a CSV: positions among its labeled rows). */
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
  /** The dense part's sizes (input first) and the network as a header line shows it. */
  network: { sizes: number[]; text: string };
  streams: Streams;
}

/** The preprocessor options of a run's table config. */
function preprocessorFor(config: TrainConfig, label: string): TablePreprocessor {
  const t = config.table!;
  try {
    return new TablePreprocessor({
      label, task: config.task === "auto" ? "auto" : config.task,
      ...(t.features === null ? {} : { features: t.features }),
      categorical: t.categorical, ignore: t.ignore, keep: t.keep,
      numericImpute: t.numericImpute, categoricalImpute: t.categoricalImpute, indicators: t.indicators, unseen: t.unseen, minCategoryCount: t.minCategoryCount,
    });
  } catch (error) {
    if (error instanceof HoneError) throw new UsageError(error.message.replace(/^TablePreprocessor: /, ""));
    throw error;
  }
}

/**
 * Loads a CSV as a table, splits its labeled rows, fits the preprocessor on the training
 * rows only (roles, fills, categories, the target's mean and std) and encodes every row with
 * it. The split is drawn exactly as for a numeric file: from the labels, with the split stream.
 */
async function loadTable(config: TrainConfig, s: Streams): Promise<{ data: LoadedData; split: TrainDevTestSplit }> {
  const source = await readSource({ ...config.data, task: config.task, dialect: dialectOf(config) });
  const m = source.rows.length;
  if (config.split.stratify && source.task === "regression") throw new UsageError("--stratify keeps each class's share; a regression target has no classes (drop --stratify)");
  const ids = new Tensor(Float64Array.from({ length: m }, (_, i) => i), [m, 1]);
  const indices = trainDevTestSplit(ids, source.y, { ratios: config.split.ratios, stratify: config.split.stratify, rng: s.split });
  const pre = preprocessorFor(config, source.labelName);
  const tableRows = (part: Int32Array): Int32Array => Int32Array.from(part, (i) => source.rows[i]!);
  const trainRows = config.split.trainRows === undefined ? indices.train.indices : indices.train.indices.slice(0, config.split.trainRows);
  try {
    pre.fit(source.table, tableRows(trainRows), source.task === "classification" ? { classes: source.classes } : {});
  } catch (error) {
    if (error instanceof HoneError) throw new UsageError(error.message.replace(/^TablePreprocessor\.fit: /, ""));
    throw error;
  }
  if (pre.featureNames.length === 0) {
    throw new UsageError(`no feature columns are left in ${JSON.stringify(config.data.source)}: ${pre.columns.filter((c) => c.role === "ignored").map((c) => `${c.name} (${c.reason})`).join("; ")}`);
  }
  const { x, imputed, unseen } = pre.transform(source.table, source.rows);
  const data: LoadedData = {
    x, y: source.y, featureNames: pre.featureNames, labelName: source.labelName, task: source.task, classes: source.classes,
    builtin: false, path: source.table.path, preprocessor: pre,
    table: { table: source.table, rows: source.rows, dropped: source.dropped, taskReason: source.taskReason },
    encoding: { imputed, unseen },
  };
  return { data, split: applySplit(x, source.y, { train: indices.train.indices, dev: indices.dev.indices, test: indices.test.indices }) };
}

/** The CSV dialect flags of a run. */
export function dialectOf(config: TrainConfig): { delimiter?: string; decimal?: "." | ","; header?: boolean; naValues?: string[] } {
  const t = config.table;
  if (t === null) return {};
  return { delimiter: t.delimiter, decimal: t.decimal, header: t.header, ...(t.naValues === null ? {} : { naValues: t.naValues }) };
}

/**
 * Loads the data, splits it, fits the preprocessing and normalizer on train, and builds the
 * model. With `config.split.trainRows` (`--train-rows n`) the training part is the first n
 * rows of the training split (the split's rows are in shuffled order), in `split.train`
 * too, and everything fit on train is fit on them.
 */
export async function prepare(config: TrainConfig): Promise<Prepared> {
  const s = streams(config.seed);
  checkSource(config.data);
  let data: LoadedData;
  let split: TrainDevTestSplit;
  if (isBuiltin(config.data.source)) {
    data = loadBuiltin(config.data, s.data);
    split = trainDevTestSplit(data.x, data.y, { ratios: config.split.ratios, stratify: config.split.stratify, rng: s.split });
  } else {
    ({ data, split } = await loadTable(config, s));
  }
  const trainRows = config.split.trainRows ?? split.train.indices.length;
  if (trainRows > split.train.indices.length) throw new UsageError(`--train-rows must be at most the ${split.train.indices.length} rows of the training split, got ${trainRows}`);
  const first = Int32Array.from({ length: trainRows }, (_, i) => i);
  const train = trainRows === split.train.indices.length ? split.train
    : { x: gatherRows(split.train.x, first), y: gatherRows(split.train.y, first), indices: split.train.indices.slice(0, trainRows) };
  const scaler = config.normalize === "standard" ? new Standardizer().fit(train.x)
    : config.normalize === "minmax" ? new MinMaxScaler().fit(train.x) : null;
  const dtype = config.model.dtype;
  const target = data.task === "regression" ? targetScale(data.preprocessor) : null;
  const part = (p: { x: Tensor; y: Tensor; indices: Int32Array }): Part => ({
    x: asDType(scaler === null ? p.x : scaler.transform(p.x), dtype),
    y: asDType(target === null ? p.y : new Tensor(Float64Array.from(p.y.data, (v) => (v - target.mean) / target.std), [p.y.size]), dtype),
    indices: p.indices,
  });
  const o = config.objective;
  const task = taskFor({
    task: data.task, classes: data.classes.length,
    ...(data.task === "classification" && o.classWeight === "balanced" ? { classWeights: classWeights(Float64Array.from(train.y.data), data.classes.length, "balanced") } : {}),
    ...(target === null ? {} : { target, loss: o.loss, ...(o.loss === "huber" ? { delta: o.huberDelta } : {}) }),
  });
  const network = networkShape(config, data.x.shape[1]!, task.outputs, data.image);
  const sizes = network.sizes;
  checkParameters(sizes, config.model.hidden);
  const batch = config.training.batchSize;
  checkActivations(sizes, config.model.hidden, {
    batch: batch === "full" ? train.indices.length : Math.min(batch, train.indices.length),
    batchFlag: batch === "full" ? `--batch-size full (${train.indices.length.toLocaleString("en-US")} training rows)` : `--batch-size ${batch}`,
    evaluated: Math.max(train.indices.length, split.dev.indices.length, split.test.indices.length),
  });
  const model = buildModel(config, data.x.shape[1]!, task, s, data.image);
  return { data, split: train === split.train ? split : { ...split, train }, scaler, train: part(train), dev: part(split.dev), test: part(split.test), task, model, network, streams: s };
}

/** The regression target's training mean and std, as the preprocessor fit them on the training rows. */
function targetScale(pre: TablePreprocessor | undefined): { mean: number; std: number } {
  const t = pre?.target;
  if (t === undefined || t === null || t.task !== "regression") throw new Error("targetScale: a regression run without a fitted regression target");
  return { mean: t.mean, std: t.std };
}
