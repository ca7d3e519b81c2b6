// Property-based fuzzing of readTable with fast-check (fixed seed: a CI failure reproduces
// exactly). Any input either reads into a consistent table (every column `rows` long,
// missing + text + numbers = rows, no infinities, codes index the levels, one line number
// per row) or throws a TableError/CsvError (an ArgumentError for bad UTF-8 or options that
// do not fit the file) with a message. A table written with random quoting, dialect, NA
// markers, blanks, decimal commas, CRLF, a BOM and blank or whitespace-only lines reads back
// cell for cell, from any chunking of its bytes.
import { ArgumentError, HoneError } from "@hone/tensor";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CsvError } from "./csv.js";
import { DEFAULT_NA_VALUES, TableError, readTable, type ReadTableOptions, type Table } from "./table.js";

const SEED = 20261202;
const RUNS = 2000;
const params = (numRuns = RUNS): fc.Parameters<unknown> => ({ seed: SEED, numRuns });

// ---------------------------------------------------------------------------------------
// Helpers

/** Checks a table's invariants. */
function checkTable(t: Table): void {
  expect(t.rows).toBeGreaterThan(0);
  expect(t.columns.length).toBeGreaterThanOrEqual(2);
  expect(t.lines.length).toBe(t.rows);
  for (let i = 1; i < t.rows; i++) expect(t.lines[i]!).toBeGreaterThan(t.lines[i - 1]!);
  expect(new Set(t.columns.map((c) => c.name)).size).toBe(t.columns.length);
  for (const c of t.columns) {
    expect(c.values.length).toBe(t.rows);
    if (c.raw !== null) expect(c.raw.length).toBe(t.rows);
    expect(new Set(c.levels).size).toBe(c.levels.length);
    let numbers = 0;
    for (const v of c.values) {
      expect(v === Infinity || v === -Infinity).toBe(false);
      if (!Number.isNaN(v)) numbers++;
    }
    if (c.codes === null) {
      expect(c.text).toBe(0);
    } else {
      expect(c.codes.length).toBe(t.rows);
      let coded = 0;
      c.codes.forEach((code, i) => {
        expect(code >= -1 && code < c.levels.length).toBe(true);
        if (code >= 0) {
          coded++;
          expect(c.values[i]).toBeNaN();
        }
      });
      expect(coded).toBe(c.text);
    }
    expect(c.missing + c.text + numbers).toBe(t.rows);
  }
}

function checkError(e: unknown, anyHone: boolean): void {
  if (anyHone) expect(e).toBeInstanceOf(HoneError);
  else if (!(e instanceof ArgumentError)) expect(e).toBeInstanceOf(CsvError);
  expect((e as Error).message.length).toBeGreaterThan(0);
}

/** Reads `source`: a checked table, or null after a typed error. */
async function typedOrValid(source: Parameters<typeof readTable>[0], options: ReadTableOptions = {}, anyHone = false): Promise<Table | null> {
  let t: Table;
  try {
    t = await readTable(source, options);
  } catch (e) {
    checkError(e, anyHone);
    return null;
  }
  checkTable(t);
  return t;
}

function plain(t: Table | null): unknown {
  if (t === null) return null;
  return {
    rows: t.rows, delimiter: t.delimiter, header: t.header, lines: Array.from(t.lines),
    columns: t.columns.map((c) => ({ ...c, values: Array.from(c.values), codes: c.codes === null ? null : Array.from(c.codes) })),
  };
}

