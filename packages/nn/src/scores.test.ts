// Scores against hand computations, scikit-learn's documented examples, and a fixture of
// scikit-learn 1.2 / PyTorch 1.13 values on seeded random cases (fixtures/metrics.json,
// written by scripts/make-metric-fixtures.py; see fixtures/SOURCES.md).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Tensor, backward, tensor } from "@hone/tensor";
import {
  averagePrecision, averagePrecisionOvr, bestThreshold, classWeights, classificationReport, confusionMatrix, logLoss, majorityBaseline,
  meanBaseline, precisionRecallF1, regressionReport, rocAuc, rocAucOvr,
} from "./scores.js";
import { huberLoss, regressionHead, weightedCrossEntropy } from "./objectives.js";

interface Case {
  name: string;
  classes: number;
  labels: number[];
  probabilities: number[];
  logits?: number[];
  accuracy: number;
  confusion: number[][];
  perClass: { precision: number[]; recall: number[]; f1: number[]; support: number[] };
  macro: number[];
  weighted: number[];
  rocAuc: number;
  averagePrecision: number;
  logLoss: number;
  classWeights: number[];
  weightedCrossEntropy?: number;
}
const fixture = JSON.parse(readFileSync(new URL("../fixtures/metrics.json", import.meta.url), "utf8")) as {
  cases: Case[];
  binaryWeighted: { logits: number[]; target: number[]; weights: number[]; loss: number };
  regression: { target: number[]; predicted: number[]; r2: number; mae: number; mse: number; huber: Record<string, number> };
};
const TOL = 1e-12;

describe("classification scores by hand", () => {
  it("scikit-learn's documented ROC-AUC and average-precision example", () => {
    expect(rocAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])).toBeCloseTo(0.75, 15);
    // Thresholds 0.8, 0.4, 0.35, 0.1: (R, P) = (0.5, 1), (0.5, 0.5), (1, 2/3), (1, 0.5) → AP = 0.5·1 + 0.5·2/3.
    expect(averagePrecision([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])).toBeCloseTo(0.5 + 1 / 3, 15);
  });

  it("counts tied scores one half in ROC-AUC and enters them together in AP", () => {
    // One positive and one negative at the same score: AUC 1/2.
    expect(rocAuc([0, 1], [0.5, 0.5])).toBe(0.5);
    // All scores equal: one threshold, recall 1 at precision = the positive share.
    expect(averagePrecision([0, 1, 1, 0], [0.3, 0.3, 0.3, 0.3])).toBe(0.5);
  });

  it("confusion matrix, precision, recall and F1 of a small case", () => {
    const c = confusionMatrix([0, 0, 1, 1, 1], [0, 1, 1, 1, 0], 2);
    expect(c).toEqual([[1, 1], [1, 2]]);
    const s = precisionRecallF1(c);
    expect(s.perClass[1]).toEqual({ precision: 2 / 3, recall: 2 / 3, f1: 2 / 3, support: 3 });
    expect(s.perClass[0]).toEqual({ precision: 0.5, recall: 0.5, f1: 0.5, support: 2 });
    expect(s.macro.f1).toBeCloseTo((0.5 + 2 / 3) / 2, 15);
    expect(s.weighted.f1).toBeCloseTo((2 * 0.5 + 3 * (2 / 3)) / 5, 15);
    // A class never predicted: precision 0 (zero_division=0).
    expect(precisionRecallF1([[3, 0], [2, 0]]).perClass[1]).toEqual({ precision: 0, recall: 0, f1: 0, support: 2 });
  });

  it("log loss, balanced class weights, the majority baseline and the F1-best threshold", () => {
    expect(logLoss([1, 0], [0.2, 0.8, 0.6, 0.4], 2)).toBeCloseTo(-(Math.log(0.8) + Math.log(0.6)) / 2, 15);
    expect(logLoss([0], [0, 1], 2)).toBeCloseTo(-Math.log(1e-15), 10); // clipped, not ∞
    expect(classWeights([0, 0, 0, 1], 2, "balanced")).toEqual([4 / 6, 2]);
    expect(majorityBaseline([0, 0, 1], [0, 1, 1, 1], 2)).toEqual({ class: 0, accuracy: 0.25 });
    // At 0.35: predicted positive {0.8, 0.4, 0.35} → tp 2, fp 1, fn 0 → F1 = 4/5; at 0.8: 2/3.
    expect(bestThreshold([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])).toEqual({ threshold: 0.35, f1: 0.8 });
  });

  it("a binary report reads the positive class and its threshold", () => {
    const labels = [0, 0, 1, 1];
    const probs = [0.9, 0.1, 0.6, 0.4, 0.65, 0.35, 0.2, 0.8];
    const r = classificationReport(labels, probs, { classes: 2 });
    expect(r.confusion).toEqual([[2, 0], [1, 1]]);
    expect([r.accuracy, r.precision, r.recall]).toEqual([0.75, 1, 0.5]);
    expect(r.rocAuc).toBe(0.75);
    const low = classificationReport(labels, probs, { classes: 2, threshold: 0.3 });
    expect(low.confusion).toEqual([[1, 1], [0, 2]]);
    const neg = classificationReport(labels, probs, { classes: 2, positive: 0 });
    expect(neg.recall).toBe(1); // class 0 predicted wherever p(1) ≤ 0.5
    const onlyOne = classificationReport([0, 0], [0.9, 0.1, 0.8, 0.2], { classes: 2 });
    expect(onlyOne.rocAuc).toBeNull();
    expect(onlyOne.prAuc).toBeNull();
  });

  it("validates its inputs, naming the argument", () => {
    expect(() => rocAuc([0, 0], [0.1, 0.2])).toThrow(/only negatives/);
    expect(() => confusionMatrix([0, 2], [0, 1], 2)).toThrow(/target\[1\] must be a class id in 0\.\.1, got 2/);
    expect(() => classificationReport([0, 1], [0.5, 0.5], { classes: 2 })).toThrow(/probabilities must hold 2×2 = 4 values/);
    expect(() => rocAuc([0, 1], [0.1, NaN])).toThrow(/scores\[1\] must be a finite number/);
  });
});

