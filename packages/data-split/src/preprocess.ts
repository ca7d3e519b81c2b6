// From a table to a feature matrix: a role per column (numeric, categorical, ignored, the
// label), inferred with a reason and overridable; missing cells imputed; categories one-hot
// encoded; the label read as class names or a numeric target. Everything is fit on the rows
// it is given — the training split's — and applied unchanged to any other rows or file,
// like the scalers. The fitted state is plain JSON, saved inside a model file.
import { ArgumentError, HoneError, Tensor, describe } from "@hone/tensor";
import { NUMBER } from "./csv.js";
import type { Table, TableColumn } from "./table.js";

// ---------------------------------------------------------------------------------------
// Types

/** What a column is for. */
export type ColumnRole = "numeric" | "categorical" | "ignored" | "label";

/** Classification (class names) or regression (a numeric target). */
export type Task = "classification" | "regression";

/** Options of {@link TablePreprocessor}. */
export interface TablePreprocessorOptions {
  /** The label column: a name, or a 0-based index (negative counts from the end). Default `-1` (the last column). `null`: no label (features only). */
  readonly label?: string | number | null;
  /** `"classification"`, `"regression"`, or `"auto"` ({@link inferTask}). Default `"auto"`. */
  readonly task?: Task | "auto";
  /** Use only these columns as features (the others are ignored). Default: every column that is not the label, ignored or identifier-like. */
  readonly features?: readonly string[];
  /** Columns to treat as categorical even when their cells are numbers. */
  readonly categorical?: readonly string[];
  /** Columns to ignore. */
  readonly ignore?: readonly string[];
  /** Identifier-like columns to keep as features anyway. */
  readonly keep?: readonly string[];
  /** How a missing numeric cell is filled: the training `"median"` (default) or `"mean"`. */
  readonly numericImpute?: "median" | "mean";
  /** How a missing categorical cell is encoded: as its own `"missing"` category (default) or as the `"most-frequent"` one. */
  readonly categoricalImpute?: "missing" | "most-frequent";
  /** Add a 0/1 "was missing" column after each numeric column that had missing training cells. Default `false`. */
  readonly indicators?: boolean;
  /** A category not seen in training, at transform time: `"zeros"` (every one-hot column 0, counted in `unseen`; the default) or `"error"`. */
  readonly unseen?: "zeros" | "error";
  /** Categories with fewer training rows than this share one `(rare)` column (when at least one category reaches it). Default 5. */
  readonly minCategoryCount?: number;
  /** At most this many categories per column get their own column (the most frequent); the rest are rare. Default 50. */
  readonly maxCategories?: number;
  /** The most distinct values a numeric label may have and still be read as classes by `task: "auto"`. Default 20. */
  readonly maxClasses?: number;
}

/** The fitted plan of one column. */
export interface ColumnPlan {
  /** The column's name in the training table. */
  readonly name: string;
  /** Its 0-based position in the training table. */
  readonly index: number;
  readonly role: ColumnRole;
  /** Why it has this role, in words (`"text, e.g. \"north\""`, `"a different value in every row: an identifier"`, …). */
  readonly reason: string;
  /** Missing cells among the fitting rows. */
  readonly missing: number;
  /** Numeric: the value a missing cell gets. */
  readonly fill?: number;
  /** Numeric: whether a "was missing" indicator column follows. */
  readonly indicator?: boolean;
  /** Categorical: the categories with their own column, in output order. */
  readonly categories?: readonly string[];
  /** Categorical: whether a `(rare)` column follows the categories. */
  readonly rare?: boolean;
  /** Categorical: whether a `(missing)` column follows (categoricalImpute "missing" and missing training cells). */
  readonly missingColumn?: boolean;
  /** Categorical with categoricalImpute "most-frequent": the category a missing cell gets. */
  readonly mode?: string;
}

/** How the label is read. */
export type TargetPlan =
  | { readonly task: "classification"; readonly name: string; readonly classes: readonly string[]; readonly reason: string }
  | { readonly task: "regression"; readonly name: string; readonly mean: number; readonly std: number; readonly reason: string };

/** What {@link TablePreprocessor.transform} returns. */
export interface Transformed {
  /** The features, shape (rows, features), float64. */
  readonly x: Tensor;
  /** Cells filled in (missing numeric cells, and missing categorical cells). */
  readonly imputed: number;
  /** Categorical cells with a category not seen in training (encoded as all zeros). */
  readonly unseen: number;
}

