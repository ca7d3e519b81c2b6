// save → eval → predict: a model trained on a CSV file, saved in both formats, evaluated on
// the dev rows `hone split` picks with the same seed, and its predictions compared with the
// ones computed here through the libraries from the saved file.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { makeSpirals, scalerFromJSON, toCsv, makeMoons, parseCsvText } from "@hone/data-split";
import { loadModel, predictBinary, predictClass } from "@hone/nn";
import { Dropout } from "@hone/regularize";
import { noGrad, sigmoid, softmax } from "@hone/tensor";
import { hone, honeJson, readSimpleCsv, sha256, tempDir } from "./helpers.js";

interface SplitMetrics { rows: number; loss: number; accuracy: number }
interface TrainJson { metrics: { train: SplitMetrics; dev: SplitMetrics; test: SplitMetrics }; split: { train: number; dev: number; test: number } }
interface EvalJson { rows: number; loss: number; accuracy: number; error: number; confusion: number[][]; classes: string[] }

/** Predictions and probabilities through the libraries, from the saved file alone. */
function libraryPredict(modelPath: string, csvText: string): { names: string[]; probs: number[][] } {
  const { model, metadata } = loadModel(readFileSync(modelPath), { layers: { Dropout: (c) => Dropout.fromConfig(c) } });
  const meta = metadata as { normalizer: unknown; classes: string[]; featureNames: string[]; labelName: string };
  const csv = parseCsvText(csvText, { label: meta.labelName, labelType: "class" });
  expect(csv.featureNames).toEqual(meta.featureNames);
  const x = scalerFromJSON(meta.normalizer).transform(csv.x);
  model.eval();
  return noGrad(() => {
    const out = model.forward(x);
    const k = meta.classes.length;
    if (k === 2) {
      const p = sigmoid(out).data;
      return { names: Array.from(predictBinary(out, { from: "logits" }).data, (i) => meta.classes[i]!), probs: Array.from(p, (v) => [1 - v, v]) };
    }
    const p = softmax(out, -1).data;
    return {
      names: Array.from(predictClass(out).data, (i) => meta.classes[i]!),
      probs: Array.from({ length: out.shape[0]! }, (_, i) => Array.from(p.subarray(i * k, (i + 1) * k))),
    };
  });
}

