// Where things go: results to stdout (exactly one JSON document with --json), progress,
// warnings and notes to stderr.

/** The common flags every command has. */
export interface CommonOptions {
  json?: boolean;
  seed: number;
}

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
