// `elementwise`: the cost of Hone's correctly rounded elementary functions (`libm`, which the
// tensor ops `exp`, `log`, `tanh` and `sigmoid` compute with, so that every engine gives the
// same bits) beside the engine's own `Math` functions and NumPy's and PyTorch's vectorized
// ones (glibc's libm and PyTorch's SLEEF/ATen kernels, one thread), in million values per
// second over 100,000 float64 arguments. `math` is not a library of its own in the tables:
// it runs as the `hone` variant's `Math` twin, in the row named "... Math".
import { exp, log, rng, sigmoid, tanh, tensor, type Tensor } from "@hone/tensor";
import { checkAgreement, checkValues, isHone, makeResult, now, type CasePlan, type LibraryName, type RunOptions, type Workload } from "../harness.js";
import { availablePython, rawArray } from "../python.js";

type Fn = "exp" | "log" | "tanh" | "sigmoid";
const FUNCTIONS: readonly Fn[] = ["exp", "log", "tanh", "sigmoid"];
const N = 100_000;

interface Case {
  name: string;
  fn: Fn;
  /** The same operation written with `Math` (Hone's ts backend before libm). */
  math: boolean;
}

function cases(): Case[] {
  return FUNCTIONS.flatMap((fn) => [
    { name: `${fn} 100k float64`, fn, math: false },
    { name: `${fn} 100k float64 Math`, fn, math: true },
  ]);
}

/** The arguments: 4 standard normals each (log: their absolute values), from rng(17) as numpy draws them. */
function argumentsOf(fn: Fn): Float64Array {
  const x = rng(17).randnArray(N);
  for (let i = 0; i < N; i++) x[i] = fn === "log" ? Math.abs(4 * x[i]!) : 4 * x[i]!;
  return x;
}

const MATH: Record<Fn, (v: number) => number> = {
  exp: Math.exp,
  log: Math.log,
  tanh: Math.tanh,
  sigmoid: (v) => (v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v))),
};
const OPS: Record<Fn, (t: Tensor) => Tensor> = { exp, log, tanh, sigmoid };

export const elementwise: Workload = {
  name: "elementwise",
  plan(): CasePlan[] {
    return cases().map((c): CasePlan => ({
      name: c.name,
      libraries: c.math ? ["hone"] : ["hone", ...availablePython(["numpy", "torch"])],
      python: () => ({ fn: c.fn, x: rawArray(argumentsOf(c.fn), [N]) }),
      result(samples, checks) {
        const note = c.math
          ? `the same loop with Math.${c.fn === "sigmoid" ? "exp" : c.fn} (engine-defined, not correctly rounded): what libm costs`
          : `Hone's ${c.fn} op (ts backend, libm) on 100,000 float64 values, against np.${c.fn === "sigmoid" ? "exp in 1/(1+exp(-x))" : c.fn} and torch.${c.fn}, one thread`;
        return makeResult({ name: c.name, workload: "elementwise", unit: "M values/s", higherIsBetter: true, note }, samples, [
          checkAgreement("sum of the results", checkValues(checks, "sum"), 1e-12),
        ]);
      },
    }));
  },

  setup(library: LibraryName, caseName: string, options: RunOptions) {
    const c = cases().find((x) => x.name === caseName);
    if (c === undefined || !isHone(library)) throw new Error(`elementwise: no ${library} run of ${caseName}`);
    const x = argumentsOf(c.fn);
    const t = tensor(x);
    const out = new Float64Array(N);
    const f = MATH[c.fn];
    const op = OPS[c.fn];
    const once = c.math
      ? (): ArrayLike<number> => {
          for (let i = 0; i < N; i++) out[i] = f(x[i]!);
          return out;
        }
      : (): ArrayLike<number> => op(t).data;
    const seconds = options.quick ? 0.05 : 0.25;
    let reps = 1;
    return Promise.resolve({
      sample(round: number) {
        const t0 = now();
        let values: ArrayLike<number> = out;
        for (let r = 0; r < reps; r++) values = once();
        const dt = now() - t0;
        if (round === 0) reps = Math.max(1, Math.ceil(seconds / Math.max(dt, 1e-6)));
        let sum = 0;
        for (let i = 0; i < N; i++) sum += values[i]!;
        return { value: (N * (round === 0 ? 1 : reps)) / dt / 1e6, checks: { sum } };
      },
    });
  },
};