/** The JSON form of a fitted {@link TablePreprocessor}. */
export interface TablePreprocessorJSON {
  readonly type: "TablePreprocessor";
  readonly version: 1;
  readonly options: { readonly unseen: "zeros" | "error" };
  readonly columns: readonly ColumnPlan[];
  readonly target: TargetPlan | null;
}

/** A table that does not fit a fitted preprocessor (a missing column, an unseen category with `unseen: "error"`, a bad label). */
export class TableMismatchError extends HoneError {}

// ---------------------------------------------------------------------------------------
// Cells

const RARE = "(rare)";
const MISSING = "(missing)";

/** The category key of a cell: its text, a number in shortest form (so `0.0` and `0` agree), or null when missing. */
function categoryOf(column: TableColumn, row: number): string | null {
  const code = column.codes === null ? -1 : column.codes[row]!;
  if (code >= 0) return column.levels[code]!;
  const v = column.values[row]!;
  return Number.isNaN(v) ? null : String(v);
}

function isTextCell(column: TableColumn, row: number): boolean {
  return column.codes !== null && column.codes[row]! >= 0;
}

/** Names sorted numerically when they all look like numbers, else by code unit. */
function sortNames(names: string[]): string[] {
  const numeric = names.every((n) => NUMBER.test(n));
  return names.sort(numeric ? (a, b) => Number(a) - Number(b) : (a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function allRows(table: Table): Int32Array {
  return Int32Array.from({ length: table.rows }, (_, i) => i);
}

function checkRowsArg(fn: string, table: Table, rows: ArrayLike<number> | undefined): ArrayLike<number> {
  if (rows === undefined) return allRows(table);
  if (rows === null || typeof rows !== "object" || typeof rows.length !== "number") throw new ArgumentError(`${fn}: rows must be an array of row indices, got ${describe(rows)}`);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    if (!Number.isInteger(r) || r < 0 || r >= table.rows) throw new ArgumentError(`${fn}: rows[${i}] = ${r} is not a row of the table (0..${table.rows - 1})`);
  }
  return rows;
}

function checkTable(fn: string, table: unknown): Table {
  const t = table as Partial<Table> | null;
  if (t === null || typeof t !== "object" || !Array.isArray(t.columns) || typeof t.rows !== "number") throw new ArgumentError(`${fn}: table must be a Table from readTable, got ${describe(table)}`);
  return t as Table;
}

function resolveLabel(fn: string, table: Table, label: string | number): number {
  const names = table.columns.map((c) => c.name);
  if (typeof label === "string") {
    const i = names.indexOf(label);
    if (i < 0) throw new ArgumentError(`${fn}: no label column ${JSON.stringify(label)}; the columns are ${names.map((n) => JSON.stringify(n)).join(", ")}`);
    return i;
  }
  const w = names.length;
  if (!(Number.isInteger(label) && label >= -w && label < w)) throw new ArgumentError(`${fn}: label column index ${label} is out of range for ${w} columns (use 0..${w - 1}, or -1 for the last)`);
  return label < 0 ? w + label : label;
}

// ---------------------------------------------------------------------------------------
// The task

/**
 * Reads a label column as classes or as a regression target, with the reason in words.
 * Any text → classification. All numbers: more than `maxClasses` distinct values, or any
 * value that is not an integer (with more than two distinct values), → regression; else
 * classification (so `0`/`1`, `0.0`/`1.0` and ratings 1–5 are classes, a price is a target).
 *
 * @example
 * ```ts
 * import { readTable, inferTask } from "@hone/data-split";
 * const t = await readTable("x,y\n1,0.5\n2,1.7\n3,2.25\n");
 * inferTask(t.columns[1]!).task; // "regression"
 * ```
 */
export function inferTask(column: TableColumn, options: { rows?: ArrayLike<number>; maxClasses?: number } = {}): { task: Task; reason: string } {
  const maxClasses = options.maxClasses ?? 20;
  const n = column.values.length;
  const rows = options.rows ?? Int32Array.from({ length: n }, (_, i) => i);
  const distinct = new Set<string>();
  let integers = true;
  let text: string | null = null;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    if (isTextCell(column, r)) { text ??= column.levels[column.codes![r]!]!; continue; }
    const v = column.values[r]!;
    if (Number.isNaN(v)) continue;
    if (!Number.isInteger(v)) integers = false;
    if (distinct.size <= maxClasses) distinct.add(String(v));
  }
  const name = JSON.stringify(column.name);
  if (text !== null) return { task: "classification", reason: `the label ${name} has text (e.g. ${JSON.stringify(text)})` };
  if (distinct.size > maxClasses) return { task: "regression", reason: `the label ${name} is numeric with more than ${maxClasses} distinct values` };
  if (!integers && distinct.size > 2) return { task: "regression", reason: `the label ${name} is numeric with non-integer values` };
  return { task: "classification", reason: `the label ${name} has ${distinct.size} distinct ${integers ? "integer " : ""}values` };
}

// ---------------------------------------------------------------------------------------
// The preprocessor

function median(values: number[]): number {
  values.sort((a, b) => a - b);
  const h = values.length >> 1;
  return values.length % 2 === 1 ? values[h]! : (values[h - 1]! + values[h]!) / 2;
}

const ID_NAME = /^(id|_id|index|idx|key|uuid|guid|row|rowid|row_id|unnamed.*|.*[_\s-]id|.*ID|.*Id)$/;

function checkNames(fn: string, what: string, value: unknown): readonly string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) throw new ArgumentError(`${fn}: ${what} must be an array of column names, got ${describe(value)}`);
  return value as string[];
}

