// `hone sweep`: grid search scored on dev, trials in parallel, a CSV written as trials
// finish, and a killed sweep resumed without redoing finished trials.
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BIN, hone, tempDir } from "./helpers.js";

interface SweepJson {
  trials: { config: Record<string, string>; devAccuracy: number; seconds: number }[];
  best: { config: Record<string, string>; devAccuracy: number; test: { accuracy: number } };
  resumed: number;
  ran: number;
  workers: number;
  seconds: number;
}

const GRID = ["--l2", "0,0.1,0.3,0.7", "--keep-prob", "1,0.86", "--", "--epochs", "40"];
const rows = (file: string): string[] => readFileSync(file, "utf8").trim().split("\n").slice(1);

/** `hone sweep <args> --json -- <trial flags>`, parsed. */
async function sweepJson(args: string[], trialFlags: string[], cwd: string): Promise<SweepJson> {
  const run = await hone(["sweep", ...args, "--json", "--", ...trialFlags], { cwd });
  if (run.code !== 0) throw new Error(`hone sweep exited ${run.code}: ${run.stderr}`);
  return JSON.parse(run.stdout) as SweepJson;
}

describe("hone sweep", () => {
  it("runs the 8-configuration grid on 2 workers concurrently and picks the best by dev accuracy", async () => {
    const dir = tempDir();
    const json = await sweepJson([...GRID.slice(0, 4), "--workers", "2", "--out", "t.csv"], GRID.slice(5), dir);
    expect(json.trials).toHaveLength(8);
    expect(json.workers).toBe(2);
    expect(new Set(json.trials.map((t) => `${t.config.l2}/${t.config.keepProb}`)).size).toBe(8);
    // Ranked by dev accuracy, and the best is the first.
    for (let i = 1; i < json.trials.length; i++) expect(json.trials[i]!.devAccuracy).toBeLessThanOrEqual(json.trials[i - 1]!.devAccuracy);
    expect(json.best.config).toEqual(json.trials[0]!.config);
    expect(json.best.test.accuracy).toBeGreaterThan(0.8);
    // Two at a time: the wall time is well below the trials' summed time.
    const summed = json.trials.reduce((s, t) => s + t.seconds, 0);
    expect(json.seconds).toBeLessThan(0.85 * summed);
    expect(rows(join(dir, "t.csv"))).toHaveLength(8);
  });

  it("resumes a killed sweep without redoing finished trials", async () => {
    const dir = tempDir();
    const csv = join(dir, "t.csv");
    const child = spawn(process.execPath, [BIN, "sweep", ...GRID.slice(0, 4), "--workers", "1", "--out", "t.csv", ...GRID.slice(4)], { cwd: dir, env: { ...process.env, HONE_CLI_DIST: "1" }, stdio: "ignore" });
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        if (existsSync(csv) && rows(csv).length >= 2) {
          clearInterval(timer);
          child.kill("SIGKILL");
          resolve();
        }
      }, 50);
      child.on("exit", () => { clearInterval(timer); reject(new Error("the sweep finished before it could be killed")); });
    });
    await new Promise((r) => setTimeout(r, 100));
    const finished = rows(csv);
    expect(finished.length).toBeGreaterThanOrEqual(2);
    expect(finished.length).toBeLessThan(8);
    const json = await sweepJson([...GRID.slice(0, 4), "--resume", "t.csv"], GRID.slice(5), dir);
    expect(json.resumed).toBe(finished.length);
    expect(json.ran).toBe(8 - finished.length);
    const all = rows(csv);
    expect(all).toHaveLength(8);
    expect(all.slice(0, finished.length)).toEqual(finished);
    expect(new Set(all.map((r) => r.split(",").slice(0, 2).join())).size).toBe(8);
  });

  it("rejects a sweep with nothing to vary, bad values and an existing --out", async () => {
    const none = await hone(["sweep"]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^hone: sweep needs at least one flag to vary/);
    const bad = await hone(["sweep", "--lr", "0.1,fast"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe('hone: --lr "0.1,fast": "fast" is not a valid value');
    const dir = tempDir();
    expect((await hone(["sweep", "--l2", "0", "--out", "t.csv", "--", "--epochs", "5"], { cwd: dir })).code).toBe(0);
    const again = await hone(["sweep", "--l2", "0", "--out", "t.csv"], { cwd: dir });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/--out "t.csv" already exists/);
  });
});
