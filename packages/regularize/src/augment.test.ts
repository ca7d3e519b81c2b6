// Augmentation transforms on tiny hand-checkable images, their draw orders against numpy's
// legacy RandomState (values listed beside each test), noise statistics, determinism, and
// the pipeline inside fit: training batches only, never the dev set.
import { readFileSync } from "node:fs";
import { Module, fit, meanSquaredError, type ModuleConfig } from "@hone/nn";
import { ArgumentError, ShapeError, mul, rng, tensor, type Tensor } from "@hone/tensor";
import { describe, expect, it } from "vitest";
import {
  augmentPipeline, gaussianNoise, randomCrop, randomFlip, randomRotation, randomShift, rotateImages, type Augmentation,
} from "./index.js";

interface Fixtures { rand_seed1_first10: number[]; randn_seed1_first10: number[] }
const fixtures = JSON.parse(readFileSync(new URL("../../../fixtures/course/numpy_rng_fixtures.json", import.meta.url), "utf8")) as Fixtures;

/** The 3×3 image [[1,2,3],[4,5,6],[7,8,9]], repeated `n` times, one channel. */
const grid = (n = 1): Tensor => tensor(Array.from({ length: n }, () => [1, 2, 3, 4, 5, 6, 7, 8, 9]).flat(), { shape: [n, 3, 3, 1] });
/** Image `n` of a batch as 2-D rows (single channel). */
const image = (t: Tensor, n: number): number[][] => {
  const [, h, w] = t.shape as [number, number, number, number];
  return Array.from({ length: h }, (_, r) => Array.from({ length: w }, (_, c) => t.data[(n * h + r) * w + c]!));
};
const F = -1; // fill value

describe("randomFlip", () => {
  it("mirrors a 3×3 image exactly (probability 1)", () => {
    expect(image(randomFlip({ rng: rng(0), probability: 1 })(grid()), 0)).toEqual([[3, 2, 1], [6, 5, 4], [9, 8, 7]]);
    expect(image(randomFlip({ rng: rng(0), probability: 1, horizontal: false, vertical: true })(grid()), 0)).toEqual([[7, 8, 9], [4, 5, 6], [1, 2, 3]]);
    expect(image(randomFlip({ rng: rng(0), probability: 1, vertical: true })(grid()), 0)).toEqual([[9, 8, 7], [6, 5, 4], [3, 2, 1]]);
    expect(image(randomFlip({ rng: rng(0), probability: 0 })(grid()), 0)).toEqual([[1, 2, 3], [4, 5, 6], [7, 8, 9]]);
  });

  it("moves all channels of a pixel together", () => {
    const x = tensor([[[[1, 10], [2, 20]]]]); // (1, 1, 2, 2)
    expect(randomFlip({ rng: rng(0), probability: 1 })(x).toList()).toEqual([2, 20, 1, 10]);
  });

  it("draws one uniform per image: flips image n when u_n < probability (numpy seed(1))", () => {
    const u = fixtures.rand_seed1_first10; // 0.417, 0.720, 0.0001, 0.302, 0.147, 0.092
    const out = randomFlip({ rng: rng(1), probability: 0.35 })(grid(6));
    for (let n = 0; n < 6; n++) {
      const flipped = u[n]! < 0.35;
      expect(image(out, n), `image ${n}`).toEqual(flipped ? [[3, 2, 1], [6, 5, 4], [9, 8, 7]] : [[1, 2, 3], [4, 5, 6], [7, 8, 9]]);
    }
  });

  it("validates its options and input", () => {
    expect(() => randomFlip({ rng: rng(0), probability: 1.5 })).toThrow("randomFlip: probability must be in [0, 1], got 1.5");
    expect(() => randomFlip({ rng: rng(0), horizontal: false })).toThrow(/both false/);
    expect(() => randomFlip({ rng: 3 } as never)).toThrow(/randomFlip: rng must be an Rng/);
    expect(() => randomFlip({ rng: rng(0) })(tensor([[1, 2]]))).toThrow(ShapeError);
    expect(() => randomFlip({ rng: rng(0) })(tensor([[1, 2]]))).toThrow("randomFlip: images must have shape [batch, height, width, channels], got [1,2]");
  });
});

