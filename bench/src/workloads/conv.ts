// `conv`: a small CNN — 3×3 conv (1→8, "same") + ReLU + 2×2 max-pool, 3×3 conv (8→16,
// "same") + ReLU + 2×2 max-pool, flatten, dense → 10 — in images per second: SGD training
// steps (forward, softmax cross-entropy, backward, update) and forward passes, on the
// built-in 8×8 digits and on 28×28 images. Every library starts from Hone's initial weights
// and the same batch; the cost of the first step (before any update) agrees to float32
// precision (float64: to 1e-10 between Hone's backends and PyTorch). Each sample repeats
// the step for about 0.25 s.
//
// Peers: TensorFlow.js (tf.conv2d, tf.maxPool, NHWC) on its cpu backend, and on wasm for
// forward passes only: its wasm backend has no Conv2DBackpropFilter kernel, so it cannot
// train a convolution. PyTorch on one thread (NCHW; bench/python/conv_torch.py, driven by
// peer.py).
import type * as TF from "@tensorflow/tfjs";
import { loadDigits } from "@hone/data-split";
import { heNormal } from "@hone/init";
import { Conv2d, Flatten, Linear, MaxPool2d, ReLU, Sequential, oneHot, softmaxCrossEntropy } from "@hone/nn";
import { backward, noGrad, rand, rng, tensor, transpose, type DType, type Tensor } from "@hone/tensor";
import { HONE_F64, checkAgreement, checkValues, isHone, makeResult, now, type CasePlan, type LibraryName, type RunOptions, type Workload } from "../harness.js";
import { kernelOf } from "../hone.js";
import { availablePython, rawArray } from "../python.js";
import { backendOf, tfjs } from "../tfjs.js";

const LR = 0.05;

interface Case {
  name: string;
  /** Image side: 8 (the digits) or 28. */
  side: number;
  batch: number;
  dtype: DType;
  mode: "train" | "forward";
}

function cases(options: RunOptions): Case[] {
  const all: Case[] = [
    { name: "conv train digits 8×8 batch 256 float32", side: 8, batch: 256, dtype: "float32", mode: "train" },
    { name: "conv train 28×28 batch 64 float32", side: 28, batch: 64, dtype: "float32", mode: "train" },
    { name: "conv forward 28×28 batch 64 float32", side: 28, batch: 64, dtype: "float32", mode: "forward" },
    { name: "conv train 28×28 batch 64 float64", side: 28, batch: 64, dtype: "float64", mode: "train" },
  ];
  return options.quick ? all.filter((c) => c.side === 8 || c.mode === "forward") : all;
}

function librariesOf(c: Case): LibraryName[] {
  const torch = availablePython(["torch"]);
  if (c.dtype === "float64") return [...HONE_F64, ...torch];
  return c.mode === "train" ? [...HONE_F64, "hone-fma", "tfjs-cpu", ...torch] : [...HONE_F64, "hone-fma", "tfjs-cpu", "tfjs-wasm", ...torch];
}

/** The batch: the first images of the digits (pixels / 16) or uniform 28×28 images, labels 0..9. */
function batchOf(c: Case): { x: Float64Array; labels: number[] } {
  if (c.side === 8) {
    const d = loadDigits({ range: "unit" });
    return { x: Float64Array.from(d.x.data.subarray(0, c.batch * 64)), labels: Array.from(d.y.data.subarray(0, c.batch)) };
  }
  const x = Float64Array.from(rand([c.batch, c.side, c.side, 1], rng(9)).data);
  return { x, labels: Array.from({ length: c.batch }, (_, i) => (i * 7) % 10) };
}

/** Hone's CNN with He-initialized weights from rng(5) (biases zero): every library's starting point. */
function model(c: Case): Sequential {
  const r = rng(5), dtype = c.dtype;
  const features = 16 * (c.side / 4) ** 2;
  return new Sequential([
    new Conv2d(1, 8, 3, { padding: "same", init: heNormal, rng: r, dtype }), new ReLU(), new MaxPool2d(2),
    new Conv2d(8, 16, 3, { padding: "same", init: heNormal, rng: r, dtype }), new ReLU(), new MaxPool2d(2),
    new Flatten(), new Linear(features, 10, { init: heNormal, rng: r, dtype }),
  ]);
}

/** What conv_torch.py receives: the case, its batch and Hone's initial weights in Hone's layouts. */
function torchPayload(c: Case, options: RunOptions): unknown {
  const b = batchOf(c);
  return {
    side: c.side, batch: c.batch, dtype: c.dtype, mode: c.mode, lr: LR, seconds: options.quick ? 0.05 : 0.25,
    x: rawArray(b.x, [c.batch, c.side, c.side, 1]), labels: b.labels,
    weights: model(c).namedParameters().map(([name, p]) => ({ name, value: rawArray(Float64Array.from(p.data), p.shape) })),
  };
}

