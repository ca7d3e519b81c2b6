// What a guide example returned, as the page shows it: JSON, indented, short arrays on one
// line, numbers to 6 significant digits (integers exact), typed arrays as arrays, tensors as
// `{ shape, values }` with their first few values. The text is always valid JSON, so a test
// can parse it back: non-finite numbers, cut-off arrays and values JSON has no form for are
// written as strings.
import { Tensor } from "@hone/tensor";

/** Values shown of a tensor; the rest are counted. */
export const TENSOR_VALUES = 12;
/** Items shown of any other array; the rest are counted. */
export const ARRAY_ITEMS = 30;
/** Significant digits of a number that is not an integer. */
export const DIGITS = 6;
/** Lines are folded at this width (the guide's column shows about 80 characters of 13px monospace). */
const WIDTH = 72;

type Plain = null | boolean | number | string | Plain[] | { [key: string]: Plain };

/** `value` as a number the page shows: exact if an integer, else rounded to DIGITS significant digits. */
function roundNumber(v: number): number | string {
  if (!Number.isFinite(v)) return String(v); // "NaN", "Infinity", "-Infinity"
  if (Number.isInteger(v) && Math.abs(v) < 1e15) return v;
  return Number(v.toPrecision(DIGITS));
}

/** The first `limit` items of `items`, then a string counting the rest. */
function cut(items: readonly unknown[] | ArrayLike<number>, limit: number, seen: Set<object>): Plain[] {
  const shown: Plain[] = [];
  const n = Math.min(items.length, limit);
  for (let i = 0; i < n; i++) shown.push(toPlain(items[i], seen));
  if (items.length > limit) shown.push(`… ${items.length - limit} more`);
  return shown;
}

/**
 * `value` as plain JSON data, following the rules in this file's header.
 *
 * @example
 * ```ts
 * toPlain({ a: new Float64Array([1, 0.1 + 0.2]), b: NaN }); // { a: [1, 0.3], b: "NaN" }
 * ```
 */
export function toPlain(value: unknown, seen: Set<object> = new Set()): Plain {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case "number": return roundNumber(value);
    case "boolean":
    case "string": return value;
    case "bigint": return value.toString();
    case "function": return `function ${value.name || "(anonymous)"}`;
    case "symbol": return value.toString();
    default: break;
  }
  const obj = value as object;
  if (seen.has(obj)) return "(circular)";
  seen.add(obj);
  try {
    if (obj instanceof Tensor) return { shape: [...obj.shape], values: cut(obj.data, TENSOR_VALUES, seen) };
    if (ArrayBuffer.isView(obj) && !(obj instanceof DataView)) return cut(obj as unknown as ArrayLike<number>, ARRAY_ITEMS, seen);
    if (Array.isArray(obj)) return cut(obj, ARRAY_ITEMS, seen);
    if (obj instanceof Map) return Object.fromEntries([...obj].map(([k, v]) => [String(k), toPlain(v, seen)]));
    if (obj instanceof Set) return cut([...obj], ARRAY_ITEMS, seen);
    if (obj instanceof Error) return `${obj.name}: ${obj.message}`;
    const out: Record<string, Plain> = {};
    for (const [k, v] of Object.entries(obj)) if (v !== undefined) out[k] = toPlain(v, seen);
    return out;
  } finally {
    seen.delete(obj);
  }
}

/** A (rounded, finite) number in JSON: exponential below 1e-3 and from 1e15, else decimal. */
function formatNumber(v: number): string {
  const abs = Math.abs(v);
  if (abs === 0 || (abs >= 1e-3 && abs < 1e15)) return String(v);
  return v.toExponential().replace("e+", "e");
}

/**
 * `plain` as indented JSON whose arrays and objects stay on one line when they fit;
 * `column` is where the value starts on its first line (after `indent` and any key).
 */
function format(plain: Plain, indent: string, column: number): string {
  if (typeof plain === "number") return formatNumber(plain);
  if (plain === null || typeof plain !== "object") return JSON.stringify(plain);
  const inner = indent + "  ";
  if (Array.isArray(plain)) {
    if (plain.length === 0) return "[]";
    const items = plain.map((p) => format(p, inner, inner.length));
    const flat = `[${items.join(", ")}]`;
    if (!flat.includes("\n") && column + flat.length <= WIDTH) return flat;
    // Scalars fill the lines; anything else gets a line of its own.
    if (plain.every((p) => p === null || typeof p !== "object")) {
      const lines: string[] = [];
      let line = "";
      for (const item of items) {
        if (line !== "" && inner.length + line.length + item.length + 2 > WIDTH) {
          lines.push(line);
          line = "";
        }
        line += line === "" ? item + "," : ` ${item},`;
      }
      lines.push(line.slice(0, -1));
      return `[\n${lines.map((l) => inner + l).join("\n")}\n${indent}]`;
    }
    return `[\n${items.map((i) => inner + i).join(",\n")}\n${indent}]`;
  }
  const entries = Object.entries(plain);
  if (entries.length === 0) return "{}";
  const fields = entries.map(([k, v]) => {
    const key = `${JSON.stringify(k)}: `;
    return key + format(v, inner, inner.length + key.length);
  });
  const flat = `{ ${fields.join(", ")} }`;
  if (!flat.includes("\n") && column + flat.length <= WIDTH) return flat;
  return `{\n${fields.map((f) => inner + f).join(",\n")}\n${indent}}`;
}

/**
 * What an example returned, as readable JSON text.
 *
 * @example
 * ```ts
 * render({ "λ = 0": { devLoss: 2.0712345678 } }); // '{ "λ = 0": { "devLoss": 2.07123 } }'
 * render(tensor([[1, 2], [3, 4]]));               // '{ "shape": [2, 2], "values": [1, 2, 3, 4] }'
 * ```
 */
export function render(value: unknown): string {
  return format(toPlain(value), "", 0);
}
