// Property-based fuzzing of the CSV readers (parseCsvText, parseCsv) with fast-check.
// Every property runs with a fixed seed, so a CI failure reproduces exactly; on failure
// fast-check prints the shrunk counterexample, which becomes a unit test in csv.test.ts.
// The properties: any input either parses into consistent shapes (x is m × features, y has
// m entries, all finite; class ids index `classes`) or throws a CsvError (an ArgumentError
// for bytes that are not UTF-8) with a message; never a RangeError, TypeError or the like.
// Tables written by toCsv, or by the quoting writer below, read back to the same values.
import { ArgumentError, HoneError, tensor } from "@hone/tensor";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CsvError, parseCsv, parseCsvText, toCsv, type CsvData, type CsvOptions } from "./index.js";

const SEED = 20261202;
const RUNS = 2000;
const params = (numRuns = RUNS): fc.Parameters<unknown> => ({ seed: SEED, numRuns });

// ---------------------------------------------------------------------------------------
// Helpers

/** Checks the invariants of a parse result: shapes agree, values are finite, ids index classes. */
function checkData(d: CsvData): void {
  const [m, f] = d.x.shape as [number, number];
  expect(d.x.shape.length).toBe(2);
  expect(m).toBeGreaterThan(0);
  expect(d.x.size).toBe(m * f);
  expect(d.featureNames.length).toBe(f);
  expect(d.y.shape).toEqual([m]);
  for (const v of d.x.data) expect(Number.isFinite(v)).toBe(true);
  for (const v of d.y.data) expect(Number.isFinite(v)).toBe(true);
  if (d.classes !== undefined) {
    expect(new Set(d.classes).size).toBe(d.classes.length);
    for (const v of d.y.data) expect(Number.isInteger(v) && v >= 0 && v < d.classes.length).toBe(true);
  }
}

/** A failure must be a typed Hone error with a message: a CsvError, or an ArgumentError for options that do not fit the file (`anyHone`: any HoneError). */
function checkError(e: unknown, anyHone: boolean): void {
  if (anyHone) expect(e).toBeInstanceOf(HoneError);
  else if (!(e instanceof ArgumentError)) expect(e).toBeInstanceOf(CsvError);
  expect((e as Error).message.length).toBeGreaterThan(0);
}

/** Runs `parse`: a valid result, checked, or null after a typed error. */
function typedOrValid(parse: () => CsvData, anyHone = false): CsvData | null {
  let d: CsvData;
  try {
    d = parse();
  } catch (e) {
    checkError(e, anyHone);
    return null;
  }
  checkData(d);
  return d;
}

async function typedOrValidAsync(parse: () => Promise<CsvData>, anyHone = false): Promise<CsvData | null> {
  let d: CsvData;
  try {
    d = await parse();
  } catch (e) {
    checkError(e, anyHone);
    return null;
  }
  checkData(d);
  return d;
}

function plain(d: CsvData | null): unknown {
  return d === null ? null : { x: Array.from(d.x.data), shape: d.x.shape, y: Array.from(d.y.data), featureNames: d.featureNames, labelName: d.labelName, classes: d.classes };
}

/** `text` cut at the given (sorted, deduplicated) positions. */
function cut(text: string, at: readonly number[]): string[] {
  const points = [...new Set(at.map((p) => p % (text.length + 1)))].sort((a, b) => a - b);
  const out: string[] = [];
  let last = 0;
  for (const p of points) {
    out.push(text.slice(last, p));
    last = p;
  }
  out.push(text.slice(last));
  return out;
}

