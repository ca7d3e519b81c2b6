// The worker behind the guide's "Run in your browser" buttons and figures: runs one
// registered example (or computes one figure's data) per request, in the order asked, and
// answers with the rendered result (a figure also gets its data), the time it took and the
// tensor backend it ran on. An example that throws is answered with its message; one that
// returns a promise is awaited.
import { getBackend } from "@hone/tensor";
import { figureData, figurePart } from "../figures/data.js";
import { calls } from "./calls.js";
import type { RunReply, RunRequest } from "./protocol.js";
import { render } from "./render.js";

/** The part of a dedicated worker's global scope used here (the DOM lib types `self` as a window). */
interface WorkerScope {
  onmessage: ((event: MessageEvent<RunRequest>) => void) | null;
  postMessage(message: RunReply): void;
}

const scope = globalThis as unknown as WorkerScope;

/** The backend's name, or why there is none. */
function backendName(): string {
  try {
    return getBackend().name;
  } catch (error) {
    return `unavailable (${error instanceof Error ? error.message : String(error)})`;
  }
}

/** Requests wait here so that each runs alone (an async example must not interleave with the next). */
let queue: Promise<void> = Promise.resolve();

async function answer({ seq, id, kind = "run", part }: RunRequest): Promise<void> {
  const backend = backendName();
  const parts = figurePart as Record<string, (i: number) => unknown>;
  const table: Record<string, () => unknown> = kind === "figure" ? figureData : calls;
  const call = part !== undefined ? (Object.hasOwn(parts, id) ? () => parts[id]!(part) : undefined) : Object.hasOwn(table, id) ? table[id] : undefined;
  const started = performance.now();
  const span = (): { start: number; end: number } => ({ start: performance.timeOrigin + started, end: performance.timeOrigin + performance.now() });
  try {
    if (call === undefined) throw new Error(`no ${kind === "figure" ? `figure${part === undefined ? "" : " in parts"}` : "runnable example"} is registered as ${JSON.stringify(id)}`);
    const value = await call();
    const output = render(value);
    const ms = performance.now() - started;
    scope.postMessage(kind === "figure" ? { seq, ok: true, output, data: value, ms, backend, span: span() } : { seq, ok: true, output, ms, backend, span: span() });
  } catch (error) {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    scope.postMessage({ seq, ok: false, message, ms: performance.now() - started, backend, span: span() });
  }
}

scope.onmessage = (event: MessageEvent<RunRequest>): void => {
  const request = event.data;
  queue = queue.then(() => answer(request));
};
