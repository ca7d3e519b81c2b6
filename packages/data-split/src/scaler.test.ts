import { ArgumentError, ShapeError, Tensor, rng, tensor } from "@hone/tensor";
import { describe, expect, it } from "vitest";
import { MinMaxScaler, Standardizer, applySplit, scalerFromJSON, trainDevTestSplit, trainTestSplit } from "./index.js";

function columnMean(x: Tensor, j: number): number {
  const f = x.shape[1]!;
  let s = 0;
  for (let i = 0; i < x.shape[0]!; i++) s += x.data[i * f + j]!;
  return s / x.shape[0]!;
}

describe("Standardizer", () => {
  it("transforms dev with the training μ and σ, not its own", () => {
    // Rows 0–3 train: feature 0 = 1, 2, 3, 4 (μ = 2.5, population σ = √1.25); feature 1 = 7 (constant).
    // Rows 4–5 dev: feature 0 = 10, 12 (μ_dev = 11). Rows 6–7 test: feature 0 = −1, 0.
    const x = tensor([[1, 7], [2, 7], [3, 7], [4, 7], [10, 7], [12, 8], [-1, 7], [0, 7]]);
    const y = tensor([0, 0, 0, 0, 0, 0, 0, 0]);
    const split = applySplit(x, y, { train: [0, 1, 2, 3], dev: [4, 5], test: [6, 7] });
    const s = new Standardizer().fit(split.train.x);
    expect(Array.from(s.mean)).toEqual([2.5, 7]);
    expect(s.std[0]).toBeCloseTo(Math.sqrt(1.25), 15);
    expect(s.std[1]).toBe(1); // constant feature: σ = 1, no division by zero
    const dev = s.transform(split.dev.x);
    // (μ_dev − μ_train)/σ_train = (11 − 2.5)/√1.25 = 7.602631123499284 (by hand), not 0.
    expect(columnMean(dev, 0)).toBeCloseTo(7.602631123499284, 12);
    // Feature 1 of dev: (7 − 7)/1 and (8 − 7)/1.
    expect([dev.data[1], dev.data[3]]).toEqual([0, 1]);
    const test = s.transform(split.test.x);
    expect(test.data[0]).toBeCloseTo((-1 - 2.5) / Math.sqrt(1.25), 14);
    // The training split itself comes out with mean 0 and population σ 1.
    const train = s.transform(split.train.x);
    expect(columnMean(train, 0)).toBeCloseTo(0, 14);
    expect(Array.from({ length: 4 }, (_, i) => train.data[2 * i]! ** 2).reduce((a, b) => a + b) / 4).toBeCloseTo(1, 14);
  });

  it("uses the population σ (ddof 0), as the course and scikit-learn do", () => {
    const s = new Standardizer().fit(tensor([[2], [4], [4], [4], [5], [5], [7], [9]]));
    // Textbook example: mean 5, population σ exactly 2 (the sample σ would be 2.138).
    expect(s.mean[0]).toBe(5);
    expect(s.std[0]).toBe(2);
  });

  it("treats a feature constant up to rounding as constant (0.1 repeated)", () => {
    const s = new Standardizer().fit(tensor(Array.from({ length: 10 }, () => [0.1, 0])));
    expect(Array.from(s.std)).toEqual([1, 1]);
    const out = s.transform(tensor([[0.1, 0]]));
    expect(Math.abs(out.data[0]!)).toBeLessThan(1e-15);
  });

  it("works per position for rank-3 x, keeps float32, and inverts", () => {
    const x = new Tensor(Float64Array.from([1, 2, 3, 4, 3, 6, 9, 12]), [2, 2, 2]);
    const s = new Standardizer().fit(x);
    expect(Array.from(s.mean)).toEqual([2, 4, 6, 8]);
    expect(Array.from(s.std)).toEqual([1, 2, 3, 4]);
    expect(s.transform(x).toArray()).toEqual([[[-1, -1], [-1, -1]], [[1, 1], [1, 1]]]);
    const back = s.inverseTransform(s.transform(x));
    expect(Array.from(back.data)).toEqual(Array.from(x.data));
    const f32 = new Tensor(Float32Array.from([1, 2, 3, 4]), [1, 2, 2]);
    expect(s.transform(f32).dtype).toBe("float32");
    expect(() => s.transform(tensor([[1, 2, 3, 4]]))).toThrow(ShapeError);
    expect(() => s.transform(tensor([[1, 2, 3, 4]]))).toThrow(/rows of shape \[4\].*fit on rows of shape \[2,2\]/);
  });

  it("round-trips through JSON with identical transforms", () => {
    const g = rng(0);
    const x = tensor(g.randnArray(300).map((v, i) => v * (i % 3 + 1) + i % 3), { shape: [100, 3] });
    const s = new Standardizer().fit(x);
    const loaded = Standardizer.fromJSON(JSON.parse(JSON.stringify(s)));
    expect(Array.from(loaded.transform(x).data)).toEqual(Array.from(s.transform(x).data));
    expect(scalerFromJSON(JSON.parse(JSON.stringify(s.toJSON())))).toBeInstanceOf(Standardizer);
  });

  it("validates JSON with clear errors", () => {
    const good = { type: "Standardizer", version: 1, featureShape: [2], mean: [0, 1], std: [1, 2] };
    expect(() => Standardizer.fromJSON(null)).toThrow(/expected a Standardizer JSON object, got null/);
    expect(() => Standardizer.fromJSON({ ...good, type: "MinMaxScaler" })).toThrow(/type must be "Standardizer", got "MinMaxScaler"/);
    expect(() => Standardizer.fromJSON({ ...good, version: 2 })).toThrow(/version must be 1, got 2/);
    expect(() => Standardizer.fromJSON({ ...good, featureShape: [0] })).toThrow(/featureShape must be an array of positive integers/);
    expect(() => Standardizer.fromJSON({ ...good, mean: [0] })).toThrow(/mean must have 2 entries .*, got 1/);
    expect(() => Standardizer.fromJSON({ ...good, std: [1, 0] })).toThrow(/std\[1\] must be a finite number > 0, got 0/);
    expect(() => Standardizer.fromJSON({ ...good, mean: [0, "1"] })).toThrow(/mean\[1\] must be a finite number, got "1"/);
    expect(() => scalerFromJSON({ type: "Scaler" })).toThrow(/type must be "Standardizer" or "MinMaxScaler", got "Scaler"/);
  });

  it("refuses to fit on a split's dev or test part, or on the unsplit x", () => {
    const x = tensor(Array.from({ length: 20 }, (_, i) => [i, i * i]));
    const y = tensor(Array.from({ length: 20 }, (_, i) => i % 2));
    const split = trainDevTestSplit(x, y, { rng: rng(1) });
    expect(() => new Standardizer().fit(split.dev.x)).toThrow(ArgumentError);
    expect(() => new Standardizer().fit(split.dev.x)).toThrow(
      "Standardizer.fit: x is the dev split; fit on the training split only and transform dev/test with the training statistics",
    );
    expect(() => new Standardizer().fit(split.test.x)).toThrow("Standardizer.fit: x is the test split;");
    expect(() => new Standardizer().fit(x)).toThrow(/x is the whole data set that was split/);
    expect(() => new MinMaxScaler().fit(split.test.x)).toThrow(/MinMaxScaler\.fit: x is the test split/);
    const s = new Standardizer().fit(split.train.x);
    expect(() => s.transform(split.dev.x)).not.toThrow();
    const two = trainTestSplit(tensor([[1], [2], [3], [4], [5]]), tensor([0, 0, 0, 0, 0]), { rng: 0 });
    expect(() => new Standardizer().fit(two.test.x)).toThrow(/x is the test split/);
  });

  it("rejects NaN and Infinity, empty x and use before fit", () => {
    expect(() => new Standardizer().fit(tensor([[1, 2], [3, NaN]]))).toThrow(/x has NaN at row 1, feature 1/);
    expect(() => new Standardizer().fit(tensor([[Infinity]]))).toThrow(/x has Infinity at row 0, feature 0/);
    expect(() => new Standardizer().fit(new Tensor(new Float64Array(0), [0, 2]))).toThrow(/x has no rows/);
    expect(() => new Standardizer().transform(tensor([[1]]))).toThrow(/not fitted; call fit\(xTrain\) first/);
    expect(new Standardizer().fitted).toBe(false);
  });
});

