"""Hone's Python peers in `pnpm bench`: NumPy and PyTorch on the same workloads and data.

    /usr/bin/python3 bench/python/peer.py <numpy|torch> <options JSON>

bench/src/runner.ts starts one of these per peer, with OPENBLAS_NUM_THREADS=1 (and OMP_, MKL_)
in its environment, and drives it over stdin/stdout, one JSON document a line:

    -> {"type": "setup", "workload": "course", "case": "course", "payload": {...}}
    <- {"type": "ready"}
    -> {"type": "sample", "round": 0}
    <- {"type": "sample", "sample": {"value": 1234.5, "checks": {...}}}

Errors come back as {"type": "error", "message": ...}. The payload carries the data and the
initial weights the Node side drew (small arrays inline, large ones as raw files written by the
Node side: {"file": path, "dtype": "float32" | "float64", "shape": [...]}), so every library
starts from the same numbers.
"""
import json
import os
import sys
import time

import numpy as np

LIBRARY = sys.argv[1]
OPTIONS = json.loads(sys.argv[2]) if len(sys.argv) > 2 else {}
if LIBRARY not in ("numpy", "torch"):
    raise SystemExit(f"peer.py: the library must be numpy or torch, got {LIBRARY!r}")
if LIBRARY == "torch":
    import torch

    torch.set_num_threads(1)
    # A run may ask PyTorch to flush subnormal floats to zero (not its default) to see how much
    # of its time they take: HONE_BENCH_TORCH_FTZ=1.
    if os.environ.get("HONE_BENCH_TORCH_FTZ") == "1":
        torch.set_flush_denormal(True)


def array(spec):
    """An array from the payload: a raw file the Node side wrote, or inline values."""
    if isinstance(spec, dict) and "file" in spec:
        return np.fromfile(spec["file"], dtype=spec["dtype"]).reshape(spec["shape"])
    return np.asarray(spec, dtype=np.float64)


# -- course: the course's 2-20-3-1 network (ReLU, ReLU, sigmoid), full-batch gradient descent


def course_numpy(p):
    """The course's hand-written forward and backward pass in float64 (X is (2, m), as there)."""
    X = array(p["x"]).T.copy()
    Y = array(p["y"]).reshape(1, -1)
    m = X.shape[1]
    W1, b1, W2, b2, W3, b3 = (array(w) for w in p["weights"])
    b1, b2, b3 = b1.reshape(-1, 1), b2.reshape(-1, 1), b3.reshape(-1, 1)
    lr, chunk, check_at = p["lr"], p["chunk"], p["checkAt"]

    def step():
        nonlocal W1, b1, W2, b2, W3, b3
        Z1 = W1 @ X + b1
        A1 = np.maximum(0, Z1)
        Z2 = W2 @ A1 + b2
        A2 = np.maximum(0, Z2)
        Z3 = W3 @ A2 + b3
        A3 = 1 / (1 + np.exp(-Z3))
        cost = float(np.nansum(-np.log(A3) * Y - np.log(1 - A3) * (1 - Y))) / m
        dZ3 = A3 - Y
        dW3 = dZ3 @ A2.T / m
        db3 = np.sum(dZ3, axis=1, keepdims=True) / m
        dZ2 = (W3.T @ dZ3) * (A2 > 0)
        dW2 = dZ2 @ A1.T / m
        db2 = np.sum(dZ2, axis=1, keepdims=True) / m
        dZ1 = (W2.T @ dZ2) * (A1 > 0)
        dW1 = dZ1 @ X.T / m
        db1 = np.sum(dZ1, axis=1, keepdims=True) / m
        W1, b1, W2, b2, W3, b3 = W1 - lr * dW1, b1 - lr * db1, W2 - lr * dW2, b2 - lr * db2, W3 - lr * dW3, b3 - lr * db3
        return cost

    return iterations(step, float, chunk, check_at)


