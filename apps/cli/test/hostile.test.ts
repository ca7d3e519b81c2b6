// The inputs a hostile-user run found slipping through (issue 18), each run as a user would:
// a network too large to allocate, --label with a built-in data set, diagnose's --threshold
// and a base error above the train error, the CSV on standard input (`-`), the defaults in
// --help, and the experiments' comparisons. Bad input exits 2 with one line naming the flag.
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { BIN, hone, honeJson, tempDir, type Run } from "./helpers.js";

/** Runs `hone ...args` in `cwd` with `input` on its standard input (helpers' `hone` gives it none). */
function honeWithStdin(args: readonly string[], input: string, cwd: string): Promise<Run> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const env: Record<string, string | undefined> = { ...process.env, HONE_CLI_DIST: "1", NO_COLOR: "1" };
    delete env.FORCE_COLOR;
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "", stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => { stdout += d; });
    child.stderr.setEncoding("utf8").on("data", (d: string) => { stderr += d; });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr, ms: performance.now() - started }));
    child.stdin.end(input);
  });
}

/** A usage error: exit 2, one line on stderr matching `message`, no stack trace, nothing on stdout. */
function expectUsage(run: Run, message: RegExp): void {
  expect(run.code, run.stderr).toBe(2);
  expect(run.stdout).toBe("");
  expect(run.stderr).toMatch(/^hone: [^\n]+\n$/);
  expect(run.stderr).toMatch(message);
  expect(run.stderr).not.toMatch(/\n\s+at /);
}

/** 200 rows of two features and a two-class label (the upper-right half is "b"), with a little overlap. */
function pointsCsv(): string {
  const lines = ["x1,x2,label"];
  for (let i = 0; i < 200; i++) {
    const x1 = ((i * 37) % 100) / 100, x2 = ((i * 61) % 100) / 100;
    lines.push(`${x1},${x2},${x1 + x2 + (i % 7 === 0 ? 0.3 : 0) > 1 ? "b" : "a"}`);
  }
  return `${lines.join("\n")}\n`;
}

describe("a network too large to allocate is refused before it is built", () => {
  it("names --layers, the parameter count and the limit (the hidden layers alone, before any data is read)", async () => {
    expectUsage(await hone(["train", "--layers", "100000,100000"]), /--layers 100000,100000 makes a network of at least 10,000,400,001 parameters, more than the limit of 25,000,000/);
  });

  it("counts the inputs and outputs once the data is known", async () => {
    // 1 input and 1 output would be 24,920,061 parameters; blobs has 2 inputs and 100 outputs here.
    expectUsage(await hone(["train", "--data", "blobs", "--classes", "100", "--layers", "4990,4990"]), /--layers 4990,4990 makes a 2→4990→4990→100 network of 25,419,160 parameters, more than the limit of 25,000,000/);
  });

  it("checks the activations of a batch too", async () => {
    expectUsage(await hone(["train", "--samples", "10000", "--layers", "20000", "--batch-size", "full"]),
      /--layers 20000 with --batch-size full \(6,000 training rows\) holds 120,006,000 activations per training step \(6,000 rows × 20,001 units\), more than the limit of 100,000,000/);
  });

  it("applies to every command that builds the network", async () => {
    expectUsage(await hone(["gradcheck", "--layers", "100000,100000"]), /--layers 100000,100000 makes a network of at least/);
  });
});

describe("--label with a built-in data set", () => {
  it.each([
    ["train", "moons"], ["train", "circles"], ["gradcheck", "spirals"], ["curve", "blobs"],
  ])("%s --data %s --label y is a usage error naming both", async (command, data) => {
    expectUsage(await hone([command, "--data", data, "--label", "y"]), new RegExp(`--label applies to a CSV file; --data ${data} is a built-in`));
  });
});

