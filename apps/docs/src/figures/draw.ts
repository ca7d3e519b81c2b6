// The guide's figures, the drawing side: one function per figure of src/figures/data.ts,
// turning its data into SVG with Observable Plot. Runs on the page only (it needs a DOM);
// HoneFigure.vue imports it when the figure's data has arrived.
import * as Plot from "@observablehq/plot";
import type { Grid, Points, figureData } from "./data.js";

/** The figures' ids. */
export type FigureId = keyof typeof figureData;
/** What figure `K`'s data function returns. */
export type FigureDataOf<K extends FigureId> = Awaited<ReturnType<(typeof figureData)[K]>>;

/** The guide's column is about 620 px wide at 1280 px (688 px on wide screens). */
const WIDTH = 620;
/** The two classes: p(y = 1) runs from the first colour to the second. */
const CLASS_COLORS = ["#e8590c", "#1c7ed6"];
const percent = (v: number): string => `${(100 * v).toFixed(1)}%`;

/** Plots side by side (they wrap on a narrow screen). */
function row(...items: Element[]): HTMLElement {
  const div = document.createElement("div");
  div.className = "hf-row";
  div.append(...items);
  return div;
}

/** A small heading over a plot of a row. */
function titled(title: string, plot: Element, note?: string): HTMLElement {
  const div = document.createElement("div");
  div.className = "hf-cell";
  const h = document.createElement("div");
  h.className = "hf-title";
  h.textContent = title;
  div.append(h, plot);
  // The cell is as wide as its plot: a long title or note wraps instead of widening the cell.
  const svg = plot instanceof SVGSVGElement ? plot : plot.querySelector("svg");
  const width = svg?.getAttribute("width");
  if (width !== null && width !== undefined) div.style.width = `${width}px`;
  if (note !== undefined) {
    const n = document.createElement("div");
    n.className = "hf-note";
    n.textContent = note;
    div.append(n);
  }
  return div;
}

/** A classifier's p(y = 1) over the plane, its 0.5 contour, and the training points. */
export function boundaryPlot(grid: Grid, pts: Points, size: number): Element {
  const dots = pts.x1.map((x1, i) => ({ x1, x2: pts.x2[i]!, label: pts.label[i]! }));
  const frame = { width: grid.n, height: grid.n, x1: grid.x1, x2: grid.x2, y1: grid.y1, y2: grid.y2 };
  return Plot.plot({
    width: size, height: size, inset: 0, marginLeft: 28, marginBottom: 24, marginTop: 6, marginRight: 6,
    x: { domain: [grid.x1, grid.x2], ticks: 4, label: null },
    y: { domain: [grid.y1, grid.y2], ticks: 4, label: null },
    color: { type: "linear", domain: [0, 1], range: ["#ffd8a8", "#a5d8ff"], interpolate: "rgb" },
    marks: [
      Plot.raster(grid.p, { ...frame, interpolate: "none", imageRendering: "pixelated" }),
      Plot.contour(grid.p, { ...frame, thresholds: [0.5], stroke: "#343a40", strokeWidth: 1.5, fill: null }),
      Plot.dot(dots, { x: "x1", y: "x2", r: 2.5, fill: (d: { label: number }) => CLASS_COLORS[d.label]!, stroke: "white", strokeWidth: 0.6 }),
    ],
  });
}

/** A tick label that stays short at any magnitude: 0.5, 200, 3e+6, 1e-7. */
export function shortNumber(v: number): string {
  if (v === 0) return "0";
  const a = Math.abs(v);
  return a >= 1e4 || a < 1e-2 ? v.toExponential(0) : String(Number(v.toPrecision(2)));
}

/** An interval as "3.1% [1.2%, 5.0%]". */
const withInterval = (e: { value: number; low: number; high: number }): string => `${percent(e.value)} [${percent(e.low)}, ${percent(e.high)}]`;

/** One line of `curves`: its values by epoch, the colour group it belongs to (its name if absent), dashed or not. */
export interface Series {
  name: string;
  values: number[];
  group?: string;
  dashed?: boolean;
}

