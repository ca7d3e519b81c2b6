// The points a decision-boundary plot evaluates: the padded bounding box of 2-D data, and
// the centres of a grid of cells over it.
import { ArgumentError, ShapeError, Tensor, describe, formatShape } from "@hone/tensor";
import { checkPositiveInt, checkRows } from "./util.js";

/** A rectangle of the plane. */
export interface Extent {
  readonly xMin: number;
  readonly xMax: number;
  readonly yMin: number;
  readonly yMax: number;
}

/**
 * The bounding box of the rows of `x` (m, 2), widened on each side by `pad` (default 0.08)
 * of its width and height; a side of zero width is widened by 1 instead.
 *
 * @example
 * ```ts
 * import { extentOf } from "@hone/data-split";
 * import { tensor } from "@hone/tensor";
 * extentOf(tensor([[0, 0], [10, 5]])); // { xMin: -0.8, xMax: 10.8, yMin: -0.4, yMax: 5.4 }
 * ```
 */
export function extentOf(x: Tensor, options: { pad?: number } = {}): Extent {
  const m = checkRows("extentOf", "x", x);
  if (x.rank !== 2 || x.shape[1] !== 2) throw new ShapeError(`extentOf: x must have shape (m, 2), got ${formatShape(x.shape)}`);
  if (m === 0) throw new ShapeError("extentOf: x has no rows");
  const pad = options.pad ?? 0.08;
  if (typeof pad !== "number" || !(pad >= 0) || !Number.isFinite(pad)) throw new ArgumentError(`extentOf: pad must be a finite number ≥ 0, got ${describe(pad)}`);
  let xMin = Infinity, xMax = -Infinity, yMin = Infinity, yMax = -Infinity;
  const d = x.data;
  for (let i = 0; i < d.length; i += 2) {
    xMin = Math.min(xMin, d[i]!); xMax = Math.max(xMax, d[i]!);
    yMin = Math.min(yMin, d[i + 1]!); yMax = Math.max(yMax, d[i + 1]!);
  }
  if (![xMin, xMax, yMin, yMax].every(Number.isFinite)) throw new ArgumentError("extentOf: x must hold finite values, got NaN or ±Infinity");
  const padX = (xMax - xMin) * pad || 1, padY = (yMax - yMin) * pad || 1;
  return { xMin: xMin - padX, xMax: xMax + padX, yMin: yMin - padY, yMax: yMax + padY };
}

/**
 * The centres of an `nx` × `ny` grid of cells over `extent`, row by row from the top
 * (y near `yMax`) and left to right, as an (nx·ny, 2) float64 tensor: feed it to a model
 * and draw the predictions as an image of the decision boundary.
 *
 * @example
 * ```ts
 * import { gridPoints } from "@hone/data-split";
 * gridPoints({ xMin: 0, xMax: 2, yMin: 0, yMax: 2 }, 2, 2).toArray();
 * // [[0.5, 1.5], [1.5, 1.5], [0.5, 0.5], [1.5, 0.5]]
 * ```
 */
export function gridPoints(extent: Extent, nx: number, ny: number = nx): Tensor {
  checkPositiveInt("gridPoints", "nx", nx);
  checkPositiveInt("gridPoints", "ny", ny);
  const { xMin, xMax, yMin, yMax } = extent ?? ({} as Extent);
  if (![xMin, xMax, yMin, yMax].every((v) => typeof v === "number" && Number.isFinite(v)) || !(xMin < xMax) || !(yMin < yMax)) {
    throw new ArgumentError(`gridPoints: extent must have finite xMin < xMax and yMin < yMax, got ${describe(extent)}`);
  }
  const g = new Float64Array(nx * ny * 2);
  for (let r = 0; r < ny; r++) {
    for (let c = 0; c < nx; c++) {
      const i = r * nx + c;
      g[2 * i] = xMin + ((c + 0.5) / nx) * (xMax - xMin);
      g[2 * i + 1] = yMax - ((r + 0.5) / ny) * (yMax - yMin);
    }
  }
  return new Tensor(g, [nx * ny, 2]);
}
