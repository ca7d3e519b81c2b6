"""PyTorch's optimizers on fixed gradients, float32 and float64: the reference for
src/torch-oracle.test.ts. Run with Debian's PyTorch:

    /usr/bin/python3 packages/optim/scripts/make-torch-fixtures.py > packages/optim/src/fixtures/torch-optimizers.json

Gradients and initial values are integer formulas that Hone's test computes the same way
(each value k/1000 or k/50, correctly rounded to the dtype), so no gradient data is stored.
The parameters after every step are stored for the small tensors, and after the last step
for all of them, as little-endian bytes in base64.
"""
import base64
import json
import sys

import torch

torch.set_num_threads(1)
SHAPES = [(30, 70), (5, 7), (7,)]  # 2100 values (past the wasm backend's 2048), a weight, a bias
STEPS = 30


def initial(shape, dtype):
    n = 1
    for d in shape:
        n *= d
    return torch.tensor([((i * 31) % 97 - 48) / 50 for i in range(n)], dtype=torch.float64).to(dtype).reshape(shape)


def gradient(shape, param_index, t, dtype):
    n = 1
    for d in shape:
        n *= d
    vals = [((i * 7919 + t * 104729 + param_index * 13 + 17) % 2001 - 1000) / 1000 * (1 + t % 3) for i in range(n)]
    return torch.tensor(vals, dtype=torch.float64).to(dtype).reshape(shape)


CASES = {
    "adam": lambda ps: torch.optim.Adam(ps, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, foreach=False),
    "rmsprop": lambda ps: torch.optim.RMSprop(ps, lr=1e-3, alpha=0.9, eps=1e-8, foreach=False),
    "nesterov": lambda ps: torch.optim.SGD(ps, lr=1e-2, momentum=0.9, nesterov=True, foreach=False),
}


def b64(t):
    return base64.b64encode(t.detach().contiguous().numpy().tobytes()).decode("ascii")


out = {"torch": torch.__version__, "shapes": SHAPES, "steps": STEPS, "cases": {}}
for name, make in CASES.items():
    for dtype, key in ((torch.float32, "float32"), (torch.float64, "float64")):
        ps = [initial(s, dtype).requires_grad_(True) for s in SHAPES]
        opt = make(ps)
        small = []
        for t in range(STEPS):
            for k, p in enumerate(ps):
                p.grad = gradient(SHAPES[k], k, t, dtype)
            opt.step()
            small.append(b64(ps[1]))
        out["cases"][f"{name}/{key}"] = {"final": [b64(p) for p in ps], "weightEachStep": small}
json.dump(out, sys.stdout, indent=1)
sys.stdout.write("\n")
