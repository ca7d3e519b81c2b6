// The data, model, training and regularization flags shared by `train` and `gradcheck`, and
// their resolution into one JSON-friendly config (printed by --json and saved with a model).
import { Option, type Command } from "commander";
import { BUILTIN, GENERATED, STDIN, isBuiltin, sourceName } from "./data.js";
import { UsageError } from "./errors.js";
import {
  batchSize, hiddenLayers, integerFrom, keepProb, labelColumn, listOf, numberIn, oneOf, ratios,
} from "./parse.js";

export const ACTIVATIONS = ["relu", "tanh", "sigmoid", "leaky-relu"] as const;
export const INITS = ["he", "lecun", "xavier", "zeros", "random"] as const;
export const OPTIMIZERS = ["gd", "momentum", "rmsprop", "adam", "adamw"] as const;
export const DECAYS = ["none", "inverse", "stepped", "exponential", "cosine"] as const;
export const NORMALIZERS = ["standard", "minmax", "none"] as const;
export const TASKS = ["auto", "classification", "regression"] as const;

/**
 * The defaults of `hone train`: measured to reach dev accuracy ≥ 0.95 on moons in seconds.
 * With `--conv` (images) the dense part defaults to no hidden layer (the flattened features
 * straight to the classes) and the pixels, already in [0, 1], to no normalization: with
 * these, `--data digits --conv 8,16` reached test accuracy 0.972–0.983 over seeds 1–4.
 */
export const DEFAULTS = {
  data: "moons",
  samples: 1000,
  split: "60/20/20",
  normalize: "standard",
  layers: [16, 16],
  activation: "relu",
  optimizer: "adam",
  lr: 0.01,
  batchSize: 64,
  epochs: 200,
  patience: 20,
  /**
   * The L2 λ of a CSV run (built-in sets: 0). Real tables are small next to the network's
   * weights (diabetes: 266 training rows, 465 weights); λ = 1 in the course's λ/(2m)
   * convention (scikit-learn's MLP `alpha=1`) took diabetes's test R² from 0.23 to 0.52
   * and customers' accuracy from 66% to 71%, within a point elsewhere (iris, wine, breast cancer).
   */
  tableL2: 1,
} as const;

/** Commander's parsed flags of `train` (and `gradcheck`). */
export interface TrainFlags {
  data: string;
  label?: string | number;
  samples?: number;
  noise?: number;
  classes?: number;
  split: string;
  stratify?: boolean;
  trainRows?: number;
  normalize?: (typeof NORMALIZERS)[number];
  layers?: number[];
  conv?: number[];
  activation: (typeof ACTIVATIONS)[number];
  init?: (typeof INITS)[number];
  initScale?: number;
  dtype: "float64" | "float32";
  optimizer: (typeof OPTIMIZERS)[number];
  lr: number;
  beta?: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
  lrDecay: (typeof DECAYS)[number];
  decayRate?: number;
  decayInterval?: number;
  minLr?: number;
  batchSize: number | "full";
  epochs: number;
  clipNorm?: number;
  l2?: number;
  l1?: number;
  weightDecay?: number;
  keepProb?: number | number[];
  augment?: AugmentSpec[];
  earlyStopping?: boolean;
  patience?: number;
  restoreBest?: boolean;
  minDelta?: number;
  baseError?: number;
  json?: boolean;
  seed: number;
  task: (typeof TASKS)[number];
  delimiter?: string;
  decimal?: "." | ",";
  header: boolean;
  naValues?: string[];
  categorical?: string[];
  ignore?: string[];
  features?: string[];
  keep?: string[];
  impute: "median" | "mean";
  imputeCategorical: "missing" | "most-frequent";
  missingIndicators?: boolean;
  unseen: "zeros" | "error";
  minCategoryCount: number;
  classWeight: "none" | "balanced";
  threshold?: number | "auto";
  positive?: string;
  loss?: "mse" | "huber";
  huberDelta?: number;
}

