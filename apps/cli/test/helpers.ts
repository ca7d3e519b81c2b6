// Runs the built CLI as a child process, as a user would: `node bin/hone.js …` with
// HONE_CLI_DIST=1 (the compiled dist/, built by the global setup), in a given folder.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The CLI's entry point. */
export const BIN = fileURLToPath(new URL("../bin/hone.js", import.meta.url));

/** What a run printed and how it ended. */
export interface Run {
  code: number;
  stdout: string;
  stderr: string;
  /** Wall-clock milliseconds. */
  ms: number;
}

let scratch: string | null = null;

/** Runs `hone ...args` in `cwd` (default: one temporary folder shared by this test file's runs). */
export function hone(args: readonly string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<Run> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const env: Record<string, string | undefined> = { ...process.env, HONE_CLI_DIST: "1", NO_COLOR: "1", ...options.env };
    delete env.FORCE_COLOR;
    const child = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd ?? (scratch ??= tempDir()), env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "", stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => { stdout += d; });
    child.stderr.setEncoding("utf8").on("data", (d: string) => { stderr += d; });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr, ms: performance.now() - started }));
  });
}

/** Runs `hone ...args --json` and parses stdout (which must be exactly one JSON document). */
export async function honeJson<T = Record<string, unknown>>(args: readonly string[], options: { cwd?: string } = {}): Promise<{ run: Run; json: T }> {
  const run = await hone([...args, "--json"], options);
  if (run.code !== 0) throw new Error(`hone ${args.join(" ")} --json exited ${run.code}: ${run.stderr}`);
  return { run, json: JSON.parse(run.stdout) as T };
}

/** A new empty temporary folder. */
export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "hone-cli-"));
}

/** SHA-256 of a file's bytes. */
export function sha256(path: string): string {
  return createHash("sha256").update(readFileSync(path)).digest("hex");
}

/** Parses simple CSV text (no quoted fields) into a header and rows of strings. */
export function readSimpleCsv(text: string): { header: string[]; rows: string[][] } {
  const lines = text.trim().split("\n");
  return { header: lines[0]!.split(","), rows: lines.slice(1).map((l) => l.split(",")) };
}
