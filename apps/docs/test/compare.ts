// Comparing what a page showed (numbers rounded to 6 significant digits by render) with the
// same call made in Node.
import { expect } from "vitest";

/** `a` equals `b`, numbers within 1e-5 relative or 1e-12 absolute (both are rounded to 6 digits). */
export function expectSame(a: unknown, b: unknown, path: string): void {
  if (typeof a === "number" && typeof b === "number") {
    expect(Math.abs(a - b), `${path}: ${a} vs ${b}`).toBeLessThanOrEqual(1e-5 * Math.max(Math.abs(a), Math.abs(b)) + 1e-12);
  } else if (Array.isArray(a) && Array.isArray(b)) {
    expect(a.length, path).toBe(b.length);
    a.forEach((x, i) => expectSame(x, b[i], `${path}[${i}]`));
  } else if (a !== null && b !== null && typeof a === "object" && typeof b === "object") {
    expect(Object.keys(a), path).toEqual(Object.keys(b));
    for (const [k, x] of Object.entries(a)) expectSame(x, (b as Record<string, unknown>)[k], `${path}.${k}`);
  } else {
    expect(a, path).toEqual(b);
  }
}
