// Test-only helpers (excluded from the build): deterministic test values and layers with
// weights drawn from an explicit Rng, independent of any initializer's defaults.
import { Linear, Module, type ModuleConfig } from "@hone/nn";
import { add, customOp, matmul, mul, randn, tensor, zeros, type Rng, type Shape, type Tensor } from "@hone/tensor";

const PHI = 0.6180339887498949;
const frac = (v: number): number => v - Math.floor(v);

/** Distinct values in [lo, hi) (a golden-ratio sequence: no ties for max/min). */
export function values(shape: Shape, lo = -1, hi = 1, seed = 0): Tensor {
  const n = shape.reduce((p, d) => p * d, 1);
  return tensor(Array.from({ length: n }, (_, i) => lo + (hi - lo) * frac(0.5 + (i + 1 + 31 * seed) * PHI)), { shape: shape.slice() });
}

/** Values with |v| in [minAbs, maxAbs) and mixed signs: away from the kinks at 0. */
export function signed(shape: Shape, minAbs = 0.2, maxAbs = 2, seed = 0): Tensor {
  const m = values(shape, minAbs, maxAbs, seed);
  return tensor(Array.from(m.data, (v, i) => (frac((i + 3 + 7 * seed) * 0.7548776662466927) < 0.5 ? -v : v)), { shape: shape.slice() });
}

/** A Linear layer with N(0, std²) weights and N(0, 0.1²) biases drawn from `r` (weights first). */
export function linear(inFeatures: number, outFeatures: number, r: Rng, options: { std?: number; bias?: boolean } = {}): Linear {
  const std = options.std ?? 1 / Math.sqrt(inFeatures);
  return new Linear(inFeatures, outFeatures, {
    bias: options.bias ?? true,
    init: () => mul(randn([outFeatures, inFeatures], r), std),
    biasInit: () => mul(randn([outFeatures], r), 0.1),
  });
}

/** x + b with a planted bug: the bias gradient is doubled. */
const brokenAddBias = customOp({
  name: "brokenAddBias",
  forward: (x, b) => add(x!, b!),
  backward: (g, [, b]) => {
    const gb = zeros(b!.shape);
    const rows = g.shape[0]!, cols = g.shape[1]!;
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) gb.data[j] = gb.data[j]! + 2 * g.data[i * cols + j]!;
    return [g, gb];
  },
});

/** A dense layer whose forward adds its bias through the broken op. */
export class BrokenDense extends Module {
  readonly weight: Tensor;
  readonly bias: Tensor;
  constructor(w: Tensor, b: Tensor) {
    super();
    this.weight = this.registerParameter("weight", w);
    this.bias = this.registerParameter("bias", b);
  }
  forward(x: Tensor): Tensor { return brokenAddBias(matmul(x, this.weight, { transposeB: true }), this.bias); }
  getConfig(): ModuleConfig { return { type: "BrokenDense", config: {} }; }
}
