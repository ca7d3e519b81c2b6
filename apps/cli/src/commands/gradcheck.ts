// `hone gradcheck`: backprop against two-sided differences, per parameter, for the network
// `hone train` would build with the same flags; once, or at initialization and after training.
import { Command } from "commander";
import { checkModel, formatReport, gradcheckCallback } from "@hone/gradcheck";
import { fit, type Callback } from "@hone/nn";
import { addDataFlags, addModelFlags, resolveConfig, type TrainFlags } from "../flags.js";
import { EXIT, UsageError } from "../errors.js";
import { integerFrom, numberIn } from "../parse.js";
import { print, printJson } from "../output.js";
import { prepare } from "../prepare.js";
import { colorsFor } from "../render.js";
import { buildOptimizer } from "../optimizer.js";
import { buildPenalty } from "../setup.js";
import { checkJson, formatTrainingCheck, gradcheckBatch, trainingCheckJson, verdictLine } from "../train-gradcheck.js";
import { addCommon } from "./common.js";
import { fitOrExplain } from "./train.js";

interface GradcheckFlags extends TrainFlags {
  rows: number;
  epsilon: number;
  sample?: number;
  afterEpochs?: number;
}

/** The `gradcheck` command. */
export function gradcheckCommand(): Command {
  const cmd = new Command("gradcheck")
    .summary("check backprop against numerical gradients")
    .description("Builds the model `hone train` would build with the same flags and compares its backprop gradients (loss plus --l2/--l1 penalty, dropout off) with two-sided differences on --rows training rows: the relative difference ‖g − ĝ‖/(‖g‖ + ‖ĝ‖) overall and per parameter, with the worst components. It checks once: at initialization, or after training --epochs. --after-epochs N checks twice, at initialization and again after training N epochs (some bugs only show once the weights have moved from their initial values), and reports both. Verdicts: correct ≤ 2e-7, suspicious, wrong ≥ 1e-3 (a bug: exit code 1, also when only one of the two checks is wrong). Needs --dtype float64.");
  addDataFlags(cmd);
  addModelFlags(cmd, 0);
  cmd
    .option("--rows <n>", "training rows in the checked batch", integerFrom("--rows", 1), 64)
    .option("--epsilon <ε>", "the step of the two-sided difference", numberIn("--epsilon", { min: 0, minOpen: true, max: 1 }), 1e-7)
    .option("--sample <n>", "check only this many parameter components, drawn at random (default: all)", integerFrom("--sample", 1))
    .option("--after-epochs <n>", "check at initialization, train n epochs, check again (instead of --epochs, which trains first and checks once)", integerFrom("--after-epochs", 1, 10_000_000));
  addCommon(cmd, { seed: true, backend: true });
  cmd.addHelpText("after", `
Examples:
  $ hone gradcheck                                   # the default train network at initialization
  $ hone gradcheck --layers 5,3 --activation tanh --l2 0.7
  $ hone gradcheck --data spirals --classes 3 --epochs 20 --rows 32   # train 20 epochs, then check once
  $ hone gradcheck --after-epochs 20                 # check at initialization and after 20 epochs
  $ hone gradcheck --after-epochs 50 --keep-prob 0.8 --l2 0.1 --json | jq '.initial.verdict, .trained.verdict'
  $ hone gradcheck --json | jq .verdict`);
  cmd.action(async (flags: GradcheckFlags) => {
    const after = flags.afterEpochs;
    if (after !== undefined && flags.epochs > 0) {
      throw new UsageError(`--after-epochs ${after} checks at initialization and again after ${after} epochs; --epochs ${flags.epochs} trains first and checks once. Pass one of them`);
    }
    const resolved = resolveConfig(flags);
    // With --after-epochs, training runs as --epochs would (the same schedule over the same count).
    const config = after === undefined ? resolved : { ...resolved, training: { ...resolved.training, epochs: after } };
    const p = await prepare(config);
    const penalty = buildPenalty(config);
    const batch = gradcheckBatch(p.train, flags.rows);
    const n = batch.x.shape[0]!;
    const check = {
      epsilon: flags.epsilon,
      ...(penalty === null ? {} : { penalty }),
      ...(flags.sample === undefined ? {} : { sample: flags.sample, rng: p.streams.augment }),
    };
    const trainFor = async (epochs: number, callbacks: Callback[]): Promise<void> => {
      await fitOrExplain(config, () => fit(p.model, { x: p.train.x, y: p.train.y }, {
        loss: p.task.loss, optimizer: buildOptimizer(config), epochs, callbacks,
        batchSize: config.training.batchSize, rng: p.streams.shuffle, ...(penalty === null ? {} : { penalty }),
      }));
    };
    const network = `network ${p.network.text} ${config.model.activation}, ${p.task.lossName}${penalty === null ? "" : " + penalty"}, ${n} rows`;
    const c = colorsFor(process.stdout);

    if (after !== undefined) {
      const callback = gradcheckCallback({ loss: p.task.loss, batch, ...check });
      await trainFor(after, [callback]);
      const report = callback.report();
      if (flags.json === true) printJson({ config, ...trainingCheckJson(report, n) });
      else {
        print(`${c.bold("hone gradcheck")} ${network}, at initialization and after ${report.epochs} epochs`);
        print();
        print(formatTrainingCheck(report, c));
      }
      if (report.verdict === "wrong") process.exitCode = EXIT.failed;
      return;
    }

    if (config.training.epochs > 0) await trainFor(config.training.epochs, []);
    const result = checkModel(p.model, p.task.loss, batch, check);
    if (flags.json === true) {
      printJson({ config, rows: n, ...checkJson(result) });
    } else {
      print(`${c.bold("hone gradcheck")} ${network}${config.training.epochs > 0 ? `, after ${config.training.epochs} epochs` : ", at initialization"}`);
      print(formatReport(result));
      print(verdictLine(result, c));
    }
    if (result.verdict === "wrong") process.exitCode = EXIT.failed;
  });
  return cmd;
}
