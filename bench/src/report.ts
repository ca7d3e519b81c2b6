// The printed table and the JSON document.
import { PEERS, formatNumber, type Stats, type WorkloadResult } from "./harness.js";

function cell(s: Stats | undefined): string {
  if (s === undefined) return "—";
  return `${formatNumber(s.median)} (${formatNumber(s.min)}–${formatNumber(s.max)})`;
}

function ratioCell(r: number | undefined): string {
  return r === undefined ? "—" : `${r >= 10 ? r.toFixed(1) : r.toFixed(2)}×`;
}

/** A Markdown table: medians with min–max, and Hone's median over each peer's. */
export function table(results: readonly WorkloadResult[]): string {
  const head = ["workload", "unit", "hone", ...PEERS, ...PEERS.map((p) => `hone/${p}`), "targets"];
  const rows = results.map((r) => [
    r.name, r.unit, cell(r.hone), ...PEERS.map((p) => cell(r.peers[p])), ...PEERS.map((p) => ratioCell(r.ratio[p])),
    (r.targets ?? []).map((t) => `${t.met ? "met" : "NOT met"}: ${t.against === "absolute" ? r.unit : `vs ${t.against}`} ${t.op} ${t.value}`).join("; ") || "",
  ]);
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

/** The machine-readable document: `{ workloads: [{ name, unit, hone, peers, ratio, … }] }`. */
export function json(results: readonly WorkloadResult[], meta: Record<string, unknown>): string {
  const round = (s: Stats): Stats => ({ median: s.median, min: s.min, max: s.max, samples: s.samples });
  return JSON.stringify({
    meta,
    workloads: results.map((r) => ({
      name: r.name,
      unit: r.unit,
      higherIsBetter: r.higherIsBetter,
      hone: round(r.hone),
      peers: Object.fromEntries(Object.entries(r.peers).map(([k, v]) => [k, round(v)])),
      ratio: r.ratio,
      ...(r.checks !== undefined ? { checks: r.checks } : {}),
      ...(r.targets !== undefined ? { targets: r.targets } : {}),
      ...(r.note !== undefined ? { note: r.note } : {}),
    })),
  }, null, 2);
}
