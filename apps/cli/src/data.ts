// Where the rows come from: a built-in toy data set, or a CSV file read as a table (numbers,
// text and missing cells), whose label makes it a classification or a regression problem.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  TableError, cellText, classNames, inferTask, labeledRows, loadDigits, makeBlobs, makeCircles, makeMoons, makeSpirals, parseCsv, readTable,
  type CsvData, type Table, type TableColumn, type TablePreprocessor, type Task,
} from "@hone/data-split";
import { ArgumentError, Tensor, type Rng } from "@hone/tensor";
import { UsageError } from "./errors.js";
import { inputFile, readStream } from "./io.js";

/** The built-in data sets: four generated point sets, and the 8×8 handwritten digits (images). */
export const BUILTIN = ["moons", "circles", "spirals", "blobs", "digits"] as const;
export type Builtin = (typeof BUILTIN)[number];
/** The built-in sets drawn from a generator (`--samples`, `--noise` apply to them). */
export const GENERATED = ["moons", "circles", "spirals", "blobs"] as const;

/** An image data set's picture size: each row of x holds height × width × channels pixels, row-major (NHWC). */
export type ImageShape = [height: number, width: number, channels: number];

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
  /** CSV: `--task` (default auto). */
  task?: Task | "auto";
  /** CSV: how the file is read. */
  dialect?: DialectSpec;
}

/** Rows ready for training: features, targets, and the names to report them by. */
export interface LoadedData {
  /** The features (for a CSV: encoded by the preprocessor fit on the training rows), shape (m, features). */
  x: Tensor;
  /** Class ids 0..k−1 (classification) or the targets in the label's units (regression), shape (m,). */
  y: Tensor;
  /** Names of x's columns (for a CSV: the preprocessor's output names, `city=north`, …). */
  featureNames: string[];
  labelName: string;
  /** Classification or regression. */
  task: Task;
  /** Class names by id (`["0", "1"]` for the built-in sets; empty for regression). */
  classes: string[];
  /** A CSV's preprocessor, fit on the training rows. */
  preprocessor?: TablePreprocessor;
  /** A CSV's table, its labeled rows (the rows of x and y, in order), and the rows dropped for a missing label. */
  table?: { table: Table; rows: Int32Array; dropped: number; taskReason: string };
  /** A CSV's encoding counts over every labeled row: cells imputed, and categories not seen in training (dev/test rows). */
  encoding?: { imputed: number; unseen: number };
  /** True for a built-in data set. */
  builtin: boolean;
  /** The Bayes error of a built-in data set's generating distribution, when its generator knows it (computed when first asked for). */
  bayesError?: () => number | undefined;
  /** The absolute path of a CSV input. */
  path?: string;
  /** An image data set: each row of x is one image of this shape, its pixels in [0, 1]. */
  image?: ImageShape;
}

/** True when `source` names a built-in data set. */
export function isBuiltin(source: string): source is Builtin {
  return (BUILTIN as readonly string[]).includes(source);
}

/**
 * The built-in digits: 1,797 8×8 images (UCI, CC BY 4.0; see DIGITS_ATTRIBUTION in
 * @hone/data-split), one row of 64 pixels in [0, 1] each, named r<row>c<column>.
 */
function digits(): LoadedData {
  const d = loadDigits({ range: "unit" });
  const [m, h, w, c] = d.x.shape as [number, number, number, number];
  const featureNames = Array.from({ length: h * w * c }, (_, i) => `r${Math.floor(i / w)}c${i % w}`);
  return { x: new Tensor(d.x.data, [m, h * w * c]), y: d.y, featureNames, labelName: "digit", task: "classification", classes: d.classes.slice(), builtin: true, image: [h, w, c] };
}

/** Generates a built-in data set; `rng` is the data stream. */
function generate(spec: DataSpec, rng: Rng): LoadedData {
  const source = spec.source as Builtin;
  if (source === "digits") return digits();
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
  return { x: data.x, y: data.y, featureNames, labelName: "y", task: "classification", classes: Array.from({ length: k }, (_, i) => String(i)), builtin: true, bayesError: () => data.bayesError };
}

/** The CSV argument that means standard input (`--data -`, `--input -`, `hone split -`); never a file named "-". */
export const STDIN = "-";

/** A CSV source as messages name it: `standard input` for `-`, else the path in quotes. */
export function sourceName(source: string): string {
  return source === STDIN ? "standard input" : JSON.stringify(source);
}