/** What `curves` draws besides the lines; every field optional. */
export interface CurvesOptions {
  /** The y scale (merged over a grid and the label); a log scale gets short tick labels. */
  y?: Plot.ScaleOptions;
  /** The x scale (epochs from 1). */
  x?: Plot.ScaleOptions;
  /** Height in px; default 260. */
  height?: number;
  /** Width in px; default the column's. */
  width?: number;
  /** More marks on top of the lines. */
  marks?: Plot.Markish[];
  /** The y axis's label; default "cost". */
  yLabel?: string;
}

/** Lines of y over epochs (from 1): coloured by group, dashed where asked, with a legend of the groups. */
export function curves(series: Series[], options: CurvesOptions = {}): Element {
  const rows = (dashed: boolean): { series: string; group: string; epoch: number; value: number }[] => series
    .filter((s) => (s.dashed ?? false) === dashed)
    .flatMap((s) => s.values.map((v, i) => ({ series: s.name, group: s.group ?? s.name, epoch: i + 1, value: v })));
  const log = options.y?.type === "log";
  return Plot.plot({
    width: options.width ?? WIDTH, height: options.height ?? 260, marginLeft: 48, marginRight: 12,
    x: { label: "epoch", ...options.x },
    y: { grid: true, label: options.yLabel ?? "cost", ...(log ? { tickFormat: shortNumber } : {}), ...options.y },
    color: { legend: true, type: "categorical", domain: [...new Set(series.map((s) => s.group ?? s.name))] },
    marks: [
      Plot.lineY(rows(false), { x: "epoch", y: "value", z: "series", stroke: "group", strokeWidth: 1.6 }),
      Plot.lineY(rows(true), { x: "epoch", y: "value", z: "series", stroke: "group", strokeWidth: 1.6, strokeDasharray: "5 3" }),
      ...(options.marks ?? []),
    ],
  });
}

type Drawers = { [K in FigureId]: (data: FigureDataOf<K>) => Element };

