// Examples of the "Train, dev and test sets" page.
// #region sizes
import { checkSplit, makeMoons, trainDevTestSplit, type TrainDevTestSplit } from "@hone/data-split";
import { Tensor, rng } from "@hone/tensor";

/** The part sizes of a split of m rows by the given ratios. */
export function partSizes(m: number, ratios: string): [number, number, number] {
  const x = new Tensor(new Float64Array(m), [m, 1]); // one feature; only the sizes matter here
  const y = new Tensor(new Float64Array(m), [m]);
  const { train, dev, test } = trainDevTestSplit(x, y, { ratios, rng: rng(0) });
  return [train.indices.length, dev.indices.length, test.indices.length];
}
// partSizes(10_000, "60/20/20")       → [6000, 2000, 2000]
// partSizes(1_000_000, "98/1/1")      → [980000, 10000, 10000]
// partSizes(1_000, "99.5/0.25/0.25")  → [994, 3, 3]
// #endregion sizes

// #region same-distribution
/**
 * Two ways to split the same 3000 rows. The rows are stored sorted by their first feature,
 * as files often are (by date, by source, by class). Cutting them in file order puts the
 * largest values in test; shuffling first gives three parts of one distribution.
 */
export function twoSplits(): { inFileOrder: TrainDevTestSplit; shuffled: TrainDevTestSplit } {
  const { x, y } = makeMoons({ samples: 3000, noise: 0.2, rng: rng(7) });
  const order = Array.from({ length: 3000 }, (_, i) => i).sort((a, b) => x.data[2 * a]! - x.data[2 * b]!);
  const sorted = new Tensor(Float64Array.from(order.flatMap((i) => [x.data[2 * i]!, x.data[2 * i + 1]!])), [3000, 2]);
  const labels = new Tensor(Float64Array.from(order.map((i) => y.data[i]!)), [3000]);
  return {
    inFileOrder: trainDevTestSplit(sorted, labels, { ratios: "80/10/10", shuffle: false }),
    shuffled: trainDevTestSplit(sorted, labels, { ratios: "80/10/10", rng: rng(1) }),
  };
}

export function sameDistribution(): { inFileOrder: boolean; shuffled: boolean; errorMessage: string } {
  const splits = twoSplits();
  const inFileOrder = checkSplit(splits.inFileOrder);
  return { inFileOrder: inFileOrder.ok, shuffled: checkSplit(splits.shuffled).ok, errorMessage: inFileOrder.findings[0]?.message ?? "" };
}
// #endregion same-distribution
