// Seeded toy data sets: moons, circles, blobs, spirals and a simple tabular classification
// problem. Each states its draw order, so a seed gives the same data everywhere; moons,
// circles and blobs follow scikit-learn's geometry and draw order, so with the
// numpy-compatible generator they reproduce scikit-learn's numbers (to the last bit where
// numpy's sin/cos round correctly, as libm's always do). Each data set also knows the Bayes
// error of the distribution it was drawn from (bayes-error.ts).
import { libm, ArgumentError, Tensor, describe } from "@hone/tensor";
import { blobsBayesError, circlesBayesError, moonsBayesError, spiralsBayesError } from "./bayes-error.js";
import { checkBoolean, checkNonNegative, checkPositiveInt, isArray, linspaceValues, resolveRng, type RngLike } from "./util.js";
import type { Rng } from "@hone/tensor";

/** A generated data set. */
export interface Dataset {
  /** Inputs, shape (m, features), float64. */
  readonly x: Tensor;
  /** Class labels 0..k−1 as float64, shape (m,). */
  readonly y: Tensor;
  /**
   * The Bayes error of the generating distribution, when the generator knows it: the error
   * of the best possible classifier (the class of largest prior × density), with the class
   * proportions of this data set as priors. It is the base error of a bias/variance
   * diagnosis. Some generators compute it on first read and cache it (see each one's doc).
   */
  readonly bayesError?: number;
}

/** Options of {@link makeMoons}. */
export interface MoonsOptions {
  /** Number of points: ⌊m/2⌋ on the upper moon (class 0), the rest on the lower (class 1). Default `300`. */
  readonly samples?: number;
  /** Standard deviation of the Gaussian noise added to each coordinate. Default `0.2` (the course's). */
  readonly noise?: number;
  /** Shuffle the rows. Default `true`. */
  readonly shuffle?: boolean;
  /** Generator or integer seed; required when shuffling or adding noise. */
  readonly rng?: RngLike;
}

/** Options of {@link makeCircles}. */
export interface CirclesOptions {
  /** Number of points: ⌊m/2⌋ on the outer circle (class 0), the rest on the inner (class 1). Default `300`. */
  readonly samples?: number;
  /** Standard deviation of the Gaussian noise added to each coordinate. Default `0.05` (the course's). */
  readonly noise?: number;
  /** Radius of the inner circle relative to the outer one (radius 1), in [0, 1). Default `0.8` (scikit-learn's). */
  readonly factor?: number;
  /** Shuffle the rows. Default `true`. */
  readonly shuffle?: boolean;
  /** Generator or integer seed; required when shuffling or adding noise. */
  readonly rng?: RngLike;
}

/** Options of {@link makeBlobs}. */
export interface BlobsOptions {
  /** Number of points, split evenly over the centers (the first m mod k centers get one more). Default `300`. */
  readonly samples?: number;
  /** Number of centers drawn uniformly in `box`, or the centers themselves (k rows of `features` numbers). Default `3`. */
  readonly centers?: number | readonly (readonly number[])[];
  /** Standard deviation of each blob: one number, or one per center. Default `1`. */
  readonly std?: number | readonly number[];
  /** Number of features (ignored when `centers` are given: their width). Default `2`. */
  readonly features?: number;
  /** The box [low, high) that random centers are drawn from. Default `[-10, 10]`. */
  readonly box?: readonly [number, number];
  /** Shuffle the rows. Default `true`. */
  readonly shuffle?: boolean;
  /** Generator or integer seed; required when drawing anything. */
  readonly rng?: RngLike;
}

/** Options of {@link makeSpirals}. */
export interface SpiralsOptions {
  /** Number of points, split evenly over the arms (the first m mod k arms get one more). Default `300`. */
  readonly samples?: number;
  /** Number of spiral arms (classes). Default `2`. */
  readonly classes?: number;
  /** Standard deviation of the Gaussian noise added to each point's angle (radians). Default `0.2`. */
  readonly noise?: number;
  /** Shuffle the rows. Default `true`. */
  readonly shuffle?: boolean;
  /** Generator or integer seed; required when shuffling or adding noise. */
  readonly rng?: RngLike;
}

