// `sweep`: a 20-configuration grid (L2 λ ∈ {0, 0.01, 0.1, 1, 10} × learning rate ∈ {0.001,
// 0.003, 0.01, 0.03}; 16-16 ReLU, Adam, batches of 64, 200 epochs) on scikit-learn's breast
// cancer data (569 rows, 30 features), two at a time, against scikit-learn's MLPClassifier over
// the same grid on the same train/dev rows with joblib's two jobs (bench/python/sweep_sklearn.py,
// through Debian's /usr/bin/python3). The bound: `hone sweep` within 2× scikit-learn.
//
// Both are process wall times, start to exit: `node apps/cli/bin/hone.js sweep … --workers 2`
// (the built command: trials on worker threads) and `python3 sweep_sklearn.py … 2` (imports,
// joblib's workers, the fits). Each round runs both, starting with a different one.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { makeResult, now, type Target, type Workload, type WorkloadResult } from "../harness.js";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const bin = fileURLToPath(new URL("../../../apps/cli/bin/hone.js", import.meta.url));
const script = fileURLToPath(new URL("../../python/sweep_sklearn.py", import.meta.url));
const PYTHON = "/usr/bin/python3";
/** The process the rows are measured from (it only starts the two commands). */
const LIBRARY = "hone-wasm";
const JOBS = 2;
const GRID = ["--l2", "0,0.01,0.1,1,10", "--lr", "0.001,0.003,0.01,0.03"];
const TARGETS: readonly Target[] = [{ subject: LIBRARY, against: "absolute", op: "<=", value: 2 }];

/** The data folder, written by the plan in the main process and read by the library process: cancer.csv and its split (split/train.csv, split/dev.csv). */
const FOLDER = join(tmpdir(), "hone-bench-sweep");

const EXPORT = `
from sklearn.datasets import load_breast_cancer
import sys
d = load_breast_cancer()
with open(sys.argv[1], "w") as f:
    f.write(",".join([f"f{i}" for i in range(d.data.shape[1])] + ["target"]) + "\\n")
    for row, t in zip(d.data, d.target):
        f.write(",".join(repr(float(v)) for v in row) + f",{int(t)}\\n")
`;

function prepareData(): string {
  const dir = FOLDER;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "export.py"), EXPORT);
  const py = spawnSync(PYTHON, [join(dir, "export.py"), join(dir, "cancer.csv")], { encoding: "utf8" });
  if (py.status !== 0) throw new Error(`exporting scikit-learn's breast cancer data failed: ${py.stderr.trim().split("\n").at(-1) ?? py.status}`);
  const split = spawnSync(process.execPath, [bin, "split", join(dir, "cancer.csv"), "--out", join(dir, "split")], { cwd: root, encoding: "utf8" });
  if (split.status !== 0) throw new Error(`hone split failed: ${split.stderr.trim()}`);
  return dir;
}

function honeSweep(dir: string): { seconds: number; best: number } {
  const t0 = now();
  const r = spawnSync(process.execPath, [bin, "sweep", ...GRID, "--workers", String(JOBS), "--json", "--", "--data", join(dir, "cancer.csv"), "--label", "target"], { cwd: root, encoding: "utf8", maxBuffer: 16 << 20 });
  const seconds = now() - t0;
  if (r.status !== 0) throw new Error(`hone sweep exited with ${r.status}: ${r.stderr.trim().split("\n").at(-1) ?? ""}`);
  const doc = JSON.parse(r.stdout) as { trials: unknown[]; best: { devAccuracy: number } };
  if (doc.trials.length !== 20) throw new Error(`hone sweep ran ${doc.trials.length} trials, expected 20`);
  return { seconds, best: doc.best.devAccuracy };
}

