// Train/dev/test splits by ratios or counts, shuffled and optionally stratified, with the
// row indices returned so a split can be saved and re-applied; k-fold index sets.
import type { Tensor} from "@hone/tensor";
import { ArgumentError, ShapeError, describe, formatShape, gatherRows } from "@hone/tensor";
import { markRole } from "./roles.js";
import { checkBoolean, checkRows, checkXY, resolveRng, type RngLike } from "./util.js";

// ---------------------------------------------------------------------------------------
// Types

/** One part of a split: its rows of x and y, and their indices into the original rows. */
export interface SplitPart {
  /** The part's rows of x, in the order of `indices`. */
  readonly x: Tensor;
  /** The part's rows of y, in the order of `indices`. */
  readonly y: Tensor;
  /** Row indices into the original x and y (save these to reuse the split). */
  readonly indices: Int32Array;
}

/** A three-way split. */
export interface TrainDevTestSplit {
  /** The training set: fit parameters and normalizers here only. */
  readonly train: SplitPart;
  /** The dev (hold-out, cross-validation) set: choose models and hyperparameters here. */
  readonly dev: SplitPart;
  /** The test set: an unbiased estimate of the final model's error. */
  readonly test: SplitPart;
}

/** A two-way split. */
export interface TrainTestSplit {
  /** The training set. */
  readonly train: SplitPart;
  /** The held-out set. */
  readonly test: SplitPart;
}

/** Saved row indices of a three-way split, as plain arrays (JSON-friendly). */
export interface TrainDevTestIndices {
  /** Training rows. */
  readonly train: ArrayLike<number>;
  /** Dev rows. */
  readonly dev: ArrayLike<number>;
  /** Test rows. */
  readonly test: ArrayLike<number>;
}

/** Saved row indices of a two-way split. */
export interface TrainTestIndices {
  /** Training rows. */
  readonly train: ArrayLike<number>;
  /** Held-out rows. */
  readonly test: ArrayLike<number>;
}

/** Options shared by the splitters. */
export interface ShuffleOptions {
  /** Shuffle rows before cutting (one `rng.permutation(m)`); false keeps file order. Default `true`. */
  readonly shuffle?: boolean;
  /** Keep each class's share of the rows in every part (classes from y: its values, or argmax of one-hot rows). Default `false`. */
  readonly stratify?: boolean;
  /** Generator or integer seed; required when `shuffle` is true. */
  readonly rng?: RngLike;
}

/** Options of {@link trainDevTestSplit}. Give `ratios` or `counts`, not both. */
export interface TrainDevTestSplitOptions extends ShuffleOptions {
  /**
   * Train/dev/test fractions adding up to 1 within 1e-9 (`[0.98, 0.01, 0.01]`), or
   * percentages as a string adding up to 100 (`"98/1/1"`, `"99.5/0.25/0.25"`).
   * Default `[0.6, 0.2, 0.2]` when `counts` is not given.
   */
  readonly ratios?: readonly [number, number, number] | string;
  /** Absolute sizes: `{ dev, test }` (train gets the rest) or `[train, dev, test]` adding up to the rows. Default: none. */
  readonly counts?: { readonly dev: number; readonly test: number } | readonly [number, number, number];
}

/** Options of {@link trainTestSplit}. Give `ratios` or `counts`, not both. */
export interface TrainTestSplitOptions extends ShuffleOptions {
  /** Train/test fractions adding up to 1 (`[0.8, 0.2]`) or percentages `"80/20"`. Default `[0.8, 0.2]`. */
  readonly ratios?: readonly [number, number] | string;
  /** Absolute sizes: `{ test }` (train gets the rest) or `[train, test]` adding up to the rows. Default: none. */
  readonly counts?: { readonly test: number } | readonly [number, number];
}

/** One round of k-fold cross-validation. */
export interface Fold {
  /** Rows to train on this round (every row not in `dev`). */
  readonly train: Int32Array;
  /** The held-out fold this round. */
  readonly dev: Int32Array;
}