/** Options of {@link makeClassification}. */
export interface ClassificationOptions {
  /** Number of rows, split evenly over the classes (the first m mod k classes get one more). Default `100`. */
  readonly samples?: number;
  /** Number of features (informative ones first, then pure noise). Default `20`. */
  readonly features?: number;
  /** Number of informative features, ≤ features, with classes ≤ 2^informative. Default `2`. */
  readonly informative?: number;
  /** Number of classes, ≥ 2. Default `2`. */
  readonly classes?: number;
  /** Half the side of the hypercube whose vertices are the class centers. Default `1`. */
  readonly classSep?: number;
  /** Shuffle the rows. Default `true`. */
  readonly shuffle?: boolean;
  /** Generator or integer seed (always required: every feature has noise). */
  readonly rng?: RngLike;
}

// ---------------------------------------------------------------------------------------
// Shared steps

function checkOptions(fn: string, options: unknown): void {
  if (typeof options !== "object" || options === null) throw new ArgumentError(`${fn}: options must be an object, got ${describe(options)}`);
}

/** Rows permuted by `perm` (one value per row, `width` values per row). */
function permuteRows(data: Float64Array, labels: Float64Array, perm: Int32Array, width: number): [Float64Array, Float64Array] {
  const x = new Float64Array(data.length);
  const y = new Float64Array(labels.length);
  for (let i = 0; i < perm.length; i++) {
    const r = perm[i];
    for (let j = 0; j < width; j++) x[i * width + j] = data[r * width + j]!;
    y[i] = labels[r]!;
  }
  return [x, y];
}

/**
 * `data` with a `bayesError` computed by `compute` on first read and cached, so that making
 * data stays fast when nobody asks.
 */
function withLazyBayesError(data: Dataset, compute: () => number): Dataset {
  let value: number | undefined;
  return Object.defineProperty(data, "bayesError", { enumerable: true, get: () => (value ??= compute()) });
}

/** Class sizes: ⌊m/k⌋ each, the first m mod k one more. */
function evenSizes(m: number, k: number): number[] {
  return Array.from({ length: k }, (_, i) => Math.floor(m / k) + (i < m % k ? 1 : 0));
}

/**
 * The scikit-learn tail of make_moons/make_circles: shuffle the rows with
 * `rng.permutation(m)` (when shuffling), then add `noise · randn` to every coordinate in
 * row-major order (when noise > 0).
 */
function shuffleThenNoise(fn: string, x: Float64Array, y: Float64Array, shuffle: boolean, noise: number, rngLike: RngLike | undefined): Dataset {
  const m = y.length;
  let g: Rng | null = null;
  if (shuffle || noise > 0) g = resolveRng(fn, rngLike, shuffle ? "when shuffle is true" : "when noise > 0");
  if (shuffle) [x, y] = permuteRows(x, y, g!.permutation(m), 2);
  if (noise > 0) {
    const z = g!.randnArray(2 * m);
    for (let i = 0; i < x.length; i++) x[i] = x[i] + noise * z[i];
  }
  return { x: new Tensor(x, [m, 2]), y: new Tensor(y, [m]) };
}

// ---------------------------------------------------------------------------------------
// Generators

/**
 * Two interleaving half circles (scikit-learn's `make_moons`): class 0 at
 * (cos t, sin t), class 1 at (1 − cos t, 1 − sin t − 0.5), t = linspace(0, π) over each
 * class's points. Draw order: `rng.permutation(m)` to shuffle (if shuffling), then 2m
 * normals for the noise, row-major (if noise > 0). With `rng(3)` and noise 0.2 this is the
 * course's Optimization data set (`np.random.seed(3); make_moons(300, noise=.2)`).
 * `bayesError` is {@link moonsBayesError} (computed on first read, a few milliseconds, then
 * cached): 0.0290 at noise 0.2.
 *
 * @example
 * ```ts
 * import { makeMoons } from "@hone/data-split";
 * const { x, y, bayesError } = makeMoons({ samples: 300, noise: 0.2, rng: 3 });
 * console.log(x.shape, y.shape, bayesError); // [300, 2] [300] 0.02896
 * ```
 */
