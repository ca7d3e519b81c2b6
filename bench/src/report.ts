// The printed table and the JSON document.
import { HONE, PEERS, formatNumber, type HoneLibrary, type MeasuredTarget, type Stats, type WorkloadResult } from "./harness.js";

function cell(s: Stats | undefined): string {
  if (s === undefined) return "—";
  return `${formatNumber(s.median)} (${formatNumber(s.min)}–${formatNumber(s.max)})`;
}

function ratioCell(r: number | undefined): string {
  return r === undefined ? "—" : `${r >= 10 ? r.toFixed(1) : r.toFixed(2)}×`;
}

function targetCell(t: MeasuredTarget, unit: string): string {
  const best = typeof t.subject === "string" ? "" : ` (best of ${t.subject.join(", ")})`;
  return `${t.met ? "met" : "NOT met"}: ${t.against === "absolute" ? unit : `vs ${t.against}`} ${t.op} ${t.value}${best}`;
}

/**
 * A Markdown table, one line per row and Hone variant: the variant's median with min–max,
 * the peers' (on the row's first line), and the variant's median over each peer's and,
 * for the WebAssembly variants, over `hone`'s (the TypeScript backend).
 */
export function table(results: readonly WorkloadResult[]): string {
  const head = ["workload", "unit", "hone variant", "median (min–max)", ...PEERS, ...PEERS.map((p) => `vs ${p}`), "vs hone", "targets"];
  const rows = results.flatMap((r) => {
    const variants = HONE.filter((h) => r.libraries[h] !== undefined);
    return variants.map((h: HoneLibrary, i) => [
      r.name, r.unit, h, cell(r.libraries[h]),
      ...PEERS.map((p) => (i === 0 ? cell(r.libraries[p]) : "")),
      ...PEERS.map((p) => ratioCell(r.ratio[h]?.[p])),
      h === "hone" ? "" : ratioCell(r.ratio[h]?.hone),
      (r.targets ?? []).filter((t) => t.by === h).map((t) => targetCell(t, r.unit)).join("; "),
    ]);
  });
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  const out = [line(head), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.map(line)];
  const checks = results.flatMap((r) => (r.checks ?? []).map((c) => {
    const vs = Object.entries(c.values).map(([k, v]) => `${k} ${v.toPrecision(8)}`).join(", ");
    return `- ${r.name}: ${c.what}: ${vs} (${c.tolerance === null ? "reported, not compared" : `tolerance ${c.tolerance}`})`;
  }));
  const notes = results.filter((r) => r.note !== undefined).map((r) => `- ${r.name}: ${r.note}`);
  return [out.join("\n"), "", ...(checks.length ? ["Same arithmetic:", ...checks, ""] : []), ...(notes.length ? ["Notes:", ...notes, ""] : [])].join("\n");
}

/** The machine-readable document: `{ meta, workloads: [{ name, unit, libraries, ratio, checks, targets, … }] }`. */
export function json(results: readonly WorkloadResult[], meta: Record<string, unknown>): string {
  const round = (s: Stats): Stats => ({ median: s.median, min: s.min, max: s.max, samples: s.samples });
  return JSON.stringify({
    meta,
    workloads: results.map((r) => ({
      name: r.name,
      unit: r.unit,
      higherIsBetter: r.higherIsBetter,
      libraries: Object.fromEntries(Object.entries(r.libraries).map(([k, v]) => [k, round(v)])),
      ratio: r.ratio,
      ...(r.checks !== undefined ? { checks: r.checks } : {}),
      ...(r.targets !== undefined ? { targets: r.targets } : {}),
      ...(r.note !== undefined ? { note: r.note } : {}),
    })),
  }, null, 2);
}
