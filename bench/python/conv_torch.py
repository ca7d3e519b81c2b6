"""PyTorch's side of the `conv` workload (bench/src/workloads/conv.ts), run by peer.py on one
thread: `setup(payload)` returns the `sample(round)` function peer.py drives.

The payload holds the batch (NHWC pixels, labels) and Hone's initial weights in Hone's
layouts: conv weights (out, kh, kw, in), dense weights (out, in). They are permuted here to
PyTorch's NCHW and (out, in, kh, kw); before the dense layer the features are flattened in
NHWC order (h, w, c), as Hone's Flatten does, so both compute the same function of the same
numbers. Round 0 reports the first cost (the first training step's loss, before its update,
or a forward pass's cost); each round repeats the step for about `seconds`, as the Node side.
"""
import time

import numpy as np
import torch
import torch.nn.functional as F


def _array(spec):
    if isinstance(spec, dict) and "file" in spec:
        return np.fromfile(spec["file"], dtype=spec["dtype"]).reshape(spec["shape"])
    return np.asarray(spec, dtype=np.float64)


def setup(p):
    dtype = torch.float32 if p["dtype"] == "float32" else torch.float64
    n, side = p["batch"], p["side"]
    x = torch.from_numpy(_array(p["x"]).reshape(n, side, side, 1)).to(dtype).permute(0, 3, 1, 2).contiguous()
    y = torch.tensor(p["labels"], dtype=torch.long)
    w = {e["name"]: _array(e["value"]) for e in p["weights"]}
    conv = lambda key: torch.from_numpy(w[key]).to(dtype).permute(0, 3, 1, 2).contiguous().requires_grad_()
    vec = lambda key: torch.from_numpy(w[key]).to(dtype).contiguous().requires_grad_()
    params = [conv("layers.0.weight"), vec("layers.0.bias"), conv("layers.3.weight"), vec("layers.3.bias"), vec("layers.7.weight"), vec("layers.7.bias")]
    w1, b1, w2, b2, wd, bd = params
    opt = torch.optim.SGD(params, lr=p["lr"])
    seconds = p["seconds"]

    def forward():
        h = F.max_pool2d(F.relu(F.conv2d(x, w1, b1, padding="same")), 2)
        h = F.max_pool2d(F.relu(F.conv2d(h, w2, b2, padding="same")), 2)
        return F.linear(h.permute(0, 2, 3, 1).reshape(n, -1), wd, bd)

    def cost_now():
        with torch.no_grad():
            return float(F.cross_entropy(forward(), y))

    def step():
        if p["mode"] == "forward":
            with torch.no_grad():
                forward()
            return None
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(forward(), y)
        loss.backward()
        opt.step()
        return loss

    state = {"reps": 1}

    def sample(round_):
        if round_ == 0:
            t0 = time.perf_counter()
            loss = step()
            t = time.perf_counter() - t0
            cost = float(loss) if loss is not None else cost_now()
            state["reps"] = max(1, int(np.ceil(seconds / max(t, 1e-6))))
            return {"value": n / max(t, 1e-9), "checks": {"cost": cost}}
        t0 = time.perf_counter()
        for _ in range(state["reps"]):
            step()
        return {"value": n * state["reps"] / (time.perf_counter() - t0)}

    return sample