/** Quotes a field per RFC 4180 when it holds the delimiter, a quote, a line break or edge spaces (or always). */
function field(text: string, delimiter: string, always: boolean): string {
  return always || /["\r\n]|^\s|\s$/.test(text) || text.includes(delimiter) ? `"${text.replaceAll('"', '""')}"` : text;
}

// ---------------------------------------------------------------------------------------
// Generators

/** Characters that matter to a CSV reader, plus a few ordinary ones. */
const csvChar = fc.constantFrom(",", ";", "\t", '"', "\n", "\r", " ", "1", "2", ".", "e", "-", "+", "a", "\uFEFF", "N", "\u00a0");
const csvish = fc.string({ unit: csvChar, maxLength: 60 });
const anyText = fc.oneof(csvish, fc.string({ maxLength: 60 }), fc.string({ unit: "binary", maxLength: 40 }));

const options: fc.Arbitrary<CsvOptions> = fc.record(
  {
    label: fc.oneof(fc.integer({ min: -4, max: 4 }), fc.constantFrom("a", "y", "", "label")),
    header: fc.boolean(),
    delimiter: fc.constantFrom(",", ";", "\t", "|", " "),
    labelType: fc.constantFrom("auto", "number", "class"),
  },
  { requiredKeys: [] },
);

/** A finite float64, including subnormals, ±0 and the extremes. */
const finite = fc.double({ noNaN: true, noDefaultInfinity: true });

/** A finite number written in one of the forms the reader accepts. */
const numberText = fc.tuple(finite, fc.constantFrom("plain", "exp", "spaces", "plus")).map(([v, form]) => {
  const text = form === "exp" ? v.toExponential() : String(v);
  const written = form === "spaces" ? ` ${text}\t` : form === "plus" && v >= 0 && !Object.is(v, -0) ? `+${text}` : text;
  return { value: Number(text), text: written };
});

/** Line ends and what may sit between records. */
const eol = fc.constantFrom("\n", "\r\n", "\r");
const filler = fc.constantFrom("", "", "", "\n", "\r\n", "   \n", "\t\n", " \t \r\n");

// ---------------------------------------------------------------------------------------
// Properties

describe("parseCsvText on arbitrary text", () => {
  it("parses into consistent shapes or throws a CsvError", () => {
    fc.assert(fc.property(anyText, options, (text, o) => { typedOrValid(() => parseCsvText(text, o)); }), params());
  });

  it("parses text of numbers and delimiters (ragged rows, blanks, quotes) consistently or throws a CsvError", () => {
    const cell = fc.oneof(fc.constant(""), fc.constant(" "), fc.constant('"'), fc.constant('"1"'), numberText.map((n) => n.text), fc.constantFrom("a", "NaN", "Infinity", "1e999", "-1e400", "1,5"));
    // Rows of one width, one of them sometimes ragged (a cell dropped or added).
    const grid = fc.integer({ min: 1, max: 4 }).chain((w) => fc.array(fc.array(cell, { minLength: w, maxLength: w }), { minLength: 1, maxLength: 6 }));
    const ragged = fc.tuple(grid, fc.nat(), fc.constantFrom("none", "none", "drop", "add")).map(([rows, i, how]) =>
      rows.map((row, j) => (j !== i % rows.length || how === "none" ? row : how === "drop" ? row.slice(1) : [...row, "1"])));
    const text = fc.tuple(ragged, eol).map(([rows, e]) => rows.map((r) => r.join(",")).join(e));
    fc.assert(fc.property(text, options, (t, o) => { typedOrValid(() => parseCsvText(t, { ...o, delimiter: "," })); }), params());
  });
});

describe("parseCsv on arbitrary bytes and chunkings", () => {
  it("bytes in any chunks parse like the decoded text, or throw a Hone error (ArgumentError for bad UTF-8)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 80 }), fc.array(fc.nat(), { maxLength: 4 }), async (bytes, at) => {
        const points = [...new Set(at.map((p) => p % (bytes.length + 1)))].sort((a, b) => a - b);
        const chunks: Uint8Array[] = [];
        let last = 0;
        for (const p of points) { chunks.push(bytes.subarray(last, p)); last = p; }
        chunks.push(bytes.subarray(last));
        const streamed = await typedOrValidAsync(() => parseCsv(chunks), true);
        let text: string | null = null;
        try { text = new TextDecoder("utf-8", { fatal: true }).decode(bytes); } catch { /* not UTF-8 */ }
        if (text !== null) expect(plain(streamed)).toEqual(plain(typedOrValid(() => parseCsvText(text))));
      }),
      params(),
    );
  });

  it("text in any chunks parses like the whole text (same result or a CsvError either way)", async () => {
    await fc.assert(
      fc.asyncProperty(csvish, fc.array(fc.nat(), { maxLength: 5 }), options, async (text, at, o) => {
        const whole = typedOrValid(() => parseCsvText(text, o));
        const streamed = await typedOrValidAsync(() => parseCsv(cut(text, at), o));
        expect(plain(streamed)).toEqual(plain(whole));
      }),
      params(),
    );
  });
});

