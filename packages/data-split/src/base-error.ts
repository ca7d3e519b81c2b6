// The base (Bayes) error estimated from data: Fukunaga and Hostetler's k-NN bracket with
// leave-one-out neighbours, the Cover–Hart bound of the 1-NN error as a consistency check,
// and Wilson intervals for the sampling noise.
import { ArgumentError, ShapeError, describe, formatShape, type Tensor } from "@hone/tensor";
import { KDTree } from "mnemonist";
import { wilsonInterval } from "./stats.js";
import { checkConfidence, checkPositiveInt, checkXY, resolveRng, type RngLike } from "./util.js";

// ---------------------------------------------------------------------------------------
// Types

/** Options of {@link estimateBaseError}. */
export interface BaseErrorOptions {
  /** The vote's k, odd; the bracket pairs it with k + 1. Default: the odd k in [1, maxNeighbours] with the lowest leave-one-out vote error. */
  readonly neighbours?: number;
  /** The largest k tried when `neighbours` is not given (capped at rows − 2). Default `51`. */
  readonly maxNeighbours?: number;
  /** Count leave-one-out errors on at most this many rows, drawn without replacement; neighbours are always searched among all rows. Default `5000`. */
  readonly maxQueries?: number;
  /** Generator or integer seed; required when there are more rows than `maxQueries`. */
  readonly rng?: RngLike;
  /** Confidence of the interval [low, high], in (0, 1). Default `0.95`. */
  readonly confidence?: number;
  /** Number of classes k: labels must be integers in [0, k). Default: the largest label + 1 (the width of a one-hot y). */
  readonly classes?: number;
}

/** The result of {@link estimateBaseError}: error rates as fractions in [0, 1]. */
export interface BaseErrorEstimate {
  /** The point estimate of the Bayes error: the mean of the bracket's two ends. */
  readonly value: number;
  /** The lower end of the interval: the (k+1)-NN tie-reject error's lower Wilson limit. */
  readonly low: number;
  /** The upper end of the interval: the k-NN vote error's upper Wilson limit. */
  readonly high: number;
  /** A short name of the method, with k and the rows used. */
  readonly method: string;
  /** Rows whose leave-one-out errors were counted (all rows, or `maxQueries` of them). */
  readonly rows: number;
  /** Number of distinct classes present in y. */
  readonly classes: number;
  /** The vote's k (chosen or given). */
  readonly k: number;
  /** The leave-one-out 1-NN error on the same rows (Cover–Hart: R* ≤ it ≤ 2R*(1 − R*) asymptotically, two classes). */
  readonly nnError: number;
  /** False where the method is known to be unreliable (see {@link estimateBaseError}). */
  readonly reliable: boolean;
  /** Why it is unreliable, when it is not reliable. */
  readonly note?: string;
}

// ---------------------------------------------------------------------------------------
// The Cover–Hart bound

/**
 * The Cover–Hart lower bound of the Bayes error R* from the asymptotic 1-NN error R₁ for
 * K classes (Cover and Hart, IEEE Trans. Inf. Theory 13(1), 1967):
 *
 *   R* ≥ ((K−1)/K) · (1 − √(1 − K/(K−1) · R₁)),   and R* ≤ R₁,
 *
 * which for two classes is (1 − √(1 − 2R₁))/2. A measured R₁ above chance, (K−1)/K, gives
 * (K−1)/K (the root's argument is clamped at 0). The bounds hold as the rows grow; on
 * finite data, a 1-NN error inflated by many features can push this "bound" above R*.
 *
 * @example
 * ```ts
 * import { coverHartLowerBound } from "@hone/data-split";
 * coverHartLowerBound(0.2);    // 0.1127016653792583 = (1 − √0.6)/2
 * coverHartLowerBound(0.3, 3); // 0.17225343...       = (2/3)(1 − √0.55)
 * ```
 */
export function coverHartLowerBound(nnError: number, classes = 2): number {
  const fn = "coverHartLowerBound";
  if (typeof nnError !== "number" || !(nnError >= 0 && nnError <= 1)) throw new ArgumentError(`${fn}: nnError must be a fraction in [0, 1], got ${describe(nnError)}`);
  if (typeof classes !== "number" || !Number.isInteger(classes) || classes < 2) throw new ArgumentError(`${fn}: classes must be an integer ≥ 2, got ${describe(classes)}`);
  const a = (classes - 1) / classes;
  return a * (1 - Math.sqrt(Math.max(0, 1 - nnError / a)));
}

