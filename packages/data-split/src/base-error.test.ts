import { ArgumentError, ShapeError, Tensor, rng, tensor } from "@hone/tensor";
import { describe, expect, it } from "vitest";
import { coverHartLowerBound, estimateBaseError, type BaseErrorEstimate } from "./base-error.js";
import { makeCircles, makeMoons } from "./datasets.js";
import { Standardizer } from "./scaler.js";
import { normalCdf, wilsonInterval } from "./stats.js";

/** Two classes N(0, I) and N(d·e₁, I), alternating rows; Bayes error Φ(−d/2). */
function gaussians(m: number, features: number, d: number, seed: number): { x: Tensor; y: Tensor } {
  const x = rng(seed).randnArray(m * features);
  const y = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    y[i] = i % 2;
    if (y[i] === 1) x[i * features] += d;
  }
  return { x: new Tensor(x, [m, features]), y: new Tensor(y, [m]) };
}

/** Three classes N(μ_c, I) at the corners of an equilateral triangle of side s (first two features). */
function triangle(m: number, features: number, s: number, seed: number): { x: Tensor; y: Tensor } {
  const x = rng(seed).randnArray(m * features);
  const y = new Float64Array(m);
  const r = s / Math.sqrt(3);
  for (let i = 0; i < m; i++) {
    const c = i % 3;
    y[i] = c;
    x[i * features] += r * Math.cos(Math.PI / 2 + (2 * Math.PI * c) / 3);
    x[i * features + 1] += r * Math.sin(Math.PI / 2 + (2 * Math.PI * c) / 3);
  }
  return { x: new Tensor(x, [m, features]), y: new Tensor(y, [m]) };
}

/**
 * The triangle's Bayes error: a point of class c is classified right when it is nearer μ_c
 * than both others, i.e. when Z₁ < s/2 and Z₂ < s/2 for its projections on the two unit
 * vectors towards the other means (correlation cos 60° = ½). So R* = 1 − P(Z₁ < h, Z₂ < h),
 * h = s/2, and P = ∫_{−∞}^{h} φ(z)·Φ((h − z/2)/√(3/4)) dz (Simpson's rule, 4000 steps).
 */
function triangleBayesError(s: number): number {
  const h = s / 2, a = -12, steps = 4000, dz = (h - a) / steps;
  const f = (z: number): number => Math.exp(-z * z / 2) / Math.sqrt(2 * Math.PI) * normalCdf((h - z / 2) / Math.sqrt(0.75));
  let sum = f(a) + f(h);
  for (let i = 1; i < steps; i++) sum += (i % 2 === 1 ? 4 : 2) * f(a + i * dz);
  return 1 - (sum * dz) / 3;
}

const standardize = (x: Tensor): Tensor => new Standardizer().fit(x).transform(x);

/** The estimate on standardized x: within `tolerance` of the known Bayes error, and (unless told not to check) its interval covering it. */
function expectNear(x: Tensor, y: Tensor, truth: number, tolerance: number, covers = true): BaseErrorEstimate {
  const r = estimateBaseError(standardize(x), y);
  expect(Math.abs(r.value - truth)).toBeLessThanOrEqual(tolerance);
  if (covers) {
    expect(r.low).toBeLessThanOrEqual(truth);
    expect(r.high).toBeGreaterThanOrEqual(truth);
  }
  return r;
}

describe("coverHartLowerBound", () => {
  it("matches hand values for two and three classes", () => {
    expect(coverHartLowerBound(0.2)).toBeCloseTo(0.1127016653792583, 15); // (1 − √0.6)/2
    expect(coverHartLowerBound(0.3, 3)).toBeCloseTo(0.17225343419362243, 15); // (2/3)(1 − √0.55)
    expect(coverHartLowerBound(0)).toBe(0);
    expect(coverHartLowerBound(0.5)).toBe(0.5);
    expect(coverHartLowerBound(0.7)).toBe(0.5); // above chance: clamped at (K−1)/K
    expect(coverHartLowerBound(2 / 3, 3)).toBeCloseTo(2 / 3, 15);
  });

  it("rejects bad arguments", () => {
    expect(() => coverHartLowerBound(1.5)).toThrow(/nnError must be a fraction in \[0, 1\], got 1\.5/);
    expect(() => coverHartLowerBound(0.1, 1)).toThrow(/classes must be an integer ≥ 2, got 1/);
    expect(() => coverHartLowerBound(0.1, 2.5)).toThrow(ArgumentError);
  });
});

