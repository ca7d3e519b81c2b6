// The shape of a gradient-check report, the verdict tiers, and the one routine every
// checker ends in: given the analytic and numeric gradients of named blocks (inputs,
// parameters, segments of a parameter vector), compute the relative differences, the
// verdicts and the worst components, and format them for a terminal.
import { ArgumentError } from "@hone/tensor";

/** How a relative difference reads: the course's tiers. */
export type Verdict = "correct" | "suspicious" | "wrong";

/** Where the verdict tiers start. */
export interface Thresholds {
  /**
   * A difference at or below this is `"correct"`. Default `2e-7`: the course's tier is
   * 1e-7, but its own correct backprop lands at 1.19e-7 (finite-difference rounding with
   * ε = 1e-7), and later course versions print "correct" below 2e-7.
   */
  correct?: number;
  /** A difference at or above this is `"wrong"`; in between is `"suspicious"`. Default `1e-3`. */
  wrong?: number;
}

/** The default tiers: correct ≤ 2e-7, suspicious in between, wrong ≥ 1e-3. */
export const defaultThresholds: Readonly<Required<Thresholds>> = Object.freeze({ correct: 2e-7, wrong: 1e-3 });

/** One component where the analytic and numeric gradients disagree. */
export interface WorstEntry {
  /** The component's index within its block (`[i, j]` for a matrix, `[]` for a scalar). */
  index: number[];
  /** The gradient from backprop (or the user's backward pass). */
  analytic: number;
  /** The two-sided difference `(J(θ+ε) − J(θ−ε)) / 2ε`. */
  numeric: number;
  /** `|analytic − numeric|`. */
  error: number;
}

/** The check of one block: a named parameter, an input, or a segment of θ. */
export interface GradcheckRow {
  /** The block's name: `layers.2.bias`, `inputs[1]`, `W1`. */
  name: string;
  /** The block's shape. */
  shape: number[];
  /** Components in the block. */
  size: number;
  /** Components actually checked (fewer than `size` when sampling). */
  checked: number;
  /** `‖g − ĝ‖₂ / (‖g‖₂ + ‖ĝ‖₂)` over this block's checked components (0 when both are 0). */
  difference: number;
  /**
   * The difference the verdict reads: `‖g − ĝ‖₂` over the larger of this block's own scale
   * `‖g‖₂ + ‖ĝ‖₂` and its share of the overall scale, `(‖g‖₂ + ‖ĝ‖₂)_all · √(checked/N)`.
   * Equal to `difference` unless the block's gradient is small next to the rest (vanishing,
   * dead units), where finite-difference rounding noise alone would make `difference` large.
   */
  judged: number;
  /** The tier of `judged` (`"correct"` for a row none of whose components was sampled). */
  verdict: Verdict;
  /** `‖g‖₂` of the checked components. */
  analyticNorm: number;
  /** `‖ĝ‖₂` of the checked components. */
  numericNorm: number;
  /** The components with the largest `|g − ĝ|`, largest first. */
  worst: WorstEntry[];
  /** The analytic gradient, flat row-major (every component). */
  analytic: Float64Array;
  /** The numeric gradient, flat row-major; NaN where a component was not sampled. */
  numeric: Float64Array;
}

/** The outcome of a gradient check. */
export interface GradcheckResult {
  /** `‖g − ĝ‖₂ / (‖g‖₂ + ‖ĝ‖₂)` over every checked component of every block: the course's number. */
  difference: number;
  /** The tier of `difference`, or worse if some row is judged worse (a bug confined to a small block). */
  verdict: Verdict;
  /** `verdict === "correct"`. */
  passed: boolean;
  /** One row per block, in order. */
  rows: GradcheckRow[];
  /** Names of the rows whose verdict is not `"correct"`, worst first. */
  failing: string[];
  /** The step ε used. */
  epsilon: number;
  /** The tiers used. */
  thresholds: Required<Thresholds>;
  /** Components checked over all rows. */
  checked: number;
  /** Components in all rows. */
  total: number;
  /** The cost at the check point. */
  cost: number;
  /** Things that make the numbers less trustworthy (ReLU kinks, non-finite costs). */
  warnings: string[];
}

/**
 * The tier a relative difference falls in (NaN reads as `"wrong"`).
 *
 * @example
 * ```ts
 * import { verdictOf } from "@hone/gradcheck";
 * verdictOf(1.19e-7); // "correct" (default tiers: ≤ 2e-7)
 * verdictOf(3e-6);    // "suspicious"
 * verdictOf(0.285);   // "wrong"
 * ```
 */
