// The main process's side: one child process per library, rounds alternating between them.
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { formatNumber, isPython, type CasePlan, type LibraryName, type RunOptions, type WorkloadResult } from "./harness.js";
import { LibraryChannel, type Reply } from "./channel.js";
import { ALLOCATOR_ENV, pythonProcess } from "./python.js";

export type { Reply, Request } from "./channel.js";

const childScript = fileURLToPath(new URL("./child.ts", import.meta.url));

/** Node before 22 has WebAssembly relaxed SIMD only behind a flag; `hone-fma` needs it. */
const relaxedSimdFlag = Number(process.versions.node.split(".")[0]) < 22 ? ["--experimental-wasm-relaxed-simd"] : [];

/** A Node library process (child.ts), driven over IPC. */
function nodeProcess(library: LibraryName, options: RunOptions): LibraryChannel {
  const child = fork(childScript, [library, JSON.stringify(options)], {
    execArgv: ["--conditions=@hone/source", "--import", import.meta.resolve("tsx"), ...(library === "hone-fma" ? relaxedSimdFlag : [])],
    serialization: "advanced",
    env: { ...process.env, ...ALLOCATOR_ENV },
    // The child's stdout goes to our stderr: stdout carries only the table or the JSON.
    stdio: ["ignore", "pipe", "inherit", "ipc"],
  });
  child.stdout?.pipe(process.stderr);
  const channel = new LibraryChannel(library, child, (m) => child.send(m));
  child.on("message", (m: Reply) => channel.receive(m));
  return channel;
}

/** The library processes of a run (Node ones, and Python ones for the Python peers), started on first use. */
export class LibraryPool {
  private readonly processes = new Map<LibraryName, LibraryChannel>();
  constructor(private readonly options: RunOptions) {}

  get(library: LibraryName): LibraryChannel {
    let p = this.processes.get(library);
    if (p === undefined) {
      p = isPython(library) ? pythonProcess(library, this.options) : nodeProcess(library, this.options);
      this.processes.set(library, p);
    }
    return p;
  }

  close(): void {
    for (const p of this.processes.values()) p.close();
  }
}

/**
 * Measures one row (or the rows of one plan): each library sets it up in its process, then
 * `warmups + samples` rounds run every library once, starting with a different one each round.
 */
export async function runCase(workload: string, plan: CasePlan, pool: LibraryPool, options: RunOptions, log: (m: string) => void): Promise<WorkloadResult[]> {
  const libraries = plan.libraries;
  for (const library of libraries) await pool.get(library).setup(workload, plan.name, isPython(library) ? plan.python?.(library) : undefined);
  const { warmups, samples: count } = plan.rounds ?? options;
  const samples = new Map<LibraryName, number[]>(libraries.map((l) => [l, []]));
  const checks = new Map<LibraryName, Record<string, number>>(libraries.map((l) => [l, {}]));
  const series = new Map<LibraryName, Record<string, number[]>>(libraries.map((l) => [l, {}]));
  for (let r = 0; r < warmups + count; r++) {
    const parts: string[] = [];
    for (let j = 0; j < libraries.length; j++) {
      const library = libraries[(r + j) % libraries.length]!;
      const s = await pool.get(library).sample(r);
      const named = Object.entries(s.series ?? {});
      if (r >= warmups) {
        samples.get(library)!.push(s.value);
        const mine = series.get(library)!;
        for (const [k, v] of named) (mine[k] ??= []).push(v);
      }
      Object.assign(checks.get(library)!, s.checks ?? {});
      parts.push(`${library} ${formatNumber(s.value)}${named.length > 0 ? ` (${named.map(([k, v]) => `${k} ${formatNumber(v)}`).join(", ")})` : ""}`);
    }
    log(`  ${plan.name} ${r < warmups ? `warm-up ${r + 1}` : `sample ${r - warmups + 1}`}: ${parts.join(", ")}`);
  }
  const result = plan.result(samples, checks, series);
  return Array.isArray(result) ? result : [result];
}