function oneOf<T extends string>(fn: string, what: string, value: unknown, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!allowed.includes(value as T)) throw new ArgumentError(`${fn}: ${what} must be ${allowed.map((a) => JSON.stringify(a)).join(" or ")}, got ${describe(value)}`);
  return value as T;
}

function positiveInt(fn: string, what: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (!(typeof value === "number" && Number.isInteger(value) && value >= 1)) throw new ArgumentError(`${fn}: ${what} must be a positive integer, got ${describe(value)}`);
  return value;
}

/**
 * Turns a {@link Table} into features: fit on the training rows, then transform any rows
 * of this table or of another file with the same columns.
 *
 * Roles, in order: the label; `ignore`d columns and (with `features`) columns not listed;
 * columns with no value or one value on the fitting rows (ignored: nothing to learn);
 * `categorical` ones; identifier-like ones — a different text in every row, or distinct
 * integers that are consecutive-ish or named like an ID — ignored unless in `keep`; columns
 * with text (categorical, unless at most 1% of the cells are text among many numbers: then
 * numeric, the texts read as missing and said so in the reason); the rest numeric.
 *
 * Encoding: a numeric column is one column (a missing cell gets the training median or mean;
 * with `indicators`, a 0/1 column says it was missing). A categorical column is one-hot:
 * one column per category (numeric-aware sorted), a `(rare)` column for categories seen
 * fewer than `minCategoryCount` times, a `(missing)` column when the training cells had
 * blanks (or blanks become the most frequent category). A category seen only after fitting
 * is all zeros (`unseen: "zeros"`) or an error. Scaling is left to a scaler after this.
 *
 * @example
 * ```ts
 * import { readTable, TablePreprocessor } from "@hone/data-split";
 * const t = await readTable("city,temp,y\nnorth,3,a\nsouth,,b\nnorth,5,a\n");
 * const pre = new TablePreprocessor({ minCategoryCount: 1 }).fit(t);
 * pre.featureNames; // ["city=north", "city=south", "temp"]
 * pre.transform(t).x.toArray(); // [[1, 0, 3], [0, 1, 4], [1, 0, 5]]
 * ```
 */
export class TablePreprocessor {
  readonly #options: TablePreprocessorOptions;
  #columns: ColumnPlan[] | null = null;
  #target: TargetPlan | null = null;

  /** A preprocessor with these options (checked now); {@link fit} it before use. */
  constructor(options: TablePreprocessorOptions = {}) {
    const fn = "TablePreprocessor";
    if (typeof options !== "object" || options === null) throw new ArgumentError(`${fn}: options must be an object, got ${describe(options)}`);
    const label = options.label;
    if (label !== undefined && label !== null && typeof label !== "string" && !(typeof label === "number" && Number.isInteger(label))) {
      throw new ArgumentError(`${fn}: label must be a column name, an integer index or null, got ${describe(label)}`);
    }
    oneOf(fn, "task", options.task, ["classification", "regression", "auto"], "auto");
    for (const key of ["features", "categorical", "ignore", "keep"] as const) checkNames(fn, key, options[key]);
    oneOf(fn, "numericImpute", options.numericImpute, ["median", "mean"], "median");
    oneOf(fn, "categoricalImpute", options.categoricalImpute, ["missing", "most-frequent"], "missing");
    oneOf(fn, "unseen", options.unseen, ["zeros", "error"], "zeros");
    if (options.indicators !== undefined && typeof options.indicators !== "boolean") throw new ArgumentError(`${fn}: indicators must be true or false, got ${describe(options.indicators)}`);
    positiveInt(fn, "minCategoryCount", options.minCategoryCount, 5);
    positiveInt(fn, "maxCategories", options.maxCategories, 50);
    positiveInt(fn, "maxClasses", options.maxClasses, 20);
    this.#options = options;
  }

