import { Sequential, Tanh, fit, softmaxCrossEntropy, type Callback, type Module } from "@hone/nn";
import { Dropout, l2 } from "@hone/regularize";
import { ArgumentError, mul, rng, tensor, type Tensor } from "@hone/tensor";
import { describe, expect, test } from "vitest";
import { checkModel } from "./check-model.js";
import { gradcheckCallback } from "./gradcheck-callback.js";
import { BrokenDense, linear, signed } from "./test-values.js";

/** Plain gradient descent, so the test needs no optimizer package. */
const sgd = (lr: number): { step: (ps: readonly Tensor[]) => void } => ({
  step: (ps) => { for (const p of ps) if (p.grad !== null) for (let i = 0; i < p.size; i++) p.data[i] = p.data[i]! - lr * p.grad.data[i]!; },
});

function smallNet(seed = 0, dropout?: Dropout): Sequential {
  const r = rng(seed);
  return new Sequential([linear(3, 4, r), new Tanh(), ...(dropout ? [dropout] : []), linear(4, 3, r)]);
}
const data = { x: signed([12, 3], 0.2, 1.5, 1), y: tensor([0, 2, 1, 1, 0, 2, 2, 0, 1, 0, 1, 2]) };
const batch = { x: signed([5, 3], 0.2, 1.5, 1), y: tensor([0, 2, 1, 1, 0]) };
const weights = (m: Module): number[][] => m.parameters().map((p) => Array.from(p.data));

