// Pieces the experiments share: the course's cost printing, accuracies, boundary grids.
import type { Callback, Module } from "@hone/nn";
import { accuracy, infer, predictBinary } from "@hone/nn";
import { libm, tensor, type Tensor } from "@hone/tensor";
import type { CostPoint, Progress, VariantResult } from "./types.js";

/** A fit callback that records the cost every `every` epochs (and the first), as the notebooks print it. */
export function costRecorder(every: number, total: number, onProgress: Progress | undefined, name: string): { callback: Callback; costs: CostPoint[] } {
  const costs: CostPoint[] = [];
  const step = Math.max(1, Math.floor(total / 100));
  return {
    costs,
    callback: {
      onEpochEnd: (log) => {
        if (log.epoch % every === 0) costs.push({ iteration: log.epoch, cost: log.trainLoss });
        if (onProgress !== undefined && (log.epoch % step === 0 || log.epoch === total - 1)) onProgress(name, log.epoch + 1, total);
      },
    },
  };
}

/** Accuracy of a logits model's thresholded predictions (σ(z) > 0.5), in eval mode. */
export function binaryAccuracyOf(model: Module, x: Tensor, y: Tensor): number {
  return accuracy(predictBinary(infer(model, x), { from: "logits" }), y);
}

/** Probabilities of class 1 over a grid covering the data, for decision-boundary plots. */
export function boundary(model: Module, x: Tensor, y: Tensor, size = 60): NonNullable<VariantResult["boundary"]> {
  const rows = x.toArray() as number[][];
  const lo = [Infinity, Infinity], hi = [-Infinity, -Infinity];
  for (const r of rows) for (let d = 0; d < 2; d++) { lo[d] = Math.min(lo[d]!, r[d]!); hi[d] = Math.max(hi[d]!, r[d]!); }
  const pad = [(hi[0]! - lo[0]!) * 0.1, (hi[1]! - lo[1]!) * 0.1];
  const xs = Array.from({ length: size }, (_, i) => lo[0]! - pad[0]! + ((hi[0]! - lo[0]! + 2 * pad[0]!) * i) / (size - 1));
  const ys = Array.from({ length: size }, (_, i) => lo[1]! - pad[1]! + ((hi[1]! - lo[1]! + 2 * pad[1]!) * i) / (size - 1));
  const grid = tensor(ys.flatMap((b) => xs.map((a) => [a, b])));
  const z = infer(model, grid);
  const p = ys.map((_, j) => xs.map((_, i) => 1 / (1 + libm.exp(-z.data[j * size + i]!))));
  return { points: { x: rows, y: Array.from(y.data) }, grid: { xs, ys, p } };
}
