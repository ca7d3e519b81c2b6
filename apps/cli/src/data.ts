// Where the rows come from: a built-in toy data set or a CSV file, read as a classification
// problem (labels become class ids 0..k−1 with their names kept).
import { existsSync } from "node:fs";
import { CsvError, makeBlobs, makeCircles, makeMoons, makeSpirals, parseCsv, type CsvData } from "@hone/data-split";
import { Tensor, type Rng } from "@hone/tensor";
import { UsageError } from "./errors.js";
import { inputFile, readStream } from "./io.js";

/** The built-in data sets. */
export const BUILTIN = ["moons", "circles", "spirals", "blobs"] as const;
export type Builtin = (typeof BUILTIN)[number];

/** The most classes a label column may have before hone calls it a continuous target. */
const MAX_CLASSES = 100;

/** What to load. */
export interface DataSpec {
  /** A built-in name or a CSV path. */
  source: string;
  /** The CSV label column (name or index). Default: the last column. */
  label?: string | number;
  /** Rows to generate (built-in sets). Default 1000. */
  samples?: number;
  /** Noise of the built-in set (its own default when absent). */
  noise?: number;
  /** Classes of blobs (centers) or spirals (arms). */
  classes?: number;
}

/** Rows ready for splitting: features, class ids, and the names to report them by. */
export interface LoadedData {
  x: Tensor;
  /** Class ids 0..k−1, shape (m,). */
  y: Tensor;
  featureNames: string[];
  labelName: string;
  /** Class names by id (`["0", "1"]` for the built-in sets). */
  classes: string[];
  /** True for a built-in data set. */
  builtin: boolean;
  /** The Bayes error of a built-in data set's generating distribution, when its generator knows it (computed when first asked for). */
  bayesError?: () => number | undefined;
  /** The absolute path of a CSV input. */
  path?: string;
}

/** True when `source` names a built-in data set. */
export function isBuiltin(source: string): source is Builtin {
  return (BUILTIN as readonly string[]).includes(source);
}

/** Generates a built-in data set; `rng` is the data stream. */
function generate(spec: DataSpec, rng: Rng): LoadedData {
  const source = spec.source as Builtin;
  const samples = spec.samples ?? 1000;
  const noise = spec.noise === undefined ? {} : { noise: spec.noise };
  let data: { x: Tensor; y: Tensor; bayesError?: number };
  if (source === "moons") data = makeMoons({ samples, ...noise, rng });
  else if (source === "circles") data = makeCircles({ samples, ...noise, rng });
  else if (source === "spirals") data = makeSpirals({ samples, classes: spec.classes ?? 2, ...noise, rng });
  else data = makeBlobs({ samples, centers: spec.classes ?? 3, ...(spec.noise === undefined ? {} : { std: spec.noise }), rng });
  let k = 0;
  for (const v of data.y.data) k = Math.max(k, v + 1);
  const featureNames = Array.from({ length: data.x.shape[1] ?? 1 }, (_, i) => `x${i}`);
  return { x: data.x, y: data.y, featureNames, labelName: "y", classes: Array.from({ length: k }, (_, i) => String(i)), builtin: true, bayesError: () => data.bayesError };
}

/** Reads a CSV file with its label column as class names. */
export async function readCsv(path: string, label: string | number | undefined, what = "data file"): Promise<CsvData & { path: string }> {
  const full = inputFile(path, what);
  const data = await parseCsv(readStream(full), { label: label ?? -1, labelType: "class" });
  return { ...data, path: full };
}

/**
 * Loads the data: a built-in set drawn from `rng`, or a CSV whose label column is read as
 * class names (numbers included: `0`/`1` labels become classes "0" and "1").
 */
export async function loadData(spec: DataSpec, rng: Rng): Promise<LoadedData> {
  if (isBuiltin(spec.source)) {
    if (spec.label !== undefined) throw new UsageError(`--label names a CSV column, but --data ${spec.source} is a built-in data set`);
    return generate(spec, rng);
  }
  if (!/[./\\]/.test(spec.source) && !existsSync(spec.source)) {
    throw new UsageError(`--data must be a built-in data set (${BUILTIN.join(", ")}) or a CSV file, got ${JSON.stringify(spec.source)}`);
  }
  const csv = await readCsv(spec.source, spec.label);
  const classes = csv.classes ?? [];
  if (classes.length < 2) {
    throw new UsageError(`the label column ${JSON.stringify(csv.labelName)} of ${JSON.stringify(spec.source)} has ${classes.length} class${classes.length === 1 ? ` (${JSON.stringify(classes[0])})` : "es"}; a classifier needs at least 2 (choose the column with --label)`);
  }
  if (classes.length > MAX_CLASSES) {
    throw new UsageError(`the label column ${JSON.stringify(csv.labelName)} of ${JSON.stringify(spec.source)} has ${classes.length} distinct values; hone trains classifiers (at most ${MAX_CLASSES} classes): is it a continuous target? Choose the label with --label`);
  }
  return { x: csv.x, y: csv.y, featureNames: csv.featureNames, labelName: csv.labelName, classes, builtin: false, path: csv.path };
}

