// `hone sweep`: grid search scored on dev, trials in parallel, a CSV written as trials
// finish, and a killed sweep resumed without redoing finished trials.
import { spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
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

  it("runs its trial threads from the TypeScript source too (HONE_CLI_SOURCE=1): the same trials as the build", async () => {
    const args = ["sweep", "--l2", "0,0.1", "--workers", "2", "--json", "--", "--epochs", "5"];
    const built = await hone(args), source = await hone(args, { env: { HONE_CLI_SOURCE: "1" } });
    expect([built.code, source.code]).toEqual([0, 0]);
    const trials = (out: string): unknown => (JSON.parse(out) as SweepJson).trials.map((t) => [t.config, t.devAccuracy]);
    expect(trials(source.stdout)).toEqual(trials(built.stdout));
    expect((JSON.parse(source.stdout) as SweepJson).workers).toBe(2);
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

  it("checks every candidate and every flag after -- before the first trial: exit 2 at once", async () => {
    const dir = tempDir();
    for (const [args, message] of [
      [["--epochs", "5,0", "--out", "t.csv"], /--epochs must be an integer in \[1, 10000000\], got "0"/],
      [["--l2", "0,0.1", "--out", "t.csv", "--", "--optimizer", "nope"], /--optimizer must be one of gd, momentum, rmsprop, adam, adamw, got "nope"/],
      [["--l2", "0,0.1", "--out", "t.csv", "--", "--data", "missing.csv"], /missing\.csv/],
      [["--l2", "0", "--out", "t.csv", "--", "--save", "m.json"], /--save cannot be given to every trial/],
    ] as const) {
      const run = await hone(["sweep", ...args], { cwd: dir });
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(message);
      // Refused before any trial ran: no CSV was written.
      expect(existsSync(join(dir, "t.csv"))).toBe(false);
    }
  });

  it("records the seed, data, data hash and flags after --, and --resume refuses another configuration", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "d.csv"), `a,b,y\n${Array.from({ length: 60 }, (_, i) => `${i % 7},${(i * 3) % 11},${i % 2}`).join("\n")}\n`);
    const first = await hone(["sweep", "--l2", "0,0.1", "--out", "t.csv", "--", "--data", "d.csv", "--epochs", "3"], { cwd: dir });
    expect(first.code).toBe(0);
    const lines = readFileSync(join(dir, "t.csv"), "utf8").trim().split("\n");
    expect(lines[0]).toBe("l2,devAccuracy,devLoss,trainAccuracy,seconds,seed,data,dataSha256,args");
    expect(lines[1]).toMatch(/,1,d\.csv,[0-9a-f]{64},"\[""--data"",""d\.csv"",""--epochs"",""3""\]"$/);
    const other = await hone(["sweep", "--l2", "0,0.1", "--resume", "t.csv", "--seed", "2", "--", "--data", "d.csv", "--epochs", "3"], { cwd: dir });
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/--resume "t.csv", line 2: recorded with --seed 1, this sweep has --seed 2/);
    const flags = await hone(["sweep", "--l2", "0,0.1", "--resume", "t.csv", "--", "--data", "d.csv", "--epochs", "4"], { cwd: dir });
    expect(flags.code).toBe(2);
    expect(flags.stderr).toMatch(/recorded with the flags after --/);
    writeFileSync(join(dir, "d.csv"), `${readFileSync(join(dir, "d.csv"), "utf8")}1,1,1\n`);
    const changed = await hone(["sweep", "--l2", "0,0.1", "--resume", "t.csv", "--", "--data", "d.csv", "--epochs", "3"], { cwd: dir });
    expect(changed.code).toBe(2);
    expect(changed.stderr).toMatch(/a data file whose content has changed since/);
    // --force replaces the file, as in train.
    const forced = await hone(["sweep", "--l2", "0", "--out", "t.csv", "--force", "--", "--data", "d.csv", "--epochs", "3"], { cwd: dir });
    expect(forced.code).toBe(0);
    expect(readFileSync(join(dir, "t.csv"), "utf8").trim().split("\n")).toHaveLength(2);
  });
});
