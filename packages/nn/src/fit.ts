// fit: the training loop. Mini-batches (or the full batch), any optimizer with a
// `step(params)` method, an optional penalty added to the cost, a dev set evaluated every
// epoch, metrics, callbacks, seeded shuffling, and a stop on a non-finite loss that names
// where it first appeared.
import {
  ArgumentError, HoneError, ShapeError, Tensor, add, backward, formatShape, gatherRows, noGrad, withScratch,
  type Rng,
} from "@hone/tensor";
import { AvgPool2d, Conv2d, MaxPool2d } from "./conv-layers.js";
import { evaluate } from "./inference.js";
import { Flatten, Identity, LeakyReLU, Linear, ModuleList, ReLU, Reshape, Sequential, Sigmoid, Softmax, Tanh } from "./layers.js";
import { binaryCrossEntropy, binaryCrossEntropyWithLogits, meanSquaredError, softmaxCrossEntropy, type Loss } from "./losses.js";
import type { Metric } from "./metrics.js";
import { Module } from "./module.js";

/** Features `x` (rows on axis 0) and targets `y` with as many rows. */
export interface Dataset {
  x: Tensor;
  y: Tensor;
}

/** What `fit` needs from an optimizer (any `@hone/optim` optimizer fits). */
export interface OptimizerLike {
  /** Updates the parameters in place from their `.grad`. */
  step(params: readonly Tensor[]): void;
  /** Told at the end of every epoch, with that epoch's logged numbers (schedules, plateaus). */
  onEpochEnd?(info: { epoch: number; metrics: Record<string, number> }): void;
  /** The learning rate the next step uses, when the optimizer has one. */
  readonly learningRate?: number;
}

/** A cost term added to every batch's loss: L2, L1. `m` is the batch size. */
export type Penalty = (model: Module, m: number) => Tensor;

/** One epoch's numbers; `M` names the metrics passed to `fit` (so `log.dev?.accuracy` is a number when `metrics: { accuracy }` was). */
export interface EpochLog<M extends string = string> {
  /** Epoch index, from 0. */
  epoch: number;
  /**
   * The training cost: the size-weighted mean of the batch costs (penalty included), each
   * computed before that batch's update, as the course prints it.
   */
  trainLoss: number;
  /** The penalty's share of `trainLoss` (0 without a penalty). */
  penalty: number;
  /** The data loss on the dev set in evaluation mode (absent without a dev set or between `evaluateEvery` epochs). */
  devLoss?: number;
  /**
   * Every metric on the whole training set in evaluation mode; present on the epochs that were
   * evaluated (all of them with the default `evaluateEvery: 1`), `{}` without metrics.
   */
  train?: Record<M, number>;
  /** Every metric on the dev set; present on the evaluated epochs when there is a dev set. */
  dev?: Record<M, number>;
  /** The optimizer's learning rate during this epoch, when it reports one. */
  learningRate?: number;
}

/** One batch, as callbacks see it. */
export interface BatchInfo {
  epoch: number;
  batch: number;
  /** Rows in this batch. */
  size: number;
  /** The batch cost (penalty included). */
  loss: number;
}

/** What the training loop returns. */
export interface History<M extends string = string> {
  epochs: EpochLog<M>[];
  /** Why training ended early (a callback's reason), or null when it ran every epoch. */
  stopped: { epoch: number; reason: string } | null;
}

/** What callbacks can read and do. */
export interface FitContext {
  readonly model: Module;
  readonly history: History;
  /** Ends training after the current epoch (or batch), recording `reason`. */
  stop(reason: string): void;
}

/** Hooks into the training loop; every method is optional. */
export interface Callback {
  onTrainBegin?(ctx: FitContext): void;
  onEpochBegin?(epoch: number, ctx: FitContext): void;
  /** After backward, before the optimizer step: gradients are in `.grad`. */
  onBackward?(info: BatchInfo, ctx: FitContext): void;
  /** After the optimizer step. */
  onBatchEnd?(info: BatchInfo, ctx: FitContext): void;
  onEpochEnd?(log: EpochLog, ctx: FitContext): void;
  /** Once at the end, also after an early stop (restore the best weights here). */
  onTrainEnd?(history: History, ctx: FitContext): void;
}