// ---------------------------------------------------------------------------------------
// Neighbour search: the `width` nearest other rows of a row, nearest first.

/** Fills `out` with the nearest rows to row `row`, other than itself, nearest first. */
type Search = (row: number, out: Int32Array) => void;

/**
 * A linear scan over all rows with squared distances, keeping the nearest in a sorted
 * buffer; equal distances keep the lower row first.
 */
function scanSearch(data: Float64Array, m: number, d: number): Search {
  let dist = new Float64Array(0);
  return (row, out) => {
    const width = out.length;
    if (dist.length < width) dist = new Float64Array(width);
    let count = 0, worst = Infinity;
    const q = row * d;
    for (let r = 0; r < m; r++) {
      if (r === row) continue;
      const o = r * d;
      let s = 0;
      for (let j = 0; j < d; j++) {
        const t = data[o + j]! - data[q + j]!;
        s += t * t;
      }
      if (s >= worst) continue;
      let p = count < width ? count++ : width - 1;
      while (p > 0 && dist[p - 1]! > s) {
        dist[p] = dist[p - 1]!;
        out[p] = out[p - 1]!;
        p--;
      }
      dist[p] = s;
      out[p] = r;
      if (count === width) worst = dist[width - 1]!;
    }
  };
}

/**
 * mnemonist's k-d tree (`KDTree.fromAxes`, labels = row indices). Its `kNearestNeighbors`
 * cannot leave the query point out, so it is asked for one neighbour more and the row
 * itself is dropped (or the farthest, when duplicates at distance 0 crowd the row out).
 * Returns the search, and `visits(rows)`: the mean number of nodes the tree visits per
 * query on those rows, to compare with a scan's cost.
 */
function treeSearch(data: Float64Array, m: number, d: number, width: number): { search: Search; visits: (rows: Int32Array) => number } {
  const axes: Float64Array[] = [];
  for (let j = 0; j < d; j++) {
    const axis = new Float64Array(m);
    for (let i = 0; i < m; i++) axis[i] = data[i * d + j]!;
    axes.push(axis);
  }
  const tree = KDTree.fromAxes(axes);
  const point = new Array<number>(d).fill(0);
  const search: Search = (row, out) => {
    for (let j = 0; j < d; j++) point[j] = data[row * d + j]!;
    const found = tree.kNearestNeighbors(out.length + 1, point);
    let c = 0;
    for (let i = 0; i < found.length && c < out.length; i++) if (found[i] !== row) out[c++] = found[i]!;
  };
  const visits = (rows: Int32Array): number => {
    const out = new Int32Array(width);
    let total = 0;
    for (const row of rows) {
      search(row, out);
      total += tree.visited;
    }
    return total / rows.length;
  };
  return { search, visits };
}

/**
 * One node visited by mnemonist's tree costs about as much as 10 rows scanned (measured on
 * 100k rows: 0.11–0.17 µs per node, 0.011–0.014 µs per row, 5–10 features); the tree is
 * used when it visits fewer than m/10 nodes per query on the first 32 queries.
 */
const NODE_COST_IN_ROWS = 10;

export function chooseSearch(data: Float64Array, m: number, d: number, width: number, queries: Int32Array): Search {
  const probe = queries.subarray(0, Math.min(32, queries.length));
  if (m > 64) {
    const tree = treeSearch(data, m, d, width);
    if (tree.visits(probe) * NODE_COST_IN_ROWS < m) return tree.search;
  }
  return scanSearch(data, m, d);
}

// ---------------------------------------------------------------------------------------
// Input

