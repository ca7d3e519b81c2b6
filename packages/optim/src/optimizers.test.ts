import { backward, mul, sub, sum, tensor, add, square, type Tensor } from "@hone/tensor";
import { describe, expect, it } from "vitest";
import {
  adam, adamw, chain, clipByGlobalNorm, clipByValue, cosineDecay, exponentialDecay, inverseSqrtDecay, inverseTimeDecay,
  momentum, Optimizer, reduceOnPlateau, rmsprop, scaleByAdam, scaleByLearningRate, sgd, stepDecay, steppedInverseTimeDecay, warmup,
} from "./index.js";
import { optimizerCases } from "./optimizers.cases.js";

/** Runs `steps` optimizer steps on loss(w) and returns the final loss value. */
function run(opt: Optimizer, w: Tensor, loss: (w: Tensor) => Tensor, steps: number): number {
  for (let i = 0; i < steps; i++) {
    w.zeroGrad();
    backward(loss(w));
    opt.step([w]);
  }
  return loss(w).item();
}

// f(w) = Σ cᵢ·wᵢ² with different curvatures, minimum 0 at w = 0.
const quadratic = (w: Tensor): Tensor => sum(mul(square(w), tensor([1, 3, 0.5])));
// Rosenbrock f(x, y) = (1 − x)² + 100·(y − x²)², minimum 0 at (1, 1).
const rosenbrock = (w: Tensor): Tensor => {
  const xs = mul(w, tensor([1, 0])), ys = mul(w, tensor([0, 1]));
  const xv = sum(xs), yv = sum(ys);
  return add(square(sub(1, xv)), mul(square(sub(yv, square(xv))), 100));
};

describe.each(optimizerCases)("$name", ({ make, rosenbrock: r, bad }) => {
  it("descends a quadratic by at least 100×", () => {
    const w = tensor([1, -2, 3], { requiresGrad: true });
    const start = quadratic(w).item();
    expect(run(make(), w, quadratic, 2000)).toBeLessThan(start / 100);
  });

  it(`gets Rosenbrock from 12.5 below its threshold`, () => {
    const w = tensor([-1.5, 2], { requiresGrad: true });
    expect(rosenbrock(w).item()).toBe(12.5);
    expect(run(make(), w, rosenbrock, r.steps)).toBeLessThan(r.below);
  });

  it("rejects bad hyperparameters at construction, naming the value", () => {
    for (const [fn, message] of bad) expect(fn).toThrow(message);
  });

  it.each(["float64", "float32"] as const)("round-trips its %s state: resuming from a stateDict continues bit for bit", (dtype) => {
    const a = tensor([0.5, -1, 2], { requiresGrad: true, dtype });
    const optA = make();
    run(optA, a, quadratic, 5);
    const saved = JSON.parse(JSON.stringify(optA.stateDict())) as ReturnType<Optimizer["stateDict"]>;
    expect(saved.dtypes).toEqual([dtype]);
    const b = a.clone().requireGrad();
    const optB = make();
    optB.loadStateDict(saved);
    run(optA, a, quadratic, 5);
    run(optB, b, quadratic, 5);
    expect(Array.from(b.data)).toEqual(Array.from(a.data));
    expect(optB.stepCount).toBe(10);
    // The state is kept in the parameter's dtype, before and after loading.
    const types = (o: Optimizer): unknown[] => (o.state!.children ?? []).flatMap((c) => Object.values(c.buffers).flat().map((x) => x.constructor));
    const want = dtype === "float32" ? Float32Array : Float64Array;
    expect(types(optA).every((t) => t === want)).toBe(true);
    expect(types(optB)).toEqual(types(optA));
  });

  it("refuses parameters that do not match its state", () => {
    const opt = make();
    const w = tensor([1, 2, 3], { requiresGrad: true });
    run(opt, w, quadratic, 1);
    expect(() => opt.step([tensor([1, 2], { requiresGrad: true })])).toThrow(/parameter 0 has shape \[2\], the optimizer state expects \[3\]/);
    expect(() => opt.step([w, w])).toThrow(/got 2 parameters/);
    expect(() => opt.step([tensor([1, 2, 3], { requiresGrad: true, dtype: "float32" })])).toThrow(
      /parameter 0 is float32, the optimizer state holds float64 buffers/,
    );
  });
});

