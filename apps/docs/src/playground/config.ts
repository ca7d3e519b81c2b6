// What the playground trains: the choices its controls offer, their defaults, and the
// checks that turn the controls' values into a run's configuration. Shared by the page
// (main thread) and the worker; nothing here touches the DOM or @hone at run time.

/** The built-in data sets the playground offers. */
export const DATASETS = ["moons", "circles", "spirals"] as const;
export type DatasetName = (typeof DATASETS)[number];

/** Where a run's rows come from: a generator, or a CSV the reader loaded (`csv`). */
export type DataSource = DatasetName | "csv";

/** The sizes a loaded CSV may have. */
export const CSV_LIMITS = { bytes: 2_000_000, rows: 5000, minRows: 20, classes: 6 } as const;

/**
 * A CSV's rows as a run trains on them: two feature columns and a label, read on the page
 * (`csvData` in csv.ts) and sent to the worker as plain numbers.
 */
export interface CsvData {
  /** The file's name. */
  name: string;
  /** The feature columns: the plot's horizontal and vertical axes. */
  columns: [string, string];
  /** The label column. */
  label: string;
  /** The label's values; class k is `classes[k]`. */
  classes: string[];
  /** Features, row-major (x0, y0, x1, y1, …), in the file's units. */
  x: number[];
  /** Class ids, one per row. */
  y: number[];
  /** Rows left out for a missing cell in one of the three columns. */
  dropped: number;
}

/** Hidden-layer activations (the names `mlp` takes). */
export const ACTIVATIONS = ["relu", "leakyRelu", "tanh", "sigmoid"] as const;
export type ActivationName = (typeof ACTIVATIONS)[number];

/**
 * Weight initializers: the variance-scaling presets, and the course's two bad examples
 * (`tiny` = N(0, 0.01²), `large` = N(0, 10²): the "random ×10" of the initialization notebook).
 */
export const INITS = ["he", "xavier", "lecun", "tiny", "large", "zeros"] as const;
export type InitName = (typeof INITS)[number];

/** Optimizers, the `@hone/optim` recipes with their default β's. */
export const OPTIMIZERS = ["sgd", "momentum", "rmsprop", "adam"] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];

/** One run of the playground. */
export interface PlaygroundConfig {
  /** The data set: a generator, or `"csv"` for `csv`. Default `"moons"`. */
  dataset: DataSource;
  /** The loaded CSV's rows, used when `dataset` is `"csv"`. Default null. */
  csv: CsvData | null;
  /** Rows generated (train + dev). Default 400. */
  samples: number;
  /** The generator's noise. Default 0.2. */
  noise: number;
  /** Arms of the spirals (ignored by moons and circles, which have two classes). Default 2. */
  classes: number;
  /** Share of the rows held out as the dev set. Default 0.3. */
  devShare: number;
  /** Hidden layer sizes, input first. Default `[16, 16]`. */
  hidden: number[];
  /** Hidden activation. Default `"relu"`. */
  activation: ActivationName;
  /** Weight initializer. Default `"he"`. */
  init: InitName;
  /** L2 λ in the course's convention (cost += λ/(2m)·Σ‖W‖²). Default 0. */
  l2: number;
  /** Dropout keep probability after every hidden layer (1 = no dropout). Default 1. */
  keepProb: number;
  /** Optimizer. Default `"adam"`. */
  optimizer: OptimizerName;
  /** Learning rate. Default 0.01. */
  lr: number;
  /** Rows per mini-batch, or 0 for the full batch. Default 32. */
  batchSize: number;
  /** Training stops by itself after this many epochs. Default 1000. */
  maxEpochs: number;
  /** The seed of every random stream (data, split, weights, shuffling, dropout). Default 1. */
  seed: number;
}

/** The defaults: moons, 16-16 ReLU with He init, Adam 0.01, batches of 32. */
export function defaultConfig(): PlaygroundConfig {
  return {
    dataset: "moons", csv: null, samples: 400, noise: 0.2, classes: 2, devShare: 0.3,
    hidden: [16, 16], activation: "relu", init: "he", l2: 0, keepProb: 1,
    optimizer: "adam", lr: 0.01, batchSize: 32, maxEpochs: 1000, seed: 1,
  };
}

/** The values the select controls offer. */
export const CHOICES = {
  samples: [100, 200, 400, 1000, 2000],
  noise: [0, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5],
  classes: [2, 3, 4],
  l2: [0, 0.01, 0.03, 0.1, 0.3, 1, 3, 10],
  keepProb: [1, 0.95, 0.9, 0.8, 0.7, 0.5],
  lr: [0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3],
  batchSize: [8, 16, 32, 64, 128, 0],
  maxEpochs: [100, 300, 1000, 3000],
  /** Epochs per second; 0 = as fast as it goes. */
  speed: [5, 20, 60, 200, 0],
} as const;

/** The training pace the page starts with, in epochs per second. */
export const DEFAULT_SPEED = 60;

/** The noise each data set starts with when picked (the circles' gap is narrower than the moons'). */
export const DEFAULT_NOISE: Record<DatasetName, number> = { moons: 0.2, circles: 0.1, spirals: 0.2 };