export function verdictOf(difference: number, thresholds: Thresholds = {}): Verdict {
  const t = resolveThresholds("verdictOf", thresholds);
  if (Number.isNaN(difference)) return "wrong";
  if (difference <= t.correct) return "correct";
  return difference >= t.wrong ? "wrong" : "suspicious";
}

/** Validates and fills in the tiers. */
export function resolveThresholds(op: string, thresholds: Thresholds | undefined): Required<Thresholds> {
  const correct = thresholds?.correct ?? defaultThresholds.correct;
  const wrong = thresholds?.wrong ?? defaultThresholds.wrong;
  if (!(correct > 0 && Number.isFinite(correct))) throw new ArgumentError(`${op}: thresholds.correct must be a positive number, got ${correct}`);
  if (!(wrong > correct && Number.isFinite(wrong))) throw new ArgumentError(`${op}: thresholds.wrong must be a number above thresholds.correct (${correct}), got ${wrong}`);
  return { correct, wrong };
}

/** Validates ε. */
export function checkEpsilon(op: string, epsilon: number | undefined): number {
  const e = epsilon ?? 1e-7;
  if (!(e > 0 && Number.isFinite(e))) throw new ArgumentError(`${op}: epsilon must be a positive finite number, got ${String(epsilon)}`);
  return e;
}

/** Validates the count of worst components to report. */
export function checkWorst(op: string, worst: number | undefined): number {
  const k = worst ?? 3;
  if (!Number.isInteger(k) || k < 0) throw new ArgumentError(`${op}: worst must be a non-negative integer, got ${String(worst)}`);
  return k;
}

/** The multi-index of flat position `flat` in a row-major `shape`. */
export function unravel(flat: number, shape: readonly number[]): number[] {
  const index = new Array<number>(shape.length);
  let rest = flat;
  for (let a = shape.length - 1; a >= 0; a--) {
    const d = shape[a]!;
    index[a] = rest % d;
    rest = Math.floor(rest / d);
  }
  return index;
}

/** A block's gradients, as the checkers hand them to `buildReport`. */
export interface BlockGradients {
  name: string;
  shape: number[];
  analytic: Float64Array;
  /** NaN where not checked. */
  numeric: Float64Array;
  /** The checked component indices, ascending. */
  checked: Int32Array;
}

function worstOf(block: BlockGradients, k: number): WorstEntry[] {
  const entries: WorstEntry[] = [];
  for (const i of block.checked) {
    const analytic = block.analytic[i]!, numeric = block.numeric[i]!;
    const error = Math.abs(analytic - numeric);
    entries.push({ index: unravel(i, block.shape), analytic, numeric, error: Number.isNaN(error) ? Infinity : error });
  }
  entries.sort((a, b) => b.error - a.error);
  return entries.slice(0, k).map((e) => (Number.isFinite(e.error) ? e : { ...e, error: NaN }));
}

function ratio(num: number, den: number): number {
  if (den === 0) return num === 0 ? 0 : Infinity;
  return num / den;
}

/** Sort key for failing rows: NaN first, then by size. */
function severity(judged: number): number {
  return Number.isNaN(judged) ? Infinity : judged;
}

const rank: Record<Verdict, number> = { correct: 0, suspicious: 1, wrong: 2 };

/** Builds the report from per-block gradients (shared by every checker). */
export function buildReport(
  blocks: readonly BlockGradients[],
  info: { epsilon: number; thresholds: Required<Thresholds>; worst: number; cost: number; warnings: string[] },
): GradcheckResult {
  const sums = blocks.map((b) => {
    let diff = 0, na = 0, nn = 0;
    for (const i of b.checked) {
      const a = b.analytic[i]!, n = b.numeric[i]!;
      diff += (a - n) ** 2;
      na += a * a;
      nn += n * n;
    }
    return { diff: Math.sqrt(diff), na: Math.sqrt(na), nn: Math.sqrt(nn) };
  });
  let diffAll = 0, naAll = 0, nnAll = 0, checked = 0, total = 0;
  blocks.forEach((b, k) => {
    diffAll += sums[k]!.diff ** 2;
    naAll += sums[k]!.na ** 2;
    nnAll += sums[k]!.nn ** 2;
    checked += b.checked.length;
    total += b.analytic.length;
  });
  const scaleAll = Math.sqrt(naAll) + Math.sqrt(nnAll);
  const difference = ratio(Math.sqrt(diffAll), scaleAll);
  const rows: GradcheckRow[] = blocks.map((b, k) => {
    const s = sums[k]!;
    const own = s.na + s.nn;
    const share = checked === 0 ? 0 : scaleAll * Math.sqrt(b.checked.length / checked);
    const judged = ratio(s.diff, Math.max(own, share));
    return {
      name: b.name,
      shape: b.shape.slice(),
      size: b.analytic.length,
      checked: b.checked.length,
      difference: ratio(s.diff, own),
      judged,
      verdict: verdictOf(judged, info.thresholds),
      analyticNorm: s.na,
      numericNorm: s.nn,
      worst: worstOf(b, info.worst),
      analytic: b.analytic,
      numeric: b.numeric,
    };
  });
  let verdict = verdictOf(difference, info.thresholds);
  for (const r of rows) if (rank[r.verdict] > rank[verdict]) verdict = r.verdict;
  const failing = rows
    .filter((r) => r.verdict !== "correct")
    .sort((a, b) => {
      const x = severity(a.judged), y = severity(b.judged);
      return x === y ? 0 : x > y ? -1 : 1;
    })
    .map((r) => r.name);
  return {
    difference,
    verdict,
    passed: verdict === "correct",
    rows,
    failing,
    epsilon: info.epsilon,
    thresholds: info.thresholds,
    checked,
    total,
    cost: info.cost,
    warnings: info.warnings,
  };
}

