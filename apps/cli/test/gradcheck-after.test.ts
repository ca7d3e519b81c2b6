// Gradient checks at initialization and after training: `hone gradcheck --after-epochs`,
// and the helpers `hone train --gradcheck` builds on (run in-process here).
import { Command } from "commander";
import { checkModel } from "@hone/gradcheck";
import { fit, type Callback } from "@hone/nn";
import { describe, expect, it } from "vitest";
import { addDataFlags, addModelFlags, resolveConfig, type TrainFlags } from "../src/flags.js";
import { UsageError } from "../src/errors.js";
import { buildOptimizer } from "../src/optimizer.js";
import { prepare } from "../src/prepare.js";
import pc from "picocolors";
import { buildEarlyStopping, buildPenalty } from "../src/setup.js";
import { gradcheckBatch, trainGradcheck } from "../src/train-gradcheck.js";
import { hone, honeJson } from "./helpers.js";

interface Check { verdict: string; passed: boolean; difference: number; cost: number; parameters: { name: string; verdict: string; worst: { index: number[]; analytic: number }[] }[] }
interface Pair { rows: number; epochs: number; verdict: string; passed: boolean; initial: Check; trained: Check; config: { training: { epochs: number } } }

describe("hone gradcheck --after-epochs", () => {
  it("--json on the default data: correct at initialization and after 5 epochs, on moved weights", async () => {
    const { run, json } = await honeJson<Pair>(["gradcheck", "--after-epochs", "5"]);
    expect(run.code).toBe(0);
    expect([json.rows, json.epochs, json.verdict, json.passed, json.config.training.epochs]).toEqual([64, 5, "correct", true, 5]);
    for (const check of [json.initial, json.trained]) {
      expect(check.verdict).toBe("correct");
      expect(check.difference).toBeLessThan(2e-7);
      expect(check.parameters.map((p) => p.name)).toEqual(["layers.0.weight", "layers.0.bias", "layers.2.weight", "layers.2.bias", "layers.4.weight", "layers.4.bias"]);
    }
    // Training moved the weights: the cost on the checked rows fell, the gradients changed.
    expect(json.trained.cost).toBeLessThan(json.initial.cost - 0.1);
    expect(json.trained.parameters[4]!.worst[0]!.analytic).not.toBe(json.initial.parameters[4]!.worst[0]!.analytic);
    // The two checks are exactly the single checks at initialization and after --epochs 5.
    const [atInit, afterFive] = await Promise.all([
      honeJson<Check>(["gradcheck"]), honeJson<Check>(["gradcheck", "--epochs", "5"]),
    ]);
    expect([json.initial.difference, json.initial.cost]).toEqual([atInit.json.difference, atInit.json.cost]);
    expect([json.trained.difference, json.trained.cost]).toEqual([afterFive.json.difference, afterFive.json.cost]);
  });

  it("prints both tables and both verdicts", async () => {
    const run = await hone(["gradcheck", "--after-epochs", "3", "--layers", "5,3", "--activation", "tanh", "--l2", "0.7", "--rows", "32"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("32 rows, at initialization and after 3 epochs");
    expect(run.stdout).toMatch(/At initialization\ngradient check: correct[^]*Verdict: correct\n\nAfter 3 epochs\ngradient check: correct[^]*Verdict: correct\n\nBoth checks: correct\n$/);
  });

  it("exits 1 when a check is wrong (forced by a step ε = 1, far too coarse)", async () => {
    const run = await hone(["gradcheck", "--after-epochs", "2", "--layers", "5,3", "--activation", "tanh", "--epsilon", "1", "--json"]);
    expect(run.code).toBe(1);
    const json = JSON.parse(run.stdout) as Pair;
    expect([json.verdict, json.initial.verdict, json.trained.verdict, json.passed]).toEqual(["wrong", "wrong", "wrong", false]);
  });

  it("rejects --after-epochs with --epochs > 0, and --after-epochs 0, as usage errors", async () => {
    const both = await hone(["gradcheck", "--after-epochs", "5", "--epochs", "3"]);
    expect(both.code).toBe(2);
    expect(both.stdout).toBe("");
    expect(both.stderr).toBe("hone: --after-epochs 5 checks at initialization and again after 5 epochs; --epochs 3 trains first and checks once. Pass one of them\n");
    const zero = await hone(["gradcheck", "--after-epochs", "0"]);
    expect(zero.code).toBe(2);
    expect(zero.stderr).toBe("hone: --after-epochs must be an integer in [1, 10000000], got \"0\"\n");
    // --epochs 0 (the gradcheck default) is no conflict.
    expect((await hone(["gradcheck", "--after-epochs", "1", "--epochs", "0", "--layers", "3", "--rows", "8"])).code).toBe(0);
  });

  it("--help documents it beside --epochs", async () => {
    const run = await hone(["gradcheck", "--help"]);
    expect(run.stdout).toContain("--after-epochs <n>");
    expect(run.stdout).toContain("$ hone gradcheck --after-epochs 20");
  });
});

/** A train config from `hone train`-style flags. */
function trainConfig(args: string[]): ReturnType<typeof resolveConfig> {
  const cmd = addModelFlags(addDataFlags(new Command("train")), 200).option("--seed <n>", "", Number, 1);
  cmd.parse(args, { from: "user" });
  return resolveConfig(cmd.opts<TrainFlags>());
}

describe("trainGradcheck (what `hone train --gradcheck` runs)", () => {
  it("checks at the start and at the end of a run with dropout, L2 and early stopping; the end check sees the restored weights", async () => {
    const config = trainConfig(["--epochs", "60", "--keep-prob", "0.8", "--l2", "0.3", "--early-stopping", "--patience", "5", "--restore-best"]);
    const p = await prepare(config);
    const early = buildEarlyStopping(config)!;
    const penalty = buildPenalty(config)!;
    const check = trainGradcheck(config, p);
    expect(check.rows).toBe(64);
    const callbacks: Callback[] = [early, check.callback];
    const history = fit(p.model, { x: p.train.x, y: p.train.y }, {
      loss: p.task.loss, optimizer: buildOptimizer(config), epochs: config.training.epochs, batchSize: config.training.batchSize,
      rng: p.streams.shuffle, dev: { x: p.dev.x, y: p.dev.y }, callbacks, penalty,
    });
    expect(history.stopped).not.toBeNull();
    expect(early.result.restored).toBe(true);
    const json = check.json();
    expect([json.rows, json.epochs, json.verdict, json.passed]).toEqual([64, history.epochs.length, "correct", true]);
    expect(json.initial!.difference).toBeLessThan(2e-7);
    expect(json.trained!.difference).toBeLessThan(2e-7);
    expect(check.failed()).toBe(false);
    // The end check ran on the weights fit returned (the restored best), with the penalty.
    const after = checkModel(p.model, p.task.loss, gradcheckBatch(p.train, 64), { penalty });
    expect(json.trained!.cost).toBe(after.cost);
    expect(json.trained!.cost).not.toBe(json.initial!.cost);
    const text = check.text(pc.createColors(false)); // plain text whatever the test runner's FORCE_COLOR
    expect(text).toMatch(new RegExp(`^At initialization\\ngradient check: correct[^]*\\n\\nAfter ${history.epochs.length} epochs\\ngradient check: correct[^]*\\nBoth checks: correct$`));
  });

  it("refuses float32 before any training, with the flag named", async () => {
    const config = trainConfig(["--dtype", "float32", "--epochs", "1"]);
    const p = await prepare(config);
    expect(() => trainGradcheck(config, p)).toThrow(UsageError);
    expect(() => trainGradcheck(config, p)).toThrow(/^--gradcheck needs --dtype float64 \(got float32\)/);
  });
});
