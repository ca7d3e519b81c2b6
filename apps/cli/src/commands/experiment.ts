// `hone experiment <name>`: the course's experiments through the public package APIs, with
// the published numbers beside Hone's.
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { Command, Option } from "commander";
import { UsageError } from "../errors.js";
import { inputFile, outputFile, writeOutput } from "../io.js";
import { print, printJson, progressBar } from "../output.js";
import { colorsFor } from "../render.js";
import { runAugmentation, type AugmentationResult } from "../experiments/augmentation.js";
import { integerFrom } from "../parse.js";
import { runGradientChecking } from "../experiments/gradient-checking.js";
import { runInitialization } from "../experiments/initialization.js";
import { runOptimization } from "../experiments/optimization.js";
import { bundledFootballFile, runRegularization, type FootballData } from "../experiments/regularization.js";
import { renderExperiments } from "../experiments/report.js";
import type { ExperimentMode, ExperimentResult, Progress, VariantResult } from "../experiments/types.js";
import { addCommon } from "./common.js";

const NAMES = ["initialization", "regularization", "gradient-checking", "optimization"] as const;
type Name = (typeof NAMES)[number];
/** Experiments of Hone's own (no published numbers to compare with), not part of `all`. */
const OWN = ["augmentation"] as const;

interface ExperimentFlags {
  modern?: boolean;
  exact?: boolean;
  data?: string;
  report?: string;
  force?: boolean;
  json?: boolean;
  seeds?: number;
  workers?: number;
  backend?: string;
}

const pct = (e: number): string => `${(100 * e).toFixed(2)}%`;

/** The augmentation experiment as text: each variant's mean errors, each seed's, and the reduction. */
function augmentationText(r: AugmentationResult, c: ReturnType<typeof colorsFor>): string {
  const lines = [c.bold(`augmentation — ${r.seconds.toFixed(1)} s`), c.dim(`data: ${r.data}`), c.dim(`each run: hone train ${r.flags.join(" ")} --seed s [--augment ${r.variants[1].augment}]`)];
  for (const v of r.variants) {
    lines.push(c.bold(v.name));
    lines.push(`  train error ${pct(v.trainError)}   dev error ${pct(v.devError)}   variance (dev − train) ${pct(v.variance)}   (means over ${v.runs.length} seeds)`);
    lines.push(c.dim(`  dev error by seed: ${v.runs.map((run) => `${run.seed}: ${pct(run.devError)}`).join(", ")}`));
  }
  const n = r.variants[0].runs.length;
  const better = r.devErrorReduction > 0;
  lines.push(`${better ? c.green("✓") : c.red("✗")} augmentation ${better ? "lowers" : "does not lower"} the dev error by ${pct(r.devErrorReduction)} (${pct(r.variants[0].devError)} → ${pct(r.variants[1].devError)}) and the variance by ${pct(r.varianceReduction)}, at the same ${r.trainRows} training images; lower on ${r.seedsImproved} of ${n} seeds`);
  lines.push(`  ${c.dim(r.lesson)}`);
  return lines.join("\n");
}

/** The football data: `--data`, else the copy the CLI ships (data/football.json). */
function footballData(path: string | undefined): { data: FootballData; source: string } {
  // `-`: standard input (file descriptor 0), never a file named "-".
  const file = path === undefined ? bundledFootballFile : path === "-" ? "standard input" : inputFile(path, "--data");
  let parsed: unknown;
  try {
    parsed = JSON.parse(path === "-" ? readFileSync(0, "utf8") : readFileSync(file, "utf8"));
  } catch {
    throw new UsageError(`--data ${JSON.stringify(path ?? file)} is not valid JSON`);
  }
  const d = parsed as Partial<FootballData>;
  const matrix = (v: unknown): boolean => Array.isArray(v) && v.every((r) => Array.isArray(r) && r.length === 2 && r.every((x) => typeof x === "number"));
  const labels = (v: unknown, n: number): boolean => Array.isArray(v) && v.length === n && v.every((x) => x === 0 || x === 1);
  if (!matrix(d.X) || !matrix(d.Xval) || !labels(d.y, d.X!.length) || !labels(d.yval, d.Xval!.length)) {
    throw new UsageError(`--data ${JSON.stringify(path ?? file)}: expected { X: [[x1, x2], …], y: [0|1, …], Xval: […], yval: […] }`);
  }
  return { data: d as FootballData, source: `the course's football data (${file})` };
}

function progress(json: boolean): { onProgress?: Progress; stop: () => void } {
  if (json || !process.stderr.isTTY) return { stop: () => undefined };
  const bar = progressBar(" {variant} {bar} {percentage}% | {value}/{total}", { hideCursor: false });
  let current = "";
  return {
    onProgress: (variant, done, total) => {
      if (variant !== current) {
        if (bar.isActive) bar.stop();
        current = variant;
        bar.start(total, 0, { variant });
      }
      bar.update(done, { variant });
    },
    stop: () => { if (bar.isActive) bar.stop(); },
  };
}

