import type { Tensor } from "@hone/tensor";
import { tensor } from "@hone/tensor";
import { describe, expect, it } from "vitest";
import { learningCurve, learningCurveSizes, readLearningCurve, type LearningCurvePoint } from "./index.js";

describe("learningCurve", () => {
  // A nearest-class-mean classifier on one feature: hand-checkable.
  type Means = [number, number];
  const train = (x: Tensor, y: Tensor): Means => {
    const sum = [0, 0], count = [0, 0];
    for (let i = 0; i < y.size; i++) { sum[y.data[i]!]! += x.data[i]!; count[y.data[i]!]!++; }
    return [sum[0]! / count[0]!, sum[1]! / count[1]!];
  };
  const evaluate = ([m0, m1]: Means, x: Tensor, y: Tensor): number => {
    let wrong = 0;
    for (let i = 0; i < y.size; i++) {
      const guess = Math.abs(x.data[i]! - m1) < Math.abs(x.data[i]! - m0) ? 1 : 0;
      if (guess !== y.data[i]) wrong++;
    }
    return wrong / y.size;
  };

  it("trains on the first `size` rows and reports train and dev error", () => {
    const x = tensor([[0], [10], [4], [6]]), y = tensor([0, 1, 1, 0]);
    const dev = { x: tensor([[3], [7], [6]]), y: tensor([0, 1, 0]) };
    const seen: number[][] = [];
    const curve = learningCurve({
      sizes: [2, 3, 4], x, y, dev, evaluate,
      train: (xs, ys) => { seen.push(Array.from(xs.data)); return train(xs, ys); },
    });
    expect(seen).toEqual([[0, 10], [0, 10, 4], [0, 10, 4, 6]]);
    // Size 2: means 0 | 10, split at 5: train all right; dev 6 → class 1, wrong: 1/3.
    // Size 3: means 0 | 7, split at 3.5: train all right; dev 6 → 1, wrong: 1/3.
    // Size 4: means 3 | 7, split at 5: train 4 → 0 and 6 → 1 wrong: 1/2; dev 6 → 1 wrong: 1/3.
    expect(curve).toEqual([
      { size: 2, trainError: 0, devError: 1 / 3 },
      { size: 3, trainError: 0, devError: 1 / 3 },
      { size: 4, trainError: 0.5, devError: 1 / 3 },
    ]);
  });

  it("validates sizes and the callbacks' results", () => {
    const x = tensor([[0], [1]]), y = tensor([0, 1]);
    const dev = { x, y };
    expect(() => learningCurve({ sizes: [3], x, y, dev, train, evaluate })).toThrow(/sizes\[0\] must be an integer in \[1, 2\]/);
    expect(() => learningCurve({ sizes: [2], x, y, dev, train, evaluate: () => NaN })).toThrow(/evaluate returned NaN for the training rows at size 2/);
  });
});

describe("learningCurveSizes", () => {
  it("takes the default fractions of m, rounded, without repeats", () => {
    expect(learningCurveSizes(600)).toEqual([60, 120, 240, 360, 480, 600]);
    // m = 7: 0.7 → 1, 1.4 → 1 (a repeat), 2.8 → 3, 4.2 → 4, 5.6 → 6, 7.
    expect(learningCurveSizes(7)).toEqual([1, 3, 4, 6, 7]);
    // Any order in, increasing out; 2.5 rounds up; at least 1 row.
    expect(learningCurveSizes(10, { fractions: [1, 0.25, 0.5, 0.01] })).toEqual([1, 3, 5, 10]);
  });

  it("rejects a bad m or fraction, naming it", () => {
    expect(() => learningCurveSizes(0)).toThrow(/learningCurveSizes: m must be a positive integer \(the training rows\), got 0/);
    expect(() => learningCurveSizes(10, { fractions: [0.5, 1.5] })).toThrow(/fractions\[1\] must be a fraction in \(0, 1\], got 1.5/);
    expect(() => learningCurveSizes(10, { fractions: [] })).toThrow(/fractions must be a non-empty array/);
  });
});

