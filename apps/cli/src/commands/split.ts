// `hone split`: a CSV file into train.csv, dev.csv, test.csv and indices.json, each row
// copied cell for cell (text, blanks and all), picking the rows `hone train` would.
import { join, resolve } from "node:path";
import { Command, Option } from "commander";
import { cellText, splitIndices, trainDevTestSplit, type Table } from "@hone/data-split";
import { Tensor } from "@hone/tensor";
import { readSource } from "../data.js";
import { TASKS } from "../flags.js";
import { outputFile, writeOutput } from "../io.js";
import { labelColumn, ratios } from "../parse.js";
import { print, printJson } from "../output.js";
import { colorsFor } from "../render.js";
import { streams } from "../streams.js";
import { UsageError } from "../errors.js";
import { addCommon } from "./common.js";

interface SplitFlags {
  ratios: string;
  task: (typeof TASKS)[number];
  delimiter?: string;
  header: boolean;
  out?: string;
  label?: string | number;
  stratify?: boolean;
  force?: boolean;
  json?: boolean;
  seed: number;
}

/** The `split` command. */
export function splitCommand(): Command {
  const cmd = new Command("split")
    .summary("split a CSV file into train/dev/test files")
    .description("Shuffles the rows (seeded) and writes train.csv, dev.csv and test.csv (the header and each row's cells as written in the input, joined with the input's delimiter) and indices.json (each part's data-row numbers in the input, from 0). Rows without a label are left out, as in training. With the same --seed, ratios and --stratify, it picks the same rows as `hone train --data <file.csv>`.")
    .argument("<file.csv>", "the CSV file to split (read only)")
    .option("--ratios <r>", "train/dev/test percentages", ratios("--ratios"), "60/20/20")
    .option("--out <dir>", "the folder to write to (created if missing; required)")
    .option("--label <column>", "the label column: a name or a 0-based index (default: the last column)", labelColumn)
    .option("--stratify", "keep each class's share of the rows in every part")
    .addOption(new Option("--task <task>", "as hone train reads the label (auto, classification, regression): stratifying needs classes").argParser((v) => { if (!(TASKS as readonly string[]).includes(v)) throw new UsageError(`--task must be one of ${TASKS.join(", ")}, got ${JSON.stringify(v)}`); return v; }).default("auto"))
    .option("--delimiter <c>", "the field delimiter (default: detected from the first line)")
    .option("--no-header", "the file has no header row")
    .option("--force", "overwrite existing files in --out");
  addCommon(cmd, { seed: true, backend: false });
  cmd.addHelpText("after", `
Examples:
  $ hone split data.csv --ratios 98/1/1 --out splits/
  $ hone split data.csv --ratios 60/20/20 --stratify --label species --out splits/ --seed 7
  $ hone split data.csv --out splits/ --force --json`);
  cmd.action(async (file: string, flags: SplitFlags) => {
    if (flags.out === undefined) throw new UsageError("split needs --out <dir>, the folder to write train.csv, dev.csv, test.csv and indices.json to");
    const source = await readSource({ source: file, ...(flags.label === undefined ? {} : { label: flags.label }), task: flags.task, dialect: { ...(flags.delimiter === undefined ? {} : { delimiter: flags.delimiter }), header: flags.header } }, { what: "input file", keepText: () => true });
    if (flags.stratify === true && source.task === "regression") throw new UsageError("--stratify keeps each class's share; this label is a regression target (pass --task classification to treat its values as classes)");
    const csv = { path: source.table.path, labelName: source.labelName, y: source.y };
    const dir = resolve(flags.out);
    const names = ["train.csv", "dev.csv", "test.csv", "indices.json"];
    const paths = names.map((n) => outputFile(join(dir, n), { flag: "--out", force: flags.force === true, inputs: [csv.path] }));
    const m = source.rows.length;
    const ids = new Tensor(Float64Array.from({ length: m }, (_, i) => i), [m, 1]);
    const split = trainDevTestSplit(ids, source.y, { ratios: flags.ratios, stratify: flags.stratify === true, rng: streams(flags.seed).split });
    const parts = [split.train, split.dev, split.test];
    const written = parts.map((part, i) => {
      writeOutput(paths[i]!, tableRows(source.table, Array.from(part.indices, (j) => source.rows[j]!)), flags.force === true);
      return { file: paths[i]!, rows: part.indices.length };
    });
    const positions = splitIndices(split);
    const toRow = (list: number[]): number[] => list.map((j) => source.rows[j]!);
    const indices = { train: toRow(positions.train), dev: toRow(positions.dev), test: toRow(positions.test) };
    const meta = { source: csv.path, rows: csv.y.size, droppedRows: source.dropped, ratios: flags.ratios, stratify: flags.stratify === true, seed: flags.seed, label: csv.labelName };
    writeOutput(paths[3]!, `${JSON.stringify({ ...meta, train: indices.train, dev: indices.dev, test: indices.test })}\n`, flags.force === true);
    if (flags.json === true) {
      printJson({ ...meta, out: dir, train: written[0]!.rows, dev: written[1]!.rows, test: written[2]!.rows, files: [...written.map((w) => w.file), paths[3]!] });
      return;
    }
    const c = colorsFor(process.stdout);
    print(`Split ${csv.y.size} rows of ${file} (${flags.ratios}${flags.stratify === true ? ", stratified" : ""}, seed ${flags.seed}):`);
    for (const [i, name] of ["train", "dev", "test"].entries()) print(`  ${c.bold(name.padEnd(5))} ${String(written[i]!.rows).padStart(8)} rows → ${written[i]!.file}`);
    print(`  ${c.bold("index")}          → ${paths[3]!}`);
  });
  return cmd;
}

const NEEDS_QUOTES = /["\r\n]|^\s|\s$/;

/** The header and `rows` of `table` as CSV text, every cell as it was written. */
function tableRows(table: Table, rows: readonly number[]): string {
  const d = table.delimiter;
  const field = (t: string): string => (NEEDS_QUOTES.test(t) || t.includes(d) ? `"${t.replaceAll('"', '""')}"` : t);
  const lines = table.header ? [table.columns.map((c) => field(c.name)).join(d)] : [];
  for (const r of rows) lines.push(table.columns.map((c) => field(cellText(c, r))).join(d));
  return `${lines.join("\n")}\n`;
}
