// The worker behind the guide's "Run in your browser" buttons: runs one registered example
// per request, in the order asked, and answers with the rendered result, the time it took
// and the tensor backend it ran on. An example that throws is answered with its message.
import { getBackend } from "@hone/tensor";
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

scope.onmessage = (event: MessageEvent<RunRequest>): void => {
  const { seq, id } = event.data;
  const backend = backendName();
  const call = Object.hasOwn(calls, id) ? calls[id] : undefined;
  const started = performance.now();
  try {
    if (call === undefined) throw new Error(`no runnable example is registered as ${JSON.stringify(id)}`);
    const output = render(call());
    scope.postMessage({ seq, ok: true, output, ms: performance.now() - started, backend });
  } catch (error) {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    scope.postMessage({ seq, ok: false, message, ms: performance.now() - started, backend });
  }
};
