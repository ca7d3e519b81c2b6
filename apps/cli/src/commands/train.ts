// `hone train`: split → normalize → initialize → train → evaluate → diagnose → report.
import { Command } from "commander";
import { checkSplit, extentOf, gridPoints, learningCurveSizes, readLearningCurve, type LearningCurvePoint, type LearningCurveReading } from "@hone/data-split";
import { gradientMonitor } from "@hone/gradcheck";
import { TrainingError, fitAsync, type Callback, type EpochLog, type History, type Metric } from "@hone/nn";
import { Tensor, getBackend } from "@hone/tensor";
import { isBuiltin } from "../data.js";
import { chooseBaseError, diagnoseRun, diagnosisJson } from "../diagnosis.js";
import { EXIT, RunFailure, UsageError } from "../errors.js";
import { addDataFlags, addModelFlags, DEFAULTS, resolveConfig, type TrainConfig, type TrainFlags } from "../flags.js";
import { outputFile, writeOutput } from "../io.js";
import { formatFor, modelMetadata, serializeClassifier } from "../model-file.js";
import { onInterrupt, print, printJson, progressBar, warn } from "../output.js";
import { prepare, type Prepared } from "../prepare.js";
import { colorsFor, costChart, diagnosisText, metricsTable, num } from "../render.js";
import { renderReport, type MisclassifiedImages, type ReportBoundary, type ReportEpoch } from "../report.js";
import { buildOptimizer } from "../optimizer.js";
import { buildAugment, buildEarlyStopping, buildPenalty } from "../setup.js";
import { baseline, infer, score, type Decision, type SplitMetrics } from "../task.js";
import { bestThreshold } from "@hone/nn";
import { columnsJson, columnsText, metricsBaselineText } from "../columns.js";
import { trainGradcheck } from "../train-gradcheck.js";
import { curvePoint, runLearningCurve } from "../learning-curve.js";
import { learningCurveSection, learningCurveText } from "../curve-render.js";
import { addCommon } from "./common.js";

interface TrainCommandFlags extends TrainFlags {
  save?: string;
  report?: string;
  force?: boolean;
  gradcheck?: boolean;
  learningCurve?: boolean;
}

/** The `train` command. */
export function trainCommand(): Command {
  const cmd = new Command("train")
    .summary("train a classifier or a regressor and evaluate it on train, dev and test")
    .description("Splits the data into train/dev/test, fits the column preprocessing (a CSV's roles, missing-value fills, categories) and the normalizer on train, trains a fully connected network, then prints the metrics on each split beside a trivial baseline, the bias/variance diagnosis with what to try next, and a chart of the train/dev cost per epoch. A CSV's label decides the task (--task): classes, or a numeric target for regression. Defaults: moons (1000 rows, noise 0.2), 60/20/20, standardized, hidden layers 16,16 with ReLU and He init, Adam lr 0.01, batches of 64, 200 epochs, seed 1.");
  addDataFlags(cmd);
  addModelFlags(cmd, DEFAULTS.epochs);
  cmd
    .option("--save <file>", "save the model, its normalizer and config: model.json (Hone JSON) or model.safetensors")
    .option("--report <file>", "write a self-contained HTML report (cost and error curves, decision boundary for 2-D data)")
    .option("--force", "overwrite --save/--report files that exist")
    .option("--learning-curve", "also train on growing fractions of the training split (in parallel, seeded as this run) and read the learning curve: would more data help?")
    .option("--gradcheck", "check backprop against numerical gradients at the start and at the end of training (64 training rows, dropout off; exit code 1 if either is wrong)");
  addCommon(cmd, { seed: true, backend: true });
  cmd.addHelpText("after", `
Examples:
  $ hone train                                            # moons, defaults: runs in seconds
  $ hone train --data circles --layers 10,5 --init zeros  # see symmetry kill learning
  $ hone train --data spirals --classes 3 --layers 64,32 --epochs 400
  $ hone train --data data.csv --label species --stratify --split 80/10/10
  $ hone train --data houses.csv --label price --ignore id       # a numeric label with many values: regression
  $ hone train --data churn.csv --label churned --class-weight balanced --threshold auto
  $ hone train --optimizer momentum --beta 0.9 --lr 0.05 --lr-decay stepped --decay-interval 50
  $ hone train --layers 64,64 --l2 0.5 --keep-prob 0.8,0.9 --early-stopping --restore-best
  $ hone train --save model.json --report report.html
  $ hone train --learning-curve                           # would more data help? train on 10%…100% of train
  $ hone train --gradcheck                                # check backprop at the start and at the end
  $ hone train --json > run.json`);
  cmd.action(async (flags: TrainCommandFlags) => {
    await train(flags, { print: true });
  });
  return cmd;
}

