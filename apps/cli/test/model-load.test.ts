// Model files that must not load: a model with a NaN or infinite weight (it would predict
// NaN for every row and exit 0), and a .json file that is not valid JSON (reported as
// such, with the line and column, not as a broken safetensors file). Each is refused with
// exit code 2 and one line naming the file and the problem.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { makeMoons, toCsv } from "@hone/data-split";
import { readSafetensors, writeSafetensors } from "@hone/nn";
import { hone, tempDir } from "./helpers.js";

let dir: string;

beforeAll(async () => {
  dir = tempDir();
  const { x, y } = makeMoons({ samples: 60, noise: 0.2, rng: 3 });
  writeFileSync(join(dir, "data.csv"), toCsv(x, y, { featureNames: ["a", "b"], labelName: "target" }));
  writeFileSync(join(dir, "input.csv"), "a,b\n0.5,0.25\n-1,1\n");
  for (const file of ["model.json", "model.safetensors"]) {
    const run = await hone(["train", "--data", "data.csv", "--label", "target", "--layers", "4", "--epochs", "2", "--seed", "1", "--save", file], { cwd: dir });
    expect(run.code, run.stderr).toBe(0);
  }
});

describe("a model file with non-finite weights", () => {
  it("a NaN weight in a JSON model: predict exits 2 naming the tensor, and writes no predictions", async () => {
    const file = JSON.parse(readFileSync(join(dir, "model.json"), "utf8")) as { parameters: Record<string, { data: unknown[] }> };
    file.parameters["layers.0.weight"]!.data[2] = "NaN";
    writeFileSync(join(dir, "nan.json"), JSON.stringify(file));
    const run = await hone(["predict", "--model", "nan.json", "--input", "input.csv"], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/^hone: "nan\.json" is not a usable model file: loadModel: parameter 'layers\.0\.weight' holds NaN at index 2 of shape \[4, ?2\]; .*did training diverge\?.*retrain it/);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("an infinite weight in a safetensors model: eval exits 2 naming the tensor", async () => {
    const saved = readSafetensors(readFileSync(join(dir, "model.safetensors")));
    saved.tensors["layers.2.bias"]!.data[0] = -Infinity;
    writeFileSync(join(dir, "inf.safetensors"), writeSafetensors(saved.tensors, saved.metadata));
    const run = await hone(["eval", "--model", "inf.safetensors", "--data", "data.csv"], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^hone: "inf\.safetensors" is not a usable model file: loadModel: parameter 'layers\.2\.bias' holds -Infinity at index 0/);
  });
});

describe("a .json model file that is not valid JSON", () => {
  it.each([
    ["text that is not JSON", "hello, this is\nnot a model\n", /not valid JSON at line 1, column 1 \(/],
    ["a truncated file", null, /not valid JSON at the end of the text \(line \d+\) \(/],
    ["a syntax error on line 2", '{"format": "hone.model",\n  "version": 1,,\n}', /not valid JSON at line 2, column 16 \(/],
  ])("%s: predict exits 2 and says invalid JSON with the position, not safetensors", async (_name, content, message) => {
    const text = content ?? readFileSync(join(dir, "model.json"), "utf8").slice(0, 300);
    writeFileSync(join(dir, "broken.json"), text);
    const run = await hone(["predict", "--model", "broken.json", "--input", "input.csv"], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^hone: "broken\.json" is not a usable model file: loadModel: the text is not valid JSON/);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/safetensors/);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("a .json file of bytes that are not UTF-8 is refused as not text", async () => {
    writeFileSync(join(dir, "binary.json"), readFileSync(join(dir, "model.safetensors")));
    const run = await hone(["predict", "--model", "binary.json", "--input", "input.csv"], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^hone: "binary\.json" is (not UTF-8 text, so not a Hone JSON model file|not a usable model file: loadModel: the text is not valid JSON at line 1, column 1)/);
  });
});