/** How a CSV's columns become features (`--categorical`, `--ignore`, `--features`, `--keep`, the imputation flags). */
export interface TableConfig {
  delimiter: string;
  decimal: "." | ",";
  header: boolean;
  /** Missing-cell markers besides a blank; null: the defaults. */
  naValues: string[] | null;
  categorical: string[];
  ignore: string[];
  features: string[] | null;
  keep: string[];
  numericImpute: "median" | "mean";
  categoricalImpute: "missing" | "most-frequent";
  indicators: boolean;
  unseen: "zeros" | "error";
  minCategoryCount: number;
}

/**
 * One training-batch augmentation: Gaussian noise of standard deviation `std` (in normalized
 * units; any data), or for images a random shift by up to `pixels` in each direction, a
 * random rotation by up to `degrees` (bilinear), or a left–right mirror of half the images.
 */
export type AugmentSpec =
  | { type: "noise"; std: number }
  | { type: "shift"; pixels: number }
  | { type: "rotate"; degrees: number }
  | { type: "flip" };

/** The image augmentations (`--augment` items that need `--data digits`). */
export const IMAGE_AUGMENTS = ["shift", "rotate", "flip"] as const;

/** An augmentation as `--augment` writes it: `noise:0.1`, `shift:1`, `rotate:10`, `flip`. */
export function augmentText(a: AugmentSpec): string {
  return a.type === "noise" ? `noise:${a.std}` : a.type === "shift" ? `shift:${a.pixels}` : a.type === "rotate" ? `rotate:${a.degrees}` : "flip";
}

/** The learning-rate schedule, per epoch. */
export interface DecaySpec {
  type: (typeof DECAYS)[number];
  /** inverse/stepped: k in α₀/(1 + k·t); exponential: the factor per interval. */
  rate?: number;
  /** stepped/exponential: epochs per step. */
  interval?: number;
  /** cosine: the final learning rate. */
  minLr?: number;
}

/** Everything a run was configured with, resolved (defaults filled in), JSON-friendly. */
export interface TrainConfig {
  seed: number;
  data: { source: string; samples?: number; noise?: number; classes?: number; label?: string | number };
  /** `--task`: auto (inferred from the label), classification or regression. */
  task: (typeof TASKS)[number];
  /** A CSV's reading and preprocessing; null for a built-in data set. */
  table: TableConfig | null;
  /** Classification: `--class-weight`, `--threshold` (binary; "auto" picks it on dev by F1), `--positive`. Regression: `--loss`, `--huber-delta`. */
  objective: { classWeight: "none" | "balanced"; threshold: number | "auto"; positive: string | null; loss: "mse" | "huber"; huberDelta: number };
  /** `trainRows`: train on the first n rows of the training split only (hidden `--train-rows`, for `hone curve`). */
  split: { ratios: string; stratify: boolean; trainRows?: number };
  normalize: (typeof NORMALIZERS)[number];
  model: {
    hidden: number[];
    /** `--conv`: the channels of each convolution block (3×3 conv, activation, 2×2 max-pool) before the dense layers; empty for none. */
    conv: number[];
    activation: (typeof ACTIVATIONS)[number];
    init: (typeof INITS)[number];
    initScale: number | null;
    dtype: "float64" | "float32";
  };
  optimizer: {
    name: (typeof OPTIMIZERS)[number];
    lr: number;
    beta?: number;
    beta1?: number;
    beta2?: number;
    eps?: number;
    weightDecay?: number;
    decay: DecaySpec;
    clipNorm: number | null;
  };
  training: { epochs: number; batchSize: number | "full" };
  regularization: {
    l2: number;
    l1: number;
    keepProb: number | number[];
    augment: AugmentSpec[];
    earlyStopping: { patience: number; restoreBest: boolean; minDelta: number } | null;
  };
  /** --base-error, or null: then the data set's known Bayes error, else an estimate from the training split. */
  baseError: number | null;
}

function augmentItem(text: string): AugmentSpec {
  const [name, value, ...rest] = text.split(":");
  if (rest.length > 0) throw new Error("bad");
  if (name === "noise") return { type: "noise", std: value === undefined ? 0.1 : numberIn("--augment", { min: 0, minOpen: true })(value) };
  if (name === "shift") return { type: "shift", pixels: value === undefined ? 1 : integerFrom("--augment", 1, 1000)(value) };
  if (name === "rotate") return { type: "rotate", degrees: value === undefined ? 10 : numberIn("--augment", { min: 0, max: 180, minOpen: true })(value) };
  if (name === "flip" && value === undefined) return { type: "flip" };
  throw new Error("bad");
}

