// Inverted dropout: masks against numpy's draws (fixtures), the course's masks in its
// (features, examples) layout, eval/identity behaviour, fixed masks, config round trips,
// and a statistical test of the expected activation and the dropped fraction.
import { readFileSync } from "node:fs";
import { Module, ReLU, Sequential, loadModel, mlp, serializeModel, type ModuleConfig } from "@hone/nn";
import { ArgumentError, add, backward, div, matmul, mul, ones, rng, sum, tensor, type Tensor } from "@hone/tensor";
import { describe, expect, it } from "vitest";
import { Dropout, dropout, dropoutAfterHidden } from "./index.js";

interface Fixtures {
  rand_seed1_first10: number[];
  dropout_seed1_rand_20x211_then_3x211: { U1_first5_row0: number[]; "D1_keep0.86": number[][]; "D2_keep0.86": number[][] };
}
const fixtures = JSON.parse(readFileSync(new URL("../../../fixtures/course/numpy_rng_fixtures.json", import.meta.url), "utf8")) as Fixtures;

const transpose = (a: number[][]): number[][] => a[0]!.map((_, j) => a.map((row) => row[j]!));

describe("Dropout: construction", () => {
  it("accepts keepProb or rate (keepProb = 1 − rate)", () => {
    expect(new Dropout({ keepProb: 0.8 }).keepProb).toBe(0.8);
    expect(new Dropout({ rate: 0.25 }).keepProb).toBe(0.75);
    expect(dropout({ keepProb: 1 }).keepProb).toBe(1);
  });

  it("rejects both, neither, and values out of range, naming the value", () => {
    expect(() => new Dropout({ keepProb: 0.5, rate: 0.5 } as never)).toThrow(ArgumentError);
    expect(() => new Dropout({ keepProb: 0.5, rate: 0.5 } as never)).toThrow("Dropout: give keepProb or rate, not both (got keepProb 0.5 and rate 0.5)");
    expect(() => new Dropout({} as never)).toThrow(/Dropout: expected keepProb/);
    expect(() => new Dropout({ keepProb: 1.5 })).toThrow("Dropout: keepProb must be in (0, 1], got 1.5");
    expect(() => new Dropout({ keepProb: 0 })).toThrow("Dropout: keepProb must be in (0, 1], got 0");
    expect(() => new Dropout({ keepProb: NaN })).toThrow("Dropout: keepProb must be in (0, 1], got NaN");
    expect(() => new Dropout({ rate: 1 })).toThrow("Dropout: rate must be in [0, 1), got 1");
    expect(() => new Dropout({ keepProb: 0.5, maskLayout: "columns" as never })).toThrow(/maskLayout must be "batchFirst" or "featuresFirst", got "columns"/);
    expect(() => new Dropout({ keepProb: 0.5, rng: 1 as never })).toThrow(/Dropout: rng must be an Rng/);
  });

  it("needs an rng only to train with keepProb < 1", () => {
    const d = new Dropout({ keepProb: 0.5 });
    expect(() => d.forward(ones([2, 3]))).toThrow("Dropout(keepProb=0.5): training mode needs an rng to draw masks from; pass { rng } (input shape [2,3])");
    expect(d.eval().forward(ones([2, 3])).toList()).toEqual([1, 1, 1, 1, 1, 1]);
  });
});