/** The live progress bar on stderr (a terminal only, never with --json), and a way to take it down. */
function trainingProgress(epochs: number): { callback: Callback; stop: () => void } | null {
  if (!process.stderr.isTTY) return null;
  const bar = progressBar(" training {bar} {percentage}% | epoch {value}/{total} | train cost {trainLoss} | dev cost {devLoss} | {eta_formatted}", { hideCursor: true });
  const stop = (): void => { if (bar.isActive) bar.stop(); };
  return {
    callback: {
      onTrainBegin: () => { bar.start(epochs, 0, { trainLoss: "—", devLoss: "—" }); },
      onEpochEnd: (log: EpochLog) => { bar.update(log.epoch + 1, { trainLoss: num(log.trainLoss), devLoss: num(log.devLoss) }); },
      onTrainEnd: stop,
    },
    stop,
  };
}

/** The 2-D decision boundary over the data's range, in the original (unnormalized) units. */
function boundary(p: Prepared): ReportBoundary | null {
  const { data, task } = p;
  if (data.x.shape[1] !== 2 || task.kind === "regression") return null;
  const m = data.x.shape[0]!;
  const extent = extentOf(data.x);
  const nx = 120, ny = 120;
  let gx = gridPoints(extent, nx, ny);
  if (p.scaler !== null) gx = p.scaler.transform(gx);
  const out = infer(p.model, p.train.x.dtype === "float32" ? new Tensor(Float32Array.from(gx.data), gx.shape) : gx);
  const probs = task.probabilities(out);
  const k = task.classes;
  const classes: number[] = [], confidence: number[] = [];
  for (let i = 0; i < nx * ny; i++) {
    let best = 0;
    for (let j = 1; j < k; j++) if (probs[i * k + j]! > probs[i * k + best]!) best = j;
    classes.push(best);
    confidence.push(Number(probs[i * k + best]!.toFixed(3)));
  }
  // At most 4000 points keep the page small; every split is kept in proportion.
  const role = new Int8Array(m);
  p.dev.indices.forEach((i) => { role[i] = 1; });
  p.test.indices.forEach((i) => { role[i] = 2; });
  const step = Math.max(1, Math.ceil(m / 4000));
  const points: [number, number, number, number][] = [];
  for (let i = 0; i < m; i += step) {
    points.push([Number(data.x.data[2 * i]!.toPrecision(6)), Number(data.x.data[2 * i + 1]!.toPrecision(6)), data.y.data[i]!, role[i]!]);
  }
  return { axes: [data.featureNames[0]!, data.featureNames[1]!], ...extent, nx, ny, classes, confidence, points, classNames: data.classes };
}

/** An image data set's misclassified dev images (the raw pixels, before any normalization), or null for tables. */
function misclassified(p: Prepared): MisclassifiedImages | null {
  const { data, task } = p;
  if (data.image === undefined || task.kind === "regression") return null;
  const probs = task.probabilities(infer(p.model, p.dev.x));
  const k = task.classes, features = data.x.shape[1]!;
  const items: MisclassifiedImages["items"] = [];
  let wrong = 0;
  p.dev.indices.forEach((row, i) => {
    let best = 0;
    for (let j = 1; j < k; j++) if (probs[i * k + j]! > probs[i * k + best]!) best = j;
    const actual = data.y.data[row]!;
    if (best === actual) return;
    wrong++;
    if (items.length >= 60) return;
    const pixels = Array.from(data.x.data.subarray(row * features, (row + 1) * features), (v) => Number(v.toFixed(3)));
    items.push({ pixels, actual: data.classes[actual]!, predicted: data.classes[best]!, confidence: Number(probs[i * k + best]!.toFixed(3)) });
  });
  return { shape: data.image, split: "dev", rows: p.dev.indices.length, wrong, items };
}