/** Adds the data, split and normalization flags. */
export function addDataFlags(cmd: Command): Command {
  return cmd
    .option("--data <name|file.csv>", `a built-in data set (${BUILTIN.join(", ")}), a CSV file, or - to read the CSV from standard input`, DEFAULTS.data)
    .option("--label <column>", "the CSV label column: a name or a 0-based index (default: the last column)", labelColumn)
    .option("--samples <n>", `rows to generate for a generated data set (${GENERATED.join(", ")}; default ${DEFAULTS.samples})`, integerFrom("--samples", 10, 10_000_000))
    .option("--noise <σ>", "noise of a generated data set (moons 0.2, circles 0.05, spirals 0.2; blobs: cluster std 1)", numberIn("--noise", { min: 0 }))
    .option("--classes <k>", "classes of blobs (default 3) or spirals (default 2)", integerFrom("--classes", 2, 100))
    .option("--split <ratios>", "train/dev/test percentages, e.g. 60/20/20 or 98/1/1", ratios("--split"), DEFAULTS.split)
    .option("--stratify", "keep each class's share of the rows in train, dev and test")
    .addOption(new Option("--train-rows <n>", "train on the first n rows of the training split (hone curve's runs)").argParser(integerFrom("--train-rows", 1)).hideHelp())
    .addOption(new Option("--normalize <how>", `input normalization, fit on the training split only (default: ${DEFAULTS.normalize}; none for digits, whose pixels are in [0, 1])`).argParser(oneOf("--normalize", NORMALIZERS)))
    .addOption(new Option("--task <task>", "auto: a numeric label with more than 20 distinct values (or non-integers) is regression, else classification").argParser(oneOf("--task", TASKS)).default("auto"))
    .option("--delimiter <c>", 'CSV: the field delimiter: a character, "tab", or "auto" (detected from the first line: comma, semicolon, tab or pipe)', delimiterFlag, "auto")
    .addOption(new Option("--decimal <mark>", 'CSV: the decimal mark, "." or "," (3,5 = 3.5; needs a delimiter other than a comma)').argParser(oneOf("--decimal", [".", ","] as const)).default("."))
    .option("--no-header", "CSV: the file has no header row (columns are named column1, column2, …)")
    .option("--na-values <list>", 'CSV: the markers of a missing cell besides a blank one, e.g. "NA,-,?" (default: NA, N/A, NaN, null, None, #N/A, <NA>, ? and their lower-case forms)', listOf("--na-values", (t) => t, "a comma-separated list of markers"))
    .option("--categorical <columns>", "CSV: columns to one-hot encode even though their cells are numbers", columnList("--categorical"))
    .option("--ignore <columns>", "CSV: columns to leave out of the features (IDs, leaks)", columnList("--ignore"))
    .option("--features <columns>", "CSV: use only these columns as features", columnList("--features"))
    .option("--keep <columns>", "CSV: keep these identifier-like columns as features (hone ignores a column with a different value in every row)", columnList("--keep"))
    .addOption(new Option("--impute <how>", "CSV: a missing numeric cell gets the training median or mean").argParser(oneOf("--impute", ["median", "mean"] as const)).default("median"))
    .addOption(new Option("--impute-categorical <how>", 'CSV: a missing categorical cell is its own category ("missing") or the most frequent one').argParser(oneOf("--impute-categorical", ["missing", "most-frequent"] as const)).default("missing"))
    .option("--missing-indicators", "CSV: add a 0/1 column after each numeric column that had missing training cells")
    .addOption(new Option("--unseen <policy>", "CSV: a category not seen in training, at predict time: all-zeros one-hot, or an error").argParser(oneOf("--unseen", ["zeros", "error"] as const)).default("zeros"))
    .option("--min-category-count <n>", "CSV: categories with fewer training rows share one (rare) column", integerFrom("--min-category-count", 1), 5)
    .addOption(new Option("--class-weight <how>", "classification: weight the loss by class, balanced = n / (k · class count)").argParser(oneOf("--class-weight", ["none", "balanced"] as const)).default("none"))
    .option("--threshold <p|auto>", "binary classification: predict the positive class when its probability is above p (default 0.5); auto picks p on dev by F1 and applies it to test", thresholdFlag)
    .option("--positive <class>", "binary classification: the positive class for precision, recall, F1, ROC-AUC and PR-AUC (default: the second class in sorted order)")
    .addOption(new Option("--loss <loss>", "regression: mean squared error, or Huber (quadratic within --huber-delta of the target, linear beyond)").argParser(oneOf("--loss", ["mse", "huber"] as const)))
    .option("--huber-delta <δ>", "regression with --loss huber: δ, in standard deviations of the training target (default 1)", numberIn("--huber-delta", { min: 0, minOpen: true }));
}