describe.each(fixture.cases)("scikit-learn 1.2 on $name", (c) => {
  const r = classificationReport(c.labels, c.probabilities, { classes: c.classes });
  it("accuracy, confusion matrix, per-class, macro and weighted precision/recall/F1", () => {
    expect(r.accuracy).toBeCloseTo(c.accuracy, 12);
    expect(r.confusion).toEqual(c.confusion);
    r.perClass.forEach((p, i) => {
      expect(Math.abs(p.precision - c.perClass.precision[i]!)).toBeLessThan(TOL);
      expect(Math.abs(p.recall - c.perClass.recall[i]!)).toBeLessThan(TOL);
      expect(Math.abs(p.f1 - c.perClass.f1[i]!)).toBeLessThan(TOL);
      expect(p.support).toBe(c.perClass.support[i]);
    });
    [r.macro.precision, r.macro.recall, r.macro.f1].forEach((v, i) => expect(Math.abs(v - c.macro[i]!)).toBeLessThan(TOL));
    [r.weighted.precision, r.weighted.recall, r.weighted.f1].forEach((v, i) => expect(Math.abs(v - c.weighted[i]!)).toBeLessThan(TOL));
  });
  it("ROC-AUC, average precision, log loss and balanced weights", () => {
    expect(Math.abs(r.rocAuc! - c.rocAuc)).toBeLessThan(TOL);
    expect(Math.abs(r.prAuc! - c.averagePrecision)).toBeLessThan(TOL);
    expect(Math.abs(r.logLoss - c.logLoss)).toBeLessThan(TOL);
    classWeights(c.labels, c.classes, "balanced").forEach((w, i) => expect(Math.abs(w - c.classWeights[i]!)).toBeLessThan(TOL));
    if (c.classes > 2) {
      expect(Math.abs(rocAucOvr(c.labels, c.probabilities, c.classes) - c.rocAuc)).toBeLessThan(TOL);
      expect(Math.abs(averagePrecisionOvr(c.labels, c.probabilities, c.classes) - c.averagePrecision)).toBeLessThan(TOL);
    }
  });
});

/** Central differences of a scalar function of x's entries. */
function numericGradient(f: (x: Tensor) => number, x: Tensor, h = 1e-6): Float64Array {
  const g = new Float64Array(x.size);
  for (let i = 0; i < x.size; i++) {
    const plus = new Float64Array(x.data), minus = new Float64Array(x.data);
    plus[i]! += h; minus[i]! -= h;
    g[i] = (f(new Tensor(plus, x.shape)) - f(new Tensor(minus, x.shape))) / (2 * h);
  }
  return g;
}

function gradientOf(f: (x: Tensor) => Tensor, x0: Tensor): Float64Array {
  const x = new Tensor(new Float64Array(x0.data), x0.shape, true);
  const out = f(x);
  backward(out);
  return Float64Array.from(x.grad!.data);
}