function historyRows(history: History): ReportEpoch[] {
  return history.epochs.map((e) => ({
    epoch: e.epoch,
    trainLoss: e.trainLoss,
    devLoss: e.devLoss ?? null,
    trainAccuracy: e.train?.accuracy ?? null,
    devAccuracy: e.dev?.accuracy ?? null,
    ...(e.learningRate === undefined ? {} : { learningRate: e.learningRate }),
  }));
}

/** Runs `fit` or `fitAsync`, turning a diverged run (NaN or infinite loss) into a message in terms of the flags. */
export async function fitOrExplain(config: TrainConfig, run: () => History | Promise<History>, cleanup: () => void = () => undefined): Promise<History> {
  try {
    return await run();
  } catch (error) {
    cleanup();
    if (!(error instanceof TrainingError)) throw error;
    const what = error.message.replace(/^fit(?:Async)?: /, "").replace(/\.?\s*Lower the learning rate.*$/, "");
    throw new RunFailure(`training diverged: ${what}. Lower --lr (now ${config.optimizer.lr}), add --clip-norm, or check the data`);
  }
}

/** What `hone train --json` prints. */
export type TrainSummary = Record<string, unknown> & { metrics: Record<"train" | "dev" | "test", SplitMetrics> & { baseline: Record<string, unknown> } };

/**
 * Runs `hone train` with parsed flags: the whole pipeline, its files (--save, --report) and,
 * with `print`, its output. Returns the summary `--json` prints (a sweep's trials read it).
 */
