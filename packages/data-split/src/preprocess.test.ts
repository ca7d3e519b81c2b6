import { describe, expect, it } from "vitest";
import { ArgumentError } from "@hone/tensor";
import { readTable } from "./table.js";
import { TableMismatchError, TablePreprocessor, classNames, inferTask, labeledRows } from "./preprocess.js";

const rolesOf = (pre: TablePreprocessor): Record<string, string> => Object.fromEntries(pre.columns.map((c) => [c.name, c.role]));

/** n rows: a text ID, an integer ID, a constant, an empty column, a category, a number, the label. */
function roleTable(n: number): string {
  const lines = ["pid,row,const,empty,color,size,y"];
  for (let i = 0; i < n; i++) lines.push(`P${String(i).padStart(4, "0")},${i + 1},7,,${["red", "green", "blue"][i % 3]},${(i * 0.37) % 5},${i % 2 === 0 ? "yes" : "no"}`);
  return lines.join("\n") + "\n";
}

describe("TablePreprocessor roles", () => {
  it("infers identifier, constant, empty, categorical and numeric columns, with reasons", async () => {
    const t = await readTable(roleTable(30));
    const pre = new TablePreprocessor().fit(t);
    expect(rolesOf(pre)).toEqual({ pid: "ignored", row: "ignored", const: "ignored", empty: "ignored", color: "categorical", size: "numeric", y: "label" });
    const reason = (name: string): string => pre.columns.find((c) => c.name === name)!.reason;
    expect(reason("pid")).toMatch(/identifier/);
    expect(reason("row")).toMatch(/identifier/);
    expect(reason("const")).toMatch(/constant/);
    expect(reason("empty")).toMatch(/empty/);
    expect(reason("color")).toMatch(/text \(e\.g\. "red"\)/);
    expect(pre.featureNames).toEqual(["color=blue", "color=green", "color=red", "size"]);
    expect(pre.inputColumns).toEqual(["color", "size"]);
    expect(pre.target).toMatchObject({ task: "classification", classes: ["no", "yes"] });
  });

  it("takes overrides: keep, ignore, categorical, features", async () => {
    const t = await readTable(roleTable(30));
    const pre = new TablePreprocessor({ keep: ["row"], categorical: ["size"], ignore: ["color"], minCategoryCount: 1 }).fit(t);
    expect(rolesOf(pre)).toMatchObject({ row: "numeric", size: "categorical", color: "ignored" });
    const only = new TablePreprocessor({ features: ["size"] }).fit(t);
    expect(only.inputColumns).toEqual(["size"]);
    expect(() => new TablePreprocessor({ ignore: ["nope"] }).fit(t)).toThrow(/ignore names "nope", which is not a column/);
    expect(() => new TablePreprocessor({ categorical: ["y"] }).fit(t)).toThrow(/which is the label/);
  });

  it("keeps a distinct integer column that is not ID-like (spread out, not named like an ID)", async () => {
    const lines = ["income,y"];
    for (let i = 0; i < 40; i++) lines.push(`${1000 + i * 997},${i % 2}`);
    const pre = new TablePreprocessor().fit(await readTable(lines.join("\n")));
    expect(rolesOf(pre).income).toBe("numeric");
  });

  it("reads a mostly numeric column with a few stray texts as numeric, and says so", async () => {
    const lines = ["v,y"];
    for (let i = 0; i < 300; i++) lines.push(`${i === 5 ? "12a" : i * 1.5},${i % 2}`);
    const pre = new TablePreprocessor().fit(await readTable(lines.join("\n")));
    const v = pre.columns[0]!;
    expect(v.role).toBe("numeric");
    expect(v.reason).toMatch(/1 text cell \(e\.g\. "12a"\) read as missing/);
  });
});

