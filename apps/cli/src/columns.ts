// How a CSV's columns were read (the role of each, and why) and how a run compares with the
// trivial baseline, for the terminal and `--json`. Pure formatting of the preprocessor's plan.
import Table from "cli-table3";
import type { TablePreprocessor } from "@hone/data-split";
import { num, pct, type Colors } from "./render.js";
import type { SplitMetrics } from "./task.js";

/** One column as `--json` reports it. */
export interface ColumnJson {
  name: string;
  role: string;
  reason: string;
  missing: number;
  /** The encoded columns it became. */
  outputs: number;
}

/** The columns' roles, reasons and encoded widths. */
export function columnsJson(pre: TablePreprocessor): ColumnJson[] {
  return pre.columns.map((c) => ({
    name: c.name, role: c.role, reason: c.reason, missing: c.missing,
    outputs: c.role === "numeric" ? (c.indicator === true ? 2 : 1)
      : c.role === "categorical" ? c.categories!.length + (c.rare === true ? 1 : 0) + (c.missingColumn === true ? 1 : 0) : 0,
  }));
}

/** The columns table: name, role, what it became, and why (on the training rows). */
export function columnsText(pre: TablePreprocessor, c: Colors): string {
  const table = new Table({
    head: ["column", "role", "features", "missing", "why"].map((h) => c.bold(h)),
    colAligns: ["left", "left", "right", "right", "left"],
    style: { head: [], border: [] },
  });
  for (const col of columnsJson(pre)) {
    const role = col.role === "ignored" ? c.dim("ignored") : col.role === "label" ? c.bold("label") : col.role;
    table.push([col.name, role, col.outputs === 0 ? "" : String(col.outputs), col.missing === 0 ? "" : String(col.missing), col.reason]);
  }
  return `${c.bold("Columns")} ${c.dim("(roles from the training rows; change them with --categorical, --ignore, --features, --keep)")}\n${table.toString()}`;
}

/** The baseline line under the metrics table: what always guessing the majority (or the mean) scores. */
export function metricsBaselineText(metrics: Record<string, SplitMetrics>, trivial: Record<string, unknown>, c: Colors): string {
  const splits = Object.keys(metrics).filter((k) => trivial[k] !== undefined);
  if ("rmse" in metrics.train!) {
    const parts = splits.map((k) => `${k} RMSE ${num((trivial[k] as { rmse: number }).rmse)}`);
    return c.dim(`Baseline (always the training mean, ${num(trivial.predicts as number)}): ${parts.join(", ")}; R² 0 by definition on train.`);
  }
  const parts = splits.map((k) => `${k} ${pct((trivial[k] as { accuracy: number }).accuracy)}`);
  return c.dim(`Baseline (always ${JSON.stringify(trivial.predicts)}, the training majority): accuracy ${parts.join(", ")}.`);
}
