// The CSV files of the `csv` workload: the same seeded rows written three ways, so that the
// files carry the same information and differ only in how three columns are spelled.
//
//   numeric.csv         x1…x17 (continuous), colour, region, grade (integers 0…9), label
//   categorical.csv     the same, colour, region and grade as text (`red`, `north`, `cat3`)
//   numeric-onehot.csv  x1…x17 and the 30 one-hot columns as numbers 0/1 (colour_red, …), label
//
// plus row prefixes of the first two (`numeric-50000.csv`, `categorical-50000.csv`, …) for
// the parsing rows, and `categorical-500.csv` to check that the command runs. Hone's table preprocessor encodes numeric.csv to 20 inputs (the three
// integer columns stay numeric) and the other two to 17 + 3 × 10 = 47.
import { closeSync, existsSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { rng } from "@hone/tensor";

/** The three spellings of the rows, by file stem. */
export type CsvKind = "numeric" | "categorical" | "numeric-onehot";

/** The kinds, in the order a round starts from. */
export const CSV_KINDS: readonly CsvKind[] = ["numeric", "categorical", "numeric-onehot"];

/** Continuous features. */
export const CONTINUOUS = 17;

/** The categorical columns and their ten levels each (level k is the integer k in numeric.csv). */
export const CATEGORIES: readonly { readonly name: string; readonly levels: readonly string[] }[] = [
  { name: "colour", levels: ["red", "orange", "yellow", "green", "blue", "indigo", "violet", "black", "white", "grey"] },
  { name: "region", levels: ["north", "south", "east", "west", "centre", "coast", "hills", "lakes", "plains", "islands"] },
  { name: "grade", levels: ["cat0", "cat1", "cat2", "cat3", "cat4", "cat5", "cat6", "cat7", "cat8", "cat9"] },
];

/** Input columns after encoding, per kind: 20 for numeric.csv, 47 for the others. */
export const ENCODED_WIDTH: Record<CsvKind, number> = {
  numeric: CONTINUOUS + CATEGORIES.length,
  categorical: CONTINUOUS + CATEGORIES.reduce((n, c) => n + c.levels.length, 0),
  "numeric-onehot": CONTINUOUS + CATEGORIES.reduce((n, c) => n + c.levels.length, 0),
};

/** Where the files of a run of `rows` rows live (the main process writes them; the library processes find them here). */
export function csvDir(rows: number): string {
  return join(tmpdir(), `hone-bench-csv-${rows}`);
}

/** The path of `kind` with `rows` rows (the full file when `rows` is the run's size). */
export function csvPath(rows: number, kind: CsvKind, size: number = rows): string {
  return join(csvDir(rows), size === rows ? `${kind}.csv` : `${kind}-${size}.csv`);
}

/** The smaller row counts whose prefixes are written too, then `rows` itself: rows/4, rows/2, rows. */
export function parseSizes(rows: number): number[] {
  return [rows / 4, rows / 2, rows].map(Math.round);
}

/** The rows of the small categorical file the workload first runs the command on, to see that it works. */
export const CHECK_ROWS = 500;

function header(kind: CsvKind): string {
  const xs = Array.from({ length: CONTINUOUS }, (_, i) => `x${i + 1}`);
  const cats = kind === "numeric-onehot" ? CATEGORIES.flatMap((c) => c.levels.map((l) => `${c.name}_${l}`)) : CATEGORIES.map((c) => c.name);
  return [...xs, ...cats, "label"].join(",");
}

/**
 * Writes the files for `rows` rows into {@link csvDir} (replacing what was there), seeded.
 * Draw order from `rng(seed)`: 17 teacher weights, 3 × 10 category effects (all standard
 * normal), then per row the 17 features (standard normal), the 3 categories (integers
 * 0…9) and one noise value. The label is 1 when x·w/√17 + Σ effect/√3 + 0.5·noise > 0, so
 * the continuous and the categorical columns carry about half the signal each. Rows are
 * drawn one after another, so a prefix file is the first rows of the full one.
 */
export function writeCsvTables(rows: number, seed = 7): { dir: string; bytes: Record<CsvKind, number> } {
  const dir = csvDir(rows);
  const partial = `${dir}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  const r = rng(seed);
  const w = r.randnArray(CONTINUOUS);
  const effects = CATEGORIES.map(() => r.randnArray(10));
  const sizes = parseSizes(rows);
  // One output per file: the kind, the rows it takes, its descriptor and pending text.
  const sizesOf = (kind: CsvKind): number[] => (kind === "numeric-onehot" ? [rows] : kind === "categorical" ? [CHECK_ROWS, ...sizes] : sizes);
  const outputs = CSV_KINDS.flatMap((kind) => sizesOf(kind).map((size) => {
    const fd = openSync(join(partial, size === rows ? `${kind}.csv` : `${kind}-${size}.csv`), "w");
    return { kind, size, fd, text: `${header(kind)}\n`, bytes: 0 };
  }));
  const flush = (o: (typeof outputs)[number]): void => {
    o.bytes += writeSync(o.fd, o.text);
    o.text = "";
  };
  const codes = new Int32Array(CATEGORIES.length);
  const line: Record<CsvKind, string> = { numeric: "", categorical: "", "numeric-onehot": "" };
  for (let i = 0; i < rows; i++) {
    let score = 0;
    let xs = "";
    for (let f = 0; f < CONTINUOUS; f++) {
      const v = r.randn();
      score += (v * w[f]!) / Math.sqrt(CONTINUOUS);
      xs += `${v.toFixed(4)},`;
    }
    for (let c = 0; c < CATEGORIES.length; c++) {
      codes[c] = r.randint(0, 10);
      score += effects[c]![codes[c]!]! / Math.sqrt(CATEGORIES.length);
    }
    const label = score + 0.5 * r.randn() > 0 ? 1 : 0;
    line.numeric = `${xs}${codes.join(",")},${label}\n`;
    line.categorical = `${xs}${CATEGORIES.map((c, j) => c.levels[codes[j]!]!).join(",")},${label}\n`;
    line["numeric-onehot"] = `${xs}${CATEGORIES.map((c, j) => c.levels.map((_, k) => (k === codes[j] ? "1" : "0")).join(",")).join(",")},${label}\n`;
    for (const o of outputs) {
      if (i >= o.size) continue;
      o.text += line[o.kind];
      if (o.text.length > 1 << 20) flush(o);
    }
  }
  for (const o of outputs) {
    flush(o);
    closeSync(o.fd);
  }
  if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
  renameSync(partial, dir);
  const bytes = Object.fromEntries(outputs.filter((o) => o.size === rows).map((o) => [o.kind, o.bytes])) as Record<CsvKind, number>;
  return { dir, bytes };
}

/** Removes the files of a run of `rows` rows. */
export function removeCsvTables(rows: number): void {
  rmSync(csvDir(rows), { recursive: true, force: true });
}
