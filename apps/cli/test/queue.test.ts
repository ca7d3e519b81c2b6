// `hone sweep --queue` and `hone worker` on a real redis-server (Debian's) on a free loopback
// port: a coordinator and three worker processes of the built CLI, one worker SIGKILLed
// mid-trial; every configuration lands in the CSV exactly once and the best equals the local sweep's.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { Job, Queue, Worker } from "bullmq";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { makeMoons, toCsv } from "@hone/data-split";
import { QUEUE_NAME, parseQueueUrl, runOnQueue, type TrialJob, type TrialJobResult } from "../src/queue.js";
import { BIN, hone, tempDir } from "./helpers.js";

const children: ChildProcess[] = [];
let port = 0;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const p = (server.address() as { port: number }).port;
      server.close(() => { resolve(p); });
    });
    server.on("error", reject);
  });
}

function start(args: string[], cwd: string): { child: ChildProcess; stderr: () => string; exited: Promise<number> } {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, HONE_CLI_DIST: "1" }, stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  let err = "";
  child.stderr!.setEncoding("utf8").on("data", (d: string) => { err += d; });
  child.stdout!.resume();
  const exited = new Promise<number>((resolve) => { child.on("close", (code) => { resolve(code ?? -1); }); });
  return { child, stderr: () => err, exited };
}

beforeAll(async () => {
  port = await freePort();
  const redis = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
  children.push(redis);
  for (let i = 0; i < 100; i++) {
    const up = await new Promise<boolean>((resolve) => {
      const s = createServer();
      s.once("error", () => { resolve(true); });
      s.listen(port, "127.0.0.1", () => { s.close(() => { resolve(false); }); });
    });
    if (up) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("redis-server did not start");
});

afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
});

const GRID = ["--l2", "0,0.1,0.3,0.7", "--keep-prob", "1,0.86"];
const TRIAL = ["--epochs", "300"];

