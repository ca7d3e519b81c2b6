// Runs every example the guide pages include and checks what it returns against
// hand-derived values or the thresholds the pages state.
import { describe, expect, it, vi } from "vitest";
import { firstModel, trainWithoutBlocking } from "../examples/getting-started.js";
import { partSizes, sameDistribution } from "../examples/train-dev-test.js";
import { flatPrices, rareClass } from "../examples/real-tables.js";
import { fourCases, moonsBaseError, moonsLearningCurve, samplingNoise, threeFits } from "../examples/bias-variance.js";
import { descentPath, fitOnTrain, rawVersusStandardized } from "../examples/normalizing-inputs.js";
import { heNormal, lecunNormal, randomNormal, zeros } from "@hone/init";
import { activationsByLayer, initializationExperiment, signalThroughDepth, variances } from "../examples/initialization.js";
import { l2IsWeightDecay, penaltyByHand, trainWithL2, withAndWithoutL2 } from "../examples/l2-regularization.js";
import { costCurve, invertedDropout } from "../examples/dropout.js";
import { augmentationExperiment, stopEarly, trainWithNoise, transforms } from "../examples/other-regularization.js";
import recordedAugmentation from "../examples/augmentation-recorded.json" with { type: "json" };
import { deepSigmoid, heRelu, hugeWeights, largestNormAfterFiveSteps } from "../examples/vanishing-exploding-gradients.js";
import { checkCube, checkWithDropout, findTheBug, oneDimensional, tiers } from "../examples/gradient-checking.js";
import { adamFirstStep, finalCost, optimizers, ratesDuringTraining, schedules } from "../examples/optimizers.js";

const LN2 = Math.log(2);

describe("getting started", () => {
  it("trains the first model to a low dev error", () => {
    const r = firstModel();
    // The moons overlap at noise 0.2: a good model reaches about 97%, chance is 50%.
    expect(r.devAccuracy).toBeGreaterThan(0.93);
    expect(r.testAccuracy).toBeGreaterThan(0.93);
    // Cross-entropy starts near ln 2 ≈ 0.693 for an untrained logit and falls.
    expect(r.firstLoss).toBeGreaterThan(0.2);
    expect(r.lastLoss).toBeLessThan(r.firstLoss / 2);
  });

  it("trains the same model with fitAsync to the same numbers, bit for bit, reporting every epoch", async () => {
    const sync = firstModel();
    const seen: number[] = [];
    const history = await trainWithoutBlocking({ onEpoch: (log) => seen.push(log.epoch) });
    expect(history.epochs.length).toBe(60);
    expect(seen).toEqual(Array.from({ length: 60 }, (_, i) => i));
    expect(history.epochs[0]!.trainLoss).toBe(sync.firstLoss);
    expect(history.epochs.at(-1)!.trainLoss).toBe(sync.lastLoss);
    expect(history.epochs.at(-1)!.dev!.accuracy).toBe(sync.devAccuracy);
  });

  it("stops fitAsync when its signal is aborted", async () => {
    const controller = new AbortController();
    const seen: number[] = [];
    const run = trainWithoutBlocking({ signal: controller.signal, onEpoch: (log) => { seen.push(log.epoch); if (log.epoch === 4) controller.abort(new Error("enough")); } });
    await expect(run).rejects.toThrow("enough");
    expect(seen).toEqual([0, 1, 2, 3, 4]);
  });

  it("runs the home page's script: dev accuracy above 93%", async () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
    try {
      await import("../examples/home.js");
      expect(log).toHaveBeenCalledTimes(1);
      const accuracy = log.mock.calls[0]![0] as number;
      expect(accuracy).toBeGreaterThan(0.93);
      expect(accuracy).toBeLessThanOrEqual(1);
    } finally {
      log.mockRestore();
    }
  });
});

