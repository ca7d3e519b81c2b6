// `mlp`: a 784-128-64-10 ReLU network with softmax cross-entropy and Adam (lr 1e-3), batch
// 64, float32, on 12,800 synthetic examples; samples per second over one epoch. Hone trains
// through `mlp`, `softmaxCrossEntropy`, `adam` and `fit`; TensorFlow.js through a
// `tf.sequential` of dense layers and `model.fit`. Batches in a fixed order (no shuffle),
// the same initial weights, the same Adam constants; each round is one epoch. Same
// arithmetic: the cost of the first batch (before any update) agrees to float32 precision,
// the first epoch's mean cost to 1e-3 and the last one's to 1e-2 (Adam's normalized steps
// carry float32 rounding differences forward, so they grow slowly with training). Hone
// runs on the TypeScript backend and on WebAssembly with one and two threads (whose float32
// products round differently from the TypeScript backend's, within the same tolerances).
import type * as TF from "@tensorflow/tfjs";
import { fit, mlp, softmaxCrossEntropy } from "@hone/nn";
import { adam } from "@hone/optim";
import { rng, tensor } from "@hone/tensor";
import { syntheticClasses } from "../data.js";
import { JS_LIBRARIES, checkAgreement, isHone, checkValues, makeResult, now, type RunOptions, type Workload } from "../harness.js";
import { availablePython, rawArray } from "../python.js";
import { kernelOf } from "../hone.js";
import { backendOf, tfjs } from "../tfjs.js";

const SIZES = [784, 128, 64, 10] as const;
const LR = 1e-3, BETA1 = 0.9, BETA2 = 0.999, EPS = 1e-8, BATCH = 64;

function rowsOf(options: RunOptions): number {
  return options.quick ? 3_200 : 12_800;
}

export const mlpWorkload: Workload = {
  name: "mlp",
  plan(options) {
    const rounds = options.warmups + options.samples;
    const rows = rowsOf(options);
    return [{
      name: "mlp",
      libraries: [...JS_LIBRARIES, ...availablePython(["torch"])],
      // PyTorch gets the same rows and Hone's initial weights.
      python: () => {
        const data = syntheticClasses(rows, SIZES[0], SIZES[3], 7);
        const weights = mlp(SIZES, { rng: rng(5), dtype: "float32" }).parameters().map((p) => rawArray(p.data as Float32Array, p.shape));
        return {
          x: rawArray(Float32Array.from(data.x), [rows, SIZES[0]]), y: Array.from(data.y), sizes: SIZES, weights,
          lr: LR, beta1: BETA1, beta2: BETA2, eps: EPS, batch: BATCH,
        };
      },
      result: (samples, checks) => makeResult({
        name: "mlp", workload: "mlp", unit: "samples/s", higherIsBetter: true,
        note: `${rows} synthetic examples (normal features, labels from a random linear teacher), batch ${BATCH}, one epoch a sample, float32; PyTorch: nn.Sequential, CrossEntropyLoss, Adam, one thread (torch.set_num_threads(1), OPENBLAS_NUM_THREADS=1)`,
        targets: [
          { subject: "hone", against: "tfjs-wasm", op: ">=", value: 1.2 },
          { subject: ["hone-wasm", "hone-wasm2"], against: "tfjs-wasm", op: ">=", value: 5 },
          { subject: ["hone", "hone-wasm", "hone-fma"], against: "torch", op: ">=", value: 1 },
        ],
      }, samples, [
        checkAgreement("cost of the first batch", checkValues(checks, "firstBatch"), 1e-5),
        checkAgreement("training cost of epoch 1", checkValues(checks, "epoch1"), 1e-3),
        checkAgreement(`training cost of epoch ${rounds}`, checkValues(checks, "last"), 1e-2),
      ]),
    }];
  },

  async setup(library, _case, options) {
    const rows = rowsOf(options);
    const data = syntheticClasses(rows, SIZES[0], SIZES[3], 7);
    const x = tensor(data.x, { shape: [rows, SIZES[0]], dtype: "float32" });
    // Hone's model gives every library its initial weights.
    const model = mlp(SIZES, { rng: rng(5), dtype: "float32" });
    const checksOf = (round: number, firstBatch: number, cost: number): Record<string, number> =>
      round === 0 ? { firstBatch, epoch1: cost, last: cost } : { last: cost };
    if (isHone(library)) {
      const y = tensor(data.y, { dtype: "float32" });
      const optimizer = adam({ lr: LR, beta1: BETA1, beta2: BETA2, eps: EPS });
      return {
        sample(round) {
          let firstBatch = NaN;
          // The first round also reads the first batch's cost (a callback costs next to nothing, but only then).
          const callbacks = round === 0 ? [{ onBatchEnd: (info: { batch: number; loss: number }) => { if (info.batch === 0) firstBatch = info.loss; } }] : [];
          const t0 = now();
          const h = fit(model, { x, y }, { loss: softmaxCrossEntropy, optimizer, epochs: 1, batchSize: BATCH, shuffle: false, callbacks });
          const t = now() - t0;
          return { value: rows / t, checks: checksOf(round, firstBatch, h.epochs[0]!.trainLoss) };
        },
      };
    }
    const tf = await tfjs(backendOf(library));
    const tm = tf.sequential({
      layers: [
        tf.layers.dense({ units: SIZES[1], activation: "relu", inputShape: [SIZES[0]] }),
        tf.layers.dense({ units: SIZES[2], activation: "relu" }),
        tf.layers.dense({ units: SIZES[3] }),
      ],
    });
    const initial = model.parameters();
    tm.layers.forEach((layer, i) => {
      const w = initial[2 * i]!, b = initial[2 * i + 1]!;
      layer.setWeights([tf.tensor2d(kernelOf(w), [w.shape[1]!, w.shape[0]!]), tf.tensor1d(Float32Array.from(b.data))]);
    });
    tm.compile({ optimizer: tf.train.adam(LR, BETA1, BETA2, EPS), loss: (yt: TF.Tensor, yp: TF.Tensor) => tf.losses.softmaxCrossEntropy(yt, yp) });
    const labels = tf.tensor1d(Int32Array.from(data.y), "int32");
    const xs = tf.tensor2d(x.data as Float32Array, [rows, SIZES[0]]), ys = tf.oneHot(labels, SIZES[3]).toFloat();
    labels.dispose();
    return {
      async sample(round) {
        let firstBatch = NaN;
        const callbacks = round === 0 ? { onBatchEnd: (batch: number, logs?: TF.Logs) => { if (batch === 0) firstBatch = logs?.loss ?? NaN; } } : undefined;
        const t0 = now();
        const h = await tm.fit(xs, ys, { batchSize: BATCH, epochs: 1, shuffle: false, verbose: 0, ...(callbacks ? { callbacks } : {}) });
        const t = now() - t0;
        return { value: rows / t, checks: checksOf(round, firstBatch, h.history.loss![0] as number) };
      },
    };
  },
};
