// How the CLI fails: user errors print one line, `hone: <reason>`, and exit non-zero;
// nothing else (no stack trace) reaches the terminal for them.
import { CommanderError } from "commander";
import { HoneError } from "@hone/tensor";

/** A bad flag value, a missing or existing file, an unusable input: the user's to fix. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** A run that started and failed (training diverged): not the input's fault, exit code 1. */
export class RunFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RunFailure";
  }
}

/** Exit codes: 0 success, 1 a failed check or run (gradcheck found a bug, training diverged), 2 bad input. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** Node's file-system errors, by their `code`. */
function fileErrorMessage(error: NodeJS.ErrnoException): string | null {
  const path = error.path === undefined ? "" : ` ${JSON.stringify(error.path)}`;
  switch (error.code) {
    case "ENOENT": return `no such file or directory${path}`;
    case "EACCES": case "EPERM": return `permission denied${path}`;
    case "EISDIR": return `${path.trim()} is a directory, expected a file`;
    case "ENOTDIR": return `a component of${path} is not a directory`;
    case "EEXIST": return `${path.trim()} already exists; pass --force to overwrite it`;
    default: return null;
  }
}

/** The one-line message and exit code for an error, or null when it is a bug (print the stack). */
export function describeFailure(error: unknown): { message: string; code: number } | null {
  if (error instanceof UsageError) return { message: error.message, code: EXIT.usage };
  if (error instanceof RunFailure) return { message: error.message, code: EXIT.failed };
  if (error instanceof CommanderError) {
    // Commander's messages start with "error: " and may carry a suggestion on a second line.
    const message = error.message.replace(/^error: /, "").replace(/\s*\n\s*/g, " ").trim();
    return { message, code: EXIT.usage };
  }
  if (error instanceof HoneError) {
    // Library errors name the function (`parseCsv: line 3, column "x2": …`); a training
    // failure is not the user's input, so it exits 1.
    const message = error.message.replace(/\s*\n\s*/g, " ");
    return { message, code: error.name === "TrainingError" ? EXIT.failed : EXIT.usage };
  }
  if (error instanceof Error && typeof (error as NodeJS.ErrnoException).code === "string") {
    const message = fileErrorMessage(error as NodeJS.ErrnoException);
    if (message !== null) return { message, code: EXIT.usage };
  }
  return null;
}