/**
 * An epoch log's numbers under flat names: `trainLoss`, `devLoss`, `train.<metric>` and
 * `dev.<metric>` (the names `earlyStopping`'s `monitor` and a plateau scheduler read).
 */
export function flattenEpochLog(log: EpochLog): Record<string, number> {
  const flat: Record<string, number> = { trainLoss: log.trainLoss };
  if (log.devLoss !== undefined) flat.devLoss = log.devLoss;
  for (const [k, v] of Object.entries<number>(log.train ?? {})) flat[`train.${k}`] = v;
  for (const [k, v] of Object.entries<number>(log.dev ?? {})) flat[`dev.${k}`] = v;
  return flat;
}

/** Options for `fit`. */
export interface FitOptions<M extends string = string> {
  /** The loss of model output against targets, e.g. `binaryCrossEntropyWithLogits`. */
  loss: Loss;
  /** The optimizer, e.g. `adam({ lr: 0.001 })` from `@hone/optim`. */
  optimizer: OptimizerLike;
  /** Passes over the training data. */
  epochs: number;
  /** Rows per mini-batch, or `"full"` for full-batch gradient descent. Default `"full"`. */
  batchSize?: number | "full";
  /** Reshuffle the rows every epoch. Default `true` with mini-batches, `false` full-batch. */
  shuffle?: boolean;
  /**
   * The shuffling generator: one `Rng` used across epochs, or a function giving the `Rng`
   * for each epoch (the course re-seeds with `rng(10 + epoch + 1)`). Required to shuffle.
   */
  rng?: Rng | ((epoch: number) => Rng);
  /** A cost term added to each batch's loss (L2 or L1 from `@hone/regularize`). */
  penalty?: Penalty;
  /** A dev set, evaluated in eval mode every `evaluateEvery` epochs. */
  dev?: Dataset;
  /** Named metrics recorded for train and dev when evaluated, e.g. `{ accuracy: binaryAccuracy() }`. */
  metrics?: Record<M, Metric>;
  /** Evaluate dev loss and metrics every this many epochs (and at the last). Default 1. */
  evaluateEvery?: number;
  /** Hooks: early stopping, gradient monitors, progress bars. */
  callbacks?: readonly Callback[];
  /**
   * Transforms each training batch before the forward pass (data augmentation from
   * `@hone/regularize`); never applied to the dev set or to evaluation.
   */
  augment?: (batch: Dataset, info: { epoch: number; batch: number }) => Dataset;
  /** On a NaN or infinite batch cost: `"stop"` (default: throw a TrainingError) or `"continue"`. */
  onNonFinite?: "stop" | "continue";
}

/** Training stopped on a non-finite loss; says where, and carries the history so far. */
export class TrainingError extends HoneError {
  constructor(
    message: string,
    /** The epochs completed before the failure. */
    readonly history: History,
    readonly epoch: number,
    readonly batch: number,
    /** The parameter or layer where non-finite values first appeared, if found. */
    readonly location: string | null,
  ) {
    super(message);
  }
}

function checkData(caller: string, name: string, d: Dataset): number {
  if (!(d?.x instanceof Tensor) || !(d?.y instanceof Tensor)) throw new ArgumentError(`${caller}: ${name} must be { x: Tensor, y: Tensor }`);
  if (d.x.rank < 1 || d.y.rank < 1 || d.x.shape[0] !== d.y.shape[0]) {
    throw new ShapeError(`${caller}: ${name}.x has shape ${formatShape(d.x.shape)} and ${name}.y has shape ${formatShape(d.y.shape)}; they need the same number of rows`);
  }
  if (d.x.shape[0] === 0) throw new ShapeError(`${caller}: ${name} has no rows`);
  return d.x.shape[0]!;
}

function isFiniteTensor(t: Tensor): boolean {
  const d = t.data;
  for (let i = 0; i < d.length; i++) if (!Number.isFinite(d[i]!)) return false;
  return true;
}

