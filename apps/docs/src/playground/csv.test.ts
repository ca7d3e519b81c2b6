// A CSV of the reader's own in the playground, in Node: the iris file the site offers
// (public/data/iris.csv, exported from scikit-learn 1.2.1's copy of Fisher's iris) read and
// picked as the page does, trained by the same Trainer, and the files it must refuse, each
// with a message naming the file and the column or line.
import { readFileSync } from "node:fs";
import { estimateBaseError, Standardizer, trainTestSplit } from "@hone/data-split";
import { rng, tensor, type Rng } from "@hone/tensor";
import { describe, expect, it } from "vitest";
import { CSV_LIMITS, ConfigError, checkConfig, defaultConfig, type CsvData, type PlaygroundConfig } from "./config.js";
import { CsvChoiceError, csvData, loadCsv } from "./csv.js";
import { Trainer } from "./trainer.js";

const IRIS = readFileSync(new URL("../../public/data/iris.csv", import.meta.url), "utf8");

async function iris(pick?: { x: string; y: string }): Promise<CsvData> {
  const csv = await loadCsv("iris.csv", IRIS);
  return csvData(csv, { ...csv.pick, ...pick });
}

function csvConfig(csv: CsvData, over: Partial<PlaygroundConfig> = {}): PlaygroundConfig {
  return { ...defaultConfig(), dataset: "csv", csv, ...over };
}

