// `pnpm bench [--workload <name>]… [--json] [--out file.json] [--samples N] [--warmups N] [--quick]`:
// Hone (on its TypeScript backend, and on WebAssembly with one and two threads) beside
// TensorFlow.js (cpu, wasm), NumPy and PyTorch (Debian's /usr/bin/python3, one thread) on
// the same workloads in one run, alternating.
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import { dirname, resolve } from "node:path";
import { parseArgs } from "node:util";
import type { RunOptions, Skipped, WorkloadResult } from "./harness.js";
import { json, table } from "./report.js";
import { LibraryPool, runCase } from "./runner.js";
import { pythonVersions } from "./python.js";
import { tfjsInfo } from "./tfjs.js";
import { chromiumVersion } from "./browser.js";
import { WORKLOADS } from "./workloads/index.js";

/** What the Hone variants run on, for the record. */
const HONE_BACKENDS = "hone: the TypeScript backend; hone-wasm: WebAssembly SIMD, one thread; hone-wasm2: WebAssembly SIMD, two threads; hone-fma: WebAssembly relaxed SIMD (float32 fused multiply-add), one thread; hone-chromium: the WebAssembly backend's defaults in headless Chromium (relaxed SIMD), one thread";

const USAGE = `usage: pnpm bench [--workload <name>]… [--json] [--out file.json] [--samples N] [--warmups N] [--quick]
  --workload  one of ${Object.keys(WORKLOADS).join(", ")} (repeat it, or separate names by commas; default: all)
  --json      print the JSON document instead of the table (progress goes to stderr)
  --out       also write the JSON document to this file (relative to where the command was typed)
  --samples   measured rounds per library (default 5); --warmups: discarded rounds first (default 1)
  --quick     smaller problems, for a smoke run (not comparable with a full run)`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      workload: { type: "string", multiple: true },
      json: { type: "boolean", default: false },
      out: { type: "string" },
      samples: { type: "string" },
      warmups: { type: "string" },
      quick: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
    allowPositionals: false,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const names = (values.workload ?? Object.keys(WORKLOADS)).flatMap((w) => w.split(","));
  for (const n of names) if (!(n in WORKLOADS)) throw new Error(`unknown workload ${JSON.stringify(n)}\n${USAGE}`);
  const int = (s: string | undefined, fallback: number, min: number): number => {
    if (s === undefined) return fallback;
    const v = Number(s);
    if (!Number.isInteger(v) || v < min) throw new Error(`expected an integer ≥ ${min}, got ${s}`);
    return v;
  };
  const options: RunOptions = {
    samples: int(values.samples, 5, 1),
    warmups: int(values.warmups, 1, 0),
    quick: values.quick,
  };
  const log = (m: string): void => void process.stderr.write(`${m}\n`);
  const tf = await tfjsInfo();
  const meta = {
    date: new Date().toISOString(),
    node: process.version,
    cpu: `${os.cpus()[0]?.model ?? "unknown"} × ${os.cpus().length}`,
    tfjs: tf.version,
    wasm: tf.wasm,
    python: pythonVersions(),
    chromium: chromiumVersion(),
    hone: HONE_BACKENDS,
    samples: options.samples,
    warmups: options.warmups,
    quick: options.quick,
  };
  const py = (Object.entries(meta.python).map(([k, v]) => `${k} ${v}`).join(", ") || "no Python peers") + `; ${meta.chromium ?? "no Chromium (hone-chromium left out)"}`;
  log(`node ${meta.node}, ${meta.cpu}, TensorFlow.js ${meta.tfjs} (wasm: ${meta.wasm}), ${py}; ${HONE_BACKENDS}; one process per library; ${options.warmups} warm-up + ${options.samples} samples each, alternating`);
  const results: WorkloadResult[] = [];
  const skipped: Skipped[] = [];
  const pool = new LibraryPool(options);
  try {
    for (const n of names) {
      log(`${n}:`);
      const plans = await WORKLOADS[n]!.plan(options);
      if (!Array.isArray(plans)) {
        skipped.push(plans);
        log(`  skipped: ${plans.reason}`);
        continue;
      }
      for (const plan of plans) results.push(...(await runCase(n, plan, pool, options, log)));
    }
  } finally {
    pool.close();
  }
  const doc = json(results, { ...meta, skipped });
  if (values.out !== undefined) {
    // Relative to where `pnpm bench` was typed (pnpm runs the script inside bench/).
    const path = resolve(process.env.INIT_CWD ?? process.cwd(), values.out);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, `${doc}\n`);
    log(`wrote ${path}`);
  }
  if (values.json) {
    process.stdout.write(`${doc}\n`);
    return;
  }
  process.stdout.write(`\n${table(results)}`);
  for (const s of skipped) process.stdout.write(`- ${s.name} skipped: ${s.reason}\n`);
  process.stdout.write(`\n${meta.node}, ${meta.cpu}, TensorFlow.js ${meta.tfjs} (wasm: ${meta.wasm}), ${py} (one thread); ${HONE_BACKENDS}; one process per library; ${meta.warmups} warm-up + ${meta.samples} samples each, alternating.\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`bench: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