/** Class ids 0..k−1 from a (m,) or (m, 1) y of integer labels, or a one-hot (m, k) y. */
function labelsOf(fn: string, y: Tensor, m: number, classesOption: number | undefined): { ids: Int32Array; range: number } {
  const ids = new Int32Array(m);
  const width = y.rank === 1 ? 1 : y.shape[1]!;
  if (width === 0) throw new ShapeError(`${fn}: y must have shape (m,), (m, 1) or one-hot (m, k), got ${formatShape(y.shape)}`);
  if (classesOption !== undefined) checkPositiveInt(fn, "classes", classesOption);
  if (width > 1) {
    if (classesOption !== undefined && classesOption !== width) throw new ShapeError(`${fn}: y is one-hot with ${width} columns but classes is ${classesOption}`);
    for (let i = 0; i < m; i++) {
      let hot = -1;
      for (let j = 0; j < width; j++) {
        const v = y.data[i * width + j]!;
        if (v === 1 && hot < 0) hot = j;
        else if (v !== 0) { hot = -2; break; }
      }
      if (hot < 0) throw new ArgumentError(`${fn}: y of shape ${formatShape(y.shape)} must be one-hot (one 1 and zeros in each row), got row ${i}: [${Array.from(y.data.subarray(i * width, (i + 1) * width)).join(", ")}]`);
      ids[i] = hot;
    }
    return { ids, range: width };
  }
  let range = classesOption ?? 0;
  for (let i = 0; i < m; i++) {
    const v = y.data[i]!;
    if (!Number.isInteger(v) || v < 0 || (classesOption !== undefined && v >= classesOption)) {
      const want = classesOption === undefined ? "integers ≥ 0" : `integers in [0, ${classesOption})`;
      throw new ArgumentError(`${fn}: y must hold class labels, ${want}, got ${v} in row ${i}`);
    }
    ids[i] = v;
    if (classesOption === undefined && v + 1 > range) range = v + 1;
  }
  return { ids, range };
}

/** x's values as a Float64Array (the same array for float64), checked finite. */
export function featuresOf(fn: string, x: Tensor): Float64Array {
  const data = x.data instanceof Float64Array ? x.data : Float64Array.from(x.data);
  const d = x.shape[1]!;
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) throw new ArgumentError(`${fn}: x must be finite, got ${data[i]} at x[${Math.floor(i / d)}, ${i % d}]`);
  }
  return data;
}

// ---------------------------------------------------------------------------------------
// The estimate

/** More than this share of rows repeating another row's features makes the estimate unreliable. */
const DUPLICATE_SHARE = 0.01;

/** Rows whose features equal an earlier row's (exact float64 equality). */
function duplicateRows(data: Float64Array, m: number, d: number): number {
  const seen = new Set<string>();
  let count = 0;
  for (let i = 0; i < m; i++) {
    const key = Array.prototype.join.call(data.subarray(i * d, (i + 1) * d), ",");
    if (seen.has(key)) count++;
    else seen.add(key);
  }
  return count;
}

/** Fewer rows than this in some class makes the estimate unreliable. */
const MIN_CLASS_ROWS = 50;
/** Fewer rows than this many times 2^features makes the estimate unreliable. */
const DIMENSION_ROWS = 10;

