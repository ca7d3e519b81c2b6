// Presenting a learning curve: the table, the terminal chart of train and dev error against
// the training-set size m, the reading, and the HTML report's section (an inline SVG in the
// report's chart style). Pure formatting: the points come from the runs, the reading from
// @hone/data-split's readLearningCurve.
import { blue, lightred, plot, reset } from "asciichart";
import Table from "cli-table3";
import { type LearningCurvePoint, type LearningCurveReading, wilsonInterval } from "@hone/data-split";
import { type Colors, pct } from "./render.js";
import { esc, ticks } from "./report.js";

/** The verdict in words: "more data is likely to help", "… unlikely …", "whether more data would help is unclear". */
function verdictOf(reading: LearningCurveReading): string {
  return reading.moreDataHelps === "unclear" ? "whether more data would help is unclear" : `more data is ${reading.moreDataHelps} to help`;
}

/** The reading for the terminal, colored by its verdict. */
export function readingText(reading: LearningCurveReading, c: Colors): string {
  const color = reading.moreDataHelps === "likely" ? c.green : reading.moreDataHelps === "unlikely" ? c.yellow : c.dim;
  return `${c.bold("Reading:")} ${color(c.bold(verdictOf(reading)))}: ${reading.reason}`;
}

/** The table of the points: m, train error, dev error, gap (dev − train). */
export function learningCurveTable(points: readonly LearningCurvePoint[], c: Colors): string {
  const table = new Table({
    head: ["m", "train error", "dev error", "gap"].map((h) => c.bold(h)),
    colAligns: ["right", "right", "right", "right"],
    style: { head: [], border: [] },
  });
  for (const p of points) table.push([String(p.size), pct(p.trainError), pct(p.devError), pct(p.devError - p.trainError)]);
  return table.toString();
}

const LABEL_WIDTH = 9;

/** The series at `columns` evenly spaced values of m from the first size to the last, linear between the points. */
function resample(points: readonly LearningCurvePoint[], key: "trainError" | "devError", columns: number): number[] {
  const m0 = points[0]!.size, m1 = points.at(-1)!.size;
  const out: number[] = [];
  let k = 0;
  for (let j = 0; j < columns; j++) {
    const m = m0 + ((m1 - m0) * j) / (columns - 1);
    while (k < points.length - 2 && points[k + 1]!.size < m) k++;
    const a = points[k]!, b = points[k + 1]!;
    const t = Math.min(1, Math.max(0, (m - a.size) / (b.size - a.size)));
    out.push(a[key] + t * (b[key] - a[key]));
  }
  return out;
}

/** One asciichart plot over a fixed range, with the measured sizes marked under it and an m axis. */
function chart(series: number[][], range: { min: number; max: number }, points: readonly LearningCurvePoint[], colors: (string | undefined)[], height: number): string {
  const plotted = plot(series, { height, min: range.min, max: range.max, colors, format: (v) => `${(v * 100).toFixed(1)}%`.padStart(LABEL_WIDTH - 1) });
  const columns = series[0]!.length;
  const m0 = points[0]!.size, m1 = points.at(-1)!.size;
  const marks = Array.from({ length: columns }, () => " ");
  for (const p of points) marks[Math.round(((p.size - m0) / (m1 - m0)) * (columns - 1))] = "^";
  const first = `m = ${m0}`, last = `${m1} rows`;
  const axis = `${" ".repeat(LABEL_WIDTH)}${first}${last.padStart(Math.max(last.length + 1, columns - first.length))}`;
  return `${plotted}\n${" ".repeat(LABEL_WIDTH)}${marks.join("").trimEnd()}\n${axis}`;
}

/**
 * A terminal chart of the train and dev error against the training-set size m (linear
 * between the measured sizes, which are marked ^ under the chart). With color: one chart,
 * train in blue and dev in red. Without: two charts on the same scale, train above dev.
 */
