// `hone sweep`: grid or random search over `hone train` flags. Every trial is the train
// command itself (`hone train <flags>` run as a function on a worker thread of the trial
// pool, so trials use exactly the same pipeline), trained on train and scored on dev; trials
// run in parallel across cores. Every trial's flags are checked before the first one runs.
// Each finished trial is written to the CSV at once (the file rewritten whole and renamed
// into place), with the seed, data source, data hash and flags after -- it ran with, so an
// interrupted sweep keeps its rows and `--resume` skips them — for the same configuration only. The test score of the best configuration is read once, at the end.
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { Command, Option } from "commander";
import { libm, rng } from "@hone/tensor";
import { UsageError } from "../errors.js";
import { isBuiltin } from "../data.js";
import { inputFile, outputFile, writeOutput } from "../io.js";
import { integerFrom } from "../parse.js";
import { print, printJson, warn } from "../output.js";
import { TrialPool, checkTrainArgs, dataHash, failureOf, reportOf, summaryOf, type TrialReport } from "../trials.js";
import { parseQueueUrl, reachQueue, runOnQueue, type QueueAddress, type TrialJob } from "../queue.js";
import { trainCommand } from "./train.js";
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
    const v = options.log ? libm.exp(libm.log(s.lo) + u * (libm.log(s.hi) - libm.log(s.lo))) : s.lo + u * (s.hi - s.lo);
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

/** What a sweep's rows were run with; `--resume` refuses a file recorded with anything else. */
interface Recorded { seed: string; data: string; dataSha256: string; args: string }
const RECORDED = ["seed", "data", "dataSha256", "args"] as const;
const METRICS = ["devAccuracy", "devLoss", "trainAccuracy", "seconds"] as const;

/** One CSV field: quoted when it holds a comma, a quote or a line break. */
function field(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** The fields of one line this command wrote (RFC 4180 quoting; no line breaks inside fields). */
function fields(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let value = "";
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) throw new UsageError(`an unterminated quoted field in ${JSON.stringify(line)}`);
        value += line.slice(i, q);
        if (line[q + 1] === '"') { value += '"'; i = q + 2; } else { i = q + 1; break; }
      }
      out.push(value);
    } else {
      const c = line.indexOf(",", i);
      out.push(line.slice(i, c < 0 ? line.length : c));
      i = c < 0 ? line.length : c;
    }
    if (i >= line.length) return out;
    if (line[i] !== ",") throw new UsageError(`expected a comma after a quoted field in ${JSON.stringify(line)}`);
    i++;
  }
}

