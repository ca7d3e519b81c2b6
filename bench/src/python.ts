// The Python peers: NumPy and PyTorch under Debian's /usr/bin/python3 (python3-numpy,
// python3-torch), one process each running bench/python/peer.py, on one thread
// (OPENBLAS_NUM_THREADS=1 and torch.set_num_threads(1)). Driven like the Node library
// processes, over stdin/stdout with one JSON document a line.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { LibraryChannel, type Reply } from "./channel.js";
import type { PythonLibrary, RunOptions } from "./harness.js";

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

/** A Python peer's process (peer.py), driven with one JSON document a line over stdin/stdout. */
export function pythonProcess(library: PythonLibrary, options: RunOptions): LibraryChannel {
  const child = spawn(PYTHON_BIN, [script, library, JSON.stringify(options)], { env: { ...process.env, ...ONE_THREAD_ENV }, stdio: ["pipe", "pipe", "pipe"] });
  child.stderr.pipe(process.stderr);
  const channel = new LibraryChannel(library, child, (m) => child.stdin.write(`${JSON.stringify(m)}\n`));
  createInterface({ input: child.stdout }).on("line", (line) => {
    let reply: Reply;
    try {
      reply = JSON.parse(line) as Reply;
    } catch {
      channel.receive(new Error(`not a reply: ${line.slice(0, 200)}`));
      return;
    }
    channel.receive(reply);
  });
  return channel;
}
