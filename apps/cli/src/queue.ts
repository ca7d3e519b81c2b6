// Sweeps beyond one machine, on BullMQ over Redis: `hone sweep --queue redis://…` enqueues one
// job per configuration and waits; `hone worker --queue redis://…` runs them on any machine
// that can read the data. BullMQ does the scheduling: durable jobs, a lock each worker renews
// while it trains, and stalled-job recovery (a job whose worker died goes back to the queue
// for another). A job's id is a hash of the trial's flags and the data's content hash, so
// enqueueing a configuration twice (a restarted coordinator) adds nothing, and BullMQ records
// a job's result once, from the worker holding its lock, even if the job ran twice.
import { createHash } from "node:crypto";
import { hostname } from "node:os";
import { Job, Queue, QueueEvents, UnrecoverableError, Worker, type ConnectionOptions } from "bullmq";
import { Redis } from "ioredis";
import { RunFailure, UsageError, describeFailure } from "./errors.js";
import { TrialPool, dataHash, reportOf, type TrialReport } from "./trials.js";

/** The one queue every sweep and worker on a Redis uses; jobs of different sweeps have different ids. */
export const QUEUE_NAME = "hone-trials";

/** Finished jobs (and failed ones) are kept this long, for a restarted coordinator to find. */
const KEEP_SECONDS = 7 * 24 * 3600;

/** How long `--queue` may take to answer a PING before the command gives up. */
const REACH_TIMEOUT_MS = 5000;

/** A parsed `--queue redis://host:port[/db]`. */
export interface QueueAddress {
  /** The URL without its password, for messages. */
  label: string;
  host: string;
  port: number;
  db: number;
  username?: string;
  password?: string;
}

/** Parses `redis://[user:password@]host[:port][/db]` (port 6379 and db 0 by default), or throws a UsageError naming `flag`. */
export function parseQueueUrl(text: string, flag = "--queue"): QueueAddress {
  const bad = (why: string): never => { throw new UsageError(`${flag} ${JSON.stringify(text)}: ${why}; expected redis://host:port[/db], e.g. redis://127.0.0.1:6379/0`); };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return bad("not a URL");
  }
  if (url.protocol !== "redis:") bad(`the scheme is ${JSON.stringify(url.protocol.replace(/:$/, ""))}, not redis`);
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  if (host === "") bad("no host");
  const port = url.port === "" ? 6379 : Number(url.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) bad(`the port ${url.port} is not in [1, 65535]`);
  const path = url.pathname.replace(/^\//, "");
  if (!/^\d{0,5}$/.test(path)) bad(`the database ${JSON.stringify(path)} is not a number`);
  if (url.search !== "" || url.hash !== "") bad("a query or fragment is not allowed");
  const db = path === "" ? 0 : Number(path);
  const address: QueueAddress = { label: `redis://${url.host}/${db}`, host, port, db };
  if (url.username !== "") address.username = decodeURIComponent(url.username);
  if (url.password !== "") address.password = decodeURIComponent(url.password);
  return address;
}

/** BullMQ's connection options for an address (its blocking commands need no retry limit). */
function connectionOf(address: QueueAddress): ConnectionOptions {
  const { host, port, db, username, password } = address;
  return { host, port, db, ...(username === undefined ? {} : { username }), ...(password === undefined ? {} : { password }), maxRetriesPerRequest: null };
}

/** Checks that Redis answers at `address` within a few seconds, or throws a UsageError naming `flag`, the address and why. */
export async function reachQueue(address: QueueAddress, flag = "--queue"): Promise<void> {
  const { host, port, db, username, password } = address;
  const client = new Redis({ host, port, db, username, password, lazyConnect: true, connectTimeout: REACH_TIMEOUT_MS, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
  client.on("error", () => undefined);
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      client.connect().then(() => client.ping()),
      new Promise((_, reject) => { timer = setTimeout(() => { reject(new Error("no answer")); }, REACH_TIMEOUT_MS); }),
    ]);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new UsageError(`${flag} ${address.label}: cannot reach Redis at ${host}:${port} within ${REACH_TIMEOUT_MS / 1000} s (${why}); start redis-server there or pass another --queue`);
  } finally {
    clearTimeout(timer);
    client.disconnect();
  }
}

/** What a job carries: the `hone train` flags of one trial and the data it must run on. */
export interface TrialJob {
  /** The configuration in words (`l2=0.1 keepProb=1`), for logs. */
  label: string;
  /** `hone train` flags (the trial's values, the seed and the flags after --). */
  args: string[];
  /** The data source as given to --data (a path is resolved in each worker's folder). */
  data: string;
  /** The SHA-256 of the data file the sweep saw ("" for a built-in data set). */
  dataSha256: string;
}

/** What a worker sends back: the trial's train and dev metrics (or its failure) and who ran it. */
export type TrialJobResult = TrialReport & { worker: string };

