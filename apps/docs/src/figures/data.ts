// The guide's figures, the data side: one entry per `<HoneFigure id="<page>/<figure>">`,
// computing what the figure draws by calling the page's own example functions
// (apps/docs/examples/*.ts, run and checked in Node by test/examples.test.ts). Runs in the
// examples' worker in the browser, and in Node in src/figures/data.test.ts; returns plain
// data (structured clone), drawn on the page by src/figures/draw.ts.
import { checkSplit, type SplitPart } from "@hone/data-split";
import { heNormal, randomNormal, zeros } from "@hone/init";
import { threeFits } from "../../examples/bias-variance.js";
import { costCurve } from "../../examples/dropout.js";
import { findTheBug } from "../../examples/gradient-checking.js";
import { activationsByLayer } from "../../examples/initialization.js";
import { trainWithL2 } from "../../examples/l2-regularization.js";
import { descentPath } from "../../examples/normalizing-inputs.js";
import { costs, optimizers } from "../../examples/optimizers.js";
import recordedAugmentation from "../../examples/augmentation-recorded.json" with { type: "json" };
import { stopEarly } from "../../examples/other-regularization.js";
import { flatPrices } from "../../examples/real-tables.js";
import { twoSplits } from "../../examples/train-dev-test.js";
import { deepSigmoid, heRelu, hugeWeights } from "../../examples/vanishing-exploding-gradients.js";
import { boundary, points, type Grid, type Points } from "./grid.js";

export type { Grid, Points } from "./grid.js";

/** The first feature of each part of a split, and checkSplit's verdict on it. */
function firstFeature(split: { train: SplitPart; dev: SplitPart; test: SplitPart }): { ok: boolean; finding: string; parts: Record<"train" | "dev" | "test", number[]> } {
  const column = (p: SplitPart): number[] => Array.from({ length: p.x.shape[0]! }, (_, i) => p.x.data[2 * i]!);
  const check = checkSplit(split);
  return { ok: check.ok, finding: check.findings[0]?.message ?? "", parts: { train: column(split.train), dev: column(split.dev), test: column(split.test) } };
}

/** A sample of at most `k` values, evenly spaced through `values`. */
function sample(values: ArrayLike<number>, k: number): number[] {
  const step = Math.max(1, Math.floor(values.length / k));
  const out: number[] = [];
  for (let i = 0; i < values.length && out.length < k; i += step) out.push(values[i]!);
  return out;
}

const L2_LAMBDAS = [0, 1, 3];
const KEEP_PROBS = [1, 0.8, 0.5];

/**
 * The figures computed in parts (FIGURE_PARTS in parts.ts): part i is one independent run,
 * and the figure's data is the list of its parts, so the page can compute them on several
 * workers at once. `figureData` computes the same list in order.
 */
/** One λ's run: its boundary over the training points, and its accuracies and weight norm. */
export type L2Part = ReturnType<typeof trainWithL2>["result"] & { lambda: number; train: Points; grid: Grid };

/** One keep probability's train and dev cost per epoch. */
export interface DropoutPart {
  keepProb: number;
  train: number[];
  dev: number[];
}

export const figurePart = {
  "l2-regularization/lambdas": (i: number): L2Part => {
    const lambda = L2_LAMBDAS[i]!;
    const { model, train, result } = trainWithL2(lambda);
    const pts = points(train.x, train.y);
    return { lambda, train: pts, grid: boundary(model, pts), ...result };
  },
  "dropout/keep-prob": (i: number): DropoutPart => {
    const k = KEEP_PROBS[i]!;
    const { costs: train, devCosts: dev } = costCurve([k, k]);
    return { keepProb: k, train, dev };
  },
};

