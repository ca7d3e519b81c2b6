// Early stopping on a run whose dev loss falls then rises, built so the sequence is known by
// hand: one weight θ (from 0), training target 5, dev target 3, input 1, squared error and
// gradient descent with α = 0.1. Each epoch θ ← θ − α·2(θ − 5) = 0.8θ + 1, so after epoch e
// θ = 1, 1.8, 2.44, 2.952, 3.3616, 3.68928, … and the dev loss (θ − 3)² is
// 4, 1.44, 0.3136, 0.002304, 0.13075, 0.47504, …: best at epoch 3, rising after.
import { Module, fit, meanSquaredError, type Callback, type EpochLog, type ModuleConfig, type OptimizerLike } from "@hone/nn";
import { ArgumentError, mul, tensor, type Tensor } from "@hone/tensor";
import { describe, expect, it } from "vitest";
import { earlyStopping, type EarlyStoppingOptions } from "./index.js";

class Scale extends Module {
  readonly theta: Tensor;
  constructor() { super(); this.theta = this.registerParameter("theta", tensor([0])); }
  forward(x: Tensor): Tensor { return mul(x, this.theta); }
  getConfig(): ModuleConfig { return { type: "Scale", config: {} }; }
}

const gd = (lr: number): OptimizerLike => ({
  step(params: readonly Tensor[]): void {
    for (const p of params) if (p.grad) for (let i = 0; i < p.size; i++) p.data[i]! -= lr * p.grad.data[i]!;
  },
});

const train = { x: tensor([[1]]), y: tensor([[5]]) };
const dev = { x: tensor([[1]]), y: tensor([[3]]) };

/** The dev loss after each epoch, by the hand recurrence θ ← 0.8θ + 1. */
function handDevLosses(epochs: number): number[] {
  const out: number[] = [];
  for (let e = 0, theta = 0; e < epochs; e++) { theta = 0.8 * theta + 1; out.push((theta - 3) ** 2); }
  return out;
}

function run(options: EarlyStoppingOptions, epochs = 50, extra: Partial<Parameters<typeof fit>[2]> = {}): {
  model: Scale; stopper: ReturnType<typeof earlyStopping>; history: ReturnType<typeof fit>; snapshots: Map<number, Float64Array>;
} {
  const model = new Scale();
  const stopper = earlyStopping(options);
  const snapshots = new Map<number, Float64Array>();
  const recorder: Callback = { onEpochEnd: (log: EpochLog) => { snapshots.set(log.epoch, Float64Array.from(model.theta.data)); } };
  const history = fit(model, train, {
    loss: meanSquaredError, optimizer: gd(0.1), epochs, dev, callbacks: [recorder, stopper],
    metrics: { negLoss: (out, y) => -meanSquaredError(out, y).item() }, ...extra,
  });
  return { model, stopper, history, snapshots };
}

