// Bad input: every case exits non-zero with one line `hone: <reason>` on stderr (no stack
// trace), prints nothing on stdout, and leaves every file it was given byte for byte as it was.
import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { hone, sha256, tempDir } from "./helpers.js";

let dir: string;
const files: Record<string, string> = {
  "good.csv": "x1,x2,label\n0.1,0.2,a\n0.3,0.1,b\n0.5,0.9,a\n0.2,0.4,b\n0.9,0.8,a\n0.7,0.3,b\n0.15,0.25,a\n0.35,0.15,b\n0.55,0.95,a\n0.25,0.45,b\n",
  "bad-cell.csv": "x1,x2,label\n0.1,0.2,a\n0.3,1e309,b\n0.5,0.9,a\n",
  "ragged.csv": "x1,x2,label\n0.1,0.2,a\n0.3,0.1\n",
  "one-class.csv": "x1,x2,label\n0.1,0.2,a\n0.3,0.1,a\n0.5,0.9,a\n",
  "unterminated.csv": 'x1,x2,label\n0.1,0.2,"a\n',
  "model.json": '{"format":"hone.model","version":1,"architecture":{"type":"Sequential"',
  "model.txt": "not a model",
  "exists.json": "keep me\n",
};

beforeAll(() => {
  dir = tempDir();
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
});

