// Shape helpers: sizes, strides, broadcasting and axis normalization. Shapes are plain
// arrays of non-negative integers, row-major and contiguous.
import { ShapeError, ArgumentError, describe } from "./errors.js";

/** A tensor's shape: its length along each axis, outermost first. */
export type Shape = readonly number[];

/** The number of elements of a shape (1 for a scalar's `[]`). */
export function sizeOf(shape: Shape): number {
  let n = 1;
  for (let i = 0; i < shape.length; i++) n *= shape[i]!;
  return n;
}

/** Row-major strides of a contiguous shape, in elements. */
export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i]!;
  }
  return strides;
}

/** Whether two shapes are equal. */
export function sameShape(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Formats a shape as `[3,4]` for messages. */
export function formatShape(shape: Shape): string {
  return `[${shape.join(",")}]`;
}

/**
 * NumPy broadcasting: align trailing axes; each pair must be equal or contain a 1.
 * Throws a ShapeError naming the op and both shapes otherwise.
 */
export function broadcastShapes(op: string, a: Shape, b: Shape): number[] {
  if (sameShape(a, b)) return a.slice();
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new ShapeError(
        `${op}: cannot broadcast shapes ${formatShape(a)} and ${formatShape(b)} (axis ${i - n}: ${da} vs ${db})`,
      );
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** Checks that a shape is a list of non-negative integers. */
export function checkShape(op: string, shape: Shape): void {
  if (!Array.isArray(shape)) throw new ArgumentError(`${op}: shape must be an array of integers, got ${describe(shape)}`);
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) {
      throw new ArgumentError(`${op}: shape must hold non-negative integers, got ${describe(shape)}`);
    }
  }
}

/**
 * Normalizes an `axis` argument (a number, a list, or undefined for all axes) to a sorted
 * list of distinct non-negative axes; negative axes count from the end.
 */
export function normalizeAxes(op: string, axis: number | readonly number[] | undefined, rank: number): number[] {
  if (axis === undefined) return Array.from({ length: rank }, (_, i) => i);
  const list = typeof axis === "number" ? [axis] : axis;
  const out: number[] = [];
  for (const a of list) {
    if (!Number.isInteger(a) || a < -rank || a >= rank) {
      throw new ArgumentError(`${op}: axis must be an integer in [${-rank}, ${rank - 1}], got ${describe(axis)}`);
    }
    const k = a < 0 ? a + rank : a;
    if (out.includes(k)) throw new ArgumentError(`${op}: axis ${describe(axis)} repeats an axis`);
    out.push(k);
  }
  return out.sort((x, y) => x - y);
}

/** The shape left after reducing `axes`, keeping them as 1 when `keepDims`. */
export function reducedShape(shape: Shape, axes: readonly number[], keepDims: boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < shape.length; i++) {
    if (axes.includes(i)) {
      if (keepDims) out.push(1);
    } else out.push(shape[i]!);
  }
  return out;
}