def course_torch(p):
    """PyTorch's nn.Sequential, BCEWithLogitsLoss and SGD, in float64 as Hone runs the course."""
    x = torch.from_numpy(array(p["x"]))
    y = torch.from_numpy(array(p["y"]).reshape(-1, 1))
    model = torch.nn.Sequential(
        torch.nn.Linear(2, 20), torch.nn.ReLU(), torch.nn.Linear(20, 3), torch.nn.ReLU(), torch.nn.Linear(3, 1)
    ).double()
    load_linear_weights(model, p["weights"], torch.float64)
    loss_fn = torch.nn.BCEWithLogitsLoss()
    opt = torch.optim.SGD(model.parameters(), lr=p["lr"])
    chunk, check_at = p["chunk"], p["checkAt"]

    def step():
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        return loss

    return iterations(step, lambda loss: loss.item(), chunk, check_at)


def iterations(step, read, chunk, check_at):
    """A course sample: `chunk` training steps timed, in iterations per second. Each step returns
    its cost before its update; `read` makes it a float, only for the costs checked (iteration
    `check_at` of the first round, and the last), so reading costs no time elsewhere."""

    def sample(round_):
        early = None
        t0 = time.perf_counter()
        for i in range(chunk):
            cost = step()
            if round_ == 0 and i == check_at - 1:
                early = read(cost)
        final = read(cost)
        t = time.perf_counter() - t0
        checks = {"final": final}
        if round_ == 0:
            checks["early"] = early
        return {"value": chunk / t, "checks": checks}

    return sample


def load_linear_weights(model, weights, dtype):
    """Hone's (out, in) weights and biases into the model's Linear layers, in order."""
    linears = [m for m in model if isinstance(m, torch.nn.Linear)]
    with torch.no_grad():
        for i, layer in enumerate(linears):
            layer.weight.copy_(torch.from_numpy(np.ascontiguousarray(array(weights[2 * i]))).to(dtype))
            layer.bias.copy_(torch.from_numpy(np.ascontiguousarray(array(weights[2 * i + 1]))).to(dtype))


# -- mlp: 784-128-64-10 ReLU, softmax cross-entropy, Adam, batch 64, float32, one epoch a sample


def mlp_torch(p):
    x = torch.from_numpy(array(p["x"]).astype(np.float32))
    y = torch.from_numpy(np.asarray(p["y"], dtype=np.int64))
    sizes = p["sizes"]
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(torch.nn.Linear(sizes[i], sizes[i + 1]))
        if i < len(sizes) - 2:
            layers.append(torch.nn.ReLU())
    model = torch.nn.Sequential(*layers)
    load_linear_weights(model, p["weights"], torch.float32)
    opt = torch.optim.Adam(model.parameters(), lr=p["lr"], betas=(p["beta1"], p["beta2"]), eps=p["eps"])
    loss_fn = torch.nn.CrossEntropyLoss()
    batch, rows = p["batch"], x.shape[0]

    def sample(round_):
        first = None
        total = torch.zeros((), dtype=torch.float64)
        t0 = time.perf_counter()
        for start in range(0, rows, batch):
            xb, yb = x[start : start + batch], y[start : start + batch]
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(xb), yb)
            loss.backward()
            opt.step()
            total += loss.detach().double() * xb.shape[0]
            if round_ == 0 and start == 0:
                first = loss.item()
        cost = total.item() / rows
        t = time.perf_counter() - t0
        checks = {"last": cost}
        if round_ == 0:
            checks.update({"firstBatch": first, "epoch1": cost})
        return {"value": rows / t, "checks": checks}

    return sample


# -- matmul: C = A·B, GFLOP/s, checked with a float64 Freivalds test


def freivalds(a, b, c):
    n = a.shape[0]
    v = np.array([((i * 7919) % 13) - 6 for i in range(n)], dtype=np.float64)
    a, b, c = a.astype(np.float64), b.astype(np.float64), c.astype(np.float64)
    ref = a @ (b @ v)
    return float(np.max(np.abs(c @ v - ref)) / np.max(np.abs(ref)))