/**
 * The environment variable through which a run that read its CSV from standard input hands
 * a copy of the bytes to the `hone train` child processes it starts (`hone curve`,
 * `hone train --learning-curve`): their own standard input is not the user's. Internal.
 */
const STDIN_COPY = "HONE_STDIN_COPY";

let stdinBytes: Promise<Uint8Array> | null = null;

/**
 * Standard input's bytes, read once per process. A child of a run that read them reads the
 * parent's copy instead. The first read also writes that copy (a private temporary folder,
 * removed when the process exits) and points {@link STDIN_COPY} at it for the children.
 */
function readStdin(): Promise<Uint8Array> {
  const copy = process.env[STDIN_COPY];
  if (copy !== undefined && copy !== "") return Promise.resolve(readFileSync(copy));
  stdinBytes ??= (async () => {
    if (process.stdin.isTTY) process.stderr.write("hone: reading the CSV from standard input (end it with Ctrl-D)\n");
    const chunks: Uint8Array[] = [];
    for await (const chunk of process.stdin as AsyncIterable<Uint8Array>) chunks.push(chunk);
    const bytes = Buffer.concat(chunks);
    const dir = mkdtempSync(join(tmpdir(), "hone-stdin-"));
    process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, "stdin.csv");
    writeFileSync(file, bytes, { mode: 0o600 });
    process.env[STDIN_COPY] = file;
    return bytes;
  })();
  return stdinBytes;
}

/**
 * Reads standard input now when `source` is `-`, so that runs started after this (worker
 * threads, child processes: a sweep's trials) read the same bytes from its copy.
 */
export async function shareStdin(source: string): Promise<void> {
  if (source === STDIN) await readStdin();
}

/** An input CSV's bytes and its path as reported (absolute, or `-` for standard input). */
async function openCsv(path: string, what: string): Promise<{ bytes: AsyncIterable<Uint8Array> | Iterable<Uint8Array>; path: string }> {
  if (path === STDIN) {
    const bytes = await readStdin();
    if (bytes.length === 0) throw new UsageError(`cannot read the ${what} from standard input (-): it is empty; pipe a CSV in, e.g. \`< data.csv\``);
    return { bytes: [bytes], path: STDIN };
  }
  const full = inputFile(path, what);
  return { bytes: readStream(full), path: full };
}

/** Reads a numeric CSV file (or standard input for `-`) with its label column as class names (model files of version 1). */
export async function readCsv(path: string, label: string | number | undefined, what = "data file"): Promise<CsvData & { path: string }> {
  const input = await openCsv(path, what);
  const data = await parseCsv(input.bytes, { label: label ?? -1, labelType: "class" });
  return { ...data, path: input.path };
}

/** How a CSV is read: the dialect and the missing-value markers (`--delimiter`, `--decimal`, `--no-header`, `--na-values`). */
export interface DialectSpec {
  delimiter?: string;
  decimal?: "." | ",";
  header?: boolean;
  /** Markers of a missing cell besides a blank one; absent: the defaults (NA, NaN, null, ?, …). */
  naValues?: string[];
}

/**
 * Reads a CSV file, or standard input for `-`, as a table (every column kept: numbers, text,
 * missing cells), turning dialect errors into flag advice. `path` of the result: the file's
 * absolute path, or `-`.
 */
export async function readTableFile(path: string, dialect: DialectSpec, what: string, keepText?: (name: string, index: number) => boolean): Promise<Table & { path: string }> {
  const input = await openCsv(path, what);
  const naValues = dialect.naValues === undefined ? undefined : ["", ...dialect.naValues];
  try {
    const table = await readTable(input.bytes, {
      ...(dialect.delimiter === undefined ? {} : { delimiter: dialect.delimiter }),
      ...(dialect.decimal === undefined ? {} : { decimal: dialect.decimal }),
      ...(dialect.header === undefined ? {} : { header: dialect.header }),
      ...(naValues === undefined ? {} : { naValues }),
      ...(keepText === undefined ? {} : { keepText }),
    });
    return Object.assign(table, { path: input.path });
  } catch (error) {
    if (error instanceof TableError && error.code === "numeric-header") throw new UsageError(error.message.replace("pass header: false", "pass --no-header"));
    if (error instanceof TableError && error.code === "one-column") throw new UsageError(error.message.replace("pass it with delimiter", "pass it with --delimiter"));
    throw error;
  }
}

