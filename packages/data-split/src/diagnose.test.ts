import { describe, expect, it } from "vitest";
import { diagnose } from "./index.js";

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