/** A job's id: a hash of what the trial computes (its flags, its data source and the data's hash). */
export function jobIdOf(job: TrialJob): string {
  return `trial-${createHash("sha256").update(JSON.stringify([job.args, job.data, job.dataSha256])).digest("hex").slice(0, 40)}`;
}

/** Options of `runOnQueue`. */
export interface RunOnQueueOptions {
  /** Where progress lines go (none when omitted). */
  log?: (line: string) => void;
  /** Seconds between progress lines while trials are pending (default 10). */
  progressSeconds?: number;
  /** Give up (a RunFailure) when no trial has finished for this many seconds; the jobs stay queued. Default: wait as long as it takes. */
  timeoutSeconds?: number;
}

/** The line a coordinator logs while it waits: finished, running and waiting trials, and the workers connected. */
export function progressLine(finished: number, total: number, counts: { active: number; waiting: number }, workers: number, address: QueueAddress): string {
  const line = `${finished}/${total} trials finished, ${counts.active} running, ${counts.waiting} waiting; ${workers} worker${workers === 1 ? "" : "s"} connected`;
  return workers === 0 ? `${line}: start \`hone worker --queue ${address.label}\` where the data is` : line;
}

/**
 * The workers connected to `queue` in database `db`. BullMQ counts them from CLIENT LIST,
 * which lists every database of the server: workers of a queue of the same name in another
 * database (`redis://host/1` and `/2`) would be counted too.
 */
async function workersOn(queue: Queue<TrialJob, TrialJobResult>, db: number): Promise<number> {
  return (await queue.getWorkers()).filter((w) => Number(w.db) === db).length;
}

/**
 * Enqueues `jobs` (idempotent: a job whose id is already there, waiting, running or finished,
 * is not added again; a failed one is retried) and calls `onResult` once per job as results
 * arrive, until every job has one, logging progress every `progressSeconds`. Rejects with a
 * RunFailure when a job fails (a worker whose data differs, a crash past its retries) or when
 * nothing finished for `timeoutSeconds`. Returns how many workers were connected at the end.
 */
export async function runOnQueue(address: QueueAddress, jobs: readonly TrialJob[], onResult: (job: TrialJob, result: TrialJobResult) => void, options: RunOnQueueOptions = {}): Promise<{ workers: number }> {
  const connection = connectionOf(address);
  const queue = new Queue<TrialJob, TrialJobResult>(QUEUE_NAME, { connection });
  const events = new QueueEvents(QUEUE_NAME, { connection });
  const pending = new Map(jobs.map((job) => [jobIdOf(job), job]));
  let reconcile: NodeJS.Timeout | undefined, progress: NodeJS.Timeout | undefined;
  let lastFinish = performance.now();
  try {
    await events.waitUntilReady();
    await new Promise<void>((resolve, reject) => {
      const settle = async (id: string, reason?: string): Promise<void> => {
        if (!pending.has(id)) return;
        // The state first, then the job: a finished job's result and failure reason do not
        // change, while a copy read before its state could be from before it finished (no
        // result yet, though the state read after it says completed).
        const state = await queue.getJobState(id);
        if (state !== "failed" && state !== "completed") return;
        const job = await Job.fromId<TrialJob, TrialJobResult>(queue, id);
        const trial = pending.get(id);
        if (job === undefined || trial === undefined) return;
        if (state === "failed") {
          const why = job.failedReason || reason || `no reason recorded (attempt ${job.attemptsMade}; see the worker's log)`;
          throw new RunFailure(`sweep: the trial ${trial.label} failed on the queue ${address.label}: ${why}`);
        }
        pending.delete(id);
        lastFinish = performance.now();
        onResult(trial, job.returnvalue);
        if (pending.size === 0) resolve();
      };
      const check = (id: string, reason?: string): void => { settle(id, reason).catch(reject); };
      events.on("completed", ({ jobId }) => { check(jobId); });
      events.on("failed", ({ jobId, failedReason }) => { check(jobId, failedReason); });
      events.on("error", () => undefined);
      // An event can be missed (a dropped connection): look at what is still pending now and then.
      reconcile = setInterval(() => { for (const id of pending.keys()) check(id); }, 5000);
      // Progress, and the timeout: how long since the last trial finished (or since the start).
      const report = async (): Promise<void> => {
        const idle = (performance.now() - lastFinish) / 1000;
        const workers = await workersOn(queue, address.db);
        const counts = await queue.getJobCounts("active", "waiting");
        options.log?.(progressLine(jobs.length - pending.size, jobs.length, { active: counts.active ?? 0, waiting: counts.waiting ?? 0 }, workers, address));
        if (options.timeoutSeconds !== undefined && idle >= options.timeoutSeconds && pending.size > 0) {
          throw new RunFailure(`sweep: no trial finished on ${address.label} for ${options.timeoutSeconds} s (--queue-timeout; ${jobs.length - pending.size} of ${jobs.length} finished, ${workers} worker${workers === 1 ? "" : "s"} connected); the rest stay queued: run the same sweep with --resume to collect them`);
        }
      };
      // Often enough that the timeout is noticed within half of it.
      const every = Math.min(options.progressSeconds ?? 10, (options.timeoutSeconds ?? Infinity) / 2);
      progress = setInterval(() => { report().catch(reject); }, every * 1000);
      void (async () => {
        // Jobs finished before this coordinator started (a restart) are read back; ones that failed
        // then are tried again. Looked at before adding: a job added now that fails at once (a data
        // mismatch on a fast worker) must fail the sweep, not be retried here.
        let done = 0, retried = 0;
        const before = new Map<string, string>();
        for (const id of pending.keys()) {
          const job = await Job.fromId<TrialJob, TrialJobResult>(queue, id);
          if (job !== undefined) before.set(id, await job.getState());
        }
        await queue.addBulk(jobs.map((data) => ({ name: "trial", data, opts: { jobId: jobIdOf(data), attempts: 2, removeOnComplete: { age: KEEP_SECONDS }, removeOnFail: { age: KEEP_SECONDS } } })));
        for (const id of [...pending.keys()]) {
          const state = before.get(id);
          if (state === "failed") { await (await Job.fromId(queue, id))!.retry("failed"); retried++; } else if (state === "completed") done++;
          check(id);
        }
        options.log?.(`${jobs.length} trials on ${address.label} (queue ${QUEUE_NAME}): ${done} already finished there${retried > 0 ? `, ${retried} failed before and retried` : ""}; waiting for \`hone worker --queue ${address.label}\``);
      })().catch(reject);
      if (pending.size === 0) resolve();
    });
    return { workers: await workersOn(queue, address.db) };
  } finally {
    clearInterval(reconcile);
    clearInterval(progress);
    await events.close();
    await queue.close();
  }
}