/** Options of {@link kFold}. */
export interface KFoldOptions {
  /** Number of folds, in [2, n]. Default `5`. */
  readonly k?: number;
  /** Shuffle before cutting folds (one `rng.permutation(n)`). Default `true`. */
  readonly shuffle?: boolean;
  /** Labels (n rows) to stratify by: each fold gets ⌊n_c/k⌋ or ⌈n_c/k⌉ rows of class c. Default: none. */
  readonly stratify?: Tensor;
  /** Generator or integer seed; required when `shuffle` is true. */
  readonly rng?: RngLike;
}

// ---------------------------------------------------------------------------------------
// Sizes: ratios and counts to integer part sizes.

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Part sizes from ratios: every part but the first gets `round(m · r)` rows (half rounds
 * up), the first part (train) gets the rest.
 */
function sizesFromRatios(fn: string, m: number, ratios: unknown, names: readonly string[]): number[] {
  const k = names.length;
  let values: number[];
  let scale: number;
  if (typeof ratios === "string") {
    const parts = ratios.split("/").map((s) => s.trim());
    if (parts.length !== k || !parts.every((p) => NUMBER.test(p))) {
      throw new ArgumentError(`${fn}: ratios string must be ${k} percentages like "${k === 3 ? "60/20/20" : "80/20"}", got ${describe(ratios)}`);
    }
    values = parts.map(Number);
    scale = 100;
  } else if (Array.isArray(ratios) && ratios.length === k && ratios.every((r) => typeof r === "number")) {
    values = (ratios).slice();
    scale = 1;
  } else {
    throw new ArgumentError(`${fn}: ratios must be ${k} fractions like ${k === 3 ? "[0.6, 0.2, 0.2]" : "[0.8, 0.2]"} or a string like "${k === 3 ? "60/20/20" : "80/20"}", got ${describe(ratios)}`);
  }
  values.forEach((r, i) => {
    if (!Number.isFinite(r) || r < 0) throw new ArgumentError(`${fn}: ratio for ${names[i]} must be a finite number ≥ 0, got ${r}`);
    if (r === 0) throw new ArgumentError(`${fn}: ratio for ${names[i]} is 0, which leaves ${names[i]} empty${k === 3 ? "; use trainTestSplit for two parts" : ""}`);
  });
  const total = values.reduce((a, b) => a + b, 0);
  if (Math.abs(total - scale) > 1e-9 * scale) {
    const hint = scale === 1 && Math.abs(total - 100) <= 1e-7 ? ` (fractions: write [${values.map((v) => v / 100).join(", ")}] or the string "${values.join("/")}")` : "";
    throw new ArgumentError(`${fn}: ratios must add up to ${scale === 1 ? "1" : "100"}, got ${describe(ratios)} (sum ${total})${hint}`);
  }
  const sizes = values.map((r) => Math.round((m * r) / scale));
  sizes[0] = m - sizes.slice(1).reduce((a, b) => a + b, 0);
  sizes.forEach((s, i) => {
    if (s < 1) {
      const rule = i === 0 ? `the rest after ${names.slice(1).join(" and ")} is ${s}` : `round(${m} × ${values[i] / scale}) = ${s}`;
      throw new ArgumentError(`${fn}: ratios ${describe(ratios)} leave ${names[i]} empty for ${m} rows (${rule}); use counts or more data`);
    }
  });
  return sizes;
}

function checkCount(fn: string, name: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
    throw new ArgumentError(`${fn}: counts.${name} must be an integer ≥ 0, got ${describe(value)}`);
  }
  if (value === 0) throw new ArgumentError(`${fn}: counts.${name} is 0, which leaves ${name} empty`);
  return value;
}

