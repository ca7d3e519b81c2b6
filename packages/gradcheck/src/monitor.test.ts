import { heNormal, randomNormal, xavierNormal, type Initializer } from "@hone/init";
import { Linear, Sequential, Tanh, binaryCrossEntropyWithLogits, fit, mlp, type Activation } from "@hone/nn";
import { add, matmul, randn, rng, tensor, type Tensor } from "@hone/tensor";
import { describe, expect, test } from "vitest";
import { formatMonitorReport, gradientMonitor, type GradientMonitor } from "./monitor.js";

/** Plain SGD, enough to take a few steps. */
const sgd = {
  step(ps: readonly Tensor[]): void {
    for (const p of ps) if (p.grad) for (let i = 0; i < p.size; i++) p.data[i] = p.data[i]! - 0.01 * p.grad.data[i]!;
  },
};
const x = randn([32, 8], rng(1));
const y = tensor(Array.from({ length: 32 }, (_, i) => ((i * 7) % 3 === 0 ? 1 : 0)));

/** A few fit steps (batches of 8) of an mlp of `depth` Linear layers of width 32 under a monitor. */
function run(depth: number, activation: Activation, init: Initializer, monitor: GradientMonitor, epochs = 1): void {
  const model = mlp([8, ...Array<number>(depth - 1).fill(32), 1], { activation, init, rng: rng(0) });
  fit(model, { x, y }, { loss: binaryCrossEntropyWithLogits, optimizer: sgd, epochs, batchSize: 8, rng: rng(2), callbacks: [monitor], onNonFinite: "continue" });
}

describe("gradientMonitor (defaults: vanishingRatio 1e-3, explodingRatio 1e3, explodingNorm 1e3)", () => {
  test("flags a deep sigmoid network (10 layers of width 32, Glorot init) as vanishing at layers.0", () => {
    const monitor = gradientMonitor();
    run(10, "sigmoid", xavierNormal, monitor);
    const report = monitor.report();
    expect(report.records).toBe(4);
    expect(report.vanishing).toBe(true);
    expect(report.exploding).toBe(false);
    expect(report.findings).toHaveLength(1);
    const f = report.findings[0]!;
    expect([f.kind, f.layer, f.count]).toEqual(["vanishing", "layers.0", 4]);
    // The ratio it reports is the first layer's weight-gradient norm over the last one's.
    const first = monitor.history[0]!;
    const ratio = first.layers[0]!.gradNorm / first.layers.at(-1)!.gradNorm;
    expect(f.value).toBe(ratio);
    expect(ratio).toBeLessThan(1e-3);
    expect(f.message).toMatch(/^vanishing gradients: ‖∇W‖ of layers\.0 \(\S+\) is \S+ × that of layers\.18 \(\S+\), below 1\.00e-3$/);
  });

  test("flags large initial weights (std 10, 4 ReLU layers of width 32) as exploding, naming the layer", () => {
    const monitor = gradientMonitor();
    run(4, "relu", randomNormal({ std: 10 }), monitor);
    const report = monitor.report();
    expect(report.exploding).toBe(true);
    const f = report.findings.find((g) => g.kind === "exploding")!;
    expect(f.step).toBe(0);
    // The named layer holds the largest gradient norm of that step, above 1e3.
    const step0 = monitor.history[0]!.layers;
    const largest = step0.reduce((a, b) => (b.gradNorm > a.gradNorm ? b : a));
    expect(f.layer).toBe(largest.layer);
    expect(f.value).toBeGreaterThan(1e3);
    expect(f.message).toMatch(/^exploding gradients: ‖∇layers\.\d\.weight‖ = \S+ > 1\.00e\+3$/);
  });

  test("stays quiet on a He-initialized ReLU network of 5 layers of width 32", () => {
    const monitor = gradientMonitor();
    run(5, "relu", heNormal, monitor, 2);
    const report = monitor.report();
    expect(report.records).toBe(8);
    expect(report.findings).toEqual([]);
    expect(report.vanishing || report.exploding).toBe(false);
    expect(formatMonitorReport(report).split("\n")[0]).toBe("gradient monitor: 8 records; no vanishing, no exploding gradients");
  });
});