export async function train(flags: TrainCommandFlags, mode: { print: boolean }): Promise<TrainSummary> {
  const config: TrainConfig = resolveConfig(flags);
  const force = flags.force === true;
  const json = flags.json === true;
  // Outputs are checked before any work: an existing file without --force fails at once.
  const inputs = isBuiltin(config.data.source) ? [] : [config.data.source];
  const savePath = flags.save === undefined ? null : outputFile(flags.save, { flag: "--save", force, inputs });
  const saveFormat = flags.save === undefined ? null : formatFor(flags.save, "--save");
  const reportPath = flags.report === undefined ? null : outputFile(flags.report, { flag: "--report", force, inputs });
  if (savePath !== null && savePath === reportPath) throw new UsageError("--save and --report name the same file");

  const p = await prepare(config);
  const { task, model } = p;
  const optimizer = buildOptimizer(config);
  const early = buildEarlyStopping(config);
  const callbacks: Callback[] = [];
  if (early !== null) callbacks.push(early);
  const progress = json || !mode.print ? null : trainingProgress(config.training.epochs);
  if (progress !== null) callbacks.push(progress.callback);
  const penalty = buildPenalty(config);
  const augment = buildAugment(config, p.streams.augment, p.data.image);
  // Dev and test should come from the same distribution; say so when they do not.
  const splitCheck = checkSplit(p.split);
  // Gradient health: about 200 records over the run, flagging vanishing or exploding layers.
  const rows0 = p.train.indices.length;
  const steps = config.training.epochs * (config.training.batchSize === "full" ? 1 : Math.ceil(rows0 / config.training.batchSize));
  const monitor = gradientMonitor({ every: Math.max(1, Math.floor(steps / 200)) });
  callbacks.push(monitor);
  // Last, so that the end check sees the weights early stopping restored.
  const gradcheck = flags.gradcheck === true ? trainGradcheck(config, p) : null;
  if (gradcheck !== null) callbacks.push(gradcheck.callback);

  const fitMetrics: Record<string, Metric> = task.kind === "regression" ? {} : { accuracy: task.accuracy };
  const started = performance.now();
  // Training yields to the event loop, so Ctrl-C takes the progress bar down and exits 130 at once.
  const release = mode.print ? onInterrupt(() => progress?.stop()) : () => undefined;
  const history = await fitOrExplain(config, () => fitAsync(model, { x: p.train.x, y: p.train.y }, {
    loss: task.loss,
    optimizer,
    epochs: config.training.epochs,
    batchSize: config.training.batchSize,
    rng: p.streams.shuffle,
    dev: { x: p.dev.x, y: p.dev.y },
    metrics: fitMetrics,
    callbacks,
    ...(penalty === null ? {} : { penalty }),
    ...(augment === null ? {} : { augment }),
  }), () => progress?.stop()).finally(release);
  const seconds = (performance.now() - started) / 1000;

  const decision = chooseDecision(config, p);
  const metrics: Record<"train" | "dev" | "test", SplitMetrics> = {
    train: score(model, task, p.train.x, p.train.y, decision), dev: score(model, task, p.dev.x, p.dev.y, decision), test: score(model, task, p.test.x, p.test.y, decision),
  };
  const trivial = baseline(task, p.train.y, { train: p.train.y, dev: p.dev.y, test: p.test.y }, p.data.classes);
  const base = chooseBaseError(config, p);
  const diagnosis = diagnoseRun(metrics, base, task.kind === "regression");
  let curve: { points: LearningCurvePoint[]; reading: LearningCurveReading } | null = null;
  if (flags.learningCurve === true) {
    const m = p.train.indices.length;
    // The full size is this run; the smaller ones run as child processes with the same flags.
    const sizes = learningCurveSizes(m).filter((n) => n < m);
    const points = [...await runLearningCurve(config, { sizes }), curvePoint(m, metrics)];
    curve = { points, reading: readLearningCurve(points, { baseError: base }) };
  }
  const rows = historyRows(history);
  let bestEpoch: number | null = early?.result.bestEpoch ?? null;
  if (bestEpoch === null || bestEpoch < 0) {
    bestEpoch = null;
    for (const r of rows) if (r.devLoss !== null && (bestEpoch === null || r.devLoss < rows[bestEpoch]!.devLoss!)) bestEpoch = r.epoch;
  }
  const stoppedEarly = history.stopped !== null;
  const health = monitor.report();
  const findings = {
    split: splitCheck.findings.map((f) => ({ level: f.level, between: f.between, message: f.message })),
    gradients: health.findings.map((f) => ({ kind: f.kind, layer: f.layer, epoch: f.epoch, message: f.message })),
  };
  const summary = {
    config,
    task: task.kind === "regression" ? "regression" : "classification",
    taskReason: p.data.table?.taskReason ?? "a built-in classification data set",
    data: {
      rows: p.data.y.size, features: p.data.featureNames, label: p.data.labelName, classes: p.data.classes,
      ...(p.data.table === undefined ? {} : { droppedRows: p.data.table.dropped, imputedCells: p.data.encoding?.imputed ?? 0, unseenCells: p.data.encoding?.unseen ?? 0 }),
    },
    ...(p.data.preprocessor === undefined ? {} : { columns: columnsJson(p.data.preprocessor) }),
    ...(task.kind === "binary" ? { decision: { positive: p.data.classes[decision.positive], threshold: decision.threshold, chosen: config.objective.threshold === "auto" ? "on dev, by F1" : "given" } } : {}),
    split: { train: p.train.indices.length, dev: p.dev.indices.length, test: p.test.indices.length },
    model: { sizes: p.network.sizes, ...(config.model.conv.length > 0 ? { conv: config.model.conv, image: p.data.image } : {}), parameters: model.parameters().reduce((n, t) => n + t.size, 0), output: task.kind === "binary" ? "sigmoid (logit)" : task.kind === "multiclass" ? "softmax (logits)" : "linear (standardized target)", loss: task.lossName },
    metrics: { ...metrics, baseline: trivial },
    diagnosis: diagnosisJson(diagnosis, base.note),
    epochs: history.epochs.length,
    bestEpoch,
    stoppedEarly,
    stopReason: history.stopped?.reason ?? null,
    restoredBest: early?.result.restored ?? false,
    splitCheck: { ok: splitCheck.ok, findings: findings.split },
    gradients: { vanishing: health.vanishing, exploding: health.exploding, findings: findings.gradients },
    seconds: Number(seconds.toFixed(3)),
    backend: getBackend().name,
    history: rows,
    ...(gradcheck === null ? {} : { gradcheck: gradcheck.json() }),
    ...(curve === null ? {} : { learningCurve: curve }),
  };
  if (gradcheck?.failed() === true) process.exitCode = EXIT.failed;

  if (savePath !== null && saveFormat !== null) {
    writeOutput(savePath, serializeClassifier(model, modelMetadata(config, p, decision, metrics), saveFormat), force);
  }
  if (reportPath !== null) {
    const source = config.data.source;
    writeOutput(reportPath, renderReport({
      title: `hone train — ${source}`,
      generated: new Date().toISOString(),
      config, metrics, baseline: trivial, diagnosis, epochs: rows, bestEpoch, classes: p.data.classes,
      columns: p.data.preprocessor === undefined ? null : columnsJson(p.data.preprocessor),
      predictedVsActual: task.kind === "regression" ? predictedVsActual(p) : null,
      stopped: history.stopped === null ? null : `stopped early at epoch ${history.stopped.epoch}: ${history.stopped.reason}`,
      boundary: boundary(p),
      misclassified: misclassified(p),
      learningCurve: curve === null ? null : learningCurveSection(curve.points, curve.reading),
    }), force);
  }

  const result: TrainSummary = { ...summary, saved: savePath, report: reportPath };
  if (!mode.print) return result;
  if (json) {
    printJson(result);
    return result;
  }
  const c = colorsFor(process.stdout);
  const src = p.data.builtin ? `${config.data.source} (${p.data.y.size} rows)` : `${config.data.source} (${p.data.y.size} rows, ${p.data.featureNames.length} features, label ${JSON.stringify(p.data.labelName)})`;
  if (p.data.preprocessor !== undefined) {
    print(columnsText(p.data.preprocessor, c));
    print(`${c.bold("Task:")} ${summary.task} — ${summary.taskReason}`);
    print();
  }
  print(`${c.bold("hone train")} ${src} · split ${summary.split.train}/${summary.split.dev}/${summary.split.test} · network ${p.network.text} ${config.model.activation} · ${config.optimizer.name} lr ${config.optimizer.lr}${config.regularization.l2 > 0 ? ` · L2 λ ${config.regularization.l2}${p.data.builtin || flags.l2 !== undefined ? "" : " (the CSV default)"}` : ""} · ${history.epochs.length} epoch${history.epochs.length === 1 ? "" : "s"} in ${seconds.toFixed(1)}s (${getBackend().name} kernels)`);
  if (history.stopped !== null) print(c.dim(`Stopped early at epoch ${history.stopped.epoch}: ${history.stopped.reason}${early?.result.restored === true ? ` (weights of epoch ${early.result.bestEpoch} restored)` : ""}`));
  print();
  print(metricsTable(metrics, c));
  print(metricsBaselineText(metrics, trivial, c));
  if (task.kind === "binary" && summary.decision !== undefined) print(c.dim(`Positive class ${JSON.stringify(summary.decision.positive)}; predicted when its probability is above ${num(decision.threshold, 3)}${config.objective.threshold === "auto" ? " (chosen on dev by F1)" : ""}.`));
  print();
  print(diagnosisText(diagnosis, c));
  if (task.kind === "regression") print(c.dim("  Regression errors are the mean squared error ÷ the training target's variance (1 − R² against the training variance; 100% is no better than the mean), read without intervals."));
  print();
  print(c.bold("Cost per epoch"));
  const width = Math.max(20, Math.min(100, (process.stdout.columns ?? 90) - 14));
  print(costChart(rows.map((r) => r.trainLoss), rows.map((r) => r.devLoss ?? NaN), { width, color: c.isColorSupported }));
  if (curve !== null) {
    print();
    print(c.bold("Learning curve"));
    print(learningCurveText(curve.points, curve.reading, { width, c }));
  }
  if (gradcheck !== null) {
    print();
    print(c.bold("Gradient check") + c.dim(` (${gradcheck.rows} training rows, dropout off)`));
    print(gradcheck.text(c));
  }
  if (savePath !== null) print(`\nSaved the model, its normalizer and config to ${savePath}`);
  if (reportPath !== null) print(`${savePath === null ? "\n" : ""}Wrote the report to ${reportPath}`);
  if (stoppedEarly && early === null) warn(`training stopped: ${history.stopped?.reason ?? ""}`);
  if (p.data.table !== undefined && p.data.table.dropped > 0) warn(`left out ${p.data.table.dropped} row${p.data.table.dropped > 1 ? "s" : ""} with no label`);
  if (p.data.encoding !== undefined && p.data.encoding.imputed > 0) warn(`filled ${p.data.encoding.imputed} missing cell${p.data.encoding.imputed > 1 ? "s" : ""} (${config.table?.numericImpute ?? "median"} for numbers, ${config.table?.categoricalImpute ?? "missing"} for categories; fit on the training rows)`);
  if (p.data.encoding !== undefined && p.data.encoding.unseen > 0) warn(`${p.data.encoding.unseen} dev/test cell${p.data.encoding.unseen > 1 ? "s have categories" : " has a category"} not seen in training (encoded as all zeros)`);
  const weak = barelyBeatsBaseline(metrics.dev, trivial);
  if (weak !== null) warn(weak);
  if (base.note !== undefined) warn(`base error: ${base.note}; pass --base-error if you know a better figure (human-level error, say)`);
  for (const f of findings.split) warn(`${f.level === "error" ? "split" : "note"}: ${f.message}`);
  for (const f of findings.gradients) warn(`${f.kind} gradients at ${f.layer} (epoch ${f.epoch}): ${f.message}`);
  return result;
}