export function makeMoons(options: MoonsOptions = {}): Dataset {
  const fn = "makeMoons";
  checkOptions(fn, options);
  const m = checkPositiveInt(fn, "samples", options.samples ?? 300);
  const noise = checkNonNegative(fn, "noise", options.noise ?? 0.2);
  const shuffle = checkBoolean(fn, "shuffle", options.shuffle ?? true);
  const nOut = Math.floor(m / 2), nIn = m - nOut;
  const x = new Float64Array(2 * m), y = new Float64Array(m);
  const tOut = linspaceValues(0, Math.PI, nOut, true), tIn = linspaceValues(0, Math.PI, nIn, true);
  for (let i = 0; i < nOut; i++) { x[2 * i] = libm.cos(tOut[i]); x[2 * i + 1] = libm.sin(tOut[i]); }
  for (let i = 0; i < nIn; i++) {
    const r = nOut + i;
    x[2 * r] = 1 - libm.cos(tIn[i]);
    x[2 * r + 1] = 1 - libm.sin(tIn[i]) - 0.5;
    y[r] = 1;
  }
  return withLazyBayesError(shuffleThenNoise(fn, x, y, shuffle, noise, options.rng), () => moonsBayesError({ noise, priors: [nOut, nIn] }));
}

/**
 * A circle of radius 1 (class 0) around a circle of radius `factor` (class 1)
 * (scikit-learn's `make_circles`): angles linspace(0, 2π) without the endpoint over each
 * class's points. Draw order as {@link makeMoons}. With `rng(1)`, 300 samples and noise
 * 0.05 this is the course's Initialization training set (`np.random.seed(1);
 * make_circles(300, noise=.05)`). `bayesError` is {@link circlesBayesError}: 0.0228 at the
 * defaults.
 *
 * @example
 * ```ts
 * import { makeCircles } from "@hone/data-split";
 * const { x } = makeCircles({ samples: 100, noise: 0, shuffle: false });
 * console.log(Math.hypot(x.data[0], x.data[1]), Math.hypot(x.data[100], x.data[101])); // 1 0.8
 * ```
 */
export function makeCircles(options: CirclesOptions = {}): Dataset {
  const fn = "makeCircles";
  checkOptions(fn, options);
  const m = checkPositiveInt(fn, "samples", options.samples ?? 300);
  const noise = checkNonNegative(fn, "noise", options.noise ?? 0.05);
  const factor = options.factor ?? 0.8;
  if (typeof factor !== "number" || !(factor >= 0 && factor < 1)) throw new ArgumentError(`${fn}: factor must be in [0, 1), got ${describe(factor)}`);
  const shuffle = checkBoolean(fn, "shuffle", options.shuffle ?? true);
  const nOut = Math.floor(m / 2), nIn = m - nOut;
  const x = new Float64Array(2 * m), y = new Float64Array(m);
  const tOut = linspaceValues(0, 2 * Math.PI, nOut, false), tIn = linspaceValues(0, 2 * Math.PI, nIn, false);
  for (let i = 0; i < nOut; i++) { x[2 * i] = libm.cos(tOut[i]); x[2 * i + 1] = libm.sin(tOut[i]); }
  for (let i = 0; i < nIn; i++) {
    const r = nOut + i;
    x[2 * r] = libm.cos(tIn[i]) * factor;
    x[2 * r + 1] = libm.sin(tIn[i]) * factor;
    y[r] = 1;
  }
  return { ...shuffleThenNoise(fn, x, y, shuffle, noise, options.rng), bayesError: circlesBayesError({ noise, factor, priors: [nOut, nIn] }) };
}

/**
 * Isotropic Gaussian blobs, one class per center (scikit-learn's `make_blobs`). Draw order:
 * the centers, if drawn, as `rng.uniform(low, high)` row-major; then each center's points in
 * turn as center + std·randn, row-major; then `rng.permutation(m)` to shuffle.
 * `bayesError` is {@link blobsBayesError} for these centers (computed on first read, then
 * cached: exact for two centers of equal std, a quasi-Monte Carlo estimate within ±1e-3 in
 * general).
 *
 * @example
 * ```ts
 * import { makeBlobs } from "@hone/data-split";
 * const { x, y } = makeBlobs({ samples: 90, centers: [[0, 0], [5, 5], [0, 5]], std: 0.5, rng: 0 });
 * console.log(x.shape, Array.from(y.data).filter((c) => c === 2).length); // [90, 2] 30
 * ```
 */