/**
 * Estimates the base (Bayes) error of a classification problem from its training split,
 * for `diagnose` to compare the train error with when no human-level or known error is at
 * hand. `x` is (m, features), float64 or float32, **already normalized** by the caller (a
 * `Standardizer` fit on the same rows, say): nearest neighbours depend on the features'
 * scales. `y` holds class labels 0..k−1 as (m,) or (m, 1), or one-hot (m, k).
 *
 * **Method: Fukunaga and Hostetler's k-NN bracket** (IEEE Trans. Inf. Theory 21(3), 1975;
 * Fukunaga, *Statistical Pattern Recognition*, 2nd ed., §7.4). As the rows grow, for two
 * classes, the error of the (k+1)-NN rule that rejects ties (a reject is not an error) is
 * below R*, the error of the k-NN vote (k odd) is above it, and both close in on R* as k
 * grows; k = 1 gives [R₁/2, R₁]. Both are counted leave-one-out: each query row is
 * classified by its nearest other rows. k is the odd k in [1, `maxNeighbours`] with the
 * lowest leave-one-out vote error (as one picks a k-NN classifier's k), and the estimate is
 * the bracket's midpoint. For more classes the same pair is used (plurality vote, a t-way
 * tie counted as 1 − 1/t of an error; tie rejection when the plurality is shared); the
 * bracket is proven for two classes only, and behaved the same on three.
 *
 * Why this method: on two Gaussian classes N(0, I), N(d·e₁, I) (Bayes error Φ(−d/2)) for
 * d = 1…4 in 2, 5 and 10 features, three Gaussian classes, moons and circles, at 300, 1000
 * and 3000 rows, it had the lowest root-mean-square error (0.020, 0.011, 0.007) of the
 * candidates tried: the Cover–Hart bounds of R₁ and their midpoint (the lower bound sat
 * 0.01–0.03 below the truth in 2 features), the k-NN posterior plug-in mean(1 − max p̂)
 * (biased down by ~1/√k where classes overlap, up by 0.05–0.1 in 10 features), the vote
 * alone, and the bracket at a fixed k or with k cross-fitted.
 *
 * **Tolerance** (measured over 10 draws of each case above): with 3000 rows,
 * |value − truth| ≤ 0.02, the mean error within ±0.006 in 2–5 features and +0.007 in 10;
 * with 1000 rows of moons (R* ≈ 0.029), ≤ 0.015. Most of it is the rows' own sampling noise,
 * √(R*(1 − R*)/rows).
 *
 * **Interval**: [the tie-reject error's lower Wilson limit, the vote error's upper Wilson
 * limit] at `confidence`: each end of the bracket moved out by its own sampling noise (the
 * leave-one-out errors varied from draw to draw as binomial counts do), so that it covers R*
 * when the bracket does. It contained the truth in 90–100% of the draws in 2–5 features, and
 * in 70–100% in 10, where k-NN is biased up (such data is flagged, below). Choosing k by the
 * lowest error makes the vote end slightly optimistic.
 *
 * **Unreliable** (`reliable: false`, with a `note`) when any of:
 * - some class has fewer than 50 rows: the vote's neighbourhoods (up to 52 rows) are then
 *   mostly other classes, and the interval is wide;
 * - rows < 10·2^features: neighbours are far apart in many dimensions, which biases k-NN
 *   errors up (by +0.006 on average, and one draw in 20 was 0.04 off, with 10 features and
 *   1000 rows); data of low intrinsic dimension may be fine, but the rule cannot tell;
 * - the estimate (at its upper Wilson limit) is below the Cover–Hart lower bound of the
 *   1-NN error (at its lower limit, see {@link coverHartLowerBound}): the 1-NN error is
 *   inflated, the usual sign of too many features for the rows;
 * - more than 1% of the rows repeat another row's features (duplicates, or discrete
 *   features): distances tie, ties are broken by row order, and the bracket is biased (100
 *   copies of one point with alternating labels, Bayes error 0.5, would read about 0.26).
 *
 * **Cost**: the neighbours of up to `maxQueries` rows among all m rows, found exactly by
 * mnemonist's k-d tree where it prunes well (few features, or data of low intrinsic
 * dimension), else by a linear scan, whichever the first 32 queries say is cheaper: in 10
 * independent dimensions the tree visits half its nodes, and the scan is 4× faster. Measured
 * with 100 000 rows and the default 5000 queries: 0.3 s in 2 features, 1.1 s in 5, 6.3 s in
 * 10 (0.6 s when the 10 features are a linear image of 2). Equal distances are broken by row
 * order (scan) or by the tree's visit order.
 *
 * Draw order: one `rng.choice(m, maxQueries, { replace: false })` (a permutation of m) when
 * m > maxQueries; nothing otherwise.
 *
 * @example
 * ```ts
 * import { Standardizer, estimateBaseError, makeMoons } from "@hone/data-split";
 * const { x, y } = makeMoons({ samples: 1000, noise: 0.2, rng: 1 });
 * const base = estimateBaseError(new Standardizer().fit(x).transform(x), y);
 * console.log(base.value, base.low, base.high, base.reliable); // 0.0325 0.0219… 0.0471… true (Bayes error ≈ 0.029)
 * ```
 */
