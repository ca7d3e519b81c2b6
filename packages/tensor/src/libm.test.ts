import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { cos, exp, expFixed, fma, libm, log, log1p, log1pFixed, logFixed, powInt, sin, tanh, tanhFixed, trigFixed } from "./libm.js";

// The reference: mpmath at 320 bits, rounded to the nearest double (scripts/make-libm-fixtures.py).
const fixture = JSON.parse(readFileSync(new URL("./fixtures/libm-mpmath.json", import.meta.url), "utf8")) as Record<
  string,
  [string, string][]
>;

type Fn = (x: number) => number;
const fast: Record<string, Fn> = { exp, tanh, log, log1p, sin, cos };
const fixed: Record<string, Fn> = {
  exp: expFixed,
  tanh: tanhFixed,
  log: logFixed,
  log1p: log1pFixed,
  sin: (x) => trigFixed(x, true),
  cos: (x) => trigFixed(x, false),
};

function mismatches(f: Fn, rows: [string, string][]): string[] {
  const bad: string[] = [];
  for (const [xs, ys] of rows) {
    const got = f(Number(xs));
    if (!Object.is(got, Number(ys))) bad.push(`${xs}: ${got}, mpmath ${ys}`);
  }
  return bad;
}

describe("libm: correctly rounded, as mpmath rounds the exact value", () => {
  for (const name of Object.keys(fast)) {
    it(`${name} on ${fixture[name]!.length} arguments (fast path and fixed-point fallback)`, () => {
      expect(fixture[name]!.length).toBeGreaterThan(1500);
      expect(mismatches(fast[name]!, fixture[name]!)).toEqual([]);
      expect(mismatches(fixed[name]!, fixture[name]!)).toEqual([]);
    });
  }

  it("differs from this engine's Math where Math is not correctly rounded (the fixture can catch an error)", () => {
    // Node 20's fdlibm-derived Math.exp misses on about 8% of these arguments; the exact count
    // depends on the engine, so only a floor is asserted where Math is known to be inexact.
    const wrong = mismatches(Math.exp, fixture.exp!).length + mismatches(Math.log, fixture.log!).length;
    if (process.versions.node.startsWith("20.")) expect(wrong).toBeGreaterThan(50);
    // A one-ulp change is caught: the next double up is never accepted.
    const [xs, ys] = fixture.exp![0]!;
    const next = Number(ys) * (1 + 2 ** -52);
    expect(Object.is(exp(Number(xs)), next)).toBe(false);
  });

  it("gives the documented values", () => {
    expect(libm.exp(1)).toBe(2.718281828459045);
    expect(libm.log(0.6658325886005955)).toBe(-0.40671700850767084);
    expect(libm.sin(Math.PI)).toBe(1.2246467991473532e-16);
    expect(libm.cos(Math.PI)).toBe(-1);
  });

  it("handles the special values as IEEE 754 and Math do", () => {
    expect(exp(NaN)).toBeNaN();
    expect(exp(Infinity)).toBe(Infinity);
    expect(exp(-Infinity)).toBe(0);
    expect(exp(0)).toBe(1);
    expect(exp(-0)).toBe(1);
    expect(exp(710)).toBe(Infinity);
    expect(exp(-746)).toBe(0);
    expect(exp(-745)).toBe(5e-324); // e^-745 = 4.94e-324: the smallest subnormal
    expect(log(0)).toBe(-Infinity);
    expect(log(-1)).toBeNaN();
    expect(log(Infinity)).toBe(Infinity);
    expect(log(1)).toBe(0);
    expect(log1p(-1)).toBe(-Infinity);
    expect(log1p(-2)).toBeNaN();
    expect(Object.is(log1p(-0), -0)).toBe(true);
    expect(log1p(Infinity)).toBe(Infinity);
    expect(Object.is(sin(-0), -0)).toBe(true);
    expect(sin(Infinity)).toBeNaN();
    expect(cos(-Infinity)).toBeNaN();
    expect(cos(NaN)).toBeNaN();
    expect(cos(0)).toBe(1);
    expect(tanh(NaN)).toBeNaN();
    expect(tanh(Infinity)).toBe(1);
    expect(tanh(-Infinity)).toBe(-1);
    expect(Object.is(tanh(-0), -0)).toBe(true);
    expect(tanh(-40)).toBe(-1);
  });

  it("has odd sine and even cosine, fast path and fallback alike", () => {
    for (const x of [0.3, 1e-5, 2.5, 100.25, 70000.5, 1e200]) {
      expect(sin(-x)).toBe(-sin(x));
      expect(cos(-x)).toBe(cos(x));
    }
  });

  it("powInt: β^t correctly rounded (0.9^4 is 0.6561, where Node 20's ** gives 0.6561000000000001)", () => {
    expect(powInt(0.9, 4)).toBe(0.6561);
    expect(powInt(0.5, 10)).toBe(1 / 1024);
    expect(powInt(3, 20)).toBe(3486784401);
    expect(powInt(0.9, 0)).toBe(1);
  });

  it("fma: a * b + c rounded once (0.1 * 10 - 1 is 2^-54 exactly, where the unfused sum gives 0)", () => {
    // 0.1 is 3602879701896397 / 2^55; times 10 it is (2^55 + 2) / 2^55, so minus 1 it is 2^-54.
    expect(fma(0.1, 10, -1)).toBe(2 ** -54);
    expect(0.1 * 10 - 1).toBe(0);
    expect(fma(-0.1, 10, 1)).toBe(-(2 ** -54));
    expect(fma(3, 4, 5)).toBe(17);
    expect(fma(2, 3, -6)).toBe(0);
    expect(fma(1e308, 10, -Infinity)).toBe(-Infinity);
    expect(fma(NaN, 1, 1)).toBeNaN();
    expect(fma(0, 5, -0)).toBe(0);
    expect(fma(2 ** -1074, 0.5, 0)).toBe(0); // half the smallest subnormal: a tie, to even (0)
    expect(fma(2 ** -1074, 0.75, 0)).toBe(2 ** -1074);
  });

  it("the fast paths agree with the fixed-point fallback on 20,000 more arguments each", () => {
    let s = 20261204;
    const next = (): number => (s = (s * 16807) % 2147483647) / 2147483647;
    const bad: string[] = [];
    for (let i = 0; i < 20000; i++) {
      const u = next();
      const a = (u - 0.5) * 60;
      const b = Math.exp((next() - 0.5) * 80);
      const c = (next() - 0.5) * 40;
      if (!Object.is(exp(a), expFixed(a))) bad.push(`exp ${a}`);
      if (!Object.is(tanh(c / 4), tanhFixed(c / 4))) bad.push(`tanh ${c / 4}`);
      if (!Object.is(log(b), logFixed(b))) bad.push(`log ${b}`);
      if (!Object.is(log1p(b - 0.9), log1pFixed(b - 0.9))) bad.push(`log1p ${b - 0.9}`);
      if (i % 4 === 0 && !Object.is(sin(c), trigFixed(c, true))) bad.push(`sin ${c}`);
      if (i % 4 === 0 && !Object.is(cos(c), trigFixed(c, false))) bad.push(`cos ${c}`);
    }
    expect(bad).toEqual([]);
  }, 60_000);
});
