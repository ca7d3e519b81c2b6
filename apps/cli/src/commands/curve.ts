// `hone curve`: a learning curve. Trains a fresh model on the first n rows of the training
// split for each size n (each run is `hone train` itself, seeded as `hone train` with the
// same flags, in parallel across cores), then prints train and dev error against n, a chart,
// and whether more data is likely to help (the recipe's high-variance branch).
import { availableParallelism } from "node:os";
import { Command, Option } from "commander";
import { learningCurveSizes, readLearningCurve } from "@hone/data-split";
import { getBackend } from "@hone/tensor";
import { learningCurveText } from "../curve-render.js";
import { chooseBaseError } from "../diagnosis.js";
import { UsageError } from "../errors.js";
import { addDataFlags, addModelFlags, DEFAULTS, resolveConfig, type TrainFlags } from "../flags.js";
import { runLearningCurve, type CurvePoint } from "../learning-curve.js";
import { print, printJson } from "../output.js";
import { integerFrom } from "../parse.js";
import { prepare } from "../prepare.js";
import { baseErrorSource, colorsFor, pct, withInterval } from "../render.js";
import { addCommon } from "./common.js";

/** `--sizes`: fractions of the training split, or row counts. */
export type SizesSpec = { kind: "fractions"; values: number[] } | { kind: "counts"; values: number[] };

const SIZES_EXPECTED = 'fractions of the training split in (0, 1] like "0.1,0.2,0.4,0.6,0.8,1", or row counts like "50,100,200"';

/** Parses `--sizes`: all row counts (integers ≥ 1), or all fractions in (0, 1] with at least one non-integer. */
export function parseSizes(text: string): SizesSpec {
  const bad = (why = ""): never => { throw new UsageError(`--sizes must be ${SIZES_EXPECTED}, got ${JSON.stringify(text)}${why}`); };
  const parts = text.split(",").map((s) => s.trim());
  if (parts.some((p) => !/^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(p))) bad();
  const values = parts.map(Number);
  if (parts.every((p) => /^\d+$/.test(p))) {
    if (values.some((v) => v < 1)) bad(" (a row count must be at least 1)");
    return { kind: "counts", values };
  }
  if (values.some((v) => !(v > 0 && v <= 1))) bad(" (fractions and counts cannot be mixed)");
  return { kind: "fractions", values };
}

/** The sizes of `spec` (default: the standard fractions) over `m` training rows, checked against m. */
export function resolveSizes(spec: SizesSpec | undefined, m: number, text?: string): number[] {
  let sizes: number[];
  if (spec === undefined) sizes = learningCurveSizes(m);
  else if (spec.kind === "fractions") sizes = learningCurveSizes(m, { fractions: spec.values });
  else {
    const over = spec.values.find((v) => v > m);
    if (over !== undefined) throw new UsageError(`--sizes ${JSON.stringify(text ?? spec.values.join(","))}: ${over} is more than the ${m} rows of the training split`);
    sizes = [...new Set(spec.values)].sort((a, b) => a - b);
  }
  if (sizes.length < 2) throw new UsageError(`--sizes needs at least 2 different training-set sizes to draw a curve, got ${sizes.length === 1 ? `only one (${sizes[0]} rows)` : "none"}${text === undefined ? "" : ` from ${JSON.stringify(text)}`} (the training split has ${m} rows)`);
  return sizes;
}

interface CurveFlags extends TrainFlags {
  sizes?: string;
  workers: number;
}

/** The `curve` command. */
export function curveCommand(): Command {
  const cmd = new Command("curve")
    .summary("learning curve: train and dev error against the training-set size, and whether more data would help")
    .description("Trains a fresh model on the first n rows of the training split for each size n (each run is `hone train` with the same flags and seed, so the largest size is exactly `hone train`'s run; runs go in parallel across cores), measures the error on the n rows trained and on the whole dev split, and prints a table, a chart of both against n, and the reading: more data is likely to help when the train/dev gap is high and the dev error still falls over the last doubling of n by more than its noise; unlikely when the curves met (bias, or nothing left to win).");
  addDataFlags(cmd);
  addModelFlags(cmd, DEFAULTS.epochs);
  cmd
    .option("--sizes <list>", `training-set sizes: ${SIZES_EXPECTED} (default: 0.1,0.2,0.4,0.6,0.8,1)`)
    .addOption(new Option("--workers <n>", "runs at once (default: the CPU cores)").argParser(integerFrom("--workers", 1, 64)).default(availableParallelism()));
  addCommon(cmd, { seed: true, backend: true });
  cmd.addHelpText("after", `
Examples:
  $ hone curve                                        # moons, train's defaults, 6 sizes from 10% to 100%
  $ hone curve --data circles --epochs 100
  $ hone curve --sizes 50,100,200,400,600 --layers 64,64
  $ hone curve --sizes 0.25,0.5,1 --l2 0.3 --json`);
  cmd.action(async (flags: CurveFlags) => {
    await curve(flags);
  });
  return cmd;
}

async function curve(flags: CurveFlags): Promise<void> {
  const spec = flags.sizes === undefined ? undefined : parseSizes(flags.sizes);
  const config = resolveConfig(flags);
  if (config.split.trainRows !== undefined) throw new UsageError("--train-rows does not apply to curve: it trains on the first n rows for each n of --sizes");
  const p = await prepare(config);
  const m = p.train.indices.length;
  const sizes = resolveSizes(spec, m, flags.sizes);
  const json = flags.json === true;
  const live = !json && process.stderr.isTTY;
  const started = performance.now();
  const points = await runLearningCurve(config, {
    sizes, workers: flags.workers,
    ...(live ? { onPoint: (pt: CurvePoint, done: number, total: number) => { process.stderr.write(`  ${done}/${total}  m = ${pt.size}: train error ${pct(pt.trainError)}, dev error ${pct(pt.devError)}\n`); } } : {}),
  });
  const seconds = (performance.now() - started) / 1000;
  // The base error as `hone train` chooses it (--base-error, the data set's Bayes error, an estimate), on the whole training split.
  const base = chooseBaseError(config, p);
  const reading = readLearningCurve(points, { baseError: base });
  if (json) {
    // No timings: the same flags give the same document, whatever --workers.
    printJson({ config, trainRows: m, devRows: p.dev.indices.length, baseError: base, points, reading });
    return;
  }
  const c = colorsFor(process.stdout);
  const src = p.data.builtin ? `${config.data.source} (${p.data.y.size} rows)` : `${config.data.source} (${p.data.y.size} rows, label ${JSON.stringify(p.data.labelName)})`;
  const network = p.network.text;
  print(`${c.bold("hone curve")} ${src} · train split ${m}, dev ${p.dev.indices.length} · network ${network} ${config.model.activation} · ${config.optimizer.name} lr ${config.optimizer.lr} · ${config.training.epochs} epochs · ${sizes.length} sizes on ${Math.min(flags.workers, sizes.length)} worker${Math.min(flags.workers, sizes.length) === 1 ? "" : "s"} in ${seconds.toFixed(1)}s (${getBackend().name} kernels)`);
  print(c.dim(`base error ${withInterval(base)} — ${baseErrorSource(base)}`));
  print();
  const width = Math.max(20, Math.min(100, (process.stdout.columns ?? 90) - 14));
  print(learningCurveText(points, reading, { width, c }));
}
