// Real tables through the CLI: text categories, blanks and NA, an ID column, semicolons, text
// class names; a regression data set against ridge regression; an imbalanced data set's
// metrics and baseline. The fixtures and where they come from: test/fixtures/SOURCES.md.
import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { hone, honeJson, tempDir } from "./helpers.js";

const FIXTURES = fileURLToPath(new URL("./fixtures/", import.meta.url));

interface Column { name: string; role: string; reason: string; missing: number; outputs: number }
interface ClassMetrics { rows: number; accuracy: number; precision: number; recall: number; f1: number; rocAuc: number | null; prAuc: number | null; logLoss: number; confusion: number[][] }
interface RegMetrics { rows: number; rmse: number; mae: number; r2: number }
interface TrainJson<M> {
  task: string;
  taskReason: string;
  columns: Column[];
  data: { classes: string[]; imputedCells: number; droppedRows: number; features: string[] };
  metrics: { train: M; dev: M; test: M; baseline: Record<string, unknown> };
  decision?: { positive: string; threshold: number; chosen: string };
  diagnosis: { verdict: string; baseError: { value: number; source: string } };
}

/** Parses CSV text with quoted fields (RFC 4180) into rows of strings. */
function parseCsvRows(text: string, delimiter = ","): string[][] {
  const rows: string[][] = [];
  let row: string[] = [], field = "", quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (ch === '"') quoted = false; else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === delimiter) { row.push(field); field = ""; } else if (ch === "\n") { row.push(field); rows.push(row); row = []; field = ""; } else field += ch;
  }
  if (field !== "" || row.length > 0) { row.push(field); rows.push(row); }
  return rows;
}

