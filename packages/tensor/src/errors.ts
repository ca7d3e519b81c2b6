import { brand } from "./brand.js";

/**
 * Typed errors shared by every Hone package. Each message names the operation, the
 * argument, what was expected and what was given, so a bad call fails where it is made.
 *
 * @example
 * ```ts
 * import { ShapeError } from "@hone/tensor";
 * try { throw new ShapeError("matmul: a has shape [3,4] but b has shape [5,2]"); }
 * catch (e) { console.log(e instanceof ShapeError, (e as Error).name); } // true "ShapeError"
 * ```
 */
export class HoneError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Shapes that do not fit together (matmul inner dims, broadcasting, reshape sizes). */
export class ShapeError extends HoneError {}

/** A dtype that an operation does not accept (float32 in a gradient check, say). */
export class DTypeError extends HoneError {}

/** An argument outside its allowed values (a negative learning rate, a seed of 1.5). */
export class ArgumentError extends HoneError {}

// `instanceof` holds across copies of the package (see brand.ts).
brand(HoneError, "HoneError");
brand(ShapeError, "ShapeError");
brand(DTypeError, "DTypeError");
brand(ArgumentError, "ArgumentError");

/** Describes a value for an error message: shapes as `[3,4]`, strings quoted, numbers as-is. */
export function describe(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(describe).join(",")}]`;
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean" || value === null || value === undefined) return String(value);
  if (ArrayBuffer.isView(value)) return `${value.constructor.name}(${(value as unknown as ArrayLike<number>).length})`;
  if (typeof value === "object" && "shape" in value) return `Tensor${describe((value as { shape: unknown }).shape)}`;
  return typeof value;
}
