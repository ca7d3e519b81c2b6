// `dispatch`: the fixed cost of one op. 100,000 element-wise adds of two 4-element float32
// tensors; the unit is microseconds per op (TensorFlow.js also pays for `dispose()`, which
// its users must call). Hone runs on the TypeScript and the one-thread WebAssembly backend
// (whose element-wise kernels are the TypeScript ones: WebAssembly only takes products).
import { add, tensor, type Tensor } from "@hone/tensor";
import { ONE_THREAD, checkAgreement, isHone, checkValues, makeResult, now, type Workload } from "../harness.js";
import { backendOf, tfjs } from "../tfjs.js";

const A = [1.5, -2.25, 3, 0.5], B = [0.25, 4, -1, 2.5];

export const dispatch: Workload = {
  name: "dispatch",
  plan: () => [{
    name: "dispatch",
    libraries: ONE_THREAD,
    result: (samples, checks) => makeResult({
      name: "dispatch", workload: "dispatch", unit: "µs/op", higherIsBetter: false,
      targets: [{ subject: "hone", against: "absolute", op: "<=", value: 1 }, { subject: "hone", against: "tfjs-cpu", op: "<=", value: 0.25 }],
    }, samples, [checkAgreement("sum of the last result", checkValues(checks, "sum"), 0)]),
  }],

  async setup(library, _case, options) {
    const ops = options.quick ? 20_000 : 100_000;
    if (isHone(library)) {
      const a = tensor(A, { dtype: "float32" }), b = tensor(B, { dtype: "float32" });
      return {
        sample() {
          let c: Tensor = a, sink = 0;
          const t0 = now();
          // Reading one value of every result keeps the JIT from discarding unused ones.
          for (let i = 0; i < ops; i++) {
            c = add(a, b);
            sink += c.data[i & 3]!;
          }
          const t = now() - t0;
          if (!Number.isFinite(sink)) throw new Error("dispatch: non-finite sums");
          return { value: (t / ops) * 1e6, checks: { sum: Array.from(c.data).reduce((s, v) => s + v, 0) } };
        },
      };
    }
    const tf = await tfjs(backendOf(library));
    const ta = tf.tensor1d(A, "float32"), tb = tf.tensor1d(B, "float32");
    return {
      sample() {
        let sum = 0;
        const t0 = now();
        for (let i = 0; i < ops; i++) {
          const c = tf.add(ta, tb);
          if (i === ops - 1) sum = (c.dataSync() as Float32Array).reduce((s, v) => s + v, 0);
          c.dispose();
        }
        const t = now() - t0;
        return { value: (t / ops) * 1e6, checks: { sum } };
      },
    };
  },
};
