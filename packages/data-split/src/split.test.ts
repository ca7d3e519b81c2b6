import { ArgumentError, ShapeError, Tensor, rng, tensor } from "@hone/tensor";
import { describe, expect, it } from "vitest";
import { apportion } from "./split.js";
import { applySplit, kFold, splitIndices, trainDevTestSplit, trainTestSplit, type TrainDevTestSplit } from "./index.js";

/** x = the row index (so x's values are the indices), y = a label per row. */
function rows(m: number, label: (i: number) => number = () => 0): { x: Tensor; y: Tensor } {
  const x = new Float64Array(m);
  const y = new Float64Array(m);
  for (let i = 0; i < m; i++) { x[i] = i; y[i] = label(i); }
  return { x: new Tensor(x, [m, 1]), y: new Tensor(y, [m]) };
}

/** Disjoint, covering all m rows, and each part's x rows are x[indices]. */
function expectPartition(split: TrainDevTestSplit, m: number): void {
  const seen = new Uint8Array(m);
  let repeats = 0, misplaced = 0;
  for (const p of [split.train, split.dev, split.test]) {
    expect(p.x.shape[0]).toBe(p.indices.length);
    expect(p.y.shape[0]).toBe(p.indices.length);
    for (let i = 0; i < p.indices.length; i++) {
      const r = p.indices[i]!;
      if (seen[r] === 1) repeats++;
      seen[r] = 1;
      // x holds the row index, so the gathered rows must equal the indices.
      if (p.x.data[i] !== r) misplaced++;
    }
  }
  expect({ repeats, misplaced, missing: seen.filter((s) => s === 0).length }).toEqual({ repeats: 0, misplaced: 0, missing: 0 });
}

