// `hone sweep`: grid or random search over `hone train` flags. Every trial is the train
// command itself (a child process running `hone train --json`, so trials use exactly the
// same pipeline), trained on train and scored on dev; trials run in parallel across cores;
// each finished trial is appended to the CSV at once, so an interrupted sweep keeps them and
// `--resume` skips them. The test score of the best configuration is read once, at the end.
import { appendFileSync, existsSync, readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { Command, Option } from "commander";
import { rng } from "@hone/tensor";
import { RunFailure, UsageError } from "../errors.js";
import { outputFile } from "../io.js";
import { integerFrom } from "../parse.js";
import { print, printJson } from "../output.js";
import { runTrain } from "../learning-curve.js";
import { addCommon } from "./common.js";

/** The train flags a sweep can vary, with how a single value is checked. */
const SWEEPABLE = {
  lr: "number", l2: "number", l1: "number", keepProb: "number", weightDecay: "number", beta: "number",
  epochs: "integer", batchSize: "integer", layers: "layers", optimizer: "word", activation: "word", init: "word",
} as const;
type Key = keyof typeof SWEEPABLE;
const flagOf = (k: Key): string => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/** One flag's search space: a list of values, or a range to sample. */
type Space = { kind: "list"; values: string[] } | { kind: "range"; lo: number; hi: number };

function parseSpace(key: Key, text: string, log: boolean): Space {
  const flag = flagOf(key);
  const range = /^\s*([^.]+(?:\.\d+)?(?:e-?\d+)?)\s*\.\.\s*(.+)\s*$/i.exec(text);
  if (range !== null && SWEEPABLE[key] === "number") {
    const lo = Number(range[1]), hi = Number(range[2]);
    if (!Number.isFinite(lo) || !Number.isFinite(hi) || !(lo < hi)) throw new UsageError(`${flag} ${JSON.stringify(text)}: a range must be lo..hi with finite lo < hi`);
    if (log && !(lo > 0)) throw new UsageError(`${flag} ${JSON.stringify(text)}: --log needs a range above 0`);
    return { kind: "range", lo, hi };
  }
  // Layer lists use ';' between candidates (each candidate is itself comma-separated).
  const values = (SWEEPABLE[key] === "layers" ? text.split(";") : text.split(",")).map((v) => v.trim());
  for (const v of values) {
    const ok = SWEEPABLE[key] === "number" ? v !== "" && Number.isFinite(Number(v))
      : SWEEPABLE[key] === "integer" ? /^\d+$/.test(v) || (key === "batchSize" && v === "full")
      : SWEEPABLE[key] === "layers" ? /^(none|\d+(,\d+)*)$/.test(v) : /^[a-z-]+$/.test(v);
    if (!ok) throw new UsageError(`${flag} ${JSON.stringify(text)}: ${JSON.stringify(v)} is not a valid value`);
  }
  return { kind: "list", values };
}

/** The trials: the grid of all list combinations, or `trials` random draws when a range is given. */
function trialsOf(spaces: [Key, Space][], options: { trials: number; log: boolean; seed: number }): Record<string, string>[] {
  if (spaces.every(([, s]) => s.kind === "list")) {
    let grid: Record<string, string>[] = [{}];
    for (const [k, s] of spaces) grid = grid.flatMap((t) => (s as { values: string[] }).values.map((v) => ({ ...t, [k]: v })));
    return grid;
  }
  const r = rng(options.seed);
  return Array.from({ length: options.trials }, () => Object.fromEntries(spaces.map(([k, s]) => {
    if (s.kind === "list") return [k, s.values[r.randint(0, s.values.length)]!];
    const u = r.random();
    const v = options.log ? Math.exp(Math.log(s.lo) + u * (Math.log(s.hi) - Math.log(s.lo))) : s.lo + u * (s.hi - s.lo);
    return [k, SWEEPABLE[k] === "integer" ? String(Math.round(v)) : String(+v.toPrecision(6))];
  })));
}

const keyOf = (t: Record<string, string>, keys: readonly Key[]): string => keys.map((k) => `${k}=${t[k] ?? ""}`).join(" ");

interface TrialResult {
  config: Record<string, string>;
  devAccuracy: number;
  devLoss: number;
  trainAccuracy: number;
  seconds: number;
  /** Kept in memory for the winner only; never written or compared. */
  test?: { loss: number; accuracy: number };
}

interface SweepFlags extends Partial<Record<Key, string>> {
  log?: boolean;
  trials: number;
  workers: number;
  out?: string;
  resume?: string;
  json?: boolean;
  seed: number;
}

/** The `sweep` command. */
export function sweepCommand(): Command {
  const cmd = new Command("sweep")
    .summary("grid or random search over train flags, scored on the dev set")
    .description("Trains one `hone train` run per configuration (in parallel across cores), scores each on the dev set — never on the test set — and reports the best configuration with its test score, read once at the end. Values are comma-separated lists (grid search) or lo..hi ranges (random search with --trials; --log samples log-uniformly); --layers candidates are separated by ';'. Flags after `--` go to every trial unchanged.")
    .option("--trials <n>", "random search: configurations to draw (when a range is given)", integerFrom("--trials", 1), 8)
    .option("--log", "sample ranges log-uniformly")
    .addOption(new Option("--workers <n>", "trials run at once (default: the CPU cores)").argParser(integerFrom("--workers", 1, 64)).default(availableParallelism()))
    .option("--out <trials.csv>", "append every finished trial to this CSV (created if missing)")
    .option("--resume <trials.csv>", "continue a sweep: skip the configurations already in this CSV and append to it");
  for (const key of Object.keys(SWEEPABLE) as Key[]) cmd.option(`${flagOf(key)} <values>`, `values of train's ${flagOf(key)} to try`);
  addCommon(cmd);
  cmd.allowExcessArguments(true);
  cmd.addHelpText("after", `
Examples:
  $ hone sweep --l2 0,0.1,0.3,0.7 --keep-prob 1,0.86,0.7 --out trials.csv
  $ hone sweep --lr 1e-4..1e-1 --log --trials 8 -- --data circles --epochs 100
  $ hone sweep --layers "8;16,16;32,32" --workers 2 --json
  $ hone sweep --resume trials.csv --l2 0,0.1,0.3,0.7 --keep-prob 1,0.86,0.7`);
  cmd.action(async (flags: SweepFlags, command: Command) => {
    const passthrough = command.args;
    const keys = (Object.keys(SWEEPABLE) as Key[]).filter((k) => flags[k] !== undefined);
    if (keys.length === 0) throw new UsageError(`sweep needs at least one flag to vary (${(Object.keys(SWEEPABLE) as Key[]).map(flagOf).join(", ")})`);
    for (const a of passthrough) if (a === "--json" || a === "--seed") throw new UsageError(`sweep: pass ${a} to sweep itself, not after --`);
    if (flags.out !== undefined && flags.resume !== undefined) throw new UsageError("sweep: --resume appends to its own file; do not pass --out too");
    const spaces = keys.map((k): [Key, Space] => [k, parseSpace(k, flags[k]!, flags.log === true)]);
    const trials = trialsOf(spaces, { trials: flags.trials, log: flags.log === true, seed: flags.seed });
    const csv = flags.resume ?? flags.out;
    const done = new Map<string, TrialResult>();
    if (flags.resume !== undefined) {
      if (!existsSync(flags.resume)) throw new UsageError(`--resume ${JSON.stringify(flags.resume)}: no such file`);
      const lines = readFileSync(flags.resume, "utf8").trim().split("\n");
      const header = lines[0]?.split(",") ?? [];
      const expected = [...keys, "devAccuracy", "devLoss", "trainAccuracy", "seconds"];
      if (header.join(",") !== expected.join(",")) throw new UsageError(`--resume ${JSON.stringify(flags.resume)}: its columns are ${header.join(",")}, this sweep's are ${expected.join(",")}`);
      for (const line of lines.slice(1)) {
        const cells = line.split(",").map((c) => c.replace(/^"|"$/g, "").replace(/;/g, ","));
        const config = Object.fromEntries(keys.map((k, i) => [k, cells[i]!]));
        const [devAccuracy, devLoss, trainAccuracy, seconds] = cells.slice(keys.length).map(Number);
        done.set(keyOf(config, keys), { config, devAccuracy: devAccuracy!, devLoss: devLoss!, trainAccuracy: trainAccuracy!, seconds: seconds! });
      }
    } else if (csv !== undefined) {
      outputFile(csv, { flag: "--out", force: false });
      appendFileSync(csv, `${[...keys, "devAccuracy", "devLoss", "trainAccuracy", "seconds"].join(",")}\n`, { flag: "wx" });
    }
    const todo = trials.filter((t) => !done.has(keyOf(t, keys)));
    const results: TrialResult[] = trials.map((t) => done.get(keyOf(t, keys))).filter((r): r is TrialResult => r !== undefined);
    const live = flags.json !== true && process.stderr.isTTY;
    const started = performance.now();
    const trialArgs = (t: Record<string, string>): string[] => [...keys.flatMap((k) => [flagOf(k), t[k]!]), "--seed", String(flags.seed), ...passthrough];
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < todo.length) {
        const t = todo[next++]!;
        const t0 = performance.now();
        const run = await runTrain(trialArgs(t));
        if (run.code !== 0) throw new RunFailure(`sweep: the trial ${keyOf(t, keys)} failed: ${run.stderr.trim().split("\n").at(-1) ?? `exit ${run.code}`}`);
        const out = JSON.parse(run.stdout) as { metrics: Record<"train" | "dev" | "test", { loss: number; accuracy?: number }> };
        if (out.metrics.dev.accuracy === undefined) throw new UsageError("sweep ranks configurations by dev accuracy; this data is a regression problem, which sweeps do not take yet");
        const r: TrialResult = { config: t, devAccuracy: out.metrics.dev.accuracy, devLoss: out.metrics.dev.loss, trainAccuracy: out.metrics.train.accuracy!, seconds: (performance.now() - t0) / 1000, test: { loss: out.metrics.test.loss, accuracy: out.metrics.test.accuracy! } };
        results.push(r);
        if (csv !== undefined) appendFileSync(csv, `${[...keys.map((k) => (k === "layers" ? `"${t[k]!.replace(/,/g, ";")}"` : t[k]!)), r.devAccuracy, r.devLoss, r.trainAccuracy, r.seconds.toFixed(3)].join(",")}\n`);
        if (live) process.stderr.write(`  trial ${results.length}/${trials.length}  ${keyOf(t, keys)}  dev accuracy ${r.devAccuracy.toFixed(4)}  dev loss ${r.devLoss.toFixed(4)}\n`);
      }
    };
    await Promise.all(Array.from({ length: Math.min(flags.workers, Math.max(todo.length, 1)) }, worker));
    const ranked = results.slice().sort((a, b) => b.devAccuracy - a.devAccuracy || a.devLoss - b.devLoss);
    const best = ranked[0]!;
    // The winner's test score, computed once: rerun it if it came from a resumed file.
    const test = best.test ?? (JSON.parse((await runTrain(trialArgs(best.config))).stdout) as { metrics: { test: { loss: number; accuracy: number } } }).metrics.test;
    const seconds = (performance.now() - started) / 1000;
    if (flags.json === true) {
      printJson({
        trials: ranked.map(({ config, devAccuracy, devLoss, trainAccuracy, seconds: s }) => ({ config, devAccuracy, devLoss, trainAccuracy, seconds: s })),
        best: { config: best.config, devAccuracy: best.devAccuracy, devLoss: best.devLoss, test },
        resumed: done.size, ran: todo.length, workers: flags.workers, seconds,
      });
      return;
    }
    print(`${trials.length} configurations (${done.size} resumed, ${todo.length} run on ${flags.workers} worker${flags.workers === 1 ? "" : "s"}) in ${seconds.toFixed(1)} s, scored on dev:`);
    for (const r of ranked) print(`  ${keyOf(r.config, keys).padEnd(40)} dev accuracy ${r.devAccuracy.toFixed(4)}  dev loss ${r.devLoss.toFixed(4)}  train accuracy ${r.trainAccuracy.toFixed(4)}`);
    print(`best: ${keyOf(best.config, keys)} — dev accuracy ${best.devAccuracy.toFixed(4)}; its test accuracy (computed once) ${test.accuracy.toFixed(4)}, test loss ${test.loss.toFixed(4)}`);
  });
  return cmd;
}