/** `--delimiter ;`, `--delimiter tab`, `--delimiter auto`. */
function delimiterFlag(text: string): string {
  if (text === "auto") return text;
  const t = text === "tab" || text === "\\t" ? "\t" : text;
  if (t.length !== 1 || t === '"' || t === "\n" || t === "\r") throw new UsageError(`--delimiter must be one character, "tab" or "auto", got ${JSON.stringify(text)}`);
  return t;
}

/** `--threshold 0.3` or `--threshold auto`. */
function thresholdFlag(text: string): number | "auto" {
  if (text.trim() === "auto") return "auto";
  return numberIn("--threshold", { min: 0, max: 1, minOpen: true, maxOpen: true })(text);
}

/** A comma-separated list of column names. */
function columnList(flag: string): (text: string) => string[] {
  return listOf(flag, (t) => t, "a comma-separated list of column names");
}

/** Adds the model, optimizer, schedule and regularization flags. */
export function addModelFlags(cmd: Command, epochsDefault: number): Command {
  return cmd
    // The displayed default is what one would type (commander would print the array as [16,16]).
    .option("--layers <sizes>", `hidden (dense) layer sizes, e.g. 20,3 (input and output sizes come from the data; "none" for none; default ${DEFAULTS.layers.join(",")}, none after --conv)`, hiddenLayers())
    .option("--conv <channels>", "images (--data digits): convolution blocks before the dense layers, their output channels, e.g. 8,16 (each a 3×3 same convolution, the activation and 2×2 max-pooling)", hiddenLayers("--conv", { none: false }))
    .addOption(new Option("--activation <f>", "hidden activation").argParser(oneOf("--activation", ACTIVATIONS)).default(DEFAULTS.activation))
    .addOption(new Option("--init <scheme>", "weight initialization (default: he for relu/leaky-relu, xavier for tanh/sigmoid)").argParser(oneOf("--init", INITS)))
    .option("--init-scale <s>", "random: the standard deviation (default 0.01); he/lecun/xavier: a factor on their standard deviation (default 1)", numberIn("--init-scale", { min: 0, minOpen: true }))
    .addOption(new Option("--dtype <t>", "parameter and data dtype").argParser(oneOf("--dtype", ["float64", "float32"] as const)).default("float64"))
    .addOption(new Option("--optimizer <name>", "gd (plain gradient descent), momentum, rmsprop, adam, adamw").argParser(oneOf("--optimizer", OPTIMIZERS)).default(DEFAULTS.optimizer))
    .option("--lr <α>", "learning rate", numberIn("--lr", { min: 0, minOpen: true }), DEFAULTS.lr)
    .option("--beta <β>", "momentum's β (default 0.9), RMSprop's squared-gradient decay β (default 0.9)", numberIn("--beta", { min: 0, max: 1, maxOpen: true }))
    .option("--beta1 <β1>", "Adam's first-moment decay (default 0.9)", numberIn("--beta1", { min: 0, max: 1, maxOpen: true }))
    .option("--beta2 <β2>", "Adam's second-moment decay (default 0.999)", numberIn("--beta2", { min: 0, max: 1, maxOpen: true }))
    .option("--eps <ε>", "RMSprop/Adam's ε, added outside the square root (default 1e-8)", numberIn("--eps", { min: 0, minOpen: true }))
    .addOption(new Option("--lr-decay <schedule>", "learning-rate decay per epoch: inverse α₀/(1+k·t), stepped α₀/(1+k·⌊t/interval⌋), exponential α₀·r^(t/interval), cosine to --min-lr").argParser(oneOf("--lr-decay", DECAYS)).default("none"))
    .option("--decay-rate <k>", "inverse/stepped: k (default 1); exponential: the factor r per interval (default 0.5)", numberIn("--decay-rate", { min: 0, minOpen: true }))
    .option("--decay-interval <epochs>", "stepped/exponential: epochs per step (default 100)", integerFrom("--decay-interval", 1))
    .option("--min-lr <α>", "cosine: the learning rate at the last epoch (default 0)", numberIn("--min-lr", { min: 0 }))
    .option("--batch-size <n|full>", 'rows per mini-batch, or "full" for full-batch gradient descent', batchSize(), DEFAULTS.batchSize)
    .option("--epochs <n>", "passes over the training split", integerFrom("--epochs", epochsDefault === 0 ? 0 : 1, 10_000_000), epochsDefault)
    .option("--clip-norm <max>", "clip the gradients' global L2 norm to this", numberIn("--clip-norm", { min: 0, minOpen: true }))
    .option("--l2 <λ>", "L2 penalty λ/(2m)·Σ‖W‖² (the course's convention; biases not penalized); default 0 for a built-in data set, 1 for a CSV file", numberIn("--l2", { min: 0 }))
    .option("--l1 <λ>", "L1 penalty λ/(2m)·Σ|W|", numberIn("--l1", { min: 0 }))
    .option("--weight-decay <wd>", "weight decay λ: decoupled for adamw (W −= α·λ·W, default 0.01), else added to the gradient as λ·W (PyTorch's weight_decay)", numberIn("--weight-decay", { min: 0 }))
    .option("--keep-prob <p>", "dropout keep probability after every hidden layer, or one per hidden layer: 1,0.5,0.7", keepProb())
    .option("--augment <list>", "training-batch augmentation: noise[:σ] (Gaussian jitter, σ in normalized units, default 0.1); for images also shift[:pixels] (random translation, default 1), rotate[:degrees] (random rotation, default 10) and flip (left–right mirror)", listOf("--augment", augmentItem, 'a list like "noise", "noise:0.05" or "shift:1,rotate:10"'))
    .option("--early-stopping", "stop when the dev loss has not improved for --patience epochs")
    .option("--patience <n>", `epochs without dev-loss improvement before stopping (implies --early-stopping; default ${DEFAULTS.patience})`, integerFrom("--patience", 1))
    .option("--restore-best", "after early stopping, restore the weights of the best dev-loss epoch (implies --early-stopping)")
    .option("--min-delta <d>", "an improvement must beat the best dev loss by more than this (implies --early-stopping; default 0)", numberIn("--min-delta", { min: 0 }))
    .option("--base-error <e>", "base (Bayes or human-level) error for the bias/variance diagnosis (default: the built-in data set's Bayes error, else a k-NN estimate from the training split)", numberIn("--base-error", { min: 0, max: 1 }));
}

