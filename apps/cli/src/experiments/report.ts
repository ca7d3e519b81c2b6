// The experiments' HTML page: per variant its printed costs as an SVG curve and, for 2-D
// data, the decision boundary as an SVG heat map under the data points. Self-contained:
// inline CSS and SVG, no script, no network.
import type { ExperimentResult, VariantResult } from "./types.js";

const esc = (t: string): string => t.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);
const fmt = (v: number | undefined): string => (v === undefined ? "—" : Number.isFinite(v) ? String(+v.toPrecision(6)) : String(v));

function costCurve(v: VariantResult): string {
  const pts = v.costs.filter((c) => Number.isFinite(c.cost));
  if (pts.length < 2) return "";
  const W = 320, H = 180, P = 30;
  const xs = pts.map((c) => c.iteration), ys = pts.map((c) => c.cost);
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)], [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  const sx = (x: number): number => P + ((x - x0) / (x1 - x0 || 1)) * (W - 2 * P);
  const sy = (y: number): number => H - P - ((y - y0) / (y1 - y0 || 1)) * (H - 2 * P);
  const path = pts.map((c, i) => `${i === 0 ? "M" : "L"}${sx(c.iteration).toFixed(1)},${sy(c.cost).toFixed(1)}`).join(" ");
  return `<svg class="curve" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}"><rect x="${P}" y="${P}" width="${W - 2 * P}" height="${H - 2 * P}" fill="none" stroke="#bbb"/>
<path d="${path}" fill="none" stroke="#1f77b4" stroke-width="2"/>
<text x="${P}" y="${P - 8}" font-size="11">cost ${fmt(y1)} → ${fmt(ys.at(-1))}</text><text x="${W - P}" y="${H - 8}" font-size="11" text-anchor="end">iteration ${x1}</text></svg>`;
}

function boundaryMap(v: VariantResult): string {
  const b = v.boundary;
  if (b === undefined) return "";
  const S = 240, n = b.grid.xs.length, cell = S / n;
  const [xa, xb] = [b.grid.xs[0]!, b.grid.xs.at(-1)!], [ya, yb] = [b.grid.ys[0]!, b.grid.ys.at(-1)!];
  const cells: string[] = [];
  b.grid.p.forEach((row, j) => row.forEach((p, i) => {
    const blue = Math.round(255 - 90 * p), red = Math.round(165 + 90 * p);
    cells.push(`<rect x="${(i * cell).toFixed(1)}" y="${(S - (j + 1) * cell).toFixed(1)}" width="${(cell + 0.5).toFixed(1)}" height="${(cell + 0.5).toFixed(1)}" fill="rgb(${red},${Math.round(200 - 20 * Math.abs(p - 0.5))},${blue})"/>`);
  }));
  const dots = b.points.x.map((pt, k) => `<circle cx="${(((pt[0]! - xa) / (xb - xa)) * S).toFixed(1)}" cy="${(S - ((pt[1]! - ya) / (yb - ya)) * S).toFixed(1)}" r="2.5" fill="${b.points.y[k] === 1 ? "#d62728" : "#1f77b4"}" stroke="#222" stroke-width="0.4"/>`);
  return `<svg class="boundary" width="${S}" height="${S}" viewBox="0 0 ${S} ${S}">${cells.join("")}${dots.join("")}</svg>`;
}

/** The page for one or more experiment results. */
export function renderExperiments(results: readonly ExperimentResult[]): string {
  const sections = results.map((r) => `<section><h2>${esc(r.name)} (${r.mode})</h2><p class="note">Data: ${esc(r.data)} · ${r.seconds.toFixed(1)} s</p>
${r.variants.map((v) => `<div class="variant"><h3>${esc(v.name)}</h3>
<table><tr><th></th><th>Hone</th><th>published</th></tr>
${v.trainAccuracy === undefined ? "" : `<tr><td>train accuracy</td><td>${fmt(v.trainAccuracy)}</td><td>${fmt(v.published.trainAccuracy)}</td></tr>`}
${v.testAccuracy === undefined ? "" : `<tr><td>test accuracy</td><td>${fmt(v.testAccuracy)}</td><td>${fmt(v.published.testAccuracy)}</td></tr>`}
${v.difference === undefined ? "" : `<tr><td>difference</td><td>${fmt(v.difference)}</td><td>${fmt(v.published.difference)}</td></tr>`}
${(v.published.costs ?? []).map((c) => `<tr><td>cost at ${c.iteration}</td><td>${fmt(v.costs.find((h) => h.iteration === c.iteration)?.cost)}</td><td>${fmt(c.cost)}${c.notCompared === undefined ? "" : ` <span class="note">(not compared: ${esc(c.notCompared)})</span>`}</td></tr>`).join("")}
</table><p class="lesson">${esc(v.lesson)}</p><div class="plots">${costCurve(v)}${boundaryMap(v)}</div></div>`).join("\n")}</section>`).join("\n");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Hone: the course's experiments</title>
<style>body{font:14px/1.45 system-ui,sans-serif;max-width:1100px;margin:24px auto;padding:0 16px;color:#222}
table{border-collapse:collapse}td,th{padding:3px 10px;border-bottom:1px solid #ddd;text-align:right}td:first-child{text-align:left}
.variant{border-top:1px solid #eee;padding:8px 0}.plots{display:flex;gap:16px;align-items:flex-start}.lesson{color:#555;max-width:800px}.note{color:#666}</style></head>
<body><h1>The course's experiments, reproduced by Hone</h1>${sections}</body></html>\n`;
}