function cutBytes(bytes: Uint8Array, at: readonly number[]): Uint8Array[] {
  const points = [...new Set(at.map((p) => p % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let last = 0;
  for (const p of points) {
    out.push(bytes.subarray(last, p));
    last = p;
  }
  out.push(bytes.subarray(last));
  return out;
}

// ---------------------------------------------------------------------------------------
// Generators

const tableChar = fc.constantFrom(",", ";", "\t", "|", '"', "\n", "\r", " ", "1", ".", "e", "-", "a", "N", "A", "\uFEFF", "i", "n", "f");
const tableish = fc.string({ unit: tableChar, maxLength: 60 });
const anyText = fc.oneof(tableish, fc.string({ maxLength: 60 }), fc.string({ unit: "binary", maxLength: 40 }));

const options: fc.Arbitrary<ReadTableOptions> = fc.record(
  {
    header: fc.boolean(),
    delimiter: fc.constantFrom("auto", ",", ";", "\t", "|"),
    naValues: fc.constantFrom(DEFAULT_NA_VALUES, [], ["-", "missing"]),
    decimal: fc.constantFrom(".", ","),
    keepText: fc.constantFrom((_name: string, i: number) => i === 0, () => true),
  },
  { requiredKeys: [] },
).filter((o) => !(o.decimal === "," && o.delimiter === ","));

/** One cell: what to write and what it must read back as. */
type Cell =
  | { kind: "number"; text: string; value: number }
  | { kind: "missing"; text: string }
  | { kind: "text"; text: string; level: string };

const finite = fc.double({ noNaN: true, noDefaultInfinity: true });
const spaces = fc.constantFrom("", "", " ", "\t", "  ");

function cellOf(comma: boolean): fc.Arbitrary<Cell> {
  return fc.oneof(
    fc.tuple(finite, spaces, spaces, fc.boolean()).map(([v, a, b, exp]): Cell => {
      const s = exp ? v.toExponential() : String(v);
      return { kind: "number", text: a + (comma ? s.replace(".", ",") : s) + b, value: Number(s) };
    }),
    fc.tuple(fc.constantFrom(...DEFAULT_NA_VALUES), spaces, spaces).map(([na, a, b]): Cell => ({ kind: "missing", text: a + na + b })),
    // Text that cannot read as a number, NA or inf: it starts with "t" after any spaces.
    fc.tuple(spaces, fc.string({ maxLength: 10 }), fc.string({ unit: tableChar, maxLength: 6 })).map(([a, s, t]): Cell => {
      const text = `${a}t${s}${t}`;
      return { kind: "text", text, level: text.trim() };
    }),
  );
}

/** Quotes a field when it needs it (any candidate delimiter, a quote, a line break, edge spaces), or always. */
function field(text: string, always: boolean): string {
  return always || /[",;\t|\r\n]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

const filler = fc.constantFrom("", "", "", "\n", "  \n", "\t\n", " \t \n");

/** A generated file: column names, cells, and how it is written. */
interface GeneratedFile {
  names: string[];
  cells: Cell[][];
  fillers: string[];
  delimiter: string;
  auto: boolean;
  comma: boolean;
  eol: string;
  bom: boolean;
  alwaysQuote: boolean;
  at: number[];
}

const file: fc.Arbitrary<GeneratedFile> = fc.record({ f: fc.integer({ min: 2, max: 5 }), m: fc.integer({ min: 1, max: 6 }), comma: fc.boolean() }).chain(({ f, m, comma }) => fc.record({
  names: fc.uniqueArray(fc.string({ maxLength: 8 }).map((s) => `c${s}`), { minLength: f, maxLength: f, selector: (s) => s.trim() }),
  cells: fc.array(fc.array(cellOf(comma), { minLength: f, maxLength: f }), { minLength: m, maxLength: m }),
  fillers: fc.array(filler, { minLength: m + 2, maxLength: m + 2 }),
  delimiter: comma ? fc.constantFrom(";", "\t", "|") : fc.constantFrom(",", ";", "\t", "|"),
  auto: fc.boolean(),
  comma: fc.constant(comma),
  eol: fc.constantFrom("\n", "\r\n", "\r"),
  bom: fc.boolean(),
  alwaysQuote: fc.boolean(),
  at: fc.array(fc.nat(), { maxLength: 4 }),
}));

/** The text of a generated file, and the physical line of each data row. */
function write(g: GeneratedFile): { text: string; lines: number[] } {
  const records = [g.names.map((n) => field(n, g.alwaysQuote)), ...g.cells.map((row) => row.map((c) => field(c.text, g.alwaysQuote)))];
  // A whitespace-only filler line must not hold the delimiter (a tab line in a tab file is a record).
  const fill = (s: string): string => (g.delimiter === "\t" ? s.replaceAll("\t", " ") : s).replaceAll("\n", g.eol);
  let text = g.bom ? "\uFEFF" : "";
  let line = 1;
  const lines: number[] = [];
  records.forEach((r, i) => {
    const before = fill(g.fillers[i]!);
    text += before;
    line += before.split(g.eol).length - 1;
    if (i > 0) lines.push(line);
    const record = r.join(g.delimiter);
    text += record + g.eol;
    line += (record.match(/\r\n|\r|\n/g) ?? []).length + 1;
  });
  text += fill(g.fillers[records.length]!);
  return { text, lines };
}

// ---------------------------------------------------------------------------------------
// Properties

describe("readTable on arbitrary input", () => {
  it("reads arbitrary text into a consistent table or throws a typed error", async () => {
    await fc.assert(fc.asyncProperty(anyText, options, async (text, o) => { await typedOrValid(text, o); }), params());
  });

  it("reads arbitrary bytes in any chunks like the decoded text, or throws a Hone error", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 80 }), fc.array(fc.nat(), { maxLength: 4 }), async (bytes, at) => {
        const streamed = await typedOrValid(cutBytes(bytes, at), {}, true);
        let text: string | null = null;
        try { text = new TextDecoder("utf-8", { fatal: true }).decode(bytes); } catch { /* not UTF-8 */ }
        if (text !== null) expect(plain(streamed)).toEqual(plain(await typedOrValid(text)));
      }),
      params(),
    );
  });
});