/** The config of a run, with defaults resolved and flag combinations checked. */
export function resolveConfig(flags: TrainFlags): TrainConfig {
  const builtin = isBuiltin(flags.data);
  const csvOnly: [string, boolean][] = [
    ["--task", flags.task !== "auto"], ["--delimiter", flags.delimiter !== undefined && flags.delimiter !== "auto"], ["--decimal", flags.decimal !== undefined && flags.decimal !== "."],
    ["--no-header", flags.header === false], ["--na-values", flags.naValues !== undefined], ["--categorical", flags.categorical !== undefined], ["--ignore", flags.ignore !== undefined],
    ["--features", flags.features !== undefined], ["--keep", flags.keep !== undefined], ["--missing-indicators", flags.missingIndicators === true],
    ["--impute", flags.impute !== undefined && flags.impute !== "median"], ["--impute-categorical", flags.imputeCategorical !== undefined && flags.imputeCategorical !== "missing"],
    ["--unseen", flags.unseen !== undefined && flags.unseen !== "zeros"], ["--loss", flags.loss !== undefined], ["--huber-delta", flags.huberDelta !== undefined],
    ["--label", flags.label !== undefined],
  ];
  if (builtin) {
    const given = csvOnly.filter(([, on]) => on).map(([f]) => f);
    if (given.length > 0) throw new UsageError(`${given.join(", ")} appl${given.length > 1 ? "y" : "ies"} to a CSV file; --data ${flags.data} is a built-in classification data set`);
  }
  if (flags.task === "classification" && (flags.loss !== undefined || flags.huberDelta !== undefined)) throw new UsageError("--loss and --huber-delta apply to regression; a classifier is trained with cross-entropy");
  if (flags.huberDelta !== undefined && flags.loss !== "huber") throw new UsageError("--huber-delta applies to --loss huber");
  if (flags.task === "regression" && (flags.classWeight === "balanced" || flags.threshold !== undefined || flags.positive !== undefined)) {
    throw new UsageError("--class-weight, --threshold and --positive apply to classification, not to --task regression");
  }
  const images = flags.data === "digits";
  const where = flags.data === STDIN ? "a CSV on standard input" : builtin ? `--data ${flags.data}` : `the file ${JSON.stringify(flags.data)}`;
  if (!builtin) {
    if (flags.samples !== undefined) throw new UsageError(`--samples applies to the generated data sets (${GENERATED.join(", ")}), not to ${where}`);
    if (flags.noise !== undefined) throw new UsageError(`--noise applies to the generated data sets (${GENERATED.join(", ")}), not to ${where}`);
    if (flags.classes !== undefined) throw new UsageError(`--classes applies to blobs and spirals; the classes of ${sourceName(flags.data)} come from its label column`);
  } else if (images) {
    const given = ([["--samples", flags.samples], ["--noise", flags.noise], ["--classes", flags.classes]] as const).filter(([, v]) => v !== undefined).map(([f]) => f);
    if (given.length > 0) throw new UsageError(`${given.join(", ")} appl${given.length > 1 ? "y" : "ies"} to the generated data sets (${GENERATED.join(", ")}); --data digits is a fixed set of 1,797 images with 10 classes`);
  } else if (flags.classes !== undefined && flags.data !== "blobs" && flags.data !== "spirals") {
    throw new UsageError(`--classes applies to blobs and spirals; ${flags.data} has 2 classes`);
  }
  const conv = flags.conv ?? [];
  if (conv.length > 0 && !images) throw new UsageError(`--conv needs images (--data digits); ${where} is a table of features, for --layers`);
  const imageAugments = (flags.augment ?? []).filter((a) => a.type !== "noise").map(augmentText);
  if (imageAugments.length > 0 && !images) throw new UsageError(`--augment ${imageAugments.join(",")} transforms images (--data digits); ${where} is a table of features (use noise[:σ])`);
  const hidden = flags.layers ?? (conv.length > 0 ? [] : DEFAULTS.layers.slice());
  // The hidden layers alone (one input, one output) bound the network from below: refuse a hopeless size before reading any data.
  checkParameters([1, ...hidden, 1], hidden, { atLeast: true });
  const activation = flags.activation;
  const init = flags.init ?? (activation === "relu" || activation === "leaky-relu" ? "he" : "xavier");
  if (flags.initScale !== undefined && init === "zeros") throw new UsageError("--init-scale has no effect with --init zeros");
  const keep = flags.keepProb ?? 1;
  if (Array.isArray(keep) && keep.length !== hidden.length) {
    throw new UsageError(`--keep-prob lists ${keep.length} probabilities but the network has ${hidden.length} hidden layer${hidden.length === 1 ? "" : "s"} (--layers ${hidden.join(",") || "none"})`);
  }
  if (hidden.length === 0 && (Array.isArray(keep) || keep < 1)) throw new UsageError("--keep-prob needs hidden layers (dropout goes after each hidden layer)");

  const name = flags.optimizer;
  const uses: Record<string, readonly string[]> = { gd: [], momentum: ["beta"], rmsprop: ["beta", "eps"], adam: ["beta1", "beta2", "eps"], adamw: ["beta1", "beta2", "eps"] };
  for (const key of ["beta", "beta1", "beta2", "eps"] as const) {
    if (flags[key] !== undefined && !uses[name]!.includes(key)) {
      throw new UsageError(`--${key} does not apply to --optimizer ${name}${name === "gd" ? " (plain gradient descent has only --lr)" : ` (it takes ${uses[name]!.map((k) => `--${k}`).join(", ")})`}`);
    }
  }
  const optimizer: TrainConfig["optimizer"] = { name, lr: flags.lr, decay: resolveDecay(flags), clipNorm: flags.clipNorm ?? null };
  if (name === "momentum") optimizer.beta = flags.beta ?? 0.9;
  if (name === "rmsprop") { optimizer.beta = flags.beta ?? 0.9; optimizer.eps = flags.eps ?? 1e-8; }
  if (name === "adam" || name === "adamw") {
    optimizer.beta1 = flags.beta1 ?? 0.9;
    optimizer.beta2 = flags.beta2 ?? 0.999;
    optimizer.eps = flags.eps ?? 1e-8;
  }
  if (name === "adamw") optimizer.weightDecay = flags.weightDecay ?? 0.01;
  else if (flags.weightDecay !== undefined && flags.weightDecay > 0) optimizer.weightDecay = flags.weightDecay;

  const early = flags.earlyStopping === true || flags.patience !== undefined || flags.restoreBest === true || flags.minDelta !== undefined;
  const data: TrainConfig["data"] = { source: flags.data };
  if (builtin && !images) {
    data.samples = flags.samples ?? DEFAULTS.samples;
    if (flags.noise !== undefined) data.noise = flags.noise;
    if (flags.classes !== undefined) data.classes = flags.classes;
  } else if (flags.label !== undefined) data.label = flags.label;
  const table: TableConfig | null = builtin ? null : {
    delimiter: flags.delimiter ?? "auto", decimal: flags.decimal ?? ".", header: flags.header !== false, naValues: flags.naValues ?? null,
    categorical: flags.categorical ?? [], ignore: flags.ignore ?? [], features: flags.features ?? null, keep: flags.keep ?? [],
    numericImpute: flags.impute ?? "median", categoricalImpute: flags.imputeCategorical ?? "missing", indicators: flags.missingIndicators === true,
    unseen: flags.unseen ?? "zeros", minCategoryCount: flags.minCategoryCount ?? 5,
  };
  return {
    seed: flags.seed,
    data,
    task: flags.task ?? "auto",
    table,
    objective: { classWeight: flags.classWeight ?? "none", threshold: flags.threshold ?? 0.5, positive: flags.positive ?? null, loss: flags.loss ?? "mse", huberDelta: flags.huberDelta ?? 1 },
    split: { ratios: flags.split, stratify: flags.stratify === true, ...(flags.trainRows === undefined ? {} : { trainRows: flags.trainRows }) },
    normalize: flags.normalize ?? (images ? "none" : DEFAULTS.normalize),
    model: { hidden, conv, activation, init, initScale: flags.initScale ?? null, dtype: flags.dtype },
    optimizer,
    training: { epochs: flags.epochs, batchSize: flags.batchSize },
    regularization: {
      l2: flags.l2 ?? (builtin ? 0 : DEFAULTS.tableL2),
      l1: flags.l1 ?? 0,
      keepProb: keep,
      augment: flags.augment ?? [],
      earlyStopping: early ? { patience: flags.patience ?? DEFAULTS.patience, restoreBest: flags.restoreBest === true, minDelta: flags.minDelta ?? 0 } : null,
    },
    baseError: flags.baseError ?? null,
  };
}

