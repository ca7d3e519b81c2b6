// Small statistics the diagnosis needs: the standard normal CDF and quantile, the Wilson
// score interval of a proportion, and Newcombe's interval of a difference of two
// proportions (or of any two estimates with intervals).
import { libm, ArgumentError, describe } from "@hone/tensor";
import { checkConfidence } from "./util.js";

/** An estimate with a confidence interval [low, high]. */
export interface Interval {
  /** The point estimate. */
  readonly value: number;
  /** The lower end of the interval. */
  readonly low: number;
  /** The upper end of the interval. */
  readonly high: number;
}

/** An error rate measured on `n` examples, with its interval. */
export interface Proportion extends Interval {
  /** The number of examples it was measured on. */
  readonly n: number;
}

const LOG_SQRT_2PI = 0.9189385332046728; // ln √(2π)

/**
 * The standard normal CDF Φ(x), by Marsaglia's series (J. Stat. Softw. 11(4), 2004):
 * Φ(x) = ½ + φ(x)·(x + x³/3 + x⁵/(3·5) + …) for |x| ≤ 3, and the continued fraction of
 * the Mills ratio beyond; relative error about 1e-15 in both tails.
 *
 * @example
 * ```ts
 * import { normalCdf } from "@hone/data-split";
 * normalCdf(0);     // 0.5
 * normalCdf(-1.96); // 0.024997895148220435
 * ```
 */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < -38) return 0;
  if (x > 38) return 1;
  // Beyond |x| = 3 the series loses relative accuracy to cancellation in ½ + (−½ + tiny):
  // there the continued fraction gives the tail directly.
  if (x < -3 || x > 3) return x < 0 ? normalTail(-x) : 1 - normalTail(x);
  const q = x * x;
  let s = x, t = 0, b = x;
  for (let i = 1; s !== t; ) {
    t = s;
    i += 2;
    b *= q / i;
    s = t + b;
  }
  return 0.5 + s * libm.exp(-0.5 * q - LOG_SQRT_2PI);
}

/** 1 − Φ(x) for x > 3, by the continued fraction of the Mills ratio (Lentz's method). */
function normalTail(x: number): number {
  // R(x) = 1/(x + 1/(x + 2/(x + 3/(x + …)))), 1 − Φ(x) = φ(x)·R(x).
  let f = x, c = x, d = 0;
  for (let i = 1; i < 200; i++) {
    d = x + i * d;
    d = d === 0 ? 1e-300 : 1 / d;
    c = x + i / c;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return libm.exp(-0.5 * x * x - LOG_SQRT_2PI) / f;
}

/**
 * The standard normal quantile Φ⁻¹(p) for p in (0, 1): Acklam's rational approximation
 * refined by one Halley step on {@link normalCdf}, relative error about 1e-15.
 *
 * @example
 * ```ts
 * import { normalQuantile } from "@hone/data-split";
 * normalQuantile(0.975); // 1.959963984540054
 * ```
 */
export function normalQuantile(p: number): number {
  if (typeof p !== "number" || !(p > 0 && p < 1)) throw new ArgumentError(`normalQuantile: p must be in (0, 1), got ${describe(p)}`);
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  let x: number;
  if (p < low) {
    const q = Math.sqrt(-2 * libm.log(p));
    x = (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  } else if (p <= 1 - low) {
    const q = p - 0.5, r = q * q;
    x = (((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
  } else {
    const q = Math.sqrt(-2 * libm.log(1 - p));
    x = -(((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  // One Halley step: e = Φ(x) − p, u = e·√(2π)·exp(x²/2), x ← x − u/(1 + x·u/2).
  const e = normalCdf(x) - p;
  const u = e * libm.exp(0.5 * x * x + LOG_SQRT_2PI);
  return x - u / (1 + (x * u) / 2);
}

/**
 * The Wilson score interval of a proportion: `errors` wrong out of `n`, p = errors/n,
 * z = Φ⁻¹(½ + confidence/2) (1.96 for 95%):
 *
 *   center = (p + z²/2n) / (1 + z²/n),   half = z/(1 + z²/n) · √(p(1−p)/n + z²/4n²).
 *
 * Unlike the normal (Wald) interval it stays inside [0, 1] and is not empty at 0 errors:
 * 0 of 30 gives [0, 11.4%]. `errors` may be fractional (a rate times n).
 *
 * @example
 * ```ts
 * import { wilsonInterval } from "@hone/data-split";
 * wilsonInterval(6, 200); // { value: 0.03, low: 0.01382…, high: 0.06389…, n: 200 }
 * ```
 */
export function wilsonInterval(errors: number, n: number, confidence = 0.95): Proportion {
  const fn = "wilsonInterval";
  if (typeof n !== "number" || !Number.isInteger(n) || n < 1) throw new ArgumentError(`${fn}: n must be a positive integer (the number of examples), got ${describe(n)}`);
  if (typeof errors !== "number" || !(errors >= 0 && errors <= n)) throw new ArgumentError(`${fn}: errors must be a number in [0, n = ${n}], got ${describe(errors)}`);
  const z = normalQuantile(0.5 + checkConfidence(fn, confidence) / 2);
  const p = errors / n, z2 = z * z;
  const denom = 1 + z2 / n;
  const center = (p + z2 / (2 * n)) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { value: p, low: errors === 0 ? 0 : Math.max(0, center - half), high: errors === n ? 1 : Math.min(1, center + half), n };
}

/**
 * The interval of a difference a − b of two independent estimates that carry their own
 * intervals, by Newcombe's square-and-add method (Stat. Med. 17, 1998, method 10; the
 * "MOVER" construction):
 *
 *   low  = (a − b) − √((a − a.low)² + (b.high − b)²),
 *   high = (a − b) + √((a.high − a)² + (b − b.low)²).
 *
 * With Wilson intervals for a and b this is Newcombe's hybrid score interval of a
 * difference of proportions. An exact value (low = value = high) adds no width.
 *
 * @example
 * ```ts
 * import { differenceInterval, wilsonInterval } from "@hone/data-split";
 * differenceInterval(wilsonInterval(6, 200), wilsonInterval(14, 600)); // { value: 0.00667, low: −0.0154…, high: 0.0420… }
 * ```
 */
export function differenceInterval(a: Interval, b: Interval): Interval {
  const value = a.value - b.value;
  return {
    value,
    low: value - Math.hypot(a.value - a.low, b.high - b.value),
    high: value + Math.hypot(a.high - a.value, b.value - b.low),
  };
}
