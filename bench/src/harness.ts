// The shapes every workload shares: libraries, samples, statistics, checks and rows.
//
// Each library runs in a process of its own (see runner.ts), so that one library's code,
// JIT state and heap never slow another down: loading TensorFlow.js into the process that
// runs Hone slows Hone's kernels by about 20% on this machine. Rounds alternate between
// the processes; the first rounds are discarded as warm-up. Hone on each of its backends
// is a library of its own, in its own process, which sets its backend explicitly at start
// (see hone.ts): the default backend depends on the engine and on HONE_BACKEND.

/**
 * Hone on one of its backends: `hone` the plain TypeScript kernels, `hone-wasm` WebAssembly
 * SIMD on one thread, `hone-wasm2` on two, `hone-fma` one thread with relaxed SIMD (float32
 * fused multiply-add; Node 20 runs it with --experimental-wasm-relaxed-simd), `hone-chromium`
 * the WebAssembly backend's defaults in headless Chromium (relaxed SIMD; see browser.ts).
 */
export type HoneLibrary = "hone" | "hone-wasm" | "hone-wasm2" | "hone-fma" | "hone-chromium";

/** TensorFlow.js on its `cpu` or `wasm` backend. */
export type TfjsLibrary = "tfjs-cpu" | "tfjs-wasm";

/** NumPy and PyTorch, run by bench/python/peer.py under Debian's /usr/bin/python3 on one thread. */
export type PythonLibrary = "numpy" | "torch";

/** Hone's peers. */
export type PeerLibrary = TfjsLibrary | PythonLibrary;

/** The libraries a workload can run on. The Hone variants are measured; the others are their peers. */
export type LibraryName = HoneLibrary | PeerLibrary;

/** The Hone variants, in table order. */
export const HONE: readonly HoneLibrary[] = ["hone", "hone-wasm", "hone-wasm2", "hone-fma", "hone-chromium"];

/** The Hone variants of float64 rows (fused multiply-add is float32 only: `hone-fma` computes what `hone-wasm` does). */
export const HONE_F64: readonly HoneLibrary[] = ["hone", "hone-wasm", "hone-wasm2"];

/** TensorFlow.js's backends, in table order. */
export const TFJS: readonly TfjsLibrary[] = ["tfjs-cpu", "tfjs-wasm"];

/** The Python peers, in table order. */
export const PYTHON: readonly PythonLibrary[] = ["numpy", "torch"];

/** The peers, in table order. */
export const PEERS: readonly PeerLibrary[] = [...TFJS, ...PYTHON];

/** Every library, in table order. */
export const LIBRARIES: readonly LibraryName[] = [...HONE, ...PEERS];

/** The JavaScript libraries: every Hone variant and TensorFlow.js. */
export const JS_LIBRARIES: readonly LibraryName[] = [...HONE_F64, "hone-fma", ...TFJS];

/** The JavaScript libraries of rows where a second thread does not matter: Hone on the TypeScript and the one-thread WebAssembly backend, and TensorFlow.js. */
export const ONE_THREAD: readonly LibraryName[] = ["hone", "hone-wasm", ...TFJS];

/** Whether `library` is a Python peer. */
export function isPython(library: LibraryName): library is PythonLibrary {
  return (PYTHON as readonly string[]).includes(library);
}

/** Whether `library` is Hone (on any backend). */
export function isHone(library: LibraryName): library is HoneLibrary {
  return (HONE as readonly string[]).includes(library);
}

/** Median, minimum and maximum of a set of samples. */
export interface Stats {
  /** The median sample. */
  median: number;
  /** The smallest sample. */
  min: number;
  /** The largest sample. */
  max: number;
  /** How many samples were taken. */
  samples: number;
}

/** A target a Hone variant has to meet, as a ratio to another library or an absolute value. */
export interface Target {
  /** The Hone variant measured; given several, the best of them counts. */
  subject: HoneLibrary | readonly HoneLibrary[];
  /** What the target is compared with: another library (the ratio of the subject's median to its), or `"absolute"` (the subject's median itself). */
  against: LibraryName | "absolute";
  /** `">="` or `"<="`. */
  op: ">=" | "<=";
  /** The bound. */
  value: number;
}