const same = (a: number | undefined, b: number | undefined, rel: number): boolean =>
  a !== undefined && b !== undefined && (a === b || Math.abs(a - b) <= rel * Math.abs(b));

/** One row of a variant: Hone's number, the published one if any, and how they compare. */
interface Comparison {
  what: string;
  hone: number;
  published?: number;
  /** `match`/`differs`: compared (✓/✗); `not compared`: shown only, for `reason`. */
  result?: "match" | "differs" | "not compared";
  reason?: string;
}

/** Every number of a variant beside its published value: accuracies exactly, the difference to 1e-6, costs to their published precision. */
function comparisons(name: string, v: VariantResult): Comparison[] {
  const rows: Comparison[] = [];
  const row = (what: string, hone: number | undefined, published: number | undefined, rel: number, notCompared?: string): void => {
    if (hone === undefined) return;
    if (published === undefined) rows.push({ what, hone });
    else if (notCompared !== undefined) rows.push({ what, hone, published, result: "not compared", reason: notCompared });
    else rows.push({ what, hone, published, result: same(hone, published, rel) ? "match" : "differs" });
  };
  row("train accuracy", v.trainAccuracy, v.published.trainAccuracy, 0);
  row("test accuracy", v.testAccuracy, v.published.testAccuracy, 0);
  row("difference", v.difference, v.published.difference, 1e-6);
  const unit = name === "optimization" ? "epoch" : "iteration";
  for (const p of v.costs) {
    const published = v.published.costs?.find((q) => q.iteration === p.iteration);
    // Costs published with six digits are compared at that precision.
    const rel = published !== undefined && String(published.cost).length <= 8 ? 5e-6 : 1e-9;
    row(`cost at ${unit} ${p.iteration}`, p.cost, published?.cost, rel, published?.notCompared);
  }
  return rows;
}

/** `✓`/`✗` rows comparing Hone with the published numbers (`not compared` with its reason where a number cannot be reproduced). */
function variantText(name: string, v: VariantResult, c: ReturnType<typeof colorsFor>): string {
  const lines = [c.bold(v.name)];
  const rows = comparisons(name, v);
  const line = (r: Comparison): string => {
    const mark = r.result === "match" ? c.green("✓") : r.result === "differs" ? c.red("✗") : `${c.yellow("not compared")} ${c.dim(`(${r.reason ?? ""})`)}`;
    return `  ${r.what.padEnd(22)} ${String(r.hone).padEnd(22)}${r.published === undefined ? "" : `   published ${r.published}  ${mark}`}`;
  };
  // The accuracies and the difference first, then the verdict, then the costs.
  const costs = rows.findIndex((r) => r.what.startsWith("cost at"));
  const head = costs < 0 ? rows : rows.slice(0, costs), tail = costs < 0 ? [] : rows.slice(costs);
  lines.push(...head.map(line));
  if (v.verdict !== undefined) lines.push(`  verdict                ${v.verdict}${v.failing && v.failing.length > 0 ? ` (wrong in ${v.failing.join(", ")})` : ""}`);
  lines.push(...tail.map(line));
  lines.push(`  ${c.dim(v.lesson)}`);
  return lines.join("\n");
}

/** The JSON form: one entry per variant, with its comparisons (`result` match, differs or not compared, and the reason). */
function toJson(r: ExperimentResult): unknown {
  const unit = r.name === "optimization" ? "epoch" : "iteration";
  const costs = (list: { iteration: number; cost: number; notCompared?: string }[] | undefined): unknown =>
    list?.map((c) => ({ [unit]: c.iteration, cost: c.cost, ...(c.notCompared === undefined ? {} : { notCompared: c.notCompared }) }));
  return {
    name: r.name, mode: r.mode, data: r.data, seconds: r.seconds,
    variants: r.variants.map((v) => ({
      name: v.name,
      ...(v.trainAccuracy === undefined ? {} : { trainAccuracy: v.trainAccuracy }),
      ...(v.testAccuracy === undefined ? {} : { testAccuracy: v.testAccuracy }),
      ...(v.difference === undefined ? {} : { difference: v.difference, verdict: v.verdict, failing: v.failing }),
      costs: costs(v.costs),
      published: { ...v.published, ...(v.published.costs === undefined ? {} : { costs: costs(v.published.costs) }) },
      comparisons: comparisons(r.name, v).filter((row) => row.result !== undefined),
      lesson: v.lesson,
    })),
  };
}

