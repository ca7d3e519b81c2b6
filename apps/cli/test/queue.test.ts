// `hone sweep --queue` and `hone worker` on a real redis-server (Debian's) on a free loopback
// port: a coordinator and three worker processes of the built CLI, one worker SIGKILLed
// mid-trial; every configuration lands in the CSV exactly once and the best equals the local sweep's.
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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
  const exited = new Promise<number>((resolve) => { child.on("exit", (code) => { resolve(code ?? -1); }); });
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
    expect(await coordinator.exited).toBe(0);
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
    for (const w of workers.slice(1)) expect(await w.exited).toBe(0);
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
