// `hone experiment augmentation`: the lecture's point that augmentation reduces variance,
// measured. A CNN on the first 300 training images of the built-in digits overfits (train error
// 0, dev error a few percent); the same network, seeds and epochs with random one-pixel shifts
// of every training batch has a lower dev error. Each run is `hone train` with the flags shown,
// on a thread of the trial pool, so the numbers can be reproduced one by one from the shell.
import { TrialPool, summaryOf } from "../trials.js";
import type { Progress } from "./types.js";

/** One seed's run of a variant. */
export interface AugmentationRun {
  seed: number;
  trainError: number;
  devError: number;
}

/** A variant: with or without augmentation, over every seed. */
export interface AugmentationVariant {
  name: string;
  /** The `--augment` value, or null for none. */
  augment: string | null;
  /** Means over the seeds. */
  trainError: number;
  devError: number;
  /** devError − trainError (the variance, as the course reads it). */
  variance: number;
  runs: AugmentationRun[];
}

/** The experiment's result. */
export interface AugmentationResult {
  name: "augmentation";
  data: string;
  /** The `hone train` flags every run shares (each adds --seed and, augmented, --augment). */
  flags: string[];
  trainRows: number;
  devRows: number;
  variants: [AugmentationVariant, AugmentationVariant];
  /** Mean variance without augmentation minus with it. */
  varianceReduction: number;
  /** Mean dev error without minus with. */
  devErrorReduction: number;
  /** Seeds on which the augmented run's dev error is lower. */
  seedsImproved: number;
  seconds: number;
  lesson: string;
}

/** The default setup: a small training set and a network large enough to overfit it. */
export const AUGMENTATION_TRAIN_ROWS = 300;
const FLAGS = ["--data", "digits", "--train-rows", String(AUGMENTATION_TRAIN_ROWS), "--conv", "16,32", "--layers", "64", "--epochs", "300"];
const AUGMENT = "shift:1";

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Runs both variants on seeds 1…`seeds`, `workers` runs at a time. */
export async function runAugmentation(options: { seeds: number; workers: number; backend?: string; onProgress?: Progress }): Promise<AugmentationResult> {
  const started = performance.now();
  const seeds = Array.from({ length: options.seeds }, (_, i) => i + 1);
  const backend = options.backend === undefined ? [] : ["--backend", options.backend];
  const specs = [
    { name: "no augmentation", augment: null },
    { name: `random shifts of up to one pixel (--augment ${AUGMENT})`, augment: AUGMENT },
  ] as const;
  const pool = new TrialPool(Math.max(1, Math.min(options.workers, specs.length * seeds.length)));
  const total = specs.length * seeds.length;
  let done = 0;
  let rows = { train: 0, dev: 0 };
  try {
    const variants = await Promise.all(specs.map(async (spec) => {
      const runs = await Promise.all(seeds.map(async (seed): Promise<AugmentationRun> => {
        const args = [...FLAGS, "--seed", String(seed), ...(spec.augment === null ? [] : ["--augment", spec.augment]), ...backend];
        const { metrics } = summaryOf(await pool.run(args), `experiment augmentation: hone train ${args.join(" ")}`) as unknown as { metrics: Record<"train" | "dev", { rows: number; error: number }> };
        rows = { train: metrics.train.rows, dev: metrics.dev.rows };
        options.onProgress?.("augmentation", ++done, total);
        return { seed, trainError: metrics.train.error, devError: metrics.dev.error };
      }));
      const trainError = mean(runs.map((r) => r.trainError)), devError = mean(runs.map((r) => r.devError));
      return { name: spec.name, augment: spec.augment, trainError, devError, variance: devError - trainError, runs };
    }));
    const [plain, shifted] = variants as [AugmentationVariant, AugmentationVariant];
    const seedsImproved = seeds.filter((_, i) => shifted.runs[i]!.devError < plain.runs[i]!.devError).length;
    return {
      name: "augmentation",
      data: `the built-in digits (8×8 UCI digits as scikit-learn bundles them), the first ${rows.train} rows of the training split; dev: all ${rows.dev}`,
      flags: FLAGS,
      trainRows: rows.train,
      devRows: rows.dev,
      variants: [plain, shifted],
      varianceReduction: plain.variance - shifted.variance,
      devErrorReduction: plain.devError - shifted.devError,
      seedsImproved,
      seconds: (performance.now() - started) / 1000,
      lesson: "With few training images the network memorizes them (train error 0) and the dev error is the variance. Shifted copies are new training images for free: the dev error drops at the same training size. Rotations are not used: on 8×8 pixels their interpolation blurs the strokes, and flips turn digits into other shapes.",
    };
  } finally {
    await pool.close();
  }
}
