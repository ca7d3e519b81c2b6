// Where things go: results to stdout (exactly one JSON document with --json), progress,
// warnings and notes to stderr.
import { SingleBar } from "cli-progress";

/** Writes one JSON document to stdout (the only thing `--json` puts there). */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, (_k, v: unknown) => (typeof v === "number" && !Number.isFinite(v) ? null : v), 2)}\n`);
}

/** Writes text to stdout (human output). */
export function print(text = ""): void {
  process.stdout.write(`${text}\n`);
}

/** Writes a warning or note to stderr, prefixed `hone: `. */
export function warn(text: string): void {
  process.stderr.write(`hone: ${text}\n`);
}

/** The exit codes of a run stopped by a signal: 128 + the signal's number, as a shell reports it. */
const SIGNAL_EXIT = { SIGINT: 130, SIGTERM: 143 } as const;

/**
 * While the returned release function has not been called, Ctrl-C (SIGINT) or SIGTERM runs
 * `cleanup` (take a progress bar down), shows the terminal's cursor again and exits 130 (143).
 * Only for work that yields to the event loop (a synchronous loop would hold the signal back);
 * outside it, Node's default ends the process at once, which the shell reports the same way.
 */
export function onInterrupt(cleanup: () => void): () => void {
  const handlers = (Object.keys(SIGNAL_EXIT) as (keyof typeof SIGNAL_EXIT)[]).map((signal) => {
    const handler = (): void => {
      try {
        cleanup();
      } finally {
        if (process.stderr.isTTY) process.stderr.write("\x1b[?25h\n");
        process.stderr.write(`hone: interrupted (${signal})\n`);
        process.exit(SIGNAL_EXIT[signal]);
      }
    };
    process.on(signal, handler);
    return [signal, handler] as const;
  });
  return () => { for (const [signal, handler] of handlers) process.off(signal, handler); };
}

/**
 * A progress bar on stderr in the house look (`format` in cli-progress's `{bar}` `{value}`
 * placeholders). `hideCursor` only for work that yields to the event loop under
 * `onInterrupt`, which shows the cursor again; a synchronous loop ended by Ctrl-C could not.
 */
export function progressBar(format: string, options: { hideCursor: boolean }): SingleBar {
  return new SingleBar({
    format, barsize: 24, barCompleteChar: "█", barIncompleteChar: "░", hideCursor: options.hideCursor,
    clearOnComplete: true, stream: process.stderr, fps: 12,
  });
}
