// What an experiment returns: one entry per variant, with the published numbers beside
// Hone's, so a learner can see each lesson happen and a skeptic can compare.

/** How to run: the notebooks' conventions (`exact`) or Hone's own defaults (`modern`). */
export type ExperimentMode = "exact" | "modern";

/** A cost at a printed iteration (full batch) or epoch (mini-batch). */
export interface CostPoint {
  iteration: number;
  cost: number;
}

/** A published cost; `notCompared` says why it is shown beside Hone's but not compared (✓/✗). */
export interface PublishedCost extends CostPoint {
  notCompared?: string;
}

/** The numbers the course published for a variant (absent where it published none). */
export interface Published {
  costs?: PublishedCost[];
  trainAccuracy?: number;
  testAccuracy?: number;
  difference?: number;
}

/** One run of an experiment. */
export interface VariantResult {
  name: string;
  trainAccuracy?: number;
  testAccuracy?: number;
  costs: CostPoint[];
  /** For gradient checking: the relative difference. */
  difference?: number;
  /** For gradient checking: the verdict and where it points. */
  verdict?: string;
  failing?: string[];
  published: Published;
  /** The practical lesson this variant shows. */
  lesson: string;
  /** Points and a prediction grid for a decision-boundary plot (2-D data only). */
  boundary?: { points: { x: number[][]; y: number[] }; grid: { xs: number[]; ys: number[]; p: number[][] } };
}

/** A whole experiment. */
export interface ExperimentResult {
  name: string;
  mode: ExperimentMode;
  /** Where the data came from, said plainly. */
  data: string;
  variants: VariantResult[];
  seconds: number;
}

/** Progress callback: `done` of `total` units for the named variant. */
export type Progress = (variant: string, done: number, total: number) => void;
