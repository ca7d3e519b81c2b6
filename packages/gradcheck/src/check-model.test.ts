import { ReLU, Sequential, Tanh, Linear, softmaxCrossEntropy, meanSquaredError, type Module } from "@hone/nn";
import { Dropout, l2 } from "@hone/regularize";
import type { Tensor} from "@hone/tensor";
import { ArgumentError, DTypeError, mul, rng, tensor, zeros } from "@hone/tensor";
import { describe, expect, test } from "vitest";
import { checkModel } from "./check-model.js";
import { formatReport } from "./report.js";
import { BrokenDense, linear, signed } from "./test-values.js";

function smallNet(seed = 0, dropout?: Dropout): Sequential {
  const r = rng(seed);
  return new Sequential([linear(3, 4, r), new Tanh(), ...(dropout ? [dropout] : []), linear(4, 3, r)]);
}
const batch = { x: signed([5, 3], 0.2, 1.5, 1), y: tensor([0, 2, 1, 1, 0]) };

describe("checkModel", () => {
  test("a correct model: correct overall and per named parameter, in namedParameters order", () => {
    const model = smallNet();
    const r = checkModel(model, softmaxCrossEntropy, batch);
    expect(r.verdict).toBe("correct");
    expect(r.rows.map((row) => [row.name, row.shape])).toEqual([
      ["layers.0.weight", [4, 3]], ["layers.0.bias", [4]], ["layers.2.weight", [3, 4]], ["layers.2.bias", [3]],
    ]);
    expect(r.rows.every((row) => row.verdict === "correct")).toBe(true);
    expect(r.difference).toBeLessThan(2e-7);
    expect(r.total).toBe(12 + 4 + 12 + 3);
  });

  test("a broken custom layer fails with <path>.bias named and nothing else", () => {
    const r = rng(4);
    const broken = new BrokenDense(mul(tensor(r.randnArray(12), { shape: [3, 4] }), 0.5), tensor(r.randnArray(3), { shape: [3] }));
    const model = new Sequential([linear(3, 4, r), new Tanh(), broken]);
    const result = checkModel(model, softmaxCrossEntropy, batch);
    expect(result.verdict).toBe("wrong");
    expect(result.failing).toEqual(["layers.2.bias"]);
    expect(result.rows.filter((row) => row.verdict !== "correct").map((row) => row.name)).toEqual(["layers.2.bias"]);
    const bias = result.rows.find((row) => row.name === "layers.2.bias")!;
    expect(bias.difference).toBeCloseTo(1 / 3, 6); // every entry doubled: |2−1|/(2+1)
    expect(formatReport(result)).toContain(`layers.2.bias is wrong, worst at [${bias.worst[0]!.index.join(",")}]`);
  });

  test("includes the penalty: the analytic gradient gains λ/m·W on weights (the course's L2)", () => {
    const lambda = 0.7, m = 5;
    const plain = checkModel(smallNet(), softmaxCrossEntropy, batch);
    const model = smallNet();
    const withL2 = checkModel(model, softmaxCrossEntropy, batch, { penalty: l2({ lambda }) });
    expect(withL2.verdict).toBe("correct");
    withL2.rows.forEach((row, k) => {
      const w = model.namedParameters()[k]![1];
      row.analytic.forEach((g, i) => {
        const expected = plain.rows[k]!.analytic[i]! + (w.rank === 2 ? (lambda / m) * w.data[i]! : 0);
        expect(g).toBeCloseTo(expected, 12);
      });
    });
    // The cost includes λ/(2m)·Σ‖W‖².
    const sq = model.namedParameters().filter(([, p]) => p.rank === 2).reduce((s, [, p]) => s + Array.from(p.data).reduce((a, v) => a + v * v, 0), 0);
    expect(withL2.cost).toBeCloseTo(plain.cost + (lambda / (2 * m)) * sq, 12);
  });

  test("runs in eval mode (dropout off, no mask drawn) and restores every module's mode", () => {
    const drop = new Dropout({ keepProb: 0.5, rng: rng(9) });
    const model = smallNet(0, drop);
    model.train();
    const r = checkModel(model, softmaxCrossEntropy, batch);
    expect(r.verdict).toBe("correct");
    expect(drop.mask).toBeNull();
    expect(model.namedModules().every(([, m]) => m.training)).toBe(true);
    // A mixed state comes back as it was.
    model.eval();
    drop.training = true;
    checkModel(model, softmaxCrossEntropy, batch);
    expect(drop.training).toBe(true);
    expect(model.training).toBe(false);
  });

  test("restores modes, parameter values and gradients when the cost throws mid-check", () => {
    const model = smallNet();
    model.train();
    const before = model.namedParameters().map(([, p]) => Array.from(p.data));
    const marker = tensor([1, 2, 3, 4]);
    model.namedParameters()[1]![1].grad = marker;
    let calls = 0;
    const failing = (out: Tensor, y: Tensor): Tensor => {
      if (++calls === 8) throw new Error("loss failed");
      return softmaxCrossEntropy(out, y);
    };
    expect(() => checkModel(model, failing, batch)).toThrow("loss failed");
    expect(model.namedModules().every(([, m]) => m.training)).toBe(true);
    expect(model.namedParameters().map(([, p]) => Array.from(p.data))).toEqual(before);
    expect(model.namedParameters()[1]![1].grad).toBe(marker);
    expect(model.namedParameters()[0]![1].grad).toBeNull();
  });

  test("leaves parameter values bit-identical and .grad as it was", () => {
    const model = smallNet();
    const before = model.namedParameters().map(([, p]) => Array.from(p.data));
    checkModel(model, softmaxCrossEntropy, batch);
    expect(model.namedParameters().map(([, p]) => Array.from(p.data))).toEqual(before);
    expect(model.parameters().every((p) => p.grad === null)).toBe(true);
  });

  test("refuses float32 parameters and batches with a DTypeError that says why", () => {
    const model = new Sequential([new Linear(3, 2, { dtype: "float32", init: () => tensor([[1, 2, 3], [4, 5, 6]], { dtype: "float32" }), biasInit: () => zeros([2], { dtype: "float32" }) })]);
    expect(() => checkModel(model, meanSquaredError, { x: signed([2, 3]), y: signed([2, 2]) })).toThrow(DTypeError);
    expect(() => checkModel(model, meanSquaredError, { x: signed([2, 3]), y: signed([2, 2]) })).toThrow(
      /checkModel: parameter layers\.0\.weight is float32\. A gradient check needs float64: ε = 1e-7 is below float32 resolution/,
    );
    expect(() => checkModel(smallNet(), softmaxCrossEntropy, { x: tensor(batch.x.data, { shape: [5, 3], dtype: "float32" }), y: batch.y })).toThrow(/batch\.x is float32/);
  });

  test("warns when a ReLU input sits on the kink, naming the layer and where", () => {
    const model = new Sequential([
      new Linear(2, 2, { init: () => tensor([[1, -1], [0.5, 0.25]]), biasInit: () => tensor([0, 0.1]) }),
      new ReLU(),
      new Linear(2, 1, { init: () => tensor([[0.7, -0.3]]), biasInit: () => tensor([0.2]) }),
    ]);
    // Row 1: z₀ = 0.8 − 0.8 = 0, exactly on the kink.
    const r = checkModel(model, meanSquaredError, { x: tensor([[1, 2], [0.8, 0.8], [-1, 0.5]]), y: tensor([1, 0, 2]) });
    expect(r.kinks).toEqual([{ layer: "layers.1", type: "ReLU", count: 1, minAbs: 0, index: [1, 0] }]);
    expect(r.warnings[0]).toMatch(/^layers\.1 \(ReLU\): 1 input\(s\) within 1e-6 of the kink at 0 \(smallest \|z\| = 0\.00e\+0 at \[1,0\]\)/);
    expect(formatReport(r)).toContain("warning: layers.1 (ReLU)");
    // Away from the kink, nothing to report.
    const away = checkModel(model, meanSquaredError, { x: tensor([[1, 2], [0.8, 0.3], [-1, 0.5]]), y: tensor([1, 0, 2]) });
    expect(away.kinks).toEqual([]);
    expect(away.verdict).toBe("correct");
  });

  test("checks a seeded sample of components across all parameters", () => {
    const r = checkModel(smallNet(), softmaxCrossEntropy, batch, { sample: 10, rng: rng(5) });
    expect(r.checked).toBe(10);
    expect(r.total).toBe(31);
    expect(r.rows.reduce((s, row) => s + row.checked, 0)).toBe(10);
    expect(r.verdict).toBe("correct");
    expect(() => checkModel(smallNet(), softmaxCrossEntropy, batch, { sample: 10 })).toThrow(/checkModel: sample needs rng/);
  });

  test("validates its arguments", () => {
    expect(() => checkModel({} as Module, softmaxCrossEntropy, batch)).toThrow(/model must be a Module/);
    expect(() => checkModel(smallNet(), softmaxCrossEntropy, { x: batch.x } as { x: Tensor; y: Tensor })).toThrow(ArgumentError);
    expect(() => checkModel(new Sequential([new Tanh()]), meanSquaredError, batch)).toThrow(/the model has no parameters to check/);
    expect(() => checkModel(smallNet(), (o) => o, batch)).toThrow(/the cost must be a scalar, got \[5,3\]/);
    expect(() => checkModel(smallNet(), softmaxCrossEntropy, batch, { kinkMargin: -1 })).toThrow(/kinkMargin must be a non-negative number, got -1/);
  });
});
