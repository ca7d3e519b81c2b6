// The playground's training run in Node: seeded and repeatable, fast enough on moons, and
// the behaviours the playground page tells readers to try really happen.
import { describe, expect, it } from "vitest";
import { ConfigError, checkConfig, defaultConfig, parseHidden, type PlaygroundConfig } from "./config.js";
import { boundaryPixels, costChart } from "./draw.js";
import { GRID, Trainer } from "./trainer.js";

function run(over: Partial<PlaygroundConfig>, epochs: number): { trainer: Trainer; log: ReturnType<Trainer["step"]>[] } {
  const trainer = new Trainer({ ...defaultConfig(), ...over });
  const log = [trainer.last];
  for (let e = 0; e < epochs; e++) log.push(trainer.step());
  return { trainer, log };
}

describe("Trainer", () => {
  it("repeats a run exactly for the same seed, and another seed gives another run", () => {
    const a = run({}, 5).log, b = run({}, 5).log, c = run({ seed: 2 }, 5).log;
    expect(b).toEqual(a);
    expect(c[5]!.trainCost).not.toBe(a[5]!.trainCost);
  });

  it("splits 70/30, and the boundary is a grid of probabilities over the classes", () => {
    const { trainer } = run({ dataset: "spirals", classes: 3, samples: 300 }, 2);
    expect(trainer.sizes).toEqual({ train: 210, dev: 90 });
    const grid = trainer.boundary();
    expect([grid.nx, grid.ny, grid.probs.length]).toEqual([GRID, GRID, GRID * GRID * 3]);
    for (let i = 0; i < GRID * GRID; i += 97) expect(grid.probs[3 * i]! + grid.probs[3 * i + 1]! + grid.probs[3 * i + 2]!).toBeCloseTo(1, 5);
    expect(trainer.points.xy.length).toBe(600);
    expect(trainer.points.role.reduce((n, r) => n + r, 0)).toBe(90);
  });

  it("reaches 90% dev accuracy on the default moons within 30 epochs", () => {
    const { log } = run({}, 30);
    expect(log.findIndex((p) => p.devAccuracy >= 0.9)).toBeGreaterThan(0);
  });

  // The page's "things to try", checked at the numbers it gives.
  it("overfits noisy moons with big layers; L2 λ = 1 and keepProb 0.5 keep the dev cost down", () => {
    const base = { noise: 0.3, samples: 200, hidden: [64, 64] };
    const plain = run(base, 300).log;
    const devMin = Math.min(...plain.map((p) => p.devCost));
    expect(plain[300]!.trainAccuracy).toBeGreaterThan(0.95);
    expect(plain[300]!.devCost).toBeGreaterThan(1.5 * devMin);
    const withL2 = run({ ...base, l2: 1 }, 300).log;
    const withDropout = run({ ...base, keepProb: 0.5 }, 300).log;
    expect(withL2[300]!.devCost).toBeLessThan(0.6 * plain[300]!.devCost);
    expect(withDropout[300]!.devCost).toBeLessThan(0.8 * plain[300]!.devCost);
  });

  it("tiny weights stall gradient descent where He learns; large start huge; zeros learn nothing", () => {
    const sgd3: Partial<PlaygroundConfig> = { optimizer: "sgd", lr: 0.1, hidden: [16, 16, 16] };
    expect(run({ ...sgd3, init: "tiny" }, 100).log[100]!.trainCost).toBeCloseTo(0.693, 2);
    expect(run({ ...sgd3, init: "he" }, 100).log[100]!.trainCost).toBeLessThan(0.3);
    expect(run({ init: "large" }, 0).log[0]!.trainCost).toBeGreaterThan(1000);
    const zeros = run({ init: "zeros" }, 100).log[100]!;
    expect(zeros.trainCost).toBeCloseTo(0.693, 2);
    expect(zeros.devAccuracy).toBe(0.5);
  });

  it("gradient descent at 0.01 needs about 200 epochs for 90% dev accuracy, Adam about ten", () => {
    const first = (log: { devAccuracy: number }[]): number => log.findIndex((p) => p.devAccuracy >= 0.9);
    const gd = first(run({ optimizer: "sgd", lr: 0.01 }, 300).log);
    expect(gd).toBeGreaterThan(100);
    expect(gd).toBeLessThan(300);
    expect(first(run({}, 30).log)).toBeLessThanOrEqual(20);
  });
});

describe("config", () => {
  it("reads hidden sizes and rejects what is not one", () => {
    expect(parseHidden("16, 8")).toEqual([16, 8]);
    expect(parseHidden(" 4 4;4 ")).toEqual([4, 4, 4]);
    expect(parseHidden("")).toEqual([]);
    expect(() => parseHidden("16, x")).toThrow(ConfigError);
    expect(() => parseHidden("0")).toThrow(/integer from 1 to 256, got "0"/);
  });

  it("checks every field and names the bad one", () => {
    expect(checkConfig(defaultConfig())).toEqual(defaultConfig());
    expect(() => checkConfig({ ...defaultConfig(), keepProb: 0 })).toThrow("keepProb must be in [0.05, 1], got 0");
    expect(() => checkConfig({ ...defaultConfig(), dataset: "blobs" as never })).toThrow(/dataset must be one of moons, circles, spirals/);
  });
});

describe("drawing", () => {
  it("fades the heat map to white at chance and colors it by the likelier class", () => {
    const px = boundaryPixels({ nx: 3, ny: 1, probs: Float32Array.from([0.5, 0.5, 1, 0, 0, 1]) }, 2);
    expect(Array.from(px.subarray(0, 4))).toEqual([255, 255, 255, 255]);
    expect(px[4]!).toBeGreaterThan(px[6]!); // orange: more red than blue
    expect(px[10]!).toBeGreaterThan(px[8]!); // blue
  });

  it("draws the cost curves through every epoch, clipping a huge start", () => {
    const train = [1000, 0.7, 0.5, 0.4, 0.35, 0.3, 0.28, 0.27, 0.26, 0.25, 0.24];
    const c = costChart(train, train.map((v) => v * 1.1), 100, 50);
    expect(c.train.split(/[ML]/).filter((s) => s !== "")).toHaveLength(11);
    expect(c.yMax).toBeCloseTo(0.77 * 1.08, 10);
    expect(c.train.startsWith("M0.0,0.0")).toBe(true);
    expect(c.train.endsWith("L100.0,35.6")).toBe(true);
  });
});
