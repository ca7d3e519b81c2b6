import { describe, expect, it } from "vitest";
import { diagnose, differenceInterval, wilsonInterval, type Verdict } from "./index.js";

describe("diagnose from error rates (the course's rule)", () => {
  it.each([
    { trainError: 0.01, devError: 0.11, baseError: 0, verdict: "high variance" },
    { trainError: 0.15, devError: 0.16, baseError: 0, verdict: "high bias" },
    { trainError: 0.15, devError: 0.3, baseError: 0, verdict: "high bias and high variance" },
    { trainError: 0.005, devError: 0.01, baseError: 0, verdict: "fine" },
    { trainError: 0.15, devError: 0.16, baseError: 0.15, verdict: "fine" },
  ])("train $trainError, dev $devError, base $baseError → $verdict (the course's cases)", ({ verdict, ...errors }) => {
    const d = diagnose(errors);
    expect(d.verdict).toBe(verdict);
    expect(d.avoidableBias.value).toBeCloseTo(errors.trainError - errors.baseError, 15);
    expect(d.variance.value).toBeCloseTo(errors.devError - errors.trainError, 15);
    // Without counts there is no interval.
    expect(d.trainError).toEqual({ value: errors.trainError, low: errors.trainError, high: errors.trainError, n: null });
    expect(d.variance.low).toBe(d.variance.value);
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
    expect(both.summary).toMatch(/avoidable bias 15% \(train 15% − base 0% \(none given\)\), variance 15% \(dev 30% − train 15%\): high bias and high variance\. Reduce bias first/);
    expect(both.summary).toMatch(/no base error was given, so 0 is assumed/);
    expect(diagnose({ trainError: 0.005, devError: 0.01 }).actions).toEqual([]);
  });

  it("takes a threshold and notes negative gaps", () => {
    expect(diagnose({ trainError: 0.01, devError: 0.04, threshold: 0.05 }).verdict).toBe("fine");
    expect(diagnose({ trainError: 0.01, devError: 0.04 }).verdict).toBe("high variance");
    expect(diagnose({ trainError: 0.05, devError: 0.04, baseError: 0.06 }).summary).toMatch(/train error is below the base error.*dev error is below train error/);
  });

  it("validates its inputs", () => {
    expect(() => diagnose({ trainError: 15, devError: 0.16 })).toThrow(/trainError must be a fraction in \[0, 1\], got 15 \(pass 0\.15 for 15%\)/);
    expect(() => diagnose({ trainError: 0.1, devError: -0.1 })).toThrow(/devError must be a fraction in \[0, 1\], got -0\.1/);
    expect(() => diagnose({ trainError: 0.1, devError: 0.1, baseError: NaN })).toThrow(/baseError/);
    expect(() => diagnose({ trainError: { errors: 7, n: 5 }, devError: 0.1 })).toThrow(/trainError\.errors must be a number in \[0, 5\]/);
    expect(() => diagnose({ trainError: { errors: 1, n: 5 }, trainN: 5, devError: 0.1 })).toThrow(/give trainN only with a fractional trainError/);
    expect(() => diagnose({ trainError: 0.1, devError: 0.1, devN: 0 })).toThrow(/devN must be a positive integer/);
    expect(() => diagnose({ trainError: 0.1, devError: 0.1, baseError: { value: 0.05, low: 0.06 } })).toThrow(/low ≤ value ≤ high, got low 0\.06, value 0\.05/);
  });
});