describe("Dropout: forward", () => {
  it("keeps where u < keepProb, u drawn row-major (numpy's seed(1) rand), and scales by 1/keepProb", () => {
    const keepProb = 0.5;
    const x = tensor([[1, 2, 3, 4, 5], [6, 7, 8, 9, 10]]);
    const d = new Dropout({ keepProb, rng: rng(1) });
    const out = d.forward(x);
    const u = fixtures.rand_seed1_first10;
    const expected = x.toList().map((v, i) => (u[i]! < keepProb ? (v * 1) / keepProb : 0));
    expect(out.toList()).toEqual(expected);
    expect(d.mask!.toList()).toEqual(u.map((v) => (v < keepProb ? 1 : 0)));
  });

  it("computes (x·mask)/keepProb in that order, bit for bit", () => {
    const keepProb = 0.86;
    const x = tensor([[0.1, 0.7, 1 / 3], [2 / 7, 5.5, -0.9]]);
    const d = new Dropout({ keepProb, rng: rng(1) });
    const out = d.forward(x).toList();
    const u = fixtures.rand_seed1_first10;
    x.toList().forEach((v, i) => expect(out[i]).toBe((v * (u[i]! < keepProb ? 1 : 0)) / keepProb));
  });

  it("its gradient is (dy·mask)/keepProb, as the composed div(mul(x, mask), keepProb) gives it", () => {
    const keepProb = 0.7;
    const values = [0.3, -1.2, 2.5, 0.8, -0.1, 1.7, 0.05, -2.2, 0.9, 1.1];
    const upstream = tensor([1.5, -0.25, 3, 0.1, -7, 2, 0.5, -1, 4, 0.3], { shape: [2, 5] });
    const x = tensor(values, { shape: [2, 5], requiresGrad: true });
    const d = new Dropout({ keepProb, rng: rng(1) });
    backward(sum(mul(d.forward(x), upstream)));
    const m = d.mask!.toList();
    // Hand formula, and the composed tensor ops' autograd as a second reference.
    const hand = upstream.toList().map((g, i) => (g * m[i]!) / keepProb);
    const x2 = tensor(values, { shape: [2, 5], requiresGrad: true });
    backward(sum(mul(div(mul(x2, d.mask!), keepProb), upstream)));
    const fused = x.grad!.toList(), composed = x2.grad!.toList();
    hand.forEach((h, i) => {
      expect(fused[i] === h, `element ${i}: ${fused[i]} vs ${h}`).toBe(true);
      expect(composed[i] === h, `element ${i}: composed ${composed[i]} vs ${h}`).toBe(true);
    });
    expect(m).toContain(0);
  });

  it("is the identity in eval mode and for keepProb = 1, drawing nothing", () => {
    const x = tensor([[1, 2], [3, 4]]);
    const g = rng(1);
    const d = new Dropout({ keepProb: 0.5, rng: g }).eval();
    expect(d.forward(x)).toBe(x);
    const one = new Dropout({ keepProb: 1, rng: g });
    expect(one.training).toBe(true);
    expect(one.forward(x)).toBe(x);
    expect(g.random()).toBe(fixtures.rand_seed1_first10[0]); // the stream was not touched
  });

  it("draws a new mask every training pass by default", () => {
    const d = new Dropout({ keepProb: 0.5, rng: rng(7) });
    const a = d.forward(ones([4, 25])).toList();
    const b = d.forward(ones([4, 25])).toList();
    expect(a).not.toEqual(b);
  });

  it("with fixedMask, reuses the first training mask while the shape is the same", () => {
    const g = rng(7);
    const d = new Dropout({ keepProb: 0.5, rng: g, fixedMask: true });
    const first = d.forward(ones([4, 25])).toList();
    const second = d.forward(ones([4, 25])).toList();
    expect(second).toEqual(first);
    const probe = g.clone();
    d.forward(ones([4, 25]));
    expect(g.random()).toBe(probe.random()); // reuse draws nothing
    const other = d.forward(ones([5, 25]));
    expect(other.shape).toEqual([5, 25]);
    expect(d.mask!.shape).toEqual([5, 25]);
    d.resetMask();
    expect(d.mask).toBeNull();
    expect(d.forward(ones([4, 25])).toList()).not.toEqual(first); // a fresh draw
  });

  it("propagates the gradient mask/keepProb", () => {
    const x = tensor([[1, 2, 3, 4, 5]], { requiresGrad: true });
    const d = new Dropout({ keepProb: 0.5, rng: rng(1) });
    backward(sum(d.forward(x)));
    const u = fixtures.rand_seed1_first10;
    expect(x.grad!.toList()).toEqual(u.slice(0, 5).map((v) => (v < 0.5 ? 2 : 0)));
  });
});

