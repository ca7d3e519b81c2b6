// A CSV of the reader's own in the playground: read with @hone/data-split's `readTable`
// (delimiter detected, missing cells recognised, bad rows refused with their line), then
// two numeric columns as the plot's axes and one column as the class label. The page reads
// the file and sends the worker plain numbers (`CsvData`, part of the configuration).
import { TableError, cellText, classNames, readTable, type Table, type TableColumn } from "@hone/data-split";
import { CSV_LIMITS, ConfigError, type CsvData } from "./config.js";

/** Why a CSV cannot be trained on here: the message names the file, the column or the line. */
export class CsvChoiceError extends ConfigError {
  override name = "CsvChoiceError";
}

/** The columns picked: the plot's horizontal and vertical features, and the label. */
export interface CsvPick {
  x: string;
  y: string;
  label: string;
}

/** A CSV read for the playground, with what its columns can be used as. */
export interface LoadedCsv {
  /** The file's name, as the page shows it. */
  name: string;
  table: Table;
  /** Columns with at least one number and no text: the ones that can be axes. */
  numeric: string[];
  /** Columns with 2 to `CSV_LIMITS.classes` distinct values: the ones that can be the label. */
  labels: string[];
  /** The columns the page starts with (see {@link loadCsv}). */
  pick: CsvPick;
}

const LABEL_NAMES = /^(label|target|class|classes|y|species|category|outcome|diagnosis)$/i;

function distinctValues(column: TableColumn, cap: number): number {
  const seen = new Set<string>();
  for (let r = 0; r < column.values.length && seen.size <= cap; r++) {
    const t = cellText(column, r);
    if (t !== "") seen.add(t);
  }
  return seen.size;
}

/**
 * Reads `text` (the file called `name`) and says which columns can be the axes and which
 * the label. The starting pick: the label is the column named like one (`label`, `target`,
 * `class`, `species`, …) or else the last column that can be a label; the axes are the first
 * two numeric columns besides it. Throws `CsvChoiceError` for a file over
 * `CSV_LIMITS.bytes`, one without two numeric columns and a label, and one `readTable`
 * cannot read (its message with the line; the `TableError` as `cause`).
 *
 * @example
 * ```ts
 * const csv = await loadCsv("iris.csv", text);
 * csv.pick; // { x: "sepal_length", y: "sepal_width", label: "species" }
 * csvData(csv, { ...csv.pick, x: "petal_length", y: "petal_width" }).classes; // ["setosa", "versicolor", "virginica"]
 * ```
 */
export async function loadCsv(name: string, text: string): Promise<LoadedCsv> {
  if (typeof text !== "string") throw new CsvChoiceError(`${name}: expected the file's text, got ${typeof text}`);
  if (text.length > CSV_LIMITS.bytes) {
    throw new CsvChoiceError(`${name} is ${(text.length / 1e6).toFixed(1)} MB; the playground takes CSVs up to ${CSV_LIMITS.bytes / 1e6} MB (${CSV_LIMITS.rows} rows). Train larger files with \`hone train --data ${name}\``);
  }
  let table: Table;
  try {
    table = await readTable(text);
  } catch (error) {
    if (!(error instanceof TableError)) throw error;
    throw new CsvChoiceError(`${name}: ${error.message.replace(/^readTable: /, "")}`, { cause: error });
  }
  const numeric = table.columns.filter((c) => c.text === 0 && c.missing < table.rows).map((c) => c.name);
  const labels = table.columns.filter((c) => { const k = distinctValues(c, CSV_LIMITS.classes); return k >= 2 && k <= CSV_LIMITS.classes; }).map((c) => c.name);
  const columns = table.columns.map((c) => c.name).join(", ");
  if (labels.length === 0) {
    throw new CsvChoiceError(`${name}: no column can be the class label: a label needs 2 to ${CSV_LIMITS.classes} distinct values, and none of ${columns} has (the playground classifies; for regression use \`hone train --data ${name}\`)`);
  }
  const label = labels.find((n) => LABEL_NAMES.test(n)) ?? labels.at(-1)!;
  const axes = numeric.filter((n) => n !== label);
  if (axes.length < 2) {
    throw new CsvChoiceError(`${name}: the playground plots two numeric feature columns, and besides the label (${label}) this file has ${axes.length === 0 ? "none" : `only ${axes[0]!}`} (columns: ${columns}; a column with any text is not numeric)`);
  }
  return { name, table, numeric, labels, pick: { x: axes[0]!, y: axes[1]!, label } };
}