describe("loadCsv and csvData", () => {
  it("read iris: numeric columns as axes, species as the label, the first two measurements to start", async () => {
    const csv = await loadCsv("iris.csv", IRIS);
    expect(csv.numeric).toEqual(["sepal_length", "sepal_width", "petal_length", "petal_width"]);
    expect(csv.labels).toEqual(["species"]);
    expect(csv.pick).toEqual({ x: "sepal_length", y: "sepal_width", label: "species" });
    const d = csvData(csv, { ...csv.pick, x: "petal_length", y: "petal_width" });
    expect(d.classes).toEqual(["setosa", "versicolor", "virginica"]);
    expect(d.y.length).toBe(150);
    expect(d.dropped).toBe(0);
    expect([0, 1, 2].map((k) => d.y.filter((v) => v === k).length)).toEqual([50, 50, 50]);
    // scikit-learn's iris: petal length mean 3.758, petal width mean 1.19933 (X[:, 2:].mean(0)).
    const mean = (j: number): number => d.x.filter((_, i) => i % 2 === j).reduce((a, b) => a + b, 0) / 150;
    expect(mean(0)).toBeCloseTo(3.758, 12);
    expect(mean(1)).toBeCloseTo(1.1993333333333334, 12);
    expect(d.x.slice(0, 2)).toEqual([1.4, 0.2]); // the first row: 5.1,3.5,1.4,0.2,setosa
  });

  it("take numeric labels, other delimiters and missing cells (rows left out and counted)", async () => {
    const text = "id;a;b;target\n" + Array.from({ length: 30 }, (_, i) => `r${i};${i % 7 === 0 ? "NA" : i};${(i * 3) % 11};${i % 3 === 0 ? "1.0" : "0"}`).join("\n");
    const csv = await loadCsv("semi.csv", text);
    expect(csv.pick).toEqual({ x: "a", y: "b", label: "target" });
    const d = csvData(csv, csv.pick);
    expect(d.classes).toEqual(["0", "1"]);
    expect(d.dropped).toBe(5); // rows 0, 7, 14, 21, 28 have a = NA
    expect(d.y.length).toBe(25);
  });

  const refused: [string, string, RegExp][] = [
    ["ragged.csv", "a,b,c\n1,2,x\n3,4\n", /^ragged\.csv: line 3 has 2 fields, expected 3/],
    ["all-text.csv", "a,b,c\nx,y,p\nz,w,q\n", /two numeric feature columns, and besides the label \(c\) this file has none/],
    ["one-feature.csv", "a,label\n" + Array.from({ length: 30 }, (_, i) => `${i},${i % 2}`).join("\n"), /two numeric feature columns.*only a/],
    ["no-label.csv", "a,b\n" + Array.from({ length: 30 }, (_, i) => `${i},${i * 2}`).join("\n"), /no column can be the class label: a label needs 2 to 6 distinct values/],
    ["few.csv", "a,b,label\n1,2,x\n3,4,y\n5,6,x\n7,8,y\n", /4 rows have a, b and label all present .* at least 20/],
    ["inf.csv", "a,b,label\n1,inf,x\n", /^inf\.csv: line 2, column "b": "inf" is not a finite number/],
  ];
  for (const [name, text, message] of refused) {
    it(`refuse ${name} with a message naming what is wrong`, async () => {
      const error = await loadCsv(name, text).then((csv) => csvData(csv, csv.pick)).then(() => null, (e: unknown) => e);
      expect(error).toBeInstanceOf(CsvChoiceError);
      expect((error as Error).message).toMatch(message);
    });
  }

  it("refuse a class of one row, a pick that is not numeric or not a label, an axis twice, and a file too big", async () => {
    const lonely = "a,b,label\n" + Array.from({ length: 30 }, (_, i) => `${i},${i % 5},${i === 0 ? "z" : i % 2}`).join("\n");
    await expect(loadCsv("lonely.csv", lonely).then((c) => csvData(c, c.pick))).rejects.toThrow(/class "z" of label has a single row/);
    const csv = await loadCsv("iris.csv", IRIS);
    expect(() => csvData(csv, { ...csv.pick, x: "species" })).toThrow(/the x column "species" is not numeric/);
    expect(() => csvData(csv, { ...csv.pick, label: "petal_width" })).toThrow(/the label column "petal_width" cannot be a label/);
    expect(() => csvData(csv, { ...csv.pick, y: "sepal_length" })).toThrow(/x and y are both "sepal_length"/);
    expect(() => csvData(csv, { ...csv.pick, x: "nosuch" })).toThrow(/the x column "nosuch" is not in the file \(columns: sepal_length/);
    const big = "a,b,label\n" + "1,2,x\n".repeat(Math.ceil(CSV_LIMITS.bytes / 6));
    await expect(loadCsv("big.csv", big)).rejects.toThrow(/big\.csv is 2\.0 MB; the playground takes CSVs up to 2 MB/);
    const long = "a,b,label\n" + Array.from({ length: CSV_LIMITS.rows + 1 }, (_, i) => `${i},${i % 9},${i % 2}`).join("\n");
    await expect(loadCsv("long.csv", long).then((c) => csvData(c, c.pick))).rejects.toThrow(/long\.csv has 5001 rows; the playground trains on up to 5000/);
  });
});

describe("checkConfig with a CSV", () => {
  it("needs the rows, two finite numbers a row and class ids within the classes", async () => {
    const d = await iris();
    expect(() => checkConfig(csvConfig(d))).not.toThrow();
    expect(() => checkConfig({ ...defaultConfig(), dataset: "csv" })).toThrow(/dataset "csv" needs csv/);
    expect(() => checkConfig(csvConfig({ ...d, x: d.x.slice(1) }))).toThrow(ConfigError);
    expect(() => checkConfig(csvConfig({ ...d, x: [NaN, ...d.x.slice(1)] }))).toThrow(/finite/);
    expect(() => checkConfig(csvConfig({ ...d, y: d.y.map((k) => k + 1) }))).toThrow(/class ids from 0 to 2/);
  });
});

describe("Trainer on a CSV", () => {
  it("trains iris' petal measurements to the accuracy a linear model gets, with an estimated base error", async () => {
    const d = await iris({ x: "petal_length", y: "petal_width" });
    const t = new Trainer(csvConfig(d, { maxEpochs: 100 }));
    expect(t.classNames).toEqual(["setosa", "versicolor", "virginica"]);
    expect(t.axes).toEqual(["petal_length", "petal_width"]);
    expect(t.head.classes).toBe(3);
    expect(t.sizes).toEqual({ train: 105, dev: 45 });
    for (let e = 0; e < 100; e++) t.step();
    // scikit-learn's LogisticRegression on these two features: 0.96 (5-fold cross-validated accuracy).
    expect(t.last.devAccuracy).toBeGreaterThanOrEqual(0.9);
    expect(t.last.trainAccuracy).toBeGreaterThanOrEqual(0.9);
    // The base error: estimateBaseError on the standardized training rows with the data stream
    // (the first of the five), as the Trainer says; iris' classes overlap a little (a few %).
    const [dataRng, splitRng] = rng(1).spawn(5) as [Rng, Rng];
    const split = trainTestSplit(tensor(d.x, { shape: [150, 2] }), tensor(d.y), { ratios: [0.7, 0.3], stratify: true, rng: splitRng });
    const e = estimateBaseError(new Standardizer().fit(split.train.x).transform(split.train.x), split.train.y, { rng: dataRng });
    expect(t.baseError).toMatchObject({ value: e.value, low: e.low, high: e.high });
    expect(t.baseError.value).toBeGreaterThan(0);
    expect(t.baseError.value).toBeLessThan(0.1);
    expect(t.baseError.label).toMatch(/^k-NN bracket .*, on the 105 training rows: a CSV's Bayes error is unknown, so it is estimated$/);
    expect(e.reliable).toBe(false); // fewer than 50 rows a class
    expect(t.baseError.note).toBe(e.note);
    const diagnosis = t.diagnosis()!;
    expect(diagnosis.baseError).toMatchObject({ value: e.value, low: e.low, high: e.high, source: "estimate" });
    // The boundary grid covers the petals' extent in centimetres.
    expect(t.extent.xMin).toBeLessThan(1);
    expect(t.extent.xMax).toBeGreaterThan(6.9);
  });
});