describe("loadStateDict and dtypes", () => {
  it("reads a state without dtypes as float64 and refuses dtypes that do not fit its shapes", () => {
    const w = tensor([1, 2], { requiresGrad: true });
    const opt = adam({ lr: 0.1 });
    run(opt, w, (x) => sum(square(x)), 2);
    const { dtypes, ...older } = opt.stateDict();
    expect(dtypes).toEqual(["float64"]);
    const other = adam({ lr: 0.1 });
    other.loadStateDict(older);
    expect(other.state!.children![0]!.buffers.v![0]).toBeInstanceOf(Float64Array);
    expect(() => adam({ lr: 0.1 }).loadStateDict({ ...older, dtypes: ["float16" as "float32"] })).toThrow(
      'loadStateDict: dtypes must hold 1 of "float64" or "float32" (one per shape), got ["float16"]',
    );
    expect(() => adam({ lr: 0.1 }).loadStateDict({ ...older, dtypes: [] })).toThrow("loadStateDict: dtypes must hold 1");
  });
});

/** One step with gradient g on a single scalar parameter starting at w0; returns the new value. */
function steps(opt: Optimizer, w0: number, grads: number[]): number[] {
  const w = tensor([w0], { requiresGrad: true });
  const out: number[] = [];
  for (const g of grads) {
    w.grad = tensor([g]);
    opt.step([w]);
    out.push(w.data[0]!);
  }
  return out;
}

describe("update rules match hand-computed two-step examples to 1e-12", () => {
  const close = (a: number, b: number): void => expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(b)));
  const [g1, g2] = [0.5, -0.2];

  it("sgd: W −= α·g", () => {
    const [w1, w2] = steps(sgd({ lr: 0.1 }), 1, [g1, g2]);
    close(w1!, 1 - 0.1 * 0.5); // 0.95
    close(w2!, 0.95 + 0.1 * 0.2); // 0.97
  });

  it("momentum (course): v = β·v + (1−β)·g; W −= α·v", () => {
    const [w1, w2] = steps(momentum({ lr: 0.1, beta: 0.9 }), 1, [g1, g2]);
    const v1 = 0.1 * 0.5; // 0.05
    const v2 = 0.9 * 0.05 + 0.1 * -0.2; // 0.025
    close(w1!, 1 - 0.1 * v1);
    close(w2!, 1 - 0.1 * v1 - 0.1 * v2);
  });

  it("momentum (pytorch): v = g, then v = β·v + g; W −= α·v; Nesterov W −= α·(g + β·v)", () => {
    const [w1, w2] = steps(momentum({ lr: 0.1, beta: 0.9, form: "pytorch" }), 1, [g1, g2]);
    close(w1!, 1 - 0.1 * 0.5);
    close(w2!, 0.95 - 0.1 * (0.9 * 0.5 - 0.2)); // v2 = 0.25
    const [n1, n2] = steps(momentum({ lr: 0.1, beta: 0.9, form: "pytorch", nesterov: true }), 1, [g1, g2]);
    close(n1!, 1 - 0.1 * (0.5 + 0.9 * 0.5));
    close(n2!, n1! - 0.1 * (-0.2 + 0.9 * 0.25));
  });

  it("rmsprop: s = β·s + (1−β)·g²; W −= α·g/(√s + ε)", () => {
    const [w1, w2] = steps(rmsprop({ lr: 0.01, beta: 0.9, eps: 1e-8 }), 1, [g1, g2]);
    const s1 = 0.1 * 0.25; // 0.025
    const s2 = 0.9 * 0.025 + 0.1 * 0.04; // 0.0265
    close(w1!, 1 - (0.01 * 0.5) / (Math.sqrt(s1) + 1e-8));
    close(w2!, w1! - (0.01 * -0.2) / (Math.sqrt(s2) + 1e-8));
  });

  it("adam: bias-corrected, t from 1, ε outside the root", () => {
    const [w1, w2] = steps(adam({ lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8 }), 1, [g1, g2]);
    // t = 1: v = 0.05, s = 0.00025; v̂ = 0.05/0.1 = 0.5, ŝ = 0.00025/0.001 = 0.25 → step 0.01·0.5/(0.5 + 1e-8)
    close(w1!, 1 - (0.01 * 0.5) / (0.5 + 1e-8));
    // t = 2: v = 0.9·0.05 − 0.02 = 0.025, s = 0.999·0.00025 + 0.001·0.04 = 0.00028975
    const vhat = 0.025 / (1 - 0.81), shat = 0.00028975 / (1 - 0.998001);
    close(w2!, w1! - (0.01 * vhat) / (Math.sqrt(shat) + 1e-8));
  });

  it("adamw: decoupled decay W −= α·(adam step + λ·W), weights only by default", () => {
    const opt = adamw({ lr: 0.01, weightDecay: 0.1 });
    const w = tensor([[1]], { requiresGrad: true }), b = tensor([1], { requiresGrad: true });
    w.grad = tensor([[0.5]]);
    b.grad = tensor([0.5]);
    opt.step([w, b]);
    close(w.data[0]!, 1 - 0.01 * (0.5 / (0.5 + 1e-8) + 0.1 * 1));
    close(b.data[0]!, 1 - 0.01 * (0.5 / (0.5 + 1e-8)));
  });

  it("coupled weight decay adds λ·W to the gradient before the moments", () => {
    const [w1] = steps(sgd({ lr: 0.1, weightDecay: 0.5 }), 2, [0.5]);
    close(w1!, 2 - 0.1 * (0.5 + 0.5 * 2));
  });
});

