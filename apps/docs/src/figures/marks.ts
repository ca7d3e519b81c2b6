// What a figure drew, counted: the elements of Plot's data marks (dots, lines, bars, cells,
// rasters). Plot labels each mark's <g> with aria-label; its axes, grids and tick labels are
// marks too, and are left out. Shared by the figures, the live training and the run output.

const DATA_MARKS = "g[aria-label]:not([aria-label*=axis]):not([aria-label*=grid]):not([aria-label*=tick]) :is(circle, path, rect, image, line)";

/**
 * The number of data-mark elements under `root`.
 *
 * @example
 * ```ts
 * countMarks(host); // 906 for the three boundaries of bias-variance
 * ```
 */
export function countMarks(root: ParentNode): number {
  return root.querySelectorAll(DATA_MARKS).length;
}