/**
 * The largest network hone builds, so that a size too large to allocate is a usage error
 * naming --layers rather than a RangeError from deep inside a typed-array constructor.
 * `parameters`: weights and biases (25 million float64 values are 200 MB, and training keeps
 * about four copies: the weights, their gradients and Adam's two moments). `activations`:
 * values computed at once by a pass, rows × units (100 million float64 values are 800 MB,
 * and the backward pass keeps a few arrays of that size per layer).
 */
export const NETWORK_LIMITS = { parameters: 25_000_000, activations: 100_000_000 } as const;

/** The weights and biases of a fully connected network of `sizes` (input, hidden…, output): Σ (in + 1)·out. */
export function parameterCount(sizes: readonly number[]): number {
  let n = 0;
  for (let i = 1; i < sizes.length; i++) n += (sizes[i - 1]! + 1) * sizes[i]!;
  return n;
}

const count = (n: number): string => n.toLocaleString("en-US");
const layersText = (hidden: readonly number[]): string => `--layers ${hidden.length === 0 ? "none" : hidden.join(",")}`;

/**
 * Throws a UsageError when the network of `sizes` (input, hidden…, output) has more than
 * {@link NETWORK_LIMITS}.parameters. `atLeast`: `sizes` is a lower bound (the hidden layers
 * between one input and one output), checked before the data is read.
 */