/** Every figure's data, by `<page>/<figure>`. */
export const figureData = {
  "train-dev-test/parts": () => {
    const { inFileOrder, shuffled } = twoSplits();
    return { "in file order": firstFeature(inFileOrder), shuffled: firstFeature(shuffled) };
  },

  "bias-variance/boundaries": () => {
    const { train, fits } = threeFits();
    const pts = points(train.x, train.y);
    return {
      train: pts,
      fits: fits.map(({ name, model, diagnosis: d }) => ({
        name, grid: boundary(model, pts), verdict: d.verdict,
        trainError: d.trainError, devError: d.devError, baseError: d.baseError.value,
        avoidableBias: d.avoidableBias, variance: d.variance,
      })),
    };
  },

  "normalizing-inputs/contours": () => {
    const one = (standardize: boolean): { lr: number; path: [number, number][]; grid: Grid } => {
      const { lr, path, costAt } = descentPath(standardize);
      const w1 = path.map((w) => w[0]), w2 = path.map((w) => w[1]);
      const lo = Math.min(...w1, ...w2), hi = Math.max(...w1, ...w2);
      const n = 40, x1 = lo - 0.5, x2 = hi + 0.5; // a square window, so round contours look round
      const cost: number[] = [];
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) cost.push(costAt([x1 + ((j + 0.5) * (x2 - x1)) / n, x1 + ((i + 0.5) * (x2 - x1)) / n]));
      return { lr, path, grid: { n, x1, x2, y1: x1, y2: x2, p: cost } };
    };
    return { raw: one(false), standardized: one(true) };
  },

  "initialization/histograms": () => {
    const inits = { zeros, "randomNormal({ std: 10 })": randomNormal({ std: 10 }), heNormal };
    return Object.entries(inits).map(([name, init]) => ({ name, layers: activationsByLayer(init).map((z) => sample(z, 1000)) }));
  },

  "vanishing-exploding-gradients/norms": () => {
    const runs = {
      "deepSigmoid: 10 sigmoid layers, Xavier": deepSigmoid(),
      "hugeWeights: 4 ReLU layers, N(0, 10²)": hugeWeights(),
      "heRelu: 5 ReLU layers, He": heRelu(),
    };
    return Object.entries(runs).map(([name, monitor]) => ({
      name,
      vanishing: monitor.report().vanishing,
      exploding: monitor.report().exploding,
      steps: monitor.history.map((r) => r.layers.map((l) => l.gradNorm)),
    }));
  },

  "l2-regularization/lambdas": () => L2_LAMBDAS.map((_, i) => figurePart["l2-regularization/lambdas"](i)),

  "dropout/keep-prob": () => KEEP_PROBS.map((_, i) => figurePart["dropout/keep-prob"](i)),

  // Recorded, not computed on load: ten CNN trainings of 300 epochs take minutes. The record
  // is augmentationExperiment's output (scripts/record-augmentation.ts), and
  // test/examples.test.ts re-runs its seed 1 and requires the same numbers.
  "other-regularization/augmentation": () => {
    const { runs } = recordedAugmentation;
    const mean = (pick: (r: (typeof runs)[number]) => number): number => runs.reduce((a, r) => a + pick(r), 0) / runs.length;
    return {
      runs,
      mean: {
        plain: { trainError: mean((r) => r.plain.trainError), devError: mean((r) => r.plain.devError) },
        shifted: { trainError: mean((r) => r.shifted.trainError), devError: mean((r) => r.shifted.devError) },
      },
    };
  },

  "other-regularization/early-stopping": () => stopEarly(),

  "gradient-checking/differences": () => findTheBug().rows,

  "optimizers/curves": () => Object.entries(optimizers).map(([name, make]) => ({ name, costs: costs(make()) })),

  "real-tables/predictions": async () => {
    const { testPrices, test, meanPredictor } = await flatPrices();
    return { actual: Array.from(testPrices.actual), predicted: Array.from(testPrices.predicted), rmse: test.rmse, meanRmse: meanPredictor.rmse };
  },
} satisfies Record<string, () => unknown>;