describe("MinMaxScaler", () => {
  it("maps the training min and max to the range, and applies the same map to dev", () => {
    const s = new MinMaxScaler({ range: [-1, 1] }).fit(tensor([[0, 5], [4, 5], [2, 5]]));
    // Feature 0: min 0, max 4 → y = x/4·2 − 1; feature 1 constant 5 → range 1 → y = (x − 5)·2 − 1.
    expect(s.transform(tensor([[1, 5], [6, 5.5]])).toArray()).toEqual([[-0.5, -1], [2, 0]]);
    expect(Array.from(s.dataMin)).toEqual([0, 5]);
    expect(Array.from(s.dataMax)).toEqual([4, 5]);
    expect(s.inverseTransform(tensor([[-0.5, 0]])).toArray()).toEqual([[1, 5.5]]);
    const loaded = MinMaxScaler.fromJSON(JSON.parse(JSON.stringify(s)));
    expect(loaded.range).toEqual([-1, 1]);
    expect(loaded.transform(tensor([[3, 5]])).toArray()).toEqual([[0.5, -1]]);
    expect(scalerFromJSON(s.toJSON())).toBeInstanceOf(MinMaxScaler);
  });

  it("validates its range and JSON", () => {
    expect(() => new MinMaxScaler({ range: [1, 0] })).toThrow(/range must be \[a, b\] with finite a < b, got \[1,0\]/);
    const good = { type: "MinMaxScaler", version: 1, featureShape: [1], range: [0, 1], dataMin: [2], dataMax: [1] };
    expect(() => MinMaxScaler.fromJSON(good)).toThrow(/dataMax\[0\] = 1 is below dataMin\[0\] = 2/);
  });
});
