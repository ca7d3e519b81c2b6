// The messages between the guide pages' RunExample buttons and the worker that runs the
// examples. Plain data only (structured clone).

/** Run the example registered as `id` (a key of `calls`); `seq` pairs the reply with it. */
export interface RunRequest {
  seq: number;
  id: string;
}

/** What the worker answers: the rendered result, or the error the example threw. */
export type RunReply =
  | { seq: number; ok: true; output: string; ms: number; backend: string }
  | { seq: number; ok: false; message: string; ms: number; backend: string };