describe("estimateBaseError: a hand-counted case", () => {
  // Six points on a line; class 1 at 2.5, 5.2 and 7. Nearest other points (distance, label):
  //   0   (0): 1 (1, 0), 2.5 (2.5, 1), 4.5 (4.5, 0), 5.2 (5.2, 1)
  //   1   (0): 0 (1, 0), 2.5 (1.5, 1), 4.5 (3.5, 0), 5.2 (4.2, 1)
  //   2.5 (1): 1 (1.5, 0), 4.5 (2, 0), 0 (2.5, 0), 5.2 (2.7, 1)
  //   4.5 (0): 5.2 (0.7, 1), 2.5 (2, 1), 7 (2.5, 1), 1 (3.5, 0)
  //   5.2 (1): 4.5 (0.7, 0), 7 (1.8, 1), 2.5 (2.7, 1), 1 (4.2, 0)
  //   7   (1): 5.2 (1.8, 1), 4.5 (2.5, 0), 2.5 (4.5, 1), 1 (6, 0)
  // 1-NN vote wrong at 2.5, 4.5, 5.2: 3/6. 2-NN with ties rejected wrong at 2.5, 4.5: 2/6.
  // 3-NN vote wrong at 2.5, 4.5: 2/6. 4-NN with ties rejected wrong at 2.5, 4.5: 2/6.
  const x = tensor([[0], [1], [2.5], [4.5], [5.2], [7]]);
  const labels = [0, 0, 1, 0, 1, 1];
  const y = tensor(labels);

  it("k = 1: the midpoint of [2-NN tie-reject, 1-NN] = (2/6 + 3/6)/2", () => {
    const r = estimateBaseError(x, y, { neighbours: 1 });
    expect(r.value).toBeCloseTo(5 / 12, 15);
    expect(r.nnError).toBeCloseTo(0.5, 15);
    expect(r.low).toBeCloseTo(wilsonInterval(2, 6).low, 15);
    expect(r.high).toBeCloseTo(wilsonInterval(3, 6).high, 15);
    expect(r.k).toBe(1);
    expect(r.rows).toBe(6);
    expect(r.classes).toBe(2);
  });

  it("chooses k = 3 (vote error 2/6 < 3/6) among the odd k ≤ rows − 2", () => {
    const r = estimateBaseError(x, y);
    expect(r.k).toBe(3);
    expect(r.value).toBeCloseTo(1 / 3, 15);
    expect(r.low).toBeCloseTo(wilsonInterval(2, 6).low, 15);
    expect(r.high).toBeCloseTo(wilsonInterval(2, 6).high, 15);
    expect(r.method).toMatch(/k = 3 chosen by leave-one-out/);
    expect(r.reliable).toBe(false);
    expect(r.note).toMatch(/class 0 has only 3 rows \(fewer than 50\)/);
  });

  it("reads (m, 1) labels, one-hot labels and float32 features the same way", () => {
    const r = estimateBaseError(x, y);
    expect(estimateBaseError(x, tensor(labels.map((v) => [v])))).toEqual(r);
    expect(estimateBaseError(x, tensor(labels.map((v) => (v === 0 ? [1, 0] : [0, 1]))))).toEqual(r);
    expect(estimateBaseError(new Tensor(Float32Array.from(x.data), [6, 1]), y)).toEqual(r);
  });
});