describe("clipping", () => {
  it("by global norm: scales all gradients by maxNorm/‖g‖ when exceeded, identity otherwise", () => {
    const opt = new Optimizer("clip", chain(clipByGlobalNorm(1), scaleByLearningRate(1)));
    const a = tensor([0, 0], { requiresGrad: true }), b = tensor([0], { requiresGrad: true });
    a.grad = tensor([3, 0]);
    b.grad = tensor([4]); // ‖g‖ = 5
    opt.step([a, b]);
    // Scaled by 1/5: the update is (0.6, 0, 0.8), norm 1.
    expect(a.data[0]).toBeCloseTo(-0.6, 15);
    expect(a.data[1]).toBe(0);
    expect(b.data[0]).toBeCloseTo(-0.8, 15);
    a.grad = tensor([0.3, 0]);
    b.grad = tensor([0.4]); // ‖g‖ = 0.5 < 1
    opt.step([a, b]);
    expect(a.data[0]).toBeCloseTo(-0.9, 15);
    expect(b.data[0]).toBeCloseTo(-1.2, 15);
  });

  it("by value: clips each component", () => {
    const opt = new Optimizer("clip", chain(clipByValue(0.5), scaleByLearningRate(1)));
    const a = tensor([0, 0, 0], { requiresGrad: true });
    a.grad = tensor([2, -0.1, -7]);
    opt.step([a]);
    expect(Array.from(a.data)).toEqual([-0.5, 0.1, 0.5]);
    expect(() => clipByValue(0)).toThrow("clipByValue: c must be a finite number > 0, got 0");
  });
});

describe("schedules match their formulas", () => {
  it("inverse time decay α₀/(1 + k·epoch)", () => {
    expect(inverseTimeDecay({ initial: 0.1, decayRate: 1 })(3)).toBe(0.025);
    expect(inverseTimeDecay({ initial: 0.5, decayRate: 0.3 })(0)).toBe(0.5);
  });
  it("the course's stepped form α₀/(1 + k·⌊epoch/interval⌋)", () => {
    const s = steppedInverseTimeDecay({ initial: 0.1, decayRate: 1, interval: 1000 });
    expect(s(999)).toBe(0.1);
    expect(s(1000)).toBe(0.05);
    expect(s(2999)).toBeCloseTo(0.1 / 3, 15);
  });
  it("exponential α₀·rᵉ, k/√epoch, step, cosine, warm-up", () => {
    expect(exponentialDecay({ initial: 0.1, rate: 0.95 })(2)).toBeCloseTo(0.09025, 15);
    expect(inverseSqrtDecay({ initial: 0.1 })(3)).toBe(0.05);
    expect(stepDecay({ initial: 1, factor: 0.5, every: 10 })(25)).toBe(0.25);
    const c = cosineDecay({ initial: 1, total: 100, final: 0.1 });
    expect(c(0)).toBe(1);
    expect(c(50)).toBeCloseTo(0.55, 15);
    expect(c(100)).toBeCloseTo(0.1, 15);
    expect(c(150)).toBeCloseTo(0.1, 15);
    const w = warmup(() => 0.1, { steps: 10 });
    expect(w(0)).toBe(0);
    expect(w(5)).toBe(0.05);
    expect(w(10)).toBe(0.1);
  });
  it("drive the optimizer's learning rate by epoch (default) or by step", () => {
    const opt = sgd({ lr: inverseTimeDecay({ initial: 0.1, decayRate: 1 }) });
    expect(opt.learningRate).toBe(0.1);
    opt.onEpochEnd({ epoch: 0, metrics: {} });
    expect(opt.learningRate).toBe(0.05);
    const byStep = sgd({ lr: (t) => 1 / (t + 1), scheduleUnit: "step" });
    const [w1, w2] = steps(byStep, 0, [1, 1]);
    expect(w1).toBe(-1);
    expect(w2).toBe(-1.5);
  });
  it("reject bad parameters", () => {
    expect(() => steppedInverseTimeDecay({ initial: 0.1, decayRate: 1, interval: 0 })).toThrow("interval must be a positive integer, got 0");
    expect(() => exponentialDecay({ initial: 0.1, rate: 1.5 })).toThrow("rate must be in (0, 1], got 1.5");
    expect(() => inverseTimeDecay({ initial: -0.1, decayRate: 1 })).toThrow("initial must be a finite number ≥ 0, got -0.1");
  });
});