/** Part sizes from counts: `{ dev, test }`-style (the first part gets the rest) or a full array. */
function sizesFromCounts(fn: string, m: number, counts: unknown, names: readonly string[]): number[] {
  if (Array.isArray(counts)) {
    if (counts.length !== names.length) throw new ArgumentError(`${fn}: counts array must be [${names.join(", ")}], got ${describe(counts)}`);
    const sizes = counts.map((c, i) => checkCount(fn, names[i], c));
    const total = sizes.reduce((a, b) => a + b, 0);
    if (total !== m) throw new ArgumentError(`${fn}: counts ${describe(counts)} add up to ${total}, but x has ${m} rows`);
    return sizes;
  }
  if (typeof counts !== "object" || counts === null) {
    throw new ArgumentError(`${fn}: counts must be { ${names.slice(1).join(", ")} } or [${names.join(", ")}], got ${describe(counts)}`);
  }
  const record = counts as Record<string, unknown>;
  const rest = names.slice(1).map((name) => checkCount(fn, name, record[name]));
  const used = rest.reduce((a, b) => a + b, 0);
  if (used >= m) {
    throw new ArgumentError(`${fn}: counts ${names.slice(1).map((n, i) => `${n} ${rest[i]}`).join(" + ")} = ${used} leave no rows for ${names[0]} out of ${m}`);
  }
  return [m - used, ...rest];
}

function partSizes(fn: string, m: number, options: { ratios?: unknown; counts?: unknown }, names: readonly string[], defaults: readonly number[]): number[] {
  if (options.ratios !== undefined && options.counts !== undefined) {
    throw new ArgumentError(`${fn}: give ratios or counts, not both`);
  }
  if (options.counts !== undefined) return sizesFromCounts(fn, m, options.counts, names);
  return sizesFromRatios(fn, m, options.ratios ?? defaults, names);
}

// ---------------------------------------------------------------------------------------
// Classes and apportionment.

/**
 * Class ids 0..k−1 for each row of y: the distinct values of a (m,) or (m, 1) y in
 * ascending order, or the argmax of each row of a (m, k > 1) one-hot y.
 */
export function classIdsOf(fn: string, y: Tensor): { ids: Int32Array; classes: number } {
  const m = y.shape[0];
  const width = y.rank === 1 ? 1 : y.size / (m || 1);
  const raw = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let best = y.data[i * width];
    let arg = 0;
    for (let j = 1; j < width; j++) {
      const v = y.data[i * width + j];
      if (v > best) { best = v; arg = j; }
    }
    if (!Number.isFinite(best)) throw new ArgumentError(`${fn}: labels must be finite to stratify, got ${best} in row ${i}`);
    raw[i] = width === 1 ? best : arg;
  }
  const distinct = Array.from(new Set(raw)).sort((a, b) => a - b);
  const id = new Map<number, number>(distinct.map((v, i) => [v, i]));
  const ids = new Int32Array(m);
  for (let i = 0; i < m; i++) ids[i] = id.get(raw[i])!;
  return { ids, classes: distinct.length };
}

/**
 * Controlled rounding: integer counts n[c][s] with row sums classSizes[c], column sums
 * setSizes[s], and each n[c][s] equal to ⌊t⌋ or ⌈t⌉ of t = classSizes[c]·setSizes[s]/m.
 * Such a rounding always exists (Bacharach 1966); it is found by giving the largest
 * remainders their extra row first and repairing with augmenting paths.
 */