/**
 * Maps a file's class ids (ids into `fileClasses`) to a model's ids (into `modelClasses`),
 * by name. A class the model does not know is an error.
 */
export function remapLabels(y: Tensor, fileClasses: readonly string[], modelClasses: readonly string[], labelName: string): Tensor {
  const ids = new Map(modelClasses.map((c, i) => [c, i]));
  const map = fileClasses.map((name) => {
    const id = ids.get(name);
    if (id === undefined) {
      throw new UsageError(`the label column ${JSON.stringify(labelName)} has class ${JSON.stringify(name)}, which the model was not trained on (its classes: ${modelClasses.map((c) => JSON.stringify(c)).join(", ")})`);
    }
    return id;
  });
  const out = new Float64Array(y.size);
  for (let i = 0; i < out.length; i++) out[i] = map[y.data[i]!]!;
  return new Tensor(out, [y.size]);
}

/**
 * Reads a CSV of features for prediction, with or without the model's label column, and
 * returns the feature columns in the model's order. Columns are matched by name when the
 * header has every feature the model knows; otherwise by position (same count required).
 */
export async function readFeatures(path: string, model: { featureNames: readonly string[]; labelName: string }): Promise<{ x: Tensor; featureNames: string[]; warnings: string[]; path: string }> {
  const full = inputFile(path, "input file");
  let parsed: { x: Tensor; featureNames: string[] };
  try {
    const csv = await parseCsv(readStream(full), { label: model.labelName, labelType: "class" });
    parsed = { x: csv.x, featureNames: csv.featureNames };
  } catch (error) {
    if (!(error instanceof CsvError && error.message.includes("no label column"))) throw error;
    // No label column: every column is a feature. The parser always takes a label column, so
    // read the last column as a numeric "label" and put it back as the last feature.
    const csv = await parseCsv(readStream(full), { label: -1, labelType: "number" });
    const m = csv.y.size, f = csv.x.shape[1]!;
    const data = new Float64Array(m * (f + 1));
    for (let i = 0; i < m; i++) {
      data.set(csv.x.data.subarray(i * f, (i + 1) * f), i * (f + 1));
      data[i * (f + 1) + f] = csv.y.data[i]!;
    }
    parsed = { x: new Tensor(data, [m, f + 1]), featureNames: [...csv.featureNames, csv.labelName] };
  }
  return { ...selectFeatures(parsed, model.featureNames), path: full };
}

/** The model's feature columns out of a parsed file, by name or else by position. */
export function selectFeatures(parsed: { x: Tensor; featureNames: string[] }, wanted: readonly string[]): { x: Tensor; featureNames: string[]; warnings: string[] } {
  const { x, featureNames } = parsed;
  const m = x.shape[0]!, f = x.shape[1]!;
  const index = new Map(featureNames.map((n, i) => [n, i]));
  const byName = wanted.every((n) => index.has(n));
  if (byName) {
    const cols = wanted.map((n) => index.get(n)!);
    if (cols.length === f && cols.every((c, i) => c === i)) return { x, featureNames, warnings: [] };
    const out = new Float64Array(m * cols.length);
    for (let i = 0; i < m; i++) for (let j = 0; j < cols.length; j++) out[i * cols.length + j] = x.data[i * f + cols[j]!]!;
    const extra = featureNames.filter((n) => !wanted.includes(n));
    const warnings = extra.length > 0 ? [`ignoring column${extra.length > 1 ? "s" : ""} ${extra.map((n) => JSON.stringify(n)).join(", ")} (not a feature of the model)`] : [];
    return { x: new Tensor(out, [m, cols.length]), featureNames: wanted.slice(), warnings };
  }
  if (f !== wanted.length) {
    throw new UsageError(`the model takes ${wanted.length} feature${wanted.length > 1 ? "s" : ""} (${wanted.map((n) => JSON.stringify(n)).join(", ")}) but the file has ${f} feature column${f > 1 ? "s" : ""} (${featureNames.map((n) => JSON.stringify(n)).join(", ")})`);
  }
  return { x, featureNames, warnings: [`the file's columns (${featureNames.join(", ")}) do not match the model's feature names (${wanted.join(", ")}); using them by position`] };
}
