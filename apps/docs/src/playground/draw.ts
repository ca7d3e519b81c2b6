// Drawing: the decision boundary as a heat map with the train/dev points over it (canvas),
// and the cost curves as SVG path data. Pure functions of their inputs.
import type { BoundaryGrid, Extent, PlotPoints } from "./protocol.js";

/** Class colors, as RGB: orange, blue, green, purple, red, teal. */
export const CLASS_COLORS: readonly (readonly [number, number, number])[] = [
  [245, 147, 34], [8, 119, 189], [46, 160, 67], [142, 68, 173], [214, 39, 40], [23, 162, 184],
];

function colorOf(k: number): readonly [number, number, number] {
  return CLASS_COLORS[k % CLASS_COLORS.length]!;
}

/** A CSS color for class `k`. */
export function classColor(k: number): string {
  const [r, g, b] = colorOf(k);
  return `rgb(${r}, ${g}, ${b})`;
}

/**
 * The heat map's pixels, one per grid cell: the most likely class's color, faded towards
 * white as its probability falls to chance (1/k), so the boundary shows as a white seam.
 */
export function boundaryPixels(grid: BoundaryGrid, classes: number): Uint8ClampedArray<ArrayBuffer> {
  const { nx, ny, probs } = grid;
  const out = new Uint8ClampedArray(new ArrayBuffer(nx * ny * 4));
  const chance = 1 / classes;
  for (let i = 0; i < nx * ny; i++) {
    let best = 0;
    for (let j = 1; j < classes; j++) if (probs[i * classes + j]! > probs[i * classes + best]!) best = j;
    const p = probs[i * classes + best]!;
    // Confidence 0 at chance, 1 at certainty; the tint stays light enough to show the points.
    const t = 0.62 * Math.min(1, Math.max(0, (p - chance) / (1 - chance)));
    const [r, g, b] = colorOf(best);
    out[4 * i] = 255 + (r - 255) * t;
    out[4 * i + 1] = 255 + (g - 255) * t;
    out[4 * i + 2] = 255 + (b - 255) * t;
    out[4 * i + 3] = 255;
  }
  return out;
}

/**
 * Draws the boundary over the whole canvas (smoothly scaled up from the grid) and the points
 * on top: training points filled with a white rim, dev points white with a ring of their
 * class color.
 */
export function drawBoundary(canvas: HTMLCanvasElement, grid: BoundaryGrid, classes: number, extent: Extent, points: PlotPoints): void {
  const ctx = canvas.getContext("2d");
  if (ctx === null) return;
  const { width, height } = canvas;
  const cells = document.createElement("canvas");
  cells.width = grid.nx;
  cells.height = grid.ny;
  const cellCtx = cells.getContext("2d");
  if (cellCtx === null) return;
  cellCtx.putImageData(new ImageData(boundaryPixels(grid, classes), grid.nx, grid.ny), 0, 0);
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = "high";
  ctx.drawImage(cells, 0, 0, width, height);

  const scale = width / 480;
  const radius = Math.max(2, 3.2 * scale);
  const px = (x: number): number => ((x - extent.xMin) / (extent.xMax - extent.xMin)) * width;
  const py = (y: number): number => ((extent.yMax - y) / (extent.yMax - extent.yMin)) * height;
  const m = points.label.length;
  // Train first, dev on top.
  for (const role of [0, 1]) {
    for (let i = 0; i < m; i++) {
      if (points.role[i] !== role) continue;
      ctx.beginPath();
      ctx.arc(px(points.xy[2 * i]!), py(points.xy[2 * i + 1]!), radius, 0, 2 * Math.PI);
      if (role === 0) {
        ctx.fillStyle = classColor(points.label[i]!);
        ctx.fill();
        ctx.lineWidth = Math.max(1, 0.8 * scale);
        ctx.strokeStyle = "rgba(255, 255, 255, 0.9)";
        ctx.stroke();
      } else {
        ctx.fillStyle = "#ffffff";
        ctx.fill();
        ctx.lineWidth = Math.max(1.5, 1.8 * scale);
        ctx.strokeStyle = classColor(points.label[i]!);
        ctx.stroke();
      }
    }
  }
}

/** The cost chart as SVG path data in a `width`×`height` box, and its y range. */
export interface CostChart {
  train: string;
  dev: string;
  /** The cost at the top of the box (the bottom is 0). */
  yMax: number;
  /** Epochs at the right edge. */
  xMax: number;
}

/**
 * Path data for the train and dev cost curves, epoch 0 at the left. The y axis runs from 0
 * to a little above the largest cost after the first tenth of the run, so that a huge
 * initial cost (a large initialization) does not flatten the rest; higher values are
 * clipped at the top. At most `maxPoints` points per curve (evenly sampled).
 *
 * @example
 * ```ts
 * costChart([0.7, 0.5, 0.3], [0.7, 0.55, 0.4], 300, 120).train; // "M0.0,…L150.0,…L300.0,…"
 * ```
 */
export function costChart(train: readonly number[], dev: readonly number[], width: number, height: number, maxPoints = 400): CostChart {
  const n = Math.max(train.length, dev.length);
  const xMax = Math.max(1, n - 1);
  const skip = Math.floor(n / 10);
  let top = 0;
  for (const series of [train, dev]) {
    for (let i = skip; i < series.length; i++) if (Number.isFinite(series[i]!)) top = Math.max(top, series[i]!);
  }
  if (!(top > 0)) top = 1;
  const yMax = top * 1.08;
  const path = (series: readonly number[]): string => {
    const stride = Math.max(1, Math.ceil(series.length / maxPoints));
    const parts: string[] = [];
    for (let i = 0; i < series.length; i += stride) {
      const v = series[i]!;
      if (!Number.isFinite(v)) continue;
      const x = (i / xMax) * width;
      const y = height - (Math.min(v, yMax) / yMax) * height;
      parts.push(`${parts.length === 0 ? "M" : "L"}${x.toFixed(1)},${y.toFixed(1)}`);
    }
    const last = series.length - 1;
    if (last > 0 && last % stride !== 0 && Number.isFinite(series[last]!)) {
      parts.push(`L${width.toFixed(1)},${(height - (Math.min(series[last]!, yMax) / yMax) * height).toFixed(1)}`);
    }
    return parts.join("");
  };
  return { train: path(train), dev: path(dev), yMax, xMax };
}
