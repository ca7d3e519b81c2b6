// `hone train` end to end: the defaults' speed and accuracy on moons, the --json document,
// the human output, multi-class data, early stopping, and the flags' effect on the config.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeMoons, moonsBayesError, toCsv } from "@hone/data-split";
import { hone, honeJson, tempDir } from "./helpers.js";

interface SplitMetrics { rows: number; loss: number; accuracy: number }
interface Gap { value: number; low: number; high: number }
interface TrainJson {
  config: Record<string, unknown> & { seed: number; model: { hidden: number[]; activation: string; init: string; dtype: string }; optimizer: Record<string, unknown>; training: { epochs: number; batchSize: number | "full" }; regularization: Record<string, unknown> };
  split: { train: number; dev: number; test: number };
  metrics: { train: SplitMetrics; dev: SplitMetrics; test: SplitMetrics };
  diagnosis: {
    avoidableBias: Gap; variance: Gap; verdict: string; actions: string[]; summary: string;
    baseError: Gap & { source: string; method: string }; trainError: Gap & { n: number }; devError: Gap & { n: number }; devExamplesNeeded?: number;
  };
  epochs: number;
  bestEpoch: number | null;
  stoppedEarly: boolean;
  history: { epoch: number; trainLoss: number; devLoss: number; trainAccuracy: number; devAccuracy: number; learningRate: number }[];
  model: { sizes: number[]; loss: string };
  backend: string;
}

describe("hone train with no arguments", () => {
  it("finishes in under a minute and reaches dev accuracy ≥ 0.95 on moons, with every --json field", async () => {
    const { run, json } = await honeJson<TrainJson>(["train"]);
    expect(run.ms).toBeLessThan(60_000);
    // The bar: dev accuracy ≥ 0.95 on moons (1000 rows, noise 0.2).
    expect(json.metrics.dev.accuracy).toBeGreaterThanOrEqual(0.95);
    // stdout held exactly one JSON document (JSON.parse would have thrown otherwise) and nothing on stderr but warnings.
    expect(run.stderr).toBe("");
    for (const key of ["config", "split", "metrics", "diagnosis", "epochs", "bestEpoch", "stoppedEarly", "history"]) expect(json).toHaveProperty(key);
    // 60/20/20 of 1000 rows: dev and test get round(1000·0.2) = 200 each.
    expect(json.split).toEqual({ train: 600, dev: 200, test: 200 });
    for (const part of ["train", "dev", "test"] as const) {
      expect(Object.keys(json.metrics[part]).sort()).toEqual(["accuracy", "confusion", "error", "f1", "logLoss", "loss", "macro", "perClass", "prAuc", "precision", "recall", "rocAuc", "rows", "weighted"]);
      expect(json.metrics[part].rows).toBe(json.split[part]);
      expect(json.metrics[part].loss).toBeGreaterThan(0);
    }
    expect(Object.keys(json.diagnosis)).toEqual(expect.arrayContaining(["avoidableBias", "variance", "verdict", "actions", "summary", "baseError", "trainError", "devError"]));
    // The base error is moons' own Bayes error at noise 0.2 (≈ 2.9%: the issue's Monte Carlo figure), and the run is as good as the data allows.
    expect(json.diagnosis.baseError.source).toBe("dataset");
    expect(json.diagnosis.baseError.value).toBeGreaterThan(0.027);
    expect(json.diagnosis.baseError.value).toBeLessThan(0.031);
    expect(json.diagnosis.verdict).toBe("fine");
    // The diagnosis is the recipe applied to the reported errors.
    expect(json.diagnosis.trainError).toMatchObject({ value: expect.closeTo(1 - json.metrics.train.accuracy, 12) as number, n: 600 });
    expect(json.diagnosis.devError).toMatchObject({ value: expect.closeTo(1 - json.metrics.dev.accuracy, 12) as number, n: 200 });
    expect(json.diagnosis.avoidableBias.value).toBeCloseTo(1 - json.metrics.train.accuracy - json.diagnosis.baseError.value, 12);
    expect(json.diagnosis.variance.value).toBeCloseTo(json.metrics.train.accuracy - json.metrics.dev.accuracy, 12);
    expect(json.diagnosis.variance.low).toBeLessThan(json.diagnosis.variance.value);
    expect(json.diagnosis.variance.high).toBeGreaterThan(json.diagnosis.variance.value);
    expect(json.epochs).toBe(json.config.training.epochs);
    expect(json.history).toHaveLength(json.epochs);
    json.history.forEach((h, i) => {
      expect(Object.keys(h).sort()).toEqual(["devAccuracy", "devLoss", "epoch", "learningRate", "trainAccuracy", "trainLoss"]);
      expect(h.epoch).toBe(i);
    });
    // The last epoch's dev numbers are the final model's (no early stopping by default).
    expect(json.history.at(-1)!.devAccuracy).toBe(json.metrics.dev.accuracy);
    expect(json.history.at(-1)!.devLoss).toBeCloseTo(json.metrics.dev.loss, 12);
    expect(json.stoppedEarly).toBe(false);
    // bestEpoch without early stopping: the epoch of the lowest dev loss.
    const devLosses = json.history.map((h) => h.devLoss);
    expect(json.bestEpoch).toBe(devLosses.indexOf(Math.min(...devLosses)));
    expect(json.config.seed).toBe(1);
    expect(json.model.sizes).toEqual([2, 16, 16, 1]);
    expect(json.model.loss).toBe("binaryCrossEntropyWithLogits");
  });
});