describe("diagnose with counts", () => {
  // Wilson intervals from scipy.stats.binomtest(k, n).proportion_ci(method="wilson").
  const W_6_200 = { low: 0.013820314340111339, high: 0.06389429245451923 };

  it("gives each rate its Wilson interval and each gap Newcombe's interval", () => {
    const d = diagnose({ trainError: 0.03, trainN: 200, devError: { errors: 6, n: 200 }, baseError: 0.01 });
    expect(d.trainError.low).toBeCloseTo(W_6_200.low, 12);
    expect(d.devError.high).toBeCloseTo(W_6_200.high, 12);
    // Square-and-add by hand: variance 0 ± √((0.03 − low)² + (high − 0.03)²).
    expect(d.variance.low).toBeCloseTo(-Math.hypot(0.03 - W_6_200.low, W_6_200.high - 0.03), 12);
    expect(d.variance.high).toBeCloseTo(Math.hypot(W_6_200.high - 0.03, 0.03 - W_6_200.low), 12);
    // An exact base error adds no width: avoidable bias = train interval − 0.01.
    expect(d.avoidableBias.low).toBeCloseTo(W_6_200.low - 0.01, 12);
    expect(d.baseError).toEqual({ value: 0.01, low: 0.01, high: 0.01, source: "given" });
  });

  it("the default moons run (train 14/600, dev 6/200, Bayes error 0.029) is fine", () => {
    const d = diagnose({ trainError: { errors: 14, n: 600 }, devError: { errors: 6, n: 200 }, baseError: { value: 0.029, source: "dataset" } });
    expect(d.verdict).toBe("fine");
    expect(d.levels).toEqual({ bias: "low", variance: "low" });
    expect(d.summary).toMatch(/base 2\.9% \(dataset\)/);
    expect(d.summary).toMatch(/too small to resolve a 2% gap/);
  });

  it("a 2.3-point gap on 200 dev examples is not called high variance", () => {
    // Circles-like: 4 training errors of 600, 6 dev errors of 200.
    const d = diagnose({ trainError: { errors: 4, n: 600 }, devError: { errors: 6, n: 200 }, baseError: 0.005 });
    expect(d.variance.value).toBeGreaterThan(0.02);
    expect(d.variance.low).toBeLessThan(0.02);
    expect(d.levels.variance).toBe("unresolved");
    expect(d.verdict).toBe("too few dev examples");
    expect(d.actions[0]).toMatch(/more dev (and training )?examples/);
  });

  it("on 30 dev examples the interval must also clear one example (3.33%)", () => {
    // 3 of 30 against none of 90: the gap's interval [2.3%, 25.6%] clears 2% but not 3.33%.
    const d = diagnose({ trainError: { errors: 0, n: 90 }, devError: { errors: 3, n: 30 }, baseError: 0.02 });
    expect(d.variance.low).toBeGreaterThan(0.02);
    expect(d.variance.low).toBeLessThan(1 / 30);
    expect(d.verdict).toBe("too few dev examples");
    expect(d.summary).toMatch(/or below one dev example \(3\.33%\)/);
    // 10 of 30 against none: [18.7%, 51.2%], a gap the data supports.
    expect(diagnose({ trainError: { errors: 0, n: 90 }, devError: { errors: 10, n: 30 }, baseError: 0.02 }).verdict).toBe("high variance");
  });

  it("a genuinely overfit model on a large dev set reads high variance", () => {
    const d = diagnose({ trainError: { errors: 10, n: 6000 }, devError: { errors: 160, n: 2000 }, baseError: 0 });
    expect(d.verdict).toBe("high variance");
    expect(d.variance.low).toBeGreaterThan(0.02);
    expect(d.devExamplesNeeded).toBeNull();
  });

  it.each([
    { rows: "iris-like: 90 train, 30 dev", train: { errors: 1, n: 90 }, dev: 30, devErrors: [0, 1, 2, 3] },
    { rows: "wine-like: 107 train, 36 dev", train: { errors: 0, n: 107 }, dev: 36, devErrors: [0, 1, 2, 3] },
    { rows: "breast-cancer-like: 341 train, 114 dev", train: { errors: 2, n: 341 }, dev: 114, devErrors: [0, 1, 2, 3, 4, 5, 6] },
  ])("$rows: a few dev errors either way never read high variance", ({ train, dev, devErrors }) => {
    const verdicts = new Set<Verdict>(devErrors.map((errors) => diagnose({ trainError: train, devError: { errors, n: dev }, baseError: 0.02 }).verdict));
    expect(verdicts.has("high variance")).toBe(false);
    for (const v of verdicts) expect(["fine", "too few dev examples"]).toContain(v);
  });

  it("devExamplesNeeded is the dev size at which a gap of the threshold is told from none", () => {
    const train = { errors: 6, n: 600 };
    const d = diagnose({ trainError: train, devError: { errors: 3, n: 50 } });
    expect(d.verdict).toBe("too few dev examples");
    const n = d.devExamplesNeeded!;
    const t = wilsonInterval(6, 600);
    const lowAt = (m: number): number => differenceInterval(wilsonInterval((0.01 + 0.02) * m, m), t).low;
    expect(lowAt(n)).toBeGreaterThan(0);
    expect(lowAt(n - 1)).toBeLessThanOrEqual(0);
    expect(d.actions[0]).toContain(`about ${n} would tell a 2% gap from none (now 50)`);
  });

  it("devExamplesNeeded judges the larger dev set by its own one-example resolution", () => {
    // 1 of 30 against none of 600: the 3.3% gap can never clear 1/30 on 30 rows, but on more rows it can.
    const d = diagnose({ trainError: { errors: 0, n: 600 }, devError: { errors: 1, n: 30 }, baseError: 0 });
    expect(d.verdict).toBe("too few dev examples");
    const n = d.devExamplesNeeded!;
    expect(n).toBeGreaterThan(30);
    const clears = (m: number): boolean => differenceInterval(wilsonInterval(m / 30, m), wilsonInterval(0, 600)).low > Math.max(0.02, 1 / m);
    expect(clears(n)).toBe(true);
    expect(clears(n - 1)).toBe(false);
  });

  it("with only the training error counted, an unresolved variance gap is the training set's to settle", () => {
    // 1% of 200 training rows against a 4% dev error of unknown size: the training interval (0.28%–3.57%) alone leaves the 3-point gap unresolved.
    const d = diagnose({ trainError: 0.01, trainN: 200, devError: 0.04, baseError: 0 });
    expect(d.levels.variance).toBe("unresolved");
    expect(d.verdict).toBe("too few training examples");
    expect(d.summary).not.toMatch(/Infinity|dev split a larger share/);
    expect(d.actions[0]).toMatch(/train on more examples/);
  });

  it("lists its notes, and does not ask to lower a base error that is the data's Bayes error", () => {
    const d = diagnose({ trainError: { errors: 14, n: 600 }, devError: { errors: 6, n: 200 }, baseError: { value: 0.029, source: "dataset" } });
    expect(d.notes).toEqual([expect.stringMatching(/^this dev set is too small to resolve a 2% gap .* about 708 dev examples would$/)]);
    expect(d.summary).not.toMatch(/lower the base error/);
    expect(diagnose({ trainError: 0.005, devError: 0.01 }).summary).toMatch(/lower the base error if you expect better/);
  });

  it("an avoidable bias within the noise of an estimated base error reads too few training examples", () => {
    const d = diagnose({
      trainError: { errors: 30, n: 500 }, devError: { errors: 620, n: 10000 },
      baseError: { value: 0.035, low: 0.02, high: 0.05, source: "estimate", method: "k-NN" },
    });
    expect(d.levels).toEqual({ bias: "unresolved", variance: "low" });
    expect(d.verdict).toBe("too few training examples");
    expect(d.summary).toMatch(/base 3\.5% \[2% to 5%\] \(estimate: k-NN\)/);
  });

  it("high bias with an unresolved variance gap names the bias and notes the variance", () => {
    const d = diagnose({ trainError: { errors: 60, n: 600 }, devError: { errors: 15, n: 100 }, baseError: 0.01 });
    expect(d.verdict).toBe("high bias");
    expect(d.levels.variance).toBe("unresolved");
    expect(d.summary).toMatch(/variance gap is above the threshold but within the noise/);
  });
});
