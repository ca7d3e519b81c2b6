// Flag value parsers. Each checks one flag's text and names the flag, what it expects and
// what it got (`--lr must be a number > 0, got "-1"`), so a bad value fails before any work.
import { UsageError } from "./errors.js";

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function bad(flag: string, expected: string, text: string, note = ""): never {
  throw new UsageError(`${flag} must be ${expected}, got ${JSON.stringify(text)}${note}`);
}

/** A decimal number (no hex, no empty string, no `Infinity`). */
function toNumber(text: string): number {
  const t = text.trim();
  return NUMBER.test(t) ? Number(t) : NaN;
}

/** A parser for a number in a range: `min`/`max` with `open` ends excluded. */
export function numberIn(flag: string, range: { min?: number; max?: number; minOpen?: boolean; maxOpen?: boolean }): (text: string) => number {
  const { min, max, minOpen = false, maxOpen = false } = range;
  const parts: string[] = [];
  if (min !== undefined && max !== undefined) parts.push(`in ${minOpen ? "(" : "["}${min}, ${max}${maxOpen ? ")" : "]"}`);
  else if (min !== undefined) parts.push(`${minOpen ? ">" : "≥"} ${min}`);
  else if (max !== undefined) parts.push(`${maxOpen ? "<" : "≤"} ${max}`);
  const expected = `a number${parts.length > 0 ? ` ${parts[0]}` : ""}`;
  return (text) => {
    const v = toNumber(text);
    if (Number.isNaN(v) || !Number.isFinite(v)) bad(flag, expected, text);
    if (min !== undefined && (minOpen ? v <= min : v < min)) bad(flag, expected, text);
    if (max !== undefined && (maxOpen ? v >= max : v > max)) bad(flag, expected, text);
    return v;
  };
}

/** A parser for an integer ≥ `min`. */
export function integerFrom(flag: string, min: number, max = Number.MAX_SAFE_INTEGER): (text: string) => number {
  const expected = max === Number.MAX_SAFE_INTEGER ? `an integer ≥ ${min}` : `an integer in [${min}, ${max}]`;
  return (text) => {
    const v = toNumber(text);
    if (!Number.isInteger(v) || v < min || v > max) bad(flag, expected, text);
    return v;
  };
}

/** A parser for a seed: an integer in [0, 2^32 − 1] (numpy's range). */
export function seed(flag = "--seed"): (text: string) => number {
  return integerFrom(flag, 0, 2 ** 32 - 1);
}

/** A parser for one of `choices`. */
export function oneOf<T extends string>(flag: string, choices: readonly T[]): (text: string) => T {
  return (text) => {
    if (!(choices as readonly string[]).includes(text)) bad(flag, `one of ${choices.join(", ")}`, text);
    return text as T;
  };
}

/** A parser for a comma-separated list, each item through `item`. */
export function listOf<T>(flag: string, item: (text: string) => T, expected: string): (text: string) => T[] {
  return (text) => {
    const parts = text.split(",").map((s) => s.trim());
    if (parts.length === 0 || parts.some((p) => p === "")) bad(flag, expected, text);
    return parts.map((p) => {
      try {
        return item(p);
      } catch {
        return bad(flag, expected, text);
      }
    });
  };
}

/**
 * `--layers 20,3`: hidden layer sizes, or `none` for no hidden layer (logistic/softmax
 * regression); `none: false` (`--conv 8,16`) refuses `none`.
 */
export function hiddenLayers(flag = "--layers", options: { none?: boolean } = {}): (text: string) => number[] {
  const none = options.none ?? true;
  const list = listOf(flag, integerFrom(flag, 1, 100_000), `comma-separated positive integers like "${none ? "20,3" : "8,16"}"${none ? ' (or "none")' : ""}`);
  return (text) => (none && text.trim() === "none" ? [] : list(text));
}

/** `--keep-prob 0.86` or per hidden layer `--keep-prob 1,0.5,0.7`: each in (0, 1]. */
export function keepProb(flag = "--keep-prob"): (text: string) => number | number[] {
  const list = listOf(flag, numberIn(flag, { min: 0, max: 1, minOpen: true }), 'a probability in (0, 1], or one per hidden layer like "1,0.5,0.7"');
  return (text) => {
    const values = list(text);
    return values.length === 1 ? values[0]! : values;
  };
}

/**
 * `--split 60/20/20` (also `98/1/1`, `99.5/0.25/0.25`): three positive percentages adding
 * up to 100. Returned as written; `trainDevTestSplit` reads the string form.
 */
export function ratios(flag: string): (text: string) => string {
  const expected = 'three positive percentages adding up to 100, like "60/20/20" or "98/1/1"';
  return (text) => {
    const parts = text.split("/").map((s) => toNumber(s));
    if (parts.length !== 3 || parts.some((p) => !(p > 0) || !Number.isFinite(p))) bad(flag, expected, text);
    const total = parts.reduce((a, b) => a + b, 0);
    if (Math.abs(total - 100) > 1e-7) bad(flag, expected, text, ` (these add up to ${Number(total.toFixed(6))})`);
    return text.trim();
  };
}

/** `--batch-size 64` or `full`. */
export function batchSize(flag = "--batch-size"): (text: string) => number | "full" {
  const int = integerFrom(flag, 1);
  return (text) => {
    if (text.trim() === "full") return "full";
    try {
      return int(text);
    } catch {
      return bad(flag, 'a positive integer or "full"', text);
    }
  };
}

/** `--label price` or `--label 3` (a 0-based column index; negative counts from the end). */
export function labelColumn(text: string): string | number {
  const t = text.trim();
  if (t === "") bad("--label", "a column name or index", text);
  return /^-?\d+$/.test(t) ? Number(t) : t;
}
