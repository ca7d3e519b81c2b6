// `hone predict`: a saved model's predictions for the rows of a CSV: the predicted class and
// its probabilities, or the predicted value, beside the input's other columns (IDs) so the
// results join back.
import { Command } from "commander";
import { cellText } from "@hone/data-split";
import { applyModel } from "../apply.js";
import { STDIN } from "../data.js";
import { UsageError } from "../errors.js";
import { outputFile, writeOutput } from "../io.js";
import { loadClassifier } from "../model-file.js";
import { printJson, warn } from "../output.js";
import { taskFor } from "../task.js";
import { addCommon } from "./common.js";

interface PredictFlags {
  model?: string;
  delimiter?: string;
  header: boolean;
  input?: string;
  out?: string;
  force?: boolean;
  json?: boolean;
}

const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

/** One CSV field (RFC 4180 quoting when needed). */
function field(text: string): string {
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The `predict` command. */
export function predictCommand(): Command {
  const cmd = new Command("predict")
    .summary("predict classes or values for the rows of a CSV file")
    .description("Loads a model saved by `hone train --save`, encodes the input with its saved column preprocessing (missing cells get the training fills, unseen categories all zeros) and normalizer, and writes CSV: the input's columns that are not features (IDs, the label if present) as they were written, the prediction (`prediction`: the class, or the value for a regressor), and for a classifier one probability column per class (`p_<class>`). Feature columns are matched by name (by position with --no-header).")
    .option("--model <file>", "a model saved by `hone train --save` (required)")
    .option("--input <file.csv>", "rows to predict (required; never modified), or - to read them from standard input")
    .option("--out <file.csv>", "write the predictions here instead of stdout")
    .option("--delimiter <c>", 'the input\'s field delimiter (default: the training file\'s, or detected)')
    .option("--no-header", "the input has no header row (columns in the training file's order, with or without the label)")
    .option("--force", "overwrite --out if it exists");
  addCommon(cmd, { seed: false, backend: true });
  cmd.addHelpText("after", `
Examples:
  $ hone predict --model model.json --input new.csv                 # CSV on stdout
  $ hone predict --model model.json --input new.csv --out preds.csv
  $ hone predict --model model.safetensors --input new.csv --json   # predictions as JSON
  $ cut -d, -f1-3 new.csv | hone predict --model model.json --input -   # rows from standard input`);
  cmd.action(async (flags: PredictFlags) => {
    if (flags.model === undefined) throw new UsageError("predict needs --model <file>, a model saved by `hone train --save`");
    if (flags.input === undefined) throw new UsageError("predict needs --input <file.csv>, the rows to predict");
    if (flags.model === STDIN) throw new UsageError(`--model must be a model file saved by \`hone train --save\`, got "-": a model cannot be read from standard input (--input - can)`);
    if (flags.out === STDIN) throw new UsageError(`--out must be a file name, got "-": predict writes its CSV to standard output when --out is left out`);
    const loaded = loadClassifier(flags.model);
    const { meta, path } = loaded;
    const force = flags.force === true;
    const inputs = flags.input === STDIN ? [path] : [flags.input, path];
    const outPath = flags.out === undefined ? null : outputFile(flags.out, { flag: "--out", force, inputs });
    const features = new Set(loaded.preprocessor.inputColumns);
    const applied = await applyModel(loaded, flags.input, {
      what: "input file", keepText: (name) => !features.has(name),
      ...(flags.delimiter === undefined && flags.header ? {} : { dialect: { ...(flags.delimiter === undefined ? {} : { delimiter: flags.delimiter }), header: flags.header } }),
    });
    if (applied.imputed > 0) warn(`filled ${applied.imputed} missing cell${applied.imputed > 1 ? "s" : ""} with the fills learned in training`);
    if (applied.unseen > 0) warn(`${applied.unseen} cell${applied.unseen > 1 ? "s have categories" : " has a category"} not seen in training (encoded as all zeros)`);
    const kept = applied.table.columns.filter((c) => !features.has(c.name));
    const task = taskFor({ task: meta.task, classes: meta.classes.length, ...(meta.target === null ? {} : { target: meta.target }) });
    const m = applied.rows.length;
    const header = [...kept.map((c) => c.name), "prediction"];
    let predictions: (string | number)[];
    let probs: Float64Array | null = null;
    const k = meta.classes.length;
    if (task.kind === "regression") {
      predictions = Array.from(task.unscale(applied.output));
    } else {
      probs = task.probabilities(applied.output);
      const decision = meta.decision;
      predictions = Array.from({ length: m }, (_, i) => {
        if (decision !== null) return meta.classes[probs![i * 2 + decision.positive]! > decision.threshold ? decision.positive : 1 - decision.positive]!;
        let best = 0;
        for (let j = 1; j < k; j++) if (probs![i * k + j]! > probs![i * k + best]!) best = j;
        return meta.classes[best]!;
      });
      header.push(...meta.classes.map((cl) => `p_${cl}`));
    }
    const lines = [header.map(field).join(",")];
    for (let i = 0; i < m; i++) {
      const row = kept.map((c) => field(cellText(c, applied.rows[i]!)));
      row.push(typeof predictions[i] === "number" ? String(predictions[i]) : field(predictions[i] as string));
      if (probs !== null) for (let j = 0; j < k; j++) row.push(String(probs[i * k + j]!));
      lines.push(row.join(","));
    }
    const csv = `${lines.join("\n")}\n`;
    if (outPath !== null) writeOutput(outPath, csv, force);
    if (flags.json === true) {
      const probabilities = probs === null ? undefined : Array.from({ length: m }, (_, i) => Array.from(probs!.subarray(i * k, (i + 1) * k)));
      printJson({ model: path, input: applied.table.path, rows: m, task: meta.task, classes: meta.classes, out: outPath, predictions, ...(probabilities === undefined ? {} : { probabilities }), imputedCells: applied.imputed, unseenCells: applied.unseen });
      return;
    }
    if (outPath === null) process.stdout.write(csv);
    else process.stderr.write(`hone: wrote ${m} predictions to ${outPath}\n`);
  });
  return cmd;
}
