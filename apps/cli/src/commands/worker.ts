// `hone worker`: runs the trials a `hone sweep --queue redis://…` enqueued, on this machine,
// until it is stopped. SIGTERM (or Ctrl-C) stops it taking trials; it finishes the ones it is
// running, reports them, and exits 0. A worker killed outright loses nothing: its trials go
// back to the queue for another worker once their lock runs out (--lock-seconds).
import { Command } from "commander";
import { integerFrom } from "../parse.js";
import { print, printJson } from "../output.js";
import { parseQueueUrl, reachQueue, startQueueWorker, type QueueAddress } from "../queue.js";
import { addCommon } from "./common.js";

interface WorkerFlags {
  queue: QueueAddress;
  concurrency: number;
  lockSeconds: number;
  json?: boolean;
}

/** Exit codes after a second signal, which stops at once (128 + the signal's number). */
const SIGNALS = { SIGTERM: 143, SIGINT: 130 } as const;

/** The `worker` command. */
export function workerCommand(): Command {
  const cmd = new Command("worker")
    .summary("run the trials of `hone sweep --queue` on this machine")
    .description("Takes trials from the Redis queue a `hone sweep --queue` coordinator filled and runs each one as `hone train` on a thread here, --concurrency at a time, until stopped. A data file is read in this worker's folder and must be byte for byte the sweep's (its SHA-256 is checked before training). SIGTERM or Ctrl-C finishes the running trials and exits 0; a second one exits at once. A worker killed outright loses nothing: its trials return to the queue for another worker after --lock-seconds.")
    .requiredOption("--queue <redis-url>", "the Redis the sweep enqueues on: redis://host:port[/db]", (text: string) => parseQueueUrl(text))
    .option("--concurrency <n>", "trials at once, each on its own thread", integerFrom("--concurrency", 1, 64), 1)
    .option("--lock-seconds <n>", "how long a trial of a dead worker stays locked before another worker takes it over (a live worker renews its lock every half of this)", integerFrom("--lock-seconds", 1, 3600), 30);
  addCommon(cmd, { seed: false, backend: true });
  cmd.addHelpText("after", `
Examples:
  $ hone worker --queue redis://10.0.0.5:6379                  # on each machine, in a folder with the data
  $ hone worker --queue redis://10.0.0.5:6379/2 --concurrency 4
  $ hone sweep --l2 0,0.1,0.3 --queue redis://10.0.0.5:6379 --out trials.csv -- --data data.csv`);
  cmd.action(async (flags: WorkerFlags) => {
    await reachQueue(flags.queue);
    const started = performance.now();
    const log = (line: string): void => { process.stderr.write(`hone worker: ${line}\n`); };
    const worker = startQueueWorker(flags.queue, { concurrency: flags.concurrency, lockSeconds: flags.lockSeconds, log });
    await new Promise<void>((resolve, reject) => {
      const signals = Object.keys(SIGNALS) as (keyof typeof SIGNALS)[];
      const now = (signal: keyof typeof SIGNALS): void => { process.exit(SIGNALS[signal]); };
      const stop = (signal: keyof typeof SIGNALS): void => {
        log(`${signal}: taking no more trials; finishing the running ones (${signal} again stops at once)`);
        for (const s of signals) { process.off(s, stop); process.once(s, now); }
        worker.stop().then(() => { for (const s of signals) process.off(s, now); resolve(); }, reject);
      };
      for (const s of signals) process.once(s, stop);
    });
    const seconds = (performance.now() - started) / 1000;
    const { finished, failed } = worker.counts;
    if (flags.json === true) printJson({ finished, failed, seconds, queue: flags.queue.label });
    else print(`hone worker: ${finished} trial${finished === 1 ? "" : "s"} finished, ${failed} failed, in ${seconds.toFixed(1)} s`);
  });
  return cmd;
}