describe("earlyStopping", () => {
  it("the hand sequence has its minimum at epoch 3 and fit logs it", () => {
    const hand = handDevLosses(8);
    expect(hand.indexOf(Math.min(...hand))).toBe(3);
    const { history } = run({ patience: 100 }, 8);
    history.epochs.forEach((e, i) => expect(Math.abs(e.devLoss! - hand[i]!)).toBeLessThan(1e-12));
  });

  it.each([1, 2, 3, 5])("stops at best epoch + patience (patience %i)", (patience) => {
    const { stopper, history } = run({ patience });
    const stopped = 3 + patience;
    expect(history.epochs).toHaveLength(stopped + 1);
    expect(history.stopped?.epoch).toBe(stopped);
    const result = stopper.result;
    expect(result.bestEpoch).toBe(3);
    expect(Math.abs(result.bestValue - 0.002304)).toBeLessThan(1e-12);
    expect(result.stoppedEpoch).toBe(stopped);
    expect(result.reason).toBe(history.stopped?.reason);
    expect(result.reason).toMatch(/^earlyStopping: devLoss has not improved by more than 0 for \d+ epochs? \(best 0\.0023\d* at epoch 3\)$/);
    expect(result.restored).toBe(false);
  });

  it("restoreBest loads exactly the best epoch's weights back (bit-identical to a snapshot taken then)", () => {
    const { model, stopper, snapshots } = run({ patience: 2, restoreBest: true });
    expect(stopper.result.restored).toBe(true);
    expect(Array.from(model.theta.data)).toEqual(Array.from(snapshots.get(3)!));
    expect(model.theta.data[0]).not.toBe(snapshots.get(5)![0]); // not the last epoch's weights
    expect(model.theta.requiresGrad).toBe(true); // still the same trainable parameter
  });

  it("without restoreBest the last epoch's weights stay", () => {
    const { model, snapshots } = run({ patience: 2 });
    expect(Array.from(model.theta.data)).toEqual(Array.from(snapshots.get(5)!));
  });

  it("restores at the end also when training runs every epoch", () => {
    const { model, stopper, history, snapshots } = run({ patience: 10, restoreBest: true }, 6);
    expect(history.stopped).toBeNull();
    expect(stopper.result).toEqual({ bestEpoch: 3, bestValue: stopper.result.bestValue, stoppedEpoch: null, reason: null, restored: true });
    expect(Array.from(model.theta.data)).toEqual(Array.from(snapshots.get(3)!));
  });

  it("minDelta: an improvement must exceed it (epoch 3 improves by 0.311 < 0.5)", () => {
    const { stopper } = run({ patience: 2, minDelta: 0.5 });
    expect(stopper.result.bestEpoch).toBe(2);
    expect(stopper.result.stoppedEpoch).toBe(4);
  });

  it("watches a dev metric in max mode", () => {
    const { stopper } = run({ monitor: "dev.negLoss", mode: "max", patience: 2 });
    expect(stopper.result.bestEpoch).toBe(3);
    expect(stopper.result.stoppedEpoch).toBe(5);
  });

  it("watches trainLoss (which only falls here) without stopping", () => {
    const { stopper, history } = run({ monitor: "trainLoss", patience: 2 }, 10);
    expect(history.stopped).toBeNull();
    expect(stopper.result.bestEpoch).toBe(9);
  });

  it("skips epochs without an evaluation (evaluateEvery 2): patience counts observed epochs", () => {
    // Observed at epochs 0, 2, 4, 6: 4, 0.3136, 0.13075, 0.905…: best 4, stop at 6 with patience 1.
    const { stopper } = run({ patience: 1 }, 50, { evaluateEvery: 2 });
    expect(stopper.result.bestEpoch).toBe(4);
    expect(stopper.result.stoppedEpoch).toBe(6);
  });

  it("resets its state when reused for another fit", () => {
    const model = new Scale();
    const stopper = earlyStopping({ patience: 2 });
    const opts = { loss: meanSquaredError, optimizer: gd(0.1), epochs: 50, dev, callbacks: [stopper] };
    fit(model, train, opts);
    expect(stopper.result.stoppedEpoch).toBe(5);
    model.theta.data[0] = 0;
    fit(model, train, { ...opts, epochs: 2 });
    expect(stopper.result).toMatchObject({ bestEpoch: 1, stoppedEpoch: null, reason: null });
  });

  it("auto mode: min for losses, max for accuracy-like names, else asks", () => {
    expect(earlyStopping().mode).toBe("min");
    expect(earlyStopping({ monitor: "dev.accuracy" }).mode).toBe("max");
    expect(earlyStopping({ monitor: "dev.errorRate" }).mode).toBe("min");
    expect(() => earlyStopping({ monitor: "dev.score" })).toThrow('earlyStopping: cannot tell whether "dev.score" should go up or down; pass mode: "min" or "max"');
    expect(earlyStopping({ monitor: "dev.score", mode: "max" }).mode).toBe("max");
  });

  it("a missing monitored value is an error naming the available keys", () => {
    const model = new Scale();
    const go = (monitor: string, withDev: boolean): unknown => fit(model, train, {
      loss: meanSquaredError, optimizer: gd(0.1), epochs: 3, callbacks: [earlyStopping({ monitor, mode: "min" })],
      metrics: { negLoss: (out, y) => -meanSquaredError(out, y).item() }, ...(withDev ? { dev } : {}),
    });
    expect(() => go("devLoss", false)).toThrow('earlyStopping: the epoch log has no "devLoss"; available: trainLoss, train.negLoss (pass fit a dev set)');
    expect(() => go("dev.acc", true)).toThrow('earlyStopping: the epoch log has no "dev.acc"; available: trainLoss, devLoss, train.negLoss, dev.negLoss');
  });

  it("validates its options", () => {
    expect(() => earlyStopping({ patience: 0 })).toThrow("earlyStopping: patience must be an integer ≥ 1, got 0");
    expect(() => earlyStopping({ minDelta: -1 })).toThrow("earlyStopping: minDelta must be a finite number ≥ 0, got -1");
    expect(() => earlyStopping({ mode: "up" as never })).toThrow(ArgumentError);
    expect(() => earlyStopping({ monitor: "" })).toThrow(/monitor must be a non-empty string/);
  });
});