describe("gradientMonitor records", () => {
  function model(): Sequential {
    return new Sequential([
      new Linear(2, 3, { init: () => tensor([[0.5, -1], [1, 0.25], [-0.5, 0.5]]), biasInit: () => tensor([0.1, 0, -0.2]) }),
      new Tanh(),
      new Linear(3, 1, { init: () => tensor([[1, -2, 0.5]]), biasInit: () => tensor([0.3]) }),
    ]);
  }

  test("per-layer gradient and weight norms, grouped by layer path, from the parameters' .grad", () => {
    const net = model();
    const monitor = gradientMonitor();
    net.namedParameters()[0]![1].grad = tensor([[3, 4], [0, 0], [0, 0]]);
    net.namedParameters()[1]![1].grad = tensor([1, 2, 2]);
    net.namedParameters()[2]![1].grad = tensor([[0, 0, 2]]);
    const record = monitor.observe(net, { epoch: 1, batch: 2, loss: 0.5 })!;
    expect(record.layers.map((l) => [l.layer, l.type])).toEqual([["layers.0", "Linear"], ["layers.2", "Linear"]]);
    expect(record.layers[0]!.gradNorm).toBe(5); // ‖[[3,4],[0,0],[0,0]]‖
    expect(record.layers[0]!.parameters[1]).toEqual({ name: "layers.0.bias", gradNorm: 3, weightNorm: Math.hypot(0.1, 0, -0.2) });
    expect(record.layers[1]!.parameters[1]!.gradNorm).toBe(0); // no gradient reached it
    expect(record.layers[1]!.weightNorm).toBe(Math.sqrt(1 + 4 + 0.25));
    expect([record.step, record.epoch, record.batch, record.loss]).toEqual([0, 1, 2, 0.5]);
    expect(record.findings).toEqual([]); // ratio 5/2 is inside [1e-3, 1e3]
  });

  test("flags a non-finite gradient as exploding at its layer; thresholds are options", () => {
    const net = model();
    net.namedParameters()[0]![1].grad = tensor([[1, 0], [0, 0], [0, 0]]);
    net.namedParameters()[3]![1].grad = tensor([NaN]);
    net.namedParameters()[2]![1].grad = tensor([[0, 0, 1]]);
    const record = gradientMonitor().observe(net)!;
    expect(record.findings.map((f) => [f.kind, f.layer])).toEqual([["exploding", "layers.2"]]);
    expect(record.findings[0]!.message).toBe("exploding gradients: layers.2.bias has a non-finite gradient (norm NaN)");
    // The same gradients with a stricter vanishing ratio: 1/1 is not below 0.5, 0.1 is.
    net.namedParameters()[3]![1].grad = tensor([0]);
    expect(gradientMonitor({ vanishingRatio: 0.5 }).observe(net)!.findings).toEqual([]);
    net.namedParameters()[0]![1].grad = tensor([[0.1, 0], [0, 0], [0, 0]]);
    expect(gradientMonitor({ vanishingRatio: 0.5 }).observe(net)!.findings.map((f) => f.kind)).toEqual(["vanishing"]);
    expect(gradientMonitor({ explodingNorm: 0.05 }).observe(net)!.findings.map((f) => [f.kind, f.layer])).toEqual([["exploding", "layers.2"]]);
  });

  test("flags gradients growing towards the input by more than explodingRatio, at the input-side layer", () => {
    const net = model();
    net.namedParameters()[0]![1].grad = tensor([[3000, 4000], [0, 0], [0, 0]]);
    net.namedParameters()[2]![1].grad = tensor([[0, 0, 2]]);
    const record = gradientMonitor({ explodingNorm: 1e6 }).observe(net)!;
    expect(record.findings.map((f) => [f.kind, f.layer, f.value])).toEqual([["exploding", "layers.0", 2500]]);
    expect(record.findings[0]!.message).toBe("exploding gradients: ‖∇W‖ of layers.0 (5.00e+3) is 2.50e+3 × that of layers.2 (2.00e+0), above 1.00e+3");
  });

  test("every: records every n-th backward pass", () => {
    const monitor = gradientMonitor({ every: 3 });
    const net = model();
    for (let i = 0; i < 7; i++) monitor.observe(net);
    expect(monitor.history.map((r) => r.step)).toEqual([0, 3, 6]);
  });

  test("a probe batch adds each layer's output norm, computed in eval mode without gradients", () => {
    const probe = tensor([[1, 2], [-0.5, 0.25]]);
    const net = model();
    net.train();
    const record = gradientMonitor({ probe }).observe(net)!;
    expect(record.activations!.map((a) => [a.layer, a.type])).toEqual([["layers.0", "Linear"], ["layers.1", "Tanh"], ["layers.2", "Linear"]]);
    // Reference: the first layer's output computed directly.
    const z = add(matmul(probe, net.namedParameters()[0]![1], { transposeB: true }), net.namedParameters()[1]![1]);
    const norm = Math.hypot(...Array.from(z.data));
    expect(record.activations![0]!.norm).toBeCloseTo(norm, 14);
    expect(record.activations![0]!.rms).toBeCloseTo(norm / Math.sqrt(6), 14);
    expect(net.training).toBe(true);
  });

  test("validates its options", () => {
    expect(() => gradientMonitor({ vanishingRatio: 0 })).toThrow(/vanishingRatio must be a positive number, got 0/);
    expect(() => gradientMonitor({ every: 1.5 })).toThrow(/every must be a positive integer, got 1.5/);
    expect(() => gradientMonitor({ vanishingRatio: 10, explodingRatio: 5 })).toThrow(/explodingRatio \(5\) must be above vanishingRatio \(10\)/);
    expect(() => gradientMonitor({ probe: [1] as unknown as Tensor })).toThrow(/probe must be a Tensor/);
  });
});
