"""The `sweep` bench's peer: scikit-learn's MLPClassifier over the same 20-configuration grid
as `hone sweep`, on the same train/dev rows (the CSVs `hone split` wrote), two jobs at a time.

usage: /usr/bin/python3 sweep_sklearn.py <train.csv> <dev.csv> <label> <jobs>
Prints one JSON line: the wall time of the grid (imports excluded; the process's own start-up
is in the caller's wall time), the best dev accuracy and its configuration.
"""
import json
import sys
import time
import warnings

import numpy as np
from joblib import Parallel, delayed
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier
from sklearn.preprocessing import StandardScaler

L2 = [0, 0.01, 0.1, 1, 10]
LR = [0.001, 0.003, 0.01, 0.03]


def read(path, label):
    with open(path) as f:
        header = f.readline().strip().split(",")
    data = np.loadtxt(path, delimiter=",", skiprows=1)
    j = header.index(label)
    return np.delete(data, j, axis=1), data[:, j].astype(int)


def trial(x, y, xd, yd, l2, lr):
    warnings.simplefilter("ignore", ConvergenceWarning)
    # 200 epochs of batches of 64 with Adam, as `hone train`'s defaults; no early stop (tol 0, patience 200).
    # scikit-learn's penalty is alpha/(2·batch)·Σw², Hone's λ/(2·batch)·Σw²: alpha = λ.
    model = MLPClassifier(hidden_layer_sizes=(16, 16), activation="relu", solver="adam", alpha=l2, batch_size=64,
                          learning_rate_init=lr, max_iter=200, tol=0.0, n_iter_no_change=200, shuffle=True, random_state=1)
    model.fit(x, y)
    return {"l2": l2, "lr": lr, "devAccuracy": float(model.score(xd, yd))}


def main():
    train, dev, label, jobs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    t0 = time.perf_counter()
    x, y = read(train, label)
    xd, yd = read(dev, label)
    scaler = StandardScaler().fit(x)
    x, xd = scaler.transform(x), scaler.transform(xd)
    results = Parallel(n_jobs=jobs)(delayed(trial)(x, y, xd, yd, l2, lr) for l2 in L2 for lr in LR)
    best = max(results, key=lambda r: r["devAccuracy"])
    print(json.dumps({"seconds": time.perf_counter() - t0, "trials": len(results), "best": best}))


if __name__ == "__main__":
    main()