describe("readTable on generated tables", () => {
  it("reads every cell back (numbers, NA markers, blanks, quoted text, decimal commas), from any chunking", async () => {
    await fc.assert(
      fc.asyncProperty(file, async (g) => {
        const { text, lines } = write(g);
        const o: ReadTableOptions = { delimiter: g.auto ? "auto" : g.delimiter, decimal: g.comma ? "," : ".", keepText: () => true };
        const t = await readTable(text, o);
        checkTable(t);
        expect(t.delimiter).toBe(g.delimiter);
        expect(t.rows).toBe(g.cells.length);
        expect(Array.from(t.lines)).toEqual(lines);
        expect(t.columns.map((c) => c.name)).toEqual(g.names.map((n) => n.trim()));
        t.columns.forEach((c, j) => {
          g.cells.forEach((row, i) => {
            const cell = row[j]!;
            expect(c.raw![i]).toBe(cell.text);
            if (cell.kind === "number") expect(c.values[i]).toBe(cell.value);
            else expect(c.values[i]).toBeNaN();
            expect(c.codes?.[i] ?? -1).toBe(cell.kind === "text" ? c.levels.indexOf(cell.level) : -1);
          });
          expect(c.missing).toBe(g.cells.filter((row) => row[j]!.kind === "missing").length);
        });
        expect(plain(await readTable(cutBytes(new TextEncoder().encode(text), g.at), o))).toEqual(plain(t));
      }),
      params(1000),
    );
  });

  it("refuses a ragged row with a field-count TableError naming its line", async () => {
    await fc.assert(
      fc.asyncProperty(file, fc.nat(), fc.boolean(), async (g, pick, drop) => {
        const i = pick % g.cells.length;
        const row = g.cells[i]!;
        // Dropping merges the first two cells into one number, so a 2-field row never becomes a blank line.
        const one: Cell = { kind: "number", text: "1", value: 1 };
        const cells = g.cells.map((r, k) => (k !== i ? r : drop ? [one, ...r.slice(2)] : [...r, one]));
        const { text, lines } = write({ ...g, cells });
        const o: ReadTableOptions = { delimiter: g.delimiter, decimal: g.comma ? "," : "." };
        const error = await readTable(text, o).then(() => null, (e: unknown) => e);
        expect(error).toBeInstanceOf(TableError);
        expect((error as TableError).code).toBe("field-count");
        expect((error as TableError).line).toBe(lines[i]);
        expect((error as TableError).message).toContain(`line ${lines[i]} has ${drop ? row.length - 1 : row.length + 1} fields, expected ${row.length}`);
      }),
      params(1000),
    );
  });
});

// ---------------------------------------------------------------------------------------
// The inputs fuzzing found (shrunk), and the whitespace-only lines, as plain tests.

describe("found by fuzzing", () => {
  it("counts a lone CR inside a quoted field as a line break, so later line numbers are right", async () => {
    const error = await readTable('c,d\nt,"t\r"\nt,t,t\n').then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(TableError);
    expect((error as TableError).message).toBe("readTable: line 4 has 3 fields, expected 2 (as in the header)");
    expect(Array.from((await readTable('c,d\nt,"t\r"\nt,t\n')).lines)).toEqual([2, 4]);
    expect(Array.from((await readTable('c,d\nt,"t\r\n"\nt,t\n')).lines)).toEqual([2, 4]);
  });

  it("skips lines of only spaces and tabs like empty lines, also before the header (delimiter detection)", async () => {
    const t = await readTable("  \t\na;b\n1;2\n   \n\t\n3;4\r\n \t");
    expect([t.delimiter, t.rows, Array.from(t.lines)]).toEqual([";", 2, [3, 6]]);
    expect(Array.from(t.columns[0]!.values)).toEqual([1, 3]);
    expect(plain(await readTable([..."  \t\na;b\n1;2\n   \n\t\n3;4\r\n \t"]))).toEqual(plain(t));
  });

  it("still reads a line of delimiters as a row of missing cells (a tab line in a tab-separated file)", async () => {
    const t = await readTable("a\tb\n1\t2\n\t\n", { delimiter: "\t" });
    expect([t.rows, t.columns[0]!.missing]).toEqual([2, 1]);
  });
});
