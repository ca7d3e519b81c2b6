// `hone gradcheck`: backprop against two-sided differences, per parameter, for the network
// `hone train` would build with the same flags.
import { Command } from "commander";
import { checkModel, formatReport } from "@hone/gradcheck";
import { fit } from "@hone/nn";
import { gatherRows } from "@hone/tensor";
import { addDataFlags, addModelFlags, resolveConfig, type TrainFlags } from "../flags.js";
import { EXIT } from "../errors.js";
import { integerFrom, numberIn } from "../parse.js";
import { print, printJson } from "../output.js";
import { prepare } from "../prepare.js";
import { colorsFor } from "../render.js";
import { buildOptimizer } from "../optimizer.js";
import { buildPenalty } from "../setup.js";
import { addCommon } from "./common.js";
import { fitOrExplain } from "./train.js";

interface GradcheckFlags extends TrainFlags {
  rows: number;
  epsilon: number;
  sample?: number;
}

/** The `gradcheck` command. */
export function gradcheckCommand(): Command {
  const cmd = new Command("gradcheck")
    .summary("check backprop against numerical gradients")
    .description("Builds the model `hone train` would build with the same flags, optionally trains it for --epochs, and compares its backprop gradients (loss plus --l2/--l1 penalty, dropout off) with two-sided differences on --rows training rows: the relative difference ‖g − ĝ‖/(‖g‖ + ‖ĝ‖) overall and per parameter, with the worst components. Verdicts: correct ≤ 2e-7, suspicious, wrong ≥ 1e-3 (a bug: exit code 1). Needs --dtype float64.");
  addDataFlags(cmd);
  addModelFlags(cmd, 0);
  cmd
    .option("--rows <n>", "training rows in the checked batch", integerFrom("--rows", 1), 64)
    .option("--epsilon <ε>", "the step of the two-sided difference", numberIn("--epsilon", { min: 0, minOpen: true, max: 1 }), 1e-7)
    .option("--sample <n>", "check only this many parameter components, drawn at random (default: all)", integerFrom("--sample", 1));
  addCommon(cmd);
  cmd.addHelpText("after", `
Examples:
  $ hone gradcheck                                   # the default train network at initialization
  $ hone gradcheck --layers 5,3 --activation tanh --l2 0.7
  $ hone gradcheck --data spirals --classes 3 --epochs 20 --rows 32
  $ hone gradcheck --json | jq .verdict`);
  cmd.action(async (flags: GradcheckFlags) => {
    const config = resolveConfig(flags);
    const p = await prepare(config);
    const penalty = buildPenalty(config);
    if (config.training.epochs > 0) {
      fitOrExplain(config, () => fit(p.model, { x: p.train.x, y: p.train.y }, {
        loss: p.task.loss, optimizer: buildOptimizer(config), epochs: config.training.epochs,
        batchSize: config.training.batchSize, rng: p.streams.shuffle, ...(penalty === null ? {} : { penalty }),
      }));
    }
    const n = Math.min(flags.rows, p.train.x.shape[0]!);
    const idx = Int32Array.from({ length: n }, (_, i) => i);
    const batch = { x: gatherRows(p.train.x, idx), y: gatherRows(p.train.y, idx) };
    const result = checkModel(p.model, p.task.loss, batch, {
      epsilon: flags.epsilon,
      ...(penalty === null ? {} : { penalty }),
      ...(flags.sample === undefined ? {} : { sample: flags.sample, rng: p.streams.augment }),
    });
    if (flags.json === true) {
      printJson({
        config, rows: n, verdict: result.verdict, passed: result.passed, difference: result.difference, epsilon: result.epsilon,
        thresholds: result.thresholds, checked: result.checked, total: result.total, cost: result.cost, failing: result.failing,
        parameters: result.rows.map((r) => ({ name: r.name, shape: r.shape, checked: r.checked, difference: r.difference, judged: r.judged, verdict: r.verdict, worst: r.worst })),
        warnings: result.warnings,
      });
    } else {
      const c = colorsFor(process.stdout);
      print(`${c.bold("hone gradcheck")} network ${[p.data.x.shape[1]!, ...config.model.hidden, p.task.outputs].join("→")} ${config.model.activation}, ${p.task.lossName}${penalty === null ? "" : " + penalty"}, ${n} rows${config.training.epochs > 0 ? `, after ${config.training.epochs} epochs` : ", at initialization"}`);
      print(formatReport(result));
      const color = result.verdict === "correct" ? c.green : result.verdict === "wrong" ? c.red : c.yellow;
      print(`${c.bold("Verdict:")} ${color(c.bold(result.verdict))}${result.verdict === "wrong" ? ` — backprop and the numerical gradient disagree: a bug${flags.epsilon > 1e-5 ? ` (or --epsilon ${flags.epsilon} is too coarse; the default is 1e-7)` : ""}` : ""}`);
    }
    if (result.verdict === "wrong") process.exitCode = EXIT.failed;
  });
  return cmd;
}
