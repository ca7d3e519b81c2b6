// `train-cli`: wall time of the default `hone train --json`, process start to exit
// (Node start, the TypeScript source through tsx, training, the report), on each backend:
// the command picks its own, so `hone` runs it with HONE_BACKEND=ts and `hone-wasm` with
// HONE_BACKEND=wasm. Hone only.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { makeResult, now, type HoneLibrary, type LibraryName, type Workload } from "../harness.js";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const bin = fileURLToPath(new URL("../../../apps/cli/bin/hone.js", import.meta.url));

/** The variants measured, and the HONE_BACKEND each runs the command with. */
const BACKENDS: Partial<Record<LibraryName, "ts" | "wasm">> = { hone: "ts", "hone-wasm": "wasm" };

function run(backend: "ts" | "wasm"): { seconds: number; status: number | null; stdout: string; stderr: string } {
  const t0 = now();
  const r = spawnSync(process.execPath, [bin, "train", "--json"], { cwd: root, encoding: "utf8", maxBuffer: 64 << 20, env: { ...process.env, HONE_BACKEND: backend } });
  return { seconds: now() - t0, status: r.status, stdout: r.stdout, stderr: r.stderr };
}

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
      result: (samples) => makeResult({ name, workload: name, unit: "s", higherIsBetter: false, note: "process wall time of `node apps/cli/bin/hone.js train --json` with HONE_BACKEND=ts (hone) and =wasm (hone-wasm), tsx start-up included (one unmeasured run of each first)" }, samples),
    }];
  },

  setup: (library) => {
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
