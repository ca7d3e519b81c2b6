/**
 * Seeded, explicit random number generation: numpy's legacy `np.random.RandomState`, bit for bit.
 *
 * An {@link Rng} is an MT19937 Mersenne Twister with the legacy numpy distributions on top, so
 * a program that calls `np.random.seed(s)` and then `rand`, `randn`, `randint`, `permutation`,
 * `choice` or `binomial` gets the very same numbers here, in the same order. Nothing in Hone
 * uses `Math.random` or global state: randomness is always an `Rng` argument.
 *
 * Draw accounting. Every method documents how many 32-bit words (`nextUint32` calls) it
 * consumes, because reproducing a numpy script depends on making the same draws in the same
 * order. One double ({@link Rng.random}) is 2 words; one standard normal
 * ({@link Rng.randn}) is, per *pair* of normals, 4 words per polar-method attempt (the second
 * normal of a pair is cached, exactly like numpy's `has_gauss`/`gauss`).
 *
 * @example
 * import { rng } from "@hone/tensor";
 * const g = rng(1);             // np.random.seed(1)
 * g.random();                   // 0.417022004702574   (np.random.rand())
 * g.random();                   // 0.7203244934421581
 * rng(1).randnArray(2);         // Float64Array [1.6243453636632417, -0.6117564136500754]
 *
 * @module
 */

import { ArgumentError, describe } from "./errors.js";
import { brand } from "./brand.js";
import { exp as expCR, log as logCR } from "./libm.js";

// ---------------------------------------------------------------------------------------------
// MT19937 core
// ---------------------------------------------------------------------------------------------

const N = 624;
const M = 397;
const MATRIX_A = 0x9908b0df;
const UPPER_MASK = 0x80000000;
const LOWER_MASK = 0x7fffffff;
const TWO_32 = 4294967296;
const MAX_UINT32 = 0xffffffff;
const TWO_53 = 9007199254740992;
/** numpy's `choice` tolerance on `sum(p) - 1`: `sqrt(finfo(float64).eps)`. */
const P_SUM_ATOL = Math.sqrt(Number.EPSILON);

/** `init_genrand`: numpy's `mt19937_seed`, used by `np.random.seed(int)`. */
function seedWord(mt: Uint32Array, seed: number): void {
  let s = seed >>> 0;
  mt[0] = s;
  for (let i = 1; i < N; i++) {
    s = (Math.imul(1812433253, s ^ (s >>> 30)) + i) >>> 0;
    mt[i] = s;
  }
}

/** `init_by_array`: numpy's `mt19937_init_by_array`, used by `np.random.seed(array)`. */
function seedArray(mt: Uint32Array, key: ArrayLike<number>): void {
  seedWord(mt, 19650218);
  const len = key.length;
  let i = 1;
  let j = 0;
  for (let k = Math.max(N, len); k > 0; k--) {
    const prev = mt[i - 1];
    mt[i] = ((mt[i] ^ Math.imul(prev ^ (prev >>> 30), 1664525)) + key[j] + j) >>> 0;
    i++;
    j++;
    if (i >= N) {
      mt[0] = mt[N - 1];
      i = 1;
    }
    if (j >= len) j = 0;
  }
  for (let k = N - 1; k > 0; k--) {
    const prev = mt[i - 1];
    mt[i] = ((mt[i] ^ Math.imul(prev ^ (prev >>> 30), 1566083941)) - i) >>> 0;
    i++;
    if (i >= N) {
      mt[0] = mt[N - 1];
      i = 1;
    }
  }
  mt[0] = 0x80000000;
}

/** Regenerate all 624 words in place (numpy's `mt19937_gen`). */
function twist(mt: Uint32Array): void {
  let i = 0;
  let y: number;
  for (; i < N - M; i++) {
    y = (mt[i] & UPPER_MASK) | (mt[i + 1] & LOWER_MASK);
    mt[i] = mt[i + M] ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A);
  }
  for (; i < N - 1; i++) {
    y = (mt[i] & UPPER_MASK) | (mt[i + 1] & LOWER_MASK);
    mt[i] = mt[i + M - N] ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A);
  }
  y = (mt[N - 1] & UPPER_MASK) | (mt[0] & LOWER_MASK);
  mt[N - 1] = mt[M - 1] ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A);
}

/** Smallest all-ones mask >= x, for 0 <= x <= 0xffffffff (numpy's `gen_mask`). */
function mask32(x: number): number {
  let m = x >>> 0;
  m |= m >>> 1;
  m |= m >>> 2;
  m |= m >>> 4;
  m |= m >>> 8;
  m |= m >>> 16;
  return m >>> 0;
}