export function checkParameters(sizes: readonly number[], hidden: readonly number[], options: { atLeast?: boolean } = {}): void {
  const n = parameterCount(sizes);
  if (n <= NETWORK_LIMITS.parameters) return;
  const network = options.atLeast === true ? "a network of at least" : `a ${sizes.join("→")} network of`;
  throw new UsageError(`${layersText(hidden)} makes ${network} ${count(n)} parameters, more than the limit of ${count(NETWORK_LIMITS.parameters)}; use fewer or narrower hidden layers`);
}

/**
 * Throws a UsageError when a pass would hold more than {@link NETWORK_LIMITS}.activations
 * values at once: a training batch keeps every layer's output for the backward pass
 * (`batchRows` × the units of all layers), and the metrics run each whole split through the
 * network (`evalRows` × the widest layer).
 */
export function checkActivations(sizes: readonly number[], hidden: readonly number[], rows: { batch: number; batchFlag: string; evaluated: number }): void {
  const units = sizes.slice(1);
  const total = units.reduce((a, b) => a + b, 0);
  const widest = Math.max(...units);
  const limit = NETWORK_LIMITS.activations;
  if (rows.batch * total > limit) {
    throw new UsageError(`${layersText(hidden)} with ${rows.batchFlag} holds ${count(rows.batch * total)} activations per training step (${count(rows.batch)} rows × ${count(total)} units), more than the limit of ${count(limit)}; use a smaller --batch-size or narrower hidden layers`);
  }
  if (rows.evaluated * widest > limit) {
    throw new UsageError(`${layersText(hidden)} on a split of ${count(rows.evaluated)} rows holds ${count(rows.evaluated * widest)} activations when it is scored (${count(rows.evaluated)} rows × ${count(widest)} units), more than the limit of ${count(limit)}; use narrower hidden layers or fewer rows`);
  }
}