describe("gradcheckCallback", () => {
  test("a correct model is correct at initialization and after training, and trains exactly as without the callback", () => {
    const model = smallNet();
    const start = weights(model);
    const check = gradcheckCallback({ loss: softmaxCrossEntropy, batch });
    const history = fit(model, data, { loss: softmaxCrossEntropy, optimizer: sgd(0.5), epochs: 20, callbacks: [check] });
    const { initial, trained, epochs, verdict, passed } = check.report();
    expect([initial!.verdict, trained!.verdict, verdict, passed, epochs]).toEqual(["correct", "correct", "correct", true, 20]);
    // Smooth activations: the two-sided difference is accurate to ~ε², far below the 2e-7 tier.
    expect(initial!.difference).toBeLessThan(2e-7);
    expect(trained!.difference).toBeLessThan(2e-7);
    // The first check saw the initial weights, the second the trained ones.
    const fresh = smallNet();
    expect(initial!.cost).toBe(checkModel(fresh, softmaxCrossEntropy, batch).cost);
    expect(trained!.cost).toBe(checkModel(model, softmaxCrossEntropy, batch).cost);
    expect(trained!.cost).toBeLessThan(initial!.cost - 0.1);
    // The same run without the callback: bit-identical history and weights.
    const plain = smallNet();
    expect(weights(plain)).toEqual(start);
    const plainHistory = fit(plain, data, { loss: softmaxCrossEntropy, optimizer: sgd(0.5), epochs: 20 });
    expect(history.epochs.map((e) => e.trainLoss)).toEqual(plainHistory.epochs.map((e) => e.trainLoss));
    expect(weights(model)).toEqual(weights(plain));
  });

  test("a planted bug (a doubled bias gradient) is found at both points, naming the same parameter", () => {
    const r = rng(4);
    const broken = new BrokenDense(mul(tensor(r.randnArray(12), { shape: [3, 4] }), 0.5), tensor(r.randnArray(3), { shape: [3] }));
    const model = new Sequential([linear(3, 4, r), new Tanh(), broken]);
    const biasBefore = Array.from(broken.bias.data);
    const check = gradcheckCallback({ loss: softmaxCrossEntropy, batch });
    fit(model, data, { loss: softmaxCrossEntropy, optimizer: sgd(0.3), epochs: 10, callbacks: [check] });
    const { initial, trained, verdict, passed } = check.report();
    expect(Array.from(broken.bias.data)).not.toEqual(biasBefore);
    expect([verdict, passed]).toEqual(["wrong", false]);
    for (const result of [initial!, trained!]) {
      expect(result.verdict).toBe("wrong");
      expect(result.failing).toEqual(["layers.2.bias"]);
      // Every entry doubled: |2g − g|/(|2g| + |g|) = 1/3, whatever the weights.
      expect(result.rows.find((row) => row.name === "layers.2.bias")!.difference).toBeCloseTo(1 / 3, 6);
    }
    expect(trained!.cost).not.toBe(initial!.cost);
  });

  test("dropout is off while it checks and on again for training; the dropout stream is not touched", () => {
    const seen: boolean[] = [];
    const drop = new Dropout({ keepProb: 0.5, rng: rng(9) });
    const model = smallNet(0, drop);
    const spy = (out: Tensor, y: Tensor): Tensor => { seen.push(drop.training); return softmaxCrossEntropy(out, y); };
    const check = gradcheckCallback({ loss: spy, batch });
    const modes: boolean[] = [];
    const after: Callback = { onTrainBegin: () => { modes.push(drop.training); }, onEpochBegin: () => { modes.push(drop.training); }, onTrainEnd: () => { modes.push(drop.training); } };
    const history = fit(model, data, { loss: softmaxCrossEntropy, optimizer: sgd(0.3), epochs: 5, callbacks: [check, after] });
    expect(seen.length).toBeGreaterThan(2 * 2 * 31); // two checks, two costs per component
    expect(seen.every((training) => !training)).toBe(true);
    expect(modes).toEqual([true, true, true, true, true, true, true]);
    // With dropout on, a fresh mask per forward pass would make the numeric gradient noise.
    expect(check.report().passed).toBe(true);
    // The same run without the callback draws the same masks.
    const plain = smallNet(0, new Dropout({ keepProb: 0.5, rng: rng(9) }));
    const plainHistory = fit(plain, data, { loss: softmaxCrossEntropy, optimizer: sgd(0.3), epochs: 5 });
    expect(history.epochs.map((e) => e.trainLoss)).toEqual(plainHistory.epochs.map((e) => e.trainLoss));
  });

  test("checks the cost with the penalty, and counts the epochs of an early stop", () => {
    const penalty = l2({ lambda: 0.7 });
    const check = gradcheckCallback({ loss: softmaxCrossEntropy, batch, penalty });
    const stopper: Callback = { onEpochEnd: (log, ctx) => { if (log.epoch === 2) ctx.stop("enough"); } };
    const model = smallNet();
    const history = fit(model, data, { loss: softmaxCrossEntropy, optimizer: sgd(0.3), epochs: 50, penalty, callbacks: [stopper, check] });
    expect(history.stopped?.epoch).toBe(2);
    const { initial, trained, epochs } = check.report();
    expect(epochs).toBe(3);
    expect(initial!.cost).toBe(checkModel(smallNet(), softmaxCrossEntropy, batch, { penalty }).cost);
    expect(initial!.cost).toBeGreaterThan(checkModel(smallNet(), softmaxCrossEntropy, batch).cost);
    expect(trained!.verdict).toBe("correct");
  });

  test("with sample, each check draws its own components from rng, the initial check first", () => {
    const check = gradcheckCallback({ loss: softmaxCrossEntropy, batch, sample: 8, rng: rng(5) });
    fit(smallNet(), data, { loss: softmaxCrossEntropy, optimizer: sgd(0.3), epochs: 2, callbacks: [check] });
    const { initial, trained } = check.report();
    expect([initial!.checked, trained!.checked, initial!.total]).toEqual([8, 8, 31]);
    const direct = checkModel(smallNet(), softmaxCrossEntropy, batch, { sample: 8, rng: rng(5) });
    expect(initial!.rows.map((row) => row.checked)).toEqual(direct.rows.map((row) => row.checked));
    expect(initial!.difference).toBe(direct.difference);
  });

  test("reports nothing before training, and validates its options at construction", () => {
    expect(gradcheckCallback({ loss: softmaxCrossEntropy, batch }).report()).toEqual({ initial: null, trained: null, epochs: 0, verdict: null, passed: false });
    expect(() => gradcheckCallback({ loss: 3 as unknown as typeof softmaxCrossEntropy, batch })).toThrow(/gradcheckCallback: loss must be a function/);
    expect(() => gradcheckCallback({ loss: softmaxCrossEntropy, batch: { x: batch.x } as { x: Tensor; y: Tensor } })).toThrow(ArgumentError);
    expect(() => gradcheckCallback({ loss: softmaxCrossEntropy, batch, epsilon: -1 })).toThrow(/gradcheckCallback: epsilon must be a positive finite number, got -1/);
    expect(() => gradcheckCallback({ loss: softmaxCrossEntropy, batch, sample: 8 })).toThrow(/gradcheckCallback: sample needs rng/);
    expect(() => gradcheckCallback({ loss: softmaxCrossEntropy, batch, sample: 0, rng: rng(1) })).toThrow(/sample must be a positive integer, got 0/);
    expect(() => gradcheckCallback({ loss: softmaxCrossEntropy, batch, thresholds: { correct: 1e-3, wrong: 1e-7 } })).toThrow(/thresholds\.wrong/);
  });
});