describe("Dropout: the course's masks", () => {
  it("two layers sharing rng(1), fixed, featuresFirst: masks are D1ᵀ (211×20) and D2ᵀ (211×3)", () => {
    const shared = rng(1);
    const d1 = new Dropout({ keepProb: 0.86, rng: shared, fixedMask: true, maskLayout: "featuresFirst" });
    const d2 = new Dropout({ keepProb: 0.86, rng: shared, fixedMask: true, maskLayout: "featuresFirst" });
    const f = fixtures.dropout_seed1_rand_20x211_then_3x211;
    for (let pass = 0; pass < 3; pass++) {
      d1.forward(ones([211, 20]));
      d2.forward(ones([211, 3]));
      expect(d1.mask!.toArray()).toEqual(transpose(f["D1_keep0.86"]));
      expect(d2.mask!.toArray()).toEqual(transpose(f["D2_keep0.86"]));
    }
  });

  it("featuresFirst draws the uniforms as (features, batch) row-major", () => {
    // U1[0][:5] is the first row of the notebook's rand(20, 211): feature 0 of examples 0…4.
    const keep = 0.3;
    const d = new Dropout({ keepProb: keep, rng: rng(1), maskLayout: "featuresFirst" });
    d.forward(ones([211, 20]));
    const column0 = (d.mask!.toArray() as number[][]).slice(0, 5).map((row) => row[0]);
    expect(column0).toEqual(fixtures.dropout_seed1_rand_20x211_then_3x211.U1_first5_row0.map((u) => (u < keep ? 1 : 0)));
  });
});

describe("Dropout: statistics", () => {
  // Input: `rows` copies of a vector v of `units` values. Over rows, each output unit is an
  // average of `rows` draws of v_j·B/p (B ~ Bernoulli(p)), whose standard error is
  // v_j·√((1−p)/p)/√rows; the fraction of zeros has standard error √(p(1−p)/n) over all
  // n = rows·units units. Tolerances: 5 standard errors (a miss has probability < 1e-6 per check).
  it.each([0.5, 0.8, 0.86])("keepProb %s keeps the expected activation and zeroes about 1 − keepProb", (p) => {
    const rows = 4000, units = 50;
    const v = Array.from({ length: units }, (_, j) => 0.5 + j / 10);
    const x = tensor(Array.from({ length: rows }, () => v));
    const d = new Dropout({ keepProb: p, rng: rng(2024) });
    const out = d.forward(x).data;
    let zeros = 0;
    for (let j = 0; j < units; j++) {
      let s = 0;
      for (let r = 0; r < rows; r++) {
        const o = out[r * units + j]!;
        s += o;
        if (o === 0) zeros++;
      }
      const se = v[j]! * Math.sqrt((1 - p) / p) / Math.sqrt(rows);
      expect(Math.abs(s / rows - v[j]!), `unit ${j}`).toBeLessThan(5 * se);
    }
    const n = rows * units;
    expect(Math.abs(zeros / n - (1 - p))).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / n));
  });
});

describe("Dropout: config and models", () => {
  it("getConfig is { type: 'Dropout', config: { keepProb } } and fromConfig rebuilds it", () => {
    expect(new Dropout({ keepProb: 0.86 }).getConfig()).toEqual({ type: "Dropout", config: { keepProb: 0.86 } });
    expect(new Dropout({ rate: 0.5 }).getConfig()).toEqual({ type: "Dropout", config: { keepProb: 0.5 } });
    const fixed = new Dropout({ keepProb: 0.86, fixedMask: true, maskLayout: "featuresFirst" });
    const rebuilt = Dropout.fromConfig(fixed.getConfig().config);
    expect(rebuilt.getConfig()).toEqual(fixed.getConfig());
    expect(rebuilt.fixedMask).toBe(true);
    expect(rebuilt.maskLayout).toBe("featuresFirst");
    expect(() => Dropout.fromConfig({ keepProb: 2 })).toThrow("Dropout.fromConfig: config.keepProb must be in (0, 1], got 2");
  });

  class Dense extends Module {
    readonly weight: Tensor;
    readonly bias: Tensor;
    constructor(readonly inF: number, readonly outF: number, seed: number) {
      super();
      const g = rng(seed);
      this.weight = this.registerParameter("weight", tensor(g.randnArray(outF * inF), { shape: [outF, inF] }));
      this.bias = this.registerParameter("bias", tensor(g.randnArray(outF)));
    }
    forward(x: Tensor): Tensor { return add(matmul(x, this.weight, { transposeB: true }), this.bias); }
    getConfig(): ModuleConfig { return { type: "Dense", config: { inF: this.inF, outF: this.outF } }; }
  }

  it("a model with dropout saves its config and weights and loads back to identical predictions", () => {
    const model = new Sequential([new Dense(3, 8, 1), new ReLU(), new Dropout({ keepProb: 0.7, rng: rng(5) }), new Dense(8, 1, 2)]);
    const x = tensor([[0.1, -0.2, 0.3], [1, 2, 3]]);
    model.forward(x); // a training pass draws a mask; it is not part of the saved state
    const saved = JSON.stringify({ config: model.getConfig(), state: Object.fromEntries(Object.entries(model.stateDict()).map(([k, t]) => [k, t.toList()])) });

    const { config, state } = JSON.parse(saved) as { config: ModuleConfig; state: Record<string, number[]> };
    const builders: Record<string, (c: ModuleConfig) => Module> = {
      Sequential: (c) => new Sequential(c.children!.map(build)),
      Dense: (c) => new Dense(c.config.inF as number, c.config.outF as number, 0),
      ReLU: () => new ReLU(),
      Dropout: (c) => Dropout.fromConfig(c.config),
    };
    function build(c: ModuleConfig): Module { return builders[c.type]!(c); }
    const loaded = build(config);
    const shapes = Object.fromEntries(model.namedParameters().map(([k, p]) => [k, p.shape]));
    loaded.loadStateDict(Object.fromEntries(Object.entries(state).map(([k, v]) => [k, tensor(v, { shape: shapes[k] })])));
    model.eval();
    loaded.eval();
    expect(loaded.forward(x).toList()).toEqual(model.forward(x).toList());
  });
});