/** One check of the arithmetic: what was compared, each library's value, and the tolerance (`null`: reported, not compared). */
export interface Check {
  what: string;
  values: Partial<Record<LibraryName, number>>;
  tolerance: string | null;
}

/** One measured row of the results. */
export interface WorkloadResult {
  /** The row's name, e.g. `course` or `matmul n=512 float32`. */
  name: string;
  /** The workload this row belongs to (what `--workload` selects). */
  workload: string;
  /** The unit of every number in the row. */
  unit: string;
  /** Whether larger numbers are better (throughput) or smaller (time). */
  higherIsBetter: boolean;
  /** Each library's samples, in table order (absent libraries did not run this row). */
  libraries: Partial<Record<LibraryName, Stats>>;
  /** Each Hone variant's median over each peer's median, and the WebAssembly variants' over `hone`'s (TypeScript backend), in the row's unit. */
  ratio: Partial<Record<HoneLibrary, Partial<Record<LibraryName, number>>>>;
  /** Values each library computed (costs, checksums, errors), compared across libraries or against a bound. */
  checks?: Check[];
  /** The targets of this row, with the value this run measured, the variant it came from, and whether it met the target. */
  targets?: MeasuredTarget[];
  /** A note printed under the table (what was run, what a number means). */
  note?: string;
}

/** A target as one run measured it. */
export interface MeasuredTarget extends Target {
  /** The subject's ratio (or median, for `"absolute"`); NaN when it did not run. */
  actual: number;
  /** The Hone variant `actual` comes from (the best one, when the subject names several). */
  by: HoneLibrary;
  /** Whether `actual` meets the bound. */
  met: boolean;
}

/** A workload that could not run, and why. */
export interface Skipped {
  name: string;
  reason: string;
}

/** Options every workload receives (also inside the library processes). */
export interface RunOptions {
  /** Measured rounds. */
  samples: number;
  /** Discarded rounds before them. */
  warmups: number;
  /** Smaller problems for a quick smoke run (numbers not comparable with a full run). */
  quick: boolean;
}

/** One sample: its value in the row's unit, and values to check across libraries (by check name). */
export interface Sample {
  value: number;
  checks?: Record<string, number>;
  /** Further measurements of the same round, by name, collected over the measured rounds like `value` (a row that times several inputs in turn each round, as `csv` does its files). */
  series?: Record<string, number>;
}

/** A library set up for one row, inside its own process. */
export interface LibraryRun {
  /** Runs one sample (round 0 is the first warm-up round). */
  sample(round: number): Sample | Promise<Sample>;
}

/** One row to measure: who runs it, and how its samples become a result. */
export interface CasePlan {
  /** The row's name; the library processes receive it to set up the same case. */
  name: string;
  /** The libraries that run it. */
  libraries: readonly LibraryName[];
  /** Overrides the run's rounds for this row. */
  rounds?: Pick<RunOptions, "samples" | "warmups">;
  /**
   * What a Python peer needs to set the row up (bench/python/peer.py receives it as `payload`):
   * the data and initial weights the Node side drew, inline or as raw files (see `rawArray`).
   */
  python?: (library: PythonLibrary) => unknown;
  /** Builds the row (or rows) from each library's samples, its last reported check values and its measured series; throws when they disagree. */
  result(samples: Map<LibraryName, number[]>, checks: Map<LibraryName, Record<string, number>>, series: Map<LibraryName, Record<string, number[]>>): WorkloadResult | WorkloadResult[];
}

/** A workload: its rows (in the main process) and how each library runs a row (in that library's process). */
export interface Workload {
  name: string;
  plan(options: RunOptions): CasePlan[] | Skipped | Promise<CasePlan[] | Skipped>;
  setup(library: LibraryName, caseName: string, options: RunOptions): Promise<LibraryRun>;
}

/** The median, min and max of `xs` (which must not be empty). */
export function stats(xs: readonly number[]): Stats {
  if (xs.length === 0) throw new Error("stats: no samples");
  const s = xs.slice().sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  return { median, min: s[0]!, max: s[s.length - 1]!, samples: s.length };
}

