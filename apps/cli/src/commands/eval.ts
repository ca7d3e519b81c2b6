// `hone eval`: a saved model's loss, accuracy and confusion matrix on a labeled CSV file.
import { Command } from "commander";
import Table from "cli-table3";
import { readCsv, remapLabels, selectFeatures } from "../data.js";
import { loadClassifier } from "../model-file.js";
import { labelColumn } from "../parse.js";
import { print, printJson, warn } from "../output.js";
import { colorsFor, metricsTable } from "../render.js";
import { UsageError } from "../errors.js";
import { asDType, evaluate, infer, taskFor } from "../task.js";
import { addCommon } from "./common.js";

interface EvalFlags {
  model?: string;
  data?: string;
  label?: string | number;
  json?: boolean;
  seed: number;
}

/** The `eval` command. */
export function evalCommand(): Command {
  const cmd = new Command("eval")
    .summary("evaluate a saved model on a labeled CSV file")
    .description("Loads a model saved by `hone train --save`, applies its saved normalizer to the file's feature columns (matched by name, else by position), and prints the loss, accuracy and confusion matrix.")
    .option("--model <file>", "a model saved by `hone train --save` (.json or .safetensors; required)")
    .option("--data <file.csv>", "a CSV file with the model's feature columns and the label column (required)")
    .option("--label <column>", "the label column: a name or a 0-based index (default: the label name the model was trained with)", labelColumn);
  addCommon(cmd);
  cmd.addHelpText("after", `
Examples:
  $ hone train --data data.csv --save model.json && hone split data.csv --out splits/
  $ hone eval --model model.json --data splits/test.csv
  $ hone eval --model model.safetensors --data new.csv --label outcome --json`);
  cmd.action(async (flags: EvalFlags) => {
    if (flags.model === undefined) throw new UsageError("eval needs --model <file>, a model saved by `hone train --save`");
    if (flags.data === undefined) throw new UsageError("eval needs --data <file.csv>, a labeled CSV file");
    const { model, meta, scaler, path } = loadClassifier(flags.model);
    const csv = await readCsv(flags.data, flags.label ?? meta.labelName, "data file");
    const selected = selectFeatures({ x: csv.x, featureNames: csv.featureNames }, meta.featureNames);
    for (const w of selected.warnings) warn(w);
    const y = remapLabels(csv.y, csv.classes ?? [], meta.classes, csv.labelName);
    const x = asDType(scaler === null ? selected.x : scaler.transform(selected.x), meta.dtype);
    const task = taskFor(meta.classes.length);
    const yy = asDType(y, meta.dtype);
    const result = evaluate(model, task, x, yy);
    const predicted = task.predict(infer(model, x));
    const k = meta.classes.length;
    const confusion = Array.from({ length: k }, () => new Array<number>(k).fill(0));
    for (let i = 0; i < y.size; i++) confusion[y.data[i]!]![predicted.data[i]!]!++;
    if (flags.json === true) {
      printJson({ model: path, data: csv.path, label: csv.labelName, rows: result.rows, loss: result.loss, accuracy: result.accuracy, error: 1 - result.accuracy, classes: meta.classes, confusion });
      return;
    }
    const c = colorsFor(process.stdout);
    print(`${c.bold("hone eval")} ${flags.model} on ${flags.data} (label ${JSON.stringify(csv.labelName)})`);
    print(metricsTable({ [flags.data]: result }, c));
    const table = new Table({ head: ["true \\ predicted", ...meta.classes].map((h) => c.bold(h)), style: { head: [], border: [] } });
    meta.classes.forEach((name, i) => table.push([c.bold(name), ...confusion[i]!.map(String)]));
    print("Confusion matrix (rows: true class, columns: predicted class)");
    print(table.toString());
  });
  return cmd;
}