// numpy's legacy normal and binomial draws call the C library's `log` and `exp`. glibc's are
// correctly rounded except in rare near-halfway cases, while V8's `Math.log` (an fdlibm port in
// Node 20, another library in Chromium) is off by one ulp far more often and differs between
// engines, which would change `randn` outputs in the last bit. So the samplers use libm's
// correctly rounded `log` and `exp`.

// ---------------------------------------------------------------------------------------------
// Validation helpers
// ---------------------------------------------------------------------------------------------

function checkSeed(fn: string, name: string, seed: unknown): number {
  if (typeof seed !== "number" || !Number.isInteger(seed) || seed < 0 || seed > MAX_UINT32) {
    throw new ArgumentError(`${fn}: ${name} must be an integer in [0, 2^32 - 1], got ${describe(seed)}`);
  }
  return seed;
}

/** Validates an integer or array seed like `np.random.seed`; arrays come back as a Uint32Array key. */
function normalizeSeed(fn: string, seed: unknown): number | Uint32Array {
  if (typeof seed === "number") return checkSeed(fn, "seed", seed);
  if (seed !== null && typeof seed === "object" && typeof (seed as ArrayLike<unknown>).length === "number") {
    const arr = seed as ArrayLike<unknown>;
    if (arr.length === 0) {
      throw new ArgumentError(`${fn}: seed array must be non-empty, got []`);
    }
    const key = new Uint32Array(arr.length);
    for (let i = 0; i < arr.length; i++) key[i] = checkSeed(fn, `seed[${i}]`, arr[i]);
    return key;
  }
  throw new ArgumentError(
    `${fn}: seed must be an integer in [0, 2^32 - 1] or an array of them, got ${describe(seed)}`,
  );
}

function checkCount(fn: string, name: string, n: unknown, max: number = 2 ** 32 - 1): number {
  if (typeof n !== "number" || !Number.isInteger(n) || n < 0 || n > max) {
    throw new ArgumentError(`${fn}: ${name} must be an integer in [0, ${max}], got ${describe(n)}`);
  }
  return n;
}

function checkSafeInteger(fn: string, name: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value)) {
    throw new ArgumentError(`${fn}: ${name} must be a safe integer, got ${describe(value)}`);
  }
  return value;
}

function checkFinite(fn: string, name: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new ArgumentError(`${fn}: ${name} must be a finite number, got ${describe(value)}`);
  }
  return value;
}

/** Validates `[low, high)` for randint and returns numpy's `rng = high - low - 1`. */
function randintRange(fn: string, low: unknown, high: unknown): number {
  const lo = checkSafeInteger(fn, "low", low);
  const hi = checkSafeInteger(fn, "high", high);
  if (hi <= lo) {
    throw new ArgumentError(`${fn}: high must be greater than low, got low=${describe(lo)}, high=${describe(hi)}`);
  }
  // Both are safe integers, so the exact difference is computed exactly whenever it is <= 2^53.
  if (BigInt(hi) - BigInt(lo) > BigInt(TWO_53)) {
    throw new ArgumentError(
      `${fn}: high - low must be at most 2^53, got low=${describe(lo)}, high=${describe(hi)}`,
    );
  }
  return hi - lo - 1;
}

