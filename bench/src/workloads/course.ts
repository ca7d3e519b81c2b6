// `course`: the course's regularization network 2-20-3-1 (ReLU, ReLU, sigmoid) trained by
// full-batch gradient descent (α = 0.3) on the 211 football examples with binary
// cross-entropy, 30,000 iterations; iterations per second. Peers: TensorFlow.js, the
// course's own hand-written NumPy loop and PyTorch (bench/python/peer.py, one thread). Hone computes in float64
// through `mlp`, `binaryCrossEntropyWithLogits`, `sgd` and `fit`; TensorFlow.js in float32
// with `optimizer.minimize` on `sigmoidCrossEntropy` (its fastest training loop for this).
// The 30,000 iterations are cut into warm-up + samples chunks that alternate between the
// libraries, each continuing its own training from Hone's initial weights.
//
// Same arithmetic: the costs after the first 500 iterations must agree to float32
// precision. Later the float32 and float64 trajectories part (with α = 0.3 the cost of this
// ReLU network has kinks where a rounding difference changes which units are active, from
// about iteration 1,000 on), so the final costs are reported, not compared across
// libraries. Hone runs on the TypeScript and the one-thread WebAssembly backend; their
// float64 products are equal bit for bit, so Hone's final costs must be equal.
import type * as TF from "@tensorflow/tfjs";
import { binaryCrossEntropyWithLogits, fit, mlp } from "@hone/nn";
import { sgd } from "@hone/optim";
import { rng, tensor } from "@hone/tensor";
import { footballData } from "../data.js";
import { ONE_THREAD, checkAgreement, checkValues, isHone, makeResult, now, type RunOptions, type Workload } from "../harness.js";
import { availablePython } from "../python.js";
import { kernelOf } from "../hone.js";
import { backendOf, tfjs } from "../tfjs.js";

const LR = 0.3;
/** The iteration whose cost every library must agree on. */
const CHECK_AT = 500;

function schedule(options: RunOptions): { chunk: number; total: number; checkAt: number } {
  const rounds = options.warmups + options.samples;
  const chunk = Math.round((options.quick ? 3_000 : 30_000) / rounds);
  return { chunk, total: chunk * rounds, checkAt: Math.min(CHECK_AT, chunk) };
}

export const course: Workload = {
  name: "course",
  plan(options) {
    const { chunk, total, checkAt } = schedule(options);
    const rounds = options.warmups + options.samples;
    return [{
      name: "course",
      libraries: [...ONE_THREAD, ...availablePython(["numpy", "torch"])],
      // The peers start from Hone's initial weights, on the same rows.
      python: () => {
        const data = footballData();
        const weights = mlp([2, 20, 3, 1], { rng: rng(3) }).parameters().map((p) => ({ values: Array.from(p.data), shape: p.shape }));
        return {
          x: reshapeList(Array.from(data.x), [data.rows, 2]), y: Array.from(data.y),
          weights: weights.map((w) => reshapeList(w.values, w.shape)), lr: LR, chunk, checkAt,
        };
      },
      result: (samples, checks) => makeResult({
        name: "course", workload: "course", unit: "iter/s", higherIsBetter: true,
        note: `${footballData().source}; ${total} iterations in ${rounds} chunks of ${chunk}; Hone, NumPy (the course's hand-written forward/backward) and PyTorch (nn.Sequential, BCEWithLogitsLoss, SGD, one thread) float64, TensorFlow.js float32 (the trajectories part after ~1,000 iterations, so only the early cost is compared)`,
        targets: [
          { subject: "hone", against: "tfjs-wasm", op: ">=", value: 5 }, { subject: "hone-wasm", against: "hone", op: ">=", value: 1 },
          { subject: ["hone", "hone-wasm"], against: "numpy", op: ">=", value: 1 },
        ],
      }, samples, [
        checkAgreement(`cost at iteration ${checkAt}`, checkValues(checks, "early"), 1e-5),
        { what: `cost at iteration ${total}`, values: checkValues(checks, "final"), tolerance: null },
        checkAgreement(`Hone's cost at iteration ${total} (float64 products equal bit for bit on every backend)`, checkValues(checks, "final", isHone), 0),
      ]),
    }];
  },

  async setup(library, _case, options) {
    const { chunk, checkAt } = schedule(options);
    const data = footballData();
    const m = data.rows;
    // Hone's model gives every library its initial weights.
    const model = mlp([2, 20, 3, 1], { rng: rng(3) });
    if (isHone(library)) {
      const x = tensor(data.x, { shape: [m, 2] }), y = tensor(data.y, { shape: [m, 1] });
      const optimizer = sgd({ lr: LR });
      return {
        sample(round) {
          const t0 = now();
          const history = fit(model, { x, y }, { loss: binaryCrossEntropyWithLogits, optimizer, epochs: chunk });
          const t = now() - t0;
          const costs = history.epochs;
          return { value: chunk / t, checks: { ...(round === 0 ? { early: costs[checkAt - 1]!.trainLoss } : {}), final: costs[costs.length - 1]!.trainLoss } };
        },
      };
    }
    const tf = await tfjs(backendOf(library));
    const [w1, b1, w2, b2, w3, b3] = model.parameters().map((p, i) => (i % 2 === 0
      ? tf.variable(tf.tensor2d(kernelOf(p), [p.shape[1]!, p.shape[0]!], "float32"))
      : tf.variable(tf.tensor1d(Float32Array.from(p.data), "float32"))));
    const xs = tf.tensor2d(Float32Array.from(data.x), [m, 2]), ys = tf.tensor2d(Float32Array.from(data.y), [m, 1]);
    const opt = tf.train.sgd(LR);
    const cost = (): TF.Scalar => {
      const a1 = tf.relu(tf.add(tf.matMul(xs, w1!), b1!));
      const a2 = tf.relu(tf.add(tf.matMul(a1, w2!), b2!));
      const z3 = tf.add(tf.matMul(a2, w3!), b3!);
      return tf.losses.sigmoidCrossEntropy(ys, z3);
    };
    const read = (c: TF.Scalar | null): number => {
      const v = c!.dataSync()[0]!;
      c!.dispose();
      return v;
    };
    return {
      sample(round) {
        // The first chunk also reads the cost of iteration `checkAt` (before its update, as `fit` logs it).
        let early = NaN;
        const t0 = now();
        for (let i = 0; i < chunk - 1; i++) {
          if (round === 0 && i === checkAt - 1) early = read(opt.minimize(cost, true));
          else opt.minimize(cost, false);
        }
        const final = read(opt.minimize(cost, true));
        const t = now() - t0;
        if (round === 0 && checkAt === chunk) early = final;
        return { value: chunk / t, checks: { ...(round === 0 ? { early } : {}), final } };
      },
    };
  },
};

/** Flat row-major values as nested lists of `shape` (rank 1 or 2), for a JSON payload. */
function reshapeList(values: readonly number[], shape: readonly number[]): number[] | number[][] {
  if (shape.length === 1) return values.slice();
  const [rows, cols] = shape as [number, number];
  return Array.from({ length: rows }, (_, i) => values.slice(i * cols, (i + 1) * cols));
}