export function estimateBaseError(x: Tensor, y: Tensor, options: BaseErrorOptions = {}): BaseErrorEstimate {
  const fn = "estimateBaseError";
  const m = checkXY(fn, x, y);
  if (x.rank !== 2 || x.shape[1] === 0) throw new ShapeError(`${fn}: x must have shape (m, features) with features ≥ 1, got ${formatShape(x.shape)}`);
  if (m < 3) throw new ShapeError(`${fn}: x must have at least 3 rows (the 2-NN tie-reject rule needs two other rows per row), got ${m}`);
  if (typeof options !== "object" || options === null) throw new ArgumentError(`${fn}: options must be an object, got ${describe(options)}`);
  const d = x.shape[1]!;
  const data = featuresOf(fn, x);
  const { ids, range } = labelsOf(fn, y, m, options.classes);
  const confidence = checkConfidence(fn, options.confidence ?? 0.95);
  const maxQueries = checkPositiveInt(fn, "maxQueries", options.maxQueries ?? 5000);

  const sizes = new Int32Array(range);
  for (let i = 0; i < m; i++) sizes[ids[i]!]++;
  const present = sizes.filter((s) => s > 0);
  if (present.length < 2) throw new ArgumentError(`${fn}: y must have at least 2 classes, got only class ${ids[0]} in all ${m} rows`);

  // The vote's k: given, or the best odd k up to kMax.
  const fixed = options.neighbours;
  let kMax: number;
  if (fixed !== undefined) {
    if (typeof fixed !== "number" || !Number.isInteger(fixed) || fixed < 1 || fixed % 2 === 0) {
      throw new ArgumentError(`${fn}: neighbours must be an odd positive integer (the vote's k; the bracket pairs it with k + 1), got ${describe(fixed)}`);
    }
    if (fixed + 1 > m - 1) throw new ArgumentError(`${fn}: neighbours must be at most rows − 2 = ${m - 2} (k + 1 other rows per row), got ${fixed}`);
    kMax = fixed;
  } else {
    kMax = Math.min(checkPositiveInt(fn, "maxNeighbours", options.maxNeighbours ?? 51), m - 2);
    if (kMax % 2 === 0) kMax--;
  }
  const width = kMax + 1;

  let queries: Int32Array;
  if (m > maxQueries) {
    const g = resolveRng(fn, options.rng, `when x has more rows (${m}) than maxQueries (${maxQueries})`);
    queries = g.choice(m, maxQueries, { replace: false });
  } else {
    queries = new Int32Array(m);
    for (let i = 0; i < m; i++) queries[i] = i;
  }
  const q = queries.length;

  // Leave-one-out errors for every j ≤ width: vote[j] (j odd), reject[j] (j even).
  const search = chooseSearch(data, m, d, width, queries);
  const vote = new Float64Array(width + 1), reject = new Float64Array(width + 1);
  const nb = new Int32Array(width), counts = new Int32Array(range);
  for (const row of queries) {
    search(row, nb);
    const own = ids[row]!;
    let max = 0, tied = 0;
    for (let j = 1; j <= width; j++) {
      const c = ++counts[ids[nb[j - 1]!]!];
      if (c > max) { max = c; tied = 1; } else if (c === max) tied++;
      const mine = counts[own]!;
      if (j % 2 === 1) vote[j] += mine < max ? 1 : 1 - 1 / tied;
      else if (mine < max && tied === 1) reject[j]++;
    }
    for (let j = 0; j < width; j++) counts[ids[nb[j]!]!] = 0;
  }
  let k = kMax;
  if (fixed === undefined) for (let j = kMax - 2; j >= 1; j -= 2) if (vote[j]! <= vote[k]!) k = j;

  const upper = Math.max(vote[k]!, reject[k + 1]!), lower = Math.min(vote[k]!, reject[k + 1]!);
  const value = (vote[k]! + reject[k + 1]!) / 2 / q;
  const low = wilsonInterval(lower, q, confidence).low;
  const high = wilsonInterval(upper, q, confidence).high;
  const nnError = vote[1]! / q;

  const notes: string[] = [];
  const smallest = Math.min(...present);
  if (smallest < MIN_CLASS_ROWS) notes.push(`class ${sizes.indexOf(smallest)} has only ${smallest} rows (fewer than ${MIN_CLASS_ROWS})`);
  if (m < DIMENSION_ROWS * 2 ** d) notes.push(`${m} rows for ${d} features (fewer than ${DIMENSION_ROWS}·2^${d}): k-NN errors are biased up in many dimensions`);
  const duplicates = duplicateRows(data, m, d);
  if (duplicates > DUPLICATE_SHARE * m) notes.push(`${duplicates} of ${m} rows repeat another row's features (duplicates or discrete features): tied distances are broken by row order, which biases the k-NN bracket`);
  const floor = coverHartLowerBound(wilsonInterval(vote[1]!, q, confidence).low, present.length);
  if (wilsonInterval(value * q, q, confidence).high < floor) {
    notes.push(`the estimate is below the Cover–Hart bound ${floor.toFixed(3)} of the 1-NN error ${nnError.toFixed(3)}, which many features${duplicates > 0 ? " or tied distances" : ""} inflate`);
  }

  const rowsUsed = q < m ? `; ${q} of ${m} rows` : "";
  const method = `k-NN bracket of Fukunaga–Hostetler (k = ${k}${fixed === undefined ? " chosen by leave-one-out" : ""}${rowsUsed})`;
  const result: BaseErrorEstimate = { value, low, high, method, rows: q, classes: present.length, k, nnError, reliable: notes.length === 0 };
  return notes.length === 0 ? result : { ...result, note: notes.join("; ") };
}