describe("weighted cross-entropy and the Huber loss against PyTorch 1.13", () => {
  it("softmax: F.cross_entropy(weight=balanced) on the three-class case", () => {
    const c = fixture.cases.find((k) => k.logits !== undefined)!;
    const loss = weightedCrossEntropy(c.classWeights)(new Tensor(Float64Array.from(c.logits!), [c.labels.length, 3]), tensor(c.labels));
    expect(Math.abs(loss.item() - c.weightedCrossEntropy!)).toBeLessThan(1e-12);
  });

  it("binary: Σ w·BCE-with-logits / Σ w", () => {
    const b = fixture.binaryWeighted;
    const loss = weightedCrossEntropy(b.weights)(new Tensor(Float64Array.from(b.logits), [b.logits.length, 1]), tensor(b.target));
    expect(Math.abs(loss.item() - b.loss)).toBeLessThan(1e-12);
  });

  it("equal weights give the unweighted loss, and the gradients match central differences", () => {
    const z = tensor([[0.3, -1.2, 0.5], [2, 0.1, -0.4], [-0.7, 0.2, 1.1]]);
    const y = tensor([2, 0, 1]);
    const f = weightedCrossEntropy([0.2, 1.5, 3]);
    const analytic = gradientOf((x) => f(x, y), z);
    const numeric = numericGradient((x) => f(x, y).item(), z);
    analytic.forEach((g, i) => expect(Math.abs(g - numeric[i]!)).toBeLessThan(1e-8));
    const zb = tensor([[0.4], [-2], [1.3]]), yb = tensor([1, 0, 1]);
    const fb = weightedCrossEntropy([2, 0.5]);
    const ab = gradientOf((x) => fb(x, yb), zb), nb = numericGradient((x) => fb(x, yb).item(), zb);
    ab.forEach((g, i) => expect(Math.abs(g - nb[i]!)).toBeLessThan(1e-8));
    expect(weightedCrossEntropy([2, 2, 2])(z, y).item()).toBeCloseTo(weightedCrossEntropy([1, 1, 1])(z, y).item(), 14);
  });

  it("Huber loss equals F.huber_loss for δ = 0.5, 1, 2, and its gradient is right", () => {
    const r = fixture.regression;
    for (const [d, want] of Object.entries(fixture.regression.huber)) {
      const v = huberLoss(tensor(r.predicted), tensor(r.target), { delta: Number(d) }).item();
      expect(Math.abs(v - want)).toBeLessThan(1e-12);
    }
    const out = tensor([[0.2], [-3], [1.5], [0.9]]), t = tensor([0, 0, 1, 2]);
    const a = gradientOf((x) => huberLoss(x, t, { delta: 1 }), out);
    const n = numericGradient((x) => huberLoss(x, t, { delta: 1 }).item(), out);
    a.forEach((g, i) => expect(Math.abs(g - n[i]!)).toBeLessThan(1e-8));
    expect(() => huberLoss(out, t, { delta: 0 })).toThrow(/delta must be a positive number/);
    expect(regressionHead({ loss: "huber" }).lossName).toBe("huberLoss");
    expect(() => regressionHead({ loss: "mse", delta: 1 })).toThrow(/delta applies to loss "huber"/);
  });
});

describe("regression scores", () => {
  it("scikit-learn's documented r2_score / mean_absolute_error example, by hand", () => {
    const r = regressionReport([3, -0.5, 2, 7], [2.5, 0, 2, 8]);
    expect(r.mse).toBe(0.375);
    expect(r.mae).toBe(0.5);
    expect(r.rmse).toBeCloseTo(Math.sqrt(0.375), 15);
    expect(r.r2).toBeCloseTo(0.9486081370449679, 14);
  });

  it("equals scikit-learn on a seeded case with heavy-tailed errors", () => {
    const f = fixture.regression;
    const r = regressionReport(f.target, f.predicted);
    expect(Math.abs(r.r2 - f.r2)).toBeLessThan(1e-12);
    expect(Math.abs(r.mae - f.mae)).toBeLessThan(1e-12);
    expect(Math.abs(r.mse - f.mse)).toBeLessThan(1e-12);
  });

  it("the mean predictor has R² ≤ 0 off its own rows and exactly 0 on them", () => {
    expect(meanBaseline([1, 2, 3], [1, 2, 3]).r2).toBe(0);
    expect(meanBaseline([1, 2, 3], [2, 4]).rmse).toBeCloseTo(Math.SQRT2, 15);
    expect(regressionReport([5, 5], [5, 5]).r2).toBe(1);
    expect(regressionReport([5, 5], [4, 5]).r2).toBe(0);
  });
});
