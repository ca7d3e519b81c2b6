// The shapes every workload shares: libraries, samples, statistics, checks and rows.
//
// Each library runs in a process of its own (see runner.ts), so that one library's code,
// JIT state and heap never slow another down: loading TensorFlow.js into the process that
// runs Hone slows Hone's kernels by about 20% on this machine. Rounds alternate between
// the processes; the first rounds are discarded as warm-up.

/** The libraries a workload can run on. `hone` is measured; the others are its peers. */
export type LibraryName = "hone" | "tfjs-cpu" | "tfjs-wasm";

/** Every library, in table order. */
export const LIBRARIES: readonly LibraryName[] = ["hone", "tfjs-cpu", "tfjs-wasm"];

/** The peers, in table order. */
export const PEERS: readonly LibraryName[] = ["tfjs-cpu", "tfjs-wasm"];

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

/** A target the plain TypeScript backend has to meet, as a ratio to a peer or an absolute value. */
export interface Target {
  /** What the target is compared with: a peer's ratio, or `"absolute"` (Hone's median itself). */
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
  /** Hone's samples. */
  hone: Stats;
  /** Each peer's samples (absent peers did not run this row). */
  peers: Partial<Record<LibraryName, Stats>>;
  /** Hone's median over each peer's median, in the row's unit. */
  ratio: Partial<Record<LibraryName, number>>;
  /** Values each library computed (costs, checksums, errors), compared across libraries or against a bound. */
  checks?: Check[];
  /** The targets of this row, with whether this run met them. */
  targets?: (Target & { met: boolean; actual: number })[];
  /** A note printed under the table (what was run, what a number means). */
  note?: string;
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
  /** Builds the row from each library's samples and its last reported check values; throws when they disagree. */
  result(samples: Map<LibraryName, number[]>, checks: Map<LibraryName, Record<string, number>>): WorkloadResult;
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
  const hone = stats(samples.get("hone") ?? []);
  const peers: WorkloadResult["peers"] = {};
  const ratio: WorkloadResult["ratio"] = {};
  for (const p of PEERS) {
    const xs = samples.get(p);
    if (xs === undefined || xs.length === 0) continue;
    peers[p] = stats(xs);
    ratio[p] = hone.median / peers[p].median;
  }
  const result: WorkloadResult = { name: fields.name, workload: fields.workload, unit: fields.unit, higherIsBetter: fields.higherIsBetter, hone, peers, ratio };
  if (checks !== undefined) result.checks = checks.slice();
  if (fields.note !== undefined) result.note = fields.note;
  if (fields.targets !== undefined) {
    result.targets = fields.targets.map((t) => {
      const actual = t.against === "absolute" ? hone.median : ratio[t.against] ?? NaN;
      const met = t.op === ">=" ? actual >= t.value : actual <= t.value;
      return { ...t, met, actual };
    });
  }
  return result;
}

/** Each library's last value of the check named `key` (throws when a library reported none). */
export function checkValues(checks: Map<LibraryName, Record<string, number>>, key: string): Partial<Record<LibraryName, number>> {
  const values: Partial<Record<LibraryName, number>> = {};
  for (const [library, c] of checks) {
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