// ---------------------------------------------------------------------------------------
// Text report.

function sci(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (!Number.isFinite(v)) return v > 0 ? "Inf" : "-Inf";
  if (v === 0) return "0";
  return v.toExponential(2);
}

function num(v: number): string {
  if (!Number.isFinite(v)) return sci(v);
  if (v === 0) return "0";
  const a = Math.abs(v);
  return a >= 1e-3 && a < 1e5 ? String(Number(v.toPrecision(6))) : v.toExponential(5);
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + " ".repeat(n - s.length);
}

/** Whether a row's verdict comes from its share of the overall scale rather than its own difference. */
function rescued(r: GradcheckRow, t: Required<Thresholds>): boolean {
  return verdictOf(r.difference, t) !== r.verdict;
}

const verdictText: Record<Verdict, string> = {
  correct: "correct",
  suspicious: "suspicious — look closer",
  wrong: "wrong",
};

/**
 * A gradient-check result as a plain-text table for a terminal: the overall difference
 * and verdict, one line per row (name, shape, difference, verdict, worst component), the
 * rows that fail, and any warnings.
 *
 * @example
 * ```ts
 * import { gradcheck, formatReport } from "@hone/gradcheck";
 * import { tensor, mul, sum } from "@hone/tensor";
 * const result = gradcheck((x) => sum(mul(x, x)), [tensor([1, 2, 3])]);
 * console.log(formatReport(result)); // "gradient check: correct (difference 8.18e-10; …" and a table
 * ```
 */
export function formatReport(result: GradcheckResult): string {
  const { thresholds: t } = result;
  const lines: string[] = [];
  const sampled = result.checked < result.total ? `${result.checked} of ${result.total} components (sampled)` : `${result.total} components`;
  lines.push(`gradient check: ${verdictText[result.verdict]} (difference ${sci(result.difference)}; correct ≤ ${sci(t.correct)}, wrong ≥ ${sci(t.wrong)}; ε = ${sci(result.epsilon)}, ${sampled}, cost ${num(result.cost)})`);
  const header = ["row", "shape", "difference", "verdict", "worst at", "analytic", "numeric"];
  const table = result.rows.map((r) => {
    const w = r.worst[0];
    if (r.checked === 0) return [r.name, `[${r.shape.join(",")}]`, "-", "not sampled", "-", "-", "-"];
    return [
      r.name,
      `[${r.shape.join(",")}]`,
      rescued(r, t) ? `${sci(r.difference)} (${sci(r.judged)})` : sci(r.difference),
      r.verdict,
      w === undefined ? "-" : `[${w.index.join(",")}]`,
      w === undefined ? "-" : num(w.analytic),
      w === undefined ? "-" : num(w.numeric),
    ];
  });
  const widths = header.map((h, c) => Math.max(h.length, ...table.map((row) => row[c]!.length)));
  lines.push("  " + header.map((h, c) => pad(h, widths[c]!)).join("  ").trimEnd());
  for (const row of table) lines.push("  " + row.map((cell, c) => pad(cell, widths[c]!)).join("  ").trimEnd());
  if (result.rows.some((r) => rescued(r, t))) {
    lines.push("  (in parentheses: the difference judged, the row's error over its share of the overall gradient; its own gradient is too small for its own difference to rise above rounding noise)");
  }
  for (const name of result.failing) {
    const r = result.rows.find((row) => row.name === name)!;
    const w = r.worst[0];
    lines.push(`${name} is ${r.verdict}${w === undefined ? "" : `, worst at [${w.index.join(",")}]: analytic ${num(w.analytic)} vs numeric ${num(w.numeric)}`}`);
  }
  for (const warning of result.warnings) lines.push(`warning: ${warning}`);
  return lines.join("\n");
}