interface SweepFlags extends Partial<Record<Key, string>> {
  log?: boolean;
  trials: number;
  workers: number;
  out?: string;
  resume?: string;
  force?: boolean;
  json?: boolean;
  seed: number;
  queue?: QueueAddress;
  queueTimeout?: number;
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
    .option("--resume <trials.csv>", "continue a sweep: skip the configurations already in this CSV (recorded with the same seed, data and flags after --) and add the rest to it")
    .option("--force", "overwrite an existing --out file")
    .option("--queue <redis-url>", "run the trials on `hone worker` processes (any machines) through this Redis, redis://host:port[/db], instead of threads here", (text: string) => parseQueueUrl(text))
    .option("--queue-timeout <seconds>", "with --queue: give up when no trial has finished for this long (exit 1; the trials stay queued for --resume); default: wait as long as it takes", integerFrom("--queue-timeout", 1));
  for (const key of Object.keys(SWEEPABLE) as Key[]) cmd.option(`${flagOf(key)} <values>`, `values of train's ${flagOf(key)} to try`);
  addCommon(cmd, { seed: true, backend: true });
  cmd.allowExcessArguments(true);
  cmd.addHelpText("after", `
Examples:
  $ hone sweep --l2 0,0.1,0.3,0.7 --keep-prob 1,0.86,0.7 --out trials.csv
  $ hone sweep --lr 1e-4..1e-1 --log --trials 8 -- --data circles --epochs 100
  $ hone sweep --layers "8;16,16;32,32" --workers 2 --json
  $ hone sweep --resume trials.csv --l2 0,0.1,0.3,0.7 --keep-prob 1,0.86,0.7
  $ hone sweep --l2 0,0.1,0.3,0.7 --queue redis://10.0.0.5:6379 --out trials.csv   # with \`hone worker --queue redis://10.0.0.5:6379\` on other machines`);
  cmd.action(async (flags: SweepFlags, command: Command) => {
    const passthrough = command.args;
    const keys = (Object.keys(SWEEPABLE) as Key[]).filter((k) => flags[k] !== undefined);
    if (keys.length === 0) throw new UsageError(`sweep needs at least one flag to vary (${(Object.keys(SWEEPABLE) as Key[]).map(flagOf).join(", ")})`);
    for (const a of passthrough) if (a === "--json" || a === "--seed" || a.startsWith("--seed=")) throw new UsageError(`sweep: pass ${a.replace(/=.*/, "")} to sweep itself, not after --`);
    if (flags.out !== undefined && flags.resume !== undefined) throw new UsageError("sweep: --resume appends to its own file; do not pass --out too");
    if (flags.queueTimeout !== undefined && flags.queue === undefined) throw new UsageError("sweep: --queue-timeout applies with --queue only");
    if (flags.queue !== undefined && command.getOptionValueSource("workers") === "cli") throw new UsageError("sweep: --workers counts threads on this machine; with --queue, start `hone worker --queue … --concurrency n` where the trials should run");
    const spaces = keys.map((k): [Key, Space] => [k, parseSpace(k, flags[k]!, flags.log === true)]);
    const trials = trialsOf(spaces, { trials: flags.trials, log: flags.log === true, seed: flags.seed });
    const trialArgs = (t: Record<string, string>): string[] => [...keys.flatMap((k) => [flagOf(k), t[k]!]), "--seed", String(flags.seed), ...passthrough];
    // Every trial's flags are checked before the first one runs: a bad value exits 2 at once.
    let source = "";
    for (const t of trials) source = (await checkTrainArgs(trainCommand(), trialArgs(t))).data.source;
    const recorded: Recorded = { seed: String(flags.seed), data: source, dataSha256: dataHash(source), args: JSON.stringify(passthrough) };
    const header: string[] = [...keys, ...METRICS, ...RECORDED];
    const inputs = isBuiltin(source) ? [] : [source];
    const csv = flags.resume !== undefined ? outputFile(inputFile(flags.resume, "--resume"), { flag: "--resume", force: true, inputs })
      : flags.out !== undefined ? outputFile(flags.out, { flag: "--out", force: flags.force === true, inputs }) : undefined;
    if (flags.queue !== undefined) await reachQueue(flags.queue);
    const done = new Map<string, TrialResult>();
    const lines: string[] = [];
    if (flags.resume !== undefined) {
      const text = readFileSync(csv!, "utf8").split(/\r?\n/).filter((l) => l.trim() !== "");
      const found = fields(text[0] ?? "");
      if (found.join(",") !== header.join(",")) throw new UsageError(`--resume ${JSON.stringify(flags.resume)}: its columns are ${found.join(",")}, this sweep's are ${header.join(",")}`);
      for (const [n, line] of text.slice(1).entries()) {
        const cells = fields(line);
        if (cells.length !== header.length) throw new UsageError(`--resume ${JSON.stringify(flags.resume)}, line ${n + 2}: ${cells.length} fields, expected ${header.length}`);
        const at = (name: string): string => cells[header.indexOf(name)]!;
        for (const name of RECORDED) {
          if (at(name) === recorded[name]) continue;
          const what = name === "seed" ? `--seed ${at(name)}, this sweep has --seed ${recorded.seed}`
            : name === "data" ? `--data ${JSON.stringify(at(name))}, this sweep has ${JSON.stringify(recorded.data)}`
            : name === "dataSha256" ? `a data file whose content has changed since (SHA-256 ${at(name).slice(0, 12)}…, now ${recorded.dataSha256.slice(0, 12)}…)`
            : `the flags after -- ${at(name)}, this sweep has ${recorded.args}`;
          throw new UsageError(`--resume ${JSON.stringify(flags.resume)}, line ${n + 2}: recorded with ${what}; resume with the same configuration, or start a new file with --out`);
        }
        const config = Object.fromEntries(keys.map((k) => [k, at(k)]));
        const [devAccuracy, devLoss, trainAccuracy, seconds] = METRICS.map((m) => Number(at(m)));
        if (![devAccuracy, devLoss, trainAccuracy, seconds].every(Number.isFinite)) throw new UsageError(`--resume ${JSON.stringify(flags.resume)}, line ${n + 2}: the metrics ${METRICS.join(", ")} must be numbers`);
        done.set(keyOf(config, keys), { config, devAccuracy: devAccuracy!, devLoss: devLoss!, trainAccuracy: trainAccuracy!, seconds: seconds! });
        lines.push(line);
      }
    }
    // The CSV is rewritten whole after each trial (a temporary file renamed into place): a
    // kill leaves the rows finished so far, never a half-written one.
    const save = (): void => { if (csv !== undefined) writeOutput(csv, `${[header.join(","), ...lines].join("\n")}\n`, true); };
    const todo = trials.filter((t) => !done.has(keyOf(t, keys)));
    const results: TrialResult[] = trials.map((t) => done.get(keyOf(t, keys))).filter((r): r is TrialResult => r !== undefined);
    const live = flags.json !== true && process.stderr.isTTY;
    const started = performance.now();
    let workers = Math.max(1, Math.min(flags.workers, todo.length));
    // Locally the pool runs every trial; with --queue only the winner's test score, if resumed.
    const pool = new TrialPool(flags.queue === undefined ? workers : 1);
    /** Records a finished trial: in memory, in the CSV at once, and on a terminal as a line. */
    const record = (t: Record<string, string>, report: TrialReport, test?: { loss: number; accuracy: number }, where = ""): void => {
      if (!report.ok) throw failureOf(report, `sweep: the trial ${keyOf(t, keys)}`);
      const m = report.metrics as unknown as Record<"train" | "dev", { loss: number; accuracy?: number }>;
      if (m.dev.accuracy === undefined) throw new UsageError("sweep ranks configurations by dev accuracy; this data is a regression problem, which sweeps do not take yet");
      const r: TrialResult = { config: t, devAccuracy: m.dev.accuracy, devLoss: m.dev.loss, trainAccuracy: m.train.accuracy!, seconds: report.seconds, ...(test === undefined ? {} : { test }) };
      results.push(r);
      lines.push([...keys.map((k) => t[k]!), String(r.devAccuracy), String(r.devLoss), String(r.trainAccuracy), r.seconds.toFixed(3), ...RECORDED.map((k) => recorded[k])].map(field).join(","));
      save();
      if (live) process.stderr.write(`  trial ${results.length}/${trials.length}  ${keyOf(t, keys)}  dev accuracy ${r.devAccuracy.toFixed(4)}  dev loss ${r.devLoss.toFixed(4)}${where}\n`);
    };
    try {
      if (flags.queue !== undefined) {
        // One job per configuration; the workers send back train and dev metrics only.
        const configs = new Map<TrialJob, Record<string, string>>(todo.map((t) => [{ label: keyOf(t, keys), args: trialArgs(t), data: source, dataSha256: recorded.dataSha256 }, t]));
        const log = flags.json === true ? undefined : warn;
        ({ workers } = await runOnQueue(flags.queue, [...configs.keys()], (job, result) => { record(configs.get(job)!, result, undefined, `  (${result.worker})`); }, { log, ...(flags.queueTimeout === undefined ? {} : { timeoutSeconds: flags.queueTimeout }) }));
      } else {
        await Promise.all(todo.map(async (t) => {
          const outcome = await pool.run(trialArgs(t));
          const test = summaryOf(outcome, `sweep: the trial ${keyOf(t, keys)}`).metrics.test as { loss: number; accuracy: number };
          record(t, reportOf(outcome), { loss: test.loss, accuracy: test.accuracy });
        }));
      }
      if (todo.length === 0) save();
      const ranked = results.slice().sort((a, b) => b.devAccuracy - a.devAccuracy || a.devLoss - b.devLoss);
      const best = ranked[0]!;
      // The winner's test score, computed once: rerun it if it came from a resumed file or the queue.
      const test = best.test ?? (summaryOf(await pool.run(trialArgs(best.config)), "sweep: the best configuration's rerun").metrics.test as unknown as { loss: number; accuracy: number });
      const seconds = (performance.now() - started) / 1000;
      if (flags.json === true) {
        printJson({
          trials: ranked.map(({ config, devAccuracy, devLoss, trainAccuracy, seconds: s }) => ({ config, devAccuracy, devLoss, trainAccuracy, seconds: s })),
          best: { config: best.config, devAccuracy: best.devAccuracy, devLoss: best.devLoss, test },
          resumed: done.size, ran: todo.length, workers, queue: flags.queue?.label ?? null, seconds, out: csv ?? null,
        });
        return;
      }
      const ranOn = flags.queue === undefined ? `${workers} worker thread${workers === 1 ? "" : "s"}` : `the queue ${flags.queue.label} (${workers} worker${workers === 1 ? "" : "s"} at the end)`;
      print(`${trials.length} configurations (${done.size} resumed, ${todo.length} run on ${ranOn}) in ${seconds.toFixed(1)} s, scored on dev:`);
      for (const r of ranked) print(`  ${keyOf(r.config, keys).padEnd(40)} dev accuracy ${r.devAccuracy.toFixed(4)}  dev loss ${r.devLoss.toFixed(4)}  train accuracy ${r.trainAccuracy.toFixed(4)}`);
      print(`best: ${keyOf(best.config, keys)} — dev accuracy ${best.devAccuracy.toFixed(4)}; its test accuracy (computed once) ${test.accuracy.toFixed(4)}, test loss ${test.loss.toFixed(4)}`);
      if (csv !== undefined) print(`Trials in ${csv}`);
    } finally {
      await pool.close();
    }
  });
  return cmd;
}