describe("Dropout in a saved model (@hone/nn serializeModel / loadModel)", () => {
  it("an mlp with per-layer dropout saves and loads back (builder Dropout.fromConfig) to identical predictions", () => {
    const model = mlp([3, 6, 4, 1], { rng: rng(3), afterHidden: dropoutAfterHidden({ keepProb: [0.8, 0.6], rng: rng(1), fixedMask: true }) });
    const x = tensor([[0.1, -0.2, 0.3], [1, 2, 3], [-1, 0.5, 0]]);
    model.forward(x); // a training pass: masks are drawn, and are not part of the saved state
    for (const format of ["json", "safetensors"] as const) {
      const saved = serializeModel(model, { format });
      const { model: copy } = loadModel(saved, { layers: { Dropout: (config) => Dropout.fromConfig(config) } });
      const drops = copy.namedModules().map(([, m]) => m).filter((m): m is Dropout => m instanceof Dropout);
      expect(drops.map((d) => [d.keepProb, d.fixedMask])).toEqual([[0.8, true], [0.6, true]]);
      model.eval();
      expect(copy.forward(x).toList()).toEqual(model.forward(x).toList());
      model.train();
    }
  });
});

describe("dropoutAfterHidden", () => {
  it("puts one Dropout per hidden layer with its keepProb, none where keepProb = 1", () => {
    const after = dropoutAfterHidden({ keepProb: [0.5, 1, 0.7], rng: rng(0) });
    const first = after(0, 20), second = after(1, 10), third = after(2, 5);
    expect(first).toBeInstanceOf(Dropout);
    expect(first!.keepProb).toBe(0.5);
    expect(second).toBeNull();
    expect(third!.keepProb).toBe(0.7);
    expect(() => after(3, 4)).toThrow("dropoutAfterHidden: keepProb lists 3 hidden layers, but the model has a hidden layer 4");
    expect(dropoutAfterHidden({ keepProb: 0.9, rng: rng(0), fixedMask: true })(5, 3)!.fixedMask).toBe(true);
    expect(dropoutAfterHidden({ keepProb: 1 })(0, 3)).toBeNull();
  });

  it("validates every keepProb and requires an rng when any is below 1", () => {
    expect(() => dropoutAfterHidden({ keepProb: [0.5, 0], rng: rng(0) })).toThrow("dropoutAfterHidden: keepProb[1] must be in (0, 1], got 0");
    expect(() => dropoutAfterHidden({ keepProb: 0.5 })).toThrow(/dropoutAfterHidden: rng is required/);
  });

  it("layers share the one rng, drawn in forward order", () => {
    const after = dropoutAfterHidden({ keepProb: 0.5, rng: rng(1) });
    const a = after(0, 5)!, b = after(1, 5)!;
    a.forward(ones([1, 5]));
    b.forward(ones([1, 5]));
    const u = fixtures.rand_seed1_first10;
    expect(a.mask!.toList()).toEqual(u.slice(0, 5).map((v) => (v < 0.5 ? 1 : 0)));
    expect(b.mask!.toList()).toEqual(u.slice(5, 10).map((v) => (v < 0.5 ? 1 : 0)));
  });
});
