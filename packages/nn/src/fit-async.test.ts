// fitAsync is fit that yields: the same numbers bit for bit, the event loop runs while it
// trains, and an abort stops it within one batch.
import { adam } from "@hone/optim";
import { ArgumentError, add, gatherRows, mul, rng, sum, tensor, type Tensor } from "@hone/tensor";
import { describe, expect, expectTypeOf, it } from "vitest";
import { binaryAccuracy } from "./metrics.js";
import { binaryCrossEntropyWithLogits } from "./losses.js";
import { fit, fitAsync, flattenEpochLog, type FitOptions, type Callback } from "./fit.js";
import { mlp } from "./layers.js";
import type { Module } from "./module.js";

/** 400 rows of two noisy interleaved half-circles, seeded. */
function moons(): { x: Tensor; y: Tensor } {
  const r = rng(7);
  const xs: number[][] = [], ys: number[] = [];
  for (let i = 0; i < 400; i++) {
    const t = Math.PI * r.random(), upper = i % 2 === 0;
    xs.push(upper ? [Math.cos(t) + 0.2 * r.randn(), Math.sin(t) + 0.2 * r.randn()] : [1 - Math.cos(t) + 0.2 * r.randn(), 0.5 - Math.sin(t) + 0.2 * r.randn()]);
    ys.push(upper ? 0 : 1);
  }
  return { x: tensor(xs), y: tensor(ys) };
}

function setup(): { model: Module; options: FitOptions; data: { x: Tensor; y: Tensor } } {
  const data = moons();
  const first100 = Int32Array.from({ length: 100 }, (_, i) => i);
  const model = mlp([2, 16, 16, 1], { rng: rng(3) });
  const l2 = (m: Module, n: number): Tensor => mul(m.parameters().filter((p) => p.rank === 2).map((w) => sum(mul(w, w))).reduce((a, b) => add(a, b)), 0.01 / (2 * n));
  const options: FitOptions = {
    loss: binaryCrossEntropyWithLogits, optimizer: adam({ lr: 0.01 }), epochs: 30, batchSize: 32, rng: rng(4),
    dev: { x: gatherRows(data.x, first100), y: gatherRows(data.y, first100) }, metrics: { accuracy: binaryAccuracy({ from: "logits" }) }, penalty: l2,
  };
  return { model, options, data };
}

describe("fitAsync", () => {
  it("gives fit's history and weights bit for bit", async () => {
    const a = setup(), b = setup();
    const sync = fit(a.model, a.data, a.options);
    const async_ = await fitAsync(b.model, b.data, { ...b.options, yieldEvery: 0 });
    expect(async_).toEqual(sync);
    const wa = a.model.parameters().map((p) => Array.from(p.data));
    const wb = b.model.parameters().map((p) => Array.from(p.data));
    expect(wb).toEqual(wa);
  });

  it("lets timers run while it trains", async () => {
    const { model, options, data } = setup();
    let ticks = 0;
    const timer = setInterval(() => { ticks++; }, 1);
    let batches = 0;
    const counter: Callback = { onBatchEnd: () => { batches++; } };
    await fitAsync(model, data, { ...options, epochs: 20, yieldEvery: 2, callbacks: [counter] });
    clearInterval(timer);
    expect(batches).toBe(20 * 13);
    // Training takes well over 20 ms here; a loop that never yielded would see no tick at all.
    expect(ticks).toBeGreaterThan(3);
  });

  it("stops within one batch of an abort and restores the training mode", async () => {
    const { model, options, data } = setup();
    model.eval();
    const controller = new AbortController();
    let batches = 0, abortedAt = -1;
    const callback: Callback = {
      onBatchEnd: (info) => {
        batches++;
        if (info.epoch === 2 && info.batch === 5) { controller.abort(new Error("enough")); abortedAt = batches; }
      },
    };
    await expect(fitAsync(model, data, { ...options, callbacks: [callback], signal: controller.signal })).rejects.toThrow("enough");
    expect(batches).toBe(abortedAt);
    expect(model.training).toBe(false);
  });

  it("refuses an already aborted signal and bad options", async () => {
    const { model, options, data } = setup();
    await expect(fitAsync(model, data, { ...options, signal: AbortSignal.abort(new Error("before")) })).rejects.toThrow("before");
    await expect(fitAsync(model, data, { ...options, yieldEvery: -1 })).rejects.toThrow(ArgumentError);
    await expect(fitAsync(model, data, { ...options, epochs: 1.5 })).rejects.toThrow(/fitAsync: epochs must be a non-negative integer, got 1.5/);
  });
});

describe("typed metrics", () => {
  it("knows the metric names passed, on train and dev, and refuses others (checked by tsc)", async () => {
    const { model, data } = setup();
    const history = await fitAsync(model, data, {
      loss: binaryCrossEntropyWithLogits, optimizer: adam({ lr: 0.01 }), epochs: 2, batchSize: 4, rng: rng(1),
      dev: data, metrics: { accuracy: binaryAccuracy({ from: "logits" }) },
    });
    const last = history.epochs.at(-1)!;
    expectTypeOf(last.dev!.accuracy).toEqualTypeOf<number>();
    expectTypeOf(last.train!.accuracy).toEqualTypeOf<number>();
    // @ts-expect-error "acuracy" was not passed as a metric
    void last.dev!.acuracy;
    // At run time every named metric is there, on every evaluated epoch.
    for (const e of history.epochs) {
      expect(Object.keys(e.train!)).toEqual(["accuracy"]);
      expect(Object.keys(e.dev!)).toEqual(["accuracy"]);
      expect(flattenEpochLog(e)).toEqual({ trainLoss: e.trainLoss, devLoss: e.devLoss, "train.accuracy": e.train!.accuracy, "dev.accuracy": e.dev!.accuracy });
    }
  });
});
