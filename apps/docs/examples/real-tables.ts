// The real-tables page: a CSV with an ID, text categories and missing cells read as a table,
// its preprocessing fit on the training rows only, a regressor trained on it and scored
// beside the mean predictor; then an imbalanced classifier scored beyond accuracy.
import { readTable, TablePreprocessor, Standardizer, trainDevTestSplit, makeClassification } from "@hone/data-split";
import {
  mlp, fit, infer, regressionHead, regressionReport, meanBaseline, classificationHead, classificationReport, majorityBaseline,
  weightedCrossEntropy, classWeights, bestThreshold, type RegressionReport,
} from "@hone/nn";
import { adam } from "@hone/optim";
import { l2 } from "@hone/regularize";
import { Tensor, gatherRows, rng } from "@hone/tensor";

/** A made-up table of flats (seeded): an ID, a district (text, some blank), rooms, area (some "NA"), the price. */
export function flatsCsv(rows = 600): string {
  const g = rng(7);
  const districts = ["centre", "harbour", "hills", "old town", "station"];
  const premium = [60, 25, 40, 50, 10];
  const lines = ["id;district;rooms;area;price"];
  for (let i = 0; i < rows; i++) {
    const d = Math.floor(g.random() * 5);
    const rooms = 1 + Math.floor(g.random() * 5);
    const area = 20 + rooms * 18 + g.random() * 25;
    const price = 50 + 2.2 * area + premium[d]! + 8 * g.randn();
    const district = g.random() < 0.05 ? "" : districts[d]!;
    const areaCell = g.random() < 0.04 ? "NA" : area.toFixed(1);
    lines.push(`F${String(i).padStart(4, "0")};${district};${rooms};${areaCell};${price.toFixed(1)}`);
  }
  return lines.join("\n");
}

// #region table
export async function flatPrices(): Promise<{
  roles: Record<string, string>; features: string[]; task: string | null; test: RegressionReport; meanPredictor: RegressionReport;
  testPrices: { actual: Float64Array; predicted: Float64Array };
}> {
  const table = await readTable(flatsCsv()); // the delimiter (";") is detected; "", "NA" are missing
  // Split the rows first: the preprocessor must learn only from the training rows.
  const m = table.rows;
  const ids = new Tensor(Float64Array.from({ length: m }, (_, i) => i), [m, 1]);
  const split = trainDevTestSplit(ids, ids, { ratios: "60/20/20", rng: rng(1) });
  const pre = new TablePreprocessor({ label: "price" }).fit(table, split.train.indices);
  const encode = (rows: Int32Array): { x: Tensor; y: Tensor } => ({ x: pre.transform(table, rows).x, y: pre.labels(table, rows, { standardize: true }) });
  const raw = { train: encode(split.train.indices), dev: encode(split.dev.indices), test: encode(split.test.indices) };
  const scaler = new Standardizer().fit(raw.train.x); // also fit on train only
  const part = (p: { x: Tensor; y: Tensor }): { x: Tensor; y: Tensor } => ({ x: scaler.transform(p.x), y: p.y });

  const head = regressionHead(); // one linear output, mean squared error, on the standardized price
  const model = mlp([pre.featureNames.length, 16, head.outputs], { rng: rng(2) });
  fit(model, part(raw.train), { loss: head.loss, optimizer: adam({ lr: 0.01 }), epochs: 150, batchSize: 64, rng: rng(3), dev: part(raw.dev), penalty: l2({ lambda: 1 }) });

  const prices = (rows: Int32Array): Float64Array => Float64Array.from(pre.labels(table, rows).data);
  const predicted = pre.unstandardize(head.predict(infer(model, part(raw.test).x)).data);
  return {
    roles: Object.fromEntries(pre.columns.map((c) => [c.name, `${c.role}: ${c.reason}`])),
    features: pre.featureNames,
    task: pre.task,
    test: regressionReport(prices(split.test.indices), predicted),
    meanPredictor: meanBaseline(prices(split.train.indices), prices(split.test.indices)),
    testPrices: { actual: prices(split.test.indices), predicted: Float64Array.from(predicted) },
  };
}
// #endregion table

// #region imbalanced
export function rareClass(): { baseline: number; plain: Record<string, number | null>; weighted: Record<string, number | null>; threshold: number } {
  // 2,000 rows, about 5% positive.
  const { x, y } = makeClassification({ samples: 2000, features: 6, informative: 3, classSep: 0.8, rng: rng(4) });
  const keep = Int32Array.from(Array.from(y.data.keys()).filter((i) => y.data[i] === 0 || i % 19 === 0));
  const split = trainDevTestSplit(gatherRows(x, keep), gatherRows(y, keep), { ratios: "60/20/20", stratify: true, rng: rng(5) });
  const scaler = new Standardizer().fit(split.train.x);
  const [train, dev, test] = [split.train, split.dev, split.test].map((p) => ({ x: scaler.transform(p.x), y: p.y }));
  const head = classificationHead(2);
  const run = (loss: typeof head.loss): { model: ReturnType<typeof mlp> } => {
    const model = mlp([6, 16, head.outputs], { rng: rng(6) });
    fit(model, train!, { loss, optimizer: adam({ lr: 0.01 }), epochs: 60, batchSize: 64, rng: rng(7), dev: dev! });
    return { model };
  };
  const probs = (model: ReturnType<typeof mlp>, p: { x: Tensor }): Float64Array => Float64Array.from(head.probabilities(infer(model, p.x)).data);
  const summary = (r: ReturnType<typeof classificationReport>): Record<string, number | null> =>
    ({ accuracy: r.accuracy, precision: r.precision, recall: r.recall, f1: r.f1, rocAuc: r.rocAuc, prAuc: r.prAuc });
  const labels = (p: { y: Tensor }): Float64Array => Float64Array.from(p.y.data);

  const plain = run(head.loss).model;
  // Each class weighs the same in the loss, and the threshold is chosen on dev, by F1.
  const weighted = run(weightedCrossEntropy(classWeights(labels(train!), 2, "balanced"))).model;
  const devScores = probs(weighted, dev!).filter((_, i) => i % 2 === 1); // p(positive) column
  const { threshold } = bestThreshold(labels(dev!), devScores, { metric: "f1" });
  return {
    baseline: majorityBaseline(labels(train!), labels(test!), 2).accuracy, // always "negative"
    plain: summary(classificationReport(labels(test!), probs(plain, test!), { classes: 2 })),
    weighted: summary(classificationReport(labels(test!), probs(weighted, test!), { classes: 2, threshold: threshold - 1e-12 })),
    threshold,
  };
}
// #endregion imbalanced