export function makeBlobs(options: BlobsOptions = {}): Dataset {
  const fn = "makeBlobs";
  checkOptions(fn, options);
  const m = checkPositiveInt(fn, "samples", options.samples ?? 300);
  const shuffle = checkBoolean(fn, "shuffle", options.shuffle ?? true);
  const g = resolveRng(fn, options.rng, "to draw the points");
  const centersOpt = options.centers ?? 3;
  let centers: number[][];
  let f: number;
  if (typeof centersOpt === "number") {
    const k = checkPositiveInt(fn, "centers", centersOpt);
    f = checkPositiveInt(fn, "features", options.features ?? 2);
    const box = options.box ?? [-10, 10];
    if (!Array.isArray(box) || box.length !== 2 || !box.every((v) => typeof v === "number" && Number.isFinite(v)) || !(box[0] < box[1])) {
      throw new ArgumentError(`${fn}: box must be [low, high] with finite low < high, got ${describe(box)}`);
    }
    centers = [];
    for (let c = 0; c < k; c++) {
      const row: number[] = [];
      for (let j = 0; j < f; j++) row.push(g.uniform(box[0], box[1]));
      centers.push(row);
    }
  } else {
    const given: unknown = centersOpt;
    if (!isArray(given) || given.length === 0 || !isArray(given[0])) throw new ArgumentError(`${fn}: centers must be a positive integer or a non-empty array of points, got ${describe(centersOpt)}`);
    const width = given[0].length;
    f = width;
    centers = given.map((row, c) => {
      if (!isArray(row) || row.length !== width || width === 0 || !row.every((v) => typeof v === "number" && Number.isFinite(v))) {
        throw new ArgumentError(`${fn}: centers[${c}] must be ${width || "≥ 1"} finite numbers like centers[0], got ${describe(row)}`);
      }
      return row.slice() as number[];
    });
  }
  const k = centers.length;
  const stdOpt = options.std ?? 1;
  const std = typeof stdOpt === "number" ? new Array<number>(k).fill(stdOpt) : stdOpt;
  if (!Array.isArray(std) || std.length !== k) throw new ArgumentError(`${fn}: std must be a number or ${k} numbers (one per center), got ${describe(stdOpt)}`);
  std.forEach((s, c) => checkNonNegative(fn, `std[${c}]`, s));
  const sizes = evenSizes(m, k);
  let x: Float64Array = new Float64Array(m * f), y: Float64Array = new Float64Array(m);
  let r = 0;
  for (let c = 0; c < k; c++) {
    for (let i = 0; i < sizes[c]; i++, r++) {
      for (let j = 0; j < f; j++) x[r * f + j] = centers[c][j] + std[c]! * g.randn();
      y[r] = c;
    }
  }
  if (shuffle) [x, y] = permuteRows(x, y, g.permutation(m), f);
  const stds = std.slice(); // the caller's array may change before the first read
  return withLazyBayesError({ x: new Tensor(x, [m, f]), y: new Tensor(y, [m]) }, () => blobsBayesError({ centers, std: stds, priors: sizes }));
}

/**
 * Interleaved spiral arms, one class per arm (the CS231n spiral): arm j has radii
 * r = linspace(0, 1) and angles t = linspace(4j, 4(j+1)) + noise·randn over its points,
 * at (r·sin t, r·cos t). Draw order: each arm's angle noise in turn (if noise > 0), then
 * `rng.permutation(m)` to shuffle. `bayesError` is {@link spiralsBayesError} (computed at
 * once, a fraction of a millisecond): 5.7e-9 for two arms and 5.9e-6 for three at noise 0.2.
 *
 * @example
 * ```ts
 * import { makeSpirals } from "@hone/data-split";
 * const { x, y } = makeSpirals({ samples: 300, classes: 3, rng: 0 });
 * console.log(x.shape, y.shape); // [300, 2] [300]
 * ```
 */