/** Labels for choices whose value alone says too little. */
export const LABELS: Record<string, string> = {
  relu: "ReLU", leakyRelu: "leaky ReLU", tanh: "tanh", sigmoid: "sigmoid",
  he: "He (var 2/n)", xavier: "Glorot/Xavier (var 2/(n+m))", lecun: "LeCun (var 1/n, the course's \"Xavier\")",
  tiny: "tiny: N(0, 0.01²)", large: "large: N(0, 10²)", zeros: "zeros",
  sgd: "gradient descent", momentum: "momentum (β 0.9)", rmsprop: "RMSprop (β 0.9)", adam: "Adam",
};

/** Thrown for a configuration the controls should not have produced. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

/**
 * Hidden sizes from text such as `"16, 16"` or `"8 4"`; an empty text means no hidden
 * layer (logistic regression). Each size is an integer in [1, 256], at most 6 layers.
 *
 * @example
 * ```ts
 * parseHidden("16, 8"); // [16, 8]
 * parseHidden("x");     // throws ConfigError
 * ```
 */
export function parseHidden(text: string): number[] {
  const parts = text.split(/[\s,;]+/).filter((s) => s !== "");
  if (parts.length > 6) throw new ConfigError(`at most 6 hidden layers, got ${parts.length}`);
  return parts.map((p) => {
    const n = Number(p);
    if (!Number.isInteger(n) || n < 1 || n > 256) throw new ConfigError(`a layer size must be an integer from 1 to 256, got ${JSON.stringify(p)}`);
    return n;
  });
}

/** `hidden` as the layers text field shows it. */
export function formatHidden(hidden: readonly number[]): string {
  return hidden.join(", ");
}

function within(name: string, v: number, lo: number, hi: number, integer = false): void {
  if (typeof v !== "number" || !Number.isFinite(v) || v < lo || v > hi || (integer && !Number.isInteger(v))) {
    throw new ConfigError(`${name} must be ${integer ? "an integer " : ""}in [${lo}, ${hi}], got ${String(v)}`);
  }
}

function oneOf<T extends string>(name: string, v: T, options: readonly T[]): void {
  if (!options.includes(v)) throw new ConfigError(`${name} must be one of ${options.join(", ")}, got ${JSON.stringify(v)}`);
}

/**
 * Checks every field of `c` (the worker gets plain data from the page) and returns a copy.
 *
 * @example
 * ```ts
 * checkConfig({ ...defaultConfig(), keepProb: 0 }); // throws: keepProb must be in [0.05, 1], got 0
 * ```
 */
export function checkConfig(c: PlaygroundConfig): PlaygroundConfig {
  oneOf<DataSource>("dataset", c.dataset, [...DATASETS, "csv"]);
  if (c.dataset === "csv") checkCsv(c.csv);
  within("samples", c.samples, 20, 5000, true);
  within("noise", c.noise, 0, 2);
  within("classes", c.classes, 2, 6, true);
  within("devShare", c.devShare, 0.05, 0.5);
  if (!Array.isArray(c.hidden) || c.hidden.length > 6) throw new ConfigError("hidden must list at most 6 layer sizes");
  c.hidden.forEach((n, i) => within(`hidden[${i}]`, n, 1, 256, true));
  oneOf("activation", c.activation, ACTIVATIONS);
  oneOf("init", c.init, INITS);
  within("l2", c.l2, 0, 100);
  within("keepProb", c.keepProb, 0.05, 1);
  oneOf("optimizer", c.optimizer, OPTIMIZERS);
  within("lr", c.lr, 1e-6, 10);
  within("batchSize", c.batchSize, 0, 5000, true);
  within("maxEpochs", c.maxEpochs, 1, 100_000, true);
  within("seed", c.seed, 0, 2 ** 32 - 1, true);
  return { ...c, hidden: [...c.hidden] };
}

function checkCsv(d: CsvData | null): void {
  if (d === null || typeof d !== "object") throw new ConfigError("dataset \"csv\" needs csv: the loaded file's rows, got none");
  const m = Array.isArray(d.y) ? d.y.length : -1;
  within("csv rows", m, CSV_LIMITS.minRows, CSV_LIMITS.rows, true);
  if (!Array.isArray(d.x) || d.x.length !== 2 * m) throw new ConfigError(`csv.x must hold 2 numbers a row (${2 * m}), got ${Array.isArray(d.x) ? d.x.length : typeof d.x}`);
  if (!d.x.every((v) => typeof v === "number" && Number.isFinite(v))) throw new ConfigError("csv.x must hold finite numbers");
  if (!Array.isArray(d.classes) || d.classes.length < 2 || d.classes.length > CSV_LIMITS.classes) {
    throw new ConfigError(`csv.classes must name 2 to ${CSV_LIMITS.classes} classes, got ${Array.isArray(d.classes) ? d.classes.length : typeof d.classes}`);
  }
  if (!d.y.every((k) => Number.isInteger(k) && k >= 0 && k < d.classes.length)) throw new ConfigError(`csv.y must hold class ids from 0 to ${d.classes.length - 1}`);
}