describe("TablePreprocessor encoding", () => {
  it("one-hot encodes categories and fills numbers with the training median (hand-computed)", async () => {
    const t = await readTable("city,temp,y\nnorth,3,a\nsouth,,b\nnorth,5,a\neast,10,b\n");
    const pre = new TablePreprocessor({ minCategoryCount: 1 }).fit(t);
    expect(pre.featureNames).toEqual(["city=east", "city=north", "city=south", "temp"]);
    const { x, imputed, unseen } = pre.transform(t);
    // median of 3, 5, 10 is 5
    expect(x.toArray()).toEqual([[0, 1, 0, 3], [0, 0, 1, 5], [0, 1, 0, 5], [1, 0, 0, 10]]);
    expect(imputed).toBe(1);
    expect(unseen).toBe(0);
    const mean = new TablePreprocessor({ minCategoryCount: 1, numericImpute: "mean", indicators: true }).fit(t);
    expect(mean.featureNames).toEqual(["city=east", "city=north", "city=south", "temp", "temp (missing)"]);
    expect((mean.transform(t).x.toArray() as number[][])[1]).toEqual([0, 0, 1, 6, 1]);
  });

  it("fits only on the rows it is given: fills and categories come from them alone", async () => {
    const t = await readTable("c,v,y\na,1,0\nb,2,1\na,,0\nz,1000,1\n");
    const pre = new TablePreprocessor({ minCategoryCount: 1 }).fit(t, [0, 1, 2]);
    const v = pre.columns.find((c) => c.name === "v")!;
    expect(v.fill).toBe(1.5); // median of 1 and 2; row 3's 1000 is not seen
    expect(pre.columns[0]!.categories).toEqual(["a", "b"]);
    const out = pre.transform(t, [3]);
    expect(out.x.toArray()).toEqual([[0, 0, 1000]]); // "z" unseen: all zeros
    expect(out.unseen).toBe(1);
  });

  it("with unseen: \"error\", names the line, column and category", async () => {
    const t = await readTable("c,y\na,0\nb,1\nq,1\n");
    const pre = new TablePreprocessor({ minCategoryCount: 1, unseen: "error" }).fit(t, [0, 1]);
    expect(() => pre.transform(t)).toThrow(TableMismatchError);
    expect(() => pre.transform(t)).toThrow(/line 4, column "c": the category "q" was not seen in training/);
  });

  it("groups rare categories and sends categories only seen later to (rare) as well", async () => {
    const rows = ["c,y"];
    for (let i = 0; i < 10; i++) rows.push(`common,${i % 2}`);
    for (let i = 0; i < 6; i++) rows.push(`usual,${i % 2}`);
    rows.push("odd,1", "odder,0");
    const t = await readTable(rows.join("\n"));
    const pre = new TablePreprocessor({ minCategoryCount: 5 }).fit(t);
    expect(pre.featureNames).toEqual(["c=common", "c=usual", "c=(rare)"]);
    const later = await readTable("c,y\nodd,1\nnever,0\nusual,1\n");
    expect(pre.transform(later).x.toArray()).toEqual([[0, 0, 1], [0, 0, 1], [0, 1, 0]]);
  });

  it("encodes missing categories as their own column, or as the most frequent", async () => {
    const t = await readTable("c,y\na,0\n,1\na,0\nb,1\n");
    const own = new TablePreprocessor({ minCategoryCount: 1 }).fit(t);
    expect(own.featureNames).toEqual(["c=a", "c=b", "c=(missing)"]);
    expect((own.transform(t).x.toArray() as number[][])[1]).toEqual([0, 0, 1]);
    const mode = new TablePreprocessor({ minCategoryCount: 1, categoricalImpute: "most-frequent" }).fit(t);
    expect(mode.featureNames).toEqual(["c=a", "c=b"]);
    const out = mode.transform(t);
    expect((out.x.toArray() as number[][])[1]).toEqual([1, 0]);
    expect(out.imputed).toBe(1);
  });

  it("finds columns by name in a reordered file without the label, and by position without a header", async () => {
    const t = await readTable("a,c,y\n1,x,0\n2,w,1\n3,x,0\n");
    const pre = new TablePreprocessor({ minCategoryCount: 1 }).fit(t);
    const reordered = await readTable("id,c,a\n9,w,5\n");
    expect(pre.transform(reordered).x.toArray()).toEqual([[5, 1, 0]]);
    await expect(readTable("c,b\nx,1\n").then((r) => pre.transform(r))).rejects.toThrow(/no column "a"/);
    const bare = await readTable("4,x\n", { header: false });
    expect(pre.transform(bare).x.toArray()).toEqual([[4, 0, 1]]);
  });

  it("round-trips through JSON", async () => {
    const t = await readTable(roleTable(40));
    const pre = new TablePreprocessor({ indicators: true }).fit(t);
    const back = TablePreprocessor.fromJSON(JSON.parse(JSON.stringify(pre)));
    expect(back.featureNames).toEqual(pre.featureNames);
    expect(back.transform(t).x.toArray()).toEqual(pre.transform(t).x.toArray());
    expect(back.labels(t).toArray()).toEqual(pre.labels(t).toArray());
    expect(() => TablePreprocessor.fromJSON({ type: "Standardizer" })).toThrow(ArgumentError);
  });

  it("validates options at construction", () => {
    expect(() => new TablePreprocessor({ unseen: "ignore" as "zeros" })).toThrow(/unseen must be "zeros" or "error", got "ignore"/);
    expect(() => new TablePreprocessor({ minCategoryCount: 0 })).toThrow(/minCategoryCount must be a positive integer/);
    expect(() => new TablePreprocessor({ task: "ranking" as "regression" })).toThrow(/task must be/);
    expect(() => new TablePreprocessor().featureNames).toThrow(/call fit/);
  });
});