export function makeSpirals(options: SpiralsOptions = {}): Dataset {
  const fn = "makeSpirals";
  checkOptions(fn, options);
  const m = checkPositiveInt(fn, "samples", options.samples ?? 300);
  const k = checkPositiveInt(fn, "classes", options.classes ?? 2);
  const noise = checkNonNegative(fn, "noise", options.noise ?? 0.2);
  const shuffle = checkBoolean(fn, "shuffle", options.shuffle ?? true);
  let g: Rng | null = null;
  if (shuffle || noise > 0) g = resolveRng(fn, options.rng, shuffle ? "when shuffle is true" : "when noise > 0");
  let x: Float64Array = new Float64Array(2 * m), y: Float64Array = new Float64Array(m);
  let r = 0;
  const sizes = evenSizes(m, k);
  sizes.forEach((n, c) => {
    const radius = linspaceValues(0, 1, n, true);
    const angle = linspaceValues(4 * c, 4 * (c + 1), n, true);
    const z = noise > 0 ? g!.randnArray(n) : null;
    for (let i = 0; i < n; i++, r++) {
      const t = angle[i] + (z === null ? 0 : noise * z[i]);
      x[2 * r] = radius[i] * libm.sin(t);
      x[2 * r + 1] = radius[i] * libm.cos(t);
      y[r] = c;
    }
  });
  if (shuffle) [x, y] = permuteRows(x, y, g!.permutation(m), 2);
  return { x: new Tensor(x, [m, 2]), y: new Tensor(y, [m]), bayesError: spiralsBayesError({ noise, classes: k, priors: sizes }) };
}

/**
 * A simplified tabular classification problem in the spirit of scikit-learn's
 * `make_classification`: class c's center is the hypercube vertex whose coordinate d is
 * +classSep when bit d of c is set, else −classSep (over the informative features); every
 * row is its class center plus a standard normal in each informative feature, and the
 * remaining features are standard normal noise. Unlike scikit-learn there are no clusters
 * per class, no random covariance, no redundant or repeated features and no label noise.
 * Draw order: rows class by class, each row's `features` normals in column order; then
 * `rng.permutation(m)` to shuffle. `bayesError` is that of unit Gaussian blobs at the class
 * centers ({@link blobsBayesError}; the noise features carry no information), computed on
 * first read and cached: Φ(−classSep) for two classes.
 *
 * @example
 * ```ts
 * import { makeClassification } from "@hone/data-split";
 * const { x, y } = makeClassification({ samples: 100, features: 5, informative: 2, classes: 4, rng: 0 });
 * console.log(x.shape, new Set(y.data).size); // [100, 5] 4
 * ```
 */
export function makeClassification(options: ClassificationOptions = {}): Dataset {
  const fn = "makeClassification";
  checkOptions(fn, options);
  const m = checkPositiveInt(fn, "samples", options.samples ?? 100);
  const f = checkPositiveInt(fn, "features", options.features ?? 20);
  const informative = checkPositiveInt(fn, "informative", options.informative ?? 2);
  if (informative > f) throw new ArgumentError(`${fn}: informative must be ≤ features = ${f}, got ${informative}`);
  const k = checkPositiveInt(fn, "classes", options.classes ?? 2);
  if (k < 2) throw new ArgumentError(`${fn}: classes must be ≥ 2, got ${k}`);
  if (k > 2 ** informative) throw new ArgumentError(`${fn}: classes must be ≤ 2^informative = ${2 ** informative} (one hypercube vertex per class), got ${k}`);
  const sep = checkNonNegative(fn, "classSep", options.classSep ?? 1);
  const shuffle = checkBoolean(fn, "shuffle", options.shuffle ?? true);
  const g = resolveRng(fn, options.rng, "to draw the features");
  let x: Float64Array = new Float64Array(m * f), y: Float64Array = new Float64Array(m);
  let r = 0;
  const sizes = evenSizes(m, k);
  const centerOf = (c: number, j: number): number => (j < informative ? (Math.floor(c / 2 ** j) % 2 === 1 ? sep : -sep) : 0);
  sizes.forEach((n, c) => {
    for (let i = 0; i < n; i++, r++) {
      for (let j = 0; j < f; j++) {
        const center = centerOf(c, j);
        x[r * f + j] = center + g.randn();
      }
      y[r] = c;
    }
  });
  if (shuffle) [x, y] = permuteRows(x, y, g.permutation(m), f);
  const centers = Array.from({ length: k }, (_, c) => Array.from({ length: informative }, (_, j) => centerOf(c, j)));
  return withLazyBayesError({ x: new Tensor(x, [m, f]), y: new Tensor(y, [m]) }, () => blobsBayesError({ centers, std: 1, priors: sizes }));
}
