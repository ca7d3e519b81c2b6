// extentOf and gridPoints against hand-computed boxes and cell centres.
import { ArgumentError, ShapeError, tensor } from "@hone/tensor";
import { describe, expect, it } from "vitest";
import { extentOf, gridPoints } from "./grid.js";

describe("extentOf", () => {
  it("pads the bounding box by 8% of each side", () => {
    const e = extentOf(tensor([[0, 0], [10, 5], [4, 1]]));
    expect(e.xMin).toBeCloseTo(-0.8, 14);
    expect(e.xMax).toBeCloseTo(10.8, 14);
    expect(e.yMin).toBeCloseTo(-0.4, 14);
    expect(e.yMax).toBeCloseTo(5.4, 14);
  });
  it("widens a side of zero width by 1, and takes another pad", () => {
    expect(extentOf(tensor([[2, 3], [2, 7]]), { pad: 0.5 })).toEqual({ xMin: 1, xMax: 3, yMin: 1, yMax: 9 });
  });
  it.each([
    [() => extentOf(tensor([[1, 2, 3]])), ShapeError, "extentOf: x must have shape (m, 2), got [1,3]"],
    [() => extentOf(tensor([[NaN, 1]])), ArgumentError, "extentOf: x must hold finite values"],
    [() => extentOf(tensor([[0, 1]]), { pad: -1 }), ArgumentError, "extentOf: pad must be a finite number ≥ 0, got -1"],
  ])("refuses bad input %#", (call, type, message) => {
    expect(call).toThrow(type);
    expect(call).toThrow(message);
  });
});

describe("gridPoints", () => {
  it("gives the cell centres row by row from the top", () => {
    expect(gridPoints({ xMin: 0, xMax: 2, yMin: 0, yMax: 2 }, 2, 2).toArray()).toEqual([[0.5, 1.5], [1.5, 1.5], [0.5, 0.5], [1.5, 0.5]]);
    const g = gridPoints({ xMin: -1, xMax: 1, yMin: 0, yMax: 3 }, 4, 3);
    expect(g.shape).toEqual([12, 2]);
    expect([g.data[10], g.data[11]]).toEqual([-0.25, 1.5]); // row 1, column 1
  });
  it.each([
    [() => gridPoints({ xMin: 0, xMax: 1, yMin: 0, yMax: 1 }, 0), "gridPoints: nx must be a positive integer, got 0"],
    [() => gridPoints({ xMin: 1, xMax: 1, yMin: 0, yMax: 1 }, 3), "gridPoints: extent must have finite xMin < xMax and yMin < yMax"],
  ])("refuses bad input %#", (call, message) => {
    expect(call).toThrow(ArgumentError);
    expect(call).toThrow(message);
  });
});