describe("hone train output", () => {
  it("prints the table, the diagnosis and the cost chart", async () => {
    const run = await hone(["train", "--epochs", "15"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/train\s*│\s*600/);
    expect(run.stdout).toMatch(/dev\s*│\s*200/);
    expect(run.stdout).toMatch(/test\s*│\s*200/);
    expect(run.stdout).toContain("accuracy");
    expect(run.stdout).toMatch(/Diagnosis: (high bias|high variance|high bias and high variance|fine|too few dev examples|too few training examples)/);
    expect(run.stdout).toMatch(/base error\s+\d+\.\d\d% — the data set's Bayes error/);
    expect(run.stdout).toMatch(/variance\s+-?\d+\.\d\d% \[-?\d+\.\d\d% to -?\d+\.\d\d%\] \(dev − train\)/);
    expect(run.stdout).toContain("Cost per epoch");
    expect(run.stdout).toContain("train cost");
    // asciichart draws with box-drawing characters.
    expect(run.stdout).toMatch(/[╭╮╰╯─│┼┤]/);
    // Not a terminal: no progress bar on stderr.
    expect(run.stderr).toBe("");
  });

  it("is reproducible for a seed and differs across seeds", async () => {
    const a = await honeJson<TrainJson>(["train", "--epochs", "5", "--seed", "3"]);
    const b = await honeJson<TrainJson>(["train", "--epochs", "5", "--seed", "3"]);
    const c = await honeJson<TrainJson>(["train", "--epochs", "5", "--seed", "4"]);
    expect(b.json.history).toEqual(a.json.history);
    expect(c.json.history[0]!.trainLoss).not.toBe(a.json.history[0]!.trainLoss);
  });

  it("runs on the WebAssembly kernels by default and gives the same float64 numbers with --backend ts", async () => {
    const args = ["train", "--epochs", "5", "--layers", "64,64", "--seed", "5"];
    const wasm = await honeJson<TrainJson>(args);
    const ts = await honeJson<TrainJson>([...args, "--backend", "ts"]);
    expect(wasm.json.backend).toBe("wasm");
    expect(ts.json.backend).toBe("ts");
    expect(ts.json.history).toEqual(wasm.json.history);
    expect(ts.json.metrics).toEqual(wasm.json.metrics);
    const bad = await hone(["train", "--backend", "gpu"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--backend");
    expect(bad.stderr).toContain("gpu");
  });
});

describe("multi-class data uses a softmax output", () => {
  it.each([
    [["--data", "blobs", "--classes", "3"], 3],
    [["--data", "spirals", "--classes", "3", "--layers", "32,32"], 3],
  ])("%j", async (args, k) => {
    const { json } = await honeJson<TrainJson>(["train", ...args, "--epochs", "40", "--samples", "600"]);
    expect(json.model.sizes.at(-1)).toBe(k);
    expect(json.model.loss).toBe("softmaxCrossEntropy");
    // Chance is 1/3; these sets are learnable, so far better than chance after 40 epochs.
    expect(json.metrics.train.accuracy).toBeGreaterThan(0.7);
  });
});

describe("training flags", () => {
  it("early stopping stops, reports the best epoch and restores it", async () => {
    const { json } = await honeJson<TrainJson>(["train", "--layers", "64,64", "--epochs", "2000", "--lr", "0.02", "--early-stopping", "--patience", "5", "--restore-best"]);
    expect(json.stoppedEarly).toBe(true);
    expect(json.epochs).toBeLessThan(2000);
    // Stopped `patience` epochs after the best one.
    expect(json.bestEpoch).toBe(json.epochs - 1 - 5);
    const best = json.history[json.bestEpoch!]!;
    // The best epoch has the lowest dev loss seen, and its weights are the final model's.
    expect(Math.min(...json.history.map((h) => h.devLoss))).toBe(best.devLoss);
    expect(json.metrics.dev.loss).toBeCloseTo(best.devLoss, 12);
    expect(json.metrics.dev.accuracy).toBe(best.devAccuracy);
  });

  it("full-batch gradient descent with --batch-size full", async () => {
    const { json } = await honeJson<TrainJson>(["train", "--optimizer", "gd", "--lr", "0.5", "--batch-size", "full", "--epochs", "20"]);
    expect(json.config.training.batchSize).toBe("full");
    expect(json.config.optimizer).toMatchObject({ name: "gd", lr: 0.5 });
    // Full-batch GD: the cost goes down over 20 steps with a fixed order.
    expect(json.history.at(-1)!.trainLoss).toBeLessThan(json.history[0]!.trainLoss);
  });

  it.each([
    ["momentum", ["--optimizer", "momentum", "--beta", "0.8", "--lr", "0.1"], { name: "momentum", beta: 0.8 }],
    ["rmsprop", ["--optimizer", "rmsprop", "--lr", "0.005", "--beta", "0.9", "--eps", "1e-7"], { name: "rmsprop", beta: 0.9, eps: 1e-7 }],
    ["adamw", ["--optimizer", "adamw", "--weight-decay", "0.05"], { name: "adamw", weightDecay: 0.05, beta1: 0.9, beta2: 0.999 }],
    ["gradient descent with (coupled) weight decay", ["--optimizer", "gd", "--lr", "0.3", "--weight-decay", "0.001"], { name: "gd", weightDecay: 0.001 }],
    ["inverse decay", ["--lr-decay", "inverse", "--decay-rate", "0.5"], { decay: { type: "inverse", rate: 0.5 } }],
    ["stepped decay", ["--lr-decay", "stepped", "--decay-interval", "5"], { decay: { type: "stepped", rate: 1, interval: 5 } }],
    ["exponential decay", ["--lr-decay", "exponential", "--decay-rate", "0.9", "--decay-interval", "2"], { decay: { type: "exponential", rate: 0.9, interval: 2 } }],
    ["cosine decay", ["--lr-decay", "cosine", "--min-lr", "0.001"], { decay: { type: "cosine", minLr: 0.001 } }],
    ["clipping", ["--clip-norm", "1"], { clipNorm: 1 }],
  ])("%s", async (_name, args, expected) => {
    const { json } = await honeJson<TrainJson>(["train", ...args, "--epochs", "12"]);
    expect(json.config.optimizer).toMatchObject(expected);
    expect(json.history.at(-1)!.trainLoss).toBeLessThan(json.history[0]!.trainLoss);
  });

  it.each([
    ["inverse", ["--lr-decay", "inverse", "--decay-rate", "1"], (t: number) => 0.1 / (1 + t)],
    ["stepped", ["--lr-decay", "stepped", "--decay-rate", "1", "--decay-interval", "2"], (t: number) => 0.1 / (1 + Math.floor(t / 2))],
    ["exponential", ["--lr-decay", "exponential", "--decay-rate", "0.5", "--decay-interval", "2"], (t: number) => 0.1 * 0.5 ** (t / 2)],
    ["cosine", ["--lr-decay", "cosine", "--min-lr", "0.01"], (t: number) => 0.01 + 0.09 * (1 + Math.cos((Math.PI * t) / 5)) / 2],
  ])("the %s schedule sets each epoch's learning rate (formula in epochs)", async (_name, args, lr) => {
    const { json } = await honeJson<TrainJson>(["train", "--lr", "0.1", "--epochs", "6", ...args]);
    json.history.forEach((h, t) => expect(h.learningRate).toBeCloseTo(lr(t), 15));
    // Without a schedule the rate stays put.
    const flat = await honeJson<TrainJson>(["train", "--lr", "0.1", "--epochs", "3"]);
    for (const h of flat.json.history) expect(h.learningRate).toBe(0.1);
  });

  it.each([
    ["L2", ["--l2", "0.5"], { l2: 0.5 }],
    ["L1", ["--l1", "0.1"], { l1: 0.1 }],
    ["dropout, one keep-prob", ["--keep-prob", "0.8"], { keepProb: 0.8 }],
    ["dropout per layer", ["--keep-prob", "1,0.5"], { keepProb: [1, 0.5] }],
    ["augmentation", ["--augment", "noise:0.05"], { augment: [{ type: "noise", std: 0.05 }] }],
  ])("%s", async (_name, args, expected) => {
    const { json } = await honeJson<TrainJson>(["train", ...args, "--epochs", "8"]);
    expect(json.config.regularization).toMatchObject(expected);
    expect(json.metrics.train.accuracy).toBeGreaterThan(0.5);
  });

  it.each([
    ["tanh + xavier", ["--activation", "tanh"], { activation: "tanh", init: "xavier" }],
    ["sigmoid + lecun", ["--activation", "sigmoid", "--init", "lecun"], { activation: "sigmoid", init: "lecun" }],
    ["leaky-relu + he", ["--activation", "leaky-relu", "--init", "he", "--init-scale", "0.5"], { activation: "leaky-relu", init: "he" }],
    ["random init", ["--init", "random", "--init-scale", "0.1"], { init: "random" }],
    ["float32", ["--dtype", "float32"], { dtype: "float32" }],
  ])("%s", async (_name, args, expected) => {
    const { json } = await honeJson<TrainJson>(["train", ...args, "--epochs", "8"]);
    expect(json.config.model).toMatchObject(expected);
    expect(Number.isFinite(json.metrics.dev.loss)).toBe(true);
  });

  it("zero initialization cannot break symmetry: the network stays at chance level (the course's lesson)", async () => {
    const { json } = await honeJson<TrainJson>(["train", "--init", "zeros", "--epochs", "30"]);
    // With all weights zero every hidden unit gets the same (zero) gradient, so they stay
    // zero; only the output bias learns, and it can only predict one class.
    expect(json.metrics.train.accuracy).toBeLessThanOrEqual(0.55);
  });

  it("98/1/1 splits of 1000 rows give 980/10/10, stratified or not", async () => {
    for (const extra of [[], ["--stratify"]]) {
      const { json } = await honeJson<TrainJson>(["train", "--split", "98/1/1", "--epochs", "2", ...extra]);
      expect(json.split).toEqual({ train: 980, dev: 10, test: 10 });
    }
  });
});

describe("the base error of the diagnosis", () => {
  it("is --base-error when given, else the built-in data set's Bayes error", async () => {
    const flag = await honeJson<TrainJson>(["train", "--epochs", "5", "--base-error", "0.1"]);
    expect(flag.json.diagnosis.baseError).toMatchObject({ value: 0.1, low: 0.1, high: 0.1, source: "flag" });
    const circles = await honeJson<TrainJson>(["train", "--epochs", "5", "--data", "circles", "--noise", "0.1"]);
    expect(circles.json.diagnosis.baseError.source).toBe("dataset");
    expect(circles.json.diagnosis.baseError.method).toContain("circles at noise 0.1");
  });

  it("is estimated from the training split of a CSV file (moons exported: its Bayes error is known)", async () => {
    const dir = tempDir();
    const { x, y } = makeMoons({ samples: 2000, noise: 0.3, rng: 11 });
    writeFileSync(join(dir, "moons.csv"), toCsv(x, y));
    const { run, json } = await honeJson<TrainJson>(["train", "--data", "moons.csv", "--epochs", "30"], { cwd: dir });
    expect(run.code).toBe(0);
    const base = json.diagnosis.baseError;
    expect(base.source).toBe("estimate");
    expect(base.method).toMatch(/k-NN/);
    // From the training split only: 60% of 2000 rows (dev and test never reach it), or the rows --train-rows keeps.
    expect(base.method).toMatch(/, on 1200 training rows$/);
    const fewer = await honeJson<TrainJson>(["train", "--data", "moons.csv", "--epochs", "5", "--train-rows", "500"], { cwd: dir });
    expect(fewer.json.diagnosis.baseError.method).toMatch(/, on 500 training rows$/);
    expect(base.low).toBeLessThanOrEqual(base.value);
    expect(base.high).toBeGreaterThanOrEqual(base.value);
    // The generator's own Bayes error (an independent, numeric route) lies in the estimate's interval.
    const truth = moonsBayesError({ noise: 0.3 });
    expect(truth).toBeGreaterThan(base.low);
    expect(truth).toBeLessThan(base.high);
  });
});

describe("a CSV too small to estimate a base error", () => {
  it("trains, says so on stderr, and diagnoses against an assumed 0", async () => {
    const dir = tempDir();
    const { x, y } = makeMoons({ samples: 4, noise: 0.2, rng: 2 }); // 2 training rows: fewer than the estimate needs
    writeFileSync(join(dir, "tiny.csv"), toCsv(x, y));
    const { run, json } = await honeJson<TrainJson>(["train", "--data", "tiny.csv", "--epochs", "3"], { cwd: dir });
    expect(run.code).toBe(0);
    expect(json.diagnosis.baseError).toMatchObject({ value: 0, source: "none" });
    const text = await hone(["train", "--data", "tiny.csv", "--epochs", "3"], { cwd: dir });
    expect(text.stderr).toMatch(/base error: it could not be estimated \(estimateBaseError: .*\), so 0 is assumed/);
  });
});

describe("hone train --gradcheck", () => {
  it("checks backprop at initialization and after training, both within the course's 2e-7", async () => {
    type Check = { verdict: string; difference: number; cost: number };
    const { run, json } = await honeJson<TrainJson & { gradcheck: { epochs: number; verdict: string; initial: Check; trained: Check } }>(["train", "--epochs", "5", "--gradcheck"]);
    expect(run.code).toBe(0);
    expect(json.gradcheck.epochs).toBe(5);
    for (const check of [json.gradcheck.initial, json.gradcheck.trained]) {
      expect(check.verdict).toBe("correct");
      expect(check.difference).toBeLessThan(2e-7);
    }
    // The second check ran on trained weights: the batch's cost fell.
    expect(json.gradcheck.trained.cost).toBeLessThan(json.gradcheck.initial.cost);
    // Checking does not disturb training: the same run without it has the same history.
    const plain = await honeJson<TrainJson>(["train", "--epochs", "5"]);
    expect(plain.json.history).toEqual(json.history);
  });
});

describe("hone train --learning-curve", () => {
  it("trains on 10%…100% of the training split; the full size is this run; reads the curve against the run's base error", async () => {
    type Point = { size: number; trainError: number; devError: number; trainN: number; devN: number };
    const { run, json } = await honeJson<TrainJson & { learningCurve: { points: Point[]; reading: { moreDataHelps: string; reason: string; baseError: number } } }>(
      ["train", "--epochs", "20", "--learning-curve"],
    );
    expect(run.code).toBe(0);
    const { points, reading } = json.learningCurve;
    expect(points.map((p) => p.size)).toEqual([60, 120, 240, 360, 480, 600]);
    expect(points.at(-1)).toMatchObject({ trainError: expect.closeTo(1 - json.metrics.train.accuracy, 12) as number, devError: expect.closeTo(1 - json.metrics.dev.accuracy, 12) as number, devN: 200 });
    // Read against the same base error as the run's diagnosis (moons' Bayes error), where the curves met: more data will not help.
    expect(reading.baseError).toBe(json.diagnosis.baseError.value);
    expect(reading.moreDataHelps).toBe("unlikely");
  });
});