/** Where non-finite values first show up: a parameter, else the first layer whose output has them. */
export function locateNonFinite(model: Module, x: Tensor): string | null {
  for (const [name, p] of model.namedParameters()) if (!isFiniteTensor(p)) return `parameter ${name}`;
  if (!isFiniteTensor(x)) return "the input batch";
  return noGrad(() => {
    const modules = model.namedModules();
    // Follow a chain (Sequential-like containers) layer by layer.
    const seq = modules.find(([, m]) => "layers" in m && (m as { layers?: { items?: unknown } }).layers?.items !== undefined);
    if (seq === undefined) return null;
    const [path, container] = seq;
    let y = x;
    const items = (container as unknown as { layers: { items: readonly Module[] } }).layers.items;
    for (const [i, layer] of items.entries()) {
      y = layer.forward(y);
      if (!isFiniteTensor(y)) return `the output of ${path === "" ? "" : `${path}.`}layers.${i} (${layer.getConfig().type})`;
    }
    return null;
  });
}

/**
 * Trains `model` on `data` and returns the history. Each batch: forward, loss (+ penalty),
 * backward, callbacks' `onBackward`, `optimizer.step`, `onBatchEnd`. Each epoch: the dev
 * set and metrics are evaluated in eval mode, callbacks' `onEpochEnd` and the optimizer's
 * `onEpochEnd` run, and a callback may stop training.
 *
 * @example
 * ```ts
 * import { fit, mlp, binaryCrossEntropyWithLogits, binaryAccuracy } from "@hone/nn";
 * import { rng, tensor } from "@hone/tensor";
 * const x = tensor([[0, 0], [0, 1], [1, 0], [1, 1]]), y = tensor([0, 1, 1, 0]);
 * const model = mlp([2, 8, 1], { rng: rng(0) });
 * const sgd = { step(ps: readonly { data: Float64Array | Float32Array; grad: { data: Float64Array | Float32Array } | null }[]) {
 *   for (const p of ps) if (p.grad) for (let i = 0; i < p.data.length; i++) p.data[i]! -= 0.5 * p.grad.data[i]!;
 * } };
 * const history = fit(model, { x, y }, { loss: binaryCrossEntropyWithLogits, optimizer: sgd, epochs: 500, metrics: { accuracy: binaryAccuracy({ from: "logits" }) } });
 * history.epochs.at(-1)?.train?.accuracy; // 1 (XOR learned)
 * ```
 */
export function fit<M extends string = string>(model: Module, data: Dataset, options: FitOptions<M>): History<M> {
  const steps = trainingSteps("fit", model, data, options);
  for (;;) {
    const next = steps.next();
    if (next.done === true) return next.value;
  }
}

/** Options for `fitAsync`: `fit`'s, and a way to stop from outside. */
export interface FitAsyncOptions<M extends string = string> extends FitOptions<M> {
  /** Aborts training after the batch in progress: `fitAsync` rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Longest stretch of work, in milliseconds, before yielding to the event loop. Default 10. */
  yieldEvery?: number;
}

/** Lets the event loop run (timers, input, rendering): a macrotask, not a microtask. */
function yieldToEventLoop(): Promise<void> {
  if (typeof setImmediate === "function") return new Promise((resolve) => { setImmediate(resolve); });
  return new Promise((resolve) => {
    // A browser's MessageChannel (setTimeout would be clamped to 4 ms); typed here without the DOM library.
    const channel = new MessageChannel() as unknown as { port1: { onmessage: (() => void) | null; close(): void }; port2: { postMessage(value: unknown): void } };
    channel.port1.onmessage = () => { channel.port1.close(); resolve(); };
    channel.port2.postMessage(null);
  });
}

/**
 * `fit` that does not block: the same loop, the same numbers bit for bit, but it yields to
 * the event loop whenever `yieldEvery` milliseconds (default 10) of batches have run, so a
 * page stays responsive and a server keeps serving. Callbacks report progress as in `fit`.
 * With `signal`, an abort stops it after the batch in progress and the promise rejects with
 * the signal's reason (the model keeps the weights of the last step; its training mode is restored).
 *
 * @example
 * ```ts
 * const controller = new AbortController();
 * const history = await fitAsync(model, train, { loss, optimizer, epochs: 100, signal: controller.signal });
 * ```
 */