export function learningCurveChart(points: readonly LearningCurvePoint[], options: { width: number; height?: number; color: boolean }): string {
  if (points.length < 2) return "(a learning curve needs at least 2 sizes)";
  const columns = Math.max(10, Math.min(options.width, 72));
  const train = resample(points, "trainError", columns), dev = resample(points, "devError", columns);
  const all = [...train, ...dev];
  const range = { min: Math.min(...all), max: Math.max(...all) };
  if (range.max - range.min < 0.01) range.max = range.min + 0.01;
  const height = options.height ?? 10;
  if (options.color) {
    const legend = `${" ".repeat(LABEL_WIDTH + 1)}${blue}━━ train error${reset}   ${lightred}━━ dev error${reset}`;
    return `${chart([train, dev], range, points, [blue, lightred], height)}\n${legend}`;
  }
  const h = Math.ceil(height * 0.7);
  return ["train error", chart([train], range, points, [undefined], h), "dev error", chart([dev], range, points, [undefined], h)].join("\n");
}

/**
 * Everything the terminal shows of a learning curve: the table, the chart and the reading
 * (what `hone curve` prints after its header line).
 */
export function learningCurveText(points: readonly LearningCurvePoint[], reading: LearningCurveReading, options: { width: number; c: Colors }): string {
  const { c } = options;
  return [
    learningCurveTable(points, c),
    "",
    c.bold("Train and dev error against the training-set size m"),
    learningCurveChart(points, { width: options.width, color: c.isColorSupported }),
    "",
    readingText(reading, c),
  ].join("\n");
}

const TRAIN = "#1f77b4", DEV = "#d62728";

/** The dev error's Wilson interval at a point, when it carries its dev count. */
function devInterval(p: LearningCurvePoint): { low: number; high: number } | null {
  return p.devN === undefined ? null : wilsonInterval(p.devError * p.devN, p.devN);
}

