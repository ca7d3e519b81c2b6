// `hone predict`: a saved model's predicted classes and probabilities for the rows of a CSV.
import { Command } from "commander";
import { readFeatures } from "../data.js";
import { UsageError } from "../errors.js";
import { outputFile, writeOutput } from "../io.js";
import { loadClassifier } from "../model-file.js";
import { printJson, warn } from "../output.js";
import { asDType, infer, taskFor } from "../task.js";
import { addCommon } from "./common.js";

interface PredictFlags {
  model?: string;
  input?: string;
  out?: string;
  force?: boolean;
  json?: boolean;
  seed: number;
}

const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

/** One CSV field (RFC 4180 quoting when needed). */
function field(text: string): string {
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The `predict` command. */
export function predictCommand(): Command {
  const cmd = new Command("predict")
    .summary("predict classes for the rows of a CSV file")
    .description("Loads a model saved by `hone train --save`, applies its saved normalizer, and writes CSV: the feature columns as read, the predicted class (`prediction`), and one probability column per class (`p_<class>`). The input may include the label column or not; feature columns are matched by name, else by position.")
    .option("--model <file>", "a model saved by `hone train --save` (required)")
    .option("--input <file.csv>", "rows to predict (required; never modified)")
    .option("--out <file.csv>", "write the predictions here instead of stdout")
    .option("--force", "overwrite --out if it exists");
  addCommon(cmd);
  cmd.addHelpText("after", `
Examples:
  $ hone predict --model model.json --input new.csv                 # CSV on stdout
  $ hone predict --model model.json --input new.csv --out preds.csv
  $ hone predict --model model.safetensors --input new.csv --json   # predictions as JSON`);
  cmd.action(async (flags: PredictFlags) => {
    if (flags.model === undefined) throw new UsageError("predict needs --model <file>, a model saved by `hone train --save`");
    if (flags.input === undefined) throw new UsageError("predict needs --input <file.csv>, the rows to predict");
    const { model, meta, scaler, path } = loadClassifier(flags.model);
    const force = flags.force === true;
    const outPath = flags.out === undefined ? null : outputFile(flags.out, { flag: "--out", force, inputs: [flags.input, path] });
    const input = await readFeatures(flags.input, meta);
    for (const w of input.warnings) warn(w);
    const x = asDType(scaler === null ? input.x : scaler.transform(input.x), meta.dtype);
    const task = taskFor(meta.classes.length);
    const out = infer(model, x);
    const predicted = task.predict(out);
    const probs = task.probabilities(out);
    const m = input.x.shape[0]!, f = input.x.shape[1]!, k = meta.classes.length;
    const names = Array.from(predicted.data, (id) => meta.classes[id]!);
    const lines = [[...meta.featureNames, "prediction", ...meta.classes.map((cl) => `p_${cl}`)].map(field).join(",")];
    for (let i = 0; i < m; i++) {
      const row: string[] = [];
      for (let j = 0; j < f; j++) row.push(String(input.x.data[i * f + j]!));
      row.push(field(names[i]!));
      for (let j = 0; j < k; j++) row.push(String(probs[i * k + j]!));
      lines.push(row.join(","));
    }
    const csv = `${lines.join("\n")}\n`;
    if (outPath !== null) writeOutput(outPath, csv, force);
    if (flags.json === true) {
      const probabilities = Array.from({ length: m }, (_, i) => Array.from(probs.subarray(i * k, (i + 1) * k)));
      printJson({ model: path, input: input.path, rows: m, classes: meta.classes, out: outPath, predictions: names, probabilities });
      return;
    }
    if (outPath === null) process.stdout.write(csv);
    else process.stderr.write(`hone: wrote ${m} predictions to ${outPath}\n`);
  });
  return cmd;
}
