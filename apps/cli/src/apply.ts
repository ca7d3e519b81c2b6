// A saved model on the rows of a CSV file (`predict` and `eval`): read the file as a table,
// encode it with the saved preprocessor (columns found by name; extra columns left alone),
// normalize with the saved scaler, and run the network.
import { TableMismatchError, type Table } from "@hone/data-split";
import { HoneError, type Tensor } from "@hone/tensor";
import { readTableFile, type DialectSpec } from "./data.js";
import { UsageError } from "./errors.js";
import type { LoadedClassifier } from "./model-file.js";
import { asDType, infer } from "./task.js";

/** A file's rows encoded for a model, and the network's output on them. */
export interface AppliedRows {
  table: Table & { path: string };
  /** The table rows used, in order. */
  rows: Int32Array;
  /** The network's output, one row per table row. */
  output: Tensor;
  /** Cells filled in, and categories not seen in training. */
  imputed: number;
  unseen: number;
}

/** Rewords a preprocessor's mismatch (a missing column, an unseen category, a bad label) as a usage error. */
export function asUsage<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof TableMismatchError) throw new UsageError(error.message.replace(/^TablePreprocessor\.\w+: /, ""));
    throw error;
  }
}

/**
 * Reads `path` and runs `loaded`'s network on `rows` of it (default every row). With
 * `keepText`, those columns keep their original text (IDs written back next to predictions).
 */
export async function applyModel(loaded: LoadedClassifier, path: string, options: { what: string; dialect?: DialectSpec; keepText?: (name: string) => boolean; rows?: (table: Table) => Int32Array }): Promise<AppliedRows> {
  const table = await readTableFile(path, options.dialect ?? dialectOfModel(loaded), options.what, options.keepText);
  const rows = options.rows?.(table) ?? Int32Array.from({ length: table.rows }, (_, i) => i);
  const { x, imputed, unseen } = asUsage(() => loaded.preprocessor.transform(table, rows));
  if (loaded.strict && imputed > 0) {
    throw new UsageError(`${JSON.stringify(path)} has ${imputed} missing cell${imputed > 1 ? "s" : ""} in the model's feature columns; this model was saved by an older hone that did not learn fills for missing values (retrain it)`);
  }
  if (x.shape[1] !== loaded.meta.featureNames.length) throw new HoneError(`applyModel: the preprocessor gives ${x.shape[1]} columns but the model takes ${loaded.meta.featureNames.length}`);
  const scaled = loaded.scaler === null ? x : loaded.scaler.transform(x);
  const output = infer(loaded.model, asDType(scaled, loaded.meta.dtype));
  return { table, rows, output, imputed, unseen };
}

/** The CSV dialect a model was trained with (its saved config), as the default for files it reads. */
export function dialectOfModel(loaded: LoadedClassifier): DialectSpec {
  const table = (loaded.meta.config as { table?: { delimiter?: string; decimal?: "." | ","; naValues?: string[] | null } | null } | null)?.table;
  if (table === undefined || table === null) return {};
  return {
    ...(table.delimiter === undefined ? {} : { delimiter: table.delimiter }),
    ...(table.decimal === undefined ? {} : { decimal: table.decimal }),
    ...(table.naValues === undefined || table.naValues === null ? {} : { naValues: table.naValues }),
  };
}
