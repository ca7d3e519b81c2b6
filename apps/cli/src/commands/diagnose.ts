// `hone diagnose`: the basic recipe from three error rates.
import { Command } from "commander";
import { diagnose } from "@hone/data-split";
import { numberIn } from "../parse.js";
import { printJson, print } from "../output.js";
import { colorsFor, diagnosisText, pct } from "../render.js";
import { UsageError } from "../errors.js";
import { addCommon } from "./common.js";

interface DiagnoseFlags {
  trainError?: number;
  devError?: number;
  baseError: number;
  threshold: number;
  json?: boolean;
}

/** The `diagnose` command. */
export function diagnoseCommand(): Command {
  const errorRate = (flag: string): ((text: string) => number) => numberIn(flag, { min: 0, max: 1 });
  const cmd = new Command("diagnose")
    .summary("bias/variance diagnosis from train, dev and base error")
    .description("The basic recipe: avoidable bias = train − base error, variance = dev − train error; a verdict and what to try next. Errors are fractions in [0, 1].")
    .option("--train-error <e>", "training-set error, a fraction in [0, 1] (required)", errorRate("--train-error"))
    .option("--dev-error <e>", "dev-set error, a fraction in [0, 1] (required)", errorRate("--dev-error"))
    .option("--base-error <e>", "base (Bayes or human-level) error", errorRate("--base-error"), 0)
    .option("--threshold <e>", "a gap counts as high above this", numberIn("--threshold", { min: 0, max: 1, maxOpen: true }), 0.02);
  addCommon(cmd);
  cmd.addHelpText("after", `
Examples:
  $ hone diagnose --train-error 0.01 --dev-error 0.11              # high variance
  $ hone diagnose --train-error 0.15 --dev-error 0.16              # high bias
  $ hone diagnose --train-error 0.15 --dev-error 0.16 --base-error 0.15   # fine
  $ hone diagnose --train-error 0.15 --dev-error 0.30 --json`);
  cmd.action((flags: DiagnoseFlags) => {
    if (flags.trainError === undefined) throw new UsageError("diagnose needs --train-error <e> (a fraction in [0, 1])");
    if (flags.devError === undefined) throw new UsageError("diagnose needs --dev-error <e> (a fraction in [0, 1])");
    const d = diagnose({ trainError: flags.trainError, devError: flags.devError, baseError: flags.baseError, threshold: flags.threshold });
    if (flags.json === true) {
      printJson({
        trainError: flags.trainError, devError: flags.devError, baseError: flags.baseError, threshold: flags.threshold,
        avoidableBias: d.avoidableBias, variance: d.variance, verdict: d.verdict, actions: d.actions, summary: d.summary,
      });
      return;
    }
    const c = colorsFor(process.stdout);
    print(`train error ${pct(flags.trainError)}, dev error ${pct(flags.devError)}, base error ${pct(flags.baseError)}`);
    print(diagnosisText(d, flags.baseError, c));
  });
  return cmd;
}