export function apportion(classSizes: readonly number[], setSizes: readonly number[]): number[][] {
  const m = classSizes.reduce((a, b) => a + b, 0);
  const k = classSizes.length;
  const parts = setSizes.length;
  const count: number[][] = [];
  const remainder: number[][] = [];
  const extra: number[][] = [];
  const supply = classSizes.slice();
  const demand = setSizes.slice();
  for (let c = 0; c < k; c++) {
    count.push([]);
    remainder.push([]);
    extra.push(new Array<number>(parts).fill(0));
    for (let s = 0; s < parts; s++) {
      const p = classSizes[c] * setSizes[s];
      const base = Math.floor(p / m);
      count[c].push(base);
      remainder[c].push(p - base * m);
      supply[c] = supply[c] - base;
      demand[s] = demand[s] - base;
    }
  }
  const cells: [number, number][] = [];
  for (let c = 0; c < k; c++) for (let s = 0; s < parts; s++) if (remainder[c][s] > 0) cells.push([c, s]);
  cells.sort((a, b) => remainder[b[0]][b[1]] - remainder[a[0]][a[1]] || a[0] - b[0] || a[1] - b[1]);
  let left = 0;
  for (const [c, s] of cells) {
    if (supply[c] > 0 && demand[s] > 0) {
      extra[c][s] = 1;
      supply[c] = supply[c] - 1;
      demand[s] = demand[s] - 1;
    }
  }
  for (let c = 0; c < k; c++) left += supply[c];
  // Augmenting paths class → set (add an extra) → class (move an extra away) → … → set with demand.
  while (left > 0) {
    const fromSet = new Array<number>(parts).fill(-1);
    const fromClass = new Array<number>(k).fill(-2);
    const queue: number[] = [];
    for (let c = 0; c < k; c++) if (supply[c] > 0) { fromClass[c] = -1; queue.push(c); }
    let end = -1;
    for (let q = 0; q < queue.length && end < 0; q++) {
      const c = queue[q];
      for (let s = 0; s < parts && end < 0; s++) {
        if (fromSet[s] !== -1 || extra[c][s] === 1 || remainder[c][s] === 0) continue;
        fromSet[s] = c;
        if (demand[s] > 0) { end = s; break; }
        for (let c2 = 0; c2 < k; c2++) {
          if (fromClass[c2] === -2 && extra[c2][s] === 1) { fromClass[c2] = s; queue.push(c2); }
        }
      }
    }
    if (end < 0) throw new Error("apportion: no feasible rounding (this is a bug in @hone/data-split)");
    demand[end] = demand[end] - 1;
    let s = end;
    for (;;) {
      const c = fromSet[s];
      extra[c][s] = 1;
      const prev = fromClass[c];
      if (prev === -1) { supply[c] = supply[c] - 1; break; }
      extra[c][prev] = 0;
      s = prev;
    }
    left--;
  }
  for (let c = 0; c < k; c++) for (let s = 0; s < parts; s++) count[c][s] = count[c][s] + extra[c][s];
  return count;
}

// ---------------------------------------------------------------------------------------
// Cutting.

function permutationFor(fn: string, m: number, shuffle: boolean, rng: RngLike | undefined): Int32Array {
  if (shuffle) return resolveRng(fn, rng, "when shuffle is true").permutation(m);
  const identity = new Int32Array(m);
  for (let i = 0; i < m; i++) identity[i] = i;
  return identity;
}

/**
 * Cuts the rows, visited in `order`, into parts of the given sizes. Unstratified: consecutive
 * runs of `order`. Stratified: each class's rows (in `order`) fill its quota for part 0,
 * then part 1, …; every part lists its rows in `order`.
 */
function cut(order: Int32Array, sizes: readonly number[], classes: { ids: Int32Array; classes: number } | null): Int32Array[] {
  const parts = sizes.map((s) => new Int32Array(s));
  if (classes === null) {
    let start = 0;
    sizes.forEach((s, p) => { parts[p].set(order.subarray(start, start + s)); start += s; });
    return parts;
  }
  const classSizes = new Array<number>(classes.classes).fill(0);
  for (let i = 0; i < classes.ids.length; i++) classSizes[classes.ids[i]]++;
  const quota = apportion(classSizes, sizes);
  const cursor = new Int32Array(classes.classes);
  const filled = new Int32Array(sizes.length);
  for (let i = 0; i < order.length; i++) {
    const row = order[i];
    const c = classes.ids[row];
    while (quota[c][cursor[c]] === 0) cursor[c]++;
    const p = cursor[c];
    parts[p][filled[p]++] = row;
    quota[c][p] = quota[c][p] - 1;
  }
  return parts;
}

