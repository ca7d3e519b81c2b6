// `train-cli`: wall time of the default `hone train --json`, process start to exit
// (Node start, the TypeScript source through tsx, training, the report). Hone only.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { makeResult, now, type Workload } from "../harness.js";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const bin = fileURLToPath(new URL("../../../apps/cli/bin/hone.js", import.meta.url));

function run(): { seconds: number; status: number | null; stdout: string; stderr: string } {
  const t0 = now();
  const r = spawnSync(process.execPath, [bin, "train", "--json"], { cwd: root, encoding: "utf8", maxBuffer: 64 << 20 });
  return { seconds: now() - t0, status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export const trainCli: Workload = {
  name: "train-cli",
  // One run here, in the main process: it says whether the command exists and works.
  plan(options) {
    const name = "train-cli";
    if (!existsSync(bin)) return { name, reason: `${bin} does not exist` };
    const first = run();
    if (first.status !== 0) {
      const why = (first.stderr || first.stdout).trim().split("\n").slice(0, 3).join(" / ");
      return { name, reason: `\`node apps/cli/bin/hone.js train --json\` exited with ${first.status}: ${why || "no output"} (the command may not exist yet)` };
    }
    try {
      JSON.parse(first.stdout);
    } catch {
      return { name, reason: "`hone train --json` did not print a JSON document" };
    }
    return [{
      name,
      libraries: ["hone"],
      rounds: { samples: Math.min(options.samples, 3), warmups: 0 },
      result: (samples) => makeResult({ name, workload: name, unit: "s", higherIsBetter: false, note: "process wall time of `node apps/cli/bin/hone.js train --json`, tsx start-up included (one unmeasured run first)" }, samples),
    }];
  },

  setup: () => Promise.resolve({
    sample() {
      const r = run();
      if (r.status !== 0) throw new Error(`hone train --json exited with ${r.status}: ${r.stderr.trim()}`);
      return { value: r.seconds };
    },
  }),
};
