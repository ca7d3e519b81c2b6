// `train-cli`: wall time of the default `hone train --json`, process start to exit
// (Node start, the built command, training, the report), on each backend: the command picks
// its own, so `hone` runs it with HONE_BACKEND=ts and `hone-wasm` with HONE_BACKEND=wasm.
// Hone only. And `train-cli start-up`: `hone --version` and `hone train --help` (every module
// loaded, nothing run) over a bare `node -e 0` in the same round: the issue's "within a few
// times a bare node".
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { makeResult, now, type HoneLibrary, type LibraryName, type Workload, type WorkloadResult } from "../harness.js";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const bin = fileURLToPath(new URL("../../../apps/cli/bin/hone.js", import.meta.url));

/** The variants measured, and the HONE_BACKEND each runs the command with. */
const BACKENDS: Partial<Record<LibraryName, "ts" | "wasm">> = { hone: "ts", "hone-wasm": "wasm" };

function run(backend: "ts" | "wasm", args: readonly string[] = ["train", "--json"]): { seconds: number; status: number | null; stdout: string; stderr: string } {
  const t0 = now();
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: "utf8", maxBuffer: 64 << 20, env: { ...process.env, HONE_BACKEND: backend, HONE_CLI_DIST: "1" } });
  return { seconds: now() - t0, status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Wall time of `node -e 0`. */
function bareNode(): number {
  const t0 = now();
  spawnSync(process.execPath, ["-e", "0"]);
  return now() - t0;
}

const STARTUP = "train-cli start-up";

export const trainCli: Workload = {
  name: "train-cli",
  // One run per backend here, in the main process: it says whether the command exists and works.
  plan(options) {
    const name = "train-cli";
    if (!existsSync(bin)) return { name, reason: `${bin} does not exist` };
    for (const backend of Object.values(BACKENDS)) {
      const first = run(backend);
      const command = `\`HONE_BACKEND=${backend} node apps/cli/bin/hone.js train --json\``;
      if (first.status !== 0) {
        const why = (first.stderr || first.stdout).trim().split("\n").slice(0, 3).join(" / ");
        return { name, reason: `${command} exited with ${first.status}: ${why || "no output"} (the command may not exist yet)` };
      }
      try {
        JSON.parse(first.stdout);
      } catch {
        return { name, reason: `${command} did not print a JSON document` };
      }
    }
    return [{
      name,
      libraries: Object.keys(BACKENDS) as HoneLibrary[],
      rounds: { samples: Math.min(options.samples, 3), warmups: 0 },
      result: (samples) => makeResult({ name, workload: name, unit: "s", higherIsBetter: false, note: "process wall time of `node apps/cli/bin/hone.js train --json` (the built dist/) with HONE_BACKEND=ts (hone) and =wasm (hone-wasm) (one unmeasured run of each first)" }, samples),
    }, {
      name: STARTUP,
      libraries: ["hone-wasm"],
      rounds: { samples: options.samples, warmups: 1 },
      result: (_samples, _checks, series) => {
        const s = series.get("hone-wasm") ?? {};
        const row = (rowName: string, key: string, unit: string, note: string): WorkloadResult => makeResult({ name: rowName, workload: name, unit, higherIsBetter: false, note }, new Map([["hone-wasm", s[key] ?? []]]));
        return [
          row("train-cli start-up: node -e 0", "node", "s", "a bare `node -e 0`, in the same round as the two commands below"),
          row("train-cli start-up: hone --version ÷ node -e 0", "version", "×", "each round's `node apps/cli/bin/hone.js --version` over its `node -e 0`"),
          row("train-cli start-up: hone train --help ÷ node -e 0", "help", "×", "each round's `node apps/cli/bin/hone.js train --help` (every module of the command loaded, nothing run) over its `node -e 0`"),
        ];
      },
    }];
  },

  setup: (library, caseName) => {
    if (caseName === STARTUP) {
      return Promise.resolve({
        sample() {
          const node = bareNode();
          const version = run("wasm", ["--version"]);
          const help = run("wasm", ["train", "--help"]);
          if (version.status !== 0 || help.status !== 0) throw new Error("hone --version or hone train --help failed");
          return { value: version.seconds / node, series: { node, version: version.seconds / node, help: help.seconds / node } };
        },
      });
    }
    const backend = BACKENDS[library];
    if (backend === undefined) return Promise.reject(new Error(`train-cli runs on ${Object.keys(BACKENDS).join(" and ")}, not ${library}`));
    return Promise.resolve({
      sample() {
        const r = run(backend);
        if (r.status !== 0) throw new Error(`HONE_BACKEND=${backend} hone train --json exited with ${r.status}: ${r.stderr.trim()}`);
        return { value: r.seconds };
      },
    });
  },
};
