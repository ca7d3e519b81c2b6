// The HTML report: one self-contained page (no network: inline CSS, inline SVG charts, and a
// canvas drawn by inline JavaScript for the decision boundary). Pure presentation: every
// number it shows is computed before and handed in.
import type { Diagnosis } from "@hone/data-split";
import { baseErrorSource, type SplitMetrics } from "./render.js";

/** One epoch of the curves. */
export interface ReportEpoch {
  epoch: number;
  trainLoss: number;
  devLoss: number | null;
  trainAccuracy: number | null;
  devAccuracy: number | null;
  /** The learning rate during the epoch. */
  learningRate?: number;
}

/** A 2-D decision boundary: the predicted class over a grid, and the data points. */
export interface ReportBoundary {
  /** Feature names of the two axes. */
  axes: [string, string];
  xMin: number;
  xMax: number;
  yMin: number;
  yMax: number;
  /** Grid columns (x) and rows (y). */
  nx: number;
  ny: number;
  /** Row-major from the top-left (y = yMax): predicted class per cell. */
  classes: number[];
  /** Row-major like `classes`: the predicted class's probability per cell. */
  confidence: number[];
  /** Points: x, y, class id, and which split (0 train, 1 dev, 2 test). */
  points: [number, number, number, number][];
  /** Class names by id. */
  classNames: string[];
}

/** Images the model got wrong (an image data set): the pixels in [0, 1], what they are and what the model said. */
export interface MisclassifiedImages {
  /** Height, width, channels (channels 1: grey levels). */
  shape: [number, number, number];
  /** Which split the images come from. */
  split: string;
  /** Rows of that split, and how many of them were misclassified. */
  rows: number;
  wrong: number;
  /** The first misclassified images (at most 60), in split order. */
  items: { pixels: number[]; actual: string; predicted: string; confidence: number }[];
}

/** Everything the report shows. */
export interface ReportData {
  title: string;
  generated: string;
  config: unknown;
  /** Per split: a classifier's accuracy (and precision, recall, F1, ROC-AUC, PR-AUC) or a regressor's RMSE, MAE and R². */
  metrics: Record<string, SplitMetrics>;
  /** The trivial model's figures (`metrics.baseline` of --json). */
  baseline?: Record<string, unknown>;
  /** Class names (empty for regression). */
  classes?: string[];
  /** A CSV's columns: role, reason, missing cells, encoded width. */
  columns?: { name: string; role: string; reason: string; missing: number; outputs: number }[] | null;
  /** Regression: predicted against actual target, per dev (1) and test (2) row. */
  predictedVsActual?: { label: string; points: [number, number, number][] } | null;
  diagnosis: Diagnosis;
  epochs: ReportEpoch[];
  bestEpoch: number | null;
  stopped: string | null;
  boundary: ReportBoundary | null;
  /** The learning-curve section (HTML), when the run drew one. */
  learningCurve?: string | null;
  /** An image data set: a grid of the dev images the model misclassified. */
  misclassified?: MisclassifiedImages | null;
}

const PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

/** One image as an inline SVG of grey squares (channel 0; 0 white, 1 black), `scale` pixels per image pixel. */
function imageSvg(pixels: readonly number[], [h, w, c]: [number, number, number], scale: number): string {
  const cells: string[] = [];
  for (let r = 0; r < h; r++) {
    for (let col = 0; col < w; col++) {
      const v = Math.min(1, Math.max(0, pixels[(r * w + col) * c]!));
      if (v <= 0) continue;
      const g = Math.round(255 * (1 - v));
      cells.push(`<rect x="${col}" y="${r}" width="1" height="1" fill="rgb(${g},${g},${g})"/>`);
    }
  }
  return `<svg class="digit" viewBox="0 0 ${w} ${h}" width="${w * scale}" height="${h * scale}" shape-rendering="crispEdges"><rect width="${w}" height="${h}" fill="#fff"/>${cells.join("")}</svg>`;
}