function sklearnSweep(dir: string): { seconds: number; best: number } {
  const t0 = now();
  const r = spawnSync(PYTHON, [script, join(dir, "split", "train.csv"), join(dir, "split", "dev.csv"), "target", String(JOBS)], { encoding: "utf8" });
  const seconds = now() - t0;
  if (r.status !== 0) throw new Error(`sweep_sklearn.py exited with ${r.status}: ${r.stderr.trim().split("\n").at(-1) ?? ""}`);
  const doc = JSON.parse(r.stdout) as { trials: number; best: { devAccuracy: number } };
  if (doc.trials !== 20) throw new Error(`sweep_sklearn.py ran ${doc.trials} trials, expected 20`);
  return { seconds, best: doc.best.devAccuracy };
}

function row(name: string, unit: string, values: readonly number[], extra: { note?: string; targets?: readonly Target[]; best?: number[] } = {}): WorkloadResult {
  const checks = extra.best === undefined ? undefined : [{ what: "best dev accuracy", values: { [LIBRARY]: extra.best.at(-1)! }, tolerance: null }];
  return makeResult({ name, workload: "sweep", unit, higherIsBetter: false, ...(extra.note === undefined ? {} : { note: extra.note }), ...(extra.targets === undefined ? {} : { targets: extra.targets }) }, new Map([[LIBRARY, values.slice()]]), checks);
}

export const sweep: Workload = {
  name: "sweep",
  plan(options) {
    const name = "sweep";
    if (!existsSync(bin)) return { name, reason: `${bin} does not exist` };
    if (!existsSync(PYTHON)) return { name, reason: `${PYTHON} is missing (apt-get install python3-sklearn)` };
    let dir: string;
    try {
      dir = prepareData();
    } catch (e) {
      return { name, reason: e instanceof Error ? e.message : String(e) };
    }
    return [{
      name,
      libraries: [LIBRARY],
      rounds: { samples: Math.min(options.samples, 3), warmups: Math.min(options.warmups, 1) },
      result: (_samples, _checks, series) => {
        const s = series.get(LIBRARY) ?? {};
        rmSync(dir, { recursive: true, force: true });
        return [
          row("sweep hone (20 configurations, 2 worker threads)", "s", s.hone!, { best: s["hone best"]!, note: "process wall time of `node apps/cli/bin/hone.js sweep --l2 0,0.01,0.1,1,10 --lr 0.001,0.003,0.01,0.03 --workers 2 --json -- --data cancer.csv --label target` (scikit-learn's breast cancer data, 569 rows; 16-16 ReLU, Adam, batch 64, 200 epochs, scored on dev)" }),
          row("sweep scikit-learn (the same grid, 2 jobs)", "s", s.sklearn!, { best: s["sklearn best"]!, note: "process wall time of `/usr/bin/python3 bench/python/sweep_sklearn.py train.csv dev.csv target 2`: MLPClassifier(16, 16), Adam, batch 64, 200 epochs, alpha = λ, on the train/dev rows `hone split` wrote (the same split), joblib n_jobs=2" }),
          row("sweep hone ÷ scikit-learn", "×", s.ratio!, { targets: TARGETS, note: "each round's hone time over its scikit-learn time (both processes run one after the other, starting with a different one each round)" }),
        ];
      },
    }];
  },

  setup(library) {
    if (library !== LIBRARY) return Promise.reject(new Error(`sweep runs in the ${LIBRARY} process, not ${library}`));
    const dir = FOLDER;
    if (!existsSync(join(dir, "split", "dev.csv"))) return Promise.reject(new Error(`sweep: ${dir} has no data (the plan writes it)`));
    return Promise.resolve({
      sample(round) {
        const first = round % 2 === 0;
        const a = first ? honeSweep(dir) : null;
        const py = sklearnSweep(dir);
        const h = a ?? honeSweep(dir);
        return { value: h.seconds, series: { hone: h.seconds, sklearn: py.seconds, ratio: h.seconds / py.seconds, "hone best": h.best, "sklearn best": py.best } };
      },
    });
  },
};