/** A CSV read as a table with its label resolved, before the split: the rows with a label, their targets, and the task. */
export interface TableSource {
  table: Table & { path: string };
  /** The table rows that have a label (rows with a missing label are left out). */
  rows: Int32Array;
  /** Rows left out for a missing label. */
  dropped: number;
  labelName: string;
  task: Task;
  /** Why the task is what it is, for the run's header line. */
  taskReason: string;
  /** Classification: class names (numeric-aware sorted, over every labeled row); regression: empty. */
  classes: string[];
  /** Per labeled row: the class id (classification) or the target (regression). */
  y: Tensor;
}

/** A label cell's class key: the text, or the number in shortest form (`0.0` → `"0"`). */
function classKey(column: TableColumn, row: number): string {
  return cellText({ ...column, raw: null }, row);
}

/** Reads the CSV of `spec`, finds its label, its labeled rows and its task (`--task`, else inferred). */
export async function readSource(spec: DataSpec, options: { what?: string; keepText?: (name: string, index: number) => boolean } = {}): Promise<TableSource> {
  const table = await readTableFile(spec.source, spec.dialect ?? {}, options.what ?? "data file", options.keepText);
  let labeled: ReturnType<typeof labeledRows>;
  try {
    labeled = labeledRows(table, spec.label ?? -1);
  } catch (error) {
    if (error instanceof ArgumentError) throw new UsageError(`${error.message.replace(/^labeledRows: /, "")} (choose the label with --label)`);
    throw error;
  }
  const { rows, dropped, column } = labeled;
  if (rows.length === 0) throw new UsageError(`the label column ${JSON.stringify(column.name)} of ${sourceName(spec.source)} is empty in every row`);
  const auto = spec.task === undefined || spec.task === "auto";
  const inferred = inferTask(column, { rows });
  const task = auto ? inferred.task : spec.task as Task;
  const taskReason = auto ? `${inferred.reason}; pass --task ${task === "regression" ? "classification" : "regression"} to change it` : "as --task asked";
  if (task === "classification") {
    const classes = classNames(column, rows);
    if (classes.length < 2) {
      throw new UsageError(`the label column ${JSON.stringify(column.name)} of ${sourceName(spec.source)} has ${classes.length} class${classes.length === 1 ? ` (${JSON.stringify(classes[0])})` : "es"}; a classifier needs at least 2 (choose the column with --label)`);
    }
    if (classes.length > MAX_CLASSES) {
      throw new UsageError(`the label column ${JSON.stringify(column.name)} of ${sourceName(spec.source)} has ${classes.length} distinct values, more than a classifier's ${MAX_CLASSES}; pass --task regression for a continuous target, or choose the label with --label`);
    }
    const ids = new Map(classes.map((c, i) => [c, i]));
    const y = new Tensor(Float64Array.from(rows, (r) => ids.get(classKey(column, r))!), [rows.length]);
    return { table, rows, dropped, labelName: column.name, task, taskReason, classes, y };
  }
  const out = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    const v = column.values[r]!;
    if (Number.isNaN(v)) throw new UsageError(`${sourceName(spec.source)} line ${table.lines[r]}: the label ${JSON.stringify(column.name)} is ${JSON.stringify(cellText(column, r))}; a regression target must be a number (or pass --task classification)`);
    out[i] = v;
  }
  return { table, rows, dropped, labelName: column.name, task, taskReason, classes: [], y: new Tensor(out, [rows.length]) };
}

/**
 * Loads a built-in data set drawn from `rng`. (CSV files go through {@link readSource}: their
 * features are encoded after the split, by a preprocessor fit on the training rows.)
 */
export function loadBuiltin(spec: DataSpec, rng: Rng): LoadedData {
  if (spec.label !== undefined) throw new UsageError(`--label names a CSV column, but --data ${spec.source} is a built-in data set`);
  return generate(spec, rng);
}

/** Checks that `spec.source` is a built-in name, `-` (standard input) or looks like a file. */
export function checkSource(spec: DataSpec): void {
  if (isBuiltin(spec.source) || spec.source === STDIN) return;
  if (!/[./\\]/.test(spec.source) && !existsSync(spec.source)) {
    throw new UsageError(`--data must be a built-in data set (${BUILTIN.join(", ")}) or a CSV file, got ${JSON.stringify(spec.source)}`);
  }
}
