// Runs of the train pipeline in-process on worker threads: a sweep's trials and a learning
// curve's sizes. Each worker imports the pipeline once and runs `hone train <args>` (parsed by
// the train command itself, so a trial takes exactly the flags and defaults `hone train` does)
// as a function, returning the summary `hone train --json` would print. Starting a process per
// run cost ~0.4 s of start-up each and a JSON round trip through stdout.
import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { Command } from "commander";
import { checkSource, isBuiltin } from "./data.js";
import { inputFile } from "./io.js";
import { describeFailure, EXIT, RunFailure, UsageError } from "./errors.js";
import { resolveConfig, type TrainConfig, type TrainFlags } from "./flags.js";
import type { TrainSummary } from "./commands/train.js";

/** How a run ended: the summary, or the one-line message and exit code `hone train` would give. */
export type TrialOutcome = ({ ok: true; summary: TrainSummary } | { ok: false; message: string; exit: number }) & { /** Wall time of the run on its thread. */ seconds: number };

/**
 * A run's outcome with only the metrics a sweep ranks by (train and dev): what a queue worker
 * sends back. The test metrics never leave the worker; the sweep reads the winner's once.
 */
export type TrialReport = ({ ok: true; metrics: Pick<TrainSummary["metrics"], "train" | "dev"> } | { ok: false; message: string; exit: number }) & { seconds: number };

/** The {@link TrialReport} of an outcome: its train and dev metrics, or its failure. */
export function reportOf(outcome: TrialOutcome): TrialReport {
  if (!outcome.ok) return outcome;
  return { ok: true, metrics: { train: outcome.summary.metrics.train, dev: outcome.summary.metrics.dev }, seconds: outcome.seconds };
}

const hashes = new Map<string, string>();

/**
 * The SHA-256 of a data file's bytes (hex), or "" for a built-in data set. A missing file is
 * the UsageError `--data` gives. Remembered per path, size and modification time.
 */
export function dataHash(source: string): string {
  if (isBuiltin(source)) return "";
  const path = inputFile(source, "--data");
  const stat = statSync(path);
  const key = `${path}\0${stat.size}\0${stat.mtimeMs}`;
  let hash = hashes.get(key);
  if (hash === undefined) hashes.set(key, hash = createHash("sha256").update(readFileSync(path)).digest("hex"));
  return hash;
}

/** What the worker is sent and what it answers. */
export interface TrialRequest { id: number; args: readonly string[] }
export type TrialReply = { id: number } & TrialOutcome;

/**
 * The arguments a run gets: `args`, plus `--base-error 0` when none is given — callers read
 * the metrics only, and the base-error estimate costs seconds on a large CSV (and fails on a
 * handful of rows) for a figure nobody would read.
 */
export function trialArgs(args: readonly string[]): string[] {
  return args.includes("--base-error") ? [...args] : [...args, "--base-error", "0"];
}

/** Parses `hone train <args>` with the train command's own flags and defaults; `use` gets the parsed flags. */
export async function parseTrain(command: Command, args: readonly string[], use: (flags: TrainFlags & Record<string, unknown>) => Promise<void> | void): Promise<void> {
  const silence = (cmd: Command): void => { cmd.exitOverride().configureOutput({ outputError: () => undefined, writeOut: () => undefined, writeErr: () => undefined }); };
  silence(command);
  command.action(async (flags: TrainFlags & Record<string, unknown>) => { await use(flags); });
  await command.parseAsync(args as string[], { from: "user" });
}

/**
 * Checks `hone train <args>` without training: every flag parses and resolves to a
 * configuration, and the data source exists. A bad value throws the UsageError `hone train`
 * would exit 2 with, so a sweep refuses it before its first trial.
 */
export async function checkTrainArgs(command: Command, args: readonly string[]): Promise<TrainConfig> {
  let config: TrainConfig | null = null;
  await parseTrain(command, args, (flags) => {
    for (const flag of ["save", "report", "learningCurve", "gradcheck"] as const) {
      if (flags[flag] !== undefined) throw new UsageError(`--${flag.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} cannot be given to every trial (after --): train the chosen configuration with \`hone train\` instead`);
    }
    config = resolveConfig(flags);
    checkSource(config.data);
  });
  if (config === null) throw new UsageError("the train flags did not parse");
  return config;
}

