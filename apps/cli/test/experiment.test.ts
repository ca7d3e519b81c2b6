// `hone experiment`: each experiment in --exact mode against the course's published numbers
// (shared/REFERENCE.md): accuracies equal; full-precision costs within 1e-9 relative, the
// six-digit ones at that precision; random ×10 (chaotic) by its accuracies only.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { courseCase, runGradientChecking } from "../src/experiments/gradient-checking.js";
import { runInitialization } from "../src/experiments/initialization.js";
import { runOptimization } from "../src/experiments/optimization.js";
import { bundledFootballFile, runRegularization, type FootballData } from "../src/experiments/regularization.js";
import type { ExperimentResult, VariantResult } from "../src/experiments/types.js";
import { hone, honeJson, tempDir } from "./helpers.js";

const course = (file: string): string => new URL(`../../../fixtures/course/${file}`, import.meta.url).pathname;

/** Every published number of a variant is matched. */
function expectPublished(v: VariantResult, options: { costs: boolean }): void {
  if (v.published.trainAccuracy !== undefined) expect(v.trainAccuracy, `${v.name} train accuracy`).toBe(v.published.trainAccuracy);
  if (v.published.testAccuracy !== undefined) expect(v.testAccuracy, `${v.name} test accuracy`).toBe(v.published.testAccuracy);
  if (!options.costs) return;
  for (const p of v.published.costs ?? []) {
    const ours = v.costs.find((c) => c.iteration === p.iteration)?.cost;
    expect(ours, `${v.name} cost at ${p.iteration}`).toBeDefined();
    if (!Number.isFinite(p.cost)) expect(ours).toBe(p.cost);
    else if (String(p.cost).length <= 8) expect(ours!.toFixed(6), `${v.name} cost at ${p.iteration}`).toBe(p.cost.toFixed(6));
    else expect(Math.abs(ours! - p.cost) / p.cost, `${v.name} cost at ${p.iteration}`).toBeLessThan(1e-9);
  }
}

const byName = (r: ExperimentResult, name: string): VariantResult => r.variants.find((v) => v.name === name)!;

describe("hone experiment --exact reproduces the published numbers", () => {
  it("initialization: zeros and He exactly, random ×10 by its accuracies", () => {
    const r = runInitialization({ mode: "exact" });
    expectPublished(byName(r, "zeros"), { costs: true });
    expectPublished(byName(r, "He"), { costs: true });
    expectPublished(byName(r, "random ×10"), { costs: false });
    expect(byName(r, "random ×10").costs[0]!.cost).toBe(Infinity);
  });

  it("regularization (on the football data the CLI ships): none, L2 λ = 0.7, dropout keepProb = 0.86", () => {
    const data = JSON.parse(readFileSync(bundledFootballFile, "utf8")) as FootballData;
    const r = runRegularization({ mode: "exact", data, source: "apps/cli/data/football.json" });
    expect(r.variants).toHaveLength(3);
    for (const v of r.variants) expectPublished(v, { costs: true });
  });

  it("gradient-checking: the 1-D check, the planted bugs found in W2 and b1 only, the fixed network", () => {
    const fixture = JSON.parse(readFileSync(course("gradcheck_case.json"), "utf8")) as { x: number[][]; W1: number[][]; b3: number[][] };
    const { x, theta } = courseCase();
    expect(x).toEqual(fixture.x);
    expect(Array.from(theta.subarray(0, 20))).toEqual(fixture.W1.flat());
    expect(theta[46]).toBe(fixture.b3[0]![0]);
    const r = runGradientChecking({ mode: "exact" });
    const [oneD, buggy, fixed, autograd] = r.variants;
    expect(oneD!.difference).toBe(2.919335883291695e-10);
    expect(Math.abs(buggy!.difference! - 0.2850931567761623) / 0.2850931567761623).toBeLessThan(1e-6);
    expect(buggy!.verdict).toBe("wrong");
    expect([...buggy!.failing!].sort()).toEqual(["W2", "b1"]);
    // Plain JavaScript arithmetic lands within 1e-9 of numpy's finite-difference noise here.
    expect(Math.abs(fixed!.difference! - 1.1890913024229996e-7) / 1.1890913024229996e-7).toBeLessThan(1e-6);
    expect(fixed!.verdict).toBe("correct");
    expect(autograd!.verdict).toBe("correct");
  });

  it("optimization: GD, momentum and Adam (5,000 epochs of mini-batches), and the decay runs", () => {
    const r = runOptimization({ mode: "exact" });
    for (const name of ["mini-batch gradient descent", "momentum", "Adam"]) expectPublished(byName(r, name), { costs: true });
    expect(r.variants).toHaveLength(7);
    // Decaying every epoch (α₀/(1 + epoch)) stalls; the stepped schedule learns the moons.
    expect(byName(r, "GD, α₀ = 0.1 decayed every epoch").trainAccuracy!).toBeLessThan(byName(r, "GD, α₀ = 0.1 stepped every 1,000 epochs").trainAccuracy!);
  });
});

describe("the experiment command", () => {
  it("prints one JSON document with one entry per variant", async () => {
    const { json } = await honeJson<{ mode: string; experiments: { name: string; variants: { name: string; difference: number; published: { difference?: number } }[] }[] }>(["experiment", "gradient-checking"]);
    expect(json.mode).toBe("exact");
    expect(json.experiments[0]!.name).toBe("gradient-checking");
    expect(json.experiments[0]!.variants.map((v) => v.published.difference)).toEqual([2.919335883291695e-10, 0.2850931567761623, 1.1890913024229996e-7, undefined]);
  });

  it("writes an HTML report and refuses to overwrite it", async () => {
    const dir = tempDir();
    const first = await hone(["experiment", "gradient-checking", "--report", "r.html"], { cwd: dir });
    expect(first.code).toBe(0);
    expect(readFileSync(`${dir}/r.html`, "utf8")).toContain("<h2>gradient-checking (exact)</h2>");
    const again = await hone(["experiment", "gradient-checking", "--report", "r.html"], { cwd: dir });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/--report "r.html" already exists; pass --force/);
  });

  it("rejects unknown experiments and bad data files with one line", async () => {
    const unknown = await hone(["experiment", "dropout"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.trim()).toBe('hone: experiment: unknown experiment "dropout"; expected one of initialization, regularization, gradient-checking, optimization, augmentation, or all');
    const dir = tempDir();
    const bad = await hone(["experiment", "regularization", "--data", "missing.json"], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^hone: cannot read --data "missing.json": no such file/);
  });
});