describe("reduce on plateau", () => {
  it("multiplies the rate by factor after patience epochs without improvement", () => {
    const opt = new Optimizer("p", chain(scaleByLearningRate(1), reduceOnPlateau({ monitor: "devLoss", patience: 2, factor: 0.5 })));
    const losses = [1, 0.9, 0.95, 0.95, 0.95, 0.8, 0.9, 0.9, 0.9];
    const rates = losses.map((devLoss, epoch) => {
      opt.onEpochEnd({ epoch, metrics: { devLoss } });
      return opt.learningRate;
    });
    expect(rates).toEqual([1, 1, 1, 1, 0.5, 0.5, 0.5, 0.5, 0.25]);
  });

  it("skips epochs without the monitored value (dev evaluated every few epochs), but not a log that never had it", () => {
    const opt = new Optimizer("p", chain(scaleByLearningRate(1), reduceOnPlateau({ monitor: "devLoss", patience: 1, factor: 0.5 })));
    expect(() => opt.onEpochEnd({ epoch: 0, metrics: { trainLoss: 1 } })).toThrow("reduceOnPlateau: the epoch log has no 'devLoss'; it has trainLoss");
    const logs: Record<string, number>[] = [{ devLoss: 1 }, {}, { devLoss: 1 }, {}, {}, { devLoss: 1 }];
    const rates = logs.map((metrics, epoch) => {
      opt.onEpochEnd({ epoch, metrics: { trainLoss: 1, ...metrics } });
      return opt.learningRate;
    });
    // Only the three evaluated epochs count: no improvement at the 2nd (wait 1) and 3rd (wait 2 > 1).
    expect(rates).toEqual([1, 1, 1, 1, 1, 0.5]);
  });
});

describe("parameters without a gradient", () => {
  it("are skipped: neither the parameter nor its moments change", () => {
    const opt = adam({ lr: 0.1 });
    const a = tensor([1, 2], { requiresGrad: true }), b = tensor([3], { requiresGrad: true });
    a.grad = tensor([0.5, 0.5]);
    b.grad = tensor([0.5]);
    opt.step([a, b]);
    const bAfterOne = b.data[0]!;
    const moments = (): number[] => [opt.state!.children![0]!.buffers.v![1]![0]!, opt.state!.children![0]!.buffers.s![1]![0]!];
    const before = moments();
    b.grad = null;
    a.grad = tensor([0.5, 0.5]);
    opt.step([a, b]);
    expect(b.data[0]).toBe(bAfterOne);
    expect(moments()).toEqual(before);
    expect(a.data[0]).toBeLessThan(0.9); // a moved twice
  });

  it("a gradient of the wrong size is refused, naming the parameter", () => {
    const opt = sgd({ lr: 0.1 });
    const a = tensor([1, 2], { requiresGrad: true });
    a.grad = tensor([1, 2, 3]);
    expect(() => opt.step([a])).toThrow("sgd.step: parameter 0 has shape [2] but its grad has shape [3]");
  });
});

describe("Adam's one-pass step", () => {
  it.each(["float64", "float32"] as const)("%s: equals the general path (update, then p −= u) bit for bit, moments too", (dtype) => {
    // 3000 values: past the WebAssembly backend's threshold, so its kernel runs there.
    const n = 3000;
    const start = Array.from({ length: n }, (_, i) => Math.sin(i) * 2);
    const fused = adam({ lr: 0.01 });
    // A third link that changes nothing keeps the chain off the one-pass path.
    const general = new Optimizer("adam", chain(scaleByAdam(), scaleByLearningRate(0.01), clipByValue(1e300)));
    const a = tensor(start, { dtype, requiresGrad: true }), b = tensor(start, { dtype, requiresGrad: true });
    for (let t = 0; t < 20; t++) {
      const g = Array.from({ length: n }, (_, i) => Math.cos(i * (t + 1)));
      a.grad = tensor(g, { dtype });
      b.grad = tensor(g, { dtype });
      fused.step([a]);
      general.step([b]);
    }
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    expect(Array.from(fused.state!.children![0]!.buffers.s![0]!)).toEqual(Array.from(general.state!.children![0]!.buffers.s![0]!));
    // And the gradient is left as it was.
    expect(Array.from(a.grad!.data)).toEqual(Array.from(tensor(Array.from({ length: n }, (_, i) => Math.cos(i * 20)), { dtype }).data));
    // The first takes the one pass, the second cannot.
    expect(fused.transform.apply!([a.data], [a.grad!.data], fused.state!, { step: 20, epoch: 0 })).toBe(true);
    expect(general.transform.apply!([b.data], [b.grad!.data], general.state!, { step: 20, epoch: 0 })).toBe(false);
  });
});
