// Files: inputs are opened read-only and never written; outputs are checked before any work
// starts (the path is usable, an existing file needs --force, an output is never one of the
// inputs — by device and inode, so hard links and symlinks count) and then written whole:
// to a temporary file in the same folder, flushed, and renamed into place
// (write-file-atomic), so an interrupted write leaves the old file or the complete new one.
import { accessSync, constants, createReadStream, mkdirSync, readFileSync, statSync, type Stats } from "node:fs";
import { dirname, resolve } from "node:path";
import writeFileAtomic from "write-file-atomic";
import { UsageError } from "./errors.js";

/** The absolute path of an existing regular file, or a UsageError naming what is wrong. */
export function inputFile(path: string, what: string): string {
  const full = resolve(path);
  let stat;
  try {
    stat = statSync(full);
  } catch (error) {
    throw new UsageError(`cannot read ${what} ${JSON.stringify(path)}: ${reason(error, "no such file")}`);
  }
  if (!stat.isFile()) throw new UsageError(`cannot read ${what} ${JSON.stringify(path)}: ${stat.isDirectory() ? "it is a folder" : "not a regular file"}`);
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

/** A file-system error's reason in words (`ENOTDIR` → "… is not a folder"), or `fallback`. */
function reason(error: unknown, fallback: string): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case "ENOENT": return "no such file or folder";
    case "EACCES": case "EPERM": return "permission denied (EACCES)";
    case "ENOTDIR": return "a part of the path is a file, not a folder (ENOTDIR)";
    case "ELOOP": return "too many symbolic links (ELOOP)";
    case "ENAMETOOLONG": return "the name is too long (ENAMETOOLONG)";
    case "EROFS": return "the file system is read-only (EROFS)";
    default: return code === undefined ? fallback : `${fallback} (${code})`;
  }
}

function statOrNull(path: string): Stats | null {
  try {
    return statSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}

/** Whether two paths are the same file: the same device and inode (hard links, symlinks). */
function sameFile(a: Stats, b: Stats): boolean {
  return a.dev === b.dev && a.ino === b.ino;
}

/**
 * Checks that `path` may be written, before any work: not one of `inputs` (compared by device
 * and inode), not a folder, not under a file, in a folder that exists or can be created and
 * is writable, and absent unless `force`. Returns the absolute path.
 */
export function outputFile(path: string, options: { flag: string; force: boolean; inputs?: readonly string[] }): string {
  const { flag } = options;
  const full = resolve(path);
  const fail = (why: string): never => { throw new UsageError(`${flag} ${JSON.stringify(path)} ${why}`); };
  let stat: Stats | null;
  try {
    stat = statOrNull(full);
  } catch (error) {
    return fail(`cannot be written: ${reason(error, "cannot check the path")}`);
  }
  if (stat !== null) {
    for (const input of options.inputs ?? []) {
      const other = statOrNull(resolve(input));
      if (other !== null && sameFile(stat, other)) fail(`is an input file${resolve(input) === full ? "" : ` (the same file as ${JSON.stringify(input)})`}; hone never writes over its inputs`);
    }
    if (stat.isDirectory()) fail("is a folder, expected a file name");
    if (!stat.isFile()) fail("is not a regular file, expected a file name");
    if (!options.force) fail("already exists; pass --force to overwrite it");
  }
  // The nearest folder that exists must be a writable folder (the rest is created on write).
  let folder = dirname(full);
  for (;;) {
    let s: Stats | null;
    try {
      s = statOrNull(folder);
    } catch (error) {
      return fail(`cannot be written: ${reason(error, "cannot check its folder")}`);
    }
    if (s !== null) {
      if (!s.isDirectory()) fail(`cannot be written: ${JSON.stringify(folder)} is a file, not a folder (ENOTDIR)`);
      try {
        accessSync(folder, constants.W_OK | constants.X_OK);
      } catch (error) {
        fail(`cannot be written in the folder ${JSON.stringify(folder)}: ${reason(error, "not writable")}`);
      }
      break;
    }
    const parent = dirname(folder);
    if (parent === folder) break;
    folder = parent;
  }
  return full;
}

/**
 * Writes an output checked by `outputFile`, creating its folder: the bytes go to a temporary
 * file beside it, are flushed to disk and renamed over `path`, so a reader (or a crash) sees
 * the old file or the new one, never a part. `force` is the caller's consent to replace.
 */
export function writeOutput(path: string, content: string | Uint8Array, force: boolean): void {
  if (!force && statOrNull(path) !== null) throw new UsageError(`${JSON.stringify(path)} already exists; pass --force to overwrite it`);
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileAtomic.sync(path, typeof content === "string" ? content : Buffer.from(content.buffer, content.byteOffset, content.byteLength), { fsync: true });
  } catch (error) {
    throw new UsageError(`cannot write ${JSON.stringify(path)}: ${reason(error, "the write failed")}`);
  }
}
