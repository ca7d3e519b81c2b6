// The page side of the playground: starts the training worker, sends it the controls'
// configuration and the start/pause/step commands, and turns its replies into the view's
// numbers, the diagnosis, the boundary canvas and the cost chart. The Vue component only
// binds the view.
import { LABELS, checkConfig, defaultConfig, formatHidden, parseHidden, type CsvData, type PlaygroundConfig } from "./config.js";
import { costChart, drawBoundary } from "./draw.js";
import type { BaseErrorShown, BoundaryGrid, Diagnosis, Extent, NetworkWeights, PlotPoints, Reply, Request, RunState } from "./protocol.js";

/** The chart's drawing box, in SVG user units. */
export const CHART = { width: 320, height: 130 } as const;

/** Everything the page shows; the component makes it reactive. */
export interface PlaygroundView {
  /** `loading` until the worker answers the first configuration. */
  status: "loading" | RunState;
  epoch: number;
  trainCost: number | null;
  devCost: number | null;
  trainAccuracy: number | null;
  devAccuracy: number | null;
  /** What each class is called, and the features' names (horizontal, vertical). */
  classNames: string[];
  axes: [string, string];
  /** The base error the diagnosis uses (the data set's Bayes error, or a CSV's estimate), once the worker answered. */
  baseError: BaseErrorShown | null;
  /** `diagnose` on the latest epoch's error counts, with 95% intervals. */
  diagnosis: Diagnosis | null;
  /** The tensor backend running in the worker. */
  backend: string;
  /** The layer sizes and the drawn units' weights, updated with the boundary. */
  network: NetworkWeights | null;
  /** Incremented every time the boundary canvas is redrawn. */
  boundaryVersion: number;
  /** A configuration or training error, shown instead of failing silently. */
  message: string | null;
  /** Rows in train and dev, and the model's parameter count. */
  train: number;
  dev: number;
  parameters: number;
  classes: number;
  /** Training time so far, in seconds. */
  seconds: number;
  chart: { train: string; dev: string; yMax: number; xMax: number };
}

/**
 * The controls' values: a configuration with the hidden sizes as the text field holds them,
 * without a CSV's rows (those are passed to `configure` beside it, and kept out of the
 * reactive form).
 */
export type PlaygroundForm = Omit<PlaygroundConfig, "hidden" | "csv"> & { layers: string };

/** The controls' starting values (the default configuration). */
export function defaultForm(): PlaygroundForm {
  const { hidden, csv: _csv, ...rest } = defaultConfig();
  return { ...rest, layers: formatHidden(hidden) };
}

/** The view before the worker has answered. */
export function initialView(): PlaygroundView {
  return {
    status: "loading", epoch: 0, trainCost: null, devCost: null, trainAccuracy: null, devAccuracy: null,
    classNames: ["0", "1"], axes: ["x₁", "x₂"], baseError: null, diagnosis: null, network: null, backend: "…", boundaryVersion: 0, message: null, train: 0, dev: 0, parameters: 0, classes: 2, seconds: 0,
    chart: { train: "", dev: "", yMax: 1, xMax: 1 },
  };
}

/**
 * Runs the playground against `view` and `canvas`. Create it in `onMounted` (it starts a
 * Web Worker, which does not exist during server-side rendering) and `dispose()` it on unmount.
 */
export class PlaygroundController {
  readonly #view: PlaygroundView;
  readonly #canvas: HTMLCanvasElement;
  readonly #worker: Worker;
  #run = 0;
  #trainCosts: number[] = [];
  #devCosts: number[] = [];
  #plot: { extent: Extent; points: PlotPoints; classes: number } | null = null;
  #boundary: BoundaryGrid | null = null;
  #frame: number | null = null;

