// The playground's training worker: owns one Trainer and trains it in short slices (at most
// 40 ms each), so that `pause`, `step` and new configurations are read between slices. The
// pace is capped at a number of epochs per second (a small net on 2-D data trains a
// thousand epochs a second, too fast to watch). After each slice it posts the epochs'
// numbers and the latest epoch's bias/variance diagnosis, with the decision boundary at most
// every 50 ms and always when training stops.
import { TrainingError } from "@hone/nn";
import type { PlaygroundConfig } from "./config.js";
import type { BoundaryGrid, EpochPoint, NetworkWeights, Reply, Request, RunState } from "./protocol.js";
import { Trainer } from "./trainer.js";

/** The part of a dedicated worker's global scope used here (the DOM lib types `self` as a window). */
interface WorkerScope {
  onmessage: ((event: MessageEvent<Request>) => void) | null;
  postMessage(message: Reply, transfer?: Transferable[]): void;
}

const scope = globalThis as unknown as WorkerScope;

/** Longest stretch of training between two looks at the message queue, in ms. */
const SLICE_MS = 40;
/** Shortest interval between two boundaries sent while running, in ms. */
const BOUNDARY_MS = 50;

let run = -1;
let trainer: Trainer | null = null;
let state: RunState = "paused";
let timer: ReturnType<typeof setTimeout> | null = null;
let trainingSeconds = 0;
/** Epochs per second; 0 = unpaced. */
let pace = 60;
/** Epochs the pace allows now (a token bucket), and when it was last filled. */
let allowance = 0;
let filled = 0;
let lastBoundary = -Infinity;

function post(reply: Reply): void {
  const grid = reply.type === "ready" || reply.type === "progress" ? reply.boundary : null;
  scope.postMessage(reply, grid === null ? [] : [grid.probs.buffer]);
}

function fail(error: unknown): void {
  stopTimer();
  state = "error";
  const message = error instanceof TrainingError ? error.message.replace(/\.? Lower the learning rate.*$/, ". Lower the learning rate or pick another initialization, then reset.")
    : error instanceof Error ? error.message : String(error);
  post({ type: "error", run, message });
}

/** Trains up to `count` epochs, stopping early when the slice's time is up or at the epoch limit. */
function train(count: number): EpochPoint[] {
  const t = trainer!;
  const epochs: EpochPoint[] = [];
  const started = performance.now();
  while (epochs.length < count && t.epoch < t.config.maxEpochs) {
    epochs.push(t.step());
    if (performance.now() - started >= SLICE_MS) break;
  }
  trainingSeconds += (performance.now() - started) / 1000;
  if (t.epoch >= t.config.maxEpochs) state = "done";
  return epochs;
}

function progress(epochs: EpochPoint[], forceBoundary: boolean): void {
  const now = performance.now();
  let boundary: BoundaryGrid | null = null, network: NetworkWeights | null = null;
  if (forceBoundary || state !== "running" || now - lastBoundary >= BOUNDARY_MS) {
    boundary = trainer!.boundary();
    network = trainer!.network();
    lastBoundary = now;
  }
  post({ type: "progress", run, epochs, boundary, network, state, seconds: trainingSeconds, diagnosis: trainer!.diagnosis() });
}

function slice(): void {
  timer = null;
  if (state !== "running" || trainer === null) return;
  let count = Infinity;
  if (pace > 0) {
    const now = performance.now();
    // Refill, keeping at most a tenth of a second's worth (no burst after a stall).
    allowance = Math.min(allowance + ((now - filled) * pace) / 1000, Math.max(1, pace / 10));
    filled = now;
    count = Math.floor(allowance);
    if (count < 1) {
      timer = setTimeout(slice, ((1 - allowance) * 1000) / pace);
      return;
    }
  }
  try {
    const epochs = train(count);
    if (pace > 0) allowance -= epochs.length;
    progress(epochs, false);
  } catch (error) {
    fail(error);
    return;
  }
  if (state !== "running") return;
  timer = setTimeout(slice, pace > 0 && allowance < 1 ? ((1 - allowance) * 1000) / pace : 0);
}

function stopTimer(): void {
  if (timer !== null) clearTimeout(timer);
  timer = null;
}

function configure(id: number, config: PlaygroundConfig): void {
  stopTimer();
  run = id;
  state = "paused";
  trainingSeconds = 0;
  trainer = null;
  try {
    const t = new Trainer(config);
    trainer = t;
    post({
      type: "ready", run, backend: t.backend, classes: t.head.classes, classNames: t.classNames, axes: t.axes, extent: t.extent, points: t.points,
      boundary: t.boundary(), network: t.network(), initial: t.last, baseError: t.baseError, diagnosis: t.diagnosis(),
      train: t.sizes.train, dev: t.sizes.dev, parameters: t.parameterCount,
    });
  } catch (error) {
    fail(error);
  }
}

scope.onmessage = (event: MessageEvent<Request>): void => {
  const msg = event.data;
  if (msg.type === "configure") {
    configure(msg.run, msg.config);
    return;
  }
  if (msg.type === "speed") {
    pace = Number.isFinite(msg.epochsPerSecond) && msg.epochsPerSecond > 0 ? msg.epochsPerSecond : 0;
    return;
  }
  if (msg.run !== run || trainer === null || state === "error") return;
  switch (msg.type) {
    case "start":
      if (state === "paused") {
        state = "running";
        allowance = 1;
        filled = performance.now();
        post({ type: "state", run, state });
        timer ??= setTimeout(slice, 0);
      }
      break;
    case "pause":
      if (state === "running") {
        stopTimer();
        state = "paused";
        // The last boundary sent may be a few epochs old: send the current one.
        progress([], true);
      }
      break;
    case "step":
      stopTimer();
      if (state === "done") break;
      state = "paused";
      try {
        progress(train(1), true);
      } catch (error) {
        fail(error);
      }
      break;
  }
};
