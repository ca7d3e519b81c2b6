import { readFileSync } from "node:fs";
import { type Tensor, rng } from "@hone/tensor";
import { describe, expect, it } from "vitest";
import { makeBlobs, makeCircles, makeClassification, makeMoons, makeSpirals, type Dataset } from "./index.js";

function load<T>(file: string): T {
  return JSON.parse(readFileSync(new URL(`../../../fixtures/course/${file}`, import.meta.url), "utf8")) as T;
}

/** The largest absolute difference between x and nested reference rows. */
function maxDiff(x: Tensor, rows: number[][]): number {
  const f = x.shape[1]!;
  let d = 0;
  rows.forEach((row, i) => row.forEach((v, j) => { d = Math.max(d, Math.abs(x.data[i * f + j]! - v)); }));
  return d;
}

function counts(y: Tensor): number[] {
  const out: number[] = [];
  for (const v of y.data) out[v] = (out[v] ?? 0) + 1;
  return out;
}

function expectSameData(a: Dataset, b: Dataset): void {
  expect(Array.from(a.x.data)).toEqual(Array.from(b.x.data));
  expect(Array.from(a.y.data)).toEqual(Array.from(b.y.data));
}

describe("makeMoons", () => {
  it("reproduces the course's data set: np.random.seed(3); make_moons(300, noise=.2)", () => {
    const ref = load<{ X: number[][]; y: number[] }>("moons.json");
    const { x, y } = makeMoons({ samples: 300, noise: 0.2, rng: rng(3) });
    expect(x.shape).toEqual([300, 2]);
    expect(Array.from(y.data)).toEqual(ref.y);
    // Equal up to the last bit of Math.sin/Math.cos versus the C library's.
    expect(maxDiff(x, ref.X)).toBeLessThan(1e-14);
  });

  it("puts class 0 on the upper unit half circle and class 1 on the lower one shifted to (1, 0.5)", () => {
    const { x, y } = makeMoons({ samples: 101, noise: 0, shuffle: false });
    expect(counts(y)).toEqual([50, 51]);
    for (let i = 0; i < 101; i++) {
      const [px, py] = [x.data[2 * i]!, x.data[2 * i + 1]!];
      if (y.data[i] === 0) {
        expect(Math.hypot(px, py)).toBeCloseTo(1, 14);
        expect(py).toBeGreaterThanOrEqual(0);
      } else {
        expect(Math.hypot(px - 1, py - 0.5)).toBeCloseTo(1, 14);
        expect(py).toBeLessThanOrEqual(0.5 + 1e-15);
      }
    }
    // t = linspace(0, π): the first point of each moon is at t = 0.
    expect([x.data[0], x.data[1]]).toEqual([1, 0]);
    expect([x.data[100], x.data[101]]).toEqual([0, 0.5]);
  });

  it("is deterministic for a seed and differs across seeds", () => {
    expectSameData(makeMoons({ rng: 7 }), makeMoons({ rng: rng(7) }));
    expect(Array.from(makeMoons({ rng: 8 }).x.data)).not.toEqual(Array.from(makeMoons({ rng: 7 }).x.data));
    expect(() => makeMoons()).toThrow(/rng is required when shuffle is true/);
    expect(() => makeMoons({ noise: -1, rng: 1 })).toThrow(/noise must be a finite number ≥ 0, got -1/);
  });
});

describe("makeCircles", () => {
  it("reproduces the course's Initialization data: seed 1 (300 train) and seed 2 (100 test), noise .05", () => {
    const ref = load<{ X: number[][]; y: number[]; Xtest: number[][]; ytest: number[] }>("circles.json");
    const train = makeCircles({ samples: 300, noise: 0.05, rng: rng(1) });
    expect(Array.from(train.y.data)).toEqual(ref.y);
    expect(maxDiff(train.x, ref.X)).toBeLessThan(1e-14);
    const test = makeCircles({ samples: 100, noise: 0.05, rng: rng(2) });
    expect(Array.from(test.y.data)).toEqual(ref.ytest);
    expect(maxDiff(test.x, ref.Xtest)).toBeLessThan(1e-14);
  });

  it("puts radii at 1 and at factor (exactly without noise, clustered within the noise with it)", () => {
    const clean = makeCircles({ samples: 200, noise: 0, factor: 0.5, rng: 1 });
    for (let i = 0; i < 200; i++) {
      expect(Math.hypot(clean.x.data[2 * i]!, clean.x.data[2 * i + 1]!)).toBeCloseTo(clean.y.data[i] === 0 ? 1 : 0.5, 14);
    }
    const noisy = makeCircles({ samples: 2000, noise: 0.05, rng: 2 });
    const mean = [0, 0];
    for (let i = 0; i < 2000; i++) mean[noisy.y.data[i]!]! += Math.hypot(noisy.x.data[2 * i]!, noisy.x.data[2 * i + 1]!) / 1000;
    // Radial noise has σ ≈ 0.05 per point, so each mean of 1000 radii is within ~0.005 of its circle.
    expect(Math.abs(mean[0]! - 1)).toBeLessThan(0.01);
    expect(Math.abs(mean[1]! - 0.8)).toBeLessThan(0.01);
    expect(counts(noisy.y)).toEqual([1000, 1000]);
    expect(() => makeCircles({ factor: 1, rng: 1 })).toThrow(/factor must be in \[0, 1\), got 1/);
  });
});