describe("trainDevTestSplit sizes", () => {
  it("60/20/20 of 1000 gives 600/200/200, a partition of the rows", () => {
    const { x, y } = rows(1000);
    const s = trainDevTestSplit(x, y, { ratios: [0.6, 0.2, 0.2], rng: rng(0) });
    expect([s.train.indices.length, s.dev.indices.length, s.test.indices.length]).toEqual([600, 200, 200]);
    expectPartition(s, 1000);
    // The percent-string form is the same split.
    const t = trainDevTestSplit(x, y, { ratios: "60/20/20", rng: rng(0) });
    expect(Array.from(t.dev.indices)).toEqual(Array.from(s.dev.indices));
  });

  it("98/1/1 of 1,000,000 gives 980,000/10,000/10,000", () => {
    const { x, y } = rows(1_000_000);
    const s = trainDevTestSplit(x, y, { ratios: "98/1/1", rng: rng(1) });
    expect([s.train.indices.length, s.dev.indices.length, s.test.indices.length]).toEqual([980_000, 10_000, 10_000]);
    expectPartition(s, 1_000_000);
  });

  it("99.5/0.25/0.25: 2500/2500 of a million; of 1000, round(2.5) = 3 each (half rounds up), train the rest", () => {
    const big = rows(1_000_000);
    const s = trainDevTestSplit(big.x, big.y, { ratios: [0.995, 0.0025, 0.0025], rng: rng(2) });
    expect([s.train.indices.length, s.dev.indices.length, s.test.indices.length]).toEqual([995_000, 2500, 2500]);
    const small = rows(1000);
    const t = trainDevTestSplit(small.x, small.y, { ratios: "99.5/0.25/0.25", rng: rng(2) });
    expect([t.train.indices.length, t.dev.indices.length, t.test.indices.length]).toEqual([994, 3, 3]);
  });

  it("counts: 10,000 dev and 10,000 test out of a million, or a full [train, dev, test]", () => {
    const { x, y } = rows(1_000_000);
    const s = trainDevTestSplit(x, y, { counts: { dev: 10_000, test: 10_000 }, rng: rng(3) });
    expect([s.train.indices.length, s.dev.indices.length, s.test.indices.length]).toEqual([980_000, 10_000, 10_000]);
    const small = rows(10);
    const t = trainDevTestSplit(small.x, small.y, { counts: [5, 3, 2], rng: rng(3) });
    expect([t.train.indices.length, t.dev.indices.length, t.test.indices.length]).toEqual([5, 3, 2]);
    expectPartition(t, 10);
  });

  it("without shuffling, the parts are consecutive runs in file order", () => {
    const { x, y } = rows(10);
    const s = trainDevTestSplit(x, y, { ratios: [0.6, 0.2, 0.2], shuffle: false });
    expect(Array.from(s.train.indices)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(Array.from(s.dev.indices)).toEqual([6, 7]);
    expect(Array.from(s.test.indices)).toEqual([8, 9]);
  });

  it("shuffled: train, dev, test are consecutive runs of rng.permutation(m)", () => {
    // numpy: np.random.RandomState(0).permutation(10) = [2 8 4 9 1 6 7 3 0 5]
    const { x, y } = rows(10);
    const s = trainDevTestSplit(x, y, { ratios: [0.6, 0.2, 0.2], rng: rng(0) });
    expect(Array.from(s.train.indices)).toEqual([2, 8, 4, 9, 1, 6]);
    expect(Array.from(s.dev.indices)).toEqual([7, 3]);
    expect(Array.from(s.test.indices)).toEqual([0, 5]);
  });

  it("keeps y aligned with x and works for (m, k) y and rank-3 x", () => {
    const m = 12;
    const x = new Tensor(Float64Array.from({ length: m * 4 }, (_, i) => i), [m, 2, 2]);
    const y = new Tensor(Float64Array.from({ length: m * 3 }, (_, i) => (i % 3 === Math.floor(i / 3) % 3 ? 1 : 0)), [m, 3]);
    const s = trainDevTestSplit(x, y, { ratios: [0.5, 0.25, 0.25], rng: rng(4) });
    expect(s.dev.x.shape).toEqual([3, 2, 2]);
    expect(s.dev.y.shape).toEqual([3, 3]);
    s.dev.indices.forEach((r, i) => {
      expect(Array.from(s.dev.x.data.subarray(i * 4, i * 4 + 4))).toEqual([4 * r, 4 * r + 1, 4 * r + 2, 4 * r + 3]);
      expect(Array.from(s.dev.y.data.subarray(i * 3, i * 3 + 3))).toEqual(Array.from(y.data.subarray(r * 3, r * 3 + 3)));
    });
  });
});

describe("determinism", () => {
  it("the same seed gives the same split (an Rng or a seed number), another seed a different one", () => {
    const { x, y } = rows(500);
    const a = trainDevTestSplit(x, y, { rng: rng(42) });
    const b = trainDevTestSplit(x, y, { rng: 42 });
    const c = trainDevTestSplit(x, y, { rng: rng(43) });
    for (const part of ["train", "dev", "test"] as const) {
      expect(Array.from(b[part].indices)).toEqual(Array.from(a[part].indices));
      expect(Array.from(b[part].x.data)).toEqual(Array.from(a[part].x.data));
    }
    expect(Array.from(c.dev.indices)).not.toEqual(Array.from(a.dev.indices));
  });
});

describe("stratified splits", () => {
  function classCounts(y: Tensor, indices: Int32Array, k: number): number[] {
    const counts = new Array<number>(k).fill(0);
    for (const r of indices) counts[y.data[r]!]!++;
    return counts;
  }

  it.each([
    { m: 1000, sizes: [500, 300, 200], ratios: "60/20/20" },
    { m: 1000, sizes: [333, 333, 334], ratios: "98/1/1" },
    { m: 997, sizes: [601, 17, 379], ratios: "70/15/15" },
    { m: 20_000, sizes: [19_000, 900, 100], ratios: "99.5/0.25/0.25" },
  ])("keeps each class within one example of its share ($ratios, classes $sizes)", ({ m, sizes, ratios }) => {
    const bounds = sizes.map((_, c) => sizes.slice(0, c).reduce((a, b) => a + b, 0));
    const { x, y } = rows(m, (i) => bounds.filter((b) => i >= b).length - 1);
    const plain = trainDevTestSplit(x, y, { ratios, rng: rng(5) });
    const s = trainDevTestSplit(x, y, { ratios, stratify: true, rng: rng(5) });
    expectPartition(s, m);
    for (const part of ["train", "dev", "test"] as const) {
      const n = s[part].indices.length;
      expect(n).toBe(plain[part].indices.length); // same part sizes as unstratified
      classCounts(y, s[part].indices, sizes.length).forEach((count, c) => {
        expect(Math.abs(count - (sizes[c]! * n) / m)).toBeLessThan(1);
      });
    }
  });

  it("stratifies one-hot (m, k) labels by their argmax", () => {
    const m = 100;
    const y = new Tensor(Float64Array.from({ length: m * 2 }, (_, i) => ((i % 2) === (Math.floor(i / 2) < 80 ? 0 : 1) ? 1 : 0)), [m, 2]);
    const { x } = rows(m);
    const s = trainDevTestSplit(x, y, { ratios: [0.5, 0.3, 0.2], stratify: true, rng: rng(6) });
    const ones = (idx: Int32Array): number => Array.from(idx).filter((r) => r >= 80).length;
    // 20 rows of class 1: 10 / 6 / 4 exactly.
    expect([ones(s.train.indices), ones(s.dev.indices), ones(s.test.indices)]).toEqual([10, 6, 4]);
  });

  it("apportion: row and column sums exact, every cell ⌊t⌋ or ⌈t⌉ (random tables)", () => {
    const g = rng(7);
    for (let trial = 0; trial < 200; trial++) {
      const k = 1 + g.randint(0, 8);
      const classSizes = Array.from({ length: k }, () => g.randint(0, 50));
      const m = classSizes.reduce((a, b) => a + b, 0);
      if (m === 0) continue;
      const cut1 = g.randint(0, m + 1), cut2 = g.randint(0, m + 1);
      const setSizes = [Math.min(cut1, cut2), Math.abs(cut1 - cut2), m - Math.max(cut1, cut2)];
      const table = apportion(classSizes, setSizes);
      table.forEach((row, c) => {
        expect(row.reduce((a, b) => a + b, 0)).toBe(classSizes[c]);
        row.forEach((v, s) => {
          const t = (classSizes[c]! * setSizes[s]!) / m;
          expect(v === Math.floor(t) || v === Math.ceil(t)).toBe(true);
        });
      });
      setSizes.forEach((size, s) => expect(table.reduce((a, row) => a + row[s]!, 0)).toBe(size));
    }
  });
});

describe("trainTestSplit", () => {
  it("defaults to 80/20 and takes ratios, percent strings and counts", () => {
    const { x, y } = rows(1000);
    const a = trainTestSplit(x, y, { rng: rng(0) });
    expect([a.train.indices.length, a.test.indices.length]).toEqual([800, 200]);
    const b = trainTestSplit(x, y, { ratios: "70/30", rng: rng(0) });
    expect([b.train.indices.length, b.test.indices.length]).toEqual([700, 300]);
    const c = trainTestSplit(x, y, { counts: { test: 123 }, rng: rng(0) });
    expect([c.train.indices.length, c.test.indices.length]).toEqual([877, 123]);
    expect("dev" in c).toBe(false);
  });
});

describe("split errors", () => {
  const { x, y } = rows(40);
  const split = (options: object): unknown => trainDevTestSplit(x, y, { rng: rng(0), ...options });

  it("rejects ratios that do not add up to 1 (or 100), naming the sum", () => {
    expect(() => split({ ratios: [0.6, 0.2, 0.3] })).toThrow(/ratios must add up to 1, got \[0\.6,0\.2,0\.3\] \(sum 1\.1/);
    expect(() => split({ ratios: "60/20/30" })).toThrow(/ratios must add up to 100, got "60\/20\/30" \(sum 110\)/);
    expect(() => split({ ratios: [60, 20, 20] })).toThrow(/add up to 1.*write \[0\.6, 0\.2, 0\.2\] or the string "60\/20\/20"/);
    expect(() => split({ ratios: [0.6, 0.2, 0.2 + 1e-8] })).toThrow(ArgumentError);
    expect(() => split({ ratios: [0.6, 0.2, 0.2 + 1e-12] })).not.toThrow();
  });

  it("rejects negative and zero ratios and malformed ones", () => {
    expect(() => split({ ratios: [1.2, -0.1, -0.1] })).toThrow(/ratio for dev must be a finite number ≥ 0, got -0\.1/);
    expect(() => split({ ratios: [0.8, 0.2, 0] })).toThrow(/ratio for test is 0, which leaves test empty; use trainTestSplit/);
    expect(() => split({ ratios: "60-20-20" })).toThrow(/ratios string must be 3 percentages/);
    expect(() => split({ ratios: [0.5, 0.5] })).toThrow(/ratios must be 3 fractions/);
  });

  it("rejects a ratio that leaves a set empty after rounding", () => {
    // round(40 × 0.01) = 0 rows of dev.
    expect(() => split({ ratios: "98/1/1" })).toThrow(/leave dev empty for 40 rows \(round\(40 × 0\.01\) = 0\)/);
  });

  it("rejects bad counts", () => {
    expect(() => split({ counts: { dev: 20, test: 20 } })).toThrow(/counts dev 20 \+ test 20 = 40 leave no rows for train out of 40/);
    expect(() => split({ counts: [30, 5, 4] })).toThrow(/add up to 39, but x has 40 rows/);
    expect(() => split({ counts: { dev: -1, test: 2 } })).toThrow(/counts\.dev must be an integer ≥ 0, got -1/);
    expect(() => split({ counts: { dev: 0, test: 2 } })).toThrow(/counts\.dev is 0/);
    expect(() => split({ counts: { dev: 1, test: 1 }, ratios: [0.6, 0.2, 0.2] })).toThrow(/give ratios or counts, not both/);
  });

  it("names both lengths when x and y disagree", () => {
    const short = rows(39).y;
    expect(() => trainDevTestSplit(x, short, { rng: rng(0) })).toThrow(ShapeError);
    expect(() => trainDevTestSplit(x, short, { rng: rng(0) })).toThrow(/x has 40 rows \(shape \[40,1\]\) but y has 39 \(shape \[39\]\)/);
  });

  it("needs an rng to shuffle", () => {
    expect(() => trainDevTestSplit(x, y)).toThrow(/rng is required when shuffle is true/);
    expect(() => trainDevTestSplit(x, y, { shuffle: false })).not.toThrow();
  });
});

describe("saving and re-applying a split", () => {
  it("splitIndices → JSON → applySplit reproduces the parts", () => {
    const { x, y } = rows(50, (i) => i % 3);
    const s = trainDevTestSplit(x, y, { rng: rng(9) });
    const saved = JSON.parse(JSON.stringify(splitIndices(s))) as { train: number[]; dev: number[]; test: number[] };
    const again = applySplit(x, y, saved);
    for (const part of ["train", "dev", "test"] as const) {
      expect(Array.from(again[part].x.data)).toEqual(Array.from(s[part].x.data));
      expect(Array.from(again[part].y.data)).toEqual(Array.from(s[part].y.data));
    }
    const two = applySplit(x, y, { train: [0, 1, 2], test: [3] });
    expect("dev" in two).toBe(false);
    expect(two.test.x.toArray()).toEqual([[3]]);
  });

  it("rejects overlapping, out-of-range and empty index sets", () => {
    const { x, y } = rows(5);
    expect(() => applySplit(x, y, { train: [0, 1], dev: [1], test: [2] })).toThrow(/row 1 is in both train and dev/);
    expect(() => applySplit(x, y, { train: [0, 5], dev: [1], test: [2] })).toThrow(/indices\.train\[1\] must be a row index in \[0, 4\], got 5/);
    expect(() => applySplit(x, y, { train: [0], dev: [], test: [2] })).toThrow(/indices\.dev is empty/);
  });
});

describe("kFold", () => {
  it("cuts the shuffled rows into k consecutive folds, the first n mod k one larger (sklearn KFold)", () => {
    // rng(0).permutation(10) = [2 8 4 9 1 6 7 3 0 5] (numpy); folds of 4, 3, 3.
    const folds = kFold(10, { k: 3, rng: rng(0) });
    expect(folds.map((f) => Array.from(f.dev))).toEqual([[2, 8, 4, 9], [1, 6, 7], [3, 0, 5]]);
    const seen = new Array<number>(10).fill(0);
    for (const f of folds) {
      for (const r of f.dev) seen[r]!++;
      expect([...f.train, ...f.dev].sort((a, b) => a - b)).toEqual(Array.from({ length: 10 }, (_, i) => i));
    }
    expect(seen).toEqual(new Array<number>(10).fill(1));
    const plain = kFold(7, { k: 2, shuffle: false });
    expect(plain.map((f) => Array.from(f.dev))).toEqual([[0, 1, 2, 3], [4, 5, 6]]);
    expect(Array.from(plain[0]!.train)).toEqual([4, 5, 6]);
  });

  it("stratified folds hold ⌊n_c/k⌋ or ⌈n_c/k⌉ rows of each class", () => {
    const n = 103;
    const labels = tensor(Array.from({ length: n }, (_, i) => (i < 70 ? 0 : i < 95 ? 1 : 2)));
    const sizes = [70, 25, 8];
    const folds = kFold(n, { k: 4, stratify: labels, rng: rng(1) });
    const covered = new Set<number>();
    for (const f of folds) {
      expect([26, 25]).toContain(f.dev.length);
      expect(f.train.length + f.dev.length).toBe(n);
      const counts = [0, 0, 0];
      for (const r of f.dev) { counts[labels.data[r]!]!++; covered.add(r); }
      counts.forEach((c, k) => expect([Math.floor(sizes[k]! / 4), Math.ceil(sizes[k]! / 4)]).toContain(c));
    }
    expect(covered.size).toBe(n);
  });

  it("rejects k < 2 or k > n and mismatched labels", () => {
    expect(() => kFold(10, { k: 1, rng: rng(0) })).toThrow(/k must be an integer in \[2, n\] = \[2, 10\], got 1/);
    expect(() => kFold(10, { k: 11, rng: rng(0) })).toThrow(/got 11/);
    expect(() => kFold(10, { stratify: tensor([0, 1]), rng: rng(0) })).toThrow(/stratify has 2 rows .* but n is 10/);
  });
});
