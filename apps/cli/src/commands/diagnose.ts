// `hone diagnose`: the basic recipe from train, dev and base error, with intervals when
// the counts are given.
import { Command } from "commander";
import { diagnose } from "@hone/data-split";
import { integerFrom, numberIn } from "../parse.js";
import { printJson, print } from "../output.js";
import { colorsFor, diagnosisText } from "../render.js";
import { UsageError } from "../errors.js";
import { addCommon } from "./common.js";

interface DiagnoseFlags {
  trainError?: number;
  devError?: number;
  trainN?: number;
  devN?: number;
  baseError?: number;
  threshold: number;
  json?: boolean;
}

/** The `diagnose` command. */
export function diagnoseCommand(): Command {
  const errorRate = (flag: string): ((text: string) => number) => numberIn(flag, { min: 0, max: 1 });
  const cmd = new Command("diagnose")
    .summary("bias/variance diagnosis from train, dev and base error")
    .description("The basic recipe: avoidable bias = train − base error, variance = dev − train error; a verdict and what to try next. Errors are fractions in [0, 1]. With --train-n and --dev-n (the rows each error was measured on) every error and gap gets a 95% interval (Wilson; Newcombe for the gaps), and a gap is high only when its whole interval is above --threshold (and above one example of its set); when no gap is high, a gap above the threshold whose interval is not reads \"too few dev examples\" (with how many would tell) or \"too few training examples\".")
    .option("--train-error <e>", "training-set error, a fraction in [0, 1] (required)", errorRate("--train-error"))
    .option("--dev-error <e>", "dev-set error, a fraction in [0, 1] (required)", errorRate("--dev-error"))
    .option("--train-n <n>", "training rows the train error was measured on (gives intervals)", integerFrom("--train-n", 1))
    .option("--dev-n <n>", "dev rows the dev error was measured on (gives intervals)", integerFrom("--dev-n", 1))
    .option("--base-error <e>", "base (Bayes or human-level) error (default 0, which the output states)", errorRate("--base-error"))
    .option("--threshold <e>", "a gap counts as high above this", numberIn("--threshold", { min: 0, max: 1, maxOpen: true }), 0.02);
  addCommon(cmd, { seed: false, backend: false });
  cmd.addHelpText("after", `
Examples:
  $ hone diagnose --train-error 0.01 --dev-error 0.11              # high variance
  $ hone diagnose --train-error 0.15 --dev-error 0.16              # high bias
  $ hone diagnose --train-error 0.15 --dev-error 0.16 --base-error 0.15   # fine
  $ hone diagnose --train-error 0.008 --dev-error 0.03 --train-n 600 --dev-n 200 --base-error 0.01   # too few dev examples
  $ hone diagnose --train-error 0.15 --dev-error 0.30 --json`);
  cmd.action((flags: DiagnoseFlags) => {
    if (flags.trainError === undefined) throw new UsageError("diagnose needs --train-error <e> (a fraction in [0, 1])");
    if (flags.devError === undefined) throw new UsageError("diagnose needs --dev-error <e> (a fraction in [0, 1])");
    const d = diagnose({
      trainError: flags.trainError, devError: flags.devError, threshold: flags.threshold,
      ...(flags.trainN === undefined ? {} : { trainN: flags.trainN }),
      ...(flags.devN === undefined ? {} : { devN: flags.devN }),
      ...(flags.baseError === undefined ? {} : { baseError: { value: flags.baseError, source: "flag" } }),
    });
    if (flags.json === true) {
      printJson({
        trainError: d.trainError, devError: d.devError, baseError: d.baseError, threshold: d.threshold, confidence: d.confidence,
        avoidableBias: d.avoidableBias, variance: d.variance, levels: d.levels, verdict: d.verdict, actions: d.actions, summary: d.summary,
        ...(d.verdict === "too few dev examples" || d.devExamplesNeeded !== null ? { devExamplesNeeded: d.devExamplesNeeded } : {}),
      });
      return;
    }
    print(diagnosisText(d, colorsFor(process.stdout)));
  });
  return cmd;
}