function part(x: Tensor, y: Tensor, indices: Int32Array): SplitPart {
  return { x: gatherRows(x, indices), y: gatherRows(y, indices), indices };
}

function splitInto(fn: string, x: Tensor, y: Tensor, options: ShuffleOptions & { ratios?: unknown; counts?: unknown }, names: readonly string[], defaults: readonly number[]): Int32Array[] {
  const m = checkXY(fn, x, y);
  if (typeof options !== "object" || options === null) throw new ArgumentError(`${fn}: options must be an object, got ${describe(options)}`);
  const shuffle = checkBoolean(fn, "shuffle", options.shuffle ?? true);
  const stratify = checkBoolean(fn, "stratify", options.stratify ?? false);
  const sizes = partSizes(fn, m, options, names, defaults);
  const classes = stratify ? classIdsOf(fn, y) : null;
  return cut(permutationFor(fn, m, shuffle, options.rng), sizes, classes);
}

/**
 * Splits rows into train, dev and test sets by ratios (60/20/20 for a small data set,
 * 98/1/1 or 99.5/0.25/0.25 for a large one) or by counts (10,000 dev and 10,000 test out of
 * a million). Rounding: dev and test get `round(m · ratio)` rows (half rounds up), train
 * the rest. Shuffled by one `rng.permutation(m)`: train is its first run, dev the next,
 * test the last. Stratified, the part sizes stay the same and each class c of m_c rows
 * gets ⌊t⌋ or ⌈t⌉ rows in a part of size n, t = m_c·n/m (within one example of its share).
 * The dev and test x tensors are remembered (weakly): a `Standardizer` refuses to fit on
 * them, or on the unsplit x.
 *
 * @example
 * ```ts
 * import { tensor, rng } from "@hone/tensor";
 * import { trainDevTestSplit } from "@hone/data-split";
 * const x = tensor(Array.from({ length: 10 }, (_, i) => [i]));
 * const y = tensor(Array.from({ length: 10 }, (_, i) => i % 2));
 * const { train, dev, test } = trainDevTestSplit(x, y, { ratios: "60/20/20", rng: rng(0) });
 * console.log(train.x.shape, dev.x.shape, test.x.shape); // [6, 1] [2, 1] [2, 1]
 * ```
 */
export function trainDevTestSplit(x: Tensor, y: Tensor, options: TrainDevTestSplitOptions = {}): TrainDevTestSplit {
  const [train, dev, test] = splitInto("trainDevTestSplit", x, y, options, ["train", "dev", "test"], [0.6, 0.2, 0.2]);
  return finish(x, y, train, dev, test);
}

/**
 * Splits rows into train and test sets: {@link trainDevTestSplit} with two parts (the test
 * set gets `round(m · ratio)` rows, train the rest). Default 80/20.
 *
 * @example
 * ```ts
 * import { tensor, rng } from "@hone/tensor";
 * import { trainTestSplit } from "@hone/data-split";
 * const x = tensor(Array.from({ length: 10 }, (_, i) => [i]));
 * const { train, test } = trainTestSplit(x, tensor(new Float64Array(10)), { rng: rng(0) });
 * console.log(train.indices.length, test.indices.length); // 8 2
 * ```
 */
export function trainTestSplit(x: Tensor, y: Tensor, options: TrainTestSplitOptions = {}): TrainTestSplit {
  const [train, test] = splitInto("trainTestSplit", x, y, options, ["train", "test"], [0.8, 0.2]);
  return finish(x, y, train, null, test);
}

function finish(x: Tensor, y: Tensor, train: Int32Array, dev: null, test: Int32Array): TrainTestSplit;
function finish(x: Tensor, y: Tensor, train: Int32Array, dev: Int32Array, test: Int32Array): TrainDevTestSplit;
function finish(x: Tensor, y: Tensor, train: Int32Array, dev: Int32Array | null, test: Int32Array): TrainDevTestSplit | TrainTestSplit {
  const parts = { train: part(x, y, train), test: part(x, y, test) };
  markRole(parts.test.x, "test");
  markRole(x, "whole");
  if (dev === null) return parts;
  const devPart = part(x, y, dev);
  markRole(devPart.x, "dev");
  return { train: parts.train, dev: devPart, test: parts.test };
}

