// Two copies of the package in one program: a tensor, an Rng or an error from one copy is an
// instance of the other copy's class. The second copy is this source copied to a temporary
// folder and imported from there: distinct modules and classes, as a nested node_modules copy.
import { cpSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { ArgumentError, HoneError, Rng, ShapeError, Tensor, isTensor, tensor, type rng } from "./index.js";

interface Copy {
  Tensor: typeof Tensor;
  Rng: typeof Rng;
  ShapeError: typeof ShapeError;
  HoneError: typeof HoneError;
  tensor: typeof tensor;
  rng: typeof rng;
  matmul: (a: Tensor, b: Tensor) => Tensor;
  isTensor: typeof isTensor;
}

let copy: Promise<Copy> | null = null;
function secondCopy(): Promise<Copy> {
  copy ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), "hone-tensor-copy-"));
    cpSync(fileURLToPath(new URL(".", import.meta.url)), dir, { recursive: true, filter: (f) => !f.endsWith(".test.ts") });
    return (await import(/* @vite-ignore */ pathToFileURL(join(dir, "index.ts")).href)) as Copy;
  })();
  return copy;
}

describe("one Tensor across copies", () => {
  it("loads a distinct copy (its classes are other objects)", async () => {
    const other = await secondCopy();
    expect(other.Tensor).not.toBe(Tensor);
    expect(Object.getPrototypeOf(other.tensor([1])) === Tensor.prototype).toBe(false);
  });

  it("a tensor, an Rng and errors from the other copy pass instanceof here, and back", async () => {
    const other = await secondCopy();
    const t = other.tensor([[1, 2], [3, 4]]);
    expect(t instanceof Tensor).toBe(true);
    expect(isTensor(t)).toBe(true);
    expect(tensor([1]) instanceof other.Tensor).toBe(true);
    expect(other.rng(1) instanceof Rng).toBe(true);
    const e = new other.ShapeError("x");
    expect(e instanceof ShapeError).toBe(true);
    expect(e instanceof HoneError).toBe(true);
    expect(e instanceof ArgumentError).toBe(false);
    expect(new ArgumentError("y") instanceof other.HoneError).toBe(true);
    // And this copy's ops compute on the other's tensors.
    expect(other.matmul(t, tensor([[1], [1]])).toArray()).toEqual([[3], [7]]);
  });

  it("keeps instanceof false for what is not a tensor", () => {
    for (const x of [null, undefined, 1, "t", [1, 2], { data: new Float64Array(1), shape: [1] }, Tensor]) expect(isTensor(x)).toBe(false);
    class Sub extends Tensor {}
    // A subclass without a brand of its own keeps the prototype-chain test.
    expect(new Sub(new Float64Array(1), [1]) instanceof Sub).toBe(true);
    expect(tensor([1]) instanceof Sub).toBe(false);
    expect(new Sub(new Float64Array(1), [1]) instanceof Tensor).toBe(true);
  });
});
