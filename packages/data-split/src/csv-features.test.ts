import { describe, expect, it } from "vitest";
import { CsvError, parseCsvFeatures } from "./index.js";

describe("parseCsvFeatures: files without a label column", () => {
  it("reads every column as a feature, with header names or x0, x1, …", async () => {
    const a = await parseCsvFeatures("a,b\n1,2\n3,4\n");
    expect(a.x.toArray()).toEqual([[1, 2], [3, 4]]);
    expect(a.featureNames).toEqual(["a", "b"]);
    const b = await parseCsvFeatures("1.5,2,-3\n4,5e-1,6\n", { header: false });
    expect(b.x.toArray()).toEqual([[1.5, 2, -3], [4, 0.5, 6]]);
    expect(b.featureNames).toEqual(["x0", "x1", "x2"]);
    const c = await parseCsvFeatures("only\n7\n8\n");
    expect(c.x.shape).toEqual([2, 1]);
  });

  it("streams chunks split anywhere", async () => {
    const chunks = ["a,b\n1,", "2\n3", ",4\n"];
    expect((await parseCsvFeatures(chunks)).x.toArray()).toEqual([[1, 2], [3, 4]]);
  });

  it("names the line and column of a bad cell, and rejects a file with no rows", async () => {
    await expect(parseCsvFeatures("a,b\n1,2\n3,x\n")).rejects.toThrow('parseCsvFeatures: line 3, column "b": expected a number, got "x"');
    await expect(parseCsvFeatures("a,b\n")).rejects.toThrow(CsvError);
  });
});
