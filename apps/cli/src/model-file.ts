// A saved model: the network (Hone JSON or safetensors, by the file's extension) with what
// makes it usable on raw rows: the table preprocessor (column roles, fills, categories) and
// the normalizer fit on the training split, the task (classes, or the target's scale), the
// binary decision rule, the feature names and the training config.
import { extname } from "node:path";
import { TablePreprocessor, scalerFromJSON, type MinMaxScaler, type Standardizer, type TablePreprocessorJSON } from "@hone/data-split";
import { ModelFormatError, loadModel, serializeModel, type Module } from "@hone/nn";
import { Dropout } from "@hone/regularize";
import { UsageError } from "./errors.js";
import type { TrainConfig } from "./flags.js";
import { inputFile, readBytes } from "./io.js";
import type { Prepared } from "./prepare.js";
import type { Decision, SplitMetrics } from "./task.js";

/** What `hone train --save` stores next to the weights (layout version 2). */
export interface ModelMetadata {
  /** Marks a file written by `hone train`. */
  hone: "model";
  /** Metadata layout version. */
  version: 2;
  task: "classification" | "regression";
  /** The network's input columns (after encoding), in order. */
  featureNames: string[];
  /** The label column's name. */
  labelName: string;
  /** Class names by id (classification; empty for regression). */
  classes: string[];
  /** The CSV preprocessor (its `toJSON()`), or null for a model of a built-in data set (numeric columns by name). */
  preprocessor: TablePreprocessorJSON | null;
  /** The normalizer fitted on the training split (its `toJSON()`), or null for none. */
  normalizer: unknown;
  /** Regression: the training target's mean and std (the network predicts the standardized target). */
  target: { mean: number; std: number } | null;
  /** Binary classification: the positive class id and the threshold on its probability. */
  decision: Decision | null;
  /** The parameters' dtype; inputs are cast to it. */
  dtype: "float64" | "float32";
  /** The training configuration (as `hone train --json` prints it). */
  config: unknown;
  /** Train/dev/test metrics at the end of training. */
  metrics: unknown;
}

/** Layout version 1 (hone ≤ 0.2): numeric classifiers only. */
interface MetadataV1 {
  hone: "classifier";
  version: 1;
  featureNames: string[];
  labelName: string;
  classes: string[];
  normalizer: unknown;
  dtype: "float64" | "float32";
  config: unknown;
  metrics: unknown;
}

/** The model file format for a path: `.json` or `.safetensors`. */
export function formatFor(path: string, flag: string): "json" | "safetensors" {
  const ext = extname(path).toLowerCase();
  if (ext === ".json") return "json";
  if (ext === ".safetensors") return "safetensors";
  throw new UsageError(`${flag} ${JSON.stringify(path)} must end in .json (Hone's JSON format) or .safetensors`);
}

/** The metadata of a trained run. */
export function modelMetadata(config: TrainConfig, p: Prepared, decision: Decision, metrics: Record<string, SplitMetrics>): ModelMetadata {
  const task = p.task;
  return {
    hone: "model", version: 2, task: task.kind === "regression" ? "regression" : "classification",
    featureNames: p.data.featureNames, labelName: p.data.labelName, classes: p.data.classes,
    preprocessor: p.data.preprocessor?.toJSON() ?? null,
    normalizer: p.scaler === null ? null : p.scaler.toJSON(),
    target: task.kind === "regression" ? task.target : null,
    decision: task.kind === "binary" ? decision : null,
    dtype: config.model.dtype, config, metrics,
  };
}

/** The file's bytes or text for `model` with `metadata`. */
export function serializeClassifier(model: Module, metadata: ModelMetadata, format: "json" | "safetensors"): string | Uint8Array {
  return serializeModel(model, { format, metadata });
}

/** A loaded model: the network (eval mode), its metadata, its preprocessor and normalizer. */
export interface LoadedClassifier {
  model: Module;
  meta: ModelMetadata;
  /** Turns a table into the network's input columns (a numeric-columns plan for built-in data sets and version-1 files). */
  preprocessor: TablePreprocessor;
  scaler: Standardizer | MinMaxScaler | null;
  path: string;
  /** Version-1 files: missing cells are refused, as hone then did. */
  strict: boolean;
}

const strings = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === "string");