def matmul_peer(p):
    n, dtype, seconds = p["n"], p["dtype"], p["seconds"]
    a64, b64 = array(p["a"]), array(p["b"])
    a, b = a64.astype(dtype), b64.astype(dtype)
    if LIBRARY == "torch":
        ta, tb = torch.from_numpy(a), torch.from_numpy(b)
        product = lambda: torch.mm(ta, tb)
        values = lambda c: c.numpy()
    else:
        product = lambda: a @ b
        values = lambda c: c
    flops = 2 * n**3
    reps = 1

    def sample(round_):
        nonlocal reps
        if round_ == 0:
            t0 = time.perf_counter()
            c = product()
            t = time.perf_counter() - t0
            reps = max(1, int(np.ceil(seconds / max(t, 1e-6))))
            c = values(c)
            # Freivalds on the operands as the library saw them (float32 rounds the same draws).
            return {"value": flops / max(t, 1e-9) / 1e9, "checks": {"error": freivalds(a, b, c), "sum": float(np.sum(c.astype(np.float64)))}}
        t0 = time.perf_counter()
        for _ in range(reps):
            product()
        return {"value": flops * reps / (time.perf_counter() - t0) / 1e9}

    return sample


def elementwise_peer(p):
    """`elementwise`: one vectorized elementary function over the arguments, M values/s."""
    x = array(p["x"])
    fn = p["fn"]
    if LIBRARY == "torch":
        t = torch.from_numpy(x)
        f = {"exp": torch.exp, "log": torch.log, "tanh": torch.tanh, "sigmoid": torch.sigmoid}[fn]
        once = lambda: f(t).numpy()
    else:
        f = {"exp": np.exp, "log": np.log, "tanh": np.tanh, "sigmoid": lambda v: 1 / (1 + np.exp(-v))}[fn]
        once = lambda: f(x)
    state = {"reps": 1}

    def sample(round_):
        t0 = time.perf_counter()
        for _ in range(state["reps"]):
            y = once()
        t = time.perf_counter() - t0
        if round_ == 0:
            state["reps"] = max(1, int(0.25 / max(t, 1e-6)) + 1)
            return {"value": len(x) / t / 1e6, "checks": {"sum": float(np.sum(y))}}
        return {"value": len(x) * state["reps"] / t / 1e6, "checks": {"sum": float(np.sum(y))}}

    return sample


SETUPS = {
    ("elementwise", "numpy"): elementwise_peer,
    ("elementwise", "torch"): elementwise_peer,
    ("course", "numpy"): course_numpy,
    ("course", "torch"): course_torch,
    ("mlp", "torch"): mlp_torch,
    ("conv", "torch"): lambda p: __import__("conv_torch").setup(p),  # bench/python/conv_torch.py
    ("matmul", "numpy"): matmul_peer,
    ("matmul", "torch"): matmul_peer,
}


def reply(message):
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def main():
    run = None
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            message = json.loads(line)
            if message["type"] == "setup":
                setup = SETUPS.get((message["workload"], LIBRARY))
                if setup is None:
                    raise ValueError(f"{LIBRARY} has no {message['workload']} workload")
                if "payload" not in message:
                    raise ValueError(f"the {message['case']} row gives {LIBRARY} no payload")
                run = None
                run = setup(message["payload"])
                reply({"type": "ready"})
            elif message["type"] == "sample":
                if run is None:
                    raise ValueError("sample before setup")
                reply({"type": "sample", "sample": run(message["round"])})
            else:
                raise ValueError(f"unknown message {message['type']!r}")
        except Exception as e:  # reported to the Node side, which names the library
            import traceback

            reply({"type": "error", "message": f"{e}\n{traceback.format_exc()}"})


if __name__ == "__main__":
    main()
