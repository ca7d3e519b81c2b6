// diagnose, split, gradcheck and --help.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeBlobs, toCsv } from "@hone/data-split";
import { hone, honeJson, sha256, tempDir } from "./helpers.js";

describe("hone diagnose", () => {
  // The course's four cases (base error 0), and the 15% base-error case.
  it.each([
    [0.01, 0.11, 0, "high variance", 0.01, 0.1],
    [0.15, 0.16, 0, "high bias", 0.15, 0.01],
    [0.15, 0.3, 0, "high bias and high variance", 0.15, 0.15],
    [0.005, 0.01, 0, "fine", 0.005, 0.005],
    [0.15, 0.16, 0.15, "fine", 0, 0.01],
  ])("train %f, dev %f, base %f → %s", async (train, dev, base, verdict, bias, variance) => {
    const { json } = await honeJson<{ verdict: string; avoidableBias: { value: number }; variance: { value: number }; actions: string[]; baseError: { value: number; source: string } }>(
      ["diagnose", "--train-error", String(train), "--dev-error", String(dev), "--base-error", String(base)],
    );
    expect(json.verdict).toBe(verdict);
    expect(json.avoidableBias.value).toBeCloseTo(bias, 12);
    expect(json.variance.value).toBeCloseTo(variance, 12);
    expect(json.baseError).toMatchObject({ value: base, source: "flag" });
    expect(json.actions.length > 0).toBe(verdict !== "fine");
  });

  it("with --train-n and --dev-n gives Wilson intervals and refuses a gap it cannot tell from noise", async () => {
    // 0.8% of 600 against 3% of 200: a 2.2-point gap, the dev error's interval 1.38%–6.39%
    // (scipy.stats.binomtest(6, 200).proportion_ci(method="wilson")).
    const { json } = await honeJson<{ verdict: string; devError: { value: number; low: number; high: number; n: number }; variance: { value: number; low: number }; devExamplesNeeded?: number }>(
      ["diagnose", "--train-error", "0.008", "--dev-error", "0.03", "--train-n", "600", "--dev-n", "200", "--base-error", "0.01"],
    );
    expect(json.devError.n).toBe(200);
    expect(json.devError.low).toBeCloseTo(0.013820314340111339, 12);
    expect(json.devError.high).toBeCloseTo(0.06389429245451923, 12);
    expect(json.variance.value).toBeCloseTo(0.022, 12);
    expect(json.verdict).toBe("too few dev examples");
    const run = await hone(["diagnose", "--train-error", "0.008", "--dev-error", "0.03", "--train-n", "600", "--dev-n", "200"]);
    expect(run.stdout).toContain("Diagnosis: too few dev examples");
    expect(run.stdout).toMatch(/dev error\s+3\.00% \[1\.38% to 6\.39%\] on 200 rows/);
    expect(run.stdout).toMatch(/base error\s+0\.00% — none given: 0 assumed/);
    expect((await hone(["diagnose", "--train-error", "0.1", "--dev-error", "0.1", "--dev-n", "0"])).code).toBe(2);
  });

  it("prints the verdict and next steps for people", async () => {
    const run = await hone(["diagnose", "--train-error", "0.01", "--dev-error", "0.11"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Diagnosis: high variance");
    expect(run.stdout).toContain("get more training data");
  });
});

describe("hone split", () => {
  it("writes 98/1/1 parts whose rows partition the input, and indices.json", async () => {
    const dir = tempDir();
    const { x, y } = makeBlobs({ samples: 1000, centers: 3, rng: 4 });
    writeFileSync(join(dir, "data.csv"), toCsv(x, y, { classes: ["a", "b", "c"] }));
    const hash = sha256(join(dir, "data.csv"));
    const { json } = await honeJson<{ train: number; dev: number; test: number }>(["split", "data.csv", "--ratios", "98/1/1", "--out", "out", "--stratify"], { cwd: dir });
    expect(json).toMatchObject({ train: 980, dev: 10, test: 10 });
    expect(sha256(join(dir, "data.csv"))).toBe(hash);
    const indices = JSON.parse(readFileSync(join(dir, "out", "indices.json"), "utf8")) as { train: number[]; dev: number[]; test: number[] };
    const all = [...indices.train, ...indices.dev, ...indices.test].sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    // Each part's rows are the input's rows at its indices, in that order.
    const lines = readFileSync(join(dir, "data.csv"), "utf8").trim().split("\n");
    for (const part of ["train", "dev", "test"] as const) {
      const written = readFileSync(join(dir, "out", `${part}.csv`), "utf8").trim().split("\n");
      expect(written[0]).toBe(lines[0]);
      expect(written.slice(1)).toEqual(indices[part].map((i) => lines[i + 1]));
    }
  });

  it("refuses to overwrite without --force", async () => {
    const dir = tempDir();
    const { x, y } = makeBlobs({ samples: 100, centers: 2, rng: 4 });
    writeFileSync(join(dir, "data.csv"), toCsv(x, y));
    expect((await hone(["split", "data.csv", "--out", "out"], { cwd: dir })).code).toBe(0);
    const hash = sha256(join(dir, "out", "train.csv"));
    const again = await hone(["split", "data.csv", "--out", "out", "--seed", "9"], { cwd: dir });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/^hone: --out ".*train.csv" already exists; pass --force to overwrite it\n$/);
    expect(sha256(join(dir, "out", "train.csv"))).toBe(hash);
    const forced = await hone(["split", "data.csv", "--out", "out", "--seed", "9", "--force"], { cwd: dir });
    expect(forced.code).toBe(0);
    expect(sha256(join(dir, "out", "train.csv"))).not.toBe(hash);
  });
});

describe("hone gradcheck", () => {
  it("passes on the default network and prints one row per parameter", async () => {
    const run = await hone(["gradcheck", "--layers", "5,3", "--rows", "16"]);
    expect(run.code).toBe(0);
    for (const name of ["layers.0.weight", "layers.0.bias", "layers.2.weight", "layers.4.bias"]) expect(run.stdout).toContain(name);
    expect(run.stdout).toMatch(/Verdict: (correct|suspicious)/);
  });

  it("--json: tanh with an L2 penalty, after a few epochs, is correct", async () => {
    const { json } = await honeJson<{ verdict: string; difference: number; parameters: { name: string; verdict: string }[] }>(
      ["gradcheck", "--layers", "5,3", "--activation", "tanh", "--l2", "0.7", "--epochs", "3", "--rows", "32"],
    );
    // Smooth activations: the two-sided difference is accurate to ~ε², far below the 2e-7 tier.
    expect(json.verdict).toBe("correct");
    expect(json.difference).toBeLessThan(2e-7);
    expect(json.parameters.map((p) => p.name)).toEqual(["layers.0.weight", "layers.0.bias", "layers.2.weight", "layers.2.bias", "layers.4.weight", "layers.4.bias"]);
  });

  it("exits 1 when the verdict is wrong (forced here by a step ε = 1, far too coarse for a two-sided difference)", async () => {
    const run = await hone(["gradcheck", "--layers", "5,3", "--activation", "tanh", "--epsilon", "1", "--json"]);
    expect(run.code).toBe(1);
    const json = JSON.parse(run.stdout) as { verdict: string; difference: number };
    expect(json.verdict).toBe("wrong");
    expect(json.difference).toBeGreaterThanOrEqual(1e-3);
    const human = await hone(["gradcheck", "--layers", "5,3", "--activation", "tanh", "--epsilon", "1"]);
    expect(human.code).toBe(1);
    expect(human.stdout).toContain("Verdict: wrong");
  });

  it("checks a softmax model", async () => {
    const { json } = await honeJson<{ verdict: string }>(["gradcheck", "--data", "blobs", "--layers", "4", "--activation", "sigmoid", "--rows", "20"]);
    expect(json.verdict).toBe("correct");
  });
});

describe("--help", () => {
  it.each(["train", "eval", "predict", "gradcheck", "diagnose", "split"])("hone %s --help lists flags and examples", async (command) => {
    const run = await hone([command, "--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Usage: hone ${command}`);
    expect(run.stdout).toContain("--json");
    // --seed where the command makes random choices (the hostile-input tests check each command).
    expect(run.stdout.includes("--seed")).toBe(["train", "gradcheck", "split"].includes(command));
    expect(run.stdout).toContain("Examples:");
    expect(run.stdout).toContain(`$ hone ${command}`);
  });

  it("hone --help lists the commands", async () => {
    const run = await hone(["--help"]);
    expect(run.code).toBe(0);
    for (const c of ["train", "eval", "predict", "gradcheck", "diagnose", "split"]) expect(run.stdout).toMatch(new RegExp(`\\n  ${c}\\b`));
  });

  it("train --help names every flag of the issue", async () => {
    const run = await hone(["train", "--help"]);
    for (const flag of [
      "--data", "--label", "--samples", "--noise", "--split", "--stratify", "--normalize", "--layers", "--activation", "--init",
      "--init-scale", "--dtype", "--optimizer", "--lr", "--beta", "--beta1", "--beta2", "--eps", "--lr-decay", "--batch-size",
      "--epochs", "--clip-norm", "--l2", "--l1", "--weight-decay", "--keep-prob", "--augment", "--early-stopping", "--patience",
      "--restore-best", "--save", "--report", "--force",
    ]) expect(run.stdout).toContain(`${flag} `);
  });
});