describe("estimateBaseError: known Bayes errors", () => {
  // Tolerance: 0.025 absolute with 3000 rows, about 3 standard errors √(R*(1 − R*)/m) at
  // R* = 0.31 (over 10 draws of each case the largest error was 0.020, the mean error within
  // ±0.006 in 2–5 features and +0.007 in 10).
  const cases = [2, 5, 10].flatMap((features) => [1, 2, 3, 4].map((d) => ({ features, d, truth: normalCdf(-d / 2) })));
  it.each(cases)("two Gaussians, $features features, distance $d: Φ(−d/2) = $truth", ({ features, d, truth }) => {
    const { x, y } = gaussians(3000, features, d, 1);
    const r = expectNear(x, y, truth, 0.025, features <= 5);
    expect(r.classes).toBe(2);
    if (features <= 5) {
      expect(r.reliable).toBe(true);
    } else {
      // 3000 < 10·2^10 rows: flagged, since k-NN errors are biased up in 10 dimensions.
      expect(r.reliable).toBe(false);
      expect(r.note).toMatch(/3000 rows for 10 features/);
    }
  });

  it("three Gaussian classes on a triangle of side 2.5 (R* = 0.1763), within 0.025", () => {
    const truth = triangleBayesError(2.5);
    expect(truth).toBeCloseTo(0.17627, 4);
    const { x, y } = triangle(3000, 2, 2.5, 1);
    expect(expectNear(x, y, truth, 0.025).classes).toBe(3);
  });

  it("moons, 1000 rows, noise 0.2 (R* ≈ 0.029), within 0.015", () => {
    // 0.0291: Monte Carlo over 200 000 points of the exact posterior (a Gaussian around each curve point).
    const { x, y } = makeMoons({ samples: 1000, noise: 0.2, rng: 3 });
    expect(expectNear(x, y, 0.0291, 0.015).reliable).toBe(true);
  });

  it("circles, 3000 rows, noise 0.1, factor 0.8 (R* = 0.1594), within 0.025", () => {
    // 0.15941: ∫ ½·min(f₁(r), f₀.₈(r)) dr over the Rice densities of the radius (scipy's quad).
    const { x, y } = makeCircles({ samples: 3000, noise: 0.1, rng: 3 });
    expectNear(x, y, 0.15941, 0.025);
  });
});

describe("estimateBaseError: query subsampling", () => {
  const { x, y } = gaussians(3000, 2, 2, 5);

  it("counts maxQueries rows drawn by one rng.choice(m, maxQueries, { replace: false })", () => {
    const g = rng(7);
    const r = estimateBaseError(x, y, { maxQueries: 500, rng: g });
    expect(r.rows).toBe(500);
    expect(r.method).toMatch(/500 of 3000 rows/);
    const h = rng(7);
    h.choice(3000, 500, { replace: false });
    expect(g.random()).toBe(h.random());
  });

  it("is deterministic for a seed, and a seed equals its generator", () => {
    const a = estimateBaseError(x, y, { maxQueries: 500, rng: 7 });
    expect(estimateBaseError(x, y, { maxQueries: 500, rng: 7 })).toEqual(a);
    expect(estimateBaseError(x, y, { maxQueries: 500, rng: rng(7) })).toEqual(a);
    expect(estimateBaseError(x, y, { maxQueries: 500, rng: 8 }).value).not.toBe(a.value);
  });

  it("needs rng only when it subsamples", () => {
    expect(() => estimateBaseError(x, y, { maxQueries: 500 })).toThrow(/rng is required when x has more rows \(3000\) than maxQueries \(500\)/);
    expect(estimateBaseError(x, y, { maxQueries: 3000 }).rows).toBe(3000);
  });
});