function resolveDecay(flags: TrainFlags): DecaySpec {
  const type = flags.lrDecay;
  const given = (["decayRate", "decayInterval", "minLr"] as const).filter((k) => flags[k] !== undefined);
  const allowed: Record<DecaySpec["type"], readonly string[]> = {
    none: [], inverse: ["decayRate"], stepped: ["decayRate", "decayInterval"], exponential: ["decayRate", "decayInterval"], cosine: ["minLr"],
  };
  const flagName = { decayRate: "--decay-rate", decayInterval: "--decay-interval", minLr: "--min-lr" } as const;
  for (const k of given) {
    if (!allowed[type].includes(k)) throw new UsageError(`${flagName[k]} does not apply to --lr-decay ${type}${type === "none" ? " (choose a schedule with --lr-decay)" : ""}`);
  }
  switch (type) {
    case "none": return { type };
    case "inverse": return { type, rate: flags.decayRate ?? 1 };
    case "stepped": return { type, rate: flags.decayRate ?? 1, interval: flags.decayInterval ?? 100 };
    case "exponential": {
      const rate = flags.decayRate ?? 0.5;
      if (rate >= 1) throw new UsageError(`--decay-rate for exponential decay is the factor per interval and must be < 1, got ${rate}`);
      return { type, rate, interval: flags.decayInterval ?? 100 };
    }
    case "cosine": {
      const minLr = flags.minLr ?? 0;
      if (minLr >= flags.lr) throw new UsageError(`--min-lr (${minLr}) must be below --lr (${flags.lr})`);
      return { type, minLr };
    }
  }
}
