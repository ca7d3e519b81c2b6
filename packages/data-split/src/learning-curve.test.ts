import type { Tensor } from "@hone/tensor";
import { tensor } from "@hone/tensor";
import { describe, expect, it } from "vitest";
import { learningCurve } from "./index.js";

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
