// Bit-for-bit agreement with the course's numpy update functions. The reference numbers were
// printed by numpy 2.4 running the course's code (update_parameters_with_adam and the same
// style for RMSprop and momentum) on one parameter of 6 zeros for 30 steps, with the
// exactly representable gradients g_t[i] = (((7t + 3i) mod 11) − 5)/8:
//
//   v = beta1 * v + (1 - beta1) * g;            v_corrected = v / (1 - beta1 ** t)
//   s = beta2 * s + (1 - beta2) * np.power(g, 2); s_corrected = s / (1 - beta2 ** t)
//   W = W - lr * v_corrected / (np.sqrt(s_corrected) + epsilon)
import { libm, tensor } from "@hone/tensor";
import { describe, expect, it } from "vitest";
import { adam, momentum, rmsprop, type Optimizer } from "./index.js";
const { powInt } = libm;

// W starts at 0 so that each update's last bit shows in W (on a W of order 1 it would mostly
// round away).
const W0 = [0, 0, 0, 0, 0, 0];

function train(opt: Optimizer, steps: number): number[] {
  const w = tensor(W0, { requiresGrad: true });
  for (let t = 1; t <= steps; t++) {
    w.grad = tensor(W0.map((_, i) => ((((t * 7 + i * 3) % 11) - 5) / 8)));
    opt.step([w]);
  }
  return Array.from(w.data);
}

describe("numpy's operation order, bit for bit (30 steps)", () => {
  // Computing α·(v̂/(√ŝ + ε)) instead, or β^t with V8's `**`, changes these numbers.
  it("adam({ lr: 0.01 }) equals the course's update_parameters_with_adam", () => {
    expect(train(adam({ lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8 }), 30)).toEqual([
      -0.03545300350997614, -0.03697182237362592, 0.01792339070812603, 0.024919477907709188, -0.012549474762122564, 0.014783369297689607,
    ]);
  });

  it("rmsprop: W = W - lr * g / (np.sqrt(s) + epsilon)", () => {
    expect(train(rmsprop({ lr: 0.01, beta: 0.9, eps: 1e-8 }), 30)).toEqual([
      -0.026448297771647894, -0.027432112810676458, 0.030811871050874892, 0.02525085232861296, -0.00565349831126501, 0.0058017782145745305,
    ]);
  });

  it("momentum (course): v = beta * v + (1 - beta) * g; W = W - lr * v", () => {
    expect(train(momentum({ lr: 0.01, beta: 0.9 }), 30)).toEqual([
      -0.005075562032154497, -0.00540166723543322, 0.002612354247471189, 0.00410400987147416, -0.0008724917918674575, 0.0007622085583860099,
    ]);
  });
});

describe("powInt: β^t as C's pow rounds it", () => {
  // Python's beta ** t (C pow); V8's ** gives a different last bit for each of these.
  const cases: [number, number, number][] = [
    [0.9, 4, 0.6561], [0.9, 23, 0.08862938119652507], [0.9, 29, 0.047101286972462485], [0.9, 41, 0.013302794647291146],
    [0.999, 16, 0.9841194418156399], [0.999, 32, 0.9684910757595268], [0.999, 103, 0.902080484144017], [0.999, 141, 0.8684280445126912],
  ];
  it.each(cases)("%d ** %d = %d", (base, t, expected) => {
    expect(powInt(base, t)).toBe(expected);
  });

  it("is exact where the power is representable", () => {
    expect(powInt(0.5, 10)).toBe(1 / 1024);
    expect(powInt(3, 20)).toBe(3486784401);
    expect(powInt(0.9, 0)).toBe(1);
    expect(powInt(0.9, 1)).toBe(0.9);
  });
});
