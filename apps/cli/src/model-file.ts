// A saved classifier: the network (Hone JSON or safetensors, by the file's extension) with
// metadata that makes it usable on raw rows: the fitted normalizer, the feature and class
// names, and the training config.
import { extname } from "node:path";
import { scalerFromJSON, type MinMaxScaler, type Standardizer } from "@hone/data-split";
import { loadModel, serializeModel, type Module } from "@hone/nn";
import { Dropout } from "@hone/regularize";
import { UsageError } from "./errors.js";
import { inputFile, readBytes } from "./io.js";

/** What `hone train --save` stores next to the weights. */
export interface ClassifierMetadata {
  /** Marks a file written by `hone train`. */
  hone: "classifier";
  /** Metadata layout version. */
  version: 1;
  /** Feature column names, in input order. */
  featureNames: string[];
  /** The label column's name. */
  labelName: string;
  /** Class names by id. */
  classes: string[];
  /** The normalizer fitted on the training split (its `toJSON()`), or null for none. */
  normalizer: unknown;
  /** The parameters' dtype; inputs are cast to it. */
  dtype: "float64" | "float32";
  /** The training configuration (as `hone train --json` prints it). */
  config: unknown;
  /** Train/dev/test loss and accuracy at the end of training. */
  metrics: unknown;
}

/** The model file format for a path: `.json` or `.safetensors`. */
export function formatFor(path: string, flag: string): "json" | "safetensors" {
  const ext = extname(path).toLowerCase();
  if (ext === ".json") return "json";
  if (ext === ".safetensors") return "safetensors";
  throw new UsageError(`${flag} ${JSON.stringify(path)} must end in .json (Hone's JSON format) or .safetensors`);
}

/** The file's bytes or text for `model` with `metadata`. */
export function serializeClassifier(model: Module, metadata: ClassifierMetadata, format: "json" | "safetensors"): string | Uint8Array {
  return serializeModel(model, { format, metadata });
}

/** A loaded classifier: the model (eval mode), its metadata, and its normalizer. */
export interface LoadedClassifier {
  model: Module;
  meta: ClassifierMetadata;
  scaler: Standardizer | MinMaxScaler | null;
  path: string;
}

function checkMeta(meta: unknown, path: string): ClassifierMetadata {
  const m = meta as Partial<ClassifierMetadata> | undefined;
  const strings = (v: unknown): boolean => Array.isArray(v) && v.every((s) => typeof s === "string");
  if (m === undefined || m === null || typeof m !== "object" || m.hone !== "classifier") {
    throw new UsageError(`${JSON.stringify(path)} is a model without hone's classifier metadata (feature names, classes, normalizer); save models with \`hone train --save\``);
  }
  if (m.version !== 1 || !strings(m.featureNames) || !strings(m.classes) || typeof m.labelName !== "string" || (m.dtype !== "float64" && m.dtype !== "float32")) {
    throw new UsageError(`${JSON.stringify(path)}: the classifier metadata is malformed or from another version`);
  }
  return m as ClassifierMetadata;
}

/** Loads a model file written by `hone train --save`. */
export function loadClassifier(path: string): LoadedClassifier {
  const full = inputFile(path, "model file");
  formatFor(full, "--model");
  const { model, metadata } = loadModel(readBytes(full), { layers: { Dropout: (config) => Dropout.fromConfig(config) } });
  const meta = checkMeta(metadata, path);
  const scaler = meta.normalizer === null ? null : scalerFromJSON(meta.normalizer);
  return { model, meta, scaler, path: full };
}
