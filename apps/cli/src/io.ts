// Files: inputs are opened read-only and never written; outputs are checked before any work
// starts (an existing file needs --force, an output may not be one of the inputs) and then
// written in one go.
import { createReadStream, existsSync, mkdirSync, readFileSync, realpathSync, statSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { UsageError } from "./errors.js";

/** The absolute path of an existing regular file, or a UsageError naming what is wrong. */
export function inputFile(path: string, what: string): string {
  const full = resolve(path);
  let stat;
  try {
    stat = statSync(full);
  } catch {
    throw new UsageError(`cannot read ${what} ${JSON.stringify(path)}: no such file`);
  }
  if (!stat.isFile()) throw new UsageError(`cannot read ${what} ${JSON.stringify(path)}: not a regular file`);
  return full;
}

/** A read-only byte stream of an input file (for the streaming CSV parser). */
export function readStream(path: string): AsyncIterable<Uint8Array> {
  return createReadStream(path, { flags: "r" }) as AsyncIterable<Uint8Array>;
}

/** An input file's bytes. */
export function readBytes(path: string): Uint8Array {
  return readFileSync(path);
}

function sameFile(a: string, b: string): boolean {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return resolve(a) === resolve(b);
  }
}

/**
 * Checks that `path` may be written: not one of `inputs`, and absent unless `force`.
 * Returns the absolute path. Call it before the work, so a refusal costs nothing.
 */
export function outputFile(path: string, options: { flag: string; force: boolean; inputs?: readonly string[] }): string {
  const full = resolve(path);
  for (const input of options.inputs ?? []) {
    if (sameFile(full, input)) throw new UsageError(`${options.flag} ${JSON.stringify(path)} is an input file; hone never writes over its inputs`);
  }
  if (existsSync(full)) {
    if (statSync(full).isDirectory()) throw new UsageError(`${options.flag} ${JSON.stringify(path)} is a directory, expected a file name`);
    if (!options.force) throw new UsageError(`${options.flag} ${JSON.stringify(path)} already exists; pass --force to overwrite it`);
  }
  return full;
}

/** Writes an output checked by `outputFile` (creating its folder); `force` allows replacing it. */
export function writeOutput(path: string, content: string | Uint8Array, force: boolean): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content, { flag: force ? "w" : "wx" });
}