/** The positive class and threshold of a binary classifier: `--positive` (default the second class), `--threshold` (auto: the F1-best on dev). */
function chooseDecision(config: TrainConfig, p: Prepared): Decision {
  const o = config.objective;
  const classes = p.data.classes;
  const task = p.task;
  if (task.kind !== "binary") {
    if (o.positive !== null) throw new UsageError(`--positive applies to a binary classifier; this one has ${task.kind === "regression" ? "a numeric target" : `${classes.length} classes`}`);
    if (o.threshold !== 0.5) throw new UsageError(`--threshold applies to a binary classifier; this one has ${task.kind === "regression" ? "a numeric target" : `${classes.length} classes`}`);
    return { positive: 1, threshold: 0.5 };
  }
  let positive = 1;
  if (o.positive !== null) {
    positive = classes.indexOf(o.positive);
    if (positive < 0) throw new UsageError(`--positive must be one of the classes ${classes.map((k) => JSON.stringify(k)).join(", ")}, got ${JSON.stringify(o.positive)}`);
  }
  if (o.threshold !== "auto") return { positive, threshold: o.threshold };
  const probs = task.probabilities(infer(p.model, p.dev.x));
  const target = Float64Array.from(p.dev.y.data, (v) => (v === positive ? 1 : 0));
  const scores = Float64Array.from({ length: target.length }, (_, i) => probs[2 * i + positive]!);
  const best = bestThreshold(target, scores, { metric: "f1" });
  // bestThreshold predicts positive at score ≥ t; the report's rule is p > threshold, so step just below t.
  return { positive, threshold: Math.max(0, best.threshold - 1e-12) };
}