function checkIndexSet(fn: string, name: string, value: unknown, m: number, owner: Int8Array, id: number, names: readonly string[]): Int32Array {
  if (value === null || typeof value !== "object" || typeof (value as { length?: unknown }).length !== "number") {
    throw new ArgumentError(`${fn}: indices.${name} must be an array of row indices, got ${describe(value)}`);
  }
  const src = value as ArrayLike<unknown>;
  const out = new Int32Array(src.length);
  for (let i = 0; i < src.length; i++) {
    const v = src[i];
    if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v >= m) {
      throw new ArgumentError(`${fn}: indices.${name}[${i}] must be a row index in [0, ${m - 1}], got ${describe(v)}`);
    }
    if (owner[v] !== 0) {
      throw new ArgumentError(`${fn}: row ${v} is in both ${names[owner[v] - 1]} and ${name} (indices.${name}[${i}]): the parts must be disjoint`);
    }
    owner[v] = id;
    out[i] = v;
  }
  if (out.length === 0) throw new ArgumentError(`${fn}: indices.${name} is empty`);
  return out;
}

/**
 * Re-applies saved row indices (from a split's `indices`, or {@link splitIndices} after a
 * JSON round trip) to x and y. The parts must be disjoint, non-empty, and in range; they
 * need not cover every row. Dev and test parts are remembered like a fresh split's.
 *
 * @example
 * ```ts
 * import { tensor } from "@hone/tensor";
 * import { applySplit } from "@hone/data-split";
 * const x = tensor([[0], [1], [2], [3]]), y = tensor([0, 1, 0, 1]);
 * const s = applySplit(x, y, { train: [3, 0], dev: [1], test: [2] });
 * console.log(s.train.x.toArray()); // [[3], [0]]
 * ```
 */
export function applySplit(x: Tensor, y: Tensor, indices: TrainDevTestIndices): TrainDevTestSplit;
export function applySplit(x: Tensor, y: Tensor, indices: TrainTestIndices): TrainTestSplit;
export function applySplit(x: Tensor, y: Tensor, indices: TrainDevTestIndices | TrainTestIndices): TrainDevTestSplit | TrainTestSplit {
  const fn = "applySplit";
  const m = checkXY(fn, x, y);
  if (typeof indices !== "object" || indices === null) throw new ArgumentError(`${fn}: indices must be { train, dev, test } or { train, test }, got ${describe(indices)}`);
  const hasDev = "dev" in indices && indices.dev !== undefined;
  const names = hasDev ? ["train", "dev", "test"] : ["train", "test"];
  const owner = new Int8Array(m);
  const sets = names.map((name, i) => checkIndexSet(fn, name, (indices as unknown as Record<string, unknown>)[name], m, owner, i + 1, names));
  return hasDev ? finish(x, y, sets[0], sets[1], sets[2]) : finish(x, y, sets[0], null, sets[1]);
}

/**
 * A split's row indices as plain number arrays, ready for `JSON.stringify` (typed arrays
 * serialize as objects) and for {@link applySplit} later.
 *
 * @example
 * ```ts
 * import { tensor } from "@hone/tensor";
 * import { applySplit, splitIndices } from "@hone/data-split";
 * const s = applySplit(tensor([[0], [1], [2]]), tensor([0, 1, 0]), { train: [2, 0], test: [1] });
 * console.log(JSON.stringify(splitIndices(s))); // {"train":[2,0],"test":[1]}
 * ```
 */
