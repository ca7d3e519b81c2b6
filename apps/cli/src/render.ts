// Terminal presentation: colors (only on a terminal), the metrics table, the diagnosis, the
// cost chart. Pure formatting: every number comes from the libraries.
import { blue, lightred, plot, reset } from "asciichart";
import Table from "cli-table3";
import pc from "picocolors";
import type { Diagnosis } from "@hone/data-split";

/** The color functions used here; identity functions when color is off. */
export type Colors = ReturnType<typeof pc.createColors>;

/** Colors for a stream: on for a terminal (unless NO_COLOR or TERM=dumb), or with FORCE_COLOR. */
export function colorsFor(stream: NodeJS.WriteStream): Colors {
  const env = process.env;
  const enabled = env.NO_COLOR === undefined && (env.FORCE_COLOR !== undefined || (stream.isTTY && env.TERM !== "dumb"));
  return pc.createColors(enabled);
}

/** A number for a table: 4 significant decimals, `—` when absent. */
export function num(v: number | undefined | null, digits = 4): string {
  if (v === undefined || v === null || Number.isNaN(v)) return "—";
  if (!Number.isFinite(v)) return String(v);
  if (v !== 0 && Math.abs(v) < 10 ** -digits) return v.toExponential(2);
  return v.toFixed(digits);
}

/** A fraction as a percentage: `0.9650` → `96.50%`. */
export function pct(v: number | undefined | null): string {
  if (v === undefined || v === null || Number.isNaN(v)) return "—";
  return `${(v * 100).toFixed(2)}%`;
}

/** One split's scores: a classifier's (accuracy, precision, …) or a regressor's (RMSE, MAE, R²). */
export interface SplitMetrics {
  rows: number;
  loss: number;
  accuracy?: number;
  precision?: number;
  recall?: number;
  f1?: number;
  rocAuc?: number | null;
  prAuc?: number | null;
  rmse?: number;
  mae?: number;
  r2?: number;
}

/**
 * The metrics table. A classifier: rows, loss, accuracy, error, and (when measured)
 * precision, recall, F1 (of the positive class for two classes, else macro), ROC-AUC and
 * PR-AUC. A regressor: rows, loss, RMSE, MAE and R².
 */
export function metricsTable(metrics: Record<string, SplitMetrics>, c: Colors): string {
  const first = Object.values(metrics)[0];
  const regression = first?.rmse !== undefined;
  const detailed = first?.f1 !== undefined;
  const head = regression ? ["", "rows", "loss", "RMSE", "MAE", "R²"]
    : ["", "rows", "loss", "accuracy", "error", ...(detailed ? ["precision", "recall", "F1", "ROC-AUC", "PR-AUC"] : [])];
  const table = new Table({
    head: head.map((h) => c.bold(h)),
    colAligns: head.map((_, i) => (i === 0 ? "left" : "right")),
    style: { head: [], border: [] },
  });
  for (const [name, m] of Object.entries(metrics)) {
    if (regression) table.push([c.bold(name), String(m.rows), num(m.loss), num(m.rmse), num(m.mae), num(m.r2)]);
    else {
      const row = [c.bold(name), String(m.rows), num(m.loss), pct(m.accuracy), pct(m.accuracy === undefined ? undefined : 1 - m.accuracy)];
      if (detailed) row.push(pct(m.precision), pct(m.recall), pct(m.f1), num(m.rocAuc), num(m.prAuc));
      table.push(row);
    }
  }
  return table.toString();
}

/** A rate with its interval: `3.00% [1.38%–6.39%]`, or the bare rate when it has none. */
export function withInterval(g: { value: number; low: number; high: number }): string {
  return g.low === g.high ? pct(g.value) : `${pct(g.value)} [${pct(g.low)} to ${pct(g.high)}]`;
}

/** Where a base error came from, for a reader (the terminal, the report and `hone curve` say it the same way). */
export function baseErrorSource(b: { source: string; method?: string }): string {
  const text: Record<string, string> = { flag: "from --base-error", dataset: "the data set's Bayes error", estimate: "estimated from the training split", given: "given", none: "none given: 0 assumed" };
  return `${text[b.source] ?? b.source}${b.method === undefined || b.source === "flag" ? "" : ` (${b.method})`}`;
}

