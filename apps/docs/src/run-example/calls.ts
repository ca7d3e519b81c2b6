// The guide's examples as the pages' "Run in your browser" buttons run them: one entry per
// included region, `<page>/<region>`, calling the region's exports with the arguments the
// page discusses. `test/run-examples.test.ts` checks that these keys are exactly the ids the
// pages use. Only the worker imports this file (it pulls in every example and package).
import type { Diagnosis } from "@hone/data-split";
import type { MonitorReport } from "@hone/gradcheck";
import { heNormal, lecunNormal } from "@hone/init";
import { fourCases, moonsBaseError, moonsLearningCurve, samplingNoise, threeFits } from "../../examples/bias-variance.js";
import { costCurve, invertedDropout } from "../../examples/dropout.js";
import { firstModel, trainWithoutBlocking } from "../../examples/getting-started.js";
import { checkCube, checkWithDropout, findTheBug, oneDimensional, tiers } from "../../examples/gradient-checking.js";
import { initializationExperiment, signalThroughDepth, variances } from "../../examples/initialization.js";
import { l2IsWeightDecay, penaltyByHand, withAndWithoutL2 } from "../../examples/l2-regularization.js";
import { descentPath, fitOnTrain, rawVersusStandardized } from "../../examples/normalizing-inputs.js";
import { adamFirstStep, finalCost, optimizers, ratesDuringTraining, schedules } from "../../examples/optimizers.js";
import { augmentationExperiment, stopEarly, trainWithNoise, transforms } from "../../examples/other-regularization.js";
import { partSizes, sameDistribution } from "../../examples/train-dev-test.js";
import { flatPrices, rareClass } from "../../examples/real-tables.js";
import { deepSigmoid, heRelu, hugeWeights, largestNormAfterFiveSteps } from "../../examples/vanishing-exploding-gradients.js";

/** A gradient monitor's report as the page reads it: the verdicts, the findings, each layer's ‖∇W‖ range. */
function monitorSummary(report: MonitorReport): unknown {
  return {
    vanishing: report.vanishing,
    exploding: report.exploding,
    findings: report.findings.map((f) => f.message),
    "‖∇W‖ min, max": Object.fromEntries(report.layers.map((l) => [l.layer, [l.min, l.max]])),
  };
}

/** A diagnosis as the page reads it: the two gaps with their intervals, the verdict, and the dev size that would tell. */
function diagnosisSummary(d: Diagnosis): unknown {
  return { verdict: d.verdict, variance: d.variance, avoidableBias: d.avoidableBias, devExamplesNeeded: d.devExamplesNeeded };
}

/** A descent path as the page reads it: the rate, where it ended and the cost there. */
function pathSummary({ lr, path, costAt }: ReturnType<typeof descentPath>): unknown {
  return { lr, steps: path.length - 1, end: path.at(-1), costAtStart: costAt(path[0]!), costAtEnd: costAt(path.at(-1)!) };
}

/** A runnable example: no arguments, returns what the page shows (or a promise of it). */
export type ExampleCall = () => unknown;

/** Every runnable example, by `<page>/<region>`. */
export const calls: Record<string, ExampleCall> = {
  "getting-started/first-model": () => firstModel(),
  "getting-started/fit-async": async () => {
    const history = await trainWithoutBlocking();
    const last = history.epochs.at(-1)!;
    return { epochs: history.epochs.length, firstLoss: history.epochs[0]!.trainLoss, lastLoss: last.trainLoss, devAccuracy: last.dev!.accuracy };
  },

  "train-dev-test/sizes": () => ({
    "10,000 rows, 60/20/20": partSizes(10_000, "60/20/20"),
    "1,000,000 rows, 98/1/1": partSizes(1_000_000, "98/1/1"),
    "1,000 rows, 99.5/0.25/0.25": partSizes(1_000, "99.5/0.25/0.25"),
  }),
  "train-dev-test/same-distribution": () => sameDistribution(),

  "bias-variance/diagnose": () => fourCases(),
  "bias-variance/base-error": () => moonsBaseError(),
  "bias-variance/sampling-noise": () => {
    const { sixOf200, noneOf30, small, large } = samplingNoise();
    return { "6 of 200": sixOf200, "0 of 30": noneOf30, "200 dev rows": diagnosisSummary(small), "20,000 dev rows": diagnosisSummary(large) };
  },
  "bias-variance/learning-curve": () => moonsLearningCurve(),
  "bias-variance/three-models": () => threeFits().fits.map(({ name, diagnosis: d }) => ({
    name, trainError: d.trainError.value, devError: d.devError.value, verdict: d.verdict,
  })),

  "real-tables/table": () => flatPrices(),
  "real-tables/imbalanced": () => rareClass(),

  "normalizing-inputs/fit-on-train": () => fitOnTrain(),
  "normalizing-inputs/training": () => rawVersusStandardized(),
  "normalizing-inputs/contours": () => ({ raw: pathSummary(descentPath(false)), standardized: pathSummary(descentPath(true)) }),

  "initialization/variances": () => variances(),
  "initialization/depth": () => ({ heNormal: signalThroughDepth(heNormal), lecunNormal: signalThroughDepth(lecunNormal) }),
  "initialization/symmetry": () => initializationExperiment(),

  "l2-regularization/by-hand": () => penaltyByHand(),
  "l2-regularization/weight-decay": () => ({ largestDifference: l2IsWeightDecay() }),
  "l2-regularization/overfit": () => ({ "λ = 0": withAndWithoutL2(0), "λ = 1": withAndWithoutL2(1) }),

  "dropout/inverted": () => invertedDropout(),
  "dropout/per-layer": () => ({ "keepProb [1, 1]": costCurve([1, 1]), "keepProb [0.5, 0.5]": costCurve([0.5, 0.5]) }),

  "other-regularization/augment": () => ({ ...transforms(), trainLossWithNoise: trainWithNoise() }),
  "other-regularization/digits": () => augmentationExperiment([1]),
  "other-regularization/early-stopping": () => stopEarly(),

  "vanishing-exploding-gradients/monitor": () => ({
    deepSigmoid: monitorSummary(deepSigmoid().report()),
    hugeWeights: monitorSummary(hugeWeights().report()),
    heRelu: monitorSummary(heRelu().report()),
  }),
  "vanishing-exploding-gradients/clip": () => ({
    "no clipping": largestNormAfterFiveSteps(),
    "clipNorm: 1": largestNormAfterFiveSteps(1),
  }),

  "gradient-checking/one-dimensional": () => ({ ...oneDimensional(), tiers: tiers() }),
  "gradient-checking/custom-op": () => ({ "checkCube(3)": checkCube(3), "checkCube(2)": checkCube(2) }),
  "gradient-checking/find-the-bug": () => findTheBug(),
  "gradient-checking/dropout-off": () => checkWithDropout(),

  "optimizers/compare": () => Object.fromEntries(Object.entries(optimizers).map(([name, make]) => [name, finalCost(make())])),
  "optimizers/first-step": () => {
    const [small, one, large] = adamFirstStep(); // the steps for gradients 1e-4, 1 and 1e4
    return { "g = 1e-4": small, "g = 1": one, "g = 1e4": large };
  },
  "optimizers/schedules": () => ({ ...schedules(), ratesDuringTraining: ratesDuringTraining() }),
};
