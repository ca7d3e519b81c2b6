// The messages between the playground page and its training worker. Every reply carries
// the `run` id of the configuration it belongs to, so the page drops the stragglers of a
// run it has already replaced.
import type { Extent as DataExtent, Diagnosis } from "@hone/data-split";
import type { PlaygroundConfig } from "./config.js";

/** Page → worker. */
export type Request =
  /** Build a new run (data, split, model, optimizer) and answer `ready`; training is paused. */
  | { type: "configure"; run: number; config: PlaygroundConfig }
  /** Train epoch after epoch, posting `progress`, until `pause` or the epoch limit. */
  | { type: "start"; run: number }
  | { type: "pause"; run: number }
  /** Train exactly one epoch (pausing first if running). */
  | { type: "step"; run: number }
  /** Pace training at most this many epochs per second (0: as fast as it goes); any run. */
  | { type: "speed"; epochsPerSecond: number };

/** One epoch's numbers. Accuracies are fractions; costs include the penalty for train. */
export interface EpochPoint {
  /** Epochs completed, from 1. */
  epoch: number;
  trainCost: number;
  devCost: number;
  trainAccuracy: number;
  devAccuracy: number;
}

/** The classifier's class probabilities on a grid over the data (row 0 at the top). */
export interface BoundaryGrid {
  /** Columns and rows. */
  nx: number;
  ny: number;
  /** Probabilities, row-major, `classes` per cell. */
  probs: Float32Array;
}

/** Where the data lies, in the generator's units, padded (`extentOf`): what the plot shows. */
export type Extent = DataExtent;

/** The points to draw: coordinates `(x0, y0, x1, y1, …)`, class ids, and 0 = train, 1 = dev. */
export interface PlotPoints {
  xy: Float64Array;
  label: Uint8Array;
  role: Uint8Array;
}

/**
 * The base error the diagnosis uses, with its interval, and what it is ("Bayes error of
 * moons at noise 0.2", or a k-NN estimate for a CSV); `note` says why an estimate is not
 * to be trusted, when it is not.
 */
export interface BaseErrorShown {
  value: number;
  low: number;
  high: number;
  label: string;
  note?: string;
}

/** `diagnose`'s result for one epoch (plain data: it crosses the worker boundary as is). */
export type { Diagnosis };

/**
 * The network as the page draws it: every layer's size (inputs first), how many units of
 * each are drawn (the first `shown[l]`), and the weights between the drawn units of
 * consecutive layers: `weights[l]` is `shown[l + 1] × shown[l]`, row-major (out, in).
 */
export interface NetworkWeights {
  sizes: number[];
  shown: number[];
  weights: number[][];
}

/** The state of the training loop. */
export type RunState = "paused" | "running" | "done" | "error";

/** Worker → page. */
export type Reply =
  | {
    type: "ready";
    run: number;
    /** The tensor backend's name (`getBackend().name` in the worker). */
    backend: string;
    classes: number;
    /** What each class is called (the CSV label's values; "0", "1", … for a generator). */
    classNames: string[];
    /** The features' names, horizontal then vertical (`x₁`, `x₂` for a generator). */
    axes: [string, string];
    extent: Extent;
    points: PlotPoints;
    /** The untrained model's boundary. */
    boundary: BoundaryGrid;
    /** The untrained model's weights. */
    network: NetworkWeights;
    /** Epoch-0 numbers (before any update). */
    initial: EpochPoint;
    /** The generator's Bayes error, which the diagnosis measures avoidable bias from. */
    baseError: BaseErrorShown;
    /** The diagnosis at epoch 0 (null if an accuracy is not a number). */
    diagnosis: Diagnosis | null;
    train: number;
    dev: number;
    parameters: number;
  }
  | {
    type: "progress";
    run: number;
    epochs: EpochPoint[];
    /** The boundary after the last of `epochs`; null when the previous one is recent (at most ~20 a second). */
    boundary: BoundaryGrid | null;
    /** The weights, sent with each boundary (null with it). */
    network: NetworkWeights | null;
    state: RunState;
    /** Seconds spent training in this run. */
    seconds: number;
    /** The diagnosis after the last of `epochs` (null if an accuracy is not a number). */
    diagnosis: Diagnosis | null;
  }
  | { type: "state"; run: number; state: RunState }
  | { type: "error"; run: number; message: string };
