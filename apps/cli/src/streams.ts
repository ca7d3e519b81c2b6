// One seed, independent random streams: drawing more for one concern (a bigger dropout
// mask, more epochs) never changes another (the split, the initial weights).
import { rng, type Rng } from "@hone/tensor";

/** The random streams of a run, each a child of `rng(seed)`, split in this fixed order. */
export interface Streams {
  /** Built-in data sets. */
  data: Rng;
  /** The train/dev/test split (`hone split` uses the same stream, so it picks the same rows as `hone train`). */
  split: Rng;
  /** Initial weights. */
  init: Rng;
  /** Mini-batch shuffling. */
  shuffle: Rng;
  /** Dropout masks. */
  dropout: Rng;
  /** Data augmentation. */
  augment: Rng;
  /** The base-error estimate's sample of query rows. */
  diagnosis: Rng;
}

/** The streams of `seed`: `rng(seed).spawn(7)`, in the order of the `Streams` fields (a stream added last leaves the others as they were). */
export function streams(seed: number): Streams {
  const [data, split, init, shuffle, dropout, augment, diagnosis] = rng(seed).spawn(7) as [Rng, Rng, Rng, Rng, Rng, Rng, Rng];
  return { data, split, init, shuffle, dropout, augment, diagnosis };
}