function checkBinomial(fn: string, n: unknown, p: unknown): void {
  if (typeof n !== "number" || !Number.isSafeInteger(n) || n < 0) {
    throw new ArgumentError(`${fn}: n must be a non-negative safe integer, got ${describe(n)}`);
  }
  if (typeof p !== "number" || !(p >= 0 && p <= 1)) {
    throw new ArgumentError(`${fn}: p must be a number in [0, 1], got ${describe(p)}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------------------------

/**
 * A JSON-serializable snapshot of an {@link Rng}: the same content as numpy's
 * `RandomState.get_state(legacy=False)`.
 */
export interface RngState {
  /** Always `"MT19937"`. */
  readonly bitGenerator: "MT19937";
  /** The 624 state words, each an integer in [0, 2^32 - 1]. */
  readonly key: readonly number[];
  /** Index of the next word to temper, in [0, 624]; 624 means "twist before the next draw". */
  readonly pos: number;
  /** Whether a second normal from the last polar-method pair is cached. */
  readonly hasGauss: boolean;
  /** The cached normal (0 when `hasGauss` is false). */
  readonly gauss: number;
}

/** Options of {@link Rng.choice}. */
export interface ChoiceOptions {
  /** Sample with replacement (default `true`), like numpy's `replace`. */
  readonly replace?: boolean;
  /**
   * Probabilities of each of the `n` outcomes: non-negative, summing to 1 within
   * `sqrt(2^-52)` ≈ 1.49e-8 (numpy's tolerance). Default: uniform.
   */
  readonly p?: ArrayLike<number>;
}

/** Anything indexable and writable with a length: arrays and typed arrays. */
export interface MutableArrayLike<T> {
  readonly length: number;
  [index: number]: T;
}

/** numpy's legacy `binomial_t`: setup of the last (n, p) used by the binomial samplers. */
interface BinomialSetup {
  has: boolean;
  nsave: number;
  psave: number;
  r: number;
  q: number;
  fm: number;
  m: number;
  p1: number;
  xm: number;
  xl: number;
  xr: number;
  c: number;
  laml: number;
  lamr: number;
  p2: number;
  p3: number;
  p4: number;
}

function newBinomialSetup(): BinomialSetup {
  return {
    has: false, nsave: 0, psave: 0, r: 0, q: 0, fm: 0, m: 0, p1: 0, xm: 0, xl: 0, xr: 0, c: 0,
    laml: 0, lamr: 0, p2: 0, p3: 0, p4: 0,
  };
}

/** The Stirling-series correction term of BTPE's final acceptance test. */
function stirlingTail(x: number, x2: number): number {
  return (13680 - (462 - (132 - (99 - 140 / x2) / x2) / x2) / x2) / x / 166320;
}

// ---------------------------------------------------------------------------------------------
// Rng
// ---------------------------------------------------------------------------------------------

/**
 * An explicit, seeded random generator, identical to numpy's legacy `np.random.RandomState`
 * (MT19937). Create one with {@link rng} (integer seed) or {@link randomState} (integer or
 * array seed, like `np.random.RandomState(seed)`); derive independent streams with
 * {@link Rng.split} / {@link Rng.spawn}; save and restore with {@link Rng.state} /
 * {@link Rng.setState}.
 *
 * @example
 * const g = new Rng(3);
 * g.randn(); // 1.7886284734303186  (np.random.seed(3); np.random.randn())
 */
export class Rng {
  readonly #mt: Uint32Array = new Uint32Array(N);
  #pos: number = N;
  #hasGauss = false;
  #gauss = 0;
  readonly #binomial: BinomialSetup = newBinomialSetup();

  /**
   * Seeds like `np.random.seed(seed)`: an integer in [0, 2^32 - 1] uses `init_genrand`, a
   * non-empty array of such integers uses `init_by_array`.
   *
   * @example
   * new Rng(1).random();         // 0.417022004702574
   * new Rng([1, 2, 3]).random(); // same as np.random.RandomState([1, 2, 3]).random_sample()
   */
  constructor(seed: number | ArrayLike<number>) {
    this.#seed("Rng", seed);
  }

  #seed(fn: string, seed: number | ArrayLike<number>): void {
    const checked = normalizeSeed(fn, seed);
    if (typeof checked === "number") seedWord(this.#mt, checked);
    else seedArray(this.#mt, checked);
    this.#pos = N;
    this.#hasGauss = false;
    this.#gauss = 0;
    this.#binomial.has = false;
  }

  /**
   * Restores a snapshot made by {@link Rng.state}.
   *
   * @example
   * const g = rng(0);
   * const copy = Rng.fromState(g.state());
   * copy.random() === g.random(); // true
   */
  static fromState(state: RngState): Rng {
    const g = new Rng(0);
    g.setState(state);
    return g;
  }

  // ------------------------------------------------------------------ raw words and doubles

  /**
   * The next raw 32-bit output of MT19937, an integer in [0, 2^32 - 1]. Consumes 1 word.
   *
   * @example
   * rng(1).nextUint32(); // 1791095845  (np.random.RandomState(1)._bit_generator.random_raw())
   */
  nextUint32(): number {
    if (this.#pos >= N) {
      twist(this.#mt);
      this.#pos = 0;
    }
    let y = this.#mt[this.#pos++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /**
   * A uniform double in [0, 1) with 53 random bits, numpy's `random_sample()`:
   * `((a >>> 5) * 2^26 + (b >>> 6)) / 2^53`. Consumes 2 words (a, then b).
   *
   * @example
   * rng(1).random(); // 0.417022004702574
   */
  random(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /**
   * A standard normal by numpy's legacy polar (Marsaglia) method. If a normal is cached, returns
   * it and consumes nothing. Otherwise draws pairs of doubles (4 words per attempt) until the
   * point falls inside the unit disc, returns `f * x2` and caches `f * x1` for the next call.
   *
   * @example
   * const g = rng(1);
   * g.randn(); // 1.6243453636632417
   * g.randn(); // -0.6117564136500754  (the cached half of the pair: no draws)
   */
  randn(): number {
    if (this.#hasGauss) {
      const cached = this.#gauss;
      this.#hasGauss = false;
      this.#gauss = 0;
      return cached;
    }
    let x1: number;
    let x2: number;
    let r2: number;
    do {
      x1 = 2.0 * this.random() - 1.0;
      x2 = 2.0 * this.random() - 1.0;
      r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1.0 || r2 === 0.0);
    const f = Math.sqrt((-2.0 * logCR(r2)) / r2);
    this.#gauss = f * x1;
    this.#hasGauss = true;
    return f * x2;
  }

  /**
   * A uniform double in [low, high), numpy's `uniform(low, high)`: `low + (high - low) * random()`.
   * `high < low` is allowed (numpy allows it too); `high - low` must be finite.
   * Consumes 2 words.
   *
   * @example
   * rng(1).uniform(2, 5); // 3.251066014107722
   */
  uniform(low: number, high: number): number {
    const range = checkUniform("uniform", low, high);
    return low + range * this.random();
  }

  // ------------------------------------------------------------------ array fillers

  /**
   * `n` uniform doubles in [0, 1): numpy's `np.random.rand(...)` / `random_sample(size)` with
   * `n` = the product of the shape, in row-major order. Consumes 2n words.
   *
   * @example
   * rng(1).rand(2); // Float64Array [0.417022004702574, 0.7203244934421581]
   */
  rand(n: number): Float64Array {
    return this.randInto(new Float64Array(checkCount("rand", "n", n)));
  }

  /**
   * Fills `out` with uniform doubles in [0, 1), in index order, like {@link Rng.rand} but without
   * allocating (a Float32Array receives the float64 draws rounded, like numpy's `astype`).
   * Consumes 2 words per element.
   *
   * @example
   * const mask = new Float64Array(4);
   * rng(1).randInto(mask)[0]; // 0.417022004702574
   */
  randInto<T extends Float64Array | Float32Array>(out: T): T {
    const len = out.length;
    for (let i = 0; i < len; i++) out[i] = this.random();
    return out;
  }

  /**
   * `n` standard normals, numpy's `np.random.randn(...)` flattened row-major: the same sequence
   * as `n` calls of {@link Rng.randn} (and it shares the cached normal with them).
   *
   * @example
   * rng(3).randnArray(2); // Float64Array [1.7886284734303186, 0.43650985051198943]
   */
  randnArray(n: number): Float64Array {
    return this.randnInto(new Float64Array(checkCount("randnArray", "n", n)));
  }

  /**
   * Fills `out` with standard normals in index order; same draws as {@link Rng.randnArray}.
   *
   * @example
   * rng(3).randnInto(new Float64Array(3))[2]; // 0.09649746807200862
   */
  randnInto<T extends Float64Array | Float32Array>(out: T): T {
    const len = out.length;
    for (let i = 0; i < len; i++) out[i] = this.randn();
    return out;
  }

  /**
   * `n` uniform doubles in [low, high), numpy's `uniform(low, high, size=n)`. Consumes 2n words.
   *
   * @example
   * rng(1).uniformArray(2, 5, 3); // Float64Array [3.251066014107722, 4.160973480326474, 2.0003431244520344]
   */
  uniformArray(low: number, high: number, n: number): Float64Array {
    const range = checkUniform("uniformArray", low, high);
    const out = new Float64Array(checkCount("uniformArray", "n", n));
    for (let i = 0; i < out.length; i++) out[i] = low + range * this.random();
    return out;
  }

  // ------------------------------------------------------------------ integers

  /**
   * A uniform integer in [0, max], numpy's masked rejection (`random_interval` /
   * `bounded_masked_uint64`). No words for max = 0; for max < 2^32 one word per attempt
   * (`next_uint32 & mask`); above, two words per attempt (`next_uint64 = hi << 32 | lo`).
   */
  #bounded(max: number): number {
    if (max === 0) return 0;
    if (max <= MAX_UINT32) {
      if (max === MAX_UINT32) return this.nextUint32();
      const mask = mask32(max);
      let v: number;
      do {
        v = (this.nextUint32() & mask) >>> 0;
      } while (v > max);
      return v;
    }
    const maxHi = Math.floor(max / TWO_32);
    const maxLo = max >>> 0;
    const maskHi = mask32(maxHi);
    for (;;) {
      const hi = (this.nextUint32() & maskHi) >>> 0;
      const lo = this.nextUint32();
      if (hi < maxHi || (hi === maxHi && lo <= maxLo)) return hi * TWO_32 + lo;
    }
  }

  /**
   * A uniform integer in [low, high), exactly numpy's legacy `randint(low, high)` (int64, masked
   * rejection). With `r = high - low - 1`: no words if r = 0; one word if r = 2^32 - 1; for
   * r < 2^32 one word per attempt (`v = nextUint32() & mask` until `v <= r`); for larger r (up
   * to 2^53 - 1) two words per attempt. `low` and `high` must be safe integers.
   *
   * @example
   * rng(1).randint(0, 10); // 5
   */
  randint(low: number, high: number): number {
    const r = randintRange("randint", low, high);
    return low + this.#bounded(r);
  }

  /**
   * `n` uniform integers in [low, high), numpy's `randint(low, high, size=n)`; the same draws as
   * `n` calls of {@link Rng.randint}.
   *
   * @example
   * rng(1).randintArray(-3, 3, 4); // Float64Array [2, 0, 1, -3]
   */
  randintArray(low: number, high: number, n: number): Float64Array {
    const r = randintRange("randintArray", low, high);
    const out = new Float64Array(checkCount("randintArray", "n", n));
    for (let i = 0; i < out.length; i++) out[i] = low + this.#bounded(r);
    return out;
  }

  // ------------------------------------------------------------------ permutations

  /**
   * Shuffles `array` in place, exactly like numpy's legacy `np.random.shuffle` on a 1-D array or
   * list (Fisher–Yates from the end): for i = n-1 down to 1, j = random_interval(i), swap a[i]
   * and a[j]. Each random_interval(i) consumes one word per attempt (`nextUint32() & mask`
   * until `<= i`). To shuffle rows of a matrix, shuffle a {@link Rng.permutation} of row indices.
   *
   * @example
   * rng(1).shuffle([0, 1, 2, 3, 4]); // [2, 1, 4, 0, 3]
   */
  shuffle<A extends MutableArrayLike<unknown>>(array: A): A {
    for (let i = array.length - 1; i > 0; i--) {
      const j = this.#bounded(i);
      const tmp = array[i];
      array[i] = array[j];
      array[j] = tmp;
    }
    return array;
  }

  /**
   * A random permutation of 0..n-1, numpy's `np.random.permutation(n)` (= shuffle(arange(n))).
   * Consumes the same words as {@link Rng.shuffle} on n elements (none for n <= 1).
   *
   * @example
   * rng(1).permutation(5); // Int32Array [2, 1, 4, 0, 3]
   */
  permutation(n: number): Int32Array {
    const out = new Int32Array(checkCount("permutation", "n", n, 2 ** 31 - 1));
    for (let i = 0; i < out.length; i++) out[i] = i;
    return this.shuffle(out);
  }

  /**
   * `size` samples from 0..n-1, numpy's legacy `np.random.choice(n, size, replace, p)`:
   * - replace, no p: `randintArray(0, n, size)`;
   * - replace, with p: cdf = cumsum(p) / its last entry, then `rand(size)` (2 words each), each
   *   mapped by `searchsorted(cdf, u, side="right")`;
   * - no replace, no p: `permutation(n)` (all n - 1 swaps drawn) truncated to `size`;
   * - no replace, with p: numpy's rejection loop: draw `rand(size - found)`, zero the
   *   probabilities already found, searchsorted, keep first occurrences of new indices; repeat.
   *
   * @example
   * rng(1).choice(5, 3);                                    // Int32Array [3, 4, 0]
   * rng(1).choice(5, 3, { p: [0.1, 0.2, 0.3, 0.2, 0.2] }); // Int32Array [2, 3, 0]
   * rng(1).choice(5, 3, { replace: false });                // Int32Array [2, 1, 4]
   */
  choice(n: number, size: number, options: ChoiceOptions = {}): Int32Array {
    const fn = "choice";
    checkCount(fn, "size", size, 2 ** 31 - 1);
    checkCount(fn, "n", n, 2 ** 31 - 1);
    if (n === 0 && size > 0) {
      throw new ArgumentError(`${fn}: n must be positive unless size is 0, got n=0, size=${size}`);
    }
    const replace = options.replace ?? true;
    const p = options.p === undefined ? undefined : checkProbabilities(fn, options.p, n);
    const out = new Int32Array(size);
    if (replace) {
      if (p === undefined) {
        const r = n - 1;
        for (let i = 0; i < size; i++) out[i] = this.#bounded(r);
      } else {
        const cdf = normalizedCdf(p);
        for (let i = 0; i < size; i++) out[i] = searchsortedRight(cdf, this.random());
      }
      return out;
    }
    if (size > n) {
      throw new ArgumentError(
        `${fn}: size must be at most n when replace is false, got size=${size}, n=${n}`,
      );
    }
    if (p === undefined) {
      out.set(this.permutation(n).subarray(0, size));
      return out;
    }
    let nonzero = 0;
    for (let i = 0; i < n; i++) if (p[i] > 0) nonzero++;
    if (nonzero < size) {
      throw new ArgumentError(
        `${fn}: p must have at least size (${size}) positive entries when replace is false, got ${nonzero}`,
      );
    }
    const weights = Float64Array.from(p);
    const seen = new Uint8Array(n);
    const u = new Float64Array(size);
    let found = 0;
    while (found < size) {
      const batch = size - found;
      for (let i = 0; i < batch; i++) u[i] = this.random();
      for (let i = 0; i < found; i++) weights[out[i]] = 0;
      const cdf = normalizedCdf(weights);
      const start = found;
      for (let i = 0; i < batch; i++) {
        const idx = searchsortedRight(cdf, u[i]);
        if (seen[idx] === 0) {
          seen[idx] = 1;
          out[found++] = idx;
        }
      }
      for (let i = start; i < found; i++) seen[out[i]] = 0;
      // Indices found in earlier batches have zero weight, so they cannot be drawn again.
    }
    return out;
  }

  // ------------------------------------------------------------------ binomial

  /**
   * A binomial(n, p) integer, exactly numpy's legacy `np.random.binomial(n, p)`: with
   * p' = min(p, 1 - p), inversion when n·p' <= 30 (one double, 2 words, per attempt — even for
   * n = 0 or p = 0), otherwise BTPE (two doubles, 4 words, per attempt); for p > 0.5 the result
   * is n minus a binomial(n, 1 - p) draw.
   *
   * @example
   * rng(1).binomial(10, 0.5);  // 5
   * rng(1).binomial(100, 0.5); // 52
   */
  binomial(n: number, p: number): number {
    checkBinomial("binomial", n, p);
    return this.#binomialDraw(n, p);
  }

  /**
   * `count` binomial(n, p) integers, numpy's `binomial(n, p, size=count)`; the same draws as
   * `count` calls of {@link Rng.binomial}.
   *
   * @example
   * rng(1).binomialArray(10, 0.5, 3); // Float64Array [5, 6, 0]
   */
  binomialArray(n: number, p: number, count: number): Float64Array {
    checkBinomial("binomialArray", n, p);
    const out = new Float64Array(checkCount("binomialArray", "count", count));
    for (let i = 0; i < out.length; i++) out[i] = this.#binomialDraw(n, p);
    return out;
  }

  #binomialDraw(n: number, p: number): number {
    if (p <= 0.5) {
      return p * n <= 30.0 ? this.#binomialInversion(n, p) : this.#binomialBtpe(n, p);
    }
    const q = 1.0 - p;
    return q * n <= 30.0 ? n - this.#binomialInversion(n, q) : n - this.#binomialBtpe(n, q);
  }

  /** numpy's `random_binomial_inversion` (p <= 0.5, n·p <= 30). */
  #binomialInversion(n: number, p: number): number {
    const s = this.#binomial;
    if (!s.has || s.nsave !== n || s.psave !== p) {
      s.nsave = n;
      s.psave = p;
      s.has = true;
      s.q = 1.0 - p;
      s.r = expCR(n * logCR(s.q));
      s.c = n * p;
      s.m = Math.trunc(Math.min(n, s.c + 10.0 * Math.sqrt(s.c * s.q + 1)));
    }
    const q = s.q;
    const qn = s.r;
    const bound = s.m;
    let x = 0;
    let px = qn;
    let u = this.random();
    while (u > px) {
      x++;
      if (x > bound) {
        x = 0;
        px = qn;
        u = this.random();
      } else {
        u -= px;
        px = ((n - x + 1) * p * px) / (x * q);
      }
    }
    return x;
  }

  /** numpy's `random_binomial_btpe` (Kachitvichyanukul & Schmeiser; p <= 0.5, n·p > 30). */
  #binomialBtpe(n: number, p: number): number {
    const s = this.#binomial;
    if (!s.has || s.nsave !== n || s.psave !== p) {
      s.nsave = n;
      s.psave = p;
      s.has = true;
      s.r = Math.min(p, 1.0 - p);
      s.q = 1.0 - s.r;
      s.fm = n * s.r + s.r;
      s.m = Math.floor(s.fm);
      s.p1 = Math.floor(2.195 * Math.sqrt(n * s.r * s.q) - 4.6 * s.q) + 0.5;
      s.xm = s.m + 0.5;
      s.xl = s.xm - s.p1;
      s.xr = s.xm + s.p1;
      s.c = 0.134 + 20.5 / (15.3 + s.m);
      let a = (s.fm - s.xl) / (s.fm - s.xl * s.r);
      s.laml = a * (1.0 + a / 2.0);
      a = (s.xr - s.fm) / (s.xr * s.q);
      s.lamr = a * (1.0 + a / 2.0);
      s.p2 = s.p1 * (1.0 + 2.0 * s.c);
      s.p3 = s.p2 + s.c / s.laml;
      s.p4 = s.p3 + s.c / s.lamr;
    }
    const { r, q, m, p1, xm, xl, xr, c, laml, lamr, p2, p3, p4 } = s;
    for (;;) {
      // Step 10
      const nrq = n * r * q;
      const u = this.random() * p4;
      let v = this.random();
      let y: number;
      if (u <= p1) {
        return Math.floor(xm - p1 * v + u);
      }
      if (u <= p2) {
        // Step 20: parallelograms
        const x = xl + (u - p1) / c;
        v = v * c + 1.0 - Math.abs(m - x + 0.5) / p1;
        if (v > 1.0) continue;
        y = Math.floor(x);
      } else if (u <= p3) {
        // Step 30: left exponential tail
        y = Math.floor(xl + logCR(v) / laml);
        if (y < 0 || v === 0.0) continue;
        v = v * (u - p2) * laml;
      } else {
        // Step 40: right exponential tail
        y = Math.floor(xr - logCR(v) / lamr);
        if (y > n || v === 0.0) continue;
        v = v * (u - p3) * lamr;
      }
      // Step 50
      const k = Math.abs(y - m);
      if (!(k > 20 && k < nrq / 2.0 - 1)) {
        const sr = r / q;
        const a = sr * (n + 1);
        let f = 1.0;
        if (m < y) {
          for (let i = m + 1; i <= y; i++) f *= a / i - sr;
        } else if (m > y) {
          for (let i = y + 1; i <= m; i++) f /= a / i - sr;
        }
        if (v > f) continue;
        return y;
      }
      // Step 52: squeeze with the normal approximation, then Stirling's formula
      const rho = (k / nrq) * ((k * (k / 3.0 + 0.625) + 0.16666666666666666) / nrq + 0.5);
      const t = (-k * k) / (2 * nrq);
      const logV = logCR(v);
      if (logV < t - rho) return y;
      if (logV > t + rho) continue;
      const x1 = y + 1;
      const f1 = m + 1;
      const z = n + 1 - m;
      const w = n - y + 1;
      const bound =
        xm * logCR(f1 / x1) +
        (n - m + 0.5) * logCR(z / w) +
        (y - m) * logCR((w * r) / (x1 * q)) +
        stirlingTail(f1, f1 * f1) +
        stirlingTail(z, z * z) +
        stirlingTail(x1, x1 * x1) +
        stirlingTail(w, w * w);
      if (logV > bound) continue;
      return y;
    }
  }

  // ------------------------------------------------------------------ streams and state

  /**
   * A child generator with its own stream, deterministic given the parent's state. The parent
   * advances by exactly 4 words: the child is seeded with `init_by_array` on the key made of the
   * parent's next 4 `nextUint32()` outputs, i.e. it equals
   * `np.random.RandomState([w0, w1, w2, w3])`. The parent's cached normal, if any, stays with
   * the parent. Use one child per concern (initialization, dropout, shuffling) so that they do
   * not disturb one another.
   *
   * @example
   * const root = rng(42);
   * const init = root.split();    // key [1608637542, 3421126067, 4083286876, 787846414]
   * const dropout = root.split(); // next 4 words
   */
  split(): Rng {
    const key = new Uint32Array(4);
    for (let i = 0; i < 4; i++) key[i] = this.nextUint32();
    const child = new Rng(0);
    seedArray(child.#mt, key);
    return child;
  }

  /**
   * `count` children, the same as calling {@link Rng.split} `count` times (the parent advances by
   * 4·count words).
   *
   * @example
   * const [init, dropout, shuffling] = rng(42).spawn(3);
   */
  spawn(count: number): Rng[] {
    const n = checkCount("spawn", "count", count);
    const children: Rng[] = [];
    for (let i = 0; i < n; i++) children.push(this.split());
    return children;
  }

  /**
   * An independent copy in the same state (same future draws). Consumes nothing.
   *
   * @example
   * const g = rng(7);
   * g.clone().random() === g.random(); // true
   */
  clone(): Rng {
    const copy = new Rng(0);
    copy.#mt.set(this.#mt);
    copy.#pos = this.#pos;
    copy.#hasGauss = this.#hasGauss;
    copy.#gauss = this.#gauss;
    return copy;
  }

  /**
   * A JSON-serializable snapshot (the 624 words, position, cached normal), the same content as
   * numpy's `get_state()`. Consumes nothing.
   *
   * @example
   * const g = rng(5);
   * const saved = JSON.stringify(g.state());
   * const a = g.randn();
   * g.setState(JSON.parse(saved));
   * g.randn() === a; // true
   */
  state(): RngState {
    return {
      bitGenerator: "MT19937",
      key: Array.from(this.#mt),
      pos: this.#pos,
      hasGauss: this.#hasGauss,
      gauss: this.#hasGauss ? this.#gauss : 0,
    };
  }

  /**
   * Restores a snapshot made by {@link Rng.state} (validated). Like numpy's `set_state`.
   *
   * @example
   * const g = rng(0);
   * const s = g.state();
   * const x = g.random();
   * g.setState(s);
   * g.random() === x; // true
   */
  setState(state: RngState): void {
    const fn = "setState";
    if (state === null || typeof state !== "object") {
      throw new ArgumentError(`${fn}: state must be an object from Rng.state(), got ${describe(state)}`);
    }
    if (state.bitGenerator !== "MT19937") {
      throw new ArgumentError(`${fn}: state.bitGenerator must be "MT19937", got ${describe(state.bitGenerator)}`);
    }
    const key: unknown = state.key;
    if (!Array.isArray(key) || key.length !== N) {
      const given = Array.isArray(key) ? `an array of length ${key.length}` : describe(key);
      throw new ArgumentError(`${fn}: state.key must be an array of ${N} integers, got ${given}`);
    }
    for (let i = 0; i < N; i++) checkSeed(fn, `state.key[${i}]`, key[i]);
    checkCount(fn, "state.pos", state.pos, N);
    if (typeof state.hasGauss !== "boolean") {
      throw new ArgumentError(`${fn}: state.hasGauss must be a boolean, got ${describe(state.hasGauss)}`);
    }
    checkFinite(fn, "state.gauss", state.gauss);
    for (let i = 0; i < N; i++) this.#mt[i] = key[i] as number;
    this.#pos = state.pos;
    this.#hasGauss = state.hasGauss;
    this.#gauss = state.hasGauss ? state.gauss : 0;
  }
}

// `instanceof Rng` holds for a rng from any copy of the package (see brand.ts).
brand(Rng, "Rng");

function checkUniform(fn: string, low: number, high: number): number {
  checkFinite(fn, "low", low);
  checkFinite(fn, "high", high);
  const range = high - low;
  if (!Number.isFinite(range)) {
    throw new ArgumentError(`${fn}: high - low must be finite, got low=${describe(low)}, high=${describe(high)}`);
  }
  return range;
}

/** Validates `p` like numpy's `choice` and returns it as a Float64Array. */
function checkProbabilities(fn: string, p: ArrayLike<number>, n: number): Float64Array {
  if (p === null || typeof p !== "object" || typeof p.length !== "number") {
    throw new ArgumentError(`${fn}: p must be an array of ${n} probabilities, got ${describe(p)}`);
  }
  if (p.length !== n) {
    throw new ArgumentError(`${fn}: p must have length n (${n}), got length ${p.length}`);
  }
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = p[i];
    if (typeof v !== "number" || Number.isNaN(v)) {
      throw new ArgumentError(`${fn}: p must not contain NaN, got p[${i}] = ${describe(v)}`);
    }
    if (v < 0) {
      throw new ArgumentError(`${fn}: p must be non-negative, got p[${i}] = ${describe(v)}`);
    }
    out[i] = v;
  }
  // Kahan summation, as numpy's `kahan_sum`.
  let sum = out[0];
  let comp = 0.0;
  for (let i = 1; i < n; i++) {
    const y = out[i] - comp;
    const t = sum + y;
    comp = t - sum - y;
    sum = t;
  }
  if (!(Math.abs(sum - 1) <= P_SUM_ATOL)) {
    throw new ArgumentError(`${fn}: p must sum to 1 (within ${P_SUM_ATOL}), got sum ${describe(sum)}`);
  }
  return out;
}

/** `cdf = cumsum(p); cdf /= cdf[-1]` exactly as numpy (sequential sum, divide by the last). */
function normalizedCdf(p: Float64Array): Float64Array {
  const cdf = new Float64Array(p.length);
  let acc = 0;
  for (let i = 0; i < p.length; i++) {
    acc = i === 0 ? p[0] : acc + p[i];
    cdf[i] = acc;
  }
  const last = acc;
  for (let i = 0; i < cdf.length; i++) cdf[i] = cdf[i] / last;
  return cdf;
}

/** numpy's `searchsorted(cdf, u, side="right")`: the number of entries <= u. */
function searchsortedRight(cdf: Float64Array, u: number): number {
  let lo = 0;
  let hi = cdf.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cdf[mid] <= u) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * A generator seeded like `np.random.seed(seed)` for an integer seed in [0, 2^32 - 1].
 *
 * @example
 * rng(1).random(); // 0.417022004702574
 * rng(1.5);        // throws ArgumentError: rng: seed must be an integer in [0, 2^32 - 1], got 1.5
 */
export function rng(seed: number): Rng {
  checkSeed("rng", "seed", seed);
  return new Rng(seed);
}

/**
 * The equivalent of `np.random.RandomState(seed)`: an integer seed in [0, 2^32 - 1]
 * (`init_genrand`) or a non-empty array of them (`init_by_array`, like a Python list seed;
 * note that numpy squeezes a one-element *ndarray* seed to an integer, so pass the number).
 *
 * @example
 * randomState(1).randn();         // 1.6243453636632417
 * randomState([1, 2, 3]).random(); // np.random.RandomState([1, 2, 3]).random_sample()
 */
export function randomState(seed: number | ArrayLike<number>): Rng {
  normalizeSeed("randomState", seed);
  return new Rng(seed);
}
