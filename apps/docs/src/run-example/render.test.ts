// render: what the guide's Run buttons show. Expected texts are written out by hand.
import { describe, expect, it } from "vitest";
import { tensor, zeros } from "@hone/tensor";
import { ARRAY_ITEMS, TENSOR_VALUES, render, toPlain } from "./render.js";

describe("render", () => {
  it("rounds numbers to 6 significant digits, keeps integers exact, writes tiny and huge ones as exponentials", () => {
    const values = [0.1 + 0.2, 2.919335883291695e-10, 980_000, 1234567, -0, 2.5e20, 0.00012, 1 / 3, 0.001];
    expect(values.map((v) => render(v))).toEqual(["0.3", "2.91934e-10", "980000", "1234567", "0", "2.5e20", "1.2e-4", "0.333333", "0.001"]);
  });

  it("writes non-finite numbers, undefined fields and cut-off arrays so the text stays JSON", () => {
    const text = render({ nan: NaN, inf: -Infinity, gone: undefined, none: null, long: Array.from({ length: ARRAY_ITEMS + 5 }, (_, i) => i) });
    const parsed = JSON.parse(text) as { nan: string; inf: string; none: null; long: unknown[] };
    expect(parsed.nan).toBe("NaN");
    expect(parsed.inf).toBe("-Infinity");
    expect("gone" in parsed).toBe(false);
    expect(parsed.none).toBeNull();
    expect(parsed.long.length).toBe(ARRAY_ITEMS + 1);
    expect(parsed.long.at(-1)).toBe("… 5 more");
  });

  it("shows typed arrays as arrays and tensors as { shape, values } with at most 12 values", () => {
    expect(toPlain(new Float64Array([1, 0.5]))).toEqual([1, 0.5]);
    expect(render(tensor([[1, 2], [3, 4]]))).toBe('{ "shape": [2, 2], "values": [1, 2, 3, 4] }');
    const big = toPlain(zeros([4, 5])) as { shape: number[]; values: unknown[] };
    expect(big.shape).toEqual([4, 5]);
    expect(big.values.length).toBe(TENSOR_VALUES + 1);
    expect(big.values.at(-1)).toBe("… 8 more");
  });

  it("keeps what fits on one line, and folds the rest by field and by line of numbers", () => {
    const text = render({ short: [1, 2, 3], costs: Array.from({ length: 30 }, (_, i) => 1 / (i + 3)) });
    const lines = text.split("\n");
    expect(lines[0]).toBe("{");
    expect(lines[1]).toBe('  "short": [1, 2, 3],');
    expect(lines[2]).toBe('  "costs": [');
    expect(lines.at(-1)).toBe("}");
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(72);
    expect((JSON.parse(text) as { costs: number[] }).costs[0]).toBe(0.333333);
  });
});
