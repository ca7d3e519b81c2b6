// `hone split`: a CSV file into train.csv, dev.csv, test.csv and indices.json.
import { join, resolve } from "node:path";
import { Command } from "commander";
import { splitIndices, toCsv, trainDevTestSplit } from "@hone/data-split";
import { readCsv } from "../data.js";
import { outputFile, writeOutput } from "../io.js";
import { labelColumn, ratios } from "../parse.js";
import { print, printJson } from "../output.js";
import { colorsFor } from "../render.js";
import { streams } from "../streams.js";
import { UsageError } from "../errors.js";
import { addCommon } from "./common.js";

interface SplitFlags {
  ratios: string;
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
    .description("Shuffles the rows (seeded) and writes train.csv, dev.csv and test.csv (header, the feature columns, then the label column) and indices.json (each part's row numbers in the input, from 0). With the same --seed, ratios and --stratify, it picks the same rows as `hone train --data <file.csv>`.")
    .argument("<file.csv>", "the CSV file to split (read only)")
    .option("--ratios <r>", "train/dev/test percentages", ratios("--ratios"), "60/20/20")
    .option("--out <dir>", "the folder to write to (created if missing; required)")
    .option("--label <column>", "the label column: a name or a 0-based index (default: the last column)", labelColumn)
    .option("--stratify", "keep each class's share of the rows in every part")
    .option("--force", "overwrite existing files in --out");
  addCommon(cmd);
  cmd.addHelpText("after", `
Examples:
  $ hone split data.csv --ratios 98/1/1 --out splits/
  $ hone split data.csv --ratios 60/20/20 --stratify --label species --out splits/ --seed 7
  $ hone split data.csv --out splits/ --force --json`);
  cmd.action(async (file: string, flags: SplitFlags) => {
    if (flags.out === undefined) throw new UsageError("split needs --out <dir>, the folder to write train.csv, dev.csv, test.csv and indices.json to");
    const csv = await readCsv(file, flags.label, "input file");
    const dir = resolve(flags.out);
    const names = ["train.csv", "dev.csv", "test.csv", "indices.json"];
    const paths = names.map((n) => outputFile(join(dir, n), { flag: "--out", force: flags.force === true, inputs: [csv.path] }));
    const split = trainDevTestSplit(csv.x, csv.y, { ratios: flags.ratios, stratify: flags.stratify === true, rng: streams(flags.seed).split });
    const parts = [split.train, split.dev, split.test];
    const written = parts.map((part, i) => {
      writeOutput(paths[i]!, toCsv(part.x, part.y, { featureNames: csv.featureNames, labelName: csv.labelName, ...(csv.classes === undefined ? {} : { classes: csv.classes }) }), flags.force === true);
      return { file: paths[i]!, rows: part.indices.length };
    });
    const indices = splitIndices(split);
    const meta = { source: csv.path, rows: csv.y.size, ratios: flags.ratios, stratify: flags.stratify === true, seed: flags.seed, label: csv.labelName };
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