/** A preprocessor that takes `featureNames` as numeric columns, by name (built-in data sets, version-1 files). */
function numericColumns(featureNames: readonly string[], labelName: string, classes: readonly string[] | null): TablePreprocessor {
  const columns = featureNames.map((name, index) => ({ name, index, role: "numeric" as const, reason: "numbers", missing: 0, fill: 0 }));
  const label = { name: labelName, index: featureNames.length, role: "label" as const, reason: "the label", missing: 0 };
  return TablePreprocessor.fromJSON({
    type: "TablePreprocessor", version: 1, options: { unseen: "error" }, columns: [...columns, label],
    target: classes === null ? null : { task: "classification", name: labelName, classes, reason: "saved" },
  });
}

function checkMeta(meta: unknown, path: string): { meta: ModelMetadata; strict: boolean } {
  const m = meta as (Omit<Partial<ModelMetadata>, "hone" | "version"> & { hone?: string; version?: number }) | undefined;
  if (m === undefined || m === null || typeof m !== "object" || (m.hone !== "model" && m.hone !== "classifier")) {
    throw new UsageError(`${JSON.stringify(path)} is a model without hone's metadata (feature names, classes, preprocessing); save models with \`hone train --save\``);
  }
  const common = strings(m.featureNames) && strings(m.classes) && typeof m.labelName === "string" && (m.dtype === "float64" || m.dtype === "float32");
  if (m.hone === "classifier" && m.version === 1 && common) {
    const v1 = m as unknown as MetadataV1;
    return { meta: { ...v1, hone: "model", version: 2, task: "classification", preprocessor: null, target: null, decision: v1.classes.length === 2 ? { positive: 1, threshold: 0.5 } : null }, strict: true };
  }
  const taskOk = m.task === "classification" || (m.task === "regression" && m.target !== null && typeof m.target === "object" && typeof m.target.mean === "number" && typeof m.target.std === "number");
  if (m.hone !== "model" || m.version !== 2 || !common || !taskOk) {
    throw new UsageError(`${JSON.stringify(path)}: the model metadata is malformed or from another version of hone`);
  }
  return { meta: m as ModelMetadata, strict: false };
}

/**
 * The network and metadata of a model file, read as its extension says: a `.json` file is
 * text (so a broken one is reported as invalid JSON, with the line and column), a
 * `.safetensors` file is bytes. A file the library refuses is a UsageError naming the path.
 */
function readModel(full: string, path: string, format: "json" | "safetensors"): { model: Module; metadata: unknown } {
  const bytes = readBytes(full);
  let input: string | Uint8Array = bytes;
  if (format === "json") {
    try {
      input = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
      throw new UsageError(`${JSON.stringify(path)} is not UTF-8 text, so not a Hone JSON model file (was it saved as .safetensors?)`);
    }
  }
  try {
    return loadModel(input, { layers: { Dropout: (config) => Dropout.fromConfig(config) } });
  } catch (error) {
    if (!(error instanceof ModelFormatError)) throw error;
    // The library's hint names its own option; from the command line the fix is to retrain.
    // JSON.parse's message may quote the text, line breaks and all: one line for the terminal.
    const reason = error.message.replace(/; pass allowNonFinite: true to load it anyway$/, "; retrain it (hone train --save)").replace(/\s*\n\s*/g, " ");
    throw new UsageError(`${JSON.stringify(path)} is not a usable model file: ${reason}`);
  }
}

/** Loads a model file written by `hone train --save` (this version's or a version-1 classifier). */
export function loadClassifier(path: string): LoadedClassifier {
  const full = inputFile(path, "model file");
  const format = formatFor(full, "--model");
  const { model, metadata } = readModel(full, path, format);
  const { meta, strict } = checkMeta(metadata, path);
  let preprocessor: TablePreprocessor;
  try {
    preprocessor = meta.preprocessor === null
      ? numericColumns(meta.featureNames, meta.labelName, meta.task === "classification" ? meta.classes : null)
      : TablePreprocessor.fromJSON(meta.preprocessor);
  } catch (error) {
    throw new UsageError(`${JSON.stringify(path)}: the saved preprocessing is malformed (${error instanceof Error ? error.message : String(error)})`);
  }
  const scaler = meta.normalizer === null ? null : scalerFromJSON(meta.normalizer);
  return { model, meta, preprocessor, scaler, path: full, strict };
}
