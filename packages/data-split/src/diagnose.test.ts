import type { Tensor} from "@hone/tensor";
import { tensor } from "@hone/tensor";
import { describe, expect, it } from "vitest";
import { diagnose, learningCurve } from "./index.js";

describe("diagnose", () => {
  it.each([
    { trainError: 0.01, devError: 0.11, baseError: 0, verdict: "high variance" },
    { trainError: 0.15, devError: 0.16, baseError: 0, verdict: "high bias" },
    { trainError: 0.15, devError: 0.3, baseError: 0, verdict: "high bias and high variance" },
    { trainError: 0.005, devError: 0.01, baseError: 0, verdict: "fine" },
    { trainError: 0.15, devError: 0.16, baseError: 0.15, verdict: "fine" },
  ])("train $trainError, dev $devError, base $baseError → $verdict (the course's cases)", ({ verdict, ...errors }) => {
    const d = diagnose(errors);
    expect(d.verdict).toBe(verdict);
    expect(d.avoidableBias).toBeCloseTo(errors.trainError - errors.baseError, 15);
    expect(d.variance).toBeCloseTo(errors.devError - errors.trainError, 15);
  });

  it("gives the basic recipe's next steps", () => {
    const bias = diagnose({ trainError: 0.15, devError: 0.16 });
    expect(bias.actions.join(" | ")).toMatch(/bigger network.*train longer.*optimizer.*architecture/);
    expect(bias.actions.some((a) => /more training data/.test(a))).toBe(false);
    const variance = diagnose({ trainError: 0.01, devError: 0.11 });
    expect(variance.actions.join(" | ")).toMatch(/more training data.*regularization \(L2, dropout, data augmentation\).*early stopping.*architecture/);
    const both = diagnose({ trainError: 0.15, devError: 0.3 });
    expect(both.actions.filter((a) => /architecture/.test(a))).toHaveLength(1);
    expect(both.actions.length).toBe(7);
    expect(both.summary).toMatch(/avoidable bias 15% \(train 15% − base 0%\), variance 15% \(dev 30% − train 15%\): high bias and high variance\. Reduce bias first/);
    expect(diagnose({ trainError: 0.005, devError: 0.01 }).actions).toEqual([]);
  });

  it("takes a threshold and notes negative gaps", () => {
    expect(diagnose({ trainError: 0.01, devError: 0.04, threshold: 0.05 }).verdict).toBe("fine");
    expect(diagnose({ trainError: 0.01, devError: 0.04 }).verdict).toBe("high variance");
    expect(diagnose({ trainError: 0.05, devError: 0.04, baseError: 0.06 }).summary).toMatch(/train error is below the base error.*dev error is below train error/);
  });

  it("validates error rates as fractions in [0, 1]", () => {
    expect(() => diagnose({ trainError: 15, devError: 0.16 })).toThrow(/trainError must be a fraction in \[0, 1\], got 15 \(pass 0\.15 for 15%\)/);
    expect(() => diagnose({ trainError: 0.1, devError: -0.1 })).toThrow(/devError must be a fraction in \[0, 1\], got -0\.1/);
    expect(() => diagnose({ trainError: 0.1, devError: 0.1, baseError: NaN })).toThrow(/baseError/);
  });
});

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