export const conv: Workload = {
  name: "conv",
  plan(options) {
    return cases(options).map((c): CasePlan => ({
      name: c.name,
      libraries: librariesOf(c),
      python: () => torchPayload(c, options),
      result(samples, checks) {
        const tol = c.dtype === "float64" ? 1e-10 : 1e-5;
        let note = `${c.batch} images of ${c.side}×${c.side}×1, ${c.dtype}; ${c.mode === "train" ? "one SGD step (lr 0.05) a batch: forward, softmax cross-entropy, backward, update" : "forward passes to the logits"}; PyTorch on one thread, NCHW`;
        if (c.mode === "train" && c.dtype === "float32") note += "; tfjs-wasm cannot train it (its wasm backend has no Conv2DBackpropFilter kernel)";
        return makeResult({ name: c.name, workload: "conv", unit: "images/s", higherIsBetter: true, note }, samples, [
          checkAgreement(`cost of the first ${c.mode === "train" ? "step" : "forward pass"}`, checkValues(checks, "cost"), tol),
        ]);
      },
    }));
  },

  async setup(library, caseName, options) {
    const c = cases(options).find((x) => x.name === caseName);
    if (c === undefined) throw new Error(`unknown case ${caseName}`);
    const { x: pixels, labels } = batchOf(c);
    const net = model(c);
    const seconds = options.quick ? 0.05 : 0.25;
    let step: () => number;
    if (isHone(library)) {
      const x = tensor(pixels, { shape: [c.batch, c.side, c.side, 1], dtype: c.dtype });
      const y = oneHot(tensor(labels), 10).to(c.dtype);
      const params = net.parameters();
      step = c.mode === "forward"
        ? () => noGrad(() => net.forward(x).data[0]!)
        : () => {
            net.zeroGrad();
            const loss = softmaxCrossEntropy(net.forward(x), y);
            backward(loss);
            for (const p of params) {
              const d = p.data, g = p.grad!.data;
              for (let i = 0; i < d.length; i++) d[i] = d[i]! - LR * g[i]!;
            }
            return loss.item();
          };
      const cost0 = c.mode === "forward" ? noGrad(() => softmaxCrossEntropy(net.forward(x), y).item()) : NaN;
      return runner(step, c, seconds, cost0);
    }
    const tf = await tfjs(backendOf(library as "tfjs-cpu" | "tfjs-wasm"));
    const [w1, b1, w2, b2, wd, bd] = net.parameters() as [Tensor, Tensor, Tensor, Tensor, Tensor, Tensor];
    // Hone's filters (out, kh, kw, in) as TensorFlow's (kh, kw, in, out).
    const filter = (w: Tensor): TF.Variable => tf.variable(tf.tensor4d(Float32Array.from(transpose(w, [1, 2, 3, 0]).data), [w.shape[1]!, w.shape[2]!, w.shape[3]!, w.shape[0]!]));
    const vars = [filter(w1), tf.variable(tf.tensor1d(Float32Array.from(b1.data))), filter(w2), tf.variable(tf.tensor1d(Float32Array.from(b2.data))),
      tf.variable(tf.tensor2d(kernelOf(wd), [wd.shape[1]!, wd.shape[0]!])), tf.variable(tf.tensor1d(Float32Array.from(bd.data)))] as const;
    const xs = tf.tensor4d(Float32Array.from(pixels), [c.batch, c.side, c.side, 1]);
    const ys = tf.oneHot(tf.tensor1d(Int32Array.from(labels), "int32"), 10).toFloat();
    const forward = (): TF.Tensor2D => {
      const h1 = tf.maxPool(tf.relu(tf.add(tf.conv2d(xs, vars[0] as TF.Tensor4D, 1, "same"), vars[1])) as TF.Tensor4D, 2, 2, "valid");
      const h2 = tf.maxPool(tf.relu(tf.add(tf.conv2d(h1, vars[2] as TF.Tensor4D, 1, "same"), vars[3])) as TF.Tensor4D, 2, 2, "valid");
      return tf.add(tf.matMul(tf.reshape(h2, [c.batch, -1]) as TF.Tensor2D, vars[4] as TF.Tensor2D), vars[5]) as TF.Tensor2D;
    };
    const cost = (): TF.Scalar => tf.losses.softmaxCrossEntropy(ys, forward()) as TF.Scalar;
    const optimizer = tf.train.sgd(LR);
    step = c.mode === "forward"
      ? () => tf.tidy(() => forward().dataSync()[0]!)
      : () => { const l = optimizer.minimize(cost, true, [...vars])!; const v = l.dataSync()[0]!; l.dispose(); return v; };
    const cost0 = c.mode === "forward" ? tf.tidy(() => cost().dataSync()[0]!) : NaN;
    return runner(step, c, seconds, cost0);
  },
};

/** Samples of `step` in images/s; round 0 also reports the first cost (a training step's loss, or the forward pass's cost). */
function runner(step: () => number, c: Case, seconds: number, cost0: number): { sample(round: number): { value: number; checks?: Record<string, number> } } {
  let reps = 1;
  return {
    sample(round) {
      if (round === 0) {
        const t0 = now();
        const first = step();
        const t = now() - t0;
        reps = Math.max(1, Math.ceil(seconds / Math.max(t, 1e-6)));
        return { value: c.batch / Math.max(t, 1e-9), checks: { cost: c.mode === "train" ? first : cost0 } };
      }
      const t0 = now();
      for (let i = 0; i < reps; i++) step();
      return { value: (c.batch * reps) / (now() - t0) };
    },
  };
}