describe("readLearningCurve", () => {
  const sizes = [100, 200, 400, 800];
  const curve = (train: number[], dev: number[], extra: { devN?: number } = {}): LearningCurvePoint[] =>
    sizes.map((size, i) => ({ size, trainError: train[i]!, devError: dev[i]!, ...extra }));
  // High variance that data still reduces: dev falls 30 → 10%, train stays low.
  const variance = curve([0, 0.01, 0.02, 0.03], [0.30, 0.22, 0.15, 0.10]);
  // High bias: the errors meet at 17–18%.
  const bias = curve([0.10, 0.14, 0.16, 0.17], [0.30, 0.22, 0.19, 0.18]);

  it("reads a variance-limited curve as likely to gain from more data", () => {
    const r = readLearningCurve(variance);
    expect(r.moreDataHelps).toBe("likely");
    // From 400 (the largest size ≤ 800/2) to 800: one doubling, dev 15% → 10%.
    expect(r.from).toBe(400);
    expect(r.size).toBe(800);
    expect(r.devDrop.value).toBeCloseTo(0.05, 12);
    expect(r.devSlope).toBeCloseTo(-0.05, 12);
    expect(r.falling).toBe(true);
    expect(r.gapAtLargest.value).toBeCloseTo(0.07, 12);
    expect(r.gapLevel).toBe("high");
    expect(r.reason).toMatch(/fell from 15% at m = 400 to 10% at m = 800 .*still 7% above the train error: it is variance/);
    // The order of the points does not matter.
    expect(readLearningCurve([...variance].reverse())).toEqual(r);
  });

  it("reads a bias-limited curve as unlikely to gain: the curves met far above the base error", () => {
    const r = readLearningCurve(bias);
    expect(r.moreDataHelps).toBe("unlikely");
    expect(r.gapAtLargest.value).toBeCloseTo(0.01, 12);
    expect(r.gapLevel).toBe("low");
    expect(r.avoidableBias.value).toBeCloseTo(0.17, 12);
    expect(r.biasLevel).toBe("high");
    expect(r.devSlope).toBeCloseTo(-0.01, 12);
    expect(r.reason).toMatch(/train and dev errors met .* 17% above the base error \(0%\): it is bias/);
    // With the base error at 16%, the curves met at the base error: nothing is left to win.
    const done = readLearningCurve(bias, { baseError: 0.16 });
    expect(done.moreDataHelps).toBe("unlikely");
    expect(done.biasLevel).toBe("low");
    expect(done.reason).toMatch(/within 2% of the base error \(16%\): little is left/);
  });

  it("calls a high gap over a flat dev error unclear, and measures the slope per doubling", () => {
    // 600 → 800 is less than a doubling: no size ≤ 400, so the fall is read from the smallest.
    const r = readLearningCurve([{ size: 600, trainError: 0.01, devError: 0.10 }, { size: 800, trainError: 0.01, devError: 0.10 }]);
    expect(r.from).toBe(600);
    expect(r.devSlope).toBe(0);
    expect(r.falling).toBe(false);
    expect(r.moreDataHelps).toBe("unclear");
    expect(r.reason).toMatch(/did not fall measurably over the last doubling .* regularization/);
    // 200 → 800 is two doublings: a 6-point fall is 3 points per doubling.
    const two = readLearningCurve([{ size: 200, trainError: 0, devError: 0.16 }, { size: 800, trainError: 0, devError: 0.10 }]);
    expect(two.from).toBe(200);
    expect(two.devSlope).toBeCloseTo(-0.03, 12);
  });

  it("weighs the fall against the noise of the dev counts", () => {
    // 15 → 10 errors of 100 dev examples. Wilson 95%: 15/100 in [0.09306, 0.23284], 10/100 in
    // [0.05523, 0.17437]; Newcombe: low = 0.05 − √((0.15 − 0.09306)² + (0.17437 − 0.10)²)
    // = 0.05 − 0.09366 = −0.04366: within the noise. The gap, 10/100 − 24/800, has low
    // 0.07 − √((0.10 − 0.05523)² + (0.04425 − 0.03)²) = 0.02302 > 0.02: high (it clears the threshold).
    const r = readLearningCurve(variance, { devN: 100 });
    expect(r.devDrop.low).toBeCloseTo(-0.04366, 4);
    expect(r.devDrop.high).toBeCloseTo(0.14416, 4);
    expect(r.gapAtLargest.low).toBeCloseTo(0.02302, 4);
    expect(r.falling).toBe(false);
    expect(r.gapLevel).toBe("high");
    expect(r.moreDataHelps).toBe("unclear");
    expect(r.reason).toMatch(/within the noise of 100 dev examples/);
    // Per-point counts do the same; on 10,000 dev examples the same fall is real (low 0.04086).
    expect(readLearningCurve(curve([0, 0.01, 0.02, 0.03], [0.30, 0.22, 0.15, 0.10], { devN: 100 }))).toEqual(r);
    const big = readLearningCurve(variance, { devN: 10_000 });
    expect(big.devDrop.low).toBeCloseTo(0.04086, 4);
    expect(big.moreDataHelps).toBe("likely");
    // A 3-point gap on 100 dev examples (5/100 vs 16/800) cannot be told from noise.
    // (Its interval: low = 0.03 − √((0.05 − 0.02154)² + …) < 0.02.)
    const small = readLearningCurve(curve([0, 0, 0.01, 0.02], [0.2, 0.1, 0.08, 0.05]), { devN: 100 });
    expect(small.gapLevel).toBe("unresolved");
    expect(small.moreDataHelps).toBe("unclear");
    expect(small.reason).toMatch(/above 2% but within the noise of 100 dev examples/);
  });

  it("calls curves that met unclear when their bias is within the noise", () => {
    // 14/600 = 2.33% train error: Wilson 95% [1.39%, 3.88%] reaches below the 2% threshold.
    const r = readLearningCurve([{ size: 240, trainError: 0.03, devError: 0.03 }, { size: 600, trainError: 14 / 600, devError: 0.03 }], { devN: 200 });
    expect(r.gapLevel).toBe("low");
    expect(r.avoidableBias.low).toBeCloseTo(0.01395, 4);
    expect(r.biasLevel).toBe("unresolved");
    expect(r.moreDataHelps).toBe("unclear");
    expect(r.reason).toMatch(/2\.33% \[95%: 1\.39% to 3\.88%\] above the base error \(0%\): whether that is more than 2% of bias is within the noise/);
  });

  it("rejects curves it cannot read, naming the value", () => {
    expect(() => readLearningCurve(variance.slice(0, 1))).toThrow(/readLearningCurve: points must hold at least 2 sizes to show a trend, got 1/);
    expect(() => readLearningCurve([variance[0]!, variance[0]!])).toThrow(/distinct sizes, got size 100 twice/);
    expect(() => readLearningCurve([variance[0]!, { size: 200, trainError: 0, devError: 12 }])).toThrow(/points\[1\]\.devError must be an error rate in \[0, 1\], got 12/);
    expect(() => readLearningCurve([variance[0]!, { size: 2.5, trainError: 0, devError: 0 }])).toThrow(/points\[1\]\.size must be a positive integer/);
    expect(() => readLearningCurve(variance, { devN: 0.5 })).toThrow(/devN must be a positive integer/);
    expect(() => readLearningCurve(variance, { baseError: 2 })).toThrow(/^readLearningCurve: baseError must be a fraction in \[0, 1\], got 2/);
  });
});