describe("randomShift", () => {
  // Every shift of the 3×3 grid by (dy, dx) ∈ {−1, 0, 1}², written out by hand (fill −1).
  const shifted: Record<string, number[][]> = {
    "0,0": [[1, 2, 3], [4, 5, 6], [7, 8, 9]],
    "0,1": [[F, 1, 2], [F, 4, 5], [F, 7, 8]],
    "0,-1": [[2, 3, F], [5, 6, F], [8, 9, F]],
    "1,0": [[F, F, F], [1, 2, 3], [4, 5, 6]],
    "-1,0": [[4, 5, 6], [7, 8, 9], [F, F, F]],
    "1,1": [[F, F, F], [F, 1, 2], [F, 4, 5]],
    "1,-1": [[F, F, F], [2, 3, F], [5, 6, F]],
    "-1,1": [[F, 4, 5], [F, 7, 8], [F, F, F]],
    "-1,-1": [[5, 6, F], [8, 9, F], [F, F, F]],
  };

  it("moves the image by whole pixels with fill, in numpy's randint order (dy, then dx)", () => {
    // np.random.seed(1); [(randint(-1, 2), randint(-1, 2)) for _ in range(6)]
    const draws = [[0, -1], [-1, 0], [0, -1], [-1, 0], [-1, 0], [-1, 1]];
    const out = randomShift({ rng: rng(1), maxDx: 1, maxDy: 1, fill: F })(grid(6));
    draws.forEach(([dy, dx], n) => expect(image(out, n), `image ${n}`).toEqual(shifted[`${dy},${dx}`]));
  });

  it("produces each of the nine shifts, and only those", () => {
    const out = randomShift({ rng: rng(3), maxDx: 1, maxDy: 1, fill: F })(grid(300));
    const seen = new Set<string>();
    for (let n = 0; n < 300; n++) {
      const key = Object.keys(shifted).find((k) => JSON.stringify(shifted[k]) === JSON.stringify(image(out, n)));
      expect(key, `image ${n}`).toBeDefined();
      seen.add(key!);
    }
    expect(seen.size).toBe(9);
  });

  it("an axis with maximum 0 draws nothing", () => {
    // np.random.seed(1); randint(-1, 2) → 0, then -1: only dx is drawn.
    const out = randomShift({ rng: rng(1), maxDx: 1, fill: F })(grid(2));
    expect(image(out, 0)).toEqual(shifted["0,0"]);
    expect(image(out, 1)).toEqual(shifted["0,-1"]);
  });

  it("validates its options", () => {
    expect(() => randomShift({ rng: rng(0), maxDx: 1.5 })).toThrow("randomShift: maxDx must be an integer ≥ 0, got 1.5");
    expect(() => randomShift({ rng: rng(0) })).toThrow(/both 0/);
  });
});

describe("randomCrop", () => {
  it("crops 2×2 windows at numpy's randint offsets (top, then left)", () => {
    // np.random.seed(2); [(randint(0, 2), randint(0, 2)) for _ in range(2)] → (0, 1), (1, 0)
    const out = randomCrop({ rng: rng(2), height: 2, width: 2 })(grid(2));
    expect(out.shape).toEqual([2, 2, 2, 1]);
    expect(image(out, 0)).toEqual([[2, 3], [5, 6]]);
    expect(image(out, 1)).toEqual([[4, 5], [7, 8]]);
  });

  it("pads with fill before cropping", () => {
    // 3×3 padded by 1 is 5×5; a 5×5 crop has one position: the whole padded image.
    const out = randomCrop({ rng: rng(0), height: 5, width: 5, padding: 1, fill: F })(grid());
    expect(image(out, 0)).toEqual([[F, F, F, F, F], [F, 1, 2, 3, F], [F, 4, 5, 6, F], [F, 7, 8, 9, F], [F, F, F, F, F]]);
  });

  it("rejects a crop larger than the padded image", () => {
    expect(() => randomCrop({ rng: rng(0), height: 4, width: 3 })(grid())).toThrow("randomCrop: a 4×3 crop does not fit images of 3×3 padded by 0 (input [1,3,3,1])");
    expect(() => randomCrop({ rng: rng(0), height: 0, width: 3 })).toThrow("randomCrop: height must be a positive integer, got 0");
  });
});

