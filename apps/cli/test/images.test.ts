// Images from the command line: the built-in digits (scikit-learn's 8×8 UCI digits, 1797 rows),
// convolution blocks with --conv, image augmentations, and the report's grid of misclassified
// dev digits. The refusals name the flag, what it needs and what it got.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { hone, honeJson, tempDir } from "./helpers.js";

interface Metrics { rows: number; accuracy: number; error: number }
interface DigitsJson {
  config: { data: Record<string, unknown>; model: { hidden: number[]; conv?: number[] }; normalize?: string };
  split: { train: number; dev: number; test: number };
  metrics: { train: Metrics; dev: Metrics; test: Metrics };
  model: { sizes: number[]; conv?: number[]; image?: number[]; parameters: number };
}

describe("hone train --data digits", () => {
  it("trains a small CNN to ≥ 95% test accuracy in 30 epochs and reports the network it built", async () => {
    const dir = tempDir();
    const { run, json } = await honeJson<DigitsJson>(["train", "--data", "digits", "--conv", "8,16", "--epochs", "30", "--report", "r.html"], { cwd: dir });
    // 1797 rows at 60/20/20: dev and test get round(1797 · 0.2) = 359 each, train the rest.
    expect(json.split).toEqual({ train: 1079, dev: 359, test: 359 });
    // Reference: scikit-learn's digits are ~97% with a logistic regression or an MLP
    // (its documentation's examples); a two-block CNN must reach at least 95%.
    expect(json.metrics.test.accuracy).toBeGreaterThanOrEqual(0.95);
    expect(json.model.image).toEqual([8, 8, 1]);
    expect(json.model.conv).toEqual([8, 16]);
    // Hand count: conv 1→8 (3·3·1·8 + 8 = 80), conv 8→16 (3·3·8·16 + 16 = 1168); two 2×2 poolings
    // leave 2×2×16 = 64 features; dense 64→10 (640 + 10 = 650). 80 + 1168 + 650 = 1898.
    expect(json.model.parameters).toBe(1898);
    expect(json.model.sizes).toEqual([64, 10]);
    expect(run.stderr).toBe("");

    // The report shows the misclassified dev digits, one figure (an 8×8 SVG) each.
    const html = readFileSync(join(dir, "r.html"), "utf8");
    const section = html.slice(html.indexOf('id="misclassified"'));
    const wrong = Math.round(json.metrics.dev.error * json.metrics.dev.rows);
    expect(wrong).toBeGreaterThan(0);
    const figures = section.match(/<figure>/g) ?? [];
    expect(figures.length).toBe(Math.min(wrong, 60));
    expect(html).toContain(`${wrong} of the ${json.metrics.dev.rows} dev images are misclassified`);
    // Each figure is an 8×8 SVG: a white background and one grey square per inked pixel.
    const first = section.slice(0, section.indexOf("</figure>"));
    expect(first).toContain('viewBox="0 0 8 8"');
    const rects = (first.match(/<rect/g) ?? []).length;
    expect(rects).toBeGreaterThan(10);
    expect(rects).toBeLessThanOrEqual(65);
  });

  it("prints the network as image → convolutions → dense in the header", async () => {
    const run = await hone(["train", "--data", "digits", "--conv", "4", "--layers", "12", "--epochs", "1"]);
    expect(run.code).toBe(0);
    // One block: 8×8 → pooled 4×4×4 = 64 features, then the dense 12 and the 10 classes.
    expect(run.stdout).toContain("network 8×8×1→conv 4→64→12→10 relu");
  });

  it("without --conv, trains a dense network on the 64 pixels, which are not standardized", async () => {
    const { json } = await honeJson<DigitsJson>(["train", "--data", "digits", "--epochs", "5"]);
    expect(json.model.sizes).toEqual([64, 16, 16, 10]);
    expect(json.model.conv).toBeUndefined();
  });

  it("augments training batches with image transforms", async () => {
    const { json } = await honeJson<DigitsJson & { config: { regularization: { augment?: unknown } } }>(
      ["train", "--data", "digits", "--conv", "4", "--epochs", "3", "--augment", "shift:1,rotate:5,noise:0.05"]);
    expect(JSON.stringify(json.config)).toContain("shift");
    expect(json.metrics.train.accuracy).toBeGreaterThan(0.5);
  });
});

describe("image flags are refused where they do not apply", () => {
  const cases: [string, string[], RegExp][] = [
    ["--conv on a table", ["train", "--conv", "8"], /--conv needs images \(--data digits\); --data moons is a table of features, for --layers/],
    ["--samples on digits", ["train", "--data", "digits", "--samples", "100"], /--samples applies to the generated data sets \(moons, circles, spirals, blobs\); --data digits is a fixed set of 1,797 images/],
    ["--noise on digits", ["train", "--data", "digits", "--noise", "0.1"], /--noise applies to the generated data sets/],
    ["an image transform on a table", ["train", "--augment", "rotate:10"], /--augment rotate:10 transforms images \(--data digits\); --data moons is a table of features/],
    ["too many blocks", ["train", "--data", "digits", "--conv", "8,8,8,8"], /--conv 8,8,8,8 has 4 blocks, but 8×8 images have room for 3/],
    ["a channel count that is not a positive integer", ["train", "--data", "digits", "--conv", "8,0"], /--conv must be comma-separated positive integers like "8,16", got "8,0"/],
  ];
  for (const [name, args, message] of cases) {
    it(name, async () => {
      const run = await hone(args);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe("");
      expect(run.stderr).toMatch(/^hone: [^\n]+\n$/);
      expect(run.stderr).toMatch(message);
    });
  }
});