describe("hone sweep --queue with hone worker", () => {
  it("survives a SIGKILLed worker: every configuration once in the CSV, the local sweep's best", async () => {
    const dir = tempDir();
    const local = await hone(["sweep", ...GRID, "--workers", "2", "--json", "--", ...TRIAL], { cwd: dir });
    expect(local.code).toBe(0);
    const localBest = (JSON.parse(local.stdout) as { best: { config: unknown; devAccuracy: number } }).best;
    const url = `redis://127.0.0.1:${port}/1`;
    const workers = [0, 1, 2].map(() => start(["worker", "--queue", url, "--lock-seconds", "2"], dir));
    const coordinator = start(["sweep", ...GRID, "--queue", url, "--out", "t.csv", "--json", "--", ...TRIAL], dir);
    let out = "";
    coordinator.child.stdout!.setEncoding("utf8").on("data", (d: string) => { out += d; });
    // Kill the first worker while it trains.
    for (let i = 0; i < 300 && !/started/.test(workers[0]!.stderr()); i++) await new Promise((r) => setTimeout(r, 50));
    const killed = /trial (trial-\w+) started/.exec(workers[0]!.stderr())![1]!;
    workers[0]!.child.kill("SIGKILL");
    expect(await coordinator.exited, coordinator.stderr()).toBe(0);
    const json = JSON.parse(out) as { best: { config: unknown; devAccuracy: number } };
    expect(json.best.config).toEqual(localBest.config);
    expect(json.best.devAccuracy).toBe(localBest.devAccuracy);
    const rows = readFileSync(join(dir, "t.csv"), "utf8").trim().split("\n").slice(1);
    expect(rows).toHaveLength(8);
    expect(new Set(rows.map((r) => r.split(",").slice(0, 2).join())).size).toBe(8);
    // The killed worker's trial was taken over and finished by another worker.
    expect(workers.slice(1).map((w) => w.stderr()).join("")).toMatch(new RegExp(`trial ${killed} finished`));
    // SIGTERM: the others exit cleanly.
    for (const w of workers.slice(1)) w.child.kill("SIGTERM");
    for (const w of workers.slice(1)) expect(await w.exited, w.stderr()).toBe(0);
  });

  it("a coordinator killed mid-sweep and restarted with --resume collects the rest from the queue, each configuration once", async () => {
    const dir = tempDir();
    const url = `redis://127.0.0.1:${port}/2`;
    const csvRows = (): string[] => existsSync(join(dir, "t.csv")) ? readFileSync(join(dir, "t.csv"), "utf8").trim().split("\n").slice(1) : [];
    // One worker running two trials at a time (--concurrency 2).
    const worker = start(["worker", "--queue", url, "--concurrency", "2"], dir);
    const first = start(["sweep", ...GRID, "--queue", url, "--out", "t.csv", "--", ...TRIAL], dir);
    for (let i = 0; i < 600 && csvRows().length < 2; i++) await new Promise((r) => setTimeout(r, 50));
    first.child.kill("SIGKILL");
    await first.exited;
    const before = csvRows().length;
    expect(before).toBeGreaterThanOrEqual(2);
    expect(before).toBeLessThan(8);
    // The worker went on with the queued trials meanwhile; the restarted coordinator reads them back.
    const second = start(["sweep", ...GRID, "--queue", url, "--resume", "t.csv", "--json", "--", ...TRIAL], dir);
    let out = "";
    second.child.stdout!.setEncoding("utf8").on("data", (d: string) => { out += d; });
    expect(await second.exited, second.stderr()).toBe(0);
    const json = JSON.parse(out) as { resumed: number; ran: number; best: { config: unknown } };
    expect(json.resumed).toBe(before);
    expect(json.ran).toBe(8 - before);
    const rows = csvRows();
    expect(rows).toHaveLength(8);
    expect(new Set(rows.map((r) => r.split(",").slice(0, 2).join())).size).toBe(8);
    // --concurrency 2: the worker had two trials started before its first finished.
    const log = worker.stderr();
    expect(log).toMatch(/2 at a time/);
    const firstFinish = log.indexOf("finished in");
    expect((log.slice(0, firstFinish).match(/ started: /g) ?? []).length).toBe(2);
    worker.child.kill("SIGTERM");
    expect(await worker.exited, worker.stderr()).toBe(0);
  });

  it("takes a trial's result from a copy of the job read after its state says finished, never from one read before", async () => {
    // A trial that finishes between the coordinator's two reads (the job, then its state) once
    // gave it a copy without a result and a state of completed: an internal error, exit 1.
    // Here every copy the coordinator reads is followed at once by its trial finishing.
    const address = parseQueueUrl(`redis://127.0.0.1:${port}/6`);
    const connection = { host: address.host, port: address.port, db: address.db, maxRetriesPerRequest: null };
    const trial: TrialJob = { label: "l2=0", args: ["--l2", "0"], data: "moons", dataSha256: "" };
    const result: TrialJobResult = { ok: true, metrics: { train: { loss: 0.25, accuracy: 0.9 }, dev: { loss: 0.5, accuracy: 0.8 } } as never, seconds: 1, worker: "test" };
    let finish = (): void => undefined;
    const gate = new Promise<void>((resolve) => { finish = resolve; });
    const worker = new Worker<TrialJob, TrialJobResult>(QUEUE_NAME, async () => { await gate; return result; }, { connection });
    const watch = new Queue(QUEUE_NAME, { connection });
    await watch.obliterate({ force: true });
    const fromId = Job.fromId.bind(Job);
    // A copy read before the trial finished reaches the coordinator before any copy read after.
    const spy = vi.spyOn(Job, "fromId").mockImplementation(async (queue, id) => {
      const copy = await fromId(queue, id);
      if (copy === undefined) return copy;
      if (copy.finishedOn !== undefined) {
        await new Promise((r) => setTimeout(r, 300));
        return copy;
      }
      finish();
      for (let i = 0; i < 200 && await watch.getJobState(id!) !== "completed"; i++) await new Promise((r) => setTimeout(r, 25));
      return copy;
    });
    // The trial also finishes by itself after a second, for a coordinator that reads no copy before.
    const timer = setTimeout(finish, 1000);
    try {
      const got: TrialJobResult[] = [];
      await runOnQueue(address, [trial], (_, r) => { got.push(r); });
      expect(got).toEqual([result]);
    } finally {
      clearTimeout(timer);
      spy.mockRestore();
      await worker.close();
      await watch.close();
    }
  });

  it("fails the sweep with both hashes when a worker's data file differs from the coordinator's", async () => {
    const dir = tempDir(), elsewhere = join(tempDir(), "worker");
    mkdirSync(elsewhere);
    const { x, y } = makeMoons({ samples: 200, noise: 0.2, rng: 5 });
    const text = toCsv(x, y);
    writeFileSync(join(dir, "data.csv"), text);
    // The worker's copy has one more row: another file under the same name.
    writeFileSync(join(elsewhere, "data.csv"), `${text.trimEnd()}\n0.5,0.5,1\n`);
    const url = `redis://127.0.0.1:${port}/3`;
    const worker = start(["worker", "--queue", url], elsewhere);
    const coordinator = start(["sweep", "--l2", "0,0.1", "--queue", url, "--", "--data", "data.csv", "--epochs", "5"], dir);
    expect(await coordinator.exited, coordinator.stderr()).toBe(1);
    expect(coordinator.stderr()).toMatch(/the trial l2=0(\.1)? failed on the queue redis:\/\/127\.0\.0\.1:\d+\/3: worker \S+: the data file "data\.csv" \(in the folder [^)]+\) has SHA-256 [0-9a-f]{12}…, the sweep's has [0-9a-f]{12}…; give every worker the same file/);
    worker.child.kill("SIGTERM");
    expect(await worker.exited, worker.stderr()).toBe(0);
  });

  it("says no worker is connected while it waits, and gives up after --queue-timeout with exit 1", async () => {
    const dir = tempDir();
    const url = `redis://127.0.0.1:${port}/4`;
    // A worker of the same queue name in another database of the same server is not one of this sweep's.
    const other = start(["worker", "--queue", `redis://127.0.0.1:${port}/5`], dir);
    for (let i = 0; i < 300 && !/waiting for trials/.test(other.stderr()); i++) await new Promise((r) => setTimeout(r, 50));
    const coordinator = start(["sweep", "--l2", "0,0.3", "--queue", url, "--queue-timeout", "2", "--", "--epochs", "5"], dir);
    expect(await coordinator.exited, coordinator.stderr()).toBe(1);
    other.child.kill("SIGTERM");
    expect(await other.exited, other.stderr()).toBe(0);
    const err = coordinator.stderr();
    expect(err).toMatch(new RegExp(`0/2 trials finished, 0 running, 2 waiting; 0 workers connected: start \`hone worker --queue redis://127.0.0.1:${port}/4\``));
    expect(err).toMatch(/no trial finished on redis:\/\/127\.0\.0\.1:\d+\/4 for 2 s \(--queue-timeout; 0 of 2 finished, 0 workers connected\); the rest stay queued/);
    const misuse = await hone(["sweep", "--l2", "0", "--queue-timeout", "5"]);
    expect(misuse.code).toBe(2);
    expect(misuse.stderr).toMatch(/--queue-timeout applies with --queue only/);
  });

  it("refuses a malformed --queue and an unreachable Redis with exit 2", async () => {
    const bad = await hone(["sweep", "--l2", "0", "--queue", "http://x"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--queue "http:\/\/x": the scheme is "http", not redis; expected redis:\/\/host:port/);
    const closed = await freePort();
    const down = await hone(["worker", "--queue", `redis://127.0.0.1:${closed}`]);
    expect(down.code).toBe(2);
    expect(down.stderr).toMatch(new RegExp(`cannot reach Redis at 127.0.0.1:${closed} within 5 s`));
  });
});
