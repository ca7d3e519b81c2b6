// The page side of the guide's "Run in your browser" buttons: one worker shared by every
// button on the page, started by the first click (never during server-side rendering), and
// a promise per request.
import type { RunReply } from "./protocol.js";

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
}

let worker: Worker | null = null;
let nextSeq = 0;
const pending = new Map<number, (result: RunResult) => void>();

/** Answers every waiting request with `message` and drops the worker (the next run starts a new one). */
function failAll(message: string): void {
  worker?.terminate();
  worker = null;
  for (const resolve of pending.values()) resolve({ ok: false, text: message, ms: 0, backend: "" });
  pending.clear();
}

function start(): Worker {
  const w = new Worker(new URL("./worker.ts", import.meta.url), { type: "module", name: "hone-run-example" });
  w.onmessage = (event: MessageEvent<RunReply>): void => {
    const reply = event.data;
    const resolve = pending.get(reply.seq);
    if (resolve === undefined) return;
    pending.delete(reply.seq);
    resolve(reply.ok ? { ok: true, text: reply.output, data: reply.data, ms: reply.ms, backend: reply.backend } : { ok: false, text: reply.message, ms: reply.ms, backend: reply.backend });
  };
  w.onerror = (event: ErrorEvent): void => {
    event.preventDefault();
    failAll(`the examples' worker failed: ${event.message || "it could not be loaded"}`);
  };
  w.onmessageerror = (): void => { failAll("the examples' worker sent a message that could not be read"); };
  return w;
}

/**
 * Runs the example registered as `id` in the shared worker (started on the first call), or
 * with `kind: "figure"` computes the figure registered as `id`.
 * Never rejects: an error is a result with `ok: false`.
 */
export function runExample(id: string, kind: "run" | "figure" = "run"): Promise<RunResult> {
  return new Promise<RunResult>((resolve) => {
    try {
      worker ??= start();
      const seq = nextSeq++;
      pending.set(seq, resolve);
      worker.postMessage({ seq, id, kind });
    } catch (error) {
      resolve({ ok: false, text: `could not start the examples' worker: ${error instanceof Error ? error.message : String(error)}`, ms: 0, backend: "" });
    }
  });
}

/** A duration for display: "0.4 ms", "840 ms", "12,345 ms". */
export function formatMs(ms: number): string {
  return `${ms < 10 ? ms.toFixed(1) : Math.round(ms).toLocaleString("en-US")} ms`;
}
