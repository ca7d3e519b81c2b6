#!/usr/bin/env node
// The `hone` command. In the workspace (src/ present) it runs the TypeScript source through
// tsx with the `@hone/source` condition, so no build is needed; a published copy runs dist/.
// Set HONE_CLI_DIST=1 to run the built dist/ in the workspace.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import process from "node:process";
import { URL, fileURLToPath } from "node:url";

// `pnpm hone …` runs from the workspace root; resolve the user's paths where they typed the command.
const cwd = process.env.npm_lifecycle_event === "hone" && process.env.INIT_CWD ? process.env.INIT_CWD : process.cwd();
const src = fileURLToPath(new URL("../src/main.ts", import.meta.url));
if (existsSync(src) && process.env.HONE_CLI_DIST !== "1") {
  const tsx = import.meta.resolve("tsx");
  const result = spawnSync(process.execPath, ["--conditions=@hone/source", "--import", tsx, src, ...process.argv.slice(2)], { stdio: "inherit", cwd });
  process.exit(result.status ?? 1);
} else {
  if (cwd !== process.cwd()) process.chdir(cwd);
  await import(new URL("../dist/main.js", import.meta.url).href);
}