/** The SVG chart: train and dev error against m from 0, the measured points as dots, dev 95% intervals as bars. */
function curveSvg(points: readonly LearningCurvePoint[], reading: LearningCurveReading): string {
  const W = 640, H = 320, L = 64, R = 16, T = 28, B = 44;
  const pw = W - L - R, ph = H - T - B;
  const xMax = points.at(-1)!.size;
  const tops = points.flatMap((p) => [p.trainError, p.devError, devInterval(p)?.high ?? 0]);
  const yMax = Math.max(0.01, ...tops, reading.baseError) * 1.05;
  const sx = (x: number): number => L + (x / xMax) * pw;
  const sy = (y: number): number => T + ph - (y / yMax) * ph;
  const f = (v: number): string => v.toFixed(1);
  const parts: string[] = [];
  parts.push(`<svg id="learning-curve-chart" class="chart" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="Learning curve">`);
  parts.push(`<text x="${W / 2}" y="18" text-anchor="middle" class="title">Learning curve: error against training rows</text>`);
  for (const t of ticks(0, yMax, 5)) {
    parts.push(`<line x1="${L}" x2="${W - R}" y1="${f(sy(t))}" y2="${f(sy(t))}" class="grid"/>`);
    parts.push(`<text x="${L - 6}" y="${f(sy(t) + 4)}" text-anchor="end" class="tick">${Number((t * 100).toFixed(2))}%</text>`);
  }
  for (const t of ticks(0, xMax, 6)) {
    if (!Number.isInteger(t)) continue;
    parts.push(`<line x1="${f(sx(t))}" x2="${f(sx(t))}" y1="${T}" y2="${T + ph}" class="grid"/>`);
    parts.push(`<text x="${f(sx(t))}" y="${T + ph + 16}" text-anchor="middle" class="tick">${t}</text>`);
  }
  parts.push(`<rect x="${L}" y="${T}" width="${pw}" height="${ph}" class="frame"/>`);
  parts.push(`<text x="${L + pw / 2}" y="${H - 8}" text-anchor="middle" class="label">training rows m</text>`);
  parts.push(`<text transform="translate(14 ${T + ph / 2}) rotate(-90)" text-anchor="middle" class="label">error (1 − accuracy)</text>`);
  if (reading.baseError > 0) {
    parts.push(`<line x1="${L}" x2="${W - R}" y1="${f(sy(reading.baseError))}" y2="${f(sy(reading.baseError))}" stroke="#7f7f7f" stroke-dasharray="5 3"><title>base error ${pct(reading.baseError)}</title></line>`);
  }
  const series = [{ name: "train error", color: TRAIN, key: "trainError" as const }, { name: "dev error", color: DEV, key: "devError" as const }];
  series.forEach((s, k) => {
    const d = points.map((p, i) => `${i === 0 ? "M" : "L"}${sx(p.size).toFixed(2)},${sy(p[s.key]).toFixed(2)}`).join(" ");
    parts.push(`<path class="series" data-series="${s.name}" d="${d}" fill="none" stroke="${s.color}" stroke-width="1.6"/>`);
    for (const p of points) {
      const band = s.key === "devError" ? devInterval(p) : null;
      const title = `m = ${p.size}: ${s.name} ${pct(p[s.key])}${band === null ? "" : ` (95%: ${pct(band.low)} to ${pct(band.high)} of ${p.devN} dev rows)`}`;
      if (band !== null) {
        const x = f(sx(p.size));
        parts.push(`<path d="M${x},${f(sy(band.low))} V${f(sy(band.high))} M${f(sx(p.size) - 3)},${f(sy(band.low))} h6 M${f(sx(p.size) - 3)},${f(sy(band.high))} h6" stroke="${s.color}" stroke-opacity="0.5" fill="none"/>`);
      }
      parts.push(`<circle cx="${f(sx(p.size))}" cy="${f(sy(p[s.key]))}" r="3" fill="${s.color}"><title>${esc(title)}</title></circle>`);
    }
    const lx = L + 12 + k * 140;
    parts.push(`<line x1="${lx}" x2="${lx + 22}" y1="${T + 12}" y2="${T + 12}" stroke="${s.color}" stroke-width="2"/>`);
    parts.push(`<text x="${lx + 27}" y="${T + 16}" class="legend">${s.name}</text>`);
  });
  parts.push("</svg>");
  return parts.join("\n");
}

/**
 * The HTML report's learning-curve section: a self-contained inline SVG chart (train and
 * dev error against m, dev 95% intervals when the points carry `devN`) in the report's
 * chart style, the reading, and the table of points. Insert it into the report's body.
 */
export function learningCurveSection(points: readonly LearningCurvePoint[], reading: LearningCurveReading): string {
  const rows = points.map((p) => {
    const band = devInterval(p);
    return `<tr><td>${p.size}</td><td>${pct(p.trainError)}</td><td>${pct(p.devError)}${band === null ? "" : ` <small>[${pct(band.low)}, ${pct(band.high)}]</small>`}</td><td>${pct(p.devError - p.trainError)}</td></tr>`;
  }).join("\n");
  const verdict = verdictOf(reading);
  return `
<section id="learning-curve">
<h2>Learning curve</h2>
<p class="note">A fresh model trained on the first m rows of the training split for each m, seeded as the main run; train error on those m rows, dev error on the whole dev split${points[0]?.devN === undefined ? "" : " (bars: 95% Wilson intervals)"}.</p>
<div class="charts">
${curveSvg(points, reading)}
</div>
<p><span class="verdict" data-more-data="${reading.moreDataHelps}">${esc(verdict[0]!.toUpperCase() + verdict.slice(1))}</span>: ${esc(reading.reason)}.</p>
<table id="learning-curve-table"><thead><tr><th>m</th><th>train error</th><th>dev error${points[0]?.devN === undefined ? "" : " [95%]"}</th><th>gap</th></tr></thead>
<tbody>
${rows}
</tbody></table>
</section>`;
}