describe("a messy table: semicolons, an ID, text categories, blanks, NA and NaN, text class names", () => {
  const dir = tempDir();
  let run: TrainJson<ClassMetrics>;
  beforeAll(async () => {
    copyFileSync(join(FIXTURES, "customers.csv"), join(dir, "customers.csv"));
    copyFileSync(join(FIXTURES, "customers-new.csv"), join(dir, "new.csv"));
    run = (await honeJson<TrainJson<ClassMetrics>>(["train", "--data", "customers.csv", "--label", "churn", "--epochs", "60", "--save", "model.json"], { cwd: dir })).json;
  });

  it("reads the roles of the columns, with reasons", () => {
    const role = Object.fromEntries(run.columns.map((c) => [c.name, c.role]));
    expect(role).toEqual({ customer_id: "ignored", region: "categorical", age: "numeric", income: "numeric", plan: "categorical", churn: "label" });
    expect(run.columns.find((c) => c.name === "customer_id")!.reason).toMatch(/identifier/);
    expect(run.columns.find((c) => c.name === "region")!.outputs).toBe(6); // 5 regions and (missing)
    expect(run.task).toBe("classification");
    expect(run.data.classes).toEqual(["no", "yes"]);
    expect(run.data.imputedCells).toBeGreaterThan(0);
    expect(run.data.features).toContain("region=(missing)");
  });

  it("reports precision, recall, F1, ROC-AUC, PR-AUC and the confusion matrix per split, and the baseline", () => {
    const t = run.metrics.test;
    for (const k of ["accuracy", "precision", "recall", "f1", "rocAuc", "prAuc", "logLoss"] as const) {
      expect(typeof t[k]).toBe("number");
      expect(Number.isFinite(t[k])).toBe(true);
    }
    const cm = t.confusion;
    expect(cm.flat().reduce((a, b) => a + b, 0)).toBe(t.rows);
    // The confusion matrix agrees with accuracy, precision and recall of the positive class "yes" (id 1).
    expect((cm[0]![0]! + cm[1]![1]!) / t.rows).toBeCloseTo(t.accuracy, 12);
    if (cm[0]![1]! + cm[1]![1]! > 0) expect(t.precision).toBeCloseTo(cm[1]![1]! / (cm[0]![1]! + cm[1]![1]!), 12);
    expect(t.recall).toBeCloseTo(cm[1]![1]! / (cm[1]![0]! + cm[1]![1]!), 12);
    expect(run.decision).toEqual({ positive: "yes", threshold: 0.5, chosen: "given" });
    const b = run.metrics.baseline as { predicts: string; test: { accuracy: number } };
    const majority = (cm[0]![0]! + cm[0]![1]! >= cm[1]![0]! + cm[1]![1]!) ? "no" : "yes";
    expect(b.predicts).toBe(majority);
    expect(b.test.accuracy).toBeGreaterThan(0.5);
  });

  it("predicts new rows with unseen categories and blanks, keeping the ID column for joining back", async () => {
    const r = await hone(["predict", "--model", "model.json", "--input", "new.csv"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/not seen in training/);
    expect(r.stderr).toMatch(/filled \d+ missing cell/);
    const rows = parseCsvRows(r.stdout);
    expect(rows[0]).toEqual(["customer_id", "prediction", "p_no", "p_yes"]);
    expect(rows.length).toBe(13);
    const input = parseCsvRows(readFileSync(join(dir, "new.csv"), "utf8"), ";").slice(1);
    rows.slice(1).forEach((row, i) => {
      expect(row[0]).toBe(input[i]![0]); // the ID exactly as written, e.g. "P90000"
      expect(["no", "yes"]).toContain(row[1]);
      const pNo = Number(row[2]), pYes = Number(row[3]);
      expect(pNo + pYes).toBeCloseTo(1, 12);
      expect(row[1]).toBe(pYes > 0.5 ? "yes" : "no");
    });
  });

  it("refuses unseen categories at predict time when trained with --unseen error", async () => {
    await honeJson(["train", "--data", "customers.csv", "--label", "churn", "--epochs", "5", "--unseen", "error", "--save", "strict.json"], { cwd: dir });
    const r = await hone(["predict", "--model", "strict.json", "--input", "new.csv"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/column "region": the category "islands" was not seen in training/);
  });

  it("takes --ignore, --categorical and --keep", async () => {
    const { json } = await honeJson<TrainJson<ClassMetrics>>(["train", "--data", "customers.csv", "--label", "churn", "--epochs", "2", "--ignore", "income", "--categorical", "age", "--keep", "customer_id", "--base-error", "0"], { cwd: dir });
    const role = Object.fromEntries(json.columns.map((c) => [c.name, c.role]));
    expect(role).toMatchObject({ income: "ignored", age: "categorical", customer_id: "categorical" });
  });

  it("eval scores a labeled file with the saved preprocessing", async () => {
    const { json } = await honeJson<ClassMetrics & { task: string }>(["eval", "--model", "model.json", "--data", "customers.csv"], { cwd: dir });
    expect(json.task).toBe("classification");
    expect(json.rows).toBe(600);
    expect(json.confusion.flat().reduce((a, b) => a + b, 0)).toBe(600);
  });

  it("hone split copies the rows cell for cell, as train picks them", async () => {
    const { json } = await honeJson<{ train: number; dev: number; test: number }>(["split", "customers.csv", "--out", "parts", "--label", "churn"], { cwd: dir });
    expect(json.train + json.dev + json.test).toBe(600);
    const original = new Set(readFileSync(join(dir, "customers.csv"), "utf8").trim().split("\n").slice(1));
    const test = readFileSync(join(dir, "parts", "test.csv"), "utf8").trim().split("\n");
    expect(test[0]).toBe("customer_id;region;age;income;plan;churn");
    for (const line of test.slice(1)) expect(original.has(line)).toBe(true);
  });
});

describe("CSV dialect and input errors", () => {
  const dir = tempDir();
  const write = (name: string, text: string): string => { writeFileSync(join(dir, name), text); return name; };

  it("compares numeric-looking labels numerically: 0.0 and 0 are one class", async () => {
    const lines = ["a,b,y"];
    for (let i = 0; i < 40; i++) lines.push(`${i % 7},${(i * 3) % 11},${i % 2 === 0 ? (i % 4 === 0 ? "0" : "0.0") : (i % 3 === 0 ? "1" : "1.0")}`);
    const { json } = await honeJson<TrainJson<ClassMetrics>>(["train", "--data", write("labels.csv", lines.join("\n")), "--epochs", "2", "--base-error", "0"], { cwd: dir });
    expect(json.data.classes).toEqual(["0", "1"]);
  });

  it("names --no-header for a header of numbers, and reads the file with it", async () => {
    const file = write("nohead.csv", Array.from({ length: 30 }, (_, i) => `${i % 5},${(i * 7) % 3},${i % 2}`).join("\n"));
    const r = await hone(["train", "--data", file, "--epochs", "2"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/header row is all numbers.*--no-header/);
    const ok = await honeJson<TrainJson<ClassMetrics>>(["train", "--data", file, "--no-header", "--epochs", "2", "--base-error", "0"], { cwd: dir });
    expect(ok.json.columns.map((c) => c.name)).toEqual(["column1", "column2", "column3"]);
  });

  it("refuses 1e309 with the line and column, and duplicate header names", async () => {
    const big = await hone(["train", "--data", write("big.csv", "a,b,y\n1,2,0\n1e309,3,1\n")], { cwd: dir });
    expect(big.code).toBe(2);
    expect(big.stderr).toMatch(/line 3, column "a": "1e309" is beyond float64's range/);
    const dup = await hone(["train", "--data", write("dup.csv", "a,a,y\n1,2,0\n")], { cwd: dir });
    expect(dup.stderr).toMatch(/names column "a" twice/);
  });

  it("refuses --stratify for a regression target and CSV flags for a built-in data set", async () => {
    const r = await hone(["train", "--data", join(FIXTURES, "diabetes.csv"), "--stratify"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--stratify.*regression/);
    const b = await hone(["train", "--categorical", "x0"], { cwd: dir });
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/--categorical applies to a CSV file/);
  });
});

/** Ridge regression with an intercept, closed form: β = (XcᵀXc + αI)⁻¹ Xcᵀ yc on centered data (scikit-learn's Ridge). */
function ridge(x: number[][], y: number[], alpha: number): { coef: number[]; intercept: number } {
  const n = x.length, f = x[0]!.length;
  const mx = Array.from({ length: f }, (_, j) => x.reduce((s, r) => s + r[j]!, 0) / n);
  const my = y.reduce((s, v) => s + v, 0) / n;
  const a = Array.from({ length: f }, (_, i) => Array.from({ length: f + 1 }, (_, j) => {
    if (j === f) return x.reduce((s, r, k) => s + (r[i]! - mx[i]!) * (y[k]! - my), 0);
    return x.reduce((s, r) => s + (r[i]! - mx[i]!) * (r[j]! - mx[j]!), 0) + (i === j ? alpha : 0);
  }));
  for (let c = 0; c < f; c++) { // Gauss–Jordan with partial pivoting
    let p = c;
    for (let r = c + 1; r < f; r++) if (Math.abs(a[r]![c]!) > Math.abs(a[p]![c]!)) p = r;
    [a[c], a[p]] = [a[p]!, a[c]!];
    for (let r = 0; r < f; r++) {
      if (r === c) continue;
      const k = a[r]![c]! / a[c]![c]!;
      for (let j = c; j <= f; j++) a[r]![j]! -= k * a[c]![j]!;
    }
  }
  const coef = a.map((row, i) => row[f]! / row[i]!);
  return { coef, intercept: my - coef.reduce((s, b, j) => s + b * mx[j]!, 0) };
}

function r2(actual: number[], predicted: number[]): number {
  const mean = actual.reduce((s, v) => s + v, 0) / actual.length;
  const ssRes = actual.reduce((s, v, i) => s + (v - predicted[i]!) ** 2, 0);
  const ssTot = actual.reduce((s, v) => s + (v - mean) ** 2, 0);
  return 1 - ssRes / ssTot;
}

function readNumeric(path: string): { x: number[][]; y: number[] } {
  const rows = parseCsvRows(readFileSync(path, "utf8").trim()).slice(1).map((r) => r.map(Number));
  return { x: rows.map((r) => r.slice(0, -1)), y: rows.map((r) => r.at(-1)!) };
}

describe("regression: scikit-learn's diabetes data (442 rows × 10 features)", () => {
  const dir = tempDir();
  let run: TrainJson<RegMetrics>;
  beforeAll(async () => {
    copyFileSync(join(FIXTURES, "diabetes.csv"), join(dir, "diabetes.csv"));
    run = (await honeJson<TrainJson<RegMetrics>>(["train", "--data", "diabetes.csv", "--save", "reg.json", "--report", "reg.html"], { cwd: dir })).json;
    await honeJson(["split", "diabetes.csv", "--out", "parts"], { cwd: dir });
  });

  it("infers regression from the label and says why", () => {
    expect(run.task).toBe("regression");
    expect(run.taskReason).toMatch(/numeric with more than 20 distinct values.*--task classification/);
  });

  it("the test closed-form ridge solver equals scikit-learn's Ridge (1e-8 relative)", () => {
    const ref = JSON.parse(readFileSync(join(FIXTURES, "diabetes-ridge.json"), "utf8")) as { alpha: number; coef: number[]; intercept: number };
    const { x, y } = readNumeric(join(FIXTURES, "diabetes.csv"));
    const fit = ridge(x, y, ref.alpha);
    fit.coef.forEach((b, j) => expect(Math.abs(b - ref.coef[j]!)).toBeLessThan(1e-8 * Math.max(1, Math.abs(ref.coef[j]!))));
    expect(fit.intercept).toBeCloseTo(ref.intercept, 8);
  });

  it("trains with defaults to a test R² within 0.1 of a ridge regression tuned on the same dev split", () => {
    const train = readNumeric(join(dir, "parts", "train.csv"));
    const dev = readNumeric(join(dir, "parts", "dev.csv"));
    const test = readNumeric(join(dir, "parts", "test.csv"));
    const predict = (m: { coef: number[]; intercept: number }, x: number[][]): number[] => x.map((r) => m.intercept + r.reduce((s, v, j) => s + v * m.coef[j]!, 0));
    let best = { alpha: 0, dev: -Infinity };
    for (const alpha of [1e-4, 1e-3, 1e-2, 0.1, 0.3, 1, 3]) {
      const d = r2(dev.y, predict(ridge(train.x, train.y, alpha), dev.x));
      if (d > best.dev) best = { alpha, dev: d };
    }
    const ridgeTest = r2(test.y, predict(ridge(train.x, train.y, best.alpha), test.x));
    console.log(`diabetes test R²: hone ${run.metrics.test.r2.toFixed(4)}, ridge (α = ${best.alpha} chosen on dev) ${ridgeTest.toFixed(4)}`);
    expect(run.metrics.test.rows).toBe(test.y.length);
    expect(Math.abs(run.metrics.test.r2 - ridgeTest)).toBeLessThan(0.1);
    // RMSE and R² agree with each other on the test rows: R² = 1 − n·RMSE² / SS_tot.
    const mean = test.y.reduce((s, v) => s + v, 0) / test.y.length;
    const ssTot = test.y.reduce((s, v) => s + (v - mean) ** 2, 0);
    expect(run.metrics.test.r2).toBeCloseTo(1 - (test.y.length * run.metrics.test.rmse ** 2) / ssTot, 10);
  });

  it("reports the mean-predictor baseline and diagnoses against a noise estimate", () => {
    const b = run.metrics.baseline as { predicts: number; dev: { r2: number; rmse: number } };
    expect(b.dev.r2).toBeLessThanOrEqual(0);
    expect(b.dev.rmse).toBeGreaterThan(run.metrics.dev.rmse);
    expect(run.diagnosis.baseError.source).toBe("estimate");
  });

  it("eval and predict read the regression model", async () => {
    const { json } = await honeJson<RegMetrics & { task: string; rows: number }>(["eval", "--model", "reg.json", "--data", "parts/test.csv"], { cwd: dir });
    expect(json.task).toBe("regression");
    expect(json.r2).toBeCloseTo(run.metrics.test.r2, 10);
    const p = await hone(["predict", "--model", "reg.json", "--input", "parts/test.csv"], { cwd: dir });
    const rows = parseCsvRows(p.stdout.trim());
    expect(rows[0]).toEqual(["progression", "prediction"]);
    expect(Number.isFinite(Number(rows[1]![1]))).toBe(true);
  });

  it("draws a learning curve of a regressor, in fractions of the target's variance without intervals", async () => {
    const { json } = await honeJson<{ points: { size: number; trainError: number; devError: number; devN?: number }[]; reading: { moreDataHelps: string } }>(["curve", "--data", "diabetes.csv", "--sizes", "0.5,1"], { cwd: dir });
    expect(json.points.map((p) => p.size)).toEqual([133, 266]);
    expect(json.points[1]!.devN).toBeUndefined();
    // The full-size point is train's own run: its dev error is dev MSE ÷ the training target's variance, 1 − R² measured that way.
    expect(json.points[1]!.trainError).toBeCloseTo(1 - run.metrics.train.r2, 10);
    expect(["likely", "unlikely", "unclear"]).toContain(json.reading.moreDataHelps);
  });

  it("draws predicted against actual in the HTML report", () => {
    const html = readFileSync(join(dir, "reg.html"), "utf8");
    expect(html).toContain('id="pred-actual"');
    expect((html.match(/<circle /g) ?? []).length).toBe(run.metrics.dev.rows + run.metrics.test.rows);
  });
});

describe("an imbalanced data set: breast cancer with 5% malignant", () => {
  const dir = tempDir();
  it("reports recall, F1, ROC-AUC and PR-AUC of the named positive class, the baseline, and picks a threshold on dev", async () => {
    copyFileSync(join(FIXTURES, "cancer-imbalanced.csv"), join(dir, "cancer.csv"));
    const { json } = await honeJson<TrainJson<ClassMetrics>>(["train", "--data", "cancer.csv", "--positive", "malignant", "--class-weight", "balanced", "--threshold", "auto", "--stratify"], { cwd: dir });
    expect(json.data.classes).toEqual(["benign", "malignant"]);
    expect(json.decision!.positive).toBe("malignant");
    expect(json.decision!.chosen).toBe("on dev, by F1");
    const b = json.metrics.baseline as { predicts: string; test: { accuracy: number } };
    expect(b.predicts).toBe("benign");
    // Always "benign" is right on every benign test row: the share of benign rows.
    const t = json.metrics.test;
    expect(b.test.accuracy).toBeCloseTo((t.confusion[0]![0]! + t.confusion[0]![1]!) / t.rows, 12);
    expect(b.test.accuracy).toBeGreaterThan(0.9);
    expect(t.rocAuc).not.toBeNull();
    expect(t.prAuc).not.toBeNull();
    expect(t.recall).toBeCloseTo(t.confusion[1]![1]! / (t.confusion[1]![0]! + t.confusion[1]![1]!), 12);
  });
});
