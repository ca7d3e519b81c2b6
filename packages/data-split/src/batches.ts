// The course's shuffled mini-batch partition, lazily gathered one batch at a time.
import { ArgumentError, type Tensor, describe, gatherRows } from "@hone/tensor";
import { checkBoolean, checkPositiveInt, checkXY, resolveRng, type RngLike } from "./util.js";

/** One mini-batch: its rows of x and y and their indices into the original rows. */
export interface MiniBatch {
  /** The batch's rows of x. */
  readonly x: Tensor;
  /** The batch's rows of y. */
  readonly y: Tensor;
  /** The batch's row indices (a view into the permutation). */
  readonly indices: Int32Array;
}

/** One epoch's partition into mini-batches; iterate it, or gather batches yourself. */
export interface MiniBatches extends Iterable<MiniBatch> {
  /** The row order of this epoch: `rng.permutation(m)`, or 0..m−1 without shuffling. */
  readonly permutation: Int32Array;
  /** Rows per batch (the last batch has m mod batchSize rows when that is not 0). */
  readonly batchSize: number;
  /** The number of batches, ⌈m / batchSize⌉. */
  readonly length: number;
  /** Batch i's row indices: `permutation[i·batchSize, min((i+1)·batchSize, m))`, a view (no copy). */
  indices(i: number): Int32Array;
  /** Batch i, gathered with one `gatherRows` per tensor. */
  batch(i: number): MiniBatch;
}

/** Options of {@link miniBatches}. */
export interface MiniBatchOptions {
  /** Rows per batch. Default `64` (the course's default). */
  readonly batchSize?: number;
  /** Shuffle the rows first with one `rng.permutation(m)`. Default `true`. */
  readonly shuffle?: boolean;
  /** Generator or integer seed; required when `shuffle` is true. */
  readonly rng?: RngLike;
}

/**
 * The course's `random_mini_batches`: `perm = rng.permutation(m)`, shuffled X = X[perm]
 * (likewise Y), then consecutive batches of `batchSize` rows, the last one partial
 * (m mod batchSize rows). The course reseeds each epoch with `np.random.seed(seed)`,
 * seed = 10 + epoch + 1, so `miniBatches(x, y, { rng: rng(11 + epoch) })` yields its batches
 * exactly. Batches are gathered lazily (one `gatherRows` per tensor per batch); `indices(i)`
 * gives a batch's rows without gathering, for a loop that gathers itself.
 *
 * @example
 * ```ts
 * import { tensor, rng } from "@hone/tensor";
 * import { miniBatches } from "@hone/data-split";
 * const x = tensor(Array.from({ length: 5 }, (_, i) => [i])), y = tensor([0, 1, 0, 1, 0]);
 * const batches = miniBatches(x, y, { batchSize: 2, rng: rng(1) });
 * console.log(batches.permutation);                    // Int32Array [2, 1, 4, 0, 3]
 * for (const b of batches) console.log(b.x.toArray()); // [[2], [1]]  [[4], [0]]  [[3]]
 * ```
 */
export function miniBatches(x: Tensor, y: Tensor, options: MiniBatchOptions = {}): MiniBatches {
  const fn = "miniBatches";
  const m = checkXY(fn, x, y);
  const batchSize = checkPositiveInt(fn, "batchSize", options.batchSize ?? 64);
  const shuffle = checkBoolean(fn, "shuffle", options.shuffle ?? true);
  let permutation: Int32Array;
  if (shuffle) {
    permutation = resolveRng(fn, options.rng, "when shuffle is true").permutation(m);
  } else {
    permutation = new Int32Array(m);
    for (let i = 0; i < m; i++) permutation[i] = i;
  }
  const length = Math.ceil(m / batchSize);
  const indices = (i: number): Int32Array => {
    if (!Number.isInteger(i) || i < 0 || i >= length) {
      throw new ArgumentError(`miniBatches: batch index must be an integer in [0, ${length - 1}], got ${describe(i)}`);
    }
    return permutation.subarray(i * batchSize, Math.min((i + 1) * batchSize, m));
  };
  const batch = (i: number): MiniBatch => {
    const idx = indices(i);
    return { x: gatherRows(x, idx), y: gatherRows(y, idx), indices: idx };
  };
  return {
    permutation,
    batchSize,
    length,
    indices,
    batch,
    *[Symbol.iterator](): Iterator<MiniBatch> {
      for (let i = 0; i < length; i++) yield batch(i);
    },
  };
}
