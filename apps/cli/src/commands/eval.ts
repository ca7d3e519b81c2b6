// `hone eval`: a saved model's metrics on a labeled CSV file: a classifier's loss, accuracy,
// precision/recall/F1, ROC-AUC, PR-AUC and confusion matrix; a regressor's RMSE, MAE and R².
import { Command } from "commander";
import Table from "cli-table3";
import { labeledRows } from "@hone/data-split";
import { applyModel, asUsage } from "../apply.js";
import { STDIN, sourceName } from "../data.js";
import { loadClassifier } from "../model-file.js";
import { labelColumn } from "../parse.js";
import { print, printJson, warn } from "../output.js";
import { colorsFor, metricsTable } from "../render.js";
import { UsageError } from "../errors.js";
import { scoreOutput, taskFor } from "../task.js";
import { addCommon } from "./common.js";

interface EvalFlags {
  model?: string;
  data?: string;
  label?: string | number;
  json?: boolean;
}

/** The `eval` command. */
export function evalCommand(): Command {
  const cmd = new Command("eval")
    .summary("evaluate a saved model on a labeled CSV file")
    .description("Loads a model saved by `hone train --save`, encodes the file's feature columns (matched by name) with its saved preprocessing and normalizer, and prints a classifier's loss, accuracy, precision, recall, F1, ROC-AUC, PR-AUC and confusion matrix, or a regressor's RMSE, MAE and R². Rows without a label are left out.")
    .option("--model <file>", "a model saved by `hone train --save` (.json or .safetensors; required)")
    .option("--data <file.csv>", "a CSV file with the model's feature columns and the label column (required), or - to read it from standard input")
    .option("--label <column>", "the label column: a name or a 0-based index (default: the label name the model was trained with)", labelColumn);
  addCommon(cmd, { seed: false, backend: true });
  cmd.addHelpText("after", `
Examples:
  $ hone train --data data.csv --save model.json && hone split data.csv --out splits/
  $ hone eval --model model.json --data splits/test.csv
  $ hone eval --model model.safetensors --data new.csv --label outcome --json`);
  cmd.action(async (flags: EvalFlags) => {
    if (flags.model === undefined) throw new UsageError("eval needs --model <file>, a model saved by `hone train --save`");
    if (flags.data === undefined) throw new UsageError("eval needs --data <file.csv>, a labeled CSV file");
    if (flags.model === STDIN) throw new UsageError(`--model must be a model file saved by \`hone train --save\`, got "-": a model cannot be read from standard input (--data - can)`);
    const data = flags.data;
    const loaded = loadClassifier(flags.model);
    const { meta, path } = loaded;
    const label = flags.label ?? meta.labelName;
    let dropped = 0;
    const applied = await applyModel(loaded, data, {
      what: "data file",
      rows: (table) => {
        const found = asUsage(() => {
          try {
            return labeledRows(table, label);
          } catch (error) {
            throw new UsageError(`${error instanceof Error ? error.message.replace(/^labeledRows: /, "") : String(error)} (choose it with --label)`);
          }
        });
        dropped = found.dropped;
        if (found.rows.length === 0) throw new UsageError(`the label column ${JSON.stringify(found.column.name)} of ${sourceName(data)} is empty in every row`);
        return found.rows;
      },
    });
    if (dropped > 0) warn(`left out ${dropped} row${dropped > 1 ? "s" : ""} with no label`);
    if (applied.imputed > 0) warn(`filled ${applied.imputed} missing cell${applied.imputed > 1 ? "s" : ""} with the fills learned in training`);
    if (applied.unseen > 0) warn(`${applied.unseen} cell${applied.unseen > 1 ? "s have categories" : " has a category"} not seen in training (encoded as all zeros)`);
    const labelName = typeof label === "string" ? label : applied.table.columns.at(label)?.name ?? meta.labelName;
    const y = asUsage(() => loaded.preprocessor.labels(renamedLabel(applied.table, labelName, meta.labelName), applied.rows, { standardize: true }));
    const task = taskFor({ task: meta.task, classes: meta.classes.length, ...(meta.target === null ? {} : { target: meta.target }) });
    const result = scoreOutput(task, applied.output, y, meta.decision ?? { positive: 1, threshold: 0.5 });
    if (flags.json === true) {
      printJson({ model: path, data: applied.table.path, label: labelName, task: meta.task, ...result, ...("accuracy" in result ? { classes: meta.classes } : {}), imputedCells: applied.imputed, unseenCells: applied.unseen, droppedRows: dropped });
      return;
    }
    const c = colorsFor(process.stdout);
    const dataName = flags.data === STDIN ? "standard input" : flags.data;
    print(`${c.bold("hone eval")} ${flags.model} on ${dataName} (label ${JSON.stringify(labelName)})`);
    print(metricsTable({ [dataName]: result }, c));
    if ("confusion" in result) {
      const table = new Table({ head: ["true \\ predicted", ...meta.classes].map((h) => c.bold(h)), style: { head: [], border: [] } });
      meta.classes.forEach((name, i) => table.push([c.bold(name), ...result.confusion[i]!.map(String)]));
      print("Confusion matrix (rows: true class, columns: predicted class)");
      print(table.toString());
    }
  });
  return cmd;
}

/** The table with its label column under the name the preprocessor knows, when `--label` named another column. */
function renamedLabel<T extends { columns: readonly { name: string }[] }>(table: T, labelName: string, modelLabel: string): T {
  if (labelName === modelLabel) return table;
  return { ...table, columns: table.columns.map((c) => (c.name === labelName ? { ...c, name: modelLabel } : c)) };
}