export async function fitAsync<M extends string = string>(model: Module, data: Dataset, options: FitAsyncOptions<M>): Promise<History<M>> {
  const { signal } = options;
  const every = options.yieldEvery ?? 10;
  if (!(typeof every === "number" && every >= 0)) throw new ArgumentError(`fitAsync: yieldEvery must be a number of milliseconds >= 0, got ${String(every)}`);
  if (signal !== undefined && !(typeof signal === "object" && signal !== null && typeof signal.aborted === "boolean")) throw new ArgumentError("fitAsync: signal must be an AbortSignal");
  signal?.throwIfAborted();
  const steps = trainingSteps("fitAsync", model, data, options);
  let since = performance.now();
  try {
    for (;;) {
      const next = steps.next();
      if (next.done === true) return next.value;
      signal?.throwIfAborted();
      if (performance.now() - since >= every) {
        await yieldToEventLoop();
        signal?.throwIfAborted();
        since = performance.now();
      }
    }
  } finally {
    // An abort leaves the generator suspended: closing it runs its cleanup (the training mode).
    steps.return(undefined as never);
  }
}

// Modules and losses that keep no tensor from a forward pass (exactly these classes, not
// subclasses, and no forward of an instance's own), so a training step may run in scratch
// buffers (withScratch: its tensors die with the step). Dropout keeps its mask; user modules,
// penalties and losses may keep anything, so with any of them a step allocates as usual.
const KEEPS_NOTHING: ReadonlySet<unknown> = new Set([
  Sequential, ModuleList, Linear, ReLU, LeakyReLU, Tanh, Sigmoid, Softmax, Identity, Reshape, Flatten, Conv2d, MaxPool2d, AvgPool2d,
]);
const LOSSES_KEEPING_NOTHING: ReadonlySet<unknown> = new Set([binaryCrossEntropyWithLogits, binaryCrossEntropy, softmaxCrossEntropy, meanSquaredError]);

/** Whether a step's forward pass, loss and backward pass can run in scratch buffers. */
function stepsInScratch(model: Module, loss: Loss, options: FitOptions<string>): boolean {
  if (options.penalty !== undefined || !LOSSES_KEEPING_NOTHING.has(loss)) return false;
  return model.namedModules().every(([, m]) => KEEPS_NOTHING.has(m.constructor) && !Object.hasOwn(m, "forward"));
}