/** The bias/variance diagnosis with its intervals, where the base error came from, and the next steps. */
export function diagnosisText(d: Diagnosis, c: Colors): string {
  const color = d.verdict === "fine" ? c.green : d.verdict === "high bias and high variance" ? c.red : c.yellow;
  const b = d.baseError;
  // Without counts the gaps are points: say the rule as it is applied (the threshold, from --threshold or its default).
  const intervals = d.trainError.n !== null || d.devError.n !== null || b.low !== b.high;
  const rule = intervals ? `a gap is high when its whole ${Math.round(d.confidence * 100)}% interval is above ${pct(d.threshold)}` : `a gap is high above ${pct(d.threshold)}`;
  const lines = [
    `${c.bold("Diagnosis:")} ${color(c.bold(d.verdict))} ${c.dim(`(${rule})`)}`,
    `  base error      ${withInterval(b)} — ${baseErrorSource(b)}`,
    `  train error     ${withInterval(d.trainError)}${d.trainError.n === null ? "" : ` on ${d.trainError.n} rows`}`,
    `  dev error       ${withInterval(d.devError)}${d.devError.n === null ? "" : ` on ${d.devError.n} rows`}`,
    `  avoidable bias  ${withInterval(d.avoidableBias)} (train − base): ${d.levels.bias}`,
    `  variance        ${withInterval(d.variance)} (dev − train): ${d.levels.variance}`,
  ];
  if (d.actions.length > 0) {
    lines.push(`  ${c.bold("Next:")}`);
    for (const a of d.actions) lines.push(`    • ${a}`);
  } else {
    lines.push(`  Both gaps are within ${pct(d.threshold)}: check the test error${b.source === "dataset" ? "" : ", or lower the base error if you expect better"}.`);
  }
  for (const note of d.notes) lines.push(c.dim(`  Note: ${note}.`));
  return lines.join("\n");
}

/** Every `step`-th value (and the last), so a long series fits `width` columns. */
export function downsample(values: readonly number[], width: number): number[] {
  if (values.length <= width) return values.slice();
  const out: number[] = [];
  const step = (values.length - 1) / (width - 1);
  for (let i = 0; i < width; i++) out.push(values[Math.round(i * step)]!);
  return out;
}

const LABEL_WIDTH = 9;

/** One asciichart plot of `series` over a fixed range, with an epoch axis below it. */
function chart(series: number[][], range: { min: number; max: number }, epochs: number, colors: (string | undefined)[], height: number): string {
  const plotted = plot(series, {
    height, min: range.min, max: range.max, colors,
    format: (v) => v.toFixed(3).padStart(LABEL_WIDTH - 1),
  });
  const width = series[0]!.length;
  const last = `epoch ${epochs - 1}`;
  const axis = `${" ".repeat(LABEL_WIDTH + 1)}epoch 0${last.padStart(Math.max(last.length + 1, width - 7))}`;
  return `${plotted}\n${axis}`;
}

/**
 * A terminal chart of the train and dev cost per epoch. With color: one chart, train in blue
 * and dev in red. Without: two charts on the same scale, train above dev.
 */
export function costChart(train: readonly number[], dev: readonly number[], options: { width: number; height?: number; color: boolean }): string {
  const width = Math.max(10, Math.min(options.width, train.length));
  const trainSeries = downsample(train, width);
  const hasDev = dev.length === train.length && dev.every((v) => Number.isFinite(v));
  const devSeries = hasDev ? downsample(dev, width) : null;
  const all = [...trainSeries, ...(devSeries ?? [])].filter((v) => Number.isFinite(v));
  if (all.length === 0) return "(no finite cost to plot)";
  if (all.length !== trainSeries.length + (devSeries?.length ?? 0)) return "(the cost became NaN or infinite; nothing to plot)";
  const range = { min: Math.min(...all), max: Math.max(...all) };
  if (range.min === range.max) range.max = range.min + 1;
  const span = train.length > width ? ` — ${train.length} epochs, one column per ${((train.length - 1) / (width - 1)).toFixed(1)}` : "";
  const height = options.height ?? 10;
  if (options.color) {
    const legend = `${" ".repeat(LABEL_WIDTH + 1)}${blue}━━ train cost${reset}   ${lightred}━━ dev cost${reset}${span}`;
    return `${chart(devSeries === null ? [trainSeries] : [trainSeries, devSeries], range, train.length, [blue, lightred], height)}\n${legend}`;
  }
  const parts = [`train cost${span}`, chart([trainSeries], range, train.length, [undefined], Math.ceil(height * 0.7))];
  if (devSeries !== null) parts.push("dev cost", chart([devSeries], range, train.length, [undefined], Math.ceil(height * 0.7)));
  return parts.join("\n");
}
