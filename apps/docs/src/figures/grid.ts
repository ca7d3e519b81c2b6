// Helpers of the figures that draw a classifier: labelled points, and a model's p(y = 1) on
// a grid over them (one `infer` call). Shared by the figures' data (in the worker) and the
// live training on the page, so kept free of the examples.
import { infer, type Module } from "@hone/nn";
import { Tensor, sigmoid } from "@hone/tensor";

/** Labelled 2-D points: x₁, x₂ and the class. */
export interface Points {
  x1: number[];
  x2: number[];
  label: number[];
}

/** A model's p(y = 1) on an n×n grid over [x1, x2]×[y1, y2]; row i is at y1 + (i + ½)·(y2 − y1)/n. */
export interface Grid {
  n: number;
  x1: number;
  x2: number;
  y1: number;
  y2: number;
  p: number[];
}

/** The points of a (rows, 2) x and its labels. */
export function points(x: Tensor, y: Tensor): Points {
  const m = x.shape[0]!;
  return {
    x1: Array.from({ length: m }, (_, i) => x.data[2 * i]!),
    x2: Array.from({ length: m }, (_, i) => x.data[2 * i + 1]!),
    label: Array.from(y.data),
  };
}

/** The extent of `pts` with a margin of 10% on each side. */
function extent(pts: Points): [number, number, number, number] {
  const pad = (lo: number, hi: number): [number, number] => [lo - 0.1 * (hi - lo), hi + 0.1 * (hi - lo)];
  const [x1, x2] = pad(Math.min(...pts.x1), Math.max(...pts.x1));
  const [y1, y2] = pad(Math.min(...pts.x2), Math.max(...pts.x2));
  return [x1, x2, y1, y2];
}

/** p(y = 1) of a one-logit `model` on an n×n grid over `pts`' extent (one `infer` call). */
export function boundary(model: Module, pts: Points, n = 48): Grid {
  const [x1, x2, y1, y2] = extent(pts);
  const cells = new Float64Array(2 * n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      cells[2 * (i * n + j)] = x1 + ((j + 0.5) * (x2 - x1)) / n;
      cells[2 * (i * n + j) + 1] = y1 + ((i + 0.5) * (y2 - y1)) / n;
    }
  }
  const p = sigmoid(infer(model, new Tensor(cells, [n * n, 2])));
  return { n, x1, x2, y1, y2, p: Array.from(p.data) };
}