describe("hone diagnose", () => {
  it("states --threshold in its text output, as in its JSON", async () => {
    const points = await hone(["diagnose", "--train-error", "0.03", "--dev-error", "0.06", "--threshold", "0.05"]);
    expect(points.code).toBe(0);
    expect(points.stdout).toMatch(/^Diagnosis: fine \(a gap is high above 5\.00%\)/);
    expect(points.stdout).toMatch(/Both gaps are within 5\.00%/);
    const counted = await hone(["diagnose", "--train-error", "0.03", "--dev-error", "0.10", "--train-n", "600", "--dev-n", "200", "--threshold", "0.05"]);
    expect(counted.stdout).toMatch(/a gap is high when its whole 95% interval is above 5\.00%/);
    const { json } = await honeJson<{ threshold: number }>(["diagnose", "--train-error", "0.03", "--dev-error", "0.06", "--threshold", "0.05"]);
    expect(json.threshold).toBe(0.05);
  });

  it("reads a base error above the train error as a note, not an error (human-level error only bounds the Bayes error from above)", async () => {
    // @hone/data-split's diagnose treats it so on purpose: a model can beat human-level error, or overfit the training set.
    const run = await hone(["diagnose", "--train-error", "0.1", "--dev-error", "0.2", "--base-error", "0.3"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/avoidable bias {2}-20\.00% \(train − base\): low/);
    expect(run.stdout).toMatch(/Note: train error is below the base error: the base estimate may be too high/);
  });
});

describe("- reads the CSV from standard input", () => {
  let dir: string;
  const csv = pointsCsv();
  const train = ["--epochs", "5", "--base-error", "0.05"];
  beforeAll(async () => {
    dir = tempDir();
    writeFileSync(join(dir, "points.csv"), csv);
    // A file named "-" that must never be read: it has one class only.
    writeFileSync(join(dir, "-"), "x1,x2,label\n0,0,a\n1,1,a\n");
    const saved = await hone(["train", "--data", "points.csv", ...train, "--save", "model.json"], { cwd: dir });
    expect(saved.code, saved.stderr).toBe(0);
  });

  it("train --data - is the same run as train --data file.csv", async () => {
    const fromFile = await honeJson<{ config: { data: { source: string } }; metrics: unknown; split: unknown }>(["train", "--data", "points.csv", ...train], { cwd: dir });
    const piped = await honeWithStdin(["train", "--data", "-", ...train, "--json"], csv, dir);
    expect(piped.code, piped.stderr).toBe(0);
    const json = JSON.parse(piped.stdout) as typeof fromFile.json;
    expect(json.config.data.source).toBe("-");
    expect(json.split).toEqual(fromFile.json.split);
    expect(json.metrics).toEqual(fromFile.json.metrics);
  });

  it("an empty standard input is a usage error", async () => {
    expectUsage(await honeWithStdin(["train", "--data", "-"], "", dir), /cannot read the data file from standard input \(-\): it is empty/);
  });

  it("eval --data - and predict --input - score and predict the piped rows", async () => {
    const fromFile = await honeJson<{ accuracy: number; confusion: number[][] }>(["eval", "--model", "model.json", "--data", "points.csv"], { cwd: dir });
    const piped = await honeWithStdin(["eval", "--model", "model.json", "--data", "-", "--json"], csv, dir);
    expect(piped.code, piped.stderr).toBe(0);
    const json = JSON.parse(piped.stdout) as { data: string; accuracy: number; confusion: number[][] };
    expect(json.data).toBe("-");
    expect(json.accuracy).toBe(fromFile.json.accuracy);
    expect(json.confusion).toEqual(fromFile.json.confusion);
    const predicted = await hone(["predict", "--model", "model.json", "--input", "points.csv"], { cwd: dir });
    const pipedPredictions = await honeWithStdin(["predict", "--model", "model.json", "--input", "-"], csv, dir);
    expect(pipedPredictions.code, pipedPredictions.stderr).toBe(0);
    expect(pipedPredictions.stdout).toBe(predicted.stdout);
    expect(pipedPredictions.stdout.split("\n")[0]).toBe("label,prediction,p_a,p_b");
  });

  it("split - writes the parts hone split file.csv writes", async () => {
    const piped = await honeWithStdin(["split", "-", "--out", "piped"], csv, dir);
    expect(piped.code, piped.stderr).toBe(0);
    const fromFile = await hone(["split", "points.csv", "--out", "file"], { cwd: dir });
    expect(fromFile.code).toBe(0);
    for (const part of ["train.csv", "dev.csv", "test.csv"]) expect(readFileSync(join(dir, "piped", part), "utf8")).toBe(readFileSync(join(dir, "file", part), "utf8"));
  });

  it("curve --data - gives its runs the piped rows", async () => {
    const args = ["curve", ...train, "--sizes", "0.5,1", "--workers", "2"];
    const fromFile = await honeJson<{ points: unknown }>([...args, "--data", "points.csv"], { cwd: dir });
    const piped = await honeWithStdin([...args, "--data", "-", "--json"], csv, dir);
    expect(piped.code, piped.stderr).toBe(0);
    expect((JSON.parse(piped.stdout) as { points: unknown }).points).toEqual(fromFile.json.points);
  });

  it("a model cannot be read from standard input, and --out - is not a file", async () => {
    expectUsage(await honeWithStdin(["predict", "--model", "-", "--input", "points.csv"], "", dir), /--model must be a model file saved by `hone train --save`, got "-"/);
    expectUsage(await honeWithStdin(["eval", "--model", "-", "--data", "-"], csv, dir), /--model must be a model file .*got "-"/);
    expectUsage(await hone(["predict", "--model", "model.json", "--input", "points.csv", "--out", "-"], { cwd: dir }), /--out must be a file name, got "-": predict writes its CSV to standard output when --out is left out/);
    expectUsage(await hone(["experiment", "gradient-checking", "--report", "-"], { cwd: dir }), /--report must be a file name .*got "-"/);
    expectUsage(await honeWithStdin(["experiment", "regularization", "--data", "-"], "{", dir), /--data "-" is not valid JSON/);
    expectUsage(await hone(["experiment", "initialization", "--data", "football.json"], { cwd: dir }), /--data is the football data of the regularization experiment; experiment initialization does not read it/);
  });
});

describe("--help shows every default as one would type it", () => {
  it.each(["train", "eval", "predict", "gradcheck", "diagnose", "split", "experiment", "curve", "sweep"])("hone %s --help", async (command) => {
    const run = await hone([command, "--help"]);
    expect(run.code).toBe(0);
    const help = run.stdout.replace(/\s+/g, " ");
    expect(help).not.toMatch(/\(default: [[{]/);
    if (["train", "gradcheck", "curve"].includes(command)) expect(help).toContain("default 16,16, none after --conv");
  });
});

describe("hone experiment compares only what can be reproduced", () => {
  it("initialization shows random ×10's cost at iteration 1000 as not compared, with the reason, in text and JSON", async () => {
    const dir = tempDir();
    const text = await hone(["experiment", "initialization", "--report", "init.html"], { cwd: dir });
    expect(text.code).toBe(0);
    expect(readFileSync(join(dir, "init.html"), "utf8")).toMatch(/0\.624792 <span class="note">\(not compared: the run is chaotic/);
    expect(text.stdout).toMatch(/cost at iteration 1000 0\.62\d* +published 0\.6247924745506072 {2}not compared \(the run is chaotic after the first cost overflows/);
    expect(text.stdout).not.toContain("✗");
    const { json } = await honeJson<{ experiments: { variants: { name: string; comparisons: { what: string; result: string; reason?: string }[] }[] }[] }>(["experiment", "initialization"]);
    const random = json.experiments[0]!.variants.find((v) => v.name === "random ×10")!;
    expect(random.comparisons.find((c) => c.what === "cost at iteration 1000")).toMatchObject({ result: "not compared", reason: expect.stringMatching(/chaotic/) as unknown as string });
    const results = json.experiments[0]!.variants.flatMap((v) => v.comparisons.map((c) => c.result));
    expect(results.filter((r) => r === "match").length).toBeGreaterThan(0);
    expect(results).not.toContain("differs");
  });

  it("experiment all exits 0 with every remaining comparison ✓", async () => {
    const run = await hone(["experiment", "all"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).not.toContain("✗");
    expect(run.stdout.match(/not compared/g)).toHaveLength(1);
    // initialization 10, regularization 9, gradient-checking 3, optimization 7.
    expect(run.stdout.match(/✓/g)).toHaveLength(29);
  });
});

describe("--seed and --backend only on the commands they affect", () => {
  // seed: the commands that split, shuffle or initialize; backend: the ones that compute with tensors.
  const table: [string, boolean, boolean][] = [
    ["train", true, true], ["gradcheck", true, true], ["curve", true, true], ["sweep", true, true], ["split", true, false],
    ["eval", false, true], ["predict", false, true], ["experiment", false, true], ["diagnose", false, false],
  ];
  it.each(table)("hone %s: --seed %s, --backend %s", async (command, hasSeed, hasBackend) => {
    const help = (await hone([command, "--help"])).stdout;
    expect(help.includes("--seed <n>")).toBe(hasSeed);
    expect(help.includes("--backend <name>")).toBe(hasBackend);
    expect(help).toContain("--json");
  });

  it("a flag a command does not take is a usage error naming it", async () => {
    expectUsage(await hone(["diagnose", "--train-error", "0.1", "--dev-error", "0.2", "--seed", "3"]), /unknown option '--seed'/);
    expectUsage(await hone(["experiment", "initialization", "--seed", "3"]), /unknown option '--seed'/);
    expectUsage(await hone(["split", "x.csv", "--backend", "ts"]), /unknown option '--backend'/);
  });
});
