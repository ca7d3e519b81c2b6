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
/**
 * Every library's process runs with glibc's allocator told to keep freed memory. PyTorch
 * allocates every intermediate tensor anew; by default glibc hands large blocks back to the
 * kernel and takes them again, and each page fault costs: on this project's VM, PyTorch's
 * `mlp` Adam step took 1,550 µs that way and 360 µs with these settings, its backward pass
 * 1,300 and 420 µs (2026-12-06). PyTorch's performance guide recommends jemalloc or tcmalloc
 * for the same reason; this gives every library that advantage without a library (Node's
 * typed arrays come from the same allocator: a Hone `mlp` epoch took ~1,700 page faults
 * without it, ~12 with it).
 */
export const ALLOCATOR_ENV = { MALLOC_MMAP_THRESHOLD_: String(2 ** 30), MALLOC_TRIM_THRESHOLD_: String(2 ** 30), MALLOC_TOP_PAD_: String(2 ** 28) };
/** The Python peers' environment: one thread, and the allocator settings. */
const ONE_THREAD_ENV = { OPENBLAS_NUM_THREADS: "1", OMP_NUM_THREADS: "1", MKL_NUM_THREADS: "1", ...ALLOCATOR_ENV };

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
  // numpy's BLAS is the library Debian's alternatives point libblas.so.3 at (the reference BLAS
  // is ~15× slower than OpenBLAS: install libopenblas0); torch's CPU capability is the kernel
  // set its dispatcher picked (ATEN_CPU_CAPABILITY overrides it).
  const script = [
    "import sys, os, re, json, numpy",
    "v = {'python': sys.version.split()[0], 'numpy': numpy.__version__}",
    "blas = os.path.realpath('/usr/lib/x86_64-linux-gnu/libblas.so.3')",
    "if os.path.exists(blas): v['blas'] = os.path.basename(os.path.dirname(blas))",
    "try:",
    " import torch; v['torch'] = torch.__version__",
    " m = re.search(r'CPU capability usage: (\\w+)', torch.__config__.show()); v['torch kernels'] = m.group(1) if m else '?'",
    " if os.environ.get('HONE_BENCH_TORCH_FTZ') == '1': v['torch kernels'] += ', denormals flushed'",
    "except Exception: pass",
    "print(json.dumps(v))",
  ].join("\n");
  const r = spawnSync(PYTHON_BIN, ["-c", script], { encoding: "utf8", env: { ...process.env, ...ONE_THREAD_ENV } });
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
