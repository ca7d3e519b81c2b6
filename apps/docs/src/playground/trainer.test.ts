// The playground's training run in Node: seeded and repeatable, fast enough on moons, and
// the behaviours the playground page tells readers to try really happen.
import { circlesBayesError, moonsBayesError, spiralsBayesError, wilsonInterval } from "@hone/data-split";
import { describe, expect, it } from "vitest";
import { ConfigError, checkConfig, defaultConfig, parseHidden, type PlaygroundConfig } from "./config.js";
import { formatInterval, formatRate } from "./controller.js";
import { boundaryPixels, costChart } from "./draw.js";
import { GRID, NETWORK_UNITS, Trainer } from "./trainer.js";

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

  it("gives the network view every layer's size and the weights between the drawn units, as the model holds them", () => {
    const { trainer } = run({ hidden: [4, 3] }, 3);
    const net = trainer.network();
    expect(net.sizes).toEqual([2, 4, 3, 1]);
    expect(net.shown).toEqual([2, 4, 3, 1]);
    // 2·4 + 4·3 + 3·1 = 23 connections, each weight W[out][in] of its Linear layer.
    const w = trainer.model.namedParameters().filter(([name]) => name.endsWith(".weight")).map(([, p]) => p.toArray() as number[][]);
    expect(net.weights).toEqual(w.map((m) => m.flat()));
    expect(net.weights.map((x) => x.length)).toEqual([8, 12, 3]);
    // A wide layer: its first NETWORK_UNITS units, the rest counted by the page.
    const wide = run({ hidden: [40] }, 0).trainer;
    const cut = wide.network();
    expect(cut.sizes).toEqual([2, 40, 1]);
    expect(cut.shown).toEqual([2, NETWORK_UNITS, 1]);
    const w1 = wide.model.namedParameters()[0]![1].toArray() as number[][], w2 = wide.model.namedParameters()[2]![1].toArray() as number[][];
    expect(cut.weights[0]).toEqual(w1.slice(0, NETWORK_UNITS).flat());
    expect(cut.weights[1]).toEqual(w2[0]!.slice(0, NETWORK_UNITS));
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

  it("diagnoses against the generator's Bayes error, with the Wilson intervals of the error counts", () => {
    const { trainer } = run({}, 30);
    // moons at noise 0.2, 200 rows per class: equal priors. References: a scipy quadrature
    // (0.0289566, in packages/data-split's bayes-error.test.ts) and issue 16's ≈ 2.9%.
    const bayes = moonsBayesError({ noise: 0.2 });
    expect(trainer.baseError).toEqual({ value: bayes, low: bayes, high: bayes, label: "Bayes error of moons at noise 0.2" });
    expect(Math.abs(trainer.baseError.value - 0.0289566)).toBeLessThan(1e-4);
    const d = trainer.diagnosis()!;
    expect(d.baseError).toMatchObject({ value: trainer.baseError.value, low: trainer.baseError.value, high: trainer.baseError.value, source: "dataset" });
    for (const [shown, accuracy, n] of [[d.trainError, trainer.last.trainAccuracy, 280], [d.devError, trainer.last.devAccuracy, 120]] as const) {
      const errors = (1 - accuracy) * n;
      expect(Math.abs(errors - Math.round(errors))).toBeLessThan(1e-9); // an accuracy is a count over n
      expect(shown).toEqual(wilsonInterval(Math.round(errors), n));
    }
    expect(d.avoidableBias.value).toBeCloseTo(d.trainError.value - trainer.baseError.value, 15);
    expect(d.variance.value).toBeCloseTo(d.devError.value - d.trainError.value, 15);

    expect(new Trainer({ ...defaultConfig(), noise: 0.3 }).baseError.value).toBe(moonsBayesError({ noise: 0.3 }));
    const circles = new Trainer({ ...defaultConfig(), dataset: "circles", noise: 0.1 });
    const ring = circlesBayesError({ noise: 0.1, factor: 0.5 });
    expect(circles.baseError).toEqual({ value: ring, low: ring, high: ring, label: "Bayes error of circles (factor 0.5) at noise 0.1" });
    // 400 rows in 3 arms are 134/133/133: the priors are the class sizes.
    const spirals = new Trainer({ ...defaultConfig(), dataset: "spirals", classes: 3 });
    expect(spirals.baseError.label).toBe("Bayes error of spirals (3 arms) at noise 0.2");
    expect(spirals.baseError.value).toBeCloseTo(spiralsBayesError({ noise: 0.2, classes: 3 }), 7);
  });

  // The page's "bias and variance" item, at the numbers it gives.
  it("reads high bias without hidden layers, high variance when overfitting, too few dev examples on 30 dev rows", () => {
    const linear = run({ hidden: [] }, 200).trainer.diagnosis()!;
    expect(linear.verdict).toBe("high bias");
    expect(linear.trainError.value).toBeGreaterThan(0.12);
    expect(linear.trainError.value).toBeLessThan(0.16);
    const overfit = run({ noise: 0.3, samples: 200, hidden: [64, 64] }, 300).trainer;
    expect(overfit.baseError.value).toBeCloseTo(0.0854, 4);
    expect(overfit.diagnosis()!.verdict).toBe("high variance");
    const small = run({ samples: 100 }, 200).trainer;
    expect(small.sizes.dev).toBe(30);
    const d = small.diagnosis()!;
    expect(d.devError).toMatchObject({ value: 1 / 30, n: 30 });
    // 1 of 30 is 3.3% > 2 points, but its interval reaches below the threshold (and 1/30): unresolved.
    expect(d.variance.low).toBeLessThan(0.02);
    expect(d.verdict).toBe("too few dev examples");
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

describe("the diagnosis table", () => {
  it("shows rates in percent, tiny ones as < 0.01%, and intervals beside their value", () => {
    expect(formatRate(0.028963521293557257, 2)).toBe("2.90%");
    expect(formatRate(5.7e-9, 2)).toBe("< 0.01%");
    expect(formatRate(-1e-5)).toBe("0.0%");
    expect(formatRate(null)).toBe("—");
    expect(formatInterval(wilsonInterval(6, 200))).toBe("3.0% [1.4, 6.4]"); // scipy: [0.01382, 0.06389]
    expect(formatInterval({ value: 0.1, low: 0.1, high: 0.1 })).toBe("10.0%");
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