const cases: [string, string[], RegExp][] = [
  ["an unknown flag", ["train", "--learning-rate", "0.1"], /unknown option '--learning-rate'/],
  ["an unknown command", ["fly"], /unknown command 'fly'/],
  ["an extra argument", ["train", "moons"], /too many arguments for 'train'/],
  ["a negative learning rate", ["train", "--lr", "-1"], /--lr must be a number > 0, got "-1"/],
  ["a learning rate that is not a number", ["train", "--lr", "fast"], /--lr must be a number > 0, got "fast"/],
  ["ratios that do not add up", ["train", "--split", "50/20"], /--split must be three positive percentages adding up to 100.*got "50\/20"/],
  ["ratios adding to 90", ["train", "--split", "50/20/20"], /--split must be three positive percentages adding up to 100.*got "50\/20\/20" \(these add up to 90\)/],
  ["a keep-prob above 1", ["train", "--keep-prob", "1.5"], /--keep-prob must be a probability in \(0, 1\].*got "1.5"/],
  ["a keep-prob of 0", ["train", "--keep-prob", "0"], /--keep-prob must be a probability in \(0, 1\]/],
  ["keep-probs for the wrong number of layers", ["train", "--layers", "8,8", "--keep-prob", "1,0.5,0.7"], /--keep-prob lists 3 probabilities but the network has 2 hidden layers/],
  ["a bad layer list", ["train", "--layers", "20,,3"], /--layers must be comma-separated positive integers/],
  ["zero epochs", ["train", "--epochs", "0"], /--epochs must be an integer in \[1, 10000000\], got "0"/],
  ["a fractional batch size", ["train", "--batch-size", "6.5"], /--batch-size must be a positive integer or "full"/],
  ["an unknown activation", ["train", "--activation", "swish"], /--activation must be one of relu, tanh, sigmoid, leaky-relu, got "swish"/],
  ["an unknown optimizer", ["train", "--optimizer", "lbfgs"], /--optimizer must be one of gd, momentum, rmsprop, adam, adamw/],
  ["beta on plain gradient descent", ["train", "--optimizer", "gd", "--beta", "0.9"], /--beta does not apply to --optimizer gd/],
  ["a seed out of range", ["train", "--seed", "-3"], /--seed must be an integer in \[0, 4294967295\]/],
  ["an unknown data set", ["train", "--data", "mooons"], /--data must be a built-in data set \(moons, circles, spirals, blobs, digits\) or a CSV file, got "mooons"/],
  ["a missing data file", ["train", "--data", "missing.csv"], /cannot read data file "missing.csv": no such file/],
  ["a CSV cell beyond float64", ["train", "--data", "bad-cell.csv"], /line 3, column "x2": "1e309" is beyond float64's range/],
  ["a ragged CSV row", ["train", "--data", "ragged.csv"], /line 3 has 2 fields, expected 3/],
  ["an unterminated quote", ["train", "--data", "unterminated.csv"], /line 2: a quoted field is never closed/],
  ["a missing label column", ["train", "--data", "good.csv", "--label", "species"], /no label column "species"; the columns are "x1", "x2", "label"/],
  ["a single class", ["train", "--data", "one-class.csv"], /has 1 class \("a"\); a classifier needs at least 2/],
  ["--noise with a file", ["train", "--data", "good.csv", "--noise", "0.1"], /--noise applies to the generated data sets \(moons, circles, spirals, blobs\), not to the file "good.csv"/],
  ["an existing --save file", ["train", "--epochs", "1", "--save", "exists.json"], /--save "exists.json" already exists; pass --force to overwrite it/],
  ["a --save file of unknown format", ["train", "--epochs", "1", "--save", "model.bin"], /--save "model.bin" must end in .json .* or .safetensors/],
  ["--save onto the data file", ["train", "--data", "good.csv", "--save", "good.csv", "--force"], /must end in .json|is an input file/],
  ["a truncated model file", ["eval", "--model", "model.json", "--data", "good.csv"], /loadModel: the text is not valid JSON/],
  ["a model file of unknown type", ["eval", "--model", "model.txt", "--data", "good.csv"], /--model .*must end in .json/],
  ["eval without --model", ["eval", "--data", "good.csv"], /eval needs --model <file>/],
  ["predict without --input", ["predict", "--model", "model.json"], /predict needs --input <file.csv>/],
  ["an error rate above 1", ["diagnose", "--train-error", "2", "--dev-error", "0.1"], /--train-error must be a number in \[0, 1\], got "2"/],
  ["diagnose without --dev-error", ["diagnose", "--train-error", "0.1"], /diagnose needs --dev-error/],
  ["split without --out", ["split", "good.csv"], /split needs --out <dir>/],
  ["split with bad ratios", ["split", "good.csv", "--ratios", "98/1", "--out", "parts"], /--ratios must be three positive percentages/],
  ["split of a malformed file", ["split", "bad-cell.csv", "--out", "parts"], /line 3, column "x2": "1e309" is beyond float64's range/],
  ["gradcheck in float32", ["gradcheck", "--dtype", "float32"], /float32/],
];

describe("bad input exits non-zero with a one-line reason and changes no file", () => {
  it.each(cases)("%s", async (_name, args, message) => {
    const before = Object.fromEntries(Object.keys(files).map((f) => [f, sha256(join(dir, f))]));
    const listing = readdirSync(dir).sort();
    const run = await hone(args, { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/^hone: [^\n]+\n$/);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    for (const f of Object.keys(files)) expect(sha256(join(dir, f)), f).toBe(before[f]);
    // No output file appeared either.
    expect(readdirSync(dir).sort()).toEqual(listing);
  });

  it("a diverging run exits 1 with the epoch, the batch and what to change", async () => {
    const run = await hone(["train", "--optimizer", "momentum", "--lr", "1e300", "--epochs", "3", "--json"], { cwd: dir });
    expect(run.code).toBe(1);
    // With --json, the failure is also the one JSON document on stdout.
    expect(JSON.parse(run.stdout)).toMatchObject({ error: { code: "run-failure", exit: 1, message: expect.stringMatching(/^training diverged/) as unknown } });
    expect(run.stderr).toMatch(/^hone: training diverged: the loss is (NaN|-?Infinity) at epoch 0, batch \d+; .*Lower --lr \(now 1e\+300\), add --clip-norm, or check the data\n$/);
  });

  it("hone with no command prints the help on stderr and exits 2", async () => {
    const run = await hone([], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("Usage: hone");
  });

  it("--json turns an error into one JSON document on stdout, and the same line on stderr", async () => {
    const run = await hone(["train", "--lr", "-1", "--json"], { cwd: dir });
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout)).toEqual({ error: { message: '--lr must be a number > 0, got "-1"', flag: "--lr", code: "usage-error", exit: 2 } });
    expect(run.stderr).toMatch(/^hone: --lr must be a number > 0/);
  });
});
