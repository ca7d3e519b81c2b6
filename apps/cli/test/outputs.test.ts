// Outputs are never lost or corrupted: checked before any work (the real reason when a path
// cannot be written, hard links and symlinks to an input refused), written to a temporary file
// and renamed into place, so a kill at any moment leaves no file, the old one or the whole new
// one; Ctrl-C during training exits 130; with --json every failure is one JSON document.
import { spawn } from "node:child_process";
import { existsSync, linkSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BIN, hone, sha256, tempDir } from "./helpers.js";

/** Starts `hone ...args` in `cwd`; the caller kills it. */
function start(args: readonly string[], cwd: string): { child: ReturnType<typeof spawn>; exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> } {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, HONE_CLI_DIST: "1", NO_COLOR: "1" }, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr!.setEncoding("utf8").on("data", (d: string) => { stderr += d; });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) => {
    child.on("close", (code, signal) => { resolve({ code, signal, stderr }); });
  });
  return { child, exited };
}

/** Polls `test` every 2 ms until it holds or `ms` pass. */
async function until(test: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (test()) return true;
    await new Promise((r) => setTimeout(r, 2));
  }
  return false;
}

/** A seeded stream of numbers in [0, 1) (the kill moments: the test is the same every run). */
function uniform(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe("a kill during --save", () => {
  it("leaves the file absent, the old one, or the complete new one (SIGINT and SIGKILL, 16 times)", async () => {
    const dir = tempDir();
    // A 2→1000→1000→1 network: a 21 MB model file, a write that takes tens of milliseconds.
    const args = ["train", "--layers", "1000,1000", "--epochs", "1", "--save", "m.json", "--force"];
    const old = '{"old": true}\n';
    const random = uniform(18);
    const outcomes = { absent: 0, old: 0, complete: 0 };
    for (let i = 0; i < 16; i++) {
      const file = join(dir, "m.json");
      const hadOld = i % 2 === 0;
      if (hadOld) writeFileSync(file, old);
      else rmSync(file, { force: true });
      // A SIGKILL leaves its temporary file (nothing can remove it): clear it, or the next wait would end at once.
      for (const f of readdirSync(dir)) if (f.startsWith("m.json.")) rmSync(join(dir, f));
      const { child, exited } = start(args, dir);
      // Kill as the temporary file appears (the write has begun), after a random 0–60 ms.
      const temp = (): boolean => readdirSync(dir).some((f) => f.startsWith("m.json."));
      expect(await until(temp, 60_000)).toBe(true);
      await new Promise((r) => setTimeout(r, random() * 60));
      child.kill(i % 4 < 2 ? "SIGKILL" : "SIGINT");
      await exited;
      if (!existsSync(file)) {
        expect(hadOld).toBe(false);
        outcomes.absent++;
      } else {
        const text = readFileSync(file, "utf8");
        if (text === old) {
          expect(hadOld).toBe(true);
          outcomes.old++;
        } else {
          const model = JSON.parse(text) as { format: string; tensors?: unknown };
          expect(model.format).toMatch(/hone/);
          outcomes.complete++;
        }
      }
    }
    console.log(`kills during --save: ${JSON.stringify(outcomes)}`);
    // Every outcome was one of the three, and the kills did land during writes.
    expect(outcomes.absent + outcomes.old + outcomes.complete).toBe(16);
    expect(outcomes.absent + outcomes.old).toBeGreaterThan(0);
    // The last complete file (if any) loads and predicts.
    if (existsSync(join(dir, "m.json")) && readFileSync(join(dir, "m.json"), "utf8") !== old) {
      const ev = await hone(["eval", "--model", "m.json", "--data", "moons"], { cwd: dir });
      expect([0, 2]).toContain(ev.code);
    }
  });
});

describe("Ctrl-C", () => {
  it("during training exits 130 at once, says so, and writes nothing", async () => {
    const dir = tempDir();
    const { child, exited } = start(["train", "--epochs", "100000", "--save", "m.json"], dir);
    await new Promise((r) => setTimeout(r, 1500));
    const sent = Date.now();
    child.kill("SIGINT");
    const end = await exited;
    expect(end.code).toBe(130);
    expect(Date.now() - sent).toBeLessThan(3000);
    expect(end.stderr).toMatch(/hone: interrupted \(SIGINT\)/);
    expect(existsSync(join(dir, "m.json"))).toBe(false);
  });
});

describe("outputs checked before any work", () => {
  it("refuses a hard link or a symlink of the input, even with --force", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "data.csv"), "a,b,y\n1,2,0\n2,1,1\n3,3,0\n4,1,1\n5,5,0\n6,2,1\n7,7,0\n8,1,1\n9,9,0\n10,3,1\n");
    linkSync(join(dir, "data.csv"), join(dir, "hard.csv"));
    symlinkSync(join(dir, "data.csv"), join(dir, "soft.csv"));
    const before = sha256(join(dir, "data.csv"));
    for (const out of ["hard.csv", "soft.csv"]) {
      const run = await hone(["train", "--data", "data.csv", "--label", "y", "--epochs", "1", "--save", out, "--force"], { cwd: dir });
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(new RegExp(`--save "${out}" is an input file \\(the same file as "data.csv"\\)`));
    }
    expect(sha256(join(dir, "data.csv"))).toBe(before);
  });

  it("names the real reason a path cannot be written (ENOTDIR), before training", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "afile"), "x");
    const run = await hone(["train", "--epochs", "100000", "--save", "afile/m.json"], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe('hone: --save "afile/m.json" cannot be written: a part of the path is a file, not a folder (ENOTDIR)');
    expect(run.ms).toBeLessThan(20_000);
    const folder = await hone(["train", "--save", "."], { cwd: dir });
    expect(folder.stderr.trim()).toBe('hone: --save "." is a folder, expected a file name');
  });

  it("creates missing folders for every command's outputs", async () => {
    const dir = tempDir();
    expect((await hone(["train", "--epochs", "2", "--save", "a/b/m.json", "--report", "c/r.html"], { cwd: dir })).code).toBe(0);
    expect((await hone(["sweep", "--l2", "0", "--out", "d/e/t.csv", "--", "--epochs", "2"], { cwd: dir })).code).toBe(0);
    writeFileSync(join(dir, "data.csv"), `a,y\n${Array.from({ length: 40 }, (_, i) => `${i},${i % 2}`).join("\n")}\n`);
    expect((await hone(["split", "data.csv", "--out", "g/h"], { cwd: dir })).code).toBe(0);
    for (const f of ["a/b/m.json", "c/r.html", "d/e/t.csv", "g/h/train.csv"]) expect(existsSync(join(dir, f))).toBe(true);
    // No temporary file is left beside an output after a normal run.
    expect(readdirSync(join(dir, "a/b"))).toEqual(["m.json"]);
  });
});

describe("--json on errors", () => {
  it("prints exactly one JSON document with the message, the flag and a code, and exits 2", async () => {
    const run = await hone(["train", "--lr", "fast", "--json"]);
    expect(run.code).toBe(2);
    const doc = JSON.parse(run.stdout) as { error: { message: string; flag?: string; code: string; exit: number } };
    expect(doc.error).toEqual({ message: '--lr must be a number > 0, got "fast"', flag: "--lr", code: "usage-error", exit: 2 });
    const unknown = await hone(["train", "--nope", "--json"]);
    expect(unknown.code).toBe(2);
    expect((JSON.parse(unknown.stdout) as { error: { code: string } }).error.code).toBe("unknownOption");
    const missing = await hone(["predict", "--model", "none.json", "--input", "x.csv", "--json"]);
    const doc2 = JSON.parse(missing.stdout) as { error: Record<string, unknown> };
    expect(doc2.error).toMatchObject({ message: 'cannot read model file "none.json": no such file or folder', exit: 2 });
    expect("flag" in doc2.error).toBe(false);
  });

  it("`hone help nosuch` says there is no such command", async () => {
    const run = await hone(["help", "nosuch"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^hone: help: there is no command "nosuch"; the commands are train, eval, predict/);
  });
});
