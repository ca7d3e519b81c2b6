// Creating tensors, and reading them back (toArray nesting, item, toList).
import { describe, expect, it } from "vitest";
import { Tensor, arange, empty, eye, full, linspace, ones, onesLike, tensor, zeros, zerosLike } from "./index.js";

describe("tensor()", () => {
  it("infers the shape of nested arrays", () => {
    const x = tensor([[1, 2, 3], [4, 5, 6]]);
    expect(x.shape).toEqual([2, 3]);
    expect(x.size).toBe(6);
    expect(x.dtype).toBe("float64");
    expect(Array.from(x.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(tensor([[[1], [2]], [[3], [4]]]).shape).toEqual([2, 2, 1]);
  });

  it("scalars, flat lists, typed arrays with a shape, empty arrays", () => {
    expect(tensor(3.5).shape).toEqual([]);
    expect(tensor(3.5).item()).toBe(3.5);
    expect(tensor([1, 2, 3]).shape).toEqual([3]);
    const t = tensor(new Float64Array([1, 2, 3, 4]), { shape: [2, 2] });
    expect(t.toArray()).toEqual([[1, 2], [3, 4]]);
    expect(tensor([1, 2, 3, 4, 5, 6], { shape: [3, 1, 2] }).toArray()).toEqual([[[1, 2]], [[3, 4]], [[5, 6]]]);
    expect(tensor([7], { shape: [] }).item()).toBe(7);
    expect(tensor([]).shape).toEqual([0]);
    expect(tensor([[]]).shape).toEqual([1, 0]);
    expect(tensor(new Float32Array([0.5]), { dtype: "float32" }).dtype).toBe("float32");
  });

  it("copies the values and converts to the requested dtype", () => {
    const src = new Float64Array([0.1, 2]);
    const x = tensor(src);
    src[0] = 99;
    expect(x.data[0]).toBe(0.1);
    const row = [1, 2];
    const y = tensor([row]);
    row[0] = 5;
    expect(y.data[0]).toBe(1);
    const f = tensor([[0.1, 0.2]], { dtype: "float32" });
    expect(f.data).toBeInstanceOf(Float32Array);
    expect(Array.from(f.data)).toEqual([Math.fround(0.1), Math.fround(0.2)]);
  });

  it("requiresGrad defaults to false", () => {
    expect(tensor([1]).requiresGrad).toBe(false);
    expect(tensor([1], { requiresGrad: true }).requiresGrad).toBe(true);
    expect(tensor([1]).grad).toBeNull();
  });
});

describe("reading values back", () => {
  it("toArray nests by shape; a scalar gives a number", () => {
    expect(tensor(2).toArray()).toBe(2);
    expect(tensor([1, 2]).toArray()).toEqual([1, 2]);
    const x = tensor(Float64Array.from({ length: 24 }, (_, i) => i), { shape: [2, 3, 4] });
    const a = x.toArray() as number[][][];
    expect(a.length).toBe(2);
    expect(a.at(1)?.length).toBe(3);
    expect(a.at(1)?.at(2)).toEqual([20, 21, 22, 23]);
    expect(a.at(0)?.at(1)?.at(3)).toBe(7);
    expect(tensor([1, 2, 3, 4], { shape: [1, 4, 1] }).toArray()).toEqual([[[1], [2], [3], [4]]]);
    expect(zeros([2, 0]).toArray()).toEqual([[], []]);
    expect(zeros([0, 2]).toArray()).toEqual([]);
  });

  it("toList flattens; item reads one element", () => {
    expect(tensor([[1, 2], [3, 4]]).toList()).toEqual([1, 2, 3, 4]);
    expect(tensor([[5]]).item()).toBe(5);
  });

  it("clone copies the buffer; detach shares it", () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const c = x.clone();
    c.data[0] = 9;
    expect(x.data[0]).toBe(1);
    expect(c.requiresGrad).toBe(false);
    expect(x.detach().data).toBe(x.data);
  });

  it("the constructor wraps data without copying", () => {
    const d = new Float64Array([1, 2, 3, 4, 5, 6]);
    const t = new Tensor(d, [3, 2]);
    expect(t.data).toBe(d);
    expect(t.rank).toBe(2);
  });
});

describe("constant fills", () => {
  it("zeros, ones, full, empty, zerosLike, onesLike", () => {
    expect(zeros([2, 3]).toArray()).toEqual([[0, 0, 0], [0, 0, 0]]);
    expect(ones([3]).toArray()).toEqual([1, 1, 1]);
    expect(full([2, 2], 7).toArray()).toEqual([[7, 7], [7, 7]]);
    expect(full([], -1.5).item()).toBe(-1.5);
    expect(zeros([0]).size).toBe(0);
    expect(empty([2, 2]).toArray()).toEqual([[0, 0], [0, 0]]);
    expect(ones([2], { dtype: "float32" }).dtype).toBe("float32");
    expect(full([2], 1, { requiresGrad: true }).requiresGrad).toBe(true);
    const f = tensor([[1, 2]], { dtype: "float32" });
    expect(zerosLike(f).shape).toEqual([1, 2]);
    expect(zerosLike(f).dtype).toBe("float32");
    expect(onesLike(f).toArray()).toEqual([[1, 1]]);
    expect(onesLike(f).dtype).toBe("float32");
  });

  it("a shape passed in is not aliased", () => {
    const shape = [2, 2];
    const z = zeros(shape);
    shape[0] = 5;
    expect(z.shape).toEqual([2, 2]);
  });
});

describe("ranges", () => {
  it("arange matches numpy.arange", () => {
    expect(arange(0, 5).toArray()).toEqual([0, 1, 2, 3, 4]);
    expect(arange(1, 2, 0.25).toArray()).toEqual([1, 1.25, 1.5, 1.75]);
    expect(arange(5, 0, -1).toArray()).toEqual([5, 4, 3, 2, 1]);
    expect(arange(0, 1, 0.1).size).toBe(10); // numpy: len(np.arange(0, 1, 0.1)) == 10
    expect(arange(0, 1, 0.1).data[3]).toBe(3 * 0.1); // numpy: start + i·step
    expect(arange(2, 2).size).toBe(0);
    expect(arange(3, 1).size).toBe(0);
    expect(arange(-1, 2, 1.5).toArray()).toEqual([-1, 0.5]);
    expect(arange(0, 3, 1, { dtype: "float32" }).dtype).toBe("float32");
  });

  it("linspace matches numpy.linspace, endpoint exact", () => {
    expect(linspace(0, 1, 5).toArray()).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(linspace(2, 3, 1).toArray()).toEqual([2]);
    expect(linspace(0, 1, 0).size).toBe(0);
    expect(linspace(1, -1, 3).toArray()).toEqual([1, 0, -1]);
    const l = linspace(0, 0.3, 4);
    expect(l.data[3]).toBe(0.3);
    // numpy: y[i] = start + i·step with step = (stop − start)/(num − 1), then y[-1] = stop.
    expect(l.data[1]).toBe(0.3 / 3);
    expect(l.data[2]).toBe(2 * (0.3 / 3));
    expect(linspace(-5, 5, 11).toArray()).toEqual([-5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5]);
  });

  it("eye: square and rectangular identities", () => {
    expect(eye(3).toArray()).toEqual([[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
    expect(eye(2, 3).toArray()).toEqual([[1, 0, 0], [0, 1, 0]]);
    expect(eye(3, 2).toArray()).toEqual([[1, 0], [0, 1], [0, 0]]);
    expect(eye(0).shape).toEqual([0, 0]);
    expect(eye(2, 2, { dtype: "float32" }).dtype).toBe("float32");
  });
});
