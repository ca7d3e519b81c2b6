// Builds what the end-to-end tests run: each workspace package the CLI imports (only when
// its dist/ is missing or older than its source; under turbo, `^build` has done it), then
// the CLI itself, with `tsc -p tsconfig.build.json`.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const cli = fileURLToPath(new URL("..", import.meta.url));
const root = join(cli, "..", "..");
// Dependency order: each package only needs the ones before it.
const packages = ["tensor", "init", "optim", "data-split", "nn", "regularize", "gradcheck"];

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts")) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function stale(dir: string, output: string): boolean {
  const out = join(dir, output);
  return !existsSync(out) || statSync(out).mtimeMs < newestSource(join(dir, "src"));
}

function build(dir: string): void {
  const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
  const result = spawnSync(process.execPath, [tsc, "-p", "tsconfig.build.json"], { cwd: dir, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`building ${dir} failed:\n${result.stdout}${result.stderr}`);
}

export default function setup(): void {
  let rebuilt = false;
  for (const name of packages) {
    const dir = join(root, "packages", name);
    if (rebuilt || stale(dir, "dist/index.js")) {
      build(dir);
      rebuilt = true;
    }
  }
  if (rebuilt || stale(cli, "dist/main.js")) build(cli);
}