  /** The column plans, in table order (after {@link fit}). */
  get columns(): readonly ColumnPlan[] {
    return this.#fitted("columns");
  }

  /** How the label is read, or null without a label. */
  get target(): TargetPlan | null {
    this.#fitted("target");
    return this.#target;
  }

  /** The task: from the target, or null without a label. */
  get task(): Task | null {
    return this.target?.task ?? null;
  }

  /** The output feature names, one per column of `transform(...).x`: `temp`, `temp (missing)`, `city=north`, `city=(rare)`, `city=(missing)`. */
  get featureNames(): string[] {
    const names: string[] = [];
    for (const c of this.#fitted("featureNames")) {
      if (c.role === "numeric") {
        names.push(c.name);
        if (c.indicator === true) names.push(`${c.name} ${MISSING}`);
      } else if (c.role === "categorical") {
        for (const k of c.categories!) names.push(`${c.name}=${k}`);
        if (c.rare === true) names.push(`${c.name}=${RARE}`);
        if (c.missingColumn === true) names.push(`${c.name}=${MISSING}`);
      }
    }
    return names;
  }

  /** The names of the input columns used as features (numeric or categorical). */
  get inputColumns(): string[] {
    return this.#fitted("inputColumns").filter((c) => c.role === "numeric" || c.role === "categorical").map((c) => c.name);
  }

  #fitted(what: string): ColumnPlan[] {
    if (this.#columns === null) throw new ArgumentError(`TablePreprocessor: call fit(table, rows) before reading ${what}`);
    return this.#columns;
  }