/** Every figure's drawing, by id. */
export const drawFigure: Drawers = {
  "train-dev-test/parts": (data) => row(...Object.entries(data).map(([how, split]) => {
    const rows = (["train", "dev", "test"] as const).flatMap((part) => split.parts[part].map((v) => ({ part, v })));
    const plot = Plot.plot({
      width: 330, height: 170, marginLeft: 44,
      x: { label: "x₁ (the feature the file is sorted by)" },
      y: { label: null, domain: ["train", "dev", "test"] },
      color: { domain: ["train", "dev", "test"], range: ["#868e96", "#1c7ed6", "#e8590c"] },
      marks: [Plot.boxX(rows, { x: "v", y: "part", fill: "part", fillOpacity: 0.35, stroke: "part", r: 1.2 })],
    });
    return titled(`${how}: checkSplit ${split.ok ? "passes" : "fails"}`, plot, split.ok ? "dev and test look alike" : split.finding.split(" (")[0]);
  })),

  "bias-variance/boundaries": (data) => row(...data.fits.map((f) => titled(
    f.name,
    boundaryPlot(f.grid, data.train, 196),
    `train ${withInterval(f.trainError)} · dev ${withInterval(f.devError)} · base ${percent(f.baseError)} → ${f.verdict}`,
  ))),

  "normalizing-inputs/contours": (data) => row(...(["raw", "standardized"] as const).map((key) => {
    const { grid, path, lr } = data[key];
    const frame = { width: grid.n, height: grid.n, x1: grid.x1, x2: grid.x2, y1: grid.y1, y2: grid.y2 };
    const steps = path.map(([w1, w2], i) => ({ w1, w2, i }));
    const plot = Plot.plot({
      width: 300, height: 300, marginLeft: 36, marginBottom: 32, marginTop: 16,
      x: { domain: [grid.x1, grid.x2], label: "w₁" },
      y: { domain: [grid.y1, grid.y2], label: "w₂" },
      color: { type: "log", scheme: "blues", reverse: true },
      marks: [
        Plot.contour(grid.p, { ...frame, thresholds: 14, fill: Plot.identity, stroke: "white", strokeWidth: 0.5, fillOpacity: 0.85 }),
        Plot.line(steps, { x: "w1", y: "w2", stroke: "#e8590c", strokeWidth: 1.6, marker: "dot" }),
        Plot.dot([steps.at(-1)!], { x: "w1", y: "w2", r: 4, fill: "#e8590c" }),
      ],
    });
    return titled(`${key} inputs, learning rate ${lr}`, plot, `cost contours and ${path.length - 1} steps of gradient descent`);
  })),

  "initialization/histograms": (data) => {
    const table = document.createElement("div");
    table.className = "hf-grid";
    for (const { name, layers } of data) {
      const label = document.createElement("div");
      label.className = "hf-rowlabel";
      label.textContent = name;
      table.append(label);
      layers.forEach((z, l) => {
        // Each layer on its own symmetric scale, ticks at ±(its spread) and 0; all zeros: one bar at 0.
        const spread = Math.max(...z.map(Math.abs));
        const r = spread === 0 ? 1 : Number(spread.toPrecision(1));
        const thresholds = Array.from({ length: 21 }, (_, i) => -Math.max(r, spread) + (i * 2 * Math.max(r, spread)) / 20);
        const plot = Plot.plot({
          width: 112, height: 70, marginLeft: 10, marginRight: 10, marginTop: 4, marginBottom: 18,
          x: { domain: [thresholds[0]!, thresholds.at(-1)!], ticks: [-r, 0, r], tickFormat: shortNumber, label: null },
          y: { axis: null },
          marks: [Plot.rectY(z, { ...Plot.binX({ y: "count" }, { x: (v: number) => v, thresholds }), fill: "#1c7ed6", inset: 0.5 }), Plot.ruleY([0])],
        });
        table.append(titled(`layer ${l + 1}`, plot));
      });
    }
    return table;
  },

  "vanishing-exploding-gradients/norms": (data) => row(...data.map((run) => {
    // A norm of 0 (a dead layer) or beyond float64 has no place on a log scale: a gap in its line.
    const rows = run.steps.flatMap((layers, step) => layers.map((norm, l) => ({ layer: l + 1, norm: norm > 0 && Number.isFinite(norm) ? norm : NaN, step: `step ${step + 1}` })));
    const plot = Plot.plot({
      width: 196, height: 220, marginLeft: 44, marginRight: 8,
      x: { label: "layer (input → output)", ticks: 5 },
      y: { type: "log", label: "‖∇W‖", grid: true, tickFormat: shortNumber },
      color: { scheme: "viridis", type: "ordinal" },
      marks: [Plot.line(rows, { x: "layer", y: "norm", stroke: "step", strokeWidth: 1.2, marker: "dot" })],
    });
    return titled(run.name, plot, run.vanishing ? "vanishing" : run.exploding ? "exploding" : "healthy");
  })),

  "l2-regularization/lambdas": (data) => row(...data.map((d) => titled(
    `λ = ${d.lambda}`,
    boundaryPlot(d.grid, d.train, 196),
    `‖W‖ = ${d.weightNorm.toFixed(1)} · train ${percent(d.trainAccuracy)} · dev ${percent(d.devAccuracy)}`,
  ))),

  "dropout/keep-prob": (data) => curves(
    data.flatMap((d) => [
      { name: `${d.keepProb} train`, group: `keepProb ${d.keepProb}`, values: d.train },
      { name: `${d.keepProb} dev`, group: `keepProb ${d.keepProb}`, values: d.dev, dashed: true },
    ]),
    { yLabel: "cost: train solid, dev dashed (dropout off)" },
  ),

  "other-regularization/augmentation": (data) => {
    const variants = ["no augmentation", "shifts of ≤ 1 pixel"];
    const rows = data.runs.flatMap((r) => [
      { seed: r.seed, variant: variants[0]!, dev: 100 * r.plain.devError },
      { seed: r.seed, variant: variants[1]!, dev: 100 * r.shifted.devError },
    ]);
    const means = [
      { variant: variants[0]!, dev: 100 * data.mean.plain.devError },
      { variant: variants[1]!, dev: 100 * data.mean.shifted.devError },
    ];
    return Plot.plot({
      width: WIDTH, height: 280, marginLeft: 50, marginRight: 120,
      x: { domain: variants, label: null, padding: 0.3 },
      y: { label: "dev error (%), train error 0", grid: true, zero: true },
      marks: [
        Plot.line(rows, { x: "variant", y: "dev", z: "seed", stroke: "#adb5bd" }),
        Plot.dot(rows, { x: "variant", y: "dev", fill: "#868e96", r: 3.5 }),
        Plot.text(rows.filter((r) => r.variant === variants[1]), { x: "variant", y: "dev", text: (r: { seed: number }) => `seed ${r.seed}`, dx: 8, textAnchor: "start", fill: "#868e96" }),
        Plot.line(means, { x: "variant", y: "dev", stroke: "#1c7ed6", strokeWidth: 3 }),
        Plot.dot(means, { x: "variant", y: "dev", fill: "#1c7ed6", r: 5 }),
        Plot.text([`mean of the seeds: ${means[0]!.dev.toFixed(2)}% → ${means[1]!.dev.toFixed(2)}%`], { frameAnchor: "top-right", dy: -4, fill: "#1c7ed6", fontWeight: "bold" }),
      ],
    });
  },

  "other-regularization/early-stopping": (data) => curves(
    [{ name: "train", values: data.trainLoss }, { name: "dev", values: data.devLoss }],
    {
      y: { type: "log" },
      marks: [
        Plot.ruleX([data.bestEpoch + 1], { stroke: "#2b8a3e", strokeDasharray: "4 3" }),
        Plot.text([data.bestEpoch + 1], { x: (d: number) => d, frameAnchor: "top", dx: 4, textAnchor: "start", text: () => `best (restored): epoch ${data.bestEpoch + 1}` }),
        ...(data.stoppedEpoch === null ? [] : [
          Plot.ruleX([data.stoppedEpoch + 1], { stroke: "#c92a2a" }),
          Plot.text([data.stoppedEpoch + 1], { x: (d: number) => d, frameAnchor: "bottom", dy: -18, dx: -4, textAnchor: "end", text: () => `stopped: epoch ${data.stoppedEpoch! + 1}` }),
        ]),
      ],
    },
  ),

  "gradient-checking/differences": (data) => Plot.plot({
    width: WIDTH, height: 200, marginLeft: 110,
    x: { type: "log", label: "relative difference ‖g − ĝ‖ / (‖g‖ + ‖ĝ‖)", grid: true, domain: [1e-12, 1] },
    y: { label: null, domain: data.map((r) => r.name) },
    color: { domain: ["correct", "suspicious", "wrong"], range: ["#2b8a3e", "#e67700", "#c92a2a"], legend: true },
    marks: [
      Plot.rectX([{ lo: 2e-7, hi: 1e-3 }], { x1: "lo", x2: "hi", fill: "#fff3bf", fillOpacity: 0.6 }),
      Plot.ruleY(data, { y: "name", x1: 1e-12, x2: (r: { difference: number }) => Math.max(r.difference, 1e-12), stroke: "#ced4da" }),
      Plot.dot(data, { y: "name", x: (r: { difference: number }) => Math.max(r.difference, 1e-12), fill: "verdict", r: 5 }),
    ],
  }),

  "optimizers/curves": (data) => curves(data.map((d) => ({ name: d.name, values: d.costs })), { y: { type: "log" }, yLabel: "training cost" }),

  "real-tables/predictions": (data) => {
    const rows = data.actual.map((a, i) => ({ actual: a, predicted: data.predicted[i]! }));
    const lo = Math.min(...data.actual, ...data.predicted), hi = Math.max(...data.actual, ...data.predicted);
    return titled(
      "test rows: predicted against actual price",
      Plot.plot({
        width: 360, height: 320, marginLeft: 48,
        x: { domain: [lo, hi], label: "actual price" }, y: { domain: [lo, hi], label: "predicted price" },
        marks: [Plot.line([[lo, lo], [hi, hi]], { stroke: "#adb5bd", strokeDasharray: "4 3" }), Plot.dot(rows, { x: "actual", y: "predicted", r: 2, fill: "#1c7ed6", fillOpacity: 0.7 })],
      }),
      `RMSE ${data.rmse.toFixed(1)}, against ${data.meanRmse.toFixed(1)} for the mean predictor`,
    );
  },
};

/**
 * Draws figure `id` from its data.
 *
 * @example
 * ```ts
 * container.append(draw("optimizers/curves", data));
 * ```
 */
export function draw<K extends FigureId>(id: K, data: FigureDataOf<K>): Element {
  return drawFigure[id](data);
}
