// The messages between the guide pages and the worker that runs the examples: a
// RunExample button asks for an example's rendered result, a HoneFigure for a figure's
// data (computed by the examples' own functions, drawn on the page). Plain data only
// (structured clone).

/** Run the example (kind "run", a key of `calls`) or compute the figure (kind "figure", a key of `figureData`) registered as `id`; `seq` pairs the reply with it. */
export interface RunRequest {
  seq: number;
  id: string;
  /** What to do; "run" when absent. */
  kind?: "run" | "figure";
  /** For a figure computed in parts (FIGURE_PARTS): compute part `part` only. */
  part?: number;
}

/** What the worker answers: the rendered result (or the figure's data, with `output` its rendered text), or the error it threw. */
export type RunReply =
  | { seq: number; ok: true; output: string; data?: unknown; ms: number; backend: string; span: Span }
  | { seq: number; ok: false; message: string; ms: number; backend: string; span: Span };

/** When the work ran, in ms since the epoch (`performance.timeOrigin + performance.now()`): comparable across workers. */
export interface Span {
  start: number;
  end: number;
}