describe("round trips", () => {
  it("a table of finite numbers written by toCsv reads back to the same numbers", () => {
    const table = fc.integer({ min: 1, max: 5 }).chain((f) => fc.array(fc.array(finite, { minLength: f + 1, maxLength: f + 1 }), { minLength: 1, maxLength: 8 }));
    fc.assert(
      fc.property(table, fc.constantFrom(",", ";", "\t"), (rows, delimiter) => {
        const f = rows[0]!.length - 1;
        const x = tensor(rows.map((r) => r.slice(0, f)));
        const y = tensor(rows.map((r) => r[f]!));
        const d = parseCsvText(toCsv(x, y, { delimiter }), { delimiter, labelType: "number" });
        checkData(d);
        // toCsv writes String(v), and String(-0) is "0": −0 reads back as +0.
        expect(Array.from(d.x.data)).toEqual(Array.from(x.data, (v) => v + 0));
        expect(Array.from(d.y.data)).toEqual(Array.from(y.data, (v) => v + 0));
      }),
      params(),
    );
  });

  it("quoted names, class labels and numbers in every form read back, across blank and whitespace-only lines, CRLF, a BOM and any chunking", async () => {
    const name = fc.string({ maxLength: 12 });
    const shape = fc.record({ f: fc.integer({ min: 1, max: 4 }), m: fc.integer({ min: 1, max: 6 }) });
    const file = shape.chain(({ f, m }) => fc.record({
      names: fc.uniqueArray(name, { minLength: f + 1, maxLength: f + 1, selector: (s) => s.trim() }),
      cells: fc.array(fc.array(numberText, { minLength: f, maxLength: f }), { minLength: m, maxLength: m }),
      labels: fc.array(name.filter((s) => s.trim() !== "" && Number.isNaN(Number(s.trim()))).map((s) => `c${s}`), { minLength: m, maxLength: m }),
      fillers: fc.array(filler, { minLength: m + 2, maxLength: m + 2 }),
      delimiter: fc.constantFrom(",", ";", "|"),
      eol,
      bom: fc.boolean(),
      alwaysQuote: fc.boolean(),
      labelAt: fc.integer({ min: 0, max: f }),
      at: fc.array(fc.nat(), { maxLength: 4 }),
    }));
    await fc.assert(
      fc.asyncProperty(file, async ({ names, cells, labels, fillers, delimiter, eol: e, bom, alwaysQuote, labelAt, at }) => {
        const q = (s: string): string => field(s, delimiter, alwaysQuote);
        const lines = [names.map(q).join(delimiter)];
        cells.forEach((row, i) => {
          const fields = row.map((c) => (alwaysQuote ? q(c.text) : c.text));
          fields.splice(labelAt, 0, q(labels[i]!));
          lines.push(fields.join(delimiter));
        });
        // Blank and whitespace-only lines go before, between and after the records.
        const text = (bom ? "\uFEFF" : "") + lines.map((l, i) => fillers[i]!.replaceAll("\n", e) + l).join(e) + (e + fillers[lines.length]!).replaceAll("\n", e).replace(/^(\r\n|\r|\n)$/, "");
        const o: CsvOptions = { delimiter, label: labelAt, labelType: "class" };
        const d = parseCsvText(text, o);
        checkData(d);
        const trimmed = names.map((s) => s.trim());
        expect(d.labelName).toBe(trimmed[labelAt]);
        expect(d.featureNames).toEqual(trimmed.filter((_, i) => i !== labelAt));
        expect(Array.from(d.x.data)).toEqual(cells.flat().map((c) => c.value));
        expect(Array.from(d.y.data, (id) => d.classes![id])).toEqual(labels.map((s) => s.trim()));
        const bytes = new TextEncoder().encode(text);
        const byteChunks = cut(text, at).map((s) => new TextEncoder().encode(s));
        expect(plain(await parseCsv(byteChunks, o))).toEqual(plain(d));
        expect(plain(await parseCsv([bytes.subarray(0, 1), bytes.subarray(1)], o))).toEqual(plain(d));
      }),
      params(),
    );
  });
});

// ---------------------------------------------------------------------------------------
// The inputs fuzzing found (shrunk), and the whitespace-only lines, as plain tests.

describe("found by fuzzing", () => {
  function errorOf(text: string, o: CsvOptions = {}): CsvError {
    try {
      parseCsvText(text, o);
    } catch (e) {
      if (e instanceof CsvError) return e;
      throw e;
    }
    throw new Error("expected a CsvError");
  }

  it("a feature beyond float64's range (\"-1e400,1\") is an error naming the cell, not -Infinity in x", () => {
    const e = errorOf("-1e400,1", { header: false });
    expect(e.message).toBe("parseCsvText: line 1, column 0: \"-1e400\" is beyond float64's range (not a finite number)");
    expect([e.line, e.column]).toEqual([1, 0]);
  });

  it("a numeric label beyond float64's range is an error naming the cell", () => {
    expect(errorOf("a,y\n1,1e999\n").message).toBe("parseCsvText: line 2, column \"y\": label \"1e999\" is beyond float64's range (not a finite number)");
  });

  it("skips lines of only spaces and tabs like empty lines, anywhere, also before a quoted field", async () => {
    const text = '  \na,y\n1,0\n   \n\t\n2,1\r\n \t\r\n"3","0"\n \t';
    expect(parseCsvText(text).x.toArray()).toEqual([[1], [2], [3]]);
    expect((await parseCsv([...text])).x.toArray()).toEqual([[1], [2], [3]]);
    expect(parseCsvText('a,y\n\t\n"1","0"\n').x.toArray()).toEqual([[1]]);
  });

  it("still reads a line of delimiters as a record (\" , \" is two empty cells, an error in parseCsv)", () => {
    expect(errorOf("a,y\n1,0\n , \n").message).toBe('parseCsvText: line 3, column "a": expected a number, got " "');
  });
});
