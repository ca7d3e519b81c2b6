// `hone curve`: a learning curve of `hone train` runs on growing prefixes of the training
// split, seeded (the same document whatever --workers), its largest point the very run
// `hone train` makes with the same flags; bad --sizes fail at once; the hidden
// `--train-rows` the runs use; and the config → flags round trip the runs rely on.
import { Command } from "commander";
import { describe, expect, it } from "vitest";
import { addCommon } from "../src/commands/common.js";
import { addDataFlags, addModelFlags, DEFAULTS, resolveConfig, type TrainFlags } from "../src/flags.js";
import { trainArgs } from "../src/learning-curve.js";
import { hone, honeJson } from "./helpers.js";

interface CurveJson {
  trainRows: number;
  devRows: number;
  points: { size: number; trainError: number; devError: number; trainN: number; devN: number }[];
  reading: { moreDataHelps: string; reason: string; size: number; from: number; devSlope: number; falling: boolean };
}

interface TrainJson {
  metrics: Record<"train" | "dev" | "test", { rows: number; accuracy: number }>;
}

// Few epochs keep each run well under a second.
const FLAGS = ["--epochs", "30", "--samples", "500"];

describe("hone curve", () => {
  it("trains at each size, seeded: the same document on 1 worker as on 3", async () => {
    const a = await hone(["curve", ...FLAGS, "--sizes", "0.2,0.5,1", "--workers", "3", "--json"]);
    const b = await hone(["curve", ...FLAGS, "--sizes", "0.2,0.5,1", "--workers", "1", "--json"]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    const json = JSON.parse(a.stdout) as CurveJson;
    // 500 rows split 60/20/20: 300 train, 100 dev; 0.2, 0.5 and 1 of 300.
    expect(json.trainRows).toBe(300);
    expect(json.devRows).toBe(100);
    expect(json.points.map((p) => p.size)).toEqual([60, 150, 300]);
    expect(json.points.map((p) => p.trainN)).toEqual([60, 150, 300]);
    expect(json.points.every((p) => p.devN === 100)).toBe(true);
    for (const p of json.points) {
      // Errors are counts out of the rows they were measured on.
      expect(Math.abs(p.trainError * p.trainN - Math.round(p.trainError * p.trainN))).toBeLessThan(1e-9);
      expect(Math.abs(p.devError * p.devN - Math.round(p.devError * p.devN))).toBeLessThan(1e-9);
    }
    expect(["likely", "unlikely", "unclear"]).toContain(json.reading.moreDataHelps);
    expect(json.reading.size).toBe(300);
    expect(json.reading.from).toBe(150);
  });

  it("its largest size is the run `hone train` makes with the same flags", async () => {
    const [{ json: curve }, { json: train }] = await Promise.all([
      honeJson<CurveJson>(["curve", ...FLAGS, "--layers", "8", "--sizes", "100,200,300"]),
      honeJson<TrainJson>(["train", ...FLAGS, "--layers", "8"]),
    ]);
    const last = curve.points.at(-1)!;
    expect(last.size).toBe(300);
    expect(last.trainN).toBe(train.metrics.train.rows);
    expect(last.devN).toBe(train.metrics.dev.rows);
    expect(last.trainError).toBe(1 - train.metrics.train.accuracy);
    expect(last.devError).toBe(1 - train.metrics.dev.accuracy);
  });

  it("prints the table, the chart and the reading", async () => {
    const run = await hone(["curve", ...FLAGS, "--sizes", "0.5,1"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^hone curve moons \(500 rows\) · train split 300, dev 100/);
    expect(run.stdout).toMatch(/│\s+m │ train error │ dev error │\s+gap │/);
    expect(run.stdout).toMatch(/│ 150 │\s+\d+\.\d\d% │\s+\d+\.\d\d% │\s+-?\d+\.\d\d% │/);
    expect(run.stdout).toContain("dev error\n");
    expect(run.stdout).toMatch(/m = 150 +300 rows/);
    expect(run.stdout).toMatch(/Reading: (more data is (likely|unlikely) to help|whether more data would help is unclear): /);
  });

  it("rejects bad --sizes with exit code 2 and a message naming the flag", async () => {
    const cases: [string, RegExp][] = [
      ["abc", /--sizes must be fractions of the training split in \(0, 1\] .* or row counts .*, got "abc"/],
      ["0.5,200", /--sizes must be .*got "0\.5,200" \(fractions and counts cannot be mixed\)/],
      ["0,100", /--sizes must be .*got "0,100" \(a row count must be at least 1\)/],
      ["100,400", /--sizes "100,400": 400 is more than the 300 rows of the training split/],
      ["1", /--sizes needs at least 2 different training-set sizes to draw a curve, got only one \(1 rows\) from "1"/],
      ["", /--sizes must be/],
    ];
    for (const [sizes, message] of cases) {
      const run = await hone(["curve", ...FLAGS, "--sizes", sizes]);
      expect(run.code, `--sizes ${sizes}`).toBe(2);
      expect(run.stderr.trim()).toMatch(new RegExp(`^hone: ${message.source}`));
      expect(run.stdout).toBe("");
    }
  });
});

describe("hone train --train-rows (hidden; what hone curve's runs use)", () => {
  it("trains on the first n rows of the training split and evaluates on the whole dev split", async () => {
    const { json } = await honeJson<TrainJson>(["train", ...FLAGS, "--train-rows", "120"]);
    expect(json.metrics.train.rows).toBe(120);
    expect(json.metrics.dev.rows).toBe(100);
    const over = await hone(["train", ...FLAGS, "--train-rows", "301"]);
    expect(over.code).toBe(2);
    expect(over.stderr).toMatch(/^hone: --train-rows must be at most the 300 rows of the training split, got 301/);
    expect((await hone(["train", "--help"])).stdout).not.toContain("--train-rows");
  });
});

describe("trainArgs", () => {
  /** The config `hone train <args>` resolves to, parsed as the command does. */
  const configOf = (args: readonly string[]): ReturnType<typeof resolveConfig> => {
    const cmd = new Command("train").exitOverride();
    addDataFlags(cmd);
    addModelFlags(cmd, DEFAULTS.epochs);
    addCommon(cmd, { seed: true, backend: true });
    cmd.parse(args as string[], { from: "user" });
    return resolveConfig(cmd.opts<TrainFlags>());
  };

  it.each([
    [[]],
    [["--data", "circles", "--noise", "0.1", "--samples", "300", "--seed", "7", "--stratify", "--split", "80/10/10"]],
    [["--data", "spirals", "--classes", "3", "--layers", "none", "--normalize", "minmax", "--dtype", "float32"]],
    [["--optimizer", "momentum", "--beta", "0.8", "--lr", "0.05", "--lr-decay", "stepped", "--decay-interval", "50", "--batch-size", "full"]],
    [["--optimizer", "rmsprop", "--eps", "1e-6", "--lr-decay", "exponential", "--decay-rate", "0.7", "--clip-norm", "5"]],
    [["--optimizer", "adamw", "--weight-decay", "0.02", "--beta1", "0.8", "--lr-decay", "cosine", "--min-lr", "0.001"]],
    [["--optimizer", "gd", "--weight-decay", "0.1", "--lr-decay", "inverse", "--activation", "tanh", "--init", "random", "--init-scale", "0.5"]],
    [["--layers", "8,4", "--keep-prob", "0.9,0.7", "--l2", "0.3", "--l1", "0.01", "--augment", "noise:0.05", "--restore-best", "--patience", "5", "--min-delta", "0.001"]],
    [["--keep-prob", "0.8", "--base-error", "0.05", "--data", "data.csv", "--label", "-1"]],
  ])("gives flags that resolve to the same config: %j", (args) => {
    const config = configOf(args);
    expect(configOf(trainArgs(config))).toEqual(config);
  });
});