/** Builds a result row from per-library samples, with ratios and targets. */
export function makeResult(
  fields: { name: string; workload: string; unit: string; higherIsBetter: boolean; note?: string; targets?: readonly Target[] },
  samples: Map<LibraryName, number[]>,
  checks?: readonly Check[],
): WorkloadResult {
  const libraries: WorkloadResult["libraries"] = {};
  for (const l of LIBRARIES) {
    const xs = samples.get(l);
    if (xs !== undefined && xs.length > 0) libraries[l] = stats(xs);
  }
  const ratio: WorkloadResult["ratio"] = {};
  for (const h of HONE) {
    const mine = libraries[h];
    if (mine === undefined) continue;
    const r: Partial<Record<LibraryName, number>> = {};
    for (const other of h === "hone" ? PEERS : ["hone" as const, ...PEERS]) {
      const theirs = libraries[other];
      if (theirs !== undefined) r[other] = mine.median / theirs.median;
    }
    ratio[h] = r;
  }
  const result: WorkloadResult = { name: fields.name, workload: fields.workload, unit: fields.unit, higherIsBetter: fields.higherIsBetter, libraries, ratio };
  if (checks !== undefined) result.checks = checks.slice();
  if (fields.note !== undefined) result.note = fields.note;
  if (fields.targets !== undefined) {
    result.targets = fields.targets.map((t): MeasuredTarget => {
      const subjects: readonly HoneLibrary[] = typeof t.subject === "string" ? [t.subject] : t.subject;
      const value = (h: HoneLibrary): number => (t.against === "absolute" ? libraries[h]?.median : ratio[h]?.[t.against]) ?? NaN;
      const better = (a: number, b: number): boolean => Number.isNaN(b) || (t.op === ">=" ? a > b : a < b);
      let by = subjects[0]!;
      for (const h of subjects) if (better(value(h), value(by))) by = h;
      const actual = value(by);
      return { ...t, actual, by, met: t.op === ">=" ? actual >= t.value : actual <= t.value };
    });
  }
  return result;
}

/** Each library's last value of the check named `key`, of the libraries `among` when given (throws when one reported none). */
export function checkValues(checks: Map<LibraryName, Record<string, number>>, key: string, among?: (library: LibraryName) => boolean): Partial<Record<LibraryName, number>> {
  const values: Partial<Record<LibraryName, number>> = {};
  for (const [library, c] of checks) {
    if (among !== undefined && !among(library)) continue;
    const v = c[key];
    if (v === undefined) throw new Error(`${library} reported no value for "${key}"`);
    values[library] = v;
  }
  return values;
}

/** Checks that every library ended with the same value within `relTol` (relative to the largest magnitude); throws otherwise. */
export function checkAgreement(what: string, values: Partial<Record<LibraryName, number>>, relTol: number): Check {
  const entries = Object.entries(values) as [LibraryName, number][];
  const scale = Math.max(...entries.map(([, v]) => Math.abs(v)), Number.MIN_VALUE);
  for (const [name, v] of entries) {
    if (!Number.isFinite(v)) throw new Error(`${what}: ${name} ended with ${v}`);
    for (const [other, w] of entries) {
      if (Math.abs(v - w) > relTol * scale) {
        throw new Error(`${what}: ${name} ended with ${v} but ${other} with ${w}; they differ by ${(Math.abs(v - w) / scale).toExponential(2)} relative, more than ${relTol} — the libraries are not doing the same arithmetic`);
      }
    }
  }
  return { what, values, tolerance: `${relTol} relative` };
}

/** Seconds since an arbitrary origin, at the timer's full resolution. */
export function now(): number {
  return performance.now() / 1000;
}

/** A number with 3–4 significant digits for logs and tables. */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a >= 1e4) return Math.round(v).toLocaleString("en-US");
  if (a >= 100) return v.toFixed(0);
  if (a >= 10) return v.toFixed(1);
  if (a >= 1) return v.toFixed(2);
  if (a >= 0.01) return v.toFixed(3);
  return v.toPrecision(3);
}
