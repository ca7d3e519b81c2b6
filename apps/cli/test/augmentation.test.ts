// `hone experiment augmentation`: the same CNN on 300 training digits with and without random
// one-pixel shifts, seeded. The bar (issue 22): lower dev error with augmentation at the same
// training size. Each run must also be exactly `hone train` with the flags the experiment prints.
import { describe, expect, it } from "vitest";
import { hone, honeJson } from "./helpers.js";

interface Run { seed: number; trainError: number; devError: number }
interface Variant { name: string; augment: string | null; trainError: number; devError: number; variance: number; runs: Run[] }
interface Result { flags: string[]; trainRows: number; devRows: number; variants: [Variant, Variant]; varianceReduction: number; devErrorReduction: number; seedsImproved: number }

describe("hone experiment augmentation", () => {
  it("lowers the dev error and the variance at the same 300 training images, on every seed", async () => {
    const { json } = await honeJson<Result>(["experiment", "augmentation", "--seeds", "2"]);
    expect(json.trainRows).toBe(300);
    expect(json.devRows).toBe(359);
    const [plain, shifted] = json.variants;
    expect(plain.augment).toBeNull();
    expect(shifted.augment).toBe("shift:1");
    // Without augmentation the network memorizes its 300 images: the dev error is the variance.
    expect(plain.trainError).toBe(0);
    expect(shifted.devError).toBeLessThan(plain.devError);
    expect(json.seedsImproved).toBe(2);
    expect(json.devErrorReduction).toBeCloseTo(plain.devError - shifted.devError, 12);
    expect(json.varianceReduction).toBeGreaterThan(0);
    // A whole dev image is 1/359: the errors are counts of misclassified dev images.
    for (const v of json.variants) for (const r of v.runs) expect(r.devError * 359).toBeCloseTo(Math.round(r.devError * 359), 9);
    // Seed 2 without augmentation is `hone train` with the printed flags.
    const { json: train } = await honeJson<{ metrics: { dev: { error: number } } }>(["train", ...json.flags, "--seed", "2"]);
    expect(train.metrics.dev.error).toBe(plain.runs[1]!.devError);
  });

  it("refuses flags that do not apply", async () => {
    const run = await hone(["experiment", "augmentation", "--report", "r.html"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--report does not apply to experiment augmentation/);
    const seeds = await hone(["experiment", "initialization", "--seeds", "3"]);
    expect(seeds.code).toBe(2);
    expect(seeds.stderr).toMatch(/--seeds applies to experiment augmentation only/);
  });
});