/** The training loop, one batch per step: `fit` runs it straight through, `fitAsync` with pauses. */
function* trainingSteps<M extends string>(caller: string, model: Module, data: Dataset, options: FitOptions<M>): Generator<void, History<M>, undefined> {
  if (!(model instanceof Module)) throw new ArgumentError(`${caller}: model must be a Module`);
  const m = checkData(caller, "data", data);
  if (options.dev !== undefined) checkData(caller, "dev", options.dev);
  const { loss, optimizer, epochs } = options;
  if (typeof loss !== "function") throw new ArgumentError(`${caller}: loss must be a function (output, target) => Tensor, got ${typeof loss}`);
  if (typeof optimizer?.step !== "function") throw new ArgumentError(`${caller}: optimizer must have a step(params) method`);
  if (!Number.isInteger(epochs) || epochs < 0) throw new ArgumentError(`${caller}: epochs must be a non-negative integer, got ${epochs}`);
  const bs = options.batchSize ?? "full";
  if (bs !== "full" && (!Number.isInteger(bs) || bs < 1)) throw new ArgumentError(`${caller}: batchSize must be a positive integer or "full", got ${String(bs)}`);
  const batchSize = bs === "full" ? m : Math.min(bs, m);
  const shuffle = options.shuffle ?? batchSize < m;
  if (shuffle && options.rng === undefined) throw new ArgumentError(`${caller}: shuffling needs rng (an Rng, or a function epoch → Rng); pass shuffle: false for a fixed order`);
  const every = options.evaluateEvery ?? 1;
  if (!Number.isInteger(every) || every < 1) throw new ArgumentError(`${caller}: evaluateEvery must be a positive integer, got ${every}`);
  const onNonFinite = options.onNonFinite ?? "stop";
  if (onNonFinite !== "stop" && onNonFinite !== "continue") throw new ArgumentError(`${caller}: onNonFinite must be "stop" or "continue", got ${JSON.stringify(onNonFinite)}`);
  const metrics: Record<string, Metric> = options.metrics ?? {};
  const callbacks = options.callbacks ?? [];
  const params = model.parameters();
  const inScratch = stepsInScratch(model, loss, options as FitOptions<string>);

  const history: History<M> = { epochs: [], stopped: null };
  let stopReason: string | null = null;
  const ctx: FitContext = { model, history, stop: (reason) => { stopReason ??= reason; } };
  const wasTraining = model.training;
  model.train();
  try {
    for (const cb of callbacks) cb.onTrainBegin?.(ctx);

    for (let epoch = 0; epoch < epochs && stopReason === null; epoch++) {
      for (const cb of callbacks) cb.onEpochBegin?.(epoch, ctx);
      const learningRate = optimizer.learningRate;
      let order: Int32Array | null = null;
      if (shuffle) {
        const r = typeof options.rng === "function" ? options.rng(epoch) : options.rng!;
        order = r.permutation(m);
      }
      let total = 0, penaltyTotal = 0;
      for (let start = 0, batch = 0; start < m && stopReason === null; start += batchSize, batch++) {
        const end = Math.min(start + batchSize, m);
        const size = end - start;
        let xb = data.x, yb = data.y;
        if (order !== null) {
          const idx = order.subarray(start, end);
          xb = gatherRows(data.x, idx);
          yb = gatherRows(data.y, idx);
        } else if (size !== m) {
          const idx = Int32Array.from({ length: size }, (_, i) => start + i);
          xb = gatherRows(data.x, idx);
          yb = gatherRows(data.y, idx);
        }
        if (options.augment !== undefined) ({ x: xb, y: yb } = options.augment({ x: xb, y: yb }, { epoch, batch }));
        model.zeroGrad();
        // Forward, loss, backward: only numbers and the parameters' gradients (copies) leave it.
        const forwardBackward = (): [number, number] => {
          const dataLoss = loss(model.forward(xb), yb);
          let cost = dataLoss;
          let penaltyValue = 0;
          if (options.penalty !== undefined) {
            const p = options.penalty(model, size);
            penaltyValue = p.item();
            cost = add(dataLoss, p);
          }
          const value = cost.item();
          if (!Number.isFinite(value) && onNonFinite === "stop") {
            const location = locateNonFinite(model, xb);
            throw new TrainingError(
              `${caller}: the loss is ${value} at epoch ${epoch}, batch ${batch}; ${location === null ? "the model's outputs are finite, so it arises in the loss (saturated probabilities? use a …WithLogits loss)" : `non-finite values first appear in ${location}`}. Lower the learning rate, check the data, or pass onNonFinite: "continue".`,
              history, epoch, batch, location,
            );
          }
          if (cost.requiresGrad) backward(cost);
          return [value, penaltyValue];
        };
        const [value, penaltyValue] = inScratch ? withScratch(forwardBackward) : forwardBackward();
        total += value * size;
        penaltyTotal += penaltyValue * size;
        const info: BatchInfo = { epoch, batch, size, loss: value };
        for (const cb of callbacks) cb.onBackward?.(info, ctx);
        optimizer.step(params);
        for (const cb of callbacks) cb.onBatchEnd?.(info, ctx);
        yield;
      }
      const log: EpochLog<M> = { epoch, trainLoss: total / m, penalty: penaltyTotal / m };
      if (learningRate !== undefined) log.learningRate = learningRate;
      if (epoch % every === 0 || epoch === epochs - 1 || stopReason !== null) {
        // evaluate() fills one entry per metric passed, so the record has every name in M.
        log.train = (Object.keys(metrics).length > 0 ? evaluate(model, data, { metrics }).metrics : {}) as Record<M, number>;
        if (options.dev !== undefined) {
          const r = evaluate(model, options.dev, { loss, metrics });
          log.devLoss = r.loss;
          log.dev = r.metrics as Record<M, number>;
        }
      }
      history.epochs.push(log);
      optimizer.onEpochEnd?.({ epoch, metrics: flattenEpochLog(log) });
      for (const cb of callbacks) cb.onEpochEnd?.(log, ctx);
      if (stopReason !== null) history.stopped = { epoch, reason: stopReason };
    }
    for (const cb of callbacks) cb.onTrainEnd?.(history, ctx);
    return history;
  } finally {
    model.train(wasTraining);
  }
}