describe("labels and the task", () => {
  it("compares numeric-looking labels numerically: 0.0 and 0 are one class", async () => {
    const t = await readTable("x,y\n1,0\n2,0.0\n3,1.0\n4,1\n5,10\n");
    expect(classNames(t.columns[1]!)).toEqual(["0", "1", "10"]);
    const pre = new TablePreprocessor().fit(t);
    expect(pre.target).toMatchObject({ task: "classification", classes: ["0", "1", "10"] });
    expect(pre.labels(t).toArray()).toEqual([0, 0, 1, 1, 2]);
  });

  it("infers regression for many distinct numbers or non-integers, classes otherwise", async () => {
    const many = ["x,y", ...Array.from({ length: 50 }, (_, i) => `${i},${25 + 7 * i}`)].join("\n");
    const t = await readTable(many);
    expect(inferTask(t.columns[1]!)).toEqual({ task: "regression", reason: 'the label "y" is numeric with more than 20 distinct values' });
    expect(inferTask((await readTable("x,y\n1,0.5\n2,1.5\n3,2.5\n")).columns[1]!).task).toBe("regression");
    expect(inferTask((await readTable("x,y\n1,1\n2,5\n3,3\n")).columns[1]!).task).toBe("classification");
    expect(inferTask((await readTable("x,y\n1,0.0\n2,1.0\n")).columns[1]!).task).toBe("classification");
  });

  it("standardizes a regression target with the training mean and std, and inverts it", async () => {
    const t = await readTable("x,y\n1,2\n2,4\n3,6\n4,100\n");
    const pre = new TablePreprocessor({ task: "regression" }).fit(t, [0, 1, 2]);
    const target = pre.target!;
    expect(target.task).toBe("regression");
    if (target.task !== "regression") return;
    expect(target.mean).toBe(4);
    expect(target.std).toBeCloseTo(Math.sqrt(8 / 3), 14); // population std of 2, 4, 6
    const z = pre.labels(t, [0, 3], { standardize: true });
    const back = pre.unstandardize(z.data);
    expect(back[0]).toBeCloseTo(2, 12);
    expect(back[1]).toBeCloseTo(100, 12);
  });

  it("refuses a text cell in a regression target and an unknown class, naming the line", async () => {
    await expect(readTable("x,y\n1,2\n2,abc\n").then((t) => new TablePreprocessor({ task: "regression" }).fit(t))).rejects.toThrow(/"abc".*must be numeric/);
    const t = await readTable("x,y\n1,a\n2,b\n3,c\n");
    const pre = new TablePreprocessor().fit(t, [0, 1]);
    expect(() => pre.labels(t)).toThrow(/line 4: the label "y" has class "c"/);
  });

  it("finds the rows that have a label", async () => {
    const t = await readTable("x,y\n1,a\n2,\n3,b\n4,NA\n");
    const { rows, dropped } = labeledRows(t, "y");
    expect(Array.from(rows)).toEqual([0, 2]);
    expect(dropped).toBe(2);
  });
});
