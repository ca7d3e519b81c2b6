// Gradient checks as the CLI runs and shows them: the checked batch (the first --rows rows
// of the training split), one check's JSON and verdict line (`hone gradcheck`), and the
// check at initialization and after training, built on @hone/gradcheck's
// `gradcheckCallback` (`hone gradcheck --after-epochs`, `hone train --gradcheck`).
import { formatReport, gradcheckCallback, type GradcheckCallback, type ModelCheckResult, type TrainingGradcheck } from "@hone/gradcheck";
import { gatherRows, type Rng, type Tensor } from "@hone/tensor";
import { UsageError } from "./errors.js";
import type { TrainConfig } from "./flags.js";
import type { Part, Prepared } from "./prepare.js";
import type { Colors } from "./render.js";
import { buildPenalty } from "./setup.js";

/** The checked batch: the first `rows` rows of the training split (all of them when it has fewer). */
export function gradcheckBatch(train: Part, rows: number): { x: Tensor; y: Tensor } {
  const n = Math.min(rows, train.x.shape[0]!);
  const idx = Int32Array.from({ length: n }, (_, i) => i);
  return { x: gatherRows(train.x, idx), y: gatherRows(train.y, idx) };
}

/** One check as `hone gradcheck --json` prints it. */
export interface CheckJson {
  verdict: ModelCheckResult["verdict"];
  passed: boolean;
  difference: number;
  epsilon: number;
  thresholds: ModelCheckResult["thresholds"];
  checked: number;
  total: number;
  cost: number;
  failing: string[];
  parameters: { name: string; shape: number[]; checked: number; difference: number; judged: number; verdict: ModelCheckResult["verdict"]; worst: ModelCheckResult["rows"][number]["worst"] }[];
  warnings: string[];
}

/** The JSON fields of one check (the gradients themselves left out). */
export function checkJson(result: ModelCheckResult): CheckJson {
  return {
    verdict: result.verdict, passed: result.passed, difference: result.difference, epsilon: result.epsilon,
    thresholds: result.thresholds, checked: result.checked, total: result.total, cost: result.cost, failing: result.failing,
    parameters: result.rows.map((r) => ({ name: r.name, shape: r.shape, checked: r.checked, difference: r.difference, judged: r.judged, verdict: r.verdict, worst: r.worst })),
    warnings: result.warnings,
  };
}

/** `Verdict: correct`, or `Verdict: wrong — …` with what it means. */
export function verdictLine(result: ModelCheckResult, c: Colors): string {
  const color = result.verdict === "correct" ? c.green : result.verdict === "wrong" ? c.red : c.yellow;
  const coarse = result.epsilon > 1e-5 ? ` (or --epsilon ${result.epsilon} is too coarse; the default is 1e-7)` : "";
  return `${c.bold("Verdict:")} ${color(c.bold(result.verdict))}${result.verdict === "wrong" ? ` — backprop and the numerical gradient disagree: a bug${coarse}` : ""}`;
}

/** The two checks as JSON: `rows`, `epochs` trained between them, the worse `verdict`, `passed`, and each check. */
export interface TrainingCheckJson {
  rows: number;
  epochs: number;
  verdict: ModelCheckResult["verdict"] | null;
  passed: boolean;
  initial: CheckJson | null;
  trained: CheckJson | null;
}

/** The JSON of a `gradcheckCallback` report (a check that did not run, as when training diverged, is null). */
export function trainingCheckJson(report: TrainingGradcheck, rows: number): TrainingCheckJson {
  return {
    rows, epochs: report.epochs, verdict: report.verdict, passed: report.passed,
    initial: report.initial === null ? null : checkJson(report.initial),
    trained: report.trained === null ? null : checkJson(report.trained),
  };
}

/** The two checks for a terminal: a heading, the table and the verdict of each, then the overall verdict. */
export function formatTrainingCheck(report: TrainingGradcheck, c: Colors): string {
  const parts: string[] = [];
  const section = (title: string, result: ModelCheckResult | null): void => {
    parts.push(c.bold(title));
    parts.push(result === null ? c.dim("not run (training did not finish)") : `${formatReport(result)}\n${verdictLine(result, c)}`);
    parts.push("");
  };
  section("At initialization", report.initial);
  section(`After ${report.epochs} epoch${report.epochs === 1 ? "" : "s"}`, report.trained);
  const v = report.verdict;
  const color = v === "correct" ? c.green : v === "wrong" ? c.red : c.yellow;
  const which = report.initial !== null && report.trained !== null && report.initial.verdict !== report.trained.verdict
    ? ` (${report.initial.verdict} at initialization, ${report.trained.verdict} after training)` : "";
  parts.push(`${c.bold("Both checks:")} ${v === null ? "not run" : color(c.bold(v))}${which}`);
  return parts.join("\n");
}

/** Options of `trainGradcheck`. */
export interface TrainGradcheckOptions {
  /** Training rows in the checked batch. Default `64`. */
  rows?: number;
  /** The step of the two-sided difference. Default `1e-7`. */
  epsilon?: number;
  /** Check only this many parameter components, drawn with `rng`. Default: all. */
  sample?: number;
  /**
   * Draws the sampled components (required with `sample`). Give it a stream of its own, added
   * last in `streams()`, so that sampling disturbs no other stream.
   */
  rng?: Rng;
}

/** A training run's gradient checks: the callback to hand `fit`, and its results for people and for JSON. */
export interface TrainGradcheck {
  /** Put it last in `fit`'s callbacks (after early stopping, which restores the best weights at train end). */
  callback: GradcheckCallback;
  /** Rows in the checked batch. */
  rows: number;
  /** The `gradcheck` field of `--json`. */
  json(): TrainingCheckJson;
  /** The two tables and verdicts, for stdout. */
  text(c: Colors): string;
  /** Either check is wrong (a bug): the run exits 1. */
  failed(): boolean;
}

/**
 * The checks of `hone train --gradcheck`: at the start of training and at its end, on the
 * first `rows` training rows, with the run's loss and --l2/--l1 penalty, dropout off.
 * Fails at once (a usage error) for float32, before any training.
 */
export function trainGradcheck(config: TrainConfig, p: Prepared, options: TrainGradcheckOptions = {}): TrainGradcheck {
  if (config.model.dtype !== "float64") throw new UsageError(`--gradcheck needs --dtype float64 (got ${config.model.dtype}): the step ε = 1e-7 is below float32 resolution`);
  const penalty = buildPenalty(config);
  const batch = gradcheckBatch(p.train, options.rows ?? 64);
  const rows = batch.x.shape[0]!;
  const callback = gradcheckCallback({
    loss: p.task.loss, batch,
    ...(options.epsilon === undefined ? {} : { epsilon: options.epsilon }),
    ...(penalty === null ? {} : { penalty }),
    ...(options.sample === undefined ? {} : { sample: options.sample }),
    ...(options.rng === undefined ? {} : { rng: options.rng }),
  });
  return {
    callback,
    rows,
    json: () => trainingCheckJson(callback.report(), rows),
    text: (c) => formatTrainingCheck(callback.report(), c),
    failed: () => callback.report().verdict === "wrong",
  };
}