/** A fixed number of worker threads, each running one `hone train` at a time. */
export class TrialPool {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly queue: { request: TrialRequest; resolve: (o: TrialOutcome) => void; reject: (e: unknown) => void }[] = [];
  private readonly pending = new Map<number, { worker: Worker; resolve: (o: TrialOutcome) => void; reject: (e: unknown) => void }>();
  private nextId = 0;
  private closed = false;

  /** `size` threads (default: the CPU cores), started on first use. */
  constructor(readonly size: number = availableParallelism()) {}

  private spawn(): Worker {
    // The pipeline prints nothing when it runs as a trial; stdout is kept off the command's own.
    const options = { env: process.env, stdout: true, stderr: false } as const;
    // The same module graph as this one: dist/trial-worker.js, or, from the source under tsx
    // (HONE_CLI_SOURCE=1), the .ts file through tsx's loader, which a worker thread does not
    // inherit from the --import that started this process.
    const worker = import.meta.url.endsWith(".ts")
      ? new Worker(`import(${JSON.stringify(import.meta.resolve("tsx/esm/api"))}).then((tsx) => { tsx.register(); return import(${JSON.stringify(new URL("./trial-worker.ts", import.meta.url).href)}); });`, { ...options, eval: true })
      : new Worker(new URL("./trial-worker.js", import.meta.url), options);
    worker.stdout.resume();
    worker.on("message", (reply: TrialReply) => {
      const job = this.pending.get(reply.id);
      if (job === undefined) return;
      this.pending.delete(reply.id);
      const { id: _id, ...outcome } = reply;
      job.resolve(outcome as TrialOutcome);
      this.release(worker);
    });
    worker.on("error", (error) => { this.fail(worker, error); });
    worker.on("exit", (code) => { if (!this.closed) this.fail(worker, new RunFailure(`a trial's worker thread stopped (exit code ${code})`)); });
    this.workers.push(worker);
    return worker;
  }

  private fail(worker: Worker, error: unknown): void {
    for (const [id, job] of this.pending) {
      if (job.worker !== worker) continue;
      this.pending.delete(id);
      job.reject(error);
    }
    const i = this.workers.indexOf(worker);
    if (i >= 0) this.workers.splice(i, 1);
    const j = this.idle.indexOf(worker);
    if (j >= 0) this.idle.splice(j, 1);
    this.drain();
  }

  private release(worker: Worker): void {
    this.idle.push(worker);
    this.drain();
  }

  private drain(): void {
    while (this.queue.length > 0 && !this.closed) {
      let worker = this.idle.pop();
      if (worker === undefined) {
        if (this.workers.length >= this.size) return;
        worker = this.spawn();
      }
      const job = this.queue.shift()!;
      this.pending.set(job.request.id, { worker, resolve: job.resolve, reject: job.reject });
      worker.postMessage(job.request);
    }
  }

  /** Runs `hone train <args>` (with {@link trialArgs}) on the next free thread. */
  run(args: readonly string[]): Promise<TrialOutcome> {
    if (this.closed) return Promise.reject(new RunFailure("the trial pool is closed"));
    return new Promise((resolve, reject) => {
      this.queue.push({ request: { id: this.nextId++, args: trialArgs(args) }, resolve, reject });
      this.drain();
    });
  }

  /** Stops every thread. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/** A run's summary, or the error `hone train` would have exited with (a UsageError for exit 2, else a RunFailure), prefixed by `what`. */
export function summaryOf(outcome: TrialOutcome, what: string): TrainSummary {
  if (outcome.ok) return outcome.summary;
  throw failureOf(outcome, what);
}

/** The error a failed run exits with (a UsageError for exit 2, else a RunFailure), its message prefixed by `what`. */
export function failureOf(failure: { message: string; exit: number }, what: string): Error {
  const message = `${what} failed: ${failure.message}`;
  return failure.exit === EXIT.usage ? new UsageError(message) : new RunFailure(message);
}

/** The reply for an error thrown by the pipeline in a worker. */
export function failureReply(id: number, seconds: number, error: unknown): TrialReply {
  const failure = describeFailure(error);
  if (failure !== null) return { id, seconds, ok: false, message: failure.message, exit: failure.code };
  return { id, seconds, ok: false, message: `internal error (please report it): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`, exit: EXIT.failed };
}