describe("the figures' example functions", () => {
  it("bias and variance: a model that underfits, one that fits, one that overfits", () => {
    const { train, fits } = threeFits();
    expect(train.y.size).toBe(300);
    expect(fits.map((f) => f.diagnosis.verdict)).toEqual(["high bias", "fine", "high variance"]);
    const [under, good, over] = fits.map((f) => f.diagnosis);
    // Logistic regression cannot bend: train error far above the moons' Bayes error (~8.5% at noise 0.3).
    expect(under!.trainError.value).toBeGreaterThan(0.12);
    expect(good!.devError.value).toBeLessThan(0.11);
    // The big network fits its training points almost perfectly and does worse on dev.
    expect(over!.trainError.value).toBeLessThan(0.03);
    expect(over!.devError.value - over!.trainError.value).toBeGreaterThan(0.05);
  });

  it("normalizing inputs: gradient descent reaches a much lower cost in 25 steps on standardized inputs", () => {
    const raw = descentPath(false), std = descentPath(true);
    expect(raw.path.length).toBe(26);
    expect(std.path.length).toBe(26);
    expect(raw.path[0]).toEqual([-2, -2]);
    // The cost's floor is the label noise's variance, 0.3² = 0.09. Standardized, 25 steps get
    // within 25% of it; raw, the step is held below 2/L across w₂, so it crawls along w₁.
    expect(std.costAt(std.path.at(-1)!)).toBeLessThan(1.25 * 0.09);
    expect(raw.costAt(raw.path.at(-1)!)).toBeGreaterThan(3 * std.costAt(std.path.at(-1)!));
    // Raw zigzags: w₂ changes sign on most steps.
    const flips = raw.path.slice(1).filter((w, i) => Math.sign(w[1] - 0.4) !== Math.sign(raw.path[i]![1] - 0.4)).length;
    expect(flips).toBeGreaterThan(15);
  });

  it("initialization: zeros give zeros, N(0, 10²) grows each layer by tens, He keeps the spread", () => {
    const std = (z: Float64Array): number => Math.sqrt(z.reduce((s, v) => s + v * v, 0) / z.length);
    const zero = activationsByLayer(zeros).map(std);
    expect(zero).toEqual([0, 0, 0, 0, 0]);
    const big = activationsByLayer(randomNormal({ std: 10 })).map(std);
    for (let l = 1; l < big.length; l++) expect(big[l]! / big[l - 1]!).toBeGreaterThan(30); // ≈ 10·√(100/2) ≈ 70
    const he = activationsByLayer(heNormal).map(std);
    for (let l = 1; l < he.length; l++) expect(he[l]! / he[l - 1]!).toBeGreaterThan(0.5);
    for (let l = 1; l < he.length; l++) expect(he[l]! / he[l - 1]!).toBeLessThan(2);
  });

  it("L2: the weights' norm falls as λ grows", () => {
    const norms = [0, 1, 3].map((lambda) => trainWithL2(lambda).result.weightNorm);
    expect(norms[0]!).toBeGreaterThan(2 * norms[1]!);
    expect(norms[1]!).toBeGreaterThan(norms[2]!);
  });

  it("dropout: dev costs every epoch, and keepProb 0.5's training cost is noisier than without dropout", () => {
    const off = costCurve([1, 1]), half = costCurve([0.5, 0.5]);
    expect(off.devCosts.length).toBe(150);
    expect(half.devCosts.length).toBe(150);
    expect(half.increases).toBeGreaterThan(20);
    expect(off.increases).toBe(0);
    for (const c of half.devCosts) expect(c).toBeLessThan(LN2 + 0.1);
  });
});

