// The page side of the guide's "Run in your browser" buttons and figures: one worker shared
// by every button and figure on the page, started by the first request (never during
// server-side rendering), more for a figure computed in parts, and a promise per request.
import { FIGURE_PARTS } from "../figures/parts.js";
import type { RunReply, RunRequest } from "./protocol.js";

/** A finished run, as the button shows it. */
export interface RunResult {
  /** The rendered result (JSON text), or the error's message. */
  ok: boolean;
  text: string;
  /** Time the example took in the worker, in ms. */
  ms: number;
  /** The tensor backend in the worker (expect "wasm"). */
  backend: string;
  /** A figure's data, as computed (figure requests only). */
  data?: unknown;
  /** Workers it was computed on (more than one for a figure computed in parts). */
  workers: number;
}

/**
 * The workers: the first runs every example and figure; the others are started only for a
 * figure computed in parts, one part each, up to the browser's cores.
 */
const workers: Worker[] = [];
let nextSeq = 0;
const pending = new Map<number, (reply: RunReply) => void>();

/** Answers every waiting request with `message` and drops the workers (the next run starts new ones). */
function failAll(message: string): void {
  for (const w of workers) w.terminate();
  workers.length = 0;
  const now = performance.timeOrigin + performance.now();
  for (const resolve of pending.values()) resolve({ seq: -1, ok: false, message, ms: 0, backend: "", span: { start: now, end: now } });
  pending.clear();
}

function start(): Worker {
  const w = new Worker(new URL("./worker.ts", import.meta.url), { type: "module", name: "hone-run-example" });
  w.onmessage = (event: MessageEvent<RunReply>): void => {
    const reply = event.data;
    const resolve = pending.get(reply.seq);
    if (resolve === undefined) return;
    pending.delete(reply.seq);
    resolve(reply);
  };
  w.onerror = (event: ErrorEvent): void => {
    event.preventDefault();
    failAll(`the examples' worker failed: ${event.message || "it could not be loaded"}`);
  };
  w.onmessageerror = (): void => { failAll("the examples' worker sent a message that could not be read"); };
  return w;
}

/** Sends `request` (without its seq) to worker `index`, starting the workers up to it. */
function send(index: number, request: Omit<RunRequest, "seq">): Promise<RunReply> {
  return new Promise<RunReply>((resolve) => {
    try {
      while (workers.length <= index) workers.push(start());
      const seq = nextSeq++;
      pending.set(seq, resolve);
      workers[index]!.postMessage({ ...request, seq });
    } catch (error) {
      const now = performance.timeOrigin + performance.now();
      resolve({ seq: -1, ok: false, message: `could not start the examples' worker: ${error instanceof Error ? error.message : String(error)}`, ms: 0, backend: "", span: { start: now, end: now } });
    }
  });
}

function result(reply: RunReply): RunResult {
  return reply.ok ? { ok: true, text: reply.output, data: reply.data, ms: reply.ms, backend: reply.backend, workers: 1 } : { ok: false, text: reply.message, ms: reply.ms, backend: reply.backend, workers: 1 };
}

/**
 * Runs the example registered as `id` in the shared worker (started on the first call), or
 * with `kind: "figure"` computes the figure registered as `id`.
 * Never rejects: an error is a result with `ok: false`.
 */
export async function runExample(id: string, kind: "run" | "figure" = "run"): Promise<RunResult> {
  return result(await send(0, { id, kind }));
}

/**
 * Computes the figure registered as `id`. One listed in `FIGURE_PARTS` is computed a part
 * (an independent run) per worker, on as many workers as the browser has cores (at most
 * its parts; the first is the shared one); its `ms` is the wall time from the first part's
 * start to the last one's end, its data the list of the parts. Never rejects.
 */
export async function runFigure(id: string): Promise<RunResult> {
  const parts = Object.hasOwn(FIGURE_PARTS, id) ? FIGURE_PARTS[id]! : 0;
  if (parts === 0) return runExample(id, "figure");
  const cores = typeof navigator !== "undefined" && navigator.hardwareConcurrency > 0 ? navigator.hardwareConcurrency : 1;
  const count = Math.max(1, Math.min(parts, cores));
  // Part i on worker i mod count; each worker takes its parts in order.
  const replies = await Promise.all(Array.from({ length: parts }, (_, i) => send(i % count, { id, kind: "figure", part: i })));
  const failed = replies.find((r) => !r.ok);
  const ms = Math.max(...replies.map((r) => r.span.end)) - Math.min(...replies.map((r) => r.span.start));
  if (failed !== undefined && !failed.ok) return { ok: false, text: failed.message, ms, backend: failed.backend, workers: count };
  const texts = replies.map((r) => (r.ok ? r.output : "").replace(/\n/g, "\n  "));
  return {
    ok: true, text: `[\n  ${texts.join(",\n  ")}\n]`, data: replies.map((r) => (r.ok ? r.data : null)), ms, backend: replies[0]!.backend, workers: count,
  };
}

/** A duration for display: "0.4 ms", "840 ms", "12,345 ms". */
export function formatMs(ms: number): string {
  return `${ms < 10 ? ms.toFixed(1) : Math.round(ms).toLocaleString("en-US")} ms`;
}