export function splitIndices(split: TrainDevTestSplit): { train: number[]; dev: number[]; test: number[] };
export function splitIndices(split: TrainTestSplit): { train: number[]; test: number[] };
export function splitIndices(split: TrainDevTestSplit | TrainTestSplit): { train: number[]; dev?: number[]; test: number[] } {
  const out: { train: number[]; dev?: number[]; test: number[] } = { train: Array.from(split.train.indices), test: [] };
  if ("dev" in split) out.dev = Array.from(split.dev.indices);
  out.test = Array.from(split.test.indices);
  return out;
}

/**
 * Index sets for k-fold cross-validation over n rows. Unstratified: the (shuffled) rows are
 * cut into k consecutive folds, the first n mod k of size ⌊n/k⌋+1 and the others ⌊n/k⌋
 * (scikit-learn's `KFold`; with the numpy-compatible `rng` and shuffle it matches
 * `KFold(k, shuffle=True, random_state=RandomState(seed))`). Stratified: the rows are
 * ordered by class (each class in shuffled order) and dealt to folds round-robin, so every
 * fold has ⌊n_c/k⌋ or ⌈n_c/k⌉ rows of class c and the fold sizes are as above.
 * Every index list is in shuffled order.
 *
 * @example
 * ```ts
 * import { rng } from "@hone/tensor";
 * import { kFold } from "@hone/data-split";
 * const folds = kFold(10, { k: 5, rng: rng(0) });
 * console.log(folds.length, folds[0].dev.length, folds[0].train.length); // 5 2 8
 * ```
 */
export function kFold(n: number, options: KFoldOptions = {}): Fold[] {
  const fn = "kFold";
  if (typeof n !== "number" || !Number.isInteger(n) || n < 0) throw new ArgumentError(`${fn}: n must be a non-negative integer, got ${describe(n)}`);
  const k = options.k ?? 5;
  if (typeof k !== "number" || !Number.isInteger(k) || k < 2 || k > n) {
    throw new ArgumentError(`${fn}: k must be an integer in [2, n] = [2, ${n}], got ${describe(k)}`);
  }
  const shuffle = checkBoolean(fn, "shuffle", options.shuffle ?? true);
  let classes: { ids: Int32Array; classes: number } | null = null;
  if (options.stratify !== undefined) {
    const rows = checkRows(fn, "stratify", options.stratify);
    if (rows !== n) throw new ShapeError(`${fn}: stratify has ${rows} rows (shape ${formatShape(options.stratify.shape)}) but n is ${n}`);
    classes = classIdsOf(fn, options.stratify);
  }
  const order = permutationFor(fn, n, shuffle, options.rng);
  const foldOf = new Int32Array(n);
  const sizes = new Array<number>(k).fill(0);
  if (classes === null) {
    let row = 0;
    for (let f = 0; f < k; f++) {
      const size = Math.floor(n / k) + (f < n % k ? 1 : 0);
      for (let j = 0; j < size; j++) foldOf[order[row++]] = f;
      sizes[f] = size;
    }
  } else {
    // Stable counting sort of `order` by class, then deal round-robin.
    const start = new Int32Array(classes.classes + 1);
    for (let i = 0; i < n; i++) start[classes.ids[i] + 1]++;
    for (let c = 0; c < classes.classes; c++) start[c + 1] = start[c + 1] + start[c];
    const byClass = new Int32Array(n);
    for (let i = 0; i < n; i++) byClass[start[classes.ids[order[i]]]++] = order[i]!;
    for (let i = 0; i < n; i++) { foldOf[byClass[i]] = i % k; sizes[i % k]++; }
  }
  const folds: Fold[] = [];
  for (let f = 0; f < k; f++) {
    const dev = new Int32Array(sizes[f]);
    const train = new Int32Array(n - sizes[f]);
    let d = 0, t = 0;
    for (let i = 0; i < n; i++) {
      const row = order[i];
      if (foldOf[row] === f) dev[d++] = row;
      else train[t++] = row;
    }
    folds.push({ train, dev });
  }
  return folds;
}