describe("estimateBaseError: validation", () => {
  const x = tensor([[0], [1], [2.5], [4.5], [5.2], [7]]);
  const y = tensor([0, 0, 1, 0, 1, 1]);
  const cases: [string, () => unknown, RegExp][] = [
    ["x not a Tensor", () => estimateBaseError([[1]] as unknown as Tensor, y), /x must be a Tensor, got/],
    ["x of rank 1", () => estimateBaseError(tensor([0, 1, 2, 3, 4, 5]), y), /x must have shape \(m, features\) with features ≥ 1, got \[6\]/],
    ["x of rank 3", () => estimateBaseError(new Tensor(new Float64Array(12), [6, 2, 1]), y), /x must have shape \(m, features\)/],
    ["rows differ", () => estimateBaseError(x, tensor([0, 1, 0])), /x has 6 rows .* but y has 3/],
    ["too few rows", () => estimateBaseError(tensor([[0], [1]]), tensor([0, 1])), /x must have at least 3 rows .* got 2/],
    ["NaN in x", () => estimateBaseError(tensor([[0], [1], [NaN], [4], [5], [7]]), y), /x must be finite, got NaN at x\[2, 0\]/],
    ["fractional label", () => estimateBaseError(x, tensor([0, 0, 1, 0.5, 1, 1])), /y must hold class labels, integers ≥ 0, got 0\.5 in row 3/],
    ["negative label", () => estimateBaseError(x, tensor([0, 0, 1, -1, 1, 1])), /integers ≥ 0, got -1 in row 3/],
    ["label ≥ classes", () => estimateBaseError(x, tensor([0, 0, 2, 0, 1, 1]), { classes: 2 }), /integers in \[0, 2\), got 2 in row 2/],
    ["one class", () => estimateBaseError(x, tensor([1, 1, 1, 1, 1, 1])), /y must have at least 2 classes, got only class 1 in all 6 rows/],
    ["not one-hot", () => estimateBaseError(x, tensor([[1, 0], [0, 1], [1, 1], [1, 0], [0, 1], [0, 1]])), /must be one-hot .* row 2: \[1, 1\]/],
    ["one-hot width ≠ classes", () => estimateBaseError(x, tensor([[1, 0], [0, 1], [1, 0], [1, 0], [0, 1], [0, 1]]), { classes: 3 }), /one-hot with 2 columns but classes is 3/],
    ["even neighbours", () => estimateBaseError(x, y, { neighbours: 2 }), /neighbours must be an odd positive integer .* got 2/],
    ["too many neighbours", () => estimateBaseError(x, y, { neighbours: 5 }), /neighbours must be at most rows − 2 = 4 .* got 5/],
    ["maxNeighbours 0", () => estimateBaseError(x, y, { maxNeighbours: 0 }), /maxNeighbours must be a positive integer, got 0/],
    ["maxQueries 1.5", () => estimateBaseError(x, y, { maxQueries: 1.5 }), /maxQueries must be a positive integer, got 1\.5/],
    ["confidence 1", () => estimateBaseError(x, y, { confidence: 1 }), /confidence must be in \(0, 1\), got 1/],
    ["bad rng", () => estimateBaseError(x, y, { maxQueries: 3, rng: "seed" as unknown as number }), /rng must be an Rng or an integer seed, got/],
  ];
  it.each(cases)("%s", (_, call, message) => {
    expect(call).toThrow(message);
  });

  it("throws the typed errors", () => {
    expect(() => estimateBaseError(tensor([0, 1, 2, 3, 4, 5]), y)).toThrow(ShapeError);
    expect(() => estimateBaseError(x, tensor([0, 0, 1, 0.5, 1, 1]))).toThrow(ArgumentError);
  });
});

describe("estimateBaseError on tied distances", () => {
  it("flags rows that repeat another row's features (true Bayes error 0.5 here: one point, alternating labels)", () => {
    const m = 100;
    const x = new Tensor(new Float64Array(2 * m).fill(0.5), [m, 2]);
    const y = new Tensor(Float64Array.from({ length: m }, (_, i) => i % 2), [m]);
    const e = estimateBaseError(x, y);
    expect(e.reliable).toBe(false);
    expect(e.note).toMatch(/99 of 100 rows repeat another row's features/);
  });
});
