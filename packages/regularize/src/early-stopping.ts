// Early stopping: a fit callback that watches one number of the epoch log, stops training
// when it has not improved for `patience` epochs, and can put the best epoch's weights back.
import { flattenEpochLog, type Callback, type EpochLog, type FitContext, type History } from "@hone/nn";
import { ArgumentError, describe, type Tensor } from "@hone/tensor";

/** Which direction is better. */
export type StopMode = "min" | "max" | "auto";

/** Options for `earlyStopping`. */
export interface EarlyStoppingOptions {
  /**
   * The epoch-log value to watch: `"devLoss"`, `"trainLoss"`, `"dev.<metric>"` or
   * `"train.<metric>"` (a metric named in fit's `metrics`). Default `"devLoss"`.
   */
  monitor?: string;
  /**
   * `"min"` (lower is better), `"max"` (higher is better) or `"auto"`: min for names containing
   * loss, error, mse or mae; max for acc, auc, f1, precision, recall; otherwise an error asks
   * for the mode. Default `"auto"`.
   */
  mode?: StopMode;
  /** Epochs without improvement before stopping (an integer ≥ 1). Default 5. */
  patience?: number;
  /** An improvement must beat the best value by more than this (≥ 0). Default 0. */
  minDelta?: number;
  /** At the end of training, load the weights of the best epoch back into the model. Default `false`. */
  restoreBest?: boolean;
}

/** What early stopping saw, available as `callback.result` after fit. */
export interface EarlyStoppingResult {
  /** The epoch with the best monitored value (−1 before any epoch). */
  bestEpoch: number;
  /** The best monitored value (NaN before any epoch). */
  bestValue: number;
  /** The epoch at whose end it stopped training, or null if training ran every epoch. */
  stoppedEpoch: number | null;
  /** Why it stopped (the text passed to `ctx.stop`), or null. */
  reason: string | null;
  /** Whether the best epoch's weights were loaded back at the end. */
  restored: boolean;
}

/** The callback `earlyStopping` returns: a fit `Callback` with its settings and result. */
export interface EarlyStopping extends Callback {
  readonly monitor: string;
  readonly mode: "min" | "max";
  readonly patience: number;
  readonly minDelta: number;
  readonly restoreBest: boolean;
  /** The outcome of the last (or current) fit run. */
  readonly result: EarlyStoppingResult;
}

function autoMode(monitor: string): "min" | "max" {
  const name = monitor.toLowerCase();
  if (/loss|error|mse|mae/.test(name)) return "min";
  if (/acc|auc|f1|precision|recall/.test(name)) return "max";
  throw new ArgumentError(`earlyStopping: cannot tell whether ${JSON.stringify(monitor)} should go up or down; pass mode: "min" or "max"`);
}

/**
 * A fit callback that stops training when `monitor` has not improved by more than `minDelta`
 * for `patience` epochs in a row: it stops at the end of epoch `bestEpoch + patience`. With
 * `restoreBest` it snapshots the weights (`model.stateDict()`) at every improvement and loads
 * the best snapshot back when training ends (stopped early or not). The monitored value must
 * be in the first epoch's log (else an error lists the available names); a later epoch without
 * it (fit's `evaluateEvery` > 1) is skipped and does not count towards `patience`.
 *
 * @example
 * ```ts
 * import { earlyStopping } from "@hone/regularize";
 * const stopper = earlyStopping({ monitor: "devLoss", patience: 10, restoreBest: true });
 * // fit(model, train, { ..., dev, callbacks: [stopper] });
 * stopper.result; // { bestEpoch, bestValue, stoppedEpoch, reason, restored }
 * ```
 */
export function earlyStopping(options: EarlyStoppingOptions = {}): EarlyStopping {
  const op = "earlyStopping";
  if (options === null || typeof options !== "object") throw new ArgumentError(`${op}: expected an options object, got ${describe(options)}`);
  const monitor = options.monitor ?? "devLoss";
  if (typeof monitor !== "string" || monitor === "") throw new ArgumentError(`${op}: monitor must be a non-empty string, got ${describe(monitor)}`);
  const modeOption = options.mode ?? "auto";
  if (modeOption !== "min" && modeOption !== "max" && modeOption !== "auto") throw new ArgumentError(`${op}: mode must be "min", "max" or "auto", got ${describe(modeOption)}`);
  const mode = modeOption === "auto" ? autoMode(monitor) : modeOption;
  const patience = options.patience ?? 5;
  if (typeof patience !== "number" || !Number.isInteger(patience) || patience < 1) throw new ArgumentError(`${op}: patience must be an integer ≥ 1, got ${describe(patience)}`);
  const minDelta = options.minDelta ?? 0;
  if (typeof minDelta !== "number" || !Number.isFinite(minDelta) || minDelta < 0) throw new ArgumentError(`${op}: minDelta must be a finite number ≥ 0, got ${describe(minDelta)}`);
  const restoreBest = options.restoreBest ?? false;
  if (typeof restoreBest !== "boolean") throw new ArgumentError(`${op}: restoreBest must be a boolean, got ${describe(restoreBest)}`);

  let result: EarlyStoppingResult;
  let wait = 0;
  let seen = 0;
  let best: Record<string, Tensor> | null = null;
  const reset = (): void => {
    result = { bestEpoch: -1, bestValue: NaN, stoppedEpoch: null, reason: null, restored: false };
    wait = 0;
    seen = 0;
    best = null;
  };
  reset();
  // A number improves on NaN (a diverged first epoch); NaN never improves.
  const improves = (v: number, bestValue: number): boolean =>
    Number.isNaN(bestValue) ? !Number.isNaN(v) : mode === "min" ? v < bestValue - minDelta : v > bestValue + minDelta;

  return {
    monitor, mode, patience, minDelta, restoreBest,
    get result(): EarlyStoppingResult {
      return { ...result };
    },
    onTrainBegin(): void {
      reset();
    },
    onEpochEnd(log: EpochLog, ctx: FitContext): void {
      const values = flattenEpochLog(log);
      const v = values[monitor];
      if (v === undefined) {
        if (seen === 0) {
          throw new ArgumentError(`${op}: the epoch log has no ${JSON.stringify(monitor)}; available: ${Object.keys(values).join(", ")}${monitor.startsWith("dev") && log.devLoss === undefined ? " (pass fit a dev set)" : ""}`);
        }
        return;
      }
      seen++;
      if (seen === 1 || improves(v, result.bestValue)) {
        result.bestValue = v;
        result.bestEpoch = log.epoch;
        wait = 0;
        if (restoreBest) best = ctx.model.stateDict();
        return;
      }
      wait++;
      if (wait >= patience) {
        result.stoppedEpoch = log.epoch;
        result.reason = `earlyStopping: ${monitor} has not improved by more than ${minDelta} for ${patience} epoch${patience === 1 ? "" : "s"} (best ${result.bestValue} at epoch ${result.bestEpoch})`;
        ctx.stop(result.reason);
      }
    },
    onTrainEnd(_history: History, ctx: FitContext): void {
      if (restoreBest && best !== null) {
        ctx.model.loadStateDict(best);
        result.restored = true;
      }
    },
  };
}
