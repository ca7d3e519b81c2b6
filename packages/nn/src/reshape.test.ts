// Reshape: flat rows to images (a CSV's pixel columns into Conv2d), checked by hand and
// through a save/load round trip.
import { ShapeError, arange, rng, tensor } from "@hone/tensor";
import { describe, expect, it } from "vitest";
import { Conv2d, MaxPool2d } from "./conv-layers.js";
import { Flatten, Linear, ReLU, Reshape, Sequential } from "./layers.js";
import { loadModel, serializeModel } from "./serialize.js";

describe("Reshape", () => {
  it("keeps the batch axis and lays each row out row-major", () => {
    const x = arange(0, 8).reshape([2, 4]);
    const y = new Reshape([2, 2, 1]).forward(x);
    expect(y.shape).toEqual([2, 2, 2, 1]);
    // Example 1's pixel (row 1, col 0) is its third value: 4 + 2.
    expect((y.toArray() as number[][][][])[1]![1]![0]![0]).toBe(6);
  });

  it("refuses a bad shape and an input of the wrong size", () => {
    expect(() => new Reshape([])).toThrow(/Reshape: shape must be a non-empty array of positive integers/);
    expect(() => new Reshape([8, 0])).toThrow(/got \[8,0\]/);
    expect(() => new Reshape([2, 2]).forward(tensor([[1, 2, 3]]))).toThrow(ShapeError);
    expect(() => new Reshape([2, 2]).forward(tensor([[1, 2, 3]]))).toThrow("Reshape: each example must have 4 values for shape [2, 2], got input of shape [1, 3]");
  });

  it("saves and loads inside a small CNN, with the same outputs", () => {
    const r = rng(4);
    const model = new Sequential([
      new Reshape([4, 4, 1]), new Conv2d(1, 2, 3, { padding: "same", rng: r }), new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(8, 3, { rng: r }),
    ]);
    const x = tensor(Array.from({ length: 3 * 16 }, (_, i) => Math.sin(i)), { shape: [3, 16] });
    const { model: again } = loadModel(serializeModel(model, { format: "json" }));
    expect(again.getConfig()).toEqual(model.getConfig());
    expect(Array.from(again.forward(x).data)).toEqual(Array.from(model.forward(x).data));
  });
});
