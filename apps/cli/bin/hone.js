#!/usr/bin/env node
// The `hone` command: runs the compiled dist/ (built by `pnpm install` in the workspace, and
// shipped in the published package). For development, `pnpm hone:dev …` (or HONE_CLI_SOURCE=1)
// runs the TypeScript source through tsx with the `@hone/source` condition instead.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import process from "node:process";
import { URL, fileURLToPath } from "node:url";

const args = process.argv.slice(2);
// `--version` needs nothing but the package's own version: answer it before loading anything.
if (args.length === 1 && (args[0] === "--version" || args[0] === "-V")) {
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
  process.stdout.write(`${pkg.version}\n`);
  process.exit(0);
}

// `pnpm hone …` runs from the workspace root; resolve the user's paths where they typed the command.
const cwd = process.env.npm_lifecycle_event?.startsWith("hone") && process.env.INIT_CWD ? process.env.INIT_CWD : process.cwd();
const dist = fileURLToPath(new URL("../dist/main.js", import.meta.url));
const src = fileURLToPath(new URL("../src/main.ts", import.meta.url));

if (process.env.HONE_CLI_SOURCE === "1") {
  if (!existsSync(src)) {
    process.stderr.write("hone: HONE_CLI_SOURCE=1 runs the TypeScript source, which only the workspace has\n");
    process.exit(2);
  }
  const tsx = import.meta.resolve("tsx");
  const result = spawnSync(process.execPath, ["--conditions=@hone/source", "--import", tsx, src, ...args], { stdio: "inherit", cwd });
  process.exit(result.status ?? 1);
}

if (!existsSync(dist)) {
  process.stderr.write("hone: the command is not built (apps/cli/dist/main.js is missing): run `pnpm install` or `pnpm build` in the workspace, or `pnpm hone:dev …` to run the source\n");
  process.exit(2);
}
// In the workspace, say when the build is older than the source it came from (a warning only).
if (existsSync(src) && process.env.HONE_CLI_DIST !== "1") {
  const root = fileURLToPath(new URL("../../../", import.meta.url));
  const built = statSync(dist).mtimeMs;
  const newer = (dir) => {
    let entries;
    try { entries = readdirSync(dir, { withFileTypes: true }); } catch { return false; }
    for (const e of entries) {
      const path = join(dir, e.name);
      if (e.isDirectory() ? newer(path) : e.name.endsWith(".ts") && !e.name.endsWith(".test.ts") && statSync(path).mtimeMs > built) return true;
    }
    return false;
  };
  const sources = [join(root, "apps", "cli", "src"), ...readdirSync(join(root, "packages")).map((p) => join(root, "packages", p, "src"))];
  if (sources.some(newer)) process.stderr.write("hone: note: the built command is older than its source; run `pnpm build` (or `pnpm hone:dev …` to run the source)\n");
}
if (cwd !== process.cwd()) process.chdir(cwd);
await import(new URL("../dist/main.js", import.meta.url).href);