describe.each([
  ["binary, JSON model", "model.json", "binary"],
  ["binary, safetensors model", "model.safetensors", "binary"],
  ["3 classes with names, JSON model", "model.json", "multiclass"],
])("save → eval → predict (%s)", (_name, modelFile, kind) => {
  let dir: string;
  let trained: TrainJson;
  let dataHash: string;

  beforeAll(async () => {
    dir = tempDir();
    // The data file: moons (labels "0"/"1"), or 3-arm spirals with class names in the middle column.
    if (kind === "binary") {
      const { x, y } = makeMoons({ samples: 500, noise: 0.2, rng: 5 });
      writeFileSync(join(dir, "data.csv"), toCsv(x, y, { featureNames: ["a", "b"], labelName: "target" }));
    } else {
      const { x, y } = makeSpirals({ samples: 450, classes: 3, noise: 0.1, rng: 5 });
      const names = ["red", "green", "blue"];
      const rows = ["u,kind,v", ...Array.from({ length: 450 }, (_, i) => `${x.data[2 * i]},${names[y.data[i]!]},${x.data[2 * i + 1]}`)];
      writeFileSync(join(dir, "data.csv"), `${rows.join("\n")}\n`);
    }
    dataHash = sha256(join(dir, "data.csv"));
    const label = kind === "binary" ? "target" : "kind";
    const layers = kind === "binary" ? "16,16" : "32,32";
    ({ json: trained } = await honeJson<TrainJson>(["train", "--data", "data.csv", "--label", label, "--layers", layers, "--epochs", "60", "--seed", "7", "--save", modelFile], { cwd: dir }));
    const split = await hone(["split", "data.csv", "--label", label, "--ratios", "60/20/20", "--seed", "7", "--out", "parts"], { cwd: dir });
    expect(split.code).toBe(0);
  });

  it("leaves the data file unchanged", () => {
    expect(sha256(join(dir, "data.csv"))).toBe(dataHash);
  });

  it("hone split picks the rows hone train used (same seed and ratios)", () => {
    const count = (f: string): number => readFileSync(join(dir, "parts", f), "utf8").trim().split("\n").length - 1;
    expect([count("train.csv"), count("dev.csv"), count("test.csv")]).toEqual([trained.split.train, trained.split.dev, trained.split.test]);
  });

  it("eval on the dev rows reports the accuracy and loss train reported for dev", async () => {
    const { json } = await honeJson<EvalJson>(["eval", "--model", modelFile, "--data", "parts/dev.csv"], { cwd: dir });
    expect(json.rows).toBe(trained.metrics.dev.rows);
    expect(json.accuracy).toBe(trained.metrics.dev.accuracy);
    // Same rows and weights; CSV round-trips float64 exactly, so the loss agrees to rounding.
    expect(json.loss).toBeCloseTo(trained.metrics.dev.loss, 12);
    // The confusion matrix counts every row once, its diagonal the correct ones.
    const total = json.confusion.flat().reduce((a, b) => a + b, 0);
    const diagonal = json.confusion.reduce((a, row, i) => a + row[i]!, 0);
    expect(total).toBe(json.rows);
    expect(diagonal / total).toBe(json.accuracy);
  });

  it("eval on the test rows matches train's test metrics", async () => {
    const { json } = await honeJson<EvalJson>(["eval", "--model", modelFile, "--data", "parts/test.csv"], { cwd: dir });
    expect(json.accuracy).toBe(trained.metrics.test.accuracy);
    expect(json.loss).toBeCloseTo(trained.metrics.test.loss, 12);
  });

  it("predict writes the library's predictions and probabilities", async () => {
    const before = sha256(join(dir, "parts", "test.csv"));
    const modelHash = sha256(join(dir, modelFile));
    const run = await hone(["predict", "--model", modelFile, "--input", "parts/test.csv", "--out", "preds.csv"], { cwd: dir });
    expect(run.code).toBe(0);
    expect(sha256(join(dir, "parts", "test.csv"))).toBe(before);
    expect(sha256(join(dir, modelFile))).toBe(modelHash);
    const expected = libraryPredict(join(dir, modelFile), readFileSync(join(dir, "parts", "test.csv"), "utf8"));
    const { header, rows } = readSimpleCsv(readFileSync(join(dir, "preds.csv"), "utf8"));
    const at = header.indexOf("prediction");
    expect(at).toBeGreaterThan(0);
    expect(rows.map((r) => r[at])).toEqual(expected.names);
    const probs = rows.map((r) => r.slice(at + 1).map(Number));
    probs.forEach((p, i) => p.forEach((v, j) => expect(v).toBeCloseTo(expected.probs[i]![j]!, 14)));
  });

  it("predict reads rows without the label column and prints CSV on stdout", async () => {
    const test = parseCsvText(readFileSync(join(dir, "parts", "test.csv"), "utf8"), { label: kind === "binary" ? "target" : "kind", labelType: "class" });
    const names = test.featureNames;
    const lines = [names.join(","), ...Array.from({ length: test.x.shape[0]! }, (_, i) => names.map((_n, j) => String(test.x.data[i * names.length + j])).join(","))];
    writeFileSync(join(dir, "features.csv"), `${lines.join("\n")}\n`);
    const run = await hone(["predict", "--model", modelFile, "--input", "features.csv"], { cwd: dir });
    expect(run.code).toBe(0);
    const { header, rows } = readSimpleCsv(run.stdout);
    const at = header.indexOf("prediction");
    const expected = libraryPredict(join(dir, modelFile), readFileSync(join(dir, "parts", "test.csv"), "utf8"));
    expect(rows.map((r) => r[at])).toEqual(expected.names);
  });

  it("predict --json prints the predictions as one document", async () => {
    const { json } = await honeJson<{ rows: number; predictions: string[]; probabilities: number[][] }>(["predict", "--model", modelFile, "--input", "parts/dev.csv"], { cwd: dir });
    expect(json.rows).toBe(trained.metrics.dev.rows);
    expect(json.predictions).toEqual(libraryPredict(join(dir, modelFile), readFileSync(join(dir, "parts", "dev.csv"), "utf8")).names);
    for (const p of json.probabilities) expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it("--save and --out refuse to overwrite without --force, and never write over an input", async () => {
    const modelHash = sha256(join(dir, modelFile));
    const again = await hone(["train", "--data", "data.csv", "--label", kind === "binary" ? "target" : "kind", "--epochs", "1", "--save", modelFile], { cwd: dir });
    expect(again.code).not.toBe(0);
    expect(again.stderr).toMatch(/^hone: --save ".*" already exists; pass --force to overwrite it\n$/);
    expect(sha256(join(dir, modelFile))).toBe(modelHash);

    const predsHash = sha256(join(dir, "preds.csv"));
    const out = await hone(["predict", "--model", modelFile, "--input", "parts/test.csv", "--out", "preds.csv"], { cwd: dir });
    expect(out.code).not.toBe(0);
    expect(out.stderr).toContain("already exists; pass --force");
    expect(sha256(join(dir, "preds.csv"))).toBe(predsHash);

    const inputHash = sha256(join(dir, "parts", "test.csv"));
    const onto = await hone(["predict", "--model", modelFile, "--input", "parts/test.csv", "--out", "parts/test.csv", "--force"], { cwd: dir });
    expect(onto.code).not.toBe(0);
    expect(onto.stderr).toContain("is an input file");
    expect(sha256(join(dir, "parts", "test.csv"))).toBe(inputHash);

    const forced = await hone(["train", "--data", "data.csv", "--label", kind === "binary" ? "target" : "kind", "--epochs", "1", "--save", modelFile, "--force"], { cwd: dir });
    expect(forced.code).toBe(0);
    expect(sha256(join(dir, modelFile))).not.toBe(modelHash);
  });
});

describe("a model trained with dropout loads and predicts (dropout is off at inference)", () => {
  it("saves Dropout layers and predicts deterministically", async () => {
    const dir = tempDir();
    const { x, y } = makeMoons({ samples: 300, noise: 0.2, rng: 2 });
    writeFileSync(join(dir, "data.csv"), toCsv(x, y));
    await honeJson(["train", "--data", "data.csv", "--keep-prob", "0.7,0.9", "--epochs", "10", "--save", "m.json"], { cwd: dir });
    const saved = JSON.parse(readFileSync(join(dir, "m.json"), "utf8")) as { architecture: unknown };
    expect(JSON.stringify(saved.architecture)).toContain('"Dropout"');
    const a = await hone(["predict", "--model", "m.json", "--input", "data.csv"], { cwd: dir });
    const b = await hone(["predict", "--model", "m.json", "--input", "data.csv"], { cwd: dir });
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    const expected = libraryPredict(join(dir, "m.json"), readFileSync(join(dir, "data.csv"), "utf8"));
    const { header, rows } = readSimpleCsv(a.stdout);
    expect(rows.map((r) => r[header.indexOf("prediction")])).toEqual(expected.names);
  });
});