/** The misclassified-images section. */
function misclassifiedSection(m: MisclassifiedImages): string {
  const shown = m.items.length < m.wrong ? ` (the first ${m.items.length} shown)` : "";
  const grid = m.items.map((it) => `<figure>${imageSvg(it.pixels, m.shape, 6)}<figcaption>${esc(it.actual)} → <b>${esc(it.predicted)}</b> ${(it.confidence * 100).toFixed(0)}%</figcaption></figure>`).join("\n");
  return `
<section>
<h2>Misclassified ${esc(m.split)} images</h2>
<p class="note">${m.wrong} of the ${m.rows} ${esc(m.split)} images are misclassified${shown}: under each, the true class → <b>the model's</b> and its probability. Looking through them is error analysis: which confusions are worth fixing, and which images even a person would get wrong.</p>
<div class="digits" id="misclassified">
${m.wrong === 0 ? "<p>None.</p>" : grid}
</div>
</section>`;
}

/** Text escaped for HTML. */
export function esc(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch]!);
}

function fmt(v: number, digits = 3): string {
  if (v === 0) return "0";
  const a = Math.abs(v);
  return a >= 1e4 || a < 1e-3 ? v.toExponential(1) : Number(v.toFixed(digits)).toString();
}

/** "Nice" tick values covering [lo, hi]. */
export function ticks(lo: number, hi: number, count: number): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((s) => s * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

interface Series {
  name: string;
  color: string;
  /** y per epoch; null where not evaluated. */
  values: (number | null)[];
  dashed?: boolean;
}

/** An SVG line chart of series over epochs, each as one path through every finite point. */
function lineChart(id: string, title: string, xs: readonly number[], series: readonly Series[], yLabel: string, marker: number | null): string {
  const W = 640, H = 320, L = 64, R = 16, T = 28, B = 44;
  const pw = W - L - R, ph = H - T - B;
  const finite = series.flatMap((s) => s.values.filter((v): v is number => v !== null && Number.isFinite(v)));
  let yMin = finite.length > 0 ? Math.min(...finite) : 0, yMax = finite.length > 0 ? Math.max(...finite) : 1;
  if (yMin === yMax) { yMin -= 0.5; yMax += 0.5; }
  const pad = (yMax - yMin) * 0.05;
  yMin = Math.max(yMin - pad, Math.min(0, yMin)); yMax += pad;
  const xMin = xs[0] ?? 0, xMax = xs.at(-1) ?? 1;
  const sx = (x: number): number => L + (xMax === xMin ? pw / 2 : ((x - xMin) / (xMax - xMin)) * pw);
  const sy = (y: number): number => T + ph - ((y - yMin) / (yMax - yMin)) * ph;
  const parts: string[] = [];
  parts.push(`<svg id="${id}" class="chart" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(title)}">`);
  parts.push(`<text x="${W / 2}" y="18" text-anchor="middle" class="title">${esc(title)}</text>`);
  for (const t of ticks(yMin, yMax, 5)) {
    parts.push(`<line x1="${L}" x2="${W - R}" y1="${sy(t).toFixed(1)}" y2="${sy(t).toFixed(1)}" class="grid"/>`);
    parts.push(`<text x="${L - 6}" y="${(sy(t) + 4).toFixed(1)}" text-anchor="end" class="tick">${fmt(t)}</text>`);
  }
  for (const t of ticks(xMin, xMax, 6)) {
    if (!Number.isInteger(t)) continue;
    parts.push(`<line x1="${sx(t).toFixed(1)}" x2="${sx(t).toFixed(1)}" y1="${T}" y2="${T + ph}" class="grid"/>`);
    parts.push(`<text x="${sx(t).toFixed(1)}" y="${T + ph + 16}" text-anchor="middle" class="tick">${t}</text>`);
  }
  parts.push(`<rect x="${L}" y="${T}" width="${pw}" height="${ph}" class="frame"/>`);
  parts.push(`<text x="${L + pw / 2}" y="${H - 8}" text-anchor="middle" class="label">epoch</text>`);
  parts.push(`<text transform="translate(14 ${T + ph / 2}) rotate(-90)" text-anchor="middle" class="label">${esc(yLabel)}</text>`);
  if (marker !== null && marker >= xMin && marker <= xMax) {
    parts.push(`<line x1="${sx(marker).toFixed(1)}" x2="${sx(marker).toFixed(1)}" y1="${T}" y2="${T + ph}" class="marker"><title>best epoch ${marker}</title></line>`);
  }
  series.forEach((s, k) => {
    const pts: string[] = [];
    s.values.forEach((v, i) => {
      if (v !== null && Number.isFinite(v)) pts.push(`${pts.length === 0 ? "M" : "L"}${sx(xs[i]!).toFixed(2)},${sy(v).toFixed(2)}`);
    });
    if (pts.length > 0) {
      parts.push(`<path class="series" data-series="${esc(s.name)}" d="${pts.join(" ")}" fill="none" stroke="${s.color}" stroke-width="1.6"${s.dashed ? ' stroke-dasharray="5 3"' : ""}/>`);
    }
    const lx = L + 12 + k * 140;
    parts.push(`<line x1="${lx}" x2="${lx + 22}" y1="${T + 12}" y2="${T + 12}" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="5 3"' : ""}/>`);
    parts.push(`<text x="${lx + 27}" y="${T + 16}" class="legend">${esc(s.name)}</text>`);
  });
  parts.push("</svg>");
  return parts.join("\n");
}

/** An SVG scatter of [actual, predicted, role] points with the y = x diagonal; role 1 is dev (blue), 2 test (orange). */
function scatterChart(id: string, title: string, points: readonly [number, number, number][]): string {
  const W = 480, H = 480, L = 64, R = 16, T = 28, B = 44;
  const pw = W - L - R, ph = H - T - B;
  const all = points.flatMap(([a, q]) => [a, q]).filter((v) => Number.isFinite(v));
  let lo = all.length > 0 ? Math.min(...all) : 0, hi = all.length > 0 ? Math.max(...all) : 1;
  if (lo === hi) { lo -= 0.5; hi += 0.5; }
  const pad = (hi - lo) * 0.04;
  lo -= pad; hi += pad;
  const sx = (v: number): number => L + ((v - lo) / (hi - lo)) * pw;
  const sy = (v: number): number => T + ph - ((v - lo) / (hi - lo)) * ph;
  const parts: string[] = [`<svg id="${id}" class="chart" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(title)}">`];
  parts.push(`<text x="${W / 2}" y="18" text-anchor="middle" class="title">${esc(title)}</text>`);
  for (const t of ticks(lo, hi, 5)) {
    parts.push(`<line x1="${L}" x2="${W - R}" y1="${sy(t).toFixed(1)}" y2="${sy(t).toFixed(1)}" class="grid"/>`, `<text x="${L - 6}" y="${(sy(t) + 4).toFixed(1)}" text-anchor="end" class="tick">${fmt(t)}</text>`);
    parts.push(`<line x1="${sx(t).toFixed(1)}" x2="${sx(t).toFixed(1)}" y1="${T}" y2="${T + ph}" class="grid"/>`, `<text x="${sx(t).toFixed(1)}" y="${T + ph + 16}" text-anchor="middle" class="tick">${fmt(t)}</text>`);
  }
  parts.push(`<rect x="${L}" y="${T}" width="${pw}" height="${ph}" class="frame"/>`);
  parts.push(`<line x1="${sx(lo).toFixed(1)}" y1="${sy(lo).toFixed(1)}" x2="${sx(hi).toFixed(1)}" y2="${sy(hi).toFixed(1)}" class="marker"/>`);
  parts.push(`<text x="${L + pw / 2}" y="${H - 8}" text-anchor="middle" class="label">actual</text>`, `<text transform="translate(14 ${T + ph / 2}) rotate(-90)" text-anchor="middle" class="label">predicted</text>`);
  for (const [a, q, role] of points) {
    if (!Number.isFinite(a) || !Number.isFinite(q)) continue;
    parts.push(`<circle cx="${sx(a).toFixed(1)}" cy="${sy(q).toFixed(1)}" r="2.6" fill="${role === 1 ? "#1f77b4" : "#ff7f0e"}" fill-opacity="0.7"/>`);
  }
  parts.push("</svg>");
  return parts.join("\n");
}

/** JSON for an inline `<script type="application/json">` (no `</script>` can close it early). */
function inlineJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

// Draws the decision boundary from the embedded JSON onto the canvas. Plain ES2017, no imports.
const BOUNDARY_SCRIPT = `
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("boundary-data").textContent);
  var palette = ${JSON.stringify(PALETTE)};
  var canvas = document.getElementById("boundary");
  var ctx = canvas.getContext("2d");
  var W = canvas.width, H = canvas.height, pad = 36;
  var pw = W - 2 * pad, ph = H - 2 * pad;
  function hex(c) { return [parseInt(c.slice(1, 3), 16), parseInt(c.slice(3, 5), 16), parseInt(c.slice(5, 7), 16)]; }
  function sx(x) { return pad + (x - data.xMin) / (data.xMax - data.xMin) * pw; }
  function sy(y) { return pad + (data.yMax - y) / (data.yMax - data.yMin) * ph; }
  ctx.fillStyle = "#ffffff";
  ctx.fillRect(0, 0, W, H);
  // Cells on whole pixels, edge to edge, so neighbouring cells neither gap nor overlap.
  for (var r = 0; r < data.ny; r++) {
    var y0 = Math.round(pad + r * ph / data.ny), y1 = Math.round(pad + (r + 1) * ph / data.ny);
    for (var c = 0; c < data.nx; c++) {
      var x0 = Math.round(pad + c * pw / data.nx), x1 = Math.round(pad + (c + 1) * pw / data.nx);
      var i = r * data.nx + c;
      var rgb = hex(palette[data.classes[i] % palette.length]);
      var a = 0.12 + 0.38 * Math.max(0, (data.confidence[i] - 0.5) * 2);
      ctx.fillStyle = "rgba(" + rgb[0] + "," + rgb[1] + "," + rgb[2] + "," + a.toFixed(3) + ")";
      ctx.fillRect(x0, y0, x1 - x0, y1 - y0);
    }
  }
  for (var k = 0; k < data.points.length; k++) {
    var p = data.points[k];
    ctx.beginPath();
    ctx.arc(sx(p[0]), sy(p[1]), p[3] === 0 ? 2.6 : 3.4, 0, 2 * Math.PI);
    var color = palette[p[2] % palette.length];
    if (p[3] === 0) { ctx.fillStyle = color; ctx.fill(); }
    else { ctx.lineWidth = 1.4; ctx.strokeStyle = p[3] === 1 ? "#000000" : color; ctx.fillStyle = "#ffffff"; ctx.fill(); ctx.stroke(); }
  }
  ctx.strokeStyle = "#444444";
  ctx.lineWidth = 1;
  ctx.strokeRect(pad, pad, pw, ph);
  ctx.fillStyle = "#333333";
  ctx.font = "12px sans-serif";
  ctx.textAlign = "center";
  ctx.fillText(data.axes[0], pad + pw / 2, H - 8);
  ctx.fillText(data.xMin.toPrecision(3), pad, H - pad + 14);
  ctx.fillText(data.xMax.toPrecision(3), W - pad, H - pad + 14);
  ctx.save();
  ctx.translate(12, pad + ph / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.fillText(data.axes[1], 0, 0);
  ctx.restore();
  ctx.textAlign = "right";
  ctx.fillText(data.yMax.toPrecision(3), pad - 4, pad + 4);
  ctx.fillText(data.yMin.toPrecision(3), pad - 4, H - pad);
  canvas.setAttribute("data-drawn", String(data.points.length));
})();
`;

/** The diagnosis table's rows: base, train and dev error, and the two gaps, each with its interval. */
function diagnosisRows(d: Diagnosis, pct: (v: number) => string): string {
  const b = d.baseError;
  const row = (name: string, g: { value: number; low: number; high: number }, what: string): string =>
    `<tr><th>${esc(name)}</th><td>${pct(g.value)}</td><td>${g.low === g.high ? "—" : `${pct(g.low)} to ${pct(g.high)}`}</td><td>${esc(what)}</td></tr>`;
  return [
    row("base error", b, baseErrorSource(b)),
    row("train error", d.trainError, d.trainError.n === null ? "" : `${d.trainError.n} rows`),
    row("dev error", d.devError, d.devError.n === null ? "" : `${d.devError.n} rows`),
    row("avoidable bias", d.avoidableBias, `train − base: ${d.levels.bias}`),
    row("variance", d.variance, `dev − train: ${d.levels.variance}`),
  ].join("\n");
}

/** The report page as one HTML string. */
export function renderReport(d: ReportData): string {
  const xs = d.epochs.map((e) => e.epoch);
  const regression = Object.values(d.metrics)[0]?.rmse !== undefined;
  const best = d.bestEpoch;
  const cost = lineChart("cost-chart", "Cost per epoch", xs, [
    { name: "train cost", color: "#1f77b4", values: d.epochs.map((e) => e.trainLoss) },
    { name: "dev cost", color: "#d62728", values: d.epochs.map((e) => e.devLoss) },
  ], "cost", best);
  const err = (v: number | null): number | null => (v === null ? null : 1 - v);
  const error = regression ? "" : lineChart("error-chart", "Error per epoch", xs, [
    { name: "train error", color: "#1f77b4", values: d.epochs.map((e) => err(e.trainAccuracy)) },
    { name: "dev error", color: "#d62728", values: d.epochs.map((e) => err(e.devAccuracy)) },
  ], "error (1 − accuracy)", best);
  const pct = (v: number): string => `${(v * 100).toFixed(2)}%`;
  const f = (v: number | null | undefined, digits = 4): string => (v === null || v === undefined || Number.isNaN(v) ? "—" : v.toFixed(digits));
  const p = (v: number | null | undefined): string => (v === null || v === undefined ? "—" : pct(v));
  const metricHead = regression ? ["rows", "loss", "RMSE", "MAE", "R²"] : ["rows", "loss", "accuracy", "error", "precision", "recall", "F1", "ROC-AUC", "PR-AUC"];
  const rows = Object.entries(d.metrics).map(([name, m]) => {
    const cells = regression ? [String(m.rows), f(m.loss), f(m.rmse), f(m.mae), f(m.r2)]
      : [String(m.rows), f(m.loss), p(m.accuracy), p(m.accuracy === undefined ? undefined : 1 - m.accuracy), p(m.precision), p(m.recall), p(m.f1), f(m.rocAuc), f(m.prAuc)];
    return `<tr><th>${esc(name)}</th>${cells.map((c) => `<td>${c}</td>`).join("")}</tr>`;
  }).join("\n");
  const b = d.baseline;
  const baselineNote = b === undefined ? "" : regression
    ? `<p class="note">Baseline: always predicting the training mean (${esc(String(b.predicts))}) gives dev RMSE ${f((b.dev as { rmse?: number } | undefined)?.rmse)} and R² ${f((b.dev as { r2?: number } | undefined)?.r2)}.</p>`
    : `<p class="note">Baseline: always predicting ${esc(JSON.stringify(b.predicts))} (the training majority) gives dev accuracy ${p((b.dev as { accuracy?: number } | undefined)?.accuracy)}.</p>`;
  const columns = d.columns === undefined || d.columns === null ? "" : `
<section>
<h2>Columns</h2>
<p class="note">How each column of the file was read, decided on the training rows.</p>
<table id="columns"><thead><tr><th>column</th><th>role</th><th>features</th><th>missing</th><th>why</th></tr></thead>
<tbody>
${d.columns.map((c) => `<tr><th>${esc(c.name)}</th><td>${esc(c.role)}</td><td>${c.outputs === 0 ? "" : c.outputs}</td><td>${c.missing === 0 ? "" : c.missing}</td><td style="text-align:left">${esc(c.reason)}</td></tr>`).join("\n")}
</tbody></table>
</section>`;
  const scatter = d.predictedVsActual === undefined || d.predictedVsActual === null ? "" : `
<section>
<h2>Predicted against actual</h2>
<p class="note">Each dev (blue) and test (orange) row: the actual ${esc(d.predictedVsActual.label)} across, the prediction up. Points on the diagonal are exact.</p>
${scatterChart("pred-actual", `Predicted vs actual ${d.predictedVsActual.label}`, d.predictedVsActual.points)}
</section>`;
  const actions = d.diagnosis.actions.map((a) => `<li>${esc(a)}</li>`).join("");
  let boundary = "";
  if (d.boundary !== null) {
    const legend = d.boundary.classNames.map((name, i) => `<span class="key"><i style="background:${PALETTE[i % PALETTE.length]}"></i>class ${esc(name)}</span>`).join(" ");
    boundary = `
<section>
<h2>Decision boundary</h2>
<p class="note">The model's predicted class over the input plane (darker = more confident), with the data points: filled dots are training rows, dots ringed in black are dev rows, ringed in their class color test rows. ${legend}</p>
<canvas id="boundary" width="560" height="560"></canvas>
<script type="application/json" id="boundary-data">${inlineJson(d.boundary)}</script>
<script>${BOUNDARY_SCRIPT}</script>
</section>`;
  }
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(d.title)}</title>
<style>
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #222; margin: 24px auto; max-width: 1340px; padding: 0 16px; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 24px 0 8px; }
.sub { color: #666; margin: 0 0 16px; }
table { border-collapse: collapse; } th, td { padding: 4px 12px; border-bottom: 1px solid #ddd; text-align: right; } th:first-child { text-align: left; }
.charts { display: flex; flex-wrap: wrap; gap: 16px; }
.chart { background: #fff; border: 1px solid #e3e3e3; }
.chart .title { font-size: 14px; font-weight: 600; } .chart .tick, .chart .legend { font-size: 11px; fill: #444; } .chart .label { font-size: 12px; fill: #333; }
.chart .grid { stroke: #eee; } .chart .frame { fill: none; stroke: #999; } .chart .marker { stroke: #2ca02c; stroke-dasharray: 3 3; }
.verdict { font-weight: 700; } .note { color: #555; max-width: 900px; }
.key { display: inline-block; margin-right: 10px; } .key i { display: inline-block; width: 10px; height: 10px; margin-right: 4px; border-radius: 50%; }
canvas { border: 1px solid #e3e3e3; }
.digits { display: flex; flex-wrap: wrap; gap: 10px; } .digits figure { margin: 0; text-align: center; font-size: 12px; } .digits svg { display: block; border: 1px solid #ccc; }
pre { background: #f7f7f7; padding: 8px 12px; overflow: auto; max-height: 360px; }
</style>
</head>
<body>
<h1>${esc(d.title)}</h1>
<p class="sub">Generated ${esc(d.generated)} · ${d.epochs.length} epochs${best !== null ? ` · best dev epoch ${best}` : ""}${d.stopped !== null ? ` · ${esc(d.stopped)}` : ""}</p>
<section>
<h2>Results</h2>
<table id="metrics"><thead><tr><th></th>${metricHead.map((h) => `<th>${h}</th>`).join("")}</tr></thead>
<tbody>
${rows}
</tbody></table>
${baselineNote}
<p><span class="verdict">Diagnosis: ${esc(d.diagnosis.verdict)}</span> — a gap is high when its whole ${Math.round(d.diagnosis.confidence * 100)}% interval is above ${pct(d.diagnosis.threshold)}.</p>
<table id="diagnosis"><thead><tr><th></th><th>value</th><th>${Math.round(d.diagnosis.confidence * 100)}% interval</th><th>from</th></tr></thead>
<tbody>
${diagnosisRows(d.diagnosis, pct)}
</tbody></table>
${actions === "" ? "<p>Both gaps are within the threshold.</p>" : `<p>Next steps:</p><ul>${actions}</ul>`}
${d.diagnosis.notes.map((n) => `<p class="note">Note: ${esc(n)}.</p>`).join("\n")}
</section>
<section>
<h2>Curves</h2>
<div class="charts">
${cost}
${error}
</div>
</section>
${d.learningCurve ?? ""}
${boundary}${scatter}${d.misclassified === undefined || d.misclassified === null ? "" : misclassifiedSection(d.misclassified)}${columns}
<section>
<h2>Configuration</h2>
<pre>${esc(JSON.stringify(d.config, null, 2))}</pre>
</section>
</body>
</html>
`;
}
