import { readFileSync } from "node:fs";
import { Tensor, rng, tensor } from "@hone/tensor";
import { describe, expect, it } from "vitest";
import { miniBatches } from "./index.js";

const fixtures = JSON.parse(
  readFileSync(new URL("../../../fixtures/course/numpy_rng_fixtures.json", import.meta.url), "utf8"),
) as { permutation_300: Record<string, number[]> };

/** x row i = [i, 1000 + i], y row i = i: a gathered row names its source. */
function indexed(m: number): { x: Tensor; y: Tensor } {
  return {
    x: new Tensor(Float64Array.from({ length: 2 * m }, (_, k) => (k % 2 === 0 ? k / 2 : 1000 + (k - 1) / 2)), [m, 2]),
    y: new Tensor(Float64Array.from({ length: m }, (_, i) => i), [m]),
  };
}

describe("miniBatches", () => {
  it.each([11, 12, 13])("with rng(%i) yields the course's batches (numpy permutation fixture, m = 300, batch 64)", (seed) => {
    const perm = fixtures.permutation_300[String(seed)]!;
    const { x, y } = indexed(300);
    const batches = miniBatches(x, y, { batchSize: 64, rng: rng(seed) });
    expect(Array.from(batches.permutation)).toEqual(perm);
    expect(batches.length).toBe(5);
    const seen = [...batches];
    expect(seen.map((b) => b.indices.length)).toEqual([64, 64, 64, 64, 44]);
    expect(Array.from(seen[0]!.y.data)).toEqual(perm.slice(0, 64));
    expect(Array.from(seen[4]!.y.data)).toEqual(perm.slice(256));
    seen.forEach((b, i) => {
      const expected = perm.slice(64 * i, 64 * (i + 1));
      expect(Array.from(b.indices)).toEqual(expected);
      expect(b.x.toArray()).toEqual(expected.map((r) => [r, 1000 + r]));
    });
  });

  it("defaults to the course's batch size 64 and reproduces the seed-0 permutation", () => {
    const { x, y } = indexed(300);
    const batches = miniBatches(x, y, { rng: 0 });
    expect(batches.batchSize).toBe(64);
    expect(Array.from(batches.permutation)).toEqual(fixtures.permutation_300["0"]);
  });

  it("has no partial batch when batchSize divides m, one batch when batchSize ≥ m", () => {
    const { x, y } = indexed(256);
    expect([...miniBatches(x, y, { rng: 1 })].map((b) => b.indices.length)).toEqual([64, 64, 64, 64]);
    expect([...miniBatches(x, y, { batchSize: 1000, rng: 1 })].map((b) => b.indices.length)).toEqual([256]);
  });

  it("keeps file order without shuffling and gives index views without gathering", () => {
    const { x, y } = indexed(5);
    const batches = miniBatches(x, y, { batchSize: 2, shuffle: false });
    expect(Array.from(batches.indices(2))).toEqual([4]);
    expect(batches.indices(1).buffer).toBe(batches.permutation.buffer); // a view, not a copy
    expect(batches.batch(1).y.toArray()).toEqual([2, 3]);
  });

  it("rejects bad arguments", () => {
    const { x, y } = indexed(5);
    expect(() => miniBatches(x, y, { batchSize: 0, rng: 1 })).toThrow(/batchSize must be a positive integer, got 0/);
    expect(() => miniBatches(x, y)).toThrow(/rng is required when shuffle is true/);
    expect(() => miniBatches(x, tensor([1, 2]), { rng: 1 })).toThrow(/x has 5 rows .* but y has 2/);
    expect(() => miniBatches(x, y, { batchSize: 2, rng: 1 }).batch(3)).toThrow(/batch index must be an integer in \[0, 2\], got 3/);
  });
});