describe("rotateImages and randomRotation", () => {
  it("rotates by exactly ±90° and 180° with nearest (counterclockwise positive)", () => {
    const n = { interpolation: "nearest" } as const;
    expect(image(rotateImages(grid(), 90, n), 0)).toEqual([[3, 6, 9], [2, 5, 8], [1, 4, 7]]);
    expect(image(rotateImages(grid(), -90, n), 0)).toEqual([[7, 4, 1], [8, 5, 2], [9, 6, 3]]);
    expect(image(rotateImages(grid(), 180, n), 0)).toEqual([[9, 8, 7], [6, 5, 4], [3, 2, 1]]);
    expect(image(rotateImages(grid(), 0, n), 0)).toEqual([[1, 2, 3], [4, 5, 6], [7, 8, 9]]);
  });

  it("bilinear is exact at 90° too (positions snap to whole pixels)", () => {
    expect(image(rotateImages(grid(), 90), 0)).toEqual([[3, 6, 9], [2, 5, 8], [1, 4, 7]]);
  });

  it("bilinear reproduces a linear image at the rotated positions (hand formula), fill outside", () => {
    // Pixel (r, c) of the grid is 3r + c + 1, linear, so bilinear sampling at the source point
    // (sr, sc) is exactly 3·sr + sc + 1. Source of output (r, c) for a counterclockwise angle θ:
    // sc = 1 + cos θ·(c − 1) + sin θ·(1 − r),  sr = 1 − (−sin θ·(c − 1) + cos θ·(1 − r)).
    for (const deg of [30, -17, 45]) {
      const t = (deg * Math.PI) / 180;
      const out = image(rotateImages(grid(), deg, { fill: F }), 0);
      let inside = 0;
      for (let r = 0; r < 3; r++) {
        for (let c = 0; c < 3; c++) {
          const sc = 1 + Math.cos(t) * (c - 1) + Math.sin(t) * (1 - r);
          const sr = 1 - (-Math.sin(t) * (c - 1) + Math.cos(t) * (1 - r));
          if (sr >= 0 && sr <= 2 && sc >= 0 && sc <= 2) {
            inside++;
            expect(Math.abs(out[r]![c]! - (3 * sr + sc + 1)), `${deg}° (${r},${c})`).toBeLessThan(1e-12);
          } else expect(out[r]![c], `${deg}° (${r},${c})`).toBe(F);
        }
      }
      expect(inside).toBeGreaterThanOrEqual(5);
    }
    // 45°: the top-middle output samples (0.2929, 1.7071): 5 − √2; the corners fall outside.
    const r45 = image(rotateImages(grid(), 45, { fill: F }), 0);
    expect(Math.abs(r45[0]![1]! - (5 - Math.SQRT2))).toBeLessThan(1e-12);
    expect(r45[0]![0]).toBe(F);
  });

  it("randomRotation draws one uniform(−max, max) angle per image (numpy's uniform)", () => {
    // np.random.seed(3); [uniform(-30, 30) for _ in range(3)]
    const angles = [3.0478741544745276, 12.488869357086287, -12.54571566522334];
    const x = tensor(Array.from({ length: 3 * 25 }, (_, i) => (i * 7919) % 13), { shape: [3, 5, 5, 1] });
    const out = randomRotation({ rng: rng(3), maxDegrees: 30, fill: F })(x);
    const expected = rotateImages(x, angles, { fill: F });
    expect(out.toList()).toEqual(expected.toList());
    expect(randomRotation({ rng: rng(3), maxDegrees: 0 })(x).toList()).toEqual(x.toList());
  });

  it("validates its arguments", () => {
    expect(() => rotateImages(grid(2), [10])).toThrow("rotateImages: degrees must be a number or one angle per image (2), got [10]");
    expect(() => rotateImages(grid(), 10, { interpolation: "cubic" as never })).toThrow(/interpolation must be "nearest" or "bilinear"/);
    expect(() => randomRotation({ rng: rng(0), maxDegrees: -5 })).toThrow("randomRotation: maxDegrees must be a finite number ≥ 0, got -5");
  });
});

describe("gaussianNoise", () => {
  it("adds std·randn row-major (numpy's seed(1) randn)", () => {
    const x = tensor([[1, 2, 3, 4, 5], [6, 7, 8, 9, 10]]);
    const out = gaussianNoise({ rng: rng(1), std: 0.1 })(x).toList();
    const z = fixtures.randn_seed1_first10;
    x.toList().forEach((v, i) => expect(out[i]).toBe(v + 0.1 * z[i]!));
  });

  it("has mean 0 and standard deviation std over many draws (5 standard errors)", () => {
    const n = 200_000, std = 0.3;
    const x = tensor(new Float64Array(n).fill(2), { shape: [n / 2, 2] });
    const out = gaussianNoise({ rng: rng(11), std })(x).data;
    let s = 0, s2 = 0;
    for (let i = 0; i < n; i++) { const d = out[i]! - 2; s += d; s2 += d * d; }
    const mean = s / n, sd = Math.sqrt(s2 / n - mean * mean);
    expect(Math.abs(mean)).toBeLessThan(5 * std / Math.sqrt(n)); // SE of the mean σ/√n
    expect(Math.abs(sd - std)).toBeLessThan(5 * std / Math.sqrt(2 * n)); // SE of the sd ≈ σ/√(2n)
  });

  it("keeps float32 inputs float32 and rejects a negative std", () => {
    expect(gaussianNoise({ rng: rng(0), std: 1 })(tensor([1, 2], { dtype: "float32" })).dtype).toBe("float32");
    expect(() => gaussianNoise({ rng: rng(0), std: -1 })).toThrow("gaussianNoise: std must be a finite number ≥ 0, got -1");
  });
});