describe("makeBlobs", () => {
  it("draws balanced blobs around the given centers", () => {
    const centers = [[0, 0], [5, 5], [-5, 5]];
    const { x, y } = makeBlobs({ samples: 3000, centers, std: 0.5, rng: 0 });
    expect(x.shape).toEqual([3000, 2]);
    expect(counts(y)).toEqual([1000, 1000, 1000]);
    const sums = centers.map(() => [0, 0]);
    for (let i = 0; i < 3000; i++) for (let j = 0; j < 2; j++) sums[y.data[i]!]![j]! += x.data[2 * i + j]! / 1000;
    // Each coordinate's mean of 1000 draws with σ = 0.5 is within 5 standard errors (0.079) of the center.
    sums.forEach((mean, c) => mean.forEach((v, j) => expect(Math.abs(v - centers[c]![j]!)).toBeLessThan(0.08)));
  });

  it("draws random centers in the box, splits the remainder over the first centers, is deterministic", () => {
    const a = makeBlobs({ samples: 10, centers: 3, features: 4, std: 0, rng: 1 });
    expect(a.x.shape).toEqual([10, 4]);
    expect(counts(a.y)).toEqual([4, 3, 3]);
    // std 0: every point is its center, inside the box [−10, 10).
    for (const v of a.x.data) expect(v >= -10 && v < 10).toBe(true);
    expectSameData(a, makeBlobs({ samples: 10, centers: 3, features: 4, std: 0, rng: 1 }));
    expect(Array.from(makeBlobs({ rng: 2 }).x.data)).not.toEqual(Array.from(makeBlobs({ rng: 3 }).x.data));
    expect(() => makeBlobs({ centers: [[0, 0], [1]], rng: 1 })).toThrow(/centers\[1\] must be 2 finite numbers/);
    expect(() => makeBlobs({ std: [1, 2], rng: 1 })).toThrow(/std must be a number or 3 numbers/);
  });
});

describe("makeSpirals", () => {
  it("gives each arm radii linspace(0, 1) (noise moves only the angle)", () => {
    const { x, y } = makeSpirals({ samples: 301, classes: 3, noise: 0.3, rng: 4 });
    expect(counts(y)).toEqual([101, 100, 100]);
    [101, 100, 100].forEach((n, c) => {
      const radii: number[] = [];
      for (let i = 0; i < 301; i++) if (y.data[i] === c) radii.push(Math.hypot(x.data[2 * i]!, x.data[2 * i + 1]!));
      radii.sort((p, q) => p - q);
      radii.forEach((r, i) => expect(r).toBeCloseTo(i / (n - 1), 14));
    });
  });

  it("without noise, arm j's point at radius r has angle 4j + 4r (x = r sin t, y = r cos t)", () => {
    const { x, y } = makeSpirals({ samples: 40, classes: 2, noise: 0, shuffle: false });
    for (let i = 0; i < 40; i++) {
      const c = y.data[i]!;
      const r = (i % 20) / 19;
      const t = 4 * c + 4 * r;
      expect(x.data[2 * i]).toBeCloseTo(r * Math.sin(t), 14);
      expect(x.data[2 * i + 1]).toBeCloseTo(r * Math.cos(t), 14);
    }
    expectSameData(makeSpirals({ rng: 5 }), makeSpirals({ rng: 5 }));
    expect(Array.from(makeSpirals({ rng: 5 }).x.data)).not.toEqual(Array.from(makeSpirals({ rng: 6 }).x.data));
  });
});

describe("makeClassification", () => {
  it("centers classes on hypercube vertices in the informative features; the rest is noise", () => {
    const m = 4000, f = 5;
    const { x, y } = makeClassification({ samples: m, features: f, informative: 2, classes: 4, classSep: 2, rng: 6 });
    expect(x.shape).toEqual([m, f]);
    expect(counts(y)).toEqual([1000, 1000, 1000, 1000]);
    const mean = [0, 1, 2, 3].map(() => new Array<number>(f).fill(0));
    for (let i = 0; i < m; i++) for (let j = 0; j < f; j++) mean[y.data[i]!]![j]! += x.data[i * f + j]! / 1000;
    // Class c's center: +2 where bit d of c is set, −2 elsewhere; standard error 1/√1000 ≈ 0.032.
    for (let c = 0; c < 4; c++) {
      for (let j = 0; j < f; j++) {
        const center = j < 2 ? ((c >> j) & 1 ? 2 : -2) : 0;
        expect(Math.abs(mean[c]![j]! - center)).toBeLessThan(0.16);
      }
    }
  });

  it("is deterministic and validates its sizes", () => {
    expectSameData(makeClassification({ rng: 1 }), makeClassification({ rng: 1 }));
    expect(Array.from(makeClassification({ rng: 1 }).x.data)).not.toEqual(Array.from(makeClassification({ rng: 2 }).x.data));
    expect(() => makeClassification({ informative: 2, classes: 5, rng: 1 })).toThrow(/classes must be ≤ 2\^informative = 4/);
    expect(() => makeClassification({ features: 2, informative: 3, rng: 1 })).toThrow(/informative must be ≤ features = 2/);
    expect(() => makeClassification({})).toThrow(/rng is required to draw the features/);
  });
});
