import { Sequential, Tanh, softmaxCrossEntropy } from "@hone/nn";
import { ArgumentError, customOp, mul, rng, sum, tanh, tensor } from "@hone/tensor";
import { describe, expect, test } from "vitest";
import { gradcheckMatchers, type GradcheckMatcherOptions } from "./matchers.js";
import { linear, signed } from "./test-values.js";

// The augmentation the README tells users to paste into a .d.ts of their tests.
declare module "vitest" {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- must match vitest's own declaration
  interface Matchers<T = any> {
    toPassGradcheck(options?: GradcheckMatcherOptions): T;
  }
}

expect.extend(gradcheckMatchers);

const broken = customOp({
  name: "broken",
  forward: (a) => mul(a!, a!),
  backward: (g, [a]) => [mul(g, mul(a!, 3))],
});
const slightlyOff = customOp({
  name: "slightlyOff",
  forward: (a) => mul(a!, a!),
  backward: (g, [a]) => [mul(g, mul(a!, 2 * (1 + 1e-5)))],
});
const x = tensor([0.5, -1.25, 2]);
const model = (): Sequential => { const r = rng(3); return new Sequential([linear(3, 4, r), new Tanh(), linear(4, 2, r)]); };
const batch = { x: signed([4, 3]), y: tensor([0, 1, 1, 0]) };

describe("gradcheckMatchers.toPassGradcheck called directly", () => {
  test("passes a correct function; fails a broken one with the report naming the input", () => {
    const ok = gradcheckMatchers.toPassGradcheck({ fn: (v: typeof x) => sum(tanh(v)), inputs: [x] });
    expect(ok.pass).toBe(true);
    expect(ok.message()).toMatch(/^expected the gradient check to fail, but it is correct:\ngradient check: correct/);
    const bad = gradcheckMatchers.toPassGradcheck({ fn: (v: typeof x) => sum(broken(v)), inputs: [x] }, { names: ["w"] });
    expect(bad.pass).toBe(false);
    expect(bad.message()).toMatch(/^expected the gradient check to be correct, but it is wrong in w:\n/);
    expect(bad.message()).toContain("w is wrong, worst at [2]");
  });

  test("models: { model, loss, batch }", () => {
    expect(gradcheckMatchers.toPassGradcheck({ model: model(), loss: softmaxCrossEntropy, batch }).pass).toBe(true);
  });

  test("accept: 'suspicious' lets the middle band pass, never a wrong one", () => {
    const subject = { fn: (v: typeof x) => sum(slightlyOff(v)), inputs: [x] };
    expect(gradcheckMatchers.toPassGradcheck(subject).pass).toBe(false);
    expect(gradcheckMatchers.toPassGradcheck(subject, { accept: "suspicious" }).pass).toBe(true);
    expect(gradcheckMatchers.toPassGradcheck({ fn: (v: typeof x) => sum(broken(v)), inputs: [x] }, { accept: "suspicious" }).pass).toBe(false);
  });

  test("rejects anything else", () => {
    expect(() => gradcheckMatchers.toPassGradcheck(42)).toThrow(ArgumentError);
    expect(() => gradcheckMatchers.toPassGradcheck({ fn: tanh })).toThrow(/expected \{ fn, inputs \} or \{ model, loss, batch \}/);
  });
});

describe("through expect.extend", () => {
  test("expect(...).toPassGradcheck() and .not", () => {
    expect({ fn: (v: typeof x) => sum(tanh(v)), inputs: [x] }).toPassGradcheck();
    expect({ model: model(), loss: softmaxCrossEntropy, batch }).toPassGradcheck({ epsilon: 1e-6 });
    expect({ fn: (v: typeof x) => sum(broken(v)), inputs: [x] }).not.toPassGradcheck();
    expect(() => expect({ fn: (v: typeof x) => sum(broken(v)), inputs: [x] }).toPassGradcheck()).toThrow(/it is wrong in inputs\[0\]/);
    expect(() => expect({ fn: (v: typeof x) => sum(tanh(v)), inputs: [x] }).not.toPassGradcheck()).toThrow(/expected the gradient check to fail/);
  });
});