/**
 * The picked columns as a run's data: rows with a cell missing in any of the three are left
 * out (and counted); the classes are the label's values, sorted as `classNames` sorts them.
 * Throws `CsvChoiceError` naming the column for a pick that is not numeric or not a label,
 * an axis used twice or as the label, more than `CSV_LIMITS.rows` rows, fewer than
 * `CSV_LIMITS.minRows` complete rows, or a class with fewer than 2 rows (it cannot be split
 * into train and dev).
 */
export function csvData(csv: LoadedCsv, pick: CsvPick): CsvData {
  const { table, name } = csv;
  const column = (role: string, wanted: string, allowed: readonly string[], what: string): TableColumn => {
    const c = table.columns.find((col) => col.name === wanted);
    if (c === undefined) throw new CsvChoiceError(`${name}: the ${role} column ${JSON.stringify(wanted)} is not in the file (columns: ${table.columns.map((col) => col.name).join(", ")})`);
    if (!allowed.includes(wanted)) throw new CsvChoiceError(`${name}: the ${role} column ${JSON.stringify(wanted)} ${what}`);
    return c;
  };
  const cx = column("x", pick.x, csv.numeric, "is not numeric (it holds text, or nothing)");
  const cy = column("y", pick.y, csv.numeric, "is not numeric (it holds text, or nothing)");
  const cl = column("label", pick.label, csv.labels, `cannot be a label: it needs 2 to ${CSV_LIMITS.classes} distinct values`);
  if (pick.x === pick.y) throw new CsvChoiceError(`${name}: x and y are both ${JSON.stringify(pick.x)}; pick two different columns`);
  if (pick.label === pick.x || pick.label === pick.y) throw new CsvChoiceError(`${name}: ${JSON.stringify(pick.label)} is both an axis and the label; pick another label or axis`);
  if (table.rows > CSV_LIMITS.rows) throw new CsvChoiceError(`${name} has ${table.rows} rows; the playground trains on up to ${CSV_LIMITS.rows}. Train it with \`hone train --data ${name}\``);

  const rows: number[] = [];
  for (let r = 0; r < table.rows; r++) {
    if (!Number.isNaN(cx.values[r]!) && !Number.isNaN(cy.values[r]!) && cellText(cl, r) !== "") rows.push(r);
  }
  const dropped = table.rows - rows.length;
  if (rows.length < CSV_LIMITS.minRows) {
    throw new CsvChoiceError(`${name}: ${rows.length} rows have ${pick.x}, ${pick.y} and ${pick.label} all present (${dropped} left out for a missing cell); the playground needs at least ${CSV_LIMITS.minRows}`);
  }
  const classes = classNames(cl, rows);
  const index = new Map(classes.map((c, i) => [c, i]));
  const counts = new Array<number>(classes.length).fill(0);
  const x: number[] = [], y: number[] = [];
  for (const r of rows) {
    const k = index.get(cellText(cl, r))!;
    counts[k]!++;
    x.push(cx.values[r]!, cy.values[r]!);
    y.push(k);
  }
  const lonely = classes.filter((_, k) => counts[k]! < 2);
  if (lonely.length > 0) {
    throw new CsvChoiceError(`${name}: class ${lonely.map((c) => JSON.stringify(c)).join(", ")} of ${pick.label} has a single row, too few to split into train and dev`);
  }
  return { name, columns: [pick.x, pick.y], label: pick.label, classes, x, y, dropped };
}