/** A running `hone worker`: stop it to finish its current trials and disconnect. */
export interface QueueWorker {
  /** Trials finished (with a result, even a failed run) and jobs failed (a data mismatch, a crash), so far. */
  readonly counts: { finished: number; failed: number };
  /** Stops taking jobs, waits for the running trials to finish and report, and disconnects. */
  stop(): Promise<void>;
}

/**
 * Takes trials from the queue at `address`, `concurrency` at a time, each on a thread of a
 * trial pool (the event loop stays free to renew the job's lock). Before training, the data
 * file's hash must match the sweep's: a mismatch fails the job (not retried) with both hashes.
 * A worker that dies holds its jobs' locks for `lockSeconds`, after which any other worker's
 * stalled check hands them back to the queue.
 */
export function startQueueWorker(address: QueueAddress, options: { concurrency: number; lockSeconds: number; log: (line: string) => void }): QueueWorker {
  const { log } = options;
  const pool = new TrialPool(options.concurrency);
  const me = `${hostname()}:${process.pid}`;
  const counts = { finished: 0, failed: 0 };
  const worker = new Worker<TrialJob, TrialJobResult>(QUEUE_NAME, async (job) => {
    const { label, args, data, dataSha256 } = job.data;
    const attempt = job.attemptsStarted > 1 ? ` (attempt ${job.attemptsStarted}: a worker before stopped or failed)` : "";
    log(`trial ${job.id} started: ${label}${attempt}`);
    let hash: string;
    try {
      hash = dataHash(data);
    } catch (error) {
      throw new UnrecoverableError(`worker ${me} cannot read the data: ${describeFailure(error)?.message ?? String(error)} (in the folder ${process.cwd()})`);
    }
    if (hash !== dataSha256) throw new UnrecoverableError(`worker ${me}: the data file ${JSON.stringify(data)} (in the folder ${process.cwd()}) has SHA-256 ${hash.slice(0, 12)}…, the sweep's has ${dataSha256.slice(0, 12)}…; give every worker the same file`);
    await job.updateProgress({ worker: me, state: "training" });
    const report = reportOf(await pool.run(args));
    const dev = report.ok ? report.metrics.dev as { loss: number; accuracy?: number } : null;
    log(`trial ${job.id} finished in ${report.seconds.toFixed(1)} s: ${dev === null ? `failed: ${(report as { message: string }).message}` : `dev loss ${dev.loss.toFixed(4)}${dev.accuracy === undefined ? "" : `, dev accuracy ${dev.accuracy.toFixed(4)}`}`}`);
    counts.finished++;
    return { ...report, worker: me };
  }, {
    connection: connectionOf(address),
    concurrency: options.concurrency,
    lockDuration: options.lockSeconds * 1000,
    stalledInterval: options.lockSeconds * 1000,
    maxStalledCount: 3,
  });
  worker.on("error", (error) => { log(`queue error: ${error.message}`); });
  worker.on("failed", (job, error) => { counts.failed++; if (job !== undefined) log(`trial ${job.id} failed: ${error.message}`); });
  log(`waiting for trials on ${address.label} (queue ${QUEUE_NAME}), ${options.concurrency} at a time`);
  return {
    counts,
    async stop() {
      await worker.close();
      await pool.close();
    },
  };
}