describe("train, dev and test sets", () => {
  it("sizes the parts by the ratios, dev and test rounded, train the rest", () => {
    expect(partSizes(10_000, "60/20/20")).toEqual([6000, 2000, 2000]);
    expect(partSizes(1_000_000, "98/1/1")).toEqual([980_000, 10_000, 10_000]);
    expect(partSizes(1_000, "99.5/0.25/0.25")).toEqual([994, 3, 3]); // 2.5 rounds up
  });

  it("flags dev and test cut from sorted rows, and passes a shuffled split", () => {
    const r = sameDistribution();
    expect(r.inFileOrder).toBe(false);
    expect(r.shuffled).toBe(true);
    expect(r.errorMessage).toMatch(/^dev and test come from different distributions in x\[0\] \(D = 1\.00,/);
  });
});

describe("bias and variance", () => {
  it("gives the four verdicts of the basic recipe", () => {
    expect(fourCases()).toEqual(["high variance", "high bias", "high bias and high variance", "fine", "fine"]);
  });

  it("knows the moons' Bayes error, and estimates it from the training split within its interval", () => {
    const r = moonsBaseError();
    // Independent references: a scipy quadrature (von Mises CDF on a σ/64 midpoint grid, in
    // packages/data-split's bayes-error.test.ts), and issue 16's Monte Carlo figure ≈ 2.9%.
    expect(Math.abs(r.known - 0.0289566)).toBeLessThan(1e-4);
    expect(r.known).toBeCloseTo(0.029, 3);
    expect(Math.abs(r.bayesAt03 - 0.0854102)).toBeLessThan(1e-4);
    // The estimate saw 1200 training rows: their own noise is √(0.085·0.915/1200) ≈ 0.008; allow 2.5 of it.
    expect(r.estimate.rows).toBe(1200);
    expect(Math.abs(r.estimate.value - r.bayesAt03)).toBeLessThan(0.02);
    expect(r.estimate.low).toBeLessThan(r.bayesAt03);
    expect(r.estimate.high).toBeGreaterThan(r.bayesAt03);
    expect(r.estimate.reliable).toBe(true); // 2 features, 600 rows per class: neither warning applies
  });

  it("reads the same rates as noise on 200 dev rows and as high variance on 20,000", () => {
    const r = samplingNoise();
    // scipy.stats.binomtest(k, n).proportion_ci(method="wilson"), scipy 1.17.
    expect(r.sixOf200.low).toBeCloseTo(0.013820314340111339, 15);
    expect(r.sixOf200.high).toBeCloseTo(0.06389429245451923, 15);
    expect(r.noneOf30.low).toBe(0);
    expect(r.noneOf30.high).toBeCloseTo(0.11351339317396875, 15);
    // By hand from the rule, with the scipy Wilson limits: train 60/6000 is [0.7777%, 1.2850%];
    // dev 10/200 is [2.7383%, 8.9578%], 1000/20000 is [4.7065%, 5.3108%]. Variance 4 points,
    // Newcombe's lower end 0.04 − √((0.05 − low_dev)² + (high_train − 0.01)²):
    const lower = (devLow: number): number => 0.04 - Math.hypot(0.05 - devLow, 0.01284978442854783 - 0.01);
    expect(lower(0.02738264560076392)).toBeCloseTo(0.0172, 4); // below 2 points: could be noise
    expect(lower(0.04706496286155674)).toBeCloseTo(0.0359, 4); // above 2 points and above 1/20000
    expect(r.small.variance.low).toBeCloseTo(lower(0.02738264560076392), 12);
    expect(r.large.variance.low).toBeCloseTo(lower(0.04706496286155674), 12);
    // Avoidable bias 1 point (base error 0) is low in both, so:
    expect([r.small.levels, r.large.levels]).toEqual([{ bias: "low", variance: "unresolved" }, { bias: "low", variance: "high" }]);
    expect(r.small.verdict).toBe("too few dev examples");
    expect(r.large.verdict).toBe("high variance");
    expect(r.large.devExamplesNeeded).toBeNull();
    // devExamplesNeeded is the smallest dev set whose interval of this gap (dev 5%) clears 2
    // points: check the definition with the Wilson and Newcombe formulas written out here.
    const z = 1.959963984540054; // Φ⁻¹(0.975)
    const wilsonLow = (k: number, n: number): number => {
      const p = k / n, d = 1 + (z * z) / n;
      return ((p + (z * z) / (2 * n)) - z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / d;
    };
    expect(wilsonLow(6, 200)).toBeCloseTo(0.013820314340111339, 15);
    const clears = (n: number): boolean => 0.04 - Math.hypot(0.05 - wilsonLow(0.05 * n, n), 0.01284978442854783 - 0.01) > 0.02;
    const needed = r.small.devExamplesNeeded!;
    expect(needed).toBe(288);
    expect([clears(needed - 1), clears(needed)]).toEqual([false, true]);
  });

  it("draws a learning curve whose dev error falls with more data", () => {
    const curve = moonsLearningCurve();
    expect(curve.map((p) => p.size)).toEqual([16, 64, 250, 1000]);
    expect(curve[0]!.trainError).toBe(0); // 16 rows are fitted exactly…
    expect(curve[0]!.devError).toBeGreaterThan(0.15); // …and do not generalize
    expect(curve[3]!.devError).toBeLessThan(curve[0]!.devError / 2);
    // At 1000 rows the two errors meet near the noise level: a gap of a few points at most.
    expect(Math.abs(curve[3]!.devError - curve[3]!.trainError)).toBeLessThan(0.05);
    expect(curve[3]!.trainError).toBeGreaterThan(curve[0]!.trainError);
  });
});

describe("normalizing inputs", () => {
  it("standardizes train to mean 0 and variance 1, transforms dev with the training statistics, refuses to fit on dev", () => {
    const r = fitOnTrain();
    for (const m of r.trainMean) expect(Math.abs(m)).toBeLessThan(1e-12);
    for (const v of r.trainVar) expect(v).toBeCloseTo(1, 12);
    // Dev is a different sample: its mean is near 0 (200 rows: standard error ≈ 0.07) but not 0.
    for (const m of r.devMean) {
      expect(Math.abs(m)).toBeGreaterThan(1e-6);
      expect(Math.abs(m)).toBeLessThan(0.25);
    }
    expect(r.fitOnDev).toBe("Standardizer.fit: x is the dev split; fit on the training split only and transform dev/test with the training statistics");
  });

  it("trains on standardized inputs; on raw inputs the tanh units saturate and the cost stays at ln 2", () => {
    const r = rawVersusStandardized();
    expect(r.raw).toBeCloseTo(LN2, 3); // balanced classes, only the output bias can learn
    expect(r.standardized).toBeLessThan(0.4);
  });
});

describe("weight initialization", () => {
  it("draws He, LeCun and Glorot variances by their formulas (fanIn 512, fanOut 256)", () => {
    const r = variances();
    // 131,072 draws: the relative standard error of a sample variance is √(2/n) ≈ 0.4%; allow 3%.
    expect(r.he / (2 / 512)).toBeCloseTo(1, 1);
    expect(Math.abs(r.he / (2 / 512) - 1)).toBeLessThan(0.03);
    expect(Math.abs(r.lecun / (1 / 512) - 1)).toBeLessThan(0.03);
    expect(Math.abs(r.xavier / (2 / 768) - 1)).toBeLessThan(0.03);
  });

  it("keeps the signal through 20 ReLU layers with He; LeCun's 1/n halves it per layer", () => {
    const he = signalThroughDepth(heNormal);
    const lecun = signalThroughDepth(lecunNormal);
    expect(he).toBeGreaterThan(0.25);
    expect(he).toBeLessThan(4);
    // 2⁻²⁰ ≈ 9.5e-7, within a factor of 4 either way.
    expect(lecun).toBeGreaterThan(2 ** -22);
    expect(lecun).toBeLessThan(2 ** -18);
  });

  it("reproduces the three cases of the initialization experiment", () => {
    const { zeros: z, large: big, he } = initializationExperiment();
    expect(z.firstLoss).toBeCloseTo(LN2, 12); // every logit is exactly 0
    expect(z.accuracy).toBe(0.5);
    expect(big.firstLoss).toBeGreaterThan(100);
    expect(he.firstLoss).toBeLessThan(2);
    expect(he.accuracy).toBeGreaterThan(0.9);
    expect(he.accuracy).toBeGreaterThan(big.accuracy);
  });
});

describe("L2 regularization", () => {
  it("adds λ/(2m)·Σ‖W‖² to the cost and λ/m·W to dW, nothing to the biases", () => {
    const r = penaltyByHand();
    expect(Math.abs(r.value - r.byHand)).toBeLessThan(1e-14 * r.byHand);
    expect(r.gradientError).toBeLessThan(1e-15);
    expect(r.biasGrad).toBeNull();
  });

  it("is coupled weight decay λ/m under full-batch gradient descent", () => {
    expect(l2IsWeightDecay()).toBeLessThan(1e-12);
  });

  it("shrinks the weights and the train/dev gap of an overfitting network", () => {
    const none = withAndWithoutL2(0), some = withAndWithoutL2(1);
    expect(none.trainAccuracy).toBe(1); // 40 points memorized
    expect(some.trainAccuracy).toBeLessThan(1);
    expect(some.weightNorm).toBeLessThan(none.weightNorm / 4);
    expect(some.devLoss).toBeLessThan(none.devLoss / 3);
    expect(some.trainAccuracy - some.devAccuracy).toBeLessThan(none.trainAccuracy - none.devAccuracy);
  });
});

describe("dropout", () => {
  it("drops 1 − keepProb of the units, scales the rest by 1/keepProb, and is the identity in eval mode", () => {
    const r = invertedDropout();
    // 100,000 Bernoulli(0.2) draws: standard error √(0.2·0.8/1e5) ≈ 0.0013; allow 5 of them.
    expect(Math.abs(r.dropped - 0.2)).toBeLessThan(0.0065);
    expect(r.keptValue).toBe(1 / 0.8);
    expect(Math.abs(r.mean - 1)).toBeLessThan(0.0065 / 0.8);
    expect(r.evalIsIdentity).toBe(true);
  });

  it("inserts one Dropout per hidden layer whose keepProb is below 1, and the cost stops being monotone", () => {
    const plain = costCurve([1, 1]);
    expect(plain.layers).toEqual(["Linear", "ReLU", "Linear", "ReLU", "Linear"]);
    expect(plain.increases).toBe(0);
    const dropped = costCurve([0.5, 0.5]);
    expect(dropped.layers).toEqual(["Linear", "ReLU", "Dropout", "Linear", "ReLU", "Dropout", "Linear"]);
    expect(dropped.increases).toBeGreaterThan(20);
  });
});

describe("augmentation and early stopping", () => {
  it("flips and shifts an image", () => {
    const r = transforms();
    expect(r.flipped).toEqual([3, 2, 1, 6, 5, 4]);
    // A shift by dx ∈ {−1, 0, 1}: the rows are moved whole, the uncovered column is 0.
    expect([[0, 1, 2, 0, 4, 5], [1, 2, 3, 4, 5, 6], [2, 3, 0, 5, 6, 0]]).toContainEqual(r.shifted);
  });

  it("trains with noisy copies of the batches", () => {
    expect(trainWithNoise()).toBeLessThan(0.2);
  });

  it("the recorded digits experiment: shifts lower the dev error on every seed, 18 → 10.6 of 359 dev images on average", () => {
    const { runs } = recordedAugmentation;
    expect(runs.map((r) => r.seed)).toEqual([1, 2, 3, 4, 5]);
    // Errors are counts out of the 359 dev images (20% of 1,797) and of the 300 training images.
    const wrong = (error: number, rows: number): number => {
      const k = Math.round(error * rows);
      expect(Math.abs(error * rows - k)).toBeLessThan(1e-9);
      return k;
    };
    const plain = runs.map((r) => wrong(r.plain.devError, 359)), shifted = runs.map((r) => wrong(r.shifted.devError, 359));
    for (const r of runs) expect([wrong(r.plain.trainError, 300), wrong(r.shifted.trainError, 300)]).toEqual([0, 0]); // memorized
    for (let i = 0; i < runs.length; i++) expect(shifted[i]!).toBeLessThan(plain[i]!);
    // The page's numbers: 90 and 53 mistakes in all, means 5.01% and 2.95%.
    expect([plain.reduce((a, b) => a + b), shifted.reduce((a, b) => a + b)]).toEqual([90, 53]);
  });

  it("the record is what augmentationExperiment computes: seed 1 again gives the same numbers", () => {
    expect(augmentationExperiment([1])).toEqual([recordedAugmentation.runs[0]]);
  });

  it("stops patience epochs after the best dev loss and restores that epoch's weights", () => {
    const r = stopEarly();
    expect(r.stoppedEpoch).toBe(r.bestEpoch + 25);
    expect(r.epochsRun).toBe(r.bestEpoch + 26);
    expect(r.epochsRun).toBeLessThan(2000);
    expect(r.restoredDevLoss).toBe(r.bestValue);
  });
});

describe("vanishing and exploding gradients", () => {
  it("flags vanishing gradients in a deep sigmoid network", () => {
    const r = deepSigmoid().report();
    expect(r.vanishing).toBe(true);
    expect(r.exploding).toBe(false);
    const first = r.layers[0]!, last = r.layers.at(-1)!;
    expect(first.first / last.first).toBeLessThan(1e-3); // the monitor's default vanishingRatio
    expect(r.findings[0]!.layer).toBe("layers.0");
  });

  it("flags exploding gradients with std-10 weights, nothing with He", () => {
    const huge = hugeWeights().report();
    expect(huge.exploding).toBe(true);
    expect(huge.findings[0]!.kind).toBe("exploding");
    expect(huge.findings[0]!.step).toBe(0); // from the first backward pass
    const he = heRelu().report();
    expect(he.findings).toEqual([]);
    for (const layer of he.layers) {
      expect(layer.min).toBeGreaterThan(1e-2);
      expect(layer.max).toBeLessThan(10);
    }
  });

  it("keeps the gradients bounded with clipping by global norm", () => {
    expect(largestNormAfterFiveSteps()).toBeGreaterThan(1e30);
    expect(largestNormAfterFiveSteps(1)).toBeLessThan(1e7);
  });
});

describe("gradient checking", () => {
  it("reproduces the course's one-dimensional check and the tiers", () => {
    const r = oneDimensional();
    expect(r.numeric).toBeCloseTo(2, 8);
    expect(r.difference).toBe(2.919335883291695e-10); // the course's published value
    expect(tiers()).toEqual(["correct", "suspicious", "wrong"]);
  });

  it("passes a correct custom backward pass and fails a wrong one", () => {
    expect(checkCube(3)).toBe("correct");
    expect(checkCube(2)).toBe("wrong");
  });

  it("names the one broken parameter", () => {
    const r = findTheBug();
    expect(r.verdict).toBe("wrong");
    expect(r.failing).toEqual(["layers.2.bias"]);
    expect(r.rows.map(({ name, verdict }) => ({ name, verdict }))).toEqual([
      { name: "layers.0.weight", verdict: "correct" },
      { name: "layers.0.bias", verdict: "correct" },
      { name: "layers.2.weight", verdict: "correct" },
      { name: "layers.2.bias", verdict: "wrong" },
    ]);
    // The page's tiers: correct rows below 2e-7; a doubled gradient g vs ĝ = g/2 gives |g/2|/(3|g|/2) = 1/3.
    for (const row of r.rows.slice(0, 3)) expect(row.difference).toBeLessThan(2e-7);
    expect(Math.abs(r.rows[3]!.difference - 1 / 3)).toBeLessThan(1e-6);
  });

  it("checks a model with dropout in eval mode and restores its mode", () => {
    expect(checkWithDropout()).toEqual({ verdict: "correct", stillTraining: true });
  });
});

describe("optimizers and schedules", () => {
  it("ranks the optimizers on the same problem", () => {
    const cost = Object.fromEntries(Object.entries(optimizers).map(([name, make]) => [name, finalCost(make())]));
    for (const c of Object.values(cost)) expect(c).toBeLessThan(LN2); // every one learns something
    expect(cost.adam!).toBeLessThan(0.6 * cost.sgd!);
    expect(cost.rmsprop!).toBeLessThan(0.6 * cost.sgd!);
  });

  it("moves every weight by about α on Adam's first step", () => {
    const steps = adamFirstStep();
    // α·g/(|g| + ε) with ε = 1e-8
    expect(steps[0]).toBeCloseTo((0.01 * 1e-4) / (1e-4 + 1e-8), 15);
    expect(steps[1]).toBeCloseTo(0.01 / (1 + 1e-8), 15);
    expect(steps[2]).toBeCloseTo(0.01, 12);
  });

  it("computes the schedules' formulas", () => {
    const s = schedules();
    const close = (a: number[], b: number[]): void => a.forEach((v, i) => expect(v).toBeCloseTo(b[i]!, 12));
    close(s.inverseTime!, [0.1, 0.1 / 2, 0.1 / 3, 0.1 / 4, 0.1 / 11]);
    close(s.stepped!, [0.1, 0.1, 0.1 / 2, 0.1 / 2, 0.1 / 6]);
    close(s.exponential!, [0.1, 0.05, 0.025, 0.0125, 0.1 / 1024]);
    close(s.cosine!, [0, 1, 2, 3, 10].map((t) => (0.1 * (1 + Math.cos((Math.PI * t) / 10))) / 2));
    close(ratesDuringTraining(), [0.1, 0.05, 0.1 / 3, 0.025]);
  });
});

describe("real tables", () => {
  it("reads the roles, encodes on train rows, and regresses the price far better than the mean", async () => {
    const r = await flatPrices();
    expect(r.task).toBe("regression");
    expect(r.roles.id).toMatch(/^ignored: .*identifier/);
    expect(r.roles.district).toMatch(/^categorical/);
    expect(r.features).toEqual(["district=centre", "district=harbour", "district=hills", "district=old town", "district=station", "district=(missing)", "rooms", "area"]);
    // The price is 2.2·area + a district premium + N(0, 8²): no model beats an RMSE of about 8;
    // the mean predictor's R² on other rows is about 0.
    expect(r.test.rmse).toBeGreaterThan(7);
    expect(r.test.r2).toBeGreaterThan(0.9);
    expect(Math.abs(r.meanPredictor.r2)).toBeLessThan(0.05);
    expect(r.test.rmse).toBeLessThan(r.meanPredictor.rmse / 3);
  });

  it("shows accuracy under the always-negative baseline, and recall won back by weights and a dev threshold", () => {
    const r = rareClass();
    expect(r.baseline).toBeGreaterThan(0.9);
    expect(r.plain.accuracy).toBeLessThan(r.baseline + 0.01);
    expect(r.weighted.recall!).toBeGreaterThan(r.plain.recall!);
    expect(r.weighted.f1!).toBeGreaterThan(r.plain.f1!);
    expect(r.threshold).toBeGreaterThan(0);
    expect(r.threshold).toBeLessThan(1);
  });
});