  /**
   * Fits roles, fills and categories on `rows` of `table` (default: every row) — pass the
   * training split's rows, so that nothing is learned from dev or test. For
   * classification, `classes` fixes the class list (e.g. the labels of every row, so that
   * a class seen only in dev still has an output); by default it is the fitting rows'.
   */
  fit(table: Table, rows?: ArrayLike<number>, options: { classes?: readonly string[] } = {}): this {
    const fn = "TablePreprocessor.fit";
    checkTable(fn, table);
    const r = checkRowsArg(fn, table, rows);
    if (r.length === 0) throw new ArgumentError(`${fn}: rows is empty; fit needs at least one row`);
    const o = this.#options;
    const labelOpt = o.label === undefined ? -1 : o.label;
    const labelIndex = labelOpt === null ? -1 : resolveLabel(fn, table, labelOpt);
    const names = new Set(table.columns.map((c) => c.name));
    for (const key of ["features", "categorical", "ignore", "keep"] as const) {
      for (const n of checkNames(fn, key, o[key])) {
        if (!names.has(n)) throw new ArgumentError(`${fn}: ${key} names ${JSON.stringify(n)}, which is not a column (the columns are ${[...names].map((x) => JSON.stringify(x)).join(", ")})`);
        if (labelIndex >= 0 && n === table.columns[labelIndex]!.name) throw new ArgumentError(`${fn}: ${key} names ${JSON.stringify(n)}, which is the label`);
      }
    }
    const features = o.features === undefined ? null : new Set(o.features);
    const categorical = new Set(o.categorical ?? []);
    const ignore = new Set(o.ignore ?? []);
    const keep = new Set(o.keep ?? []);
    for (const n of categorical) if (ignore.has(n)) throw new ArgumentError(`${fn}: ${JSON.stringify(n)} is both in categorical and in ignore`);
    this.#columns = table.columns.map((col, index) => {
      if (index === labelIndex) return { name: col.name, index, role: "label", reason: "the label", missing: countMissing(col, r) };
      return this.#plan(col, index, r, { features, categorical, ignore, keep });
    });
    this.#target = labelIndex < 0 ? null : this.#fitTarget(fn, table.columns[labelIndex]!, r, options.classes);
    return this;
  }

  #plan(col: TableColumn, index: number, rows: ArrayLike<number>, sets: { features: Set<string> | null; categorical: Set<string>; ignore: Set<string>; keep: Set<string> }): ColumnPlan {
    const o = this.#options;
    const name = col.name;
    const missing = countMissing(col, rows);
    const ignored = (reason: string): ColumnPlan => ({ name, index, role: "ignored", reason, missing });
    if (sets.ignore.has(name)) return ignored("ignored as asked");
    if (sets.features !== null && !sets.features.has(name)) return ignored("not among the features asked for");
    // Counts of each category key on the fitting rows, and what the cells are.
    const counts = new Map<string, number>();
    let textCells = 0, numberCells = 0, integers = true, firstText: string | null = null;
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i]!;
      const key = categoryOf(col, r);
      if (key === null) continue;
      counts.set(key, (counts.get(key) ?? 0) + 1);
      if (isTextCell(col, r)) { textCells++; firstText ??= key; } else {
        numberCells++;
        if (!Number.isInteger(col.values[r]!)) integers = false;
      }
    }
    const present = textCells + numberCells;
    if (present === 0) return ignored("empty: every cell of the fitting rows is missing");
    if (counts.size === 1) return ignored(`constant: every cell of the fitting rows is ${JSON.stringify(counts.keys().next().value)}`);
    const forced = sets.categorical.has(name);
    const kept = sets.keep.has(name);
    if (!forced && !kept && present >= 20 && counts.size === present) {
      if (textCells > 0 && numberCells === 0) return ignored("a different text in every row: an identifier (keep it with keep)");
      if (numberCells === present && integers) {
        let lo = Infinity, hi = -Infinity;
        for (const k of counts.keys()) { const v = Number(k); lo = Math.min(lo, v); hi = Math.max(hi, v); }
        if (ID_NAME.test(name) || hi - lo + 1 <= 2 * present) return ignored("distinct integers in every row: an identifier (keep it with keep)");
      }
    }
    if (!forced && (textCells === 0 || (textCells <= 0.01 * present && numberCells >= 100 && counts.size - textCellsDistinct(col, rows) > 20))) {
      const values: number[] = [];
      for (let i = 0; i < rows.length; i++) { const v = col.values[rows[i]!]!; if (!Number.isNaN(v)) values.push(v); }
      const fill = (o.numericImpute ?? "median") === "median" ? median(values) : values.reduce((a, b) => a + b, 0) / values.length;
      const indicator = o.indicators === true && missing + textCells > 0;
      const reason = textCells === 0 ? "numbers" : `numbers, with ${textCells} text cell${textCells > 1 ? "s" : ""} (e.g. ${JSON.stringify(firstText)}) read as missing (make it categorical to keep them)`;
      return { name, index, role: "numeric", reason, missing: missing + textCells, fill, indicator };
    }
    // Categorical.
    const minCount = o.minCategoryCount ?? 5;
    const maxCategories = o.maxCategories ?? 50;
    const byCount = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const frequent = byCount.filter(([, n]) => n >= minCount).slice(0, maxCategories);
    const own = frequent.length >= 1 ? frequent : byCount.slice(0, maxCategories);
    const categories = sortNames(own.map(([k]) => k));
    const rare = categories.length < counts.size;
    const impute = o.categoricalImpute ?? "missing";
    const reason = forced ? "categorical as asked" : `text (e.g. ${JSON.stringify(firstText)})`;
    const plan: ColumnPlan = { name, index, role: "categorical", reason: `${reason}; ${counts.size} categor${counts.size === 1 ? "y" : "ies"}${rare ? `, ${counts.size - categories.length} grouped as ${RARE}` : ""}`, missing, categories, rare };
    if (missing > 0 && impute === "missing") return { ...plan, missingColumn: true };
    if (impute === "most-frequent") return { ...plan, mode: byCount[0]![0] };
    return plan;
  }

  #fitTarget(fn: string, col: TableColumn, rows: ArrayLike<number>, classes: readonly string[] | undefined): TargetPlan {
    const o = this.#options;
    const given = o.task ?? "auto";
    const inferred = inferTask(col, { rows, maxClasses: o.maxClasses ?? 20 });
    const task = given === "auto" ? inferred.task : given;
    const reason = given === "auto" ? inferred.reason : `${task} as asked`;
    if (task === "regression") {
      let sum = 0, n = 0;
      for (let i = 0; i < rows.length; i++) {
        const r = rows[i]!;
        if (isTextCell(col, r)) throw new TableMismatchError(`${fn}: the label ${JSON.stringify(col.name)} has the text ${JSON.stringify(categoryOf(col, r))} (row ${r}); a regression target must be numeric`);
        const v = col.values[r]!;
        if (!Number.isNaN(v)) { sum += v; n++; }
      }
      if (n === 0) throw new TableMismatchError(`${fn}: the label ${JSON.stringify(col.name)} has no values on the fitting rows`);
      const mean = sum / n;
      let ss = 0;
      for (let i = 0; i < rows.length; i++) { const v = col.values[rows[i]!]!; if (!Number.isNaN(v)) ss += (v - mean) ** 2; }
      const std = Math.sqrt(ss / n);
      return { task, name: col.name, mean, std: std > 0 ? std : 1, reason };
    }
    let list: string[];
    if (classes !== undefined) {
      if (!Array.isArray(classes) || !classes.every((c) => typeof c === "string")) throw new ArgumentError(`${fn}: classes must be an array of strings, got ${describe(classes)}`);
      list = classes.slice();
    } else {
      const seen = new Set<string>();
      for (let i = 0; i < rows.length; i++) { const k = categoryOf(col, rows[i]!); if (k !== null) seen.add(k); }
      list = sortNames([...seen]);
    }
    if (list.length < 2) throw new TableMismatchError(`${fn}: the label ${JSON.stringify(col.name)} has ${list.length} class${list.length === 1 ? ` (${JSON.stringify(list[0])})` : "es"}; a classifier needs at least 2`);
    return { task, name: col.name, classes: list, reason };
  }

  /** Where each fitted column is in `table`: by name when it has a header, else by position. */
  #locate(fn: string, table: Table, needLabel: boolean): Map<string, TableColumn> {
    const plans = this.#fitted("transform");
    const byName = new Map(table.columns.map((c) => [c.name, c]));
    const wanted = plans.filter((c) => c.role === "numeric" || c.role === "categorical" || (needLabel && c.role === "label"));
    const out = new Map<string, TableColumn>();
    if (table.header) {
      const absent = wanted.filter((c) => !byName.has(c.name)).map((c) => JSON.stringify(c.name));
      if (absent.length > 0) throw new TableMismatchError(`${fn}: the table has no column${absent.length > 1 ? "s" : ""} ${absent.join(", ")} (fitted on ${plans.map((c) => JSON.stringify(c.name)).join(", ")})`);
      for (const c of wanted) out.set(c.name, byName.get(c.name)!);
      return out;
    }
    // No header: the same columns in the same order, with or without the label.
    const w = table.columns.length;
    const labelPlan = plans.find((c) => c.role === "label");
    if (w === plans.length) for (const c of wanted) out.set(c.name, table.columns[c.index]!);
    else if (labelPlan !== undefined && w === plans.length - 1 && !needLabel) for (const c of wanted) out.set(c.name, table.columns[c.index > labelPlan.index ? c.index - 1 : c.index]!);
    else throw new TableMismatchError(`${fn}: the table has ${w} columns and no header; the preprocessor was fitted on ${plans.length} (${plans.map((c) => c.name).join(", ")})`);
    return out;
  }

  /**
   * The features of `rows` of `table` (default: every row), shape (rows, features), with
   * the counts of imputed and unseen cells. Columns are found by name (by position in a
   * table without a header); extra columns are left alone.
   */
  transform(table: Table, rows?: ArrayLike<number>): Transformed {
    const fn = "TablePreprocessor.transform";
    checkTable(fn, table);
    const r = checkRowsArg(fn, table, rows);
    const plans = this.#fitted("transform").filter((c) => c.role === "numeric" || c.role === "categorical");
    const cols = this.#locate(fn, table, false);
    const width = this.featureNames.length;
    const m = r.length;
    const out = new Float64Array(m * width);
    let imputed = 0, unseen = 0, offset = 0;
    for (const plan of plans) {
      const col = cols.get(plan.name)!;
      if (plan.role === "numeric") {
        const fill = plan.fill!;
        const ind = plan.indicator === true;
        for (let i = 0; i < m; i++) {
          const v = col.values[r[i]!]!;
          const isMissing = Number.isNaN(v);
          if (isMissing) imputed++;
          out[i * width + offset] = isMissing ? fill : v;
          if (ind) out[i * width + offset + 1] = isMissing ? 1 : 0;
        }
        offset += ind ? 2 : 1;
        continue;
      }
      // Categorical: a code → output column map for this table's levels, and numbers by key.
      const cats = plan.categories!;
      const slot = new Map(cats.map((k, j) => [k, j]));
      const rareSlot = plan.rare === true ? cats.length : -1;
      const missingSlot = plan.missingColumn === true ? cats.length + (plan.rare === true ? 1 : 0) : -1;
      const modeSlot = plan.mode === undefined ? -1 : slot.get(plan.mode) ?? rareSlot;
      const levelSlot = col.levels.map((k) => slot.get(k) ?? -2);
      const span = cats.length + (plan.rare === true ? 1 : 0) + (plan.missingColumn === true ? 1 : 0);
      for (let i = 0; i < m; i++) {
        const row = r[i]!;
        const code = col.codes === null ? -1 : col.codes[row]!;
        let s: number;
        if (code >= 0) s = levelSlot[code]!;
        else {
          const v = col.values[row]!;
          s = Number.isNaN(v) ? -3 : slot.get(String(v)) ?? -2;
        }
        if (s === -3) {
          imputed++;
          s = missingSlot >= 0 ? missingSlot : modeSlot;
          if (s < 0) continue;
        } else if (s === -2) {
          // Not one of the own categories: rare when the fit saw it as rare; a category never
          // seen cannot be told from a rare one, so it goes to (rare) too when that column exists.
          if (rareSlot >= 0) s = rareSlot;
          else {
            if ((this.#options.unseen ?? "zeros") === "error") {
              const line = table.lines[row] ?? row + 1;
              throw new TableMismatchError(`${fn}: line ${line}, column ${JSON.stringify(plan.name)}: the category ${JSON.stringify(categoryOf(col, row))} was not seen in training (known: ${cats.slice(0, 10).map((k) => JSON.stringify(k)).join(", ")}${cats.length > 10 ? ", …" : ""})`);
            }
            unseen++;
            continue;
          }
        }
        out[i * width + offset + s] = 1;
      }
      offset += span;
    }
    return { x: new Tensor(out, [m, width]), imputed, unseen };
  }

  /**
   * The label of `rows` of `table`: class ids into `target.classes` (classification) or the
   * numbers (regression; `standardize: true` for (y − mean)/std with the training mean and
   * std). A missing label, or a class the preprocessor does not know, is an error naming
   * the line; {@link labeledRows} finds the rows that have a label.
   */
  labels(table: Table, rows?: ArrayLike<number>, options: { standardize?: boolean } = {}): Tensor {
    const fn = "TablePreprocessor.labels";
    checkTable(fn, table);
    const r = checkRowsArg(fn, table, rows);
    const target = this.target;
    if (target === null) throw new ArgumentError(`${fn}: the preprocessor has no label (label: null)`);
    const col = this.#locate(fn, table, true).get(target.name)!;
    const out = new Float64Array(r.length);
    const lineOf = (row: number): number => table.lines[row] ?? row + 1;
    if (target.task === "regression") {
      const std = options.standardize === true;
      for (let i = 0; i < r.length; i++) {
        const row = r[i]!;
        if (isTextCell(col, row)) throw new TableMismatchError(`${fn}: line ${lineOf(row)}: the label ${JSON.stringify(target.name)} is ${JSON.stringify(categoryOf(col, row))}; a regression target must be a number`);
        const v = col.values[row]!;
        if (Number.isNaN(v)) throw new TableMismatchError(`${fn}: line ${lineOf(row)}: the label ${JSON.stringify(target.name)} is missing`);
        out[i] = std ? (v - target.mean) / target.std : v;
      }
      return new Tensor(out, [r.length]);
    }
    const ids = new Map(target.classes.map((c, i) => [c, i]));
    for (let i = 0; i < r.length; i++) {
      const row = r[i]!;
      const k = categoryOf(col, row);
      if (k === null) throw new TableMismatchError(`${fn}: line ${lineOf(row)}: the label ${JSON.stringify(target.name)} is missing`);
      const id = ids.get(k);
      if (id === undefined) throw new TableMismatchError(`${fn}: line ${lineOf(row)}: the label ${JSON.stringify(target.name)} has class ${JSON.stringify(k)}, which the preprocessor was not fitted on (its classes: ${target.classes.slice(0, 20).map((c) => JSON.stringify(c)).join(", ")})`);
      out[i] = id;
    }
    return new Tensor(out, [r.length]);
  }

  /** Regression: standardized predictions back in the label's units (`v·std + mean`). */
  unstandardize(values: ArrayLike<number>): Float64Array {
    const t = this.target;
    if (t === null || t.task !== "regression") throw new ArgumentError("TablePreprocessor.unstandardize: only a regression target is standardized");
    return Float64Array.from(values as ArrayLike<number>, (v) => v * t.std + t.mean);
  }

  /** The fitted state as JSON ({@link TablePreprocessor.fromJSON} reads it back). */
  toJSON(): TablePreprocessorJSON {
    return { type: "TablePreprocessor", version: 1, options: { unseen: this.#options.unseen ?? "zeros" }, columns: this.#fitted("toJSON").map((c) => ({ ...c })), target: this.#target };
  }

  /** A fitted preprocessor from {@link toJSON}'s output; malformed input is an ArgumentError. */
  static fromJSON(json: unknown): TablePreprocessor {
    const fn = "TablePreprocessor.fromJSON";
    const j = json as Partial<TablePreprocessorJSON> | null;
    if (j === null || typeof j !== "object" || j.type !== "TablePreprocessor" || j.version !== 1 || !Array.isArray(j.columns) || typeof j.options !== "object" || j.options === null) {
      throw new ArgumentError(`${fn}: expected the JSON of a fitted TablePreprocessor (type "TablePreprocessor", version 1), got ${describe(json)}`);
    }
    const roles = ["numeric", "categorical", "ignored", "label"];
    const plans = j.columns as readonly Partial<ColumnPlan>[];
    for (const c of plans) {
      const ok = c !== null && typeof c === "object" && typeof c.name === "string" && Number.isInteger(c.index) && roles.includes(c.role ?? "")
        && (c.role !== "numeric" || typeof c.fill === "number")
        && (c.role !== "categorical" || (Array.isArray(c.categories) && (c.categories as unknown[]).every((k) => typeof k === "string")));
      if (!ok) throw new ArgumentError(`${fn}: malformed column plan ${describe(c)}`);
    }
    const t = j.target;
    if (t !== null && t !== undefined) {
      const ok = typeof t === "object" && typeof t.name === "string" && (t.task === "classification" ? Array.isArray(t.classes) : t.task === "regression" && typeof t.mean === "number" && typeof t.std === "number");
      if (!ok) throw new ArgumentError(`${fn}: malformed target ${describe(t)}`);
    }
    const pre = new TablePreprocessor({ unseen: j.options.unseen ?? "zeros", label: null });
    pre.#columns = (plans as ColumnPlan[]).map((c) => ({ ...c }));
    pre.#target = t ?? null;
    return pre;
  }
}

function countMissing(col: TableColumn, rows: ArrayLike<number>): number {
  let n = 0;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    if (Number.isNaN(col.values[r]!) && !isTextCell(col, r)) n++;
  }
  return n;
}

function textCellsDistinct(col: TableColumn, rows: ArrayLike<number>): number {
  const s = new Set<number>();
  for (let i = 0; i < rows.length; i++) { const r = rows[i]!; if (isTextCell(col, r)) s.add(col.codes![r]!); }
  return s.size;
}

/**
 * The rows whose `label` cell is present, and how many were dropped for a missing label.
 *
 * @example
 * ```ts
 * import { readTable, labeledRows } from "@hone/data-split";
 * const t = await readTable("x,y\n1,a\n2,\n3,b\n");
 * const { rows, dropped } = labeledRows(t, "y"); // rows [0, 2], dropped 1
 * ```
 */
export function labeledRows(table: Table, label: string | number = -1): { rows: Int32Array; dropped: number; column: TableColumn } {
  const fn = "labeledRows";
  checkTable(fn, table);
  const col = table.columns[resolveLabel(fn, table, label)]!;
  const rows: number[] = [];
  for (let r = 0; r < table.rows; r++) if (categoryOf(col, r) !== null) rows.push(r);
  return { rows: Int32Array.from(rows), dropped: table.rows - rows.length, column: col };
}

/**
 * The class names of a label column over `rows` (default all), sorted numerically when they
 * all look like numbers (`0.0` and `0` are the same class, named `"0"`), else by code unit.
 *
 * @example
 * ```ts
 * import { readTable, classNames } from "@hone/data-split";
 * const t = await readTable("x,y\n1,1.0\n2,0\n3,0.0\n4,10\n");
 * classNames(t.columns[1]!); // ["0", "1", "10"]
 * ```
 */
export function classNames(column: TableColumn, rows?: ArrayLike<number>): string[] {
  const seen = new Set<string>();
  const n = rows?.length ?? column.values.length;
  for (let i = 0; i < n; i++) { const k = categoryOf(column, rows === undefined ? i : rows[i]!); if (k !== null) seen.add(k); }
  return sortNames([...seen]);
}

