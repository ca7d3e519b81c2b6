// The Python peers: NumPy and PyTorch under Debian's /usr/bin/python3 (python3-numpy,
// python3-torch), one process each running bench/python/peer.py, on one thread
// (OPENBLAS_NUM_THREADS=1 and torch.set_num_threads(1)). Driven like the Node library
// processes, over stdin/stdout with one JSON document a line.
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import type { PythonLibrary, RunOptions, Sample } from "./harness.js";

/** The interpreter: Debian's, whose numpy and torch come from apt (not a pyenv or venv python3 on the PATH). */
export const PYTHON_BIN = "/usr/bin/python3";
const script = fileURLToPath(new URL("../python/peer.py", import.meta.url));
/** One thread for every BLAS and OpenMP pool the peers could start. */
const ONE_THREAD_ENV = { OPENBLAS_NUM_THREADS: "1", OMP_NUM_THREADS: "1", MKL_NUM_THREADS: "1" };

const probed = new Map<PythonLibrary, string | null>();

/** Why `library` cannot run here (no interpreter, or the module does not import), or null when it can. */
export function pythonMissing(library: PythonLibrary): string | null {
  if (!probed.has(library)) {
    let reason: string | null = null;
    if (!existsSync(PYTHON_BIN)) reason = `${PYTHON_BIN} is missing (apt-get install python3-numpy python3-torch)`;
    else {
      const r = spawnSync(PYTHON_BIN, ["-c", `import ${library}; print(${library}.__version__)`], { encoding: "utf8", env: { ...process.env, ...ONE_THREAD_ENV } });
      if (r.status !== 0) reason = `${PYTHON_BIN} cannot import ${library} (apt-get install python3-${library})`;
    }
    probed.set(library, reason);
  }
  return probed.get(library)!;
}

/** The Python peers of `wanted` that can run here; the others are logged once with the reason. */
export function availablePython(wanted: readonly PythonLibrary[], log: (m: string) => void = (m) => void process.stderr.write(`${m}\n`)): PythonLibrary[] {
  return wanted.filter((library) => {
    const missing = pythonMissing(library);
    if (missing !== null && !warned.has(library)) {
      warned.add(library);
      log(`  ${library} skipped: ${missing}`);
    }
    return missing === null;
  });
}
const warned = new Set<PythonLibrary>();

/** The versions of the Python peers that run here, for the record. */
export function pythonVersions(): Record<string, string> {
  const out: Record<string, string> = {};
  if (!existsSync(PYTHON_BIN)) return out;
  const r = spawnSync(PYTHON_BIN, ["-c", "import sys, numpy; v = {'python': sys.version.split()[0], 'numpy': numpy.__version__}\ntry:\n import torch; v['torch'] = torch.__version__\nexcept Exception: pass\nimport json; print(json.dumps(v))"], { encoding: "utf8" });
  if (r.status === 0) Object.assign(out, JSON.parse(r.stdout) as Record<string, string>);
  return out;
}

const FOLDER = join(tmpdir(), "hone-bench-python");
let files = 0;

/** A large array for a Python peer: written raw (little-endian) to a file the peer reads with `np.fromfile`. */
export function rawArray(values: Float64Array | Float32Array, shape: readonly number[]): { file: string; dtype: "float32" | "float64"; shape: number[] } {
  mkdirSync(FOLDER, { recursive: true });
  const file = join(FOLDER, `${process.pid}-${files++}.bin`);
  writeFileSync(file, new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
  return { file, dtype: values instanceof Float32Array ? "float32" : "float64", shape: [...shape] };
}

type Reply = { type: "ready" } | { type: "sample"; sample: Sample } | { type: "error"; message: string };

/** A Python peer's process: sets up one row at a time and runs its samples on request. */
export class PythonProcess {
  private readonly child: ChildProcessWithoutNullStreams;
  private pending: { resolve: (r: Reply) => void; reject: (e: Error) => void } | null = null;
  private exited: string | null = null;

  constructor(readonly library: PythonLibrary, options: RunOptions) {
    this.child = spawn(PYTHON_BIN, [script, library, JSON.stringify(options)], { env: { ...process.env, ...ONE_THREAD_ENV }, stdio: ["pipe", "pipe", "pipe"] });
    this.child.stderr.pipe(process.stderr);
    createInterface({ input: this.child.stdout }).on("line", (line) => {
      const p = this.pending;
      this.pending = null;
      if (p === null) return;
      let m: Reply;
      try {
        m = JSON.parse(line) as Reply;
      } catch {
        p.reject(new Error(`${library}: not a reply: ${line.slice(0, 200)}`));
        return;
      }
      if (m.type === "error") p.reject(new Error(`${library}: ${m.message}`));
      else p.resolve(m);
    });
    this.child.on("exit", (code, signal) => {
      this.exited = `the ${library} process exited (${signal ?? `code ${code}`})`;
      this.pending?.reject(new Error(this.exited));
      this.pending = null;
    });
  }

  private request(message: unknown): Promise<Reply> {
    if (this.exited !== null) return Promise.reject(new Error(this.exited));
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.child.stdin.write(`${JSON.stringify(message)}\n`);
    });
  }

  async setup(workload: string, caseName: string, payload: unknown): Promise<void> {
    if (payload === undefined) throw new Error(`${this.library}: the ${caseName} row gives Python peers no payload`);
    await this.request({ type: "setup", workload, case: caseName, payload });
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