/** A warning when the model is within a point of the trivial baseline on dev, or null. */
function barelyBeatsBaseline(dev: SplitMetrics, trivial: Record<string, unknown>): string | null {
  const b = trivial.dev as { accuracy?: number; r2?: number } | undefined;
  if ("accuracy" in dev && b?.accuracy !== undefined && dev.accuracy - b.accuracy < 0.01) {
    return `the model barely beats always predicting ${JSON.stringify(trivial.predicts)} (dev accuracy ${(dev.accuracy * 100).toFixed(2)}% vs ${(b.accuracy * 100).toFixed(2)}%): read precision, recall, F1 and PR-AUC, and try --class-weight balanced or --threshold auto`;
  }
  if ("r2" in dev && dev.r2 < 0.01) return `the model does no better than predicting the training mean (dev R² ${dev.r2.toFixed(3)})`;
  return null;
}

/** Predicted against actual targets of the dev and test rows, in the label's units, for the report. */
function predictedVsActual(p: Prepared): { label: string; points: [number, number, number][] } {
  const task = p.task;
  if (task.kind !== "regression") return { label: p.data.labelName, points: [] };
  const points: [number, number, number][] = [];
  for (const [role, part] of [[1, p.dev], [2, p.test]] as const) {
    const predicted = task.unscale(infer(p.model, part.x));
    for (let i = 0; i < predicted.length; i++) points.push([Number((part.y.data[i]! * task.target.std + task.target.mean).toPrecision(6)), Number(predicted[i]!.toPrecision(6)), role]);
  }
  return { label: p.data.labelName, points };
}
