import { createReadStream, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { rng, tensor } from "@hone/tensor";
import { describe, expect, it } from "vitest";
import { CsvError, parseCsv, parseCsvText, toCsv, type CsvData } from "./index.js";

function plain(d: CsvData): object {
  return { x: d.x.toArray(), shape: d.x.shape, y: d.y.toArray(), featureNames: d.featureNames, labelName: d.labelName, classes: d.classes };
}

/** Parse-error message, or "" when parsing succeeds. */
function errorOf(text: string, options = {}): string {
  try {
    parseCsvText(text, options);
    return "";
  } catch (e) {
    return (e as Error).message;
  }
}

const GOOD = "x1,target,x2\n1.5,0,-2\n 3 ,1,4e-3\n-0.25,1,.5\n";

describe("parseCsvText", () => {
  it("reads a header, a named label column and numbers in any position", () => {
    const d = parseCsvText(GOOD, { label: "target" });
    expect(plain(d)).toEqual({
      x: [[1.5, -2], [3, 0.004], [-0.25, 0.5]], shape: [3, 2], y: [0, 1, 1],
      featureNames: ["x1", "x2"], labelName: "target", classes: undefined,
    });
    expect(d.x.dtype).toBe("float64");
  });

  it("takes the label by index (negative from the end; default last) and without a header", () => {
    expect(parseCsvText(GOOD, { label: 1 }).y.toArray()).toEqual([0, 1, 1]);
    expect(parseCsvText(GOOD, { label: -2 }).labelName).toBe("target");
    expect(parseCsvText(GOOD).labelName).toBe("x2");
    const d = parseCsvText("1;2;0\n3;4;1\n", { header: false, delimiter: ";", label: 0 });
    expect(plain(d)).toEqual({ x: [[2, 0], [4, 1]], shape: [2, 2], y: [1, 3], featureNames: ["x0", "x1"], labelName: "y", classes: undefined });
  });

  it("maps class-name labels to 0..k−1 in sorted order", () => {
    const d = parseCsvText("a,b,species\n1,2,versicolor\n3,4,setosa\n5,6,virginica\n7,8,setosa\n");
    expect(d.classes).toEqual(["setosa", "versicolor", "virginica"]);
    expect(d.y.toArray()).toEqual([1, 0, 2, 0]);
    const n = parseCsvText("a,c\n1,10\n2,9\n3,2\n", { labelType: "class" });
    expect(n.classes).toEqual(["2", "9", "10"]); // numeric-looking names sort numerically
    expect(n.y.toArray()).toEqual([2, 1, 0]);
  });

  it("points at the line and column of a bad cell", () => {
    expect(errorOf(GOOD + "1,0,abc\n", { label: "target" })).toBe('parseCsvText: line 5, column "x2": expected a number, got "abc"');
    expect(errorOf("a,b,y\n1,,0\n")).toBe('parseCsvText: line 2, column "b": expected a number, got ""');
    expect(errorOf('a,b,y\n1,"1,2",0\n')).toBe('parseCsvText: line 2, column "b": expected a number, got "1,2"');
    expect(errorOf("a,b,y\n1,NaN,0\n")).toMatch(/column "b": expected a number, got "NaN"/);
    expect(errorOf("1,x,0\n", { header: false })).toBe('parseCsvText: line 1, column 1: expected a number, got "x"');
    expect(errorOf("a,y\n1,0\n2,cat\n")).toMatch(/line 3, column "y": expected a numeric label, got "cat"/);
    const e = (() => { try { parseCsvText(GOOD + "1,0,abc\n", { label: "target" }); } catch (err) { return err; } })();
    expect(e).toBeInstanceOf(CsvError);
    expect([(e as CsvError).line, (e as CsvError).column]).toEqual([5, "x2"]);
  });

  it("names the existing columns when the label column is missing", () => {
    expect(errorOf(GOOD, { label: "y" })).toBe('parseCsvText: no label column "y"; the columns are "x1", "target", "x2"');
    expect(errorOf(GOOD, { label: 3 })).toMatch(/label column index 3 is out of range for 3 columns/);
  });

  it("reports rows with the wrong number of fields", () => {
    expect(errorOf("a,b,y\n1,2,0\n1,2\n")).toBe("parseCsvText: line 3 has 2 fields, expected 3 (as in the header)");
  });

  it("reads RFC 4180 quoted fields: delimiters, quotes, line breaks", () => {
    const text = '"width, cm","say ""hi""",label\r\n"1.5",2,"line\r\nbreak"\r\n3,"4","plain"\r\n';
    const d = parseCsvText(text);
    expect(d.featureNames).toEqual(["width, cm", 'say "hi"']);
    expect(d.x.toArray()).toEqual([[1.5, 2], [3, 4]]);
    expect(d.classes).toEqual(["line\r\nbreak", "plain"]);
    // A quoted line break counts as a line: the bad cell below is on line 4.
    expect(errorOf('a,b\n"x\ny",1\n2,zz\n', { label: 0, labelType: "class" })).toBe('parseCsvText: line 4, column "b": expected a number, got "zz"');
  });

  it("rejects malformed quoting", () => {
    expect(errorOf('a,b\n1,"2\n')).toBe("parseCsvText: line 2: a quoted field is never closed (unterminated quote)");
    expect(errorOf('a,b\n1,2"3"\n')).toMatch(/line 2, column "b": a quote inside an unquoted field/);
    expect(errorOf('a,b\n1,"2"3\n')).toMatch(/line 2, column "b": unexpected "3" after the closing quote/);
  });

  it("skips blank lines, ignores a byte-order mark, accepts CR, LF and CRLF", () => {
    const d = parseCsvText("\uFEFFa,y\r\n1,0\r\n\r\n2,1\r3,0\n\n");
    expect(d.featureNames).toEqual(["a"]);
    expect(d.x.toArray()).toEqual([[1], [2], [3]]);
    expect(errorOf("a,y\n")).toBe("parseCsvText: no data rows");
  });
});

describe("parseCsv (streaming)", () => {
  const text = 'x1,"x,2",label\n1,2,cat\n"3",4e1,dog\r\n-5,.5,"c""at"\n7,8,cat';

  it("gives the same result for every way of cutting the text into two chunks, and for 1-char chunks", async () => {
    const whole = plain(await parseCsv(text));
    for (let cut = 0; cut <= text.length; cut++) {
      expect(plain(await parseCsv([text.slice(0, cut), text.slice(cut)]))).toEqual(whole);
    }
    async function* chars(): AsyncGenerator<string> { for (const ch of text) { await Promise.resolve(); yield ch; } }
    expect(plain(await parseCsv(chars()))).toEqual(whole);
    expect(whole).toMatchObject({ y: [1, 2, 0, 1], classes: ["c\"at", "cat", "dog"] });
  });

  it("decodes UTF-8 bytes split inside a multi-byte character", async () => {
    const bytes = new TextEncoder().encode("a,label\n1,café\n2,naïve\n");
    const whole = plain(await parseCsv([bytes]));
    expect(whole).toMatchObject({ classes: ["café", "naïve"] });
    for (let cut = 0; cut <= bytes.length; cut++) {
      expect(plain(await parseCsv([bytes.subarray(0, cut), bytes.subarray(cut)]))).toEqual(whole);
    }
    await expect(parseCsv([new Uint8Array([0x61, 0xff, 0x0a])])).rejects.toThrow(/not valid UTF-8/);
  });

  it("streams a file from fs.createReadStream in small chunks", async () => {
    const dir = mkdtempSync(join(tmpdir(), "hone-csv-"));
    try {
      const m = 20_000;
      const g = rng(0);
      const values = g.randnArray(2 * m);
      const lines = ["u,v,y"];
      for (let i = 0; i < m; i++) lines.push(`${values[2 * i]},${values[2 * i + 1]},${i % 3}`);
      const path = join(dir, "data.csv");
      writeFileSync(path, lines.join("\n") + "\n");
      const d = await parseCsv(createReadStream(path, { highWaterMark: 1000 }), { label: "y" });
      expect(d.x.shape).toEqual([m, 2]);
      expect(Array.from(d.x.data)).toEqual(Array.from(values)); // shortest round-trip strings parse back exactly
      expect(d.y.data[m - 1]).toBe((m - 1) % 3);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("toCsv", () => {
  it("writes features then the label, and parseCsv reads back the same float64 values", async () => {
    const x = tensor([[0.1 + 0.2, -1e-300], [123456789.125, 5e-324]]);
    const y = tensor([1, 0]);
    const text = toCsv(x, y, { featureNames: ["a,b", 'q"'], labelName: "class", classes: ["no", "yes"] });
    expect(text).toBe('"a,b","q""",class\n0.30000000000000004,-1e-300,yes\n123456789.125,5e-324,no\n');
    const back = await parseCsv(text, { label: "class" });
    expect(Array.from(back.x.data)).toEqual(Array.from(x.data));
    expect(back.featureNames).toEqual(["a,b", 'q"']);
    expect(back.classes).toEqual(["no", "yes"]);
    expect(back.y.toArray()).toEqual([1, 0]);
    expect(toCsv(tensor([[1], [2]]), tensor([[0.5], [1]]))).toBe("x0,y\n1,0.5\n2,1\n");
  });

  it("rejects non-finite values and mismatched rows", () => {
    expect(() => toCsv(tensor([[NaN]]), tensor([0]))).toThrow(/x has NaN at row 0, feature 0/);
    expect(() => toCsv(tensor([[1], [2]]), tensor([0]))).toThrow(/x has 2 rows .* but y has 1/);
    expect(() => toCsv(tensor([[1]]), tensor([2]), { classes: ["a", "b"] })).toThrow(/y\[0\] = 2 is not a class id in \[0, 1\]/);
  });
});