  constructor(view: PlaygroundView, canvas: HTMLCanvasElement) {
    this.#view = view;
    this.#canvas = canvas;
    this.#worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module", name: "hone-playground" });
    this.#worker.onmessage = (event: MessageEvent<Reply>): void => { this.#receive(event.data); };
    this.#worker.onerror = (event: ErrorEvent): void => {
      this.#view.status = "error";
      this.#view.message = `the training worker failed: ${event.message}`;
    };
  }

  /**
   * Starts a new run of the controls' configuration (paused at epoch 0), on `csv`'s rows when
   * the form's data set is `"csv"`; a bad value (an unreadable layers field) shows its
   * message and leaves the current run as it is.
   */
  configure(form: PlaygroundForm, csv: CsvData | null = null): void {
    let checked: PlaygroundConfig;
    try {
      const { layers, ...rest } = form;
      checked = checkConfig({ ...rest, csv: form.dataset === "csv" ? csv : null, hidden: parseHidden(layers) });
    } catch (error) {
      this.#view.message = error instanceof Error ? error.message : String(error);
      return;
    }
    this.#run++;
    this.#trainCosts = [];
    this.#devCosts = [];
    Object.assign(this.#view, { status: "loading", epoch: 0, message: null, seconds: 0 });
    this.#send({ type: "configure", run: this.#run, config: checked });
  }

  /** Starts training, or pauses it when it runs. */
  toggle(): void {
    if (this.#view.status === "running") this.pause();
    else this.start();
  }

  start(): void {
    if (this.#view.status === "paused") this.#send({ type: "start", run: this.#run });
  }

  pause(): void {
    if (this.#view.status === "running") this.#send({ type: "pause", run: this.#run });
  }

  /** Trains one epoch (pausing first). */
  step(): void {
    if (this.#view.status === "paused" || this.#view.status === "running") this.#send({ type: "step", run: this.#run });
  }

  /** Paces training at `epochsPerSecond` (0: as fast as the worker goes); the run goes on. */
  setSpeed(epochsPerSecond: number): void {
    this.#send({ type: "speed", epochsPerSecond });
  }

  /** Redraws the canvas (after a resize). */
  redraw(): void {
    this.#scheduleDraw();
  }

  dispose(): void {
    if (this.#frame !== null) cancelAnimationFrame(this.#frame);
    this.#worker.terminate();
  }

  #send(request: Request): void {
    this.#worker.postMessage(request);
  }

  #receive(reply: Reply): void {
    if (reply.run !== this.#run) return;
    const v = this.#view;
    switch (reply.type) {
      case "ready": {
        this.#plot = { extent: reply.extent, points: reply.points, classes: reply.classes };
        Object.assign(v, {
          status: "paused", backend: reply.backend, train: reply.train, dev: reply.dev,
          parameters: reply.parameters, classes: reply.classes, classNames: reply.classNames, axes: reply.axes, message: null,
          baseError: reply.baseError, diagnosis: reply.diagnosis, network: reply.network,
        });
        this.#record([reply.initial]);
        this.#boundary = reply.boundary;
        this.#scheduleDraw();
        break;
      }
      case "progress":
        v.status = reply.state;
        v.seconds = reply.seconds;
        v.diagnosis = reply.diagnosis;
        this.#record(reply.epochs);
        if (reply.network !== null) v.network = reply.network;
        if (reply.boundary !== null) {
          this.#boundary = reply.boundary;
          this.#scheduleDraw();
        }
        break;
      case "state":
        v.status = reply.state;
        break;
      case "error":
        v.status = "error";
        v.message = reply.message;
        break;
    }
  }

  #record(epochs: readonly { epoch: number; trainCost: number; devCost: number; trainAccuracy: number; devAccuracy: number }[]): void {
    const last = epochs.at(-1);
    if (last === undefined) return;
    for (const e of epochs) {
      this.#trainCosts.push(e.trainCost);
      this.#devCosts.push(e.devCost);
    }
    Object.assign(this.#view, {
      epoch: last.epoch, trainCost: last.trainCost, devCost: last.devCost,
      trainAccuracy: last.trainAccuracy, devAccuracy: last.devAccuracy,
      chart: costChart(this.#trainCosts, this.#devCosts, CHART.width, CHART.height),
    });
  }

  /** Draws at the next animation frame, once however many boundaries arrived meanwhile. */
  #scheduleDraw(): void {
    if (this.#frame !== null) return;
    this.#frame = requestAnimationFrame(() => {
      this.#frame = null;
      this.#draw();
    });
  }

  #draw(): void {
    if (this.#plot === null || this.#boundary === null) return;
    const canvas = this.#canvas;
    const size = Math.round(canvas.clientWidth * (window.devicePixelRatio || 1));
    if (size > 0 && canvas.width !== size) {
      canvas.width = size;
      canvas.height = size;
    }
    drawBoundary(canvas, this.#boundary, this.#plot.classes, this.#plot.extent, this.#plot.points);
    this.#view.boundaryVersion++;
  }
}

/** A cost for display: 4 significant digits, or "—". */
export function formatCost(v: number | null): string {
  return v === null || !Number.isFinite(v) ? "—" : v.toPrecision(4);
}

/** An accuracy for display, in percent with one decimal, or "—". */
export function formatPercent(v: number | null): string {
  return v === null || !Number.isFinite(v) ? "—" : `${(100 * v).toFixed(1)}%`;
}

/**
 * An error rate for display, in percent with `digits` decimals ("2.90%"); "< 0.01%" for a
 * positive rate that would show as 0 (the spirals' Bayes error is about 6e-9); "—" when unknown.
 */
export function formatRate(v: number | null | undefined, digits = 1): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return "—";
  const shown = (100 * v).toFixed(digits);
  if (Number(shown) !== 0) return `${shown}%`;
  return v > 0 ? `< ${(10 ** -digits).toFixed(digits)}%` : `${(0).toFixed(digits)}%`; // no "-0.0%"
}

/** An estimate with its interval, in percent: "4.2% [1.8, 9.4]"; without a width, the value alone. */
export function formatInterval(e: { value: number; low: number; high: number } | null | undefined): string {
  if (e === null || e === undefined) return "—";
  if (e.low === e.high) return formatRate(e.value);
  const bare = (v: number): string => formatRate(v).slice(0, -1);
  return `${formatRate(e.value)} [${bare(e.low)}, ${bare(e.high)}]`;
}

/** A number as the `data-*` attributes carry it (full precision; empty when unknown). */
export function attr(v: number | null): string {
  return v === null || !Number.isFinite(v) ? "" : String(v);
}

/** A choice's label: its entry in `LABELS`, "full batch" for batch size 0, else the value itself. */
export function choiceLabel(v: string | number, field?: string): string {
  if (field === "batchSize" && v === 0) return "full batch";
  if (field === "speed") return v === 0 ? "as fast as it goes" : `${v} epochs/s`;
  return LABELS[String(v)] ?? String(v);
}
