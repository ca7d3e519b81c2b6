// The main process's side: one child process per library, rounds alternating between them.
import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { formatNumber, isPython, type CasePlan, type LibraryName, type RunOptions, type Sample, type WorkloadResult } from "./harness.js";
import { PythonProcess } from "./python.js";

/** Messages to a library process. */
export type Request =
  | { type: "setup"; workload: string; case: string }
  | { type: "sample"; round: number };

/** Messages back. */
export type Reply =
  | { type: "ready" }
  | { type: "sample"; sample: Sample }
  | { type: "error"; message: string };

const childScript = fileURLToPath(new URL("./child.ts", import.meta.url));

/** A library's process: sets up one row at a time and runs its samples on request. */
class LibraryProcess {
  private readonly child: ChildProcess;
  private pending: { resolve: (r: Reply) => void; reject: (e: Error) => void } | null = null;
  private exited: string | null = null;

  constructor(readonly library: LibraryName, options: RunOptions) {
    this.child = fork(childScript, [library, JSON.stringify(options)], {
      execArgv: ["--conditions=@hone/source", "--import", import.meta.resolve("tsx")],
      serialization: "advanced",
      // The child's stdout goes to our stderr: stdout carries only the table or the JSON.
      stdio: ["ignore", "pipe", "inherit", "ipc"],
    });
    this.child.stdout?.pipe(process.stderr);
    this.child.on("message", (m: Reply) => {
      const p = this.pending;
      this.pending = null;
      if (p === null) return;
      if (m.type === "error") p.reject(new Error(`${library}: ${m.message}`));
      else p.resolve(m);
    });
    this.child.on("exit", (code, signal) => {
      this.exited = `the ${library} process exited (${signal ?? `code ${code}`})`;
      this.pending?.reject(new Error(this.exited));
      this.pending = null;
    });
  }

  private request(message: Request): Promise<Reply> {
    if (this.exited !== null) return Promise.reject(new Error(this.exited));
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.child.send(message);
    });
  }

  async setup(workload: string, caseName: string, _payload?: unknown): Promise<void> {
    await this.request({ type: "setup", workload, case: caseName });
  }

  async sample(round: number): Promise<Sample> {
    const r = await this.request({ type: "sample", round });
    if (r.type !== "sample") throw new Error(`${this.library}: expected a sample, got ${r.type}`);
    return r.sample;
  }

  close(): void {
    if (this.exited === null) this.child.kill();
  }
}

/** The library processes of a run (Node ones, and Python ones for the Python peers), started on first use. */
export class LibraryPool {
  private readonly processes = new Map<LibraryName, LibraryProcess | PythonProcess>();
  constructor(private readonly options: RunOptions) {}

  get(library: LibraryName): LibraryProcess | PythonProcess {
    let p = this.processes.get(library);
    if (p === undefined) {
      p = isPython(library) ? new PythonProcess(library, this.options) : new LibraryProcess(library, this.options);
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