/** The `experiment` command. */
export function experimentCommand(): Command {
  const cmd = new Command("experiment")
    .summary("reproduce the course's experiments beside the published numbers")
    .description("Runs the deep learning course's practical experiments through Hone's public APIs and prints Hone's numbers beside the published ones, with the lesson each shows: initialization (zeros, random ×10, He), regularization (none, L2, dropout), gradient-checking (planted bugs, fixed), optimization (GD, momentum, Adam, learning-rate decay). --exact (the default) follows the notebooks' draw order and conventions; --modern uses Hone's defaults (independent RNG streams, fresh dropout masks, stable losses).")
    .argument("<name>", `one of ${NAMES.join(", ")}, or all of those; or augmentation (Hone's own: digits with and without shifts)`)
    .option("--exact", "the notebooks' conventions, so the numbers match (default)")
    .option("--modern", "Hone's own defaults instead")
    .option("--data <football.json>", "the football data for the regularization experiment (default: the copy the CLI ships, data/football.json); - reads it from standard input")
    .option("--report <file.html>", "write an HTML page with the cost curves and decision boundaries")
    .option("--force", "overwrite an existing --report file")
    .addOption(new Option("--seeds <n>", "augmentation: runs per variant, seeds 1…n (default 5)").argParser(integerFrom("--seeds", 1, 100)))
    .addOption(new Option("--workers <n>", "augmentation: runs at once (default: the CPU cores)").argParser(integerFrom("--workers", 1, 64)));
  addCommon(cmd, { seed: false, backend: true });
  cmd.addHelpText("after", `
Examples:
  $ hone experiment initialization
  $ hone experiment regularization --data football.json --report regularization.html
  $ hone experiment gradient-checking --json
  $ hone experiment all --modern
  $ hone experiment augmentation --seeds 3 --json | jq '.variants[] | {name, trainError, devError}'`);
  cmd.action(async (name: string, flags: ExperimentFlags) => {
    if (name === "augmentation") {
      for (const [flag, given] of [["--report", flags.report], ["--data", flags.data], ["--exact", flags.exact], ["--modern", flags.modern], ["--force", flags.force]] as const) {
        if (given !== undefined) throw new UsageError(`${flag} does not apply to experiment augmentation (it trains on the built-in digits and prints its table; --json for the numbers)`);
      }
      const json = flags.json === true;
      const bar = progress(json);
      let r: AugmentationResult;
      try {
        r = await runAugmentation({ seeds: flags.seeds ?? 5, workers: flags.workers ?? availableParallelism(), ...(flags.backend === undefined ? {} : { backend: flags.backend }), ...(bar.onProgress === undefined ? {} : { onProgress: bar.onProgress }) });
      } finally {
        bar.stop();
      }
      if (json) printJson(r);
      else print(augmentationText(r, colorsFor(process.stdout)));
      return;
    }
    if (flags.seeds !== undefined || flags.workers !== undefined) throw new UsageError(`${flags.seeds !== undefined ? "--seeds" : "--workers"} applies to experiment augmentation only`);
    if (name !== "all" && !NAMES.includes(name as Name)) throw new UsageError(`experiment: unknown experiment ${JSON.stringify(name)}; expected one of ${[...NAMES, ...OWN].join(", ")}, or all`);
    if (flags.modern === true && flags.exact === true) throw new UsageError("experiment: pass --exact or --modern, not both");
    const mode: ExperimentMode = flags.modern === true ? "modern" : "exact";
    if (flags.report === "-") throw new UsageError(`--report must be a file name (the HTML page is written there), got "-"`);
    const report = flags.report === undefined ? null : outputFile(flags.report, { flag: "--report", force: flags.force === true });
    const names: Name[] = name === "all" ? [...NAMES] : [name as Name];
    if (flags.data !== undefined && !names.includes("regularization")) throw new UsageError(`--data is the football data of the regularization experiment; experiment ${name} does not read it`);
    // Fail on missing data before any work starts.
    const football = names.includes("regularization") ? footballData(flags.data) : null;
    const json = flags.json === true;
    const bar = progress(json);
    const results: ExperimentResult[] = [];
    try {
      for (const n of names) {
        if (n === "initialization") results.push(runInitialization({ mode, onProgress: bar.onProgress }));
        else if (n === "regularization") results.push(runRegularization({ mode, data: football!.data, source: football!.source, onProgress: bar.onProgress }));
        else if (n === "gradient-checking") results.push(runGradientChecking({ mode }));
        else results.push(runOptimization({ mode, onProgress: bar.onProgress }));
      }
    } finally {
      bar.stop();
    }
    if (report !== null) writeOutput(report, renderExperiments(results), flags.force === true);
    if (json) {
      printJson({ mode, experiments: results.map(toJson) });
      return;
    }
    const c = colorsFor(process.stdout);
    for (const r of results) {
      print(c.bold(`${r.name} (${r.mode}) — ${r.seconds.toFixed(1)} s`));
      print(c.dim(`data: ${r.data}`));
      for (const v of r.variants) print(variantText(r.name, v, c));
      print();
    }
  });
  return cmd;
}