describe("determinism and the pipeline", () => {
  const make = (seed: number): Augmentation[] => {
    const [a, b, c, d] = rng(seed).spawn(4);
    return [randomFlip({ rng: a! }), randomShift({ rng: b!, maxDx: 1, maxDy: 1 }), randomRotation({ rng: c!, maxDegrees: 10 }), gaussianNoise({ rng: d!, std: 0.05 })];
  };

  it("the same seed gives the same batches; another seed does not", () => {
    const x = grid(8);
    const run = (seed: number): number[][] => {
      const augment = augmentPipeline(make(seed));
      return [0, 1, 2].map((batch) => augment({ x, y: tensor(new Float64Array(8)) }, { epoch: 0, batch }).x.toList());
    };
    expect(run(5)).toEqual(run(5));
    expect(run(5)).not.toEqual(run(6));
  });

  it("applies the transforms in order and passes labels through", () => {
    const y = tensor([1]);
    const double: Augmentation = (t) => mul(t, 2);
    const out = augmentPipeline([randomFlip({ rng: rng(0), probability: 1 }), double])({ x: grid(), y }, { epoch: 0, batch: 0 });
    expect(image(out.x, 0)).toEqual([[6, 4, 2], [12, 10, 8], [18, 16, 14]]);
    expect(out.y).toBe(y);
    expect(() => augmentPipeline([double, 3 as never])).toThrow("augmentPipeline: transforms[1] must be a function (x) => Tensor, got 3");
    expect(() => augmentPipeline("flip" as never)).toThrow(ArgumentError);
  });

  it("fit applies it to training batches only: the dev set and evaluation are never augmented", () => {
    class Scale extends Module {
      readonly w: Tensor;
      constructor() { super(); this.w = this.registerParameter("w", tensor([0.5])); }
      forward(x: Tensor): Tensor { return mul(x, this.w); }
      getConfig(): ModuleConfig { return { type: "Scale", config: {} }; }
    }
    // Training rows hold 1…8, dev rows hold 100…104: a call on dev rows would show.
    const train = { x: tensor([1, 2, 3, 4, 5, 6, 7, 8], { shape: [8, 1] }), y: tensor([1, 2, 3, 4, 5, 6, 7, 8], { shape: [8, 1] }) };
    const dev = { x: tensor([100, 101, 102, 103, 104], { shape: [5, 1] }), y: tensor([0, 0, 0, 0, 0], { shape: [5, 1] }) };
    const calls: { epoch: number; batch: number; rows: number[] }[] = [];
    const noise = gaussianNoise({ rng: rng(0), std: 0.01 });
    const record = (b: { x: Tensor; y: Tensor }, info: { epoch: number; batch: number }): { x: Tensor; y: Tensor } => {
      calls.push({ ...info, rows: b.x.toList() });
      return augmentPipeline([noise])(b, info);
    };
    const step = { step: (): void => undefined };
    const history = fit(new Scale(), train, { loss: meanSquaredError, optimizer: step, epochs: 3, batchSize: 4, shuffle: true, rng: rng(1), dev, augment: record });
    expect(calls.map(({ epoch, batch }) => [epoch, batch])).toEqual([[0, 0], [0, 1], [1, 0], [1, 1], [2, 0], [2, 1]]);
    for (const c of calls) {
      expect(c.rows).toHaveLength(4);
      for (const v of c.rows) expect(v >= 1 && v <= 8).toBe(true);
    }
    // The dev loss is that of the unaugmented dev set: mean((0.5·x − 0)²) over 100…104.
    const devLoss = [100, 101, 102, 103, 104].reduce((s, v) => s + (0.5 * v) ** 2, 0) / 5;
    for (const e of history.epochs) expect(Math.abs(e.devLoss! - devLoss) / devLoss).toBeLessThan(1e-15);
  });
});
