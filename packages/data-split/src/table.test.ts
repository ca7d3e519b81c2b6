import { describe, expect, it } from "vitest";
import { ArgumentError } from "@hone/tensor";
import { TableError, cellText, detectDelimiter, readTable } from "./table.js";

function* chunks(text: string, size: number): Generator<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function tableError(text: string, options = {}): Promise<TableError> {
  try {
    await readTable(text, options);
  } catch (error) {
    if (error instanceof TableError) return error;
    throw error;
  }
  throw new Error("expected a TableError");
}

describe("readTable", () => {
  it("reads numbers, text and missing cells column by column", async () => {
    const t = await readTable("id,city,temp,y\nP01,north,3.5,a\nP02,,NA,b\nP03,south, 7 ,a\n");
    expect(t.rows).toBe(3);
    expect(t.delimiter).toBe(",");
    const [id, city, temp, y] = t.columns;
    expect(id!.name).toBe("id");
    expect(id!.levels).toEqual(["P01", "P02", "P03"]);
    expect(city!.missing).toBe(1);
    expect(Array.from(city!.codes!)).toEqual([0, -1, 1]);
    expect(Array.from(temp!.values)).toEqual([3.5, NaN, 7]);
    expect(temp!.codes).toBeNull();
    expect(y!.text).toBe(3);
    expect(Array.from(t.lines)).toEqual([2, 3, 4]);
  });

  it("detects a semicolon, a tab or a pipe from the first line, outside quotes", async () => {
    expect(detectDelimiter('a;b;"c,d";e')).toBe(";");
    expect(detectDelimiter("a\tb\tc")).toBe("\t");
    expect(detectDelimiter("a|b|c")).toBe("|");
    expect(detectDelimiter("a,b;c")).toBe(",");
    expect(detectDelimiter("single")).toBe(",");
    const t = await readTable("x;label\n1;a\n2;b\n");
    expect(t.delimiter).toBe(";");
    expect(t.columns.map((c) => c.name)).toEqual(["x", "label"]);
    const tab = await readTable("x\ty\n1\t2\n");
    expect(Array.from(tab.columns[1]!.values)).toEqual([2]);
  });

  it("detects the delimiter when the first line arrives in many small chunks", async () => {
    const t = await readTable(chunks("alpha;beta;gamma\n1;2;x\n3;4;y\n", 3));
    expect(t.delimiter).toBe(";");
    expect(Array.from(t.columns[1]!.values)).toEqual([2, 4]);
  });

  it("reads decimal commas when asked, with a semicolon delimiter", async () => {
    const t = await readTable("a;b\n3,5;x\n-0,25;y\n", { decimal: "," });
    expect(Array.from(t.columns[0]!.values)).toEqual([3.5, -0.25]);
    await expect(readTable("a,b\n1,2\n", { decimal: ",", delimiter: "," })).rejects.toThrow(ArgumentError);
  });

  it("reads the default and the configured missing markers", async () => {
    const t = await readTable("a,b\n,x\nNA,x\nNaN,x\nnull,x\n?,x\n1,x\n");
    expect(t.columns[0]!.missing).toBe(5);
    const custom = await readTable("a,b\n-,x\nNA,x\n", { naValues: ["-"] });
    expect(custom.columns[0]!.missing).toBe(1);
    expect(custom.columns[0]!.levels).toEqual(["NA"]);
    await expect(readTable("a,b\n1,2\n", { naValues: ["-999"] })).rejects.toThrow(/must not hold numbers/);
  });

  it("refuses cells beyond float64 and infinities, with the line and column", async () => {
    const e = await tableError("a,b\n1,2\n1e309,3\n");
    expect(e.code).toBe("non-finite");
    expect(e.line).toBe(3);
    expect(e.column).toBe("a");
    expect(e.message).toMatch(/line 3, column "a": "1e309"/);
    expect((await tableError("a,b\n1,-Infinity\n")).column).toBe("b");
    expect((await tableError("a,b\n1,inf\n")).code).toBe("non-finite");
  });

  it("refuses duplicate header names and a header of numbers", async () => {
    const dup = await tableError("a,b,a\n1,2,3\n");
    expect(dup.code).toBe("duplicate-header");
    expect(dup.message).toMatch(/"a" twice \(columns 1 and 3\)/);
    const numeric = await tableError("1,2,3\n4,5,6\n");
    expect(numeric.code).toBe("numeric-header");
    expect(numeric.message).toMatch(/header: false/);
    const t = await readTable("1,2,3\n4,5,6\n", { header: false });
    expect(t.rows).toBe(2);
    expect(t.columns.map((c) => c.name)).toEqual(["column1", "column2", "column3"]);
  });

  it("refuses ragged rows and a single column", async () => {
    const e = await tableError("a,b\n1,2\n3\n");
    expect(e.code).toBe("field-count");
    expect(e.line).toBe(3);
    expect((await tableError("abc\n1\n")).code).toBe("one-column");
    expect((await tableError("a,b\n")).code).toBe("no-rows");
  });

  it("names empty header cells and keeps raw text on request", async () => {
    const t = await readTable(",x,y\n007,1.50,a\n008,2,b\n", { keepText: (name) => name === "column1" });
    expect(t.columns[0]!.name).toBe("column1");
    expect(cellText(t.columns[0]!, 0)).toBe("007");
    expect(cellText(t.columns[1]!, 0)).toBe("1.5");
    expect(cellText(t.columns[2]!, 1)).toBe("b");
  });

  it("validates its options", async () => {
    await expect(readTable("a,b\n1,2\n", { delimiter: '"' })).rejects.toThrow(/delimiter must be/);
    await expect(readTable("a,b\n1,2\n", { header: "yes" as unknown as boolean })).rejects.toThrow(/header must be true or false/);
  });
});
