"""Generate packages/tensor/src/fixtures/conv-torch.json.

PyTorch's conv2d, max_pool2d and avg_pool2d (float64, CPU) on random shapes, strides and
paddings: the reference @hone/tensor's conv2d, maxPool2d and avgPool2d are checked against
(conv.test.ts, tolerance 1e-10). Inputs are stored in Hone's layouts: images NHWC
(batch, height, width, channels), conv weights (out, kh, kw, in); PyTorch gets them
permuted to NCHW and (out, in, kh, kw).

For each case the fixture holds the inputs, the output `y`, and the gradients of
sum(y * G) with respect to every input, where G[i] = ((37 i) mod 23 - 11) / 8 over the
output's row-major (NHWC) flat index i: an exact float64 value the test recomputes, so it
is not stored.

"same" padding is TensorFlow's rule (output ceil(size/stride), total padding
max((out-1)*stride + k - size, 0), the odd cell after); PyTorch gets it as an explicit
F.pad (zeros for conv and average pooling, -inf for max pooling). For stride 1 the script
asserts that this equals PyTorch's own padding="same".

Usage (from the repository root; Debian's python3-torch and python3-numpy):

    /usr/bin/python3 packages/tensor/scripts/make-conv-fixtures.py

Inputs are rounded to 6 decimals (short JSON, parsed to the same float64 by both sides);
outputs are written with Python's shortest round-trip repr.
"""

import json
import math
import os

import numpy as np
import torch
import torch.nn.functional as F

torch.set_num_threads(1)
rs = np.random.RandomState(20261202)


def same_pads(size, k, s):
    out = math.ceil(size / s)
    total = max((out - 1) * s + k - size, 0)
    return total // 2, total - total // 2


def upstream(shape):
    n = int(np.prod(shape))
    i = np.arange(n)
    return torch.tensor((((37 * i) % 23) - 11) / 8.0, dtype=torch.float64).reshape(shape)


def arr(t):
    return [float(v) for v in t.detach().numpy().ravel()]


def rand(shape):
    return np.round(rs.uniform(-1, 1, size=shape), 6)


def pick(options):
    return options[rs.randint(len(options))]


def explicit_pads(padding, h, w, kh, kw, sh, sw):
    """(left, right, top, bottom) as F.pad takes them."""
    if padding == "valid":
        return (0, 0, 0, 0)
    if padding == "same":
        t, b = same_pads(h, kh, sh)
        l, r = same_pads(w, kw, sw)
        return (l, r, t, b)
    return (padding, padding, padding, padding)


def conv_case():
    n, c, o = pick([1, 2]), pick([1, 2, 3]), pick([1, 2, 3, 4])
    h, w = rs.randint(3, 10), rs.randint(3, 10)
    padding = pick(["valid", "same", 0, 1, 2])
    sh = pick([1, 1, 2, 3])
    sw = sh if rs.rand() < 0.6 else pick([1, 2, 3])
    pad = 0 if padding in ("valid", "same") else padding
    kh = rs.randint(1, min(5, h + 2 * pad) + 1)
    kw = rs.randint(1, min(5, w + 2 * pad) + 1)
    has_bias = rs.rand() < 0.7
    x = rand((n, h, w, c))
    wt = rand((o, kh, kw, c))
    b = rand((o,)) if has_bias else None

    xt = torch.tensor(x).permute(0, 3, 1, 2).contiguous().requires_grad_()
    wtt = torch.tensor(wt).permute(0, 3, 1, 2).contiguous().requires_grad_()
    bt = torch.tensor(b).requires_grad_() if has_bias else None
    l, r, t, btm = explicit_pads(padding, h, w, kh, kw, sh, sw)
    y = F.conv2d(F.pad(xt, (l, r, t, btm)), wtt, bt, stride=(sh, sw))
    if padding == "same" and sh == 1 and sw == 1:
        native = F.conv2d(xt, wtt, bt, padding="same")
        assert torch.equal(native, y), "F.pad convention differs from PyTorch's padding='same'"
    y_nhwc = y.permute(0, 2, 3, 1).contiguous()
    (y_nhwc * upstream(y_nhwc.shape)).sum().backward()
    case = {
        "x": {"shape": [n, h, w, c], "data": x.ravel().tolist()},
        "weight": {"shape": [o, kh, kw, c], "data": wt.ravel().tolist()},
        "bias": b.tolist() if has_bias else None,
        "stride": [sh, sw],
        "padding": padding,
        "y": {"shape": list(y_nhwc.shape), "data": arr(y_nhwc)},
        "dx": arr(xt.grad.permute(0, 2, 3, 1)),
        "dweight": arr(wtt.grad.permute(0, 2, 3, 1)),
        "dbias": arr(bt.grad) if has_bias else None,
    }
    return case


def pool_case(kind):
    n, c = pick([1, 2]), pick([1, 2, 3])
    h, w = rs.randint(2, 10), rs.randint(2, 10)
    kh, kw = rs.randint(1, min(4, h) + 1), rs.randint(1, min(4, w) + 1)
    stride = [kh, kw] if rs.rand() < 0.4 else [pick([1, 2, 3]), pick([1, 2, 3])]
    max_pad = min(kh, kw) // 2
    padding = pick(["valid", "same"] + list(range(0, max_pad + 1)))
    include = bool(rs.rand() < 0.5) if kind == "avg" else None
    x = rand((n, h, w, c))
    xt = torch.tensor(x).permute(0, 3, 1, 2).contiguous().requires_grad_()
    k, s = (kh, kw), tuple(stride)
    if padding == "same":
        l, r, t, b = explicit_pads("same", h, w, kh, kw, s[0], s[1])
        if kind == "max":
            y = F.max_pool2d(F.pad(xt, (l, r, t, b), value=-math.inf), k, s)
        elif include:
            y = F.avg_pool2d(F.pad(xt, (l, r, t, b)), k, s)
        else:
            sums = F.avg_pool2d(F.pad(xt, (l, r, t, b)), k, s) * (kh * kw)
            ones = F.pad(torch.ones_like(xt), (l, r, t, b))
            counts = F.avg_pool2d(ones, k, s) * (kh * kw)
            y = sums / counts
    else:
        p = 0 if padding == "valid" else padding
        if kind == "max":
            y = F.max_pool2d(xt, k, s, p)
        else:
            y = F.avg_pool2d(xt, k, s, p, count_include_pad=include)
    y_nhwc = y.permute(0, 2, 3, 1).contiguous()
    (y_nhwc * upstream(y_nhwc.shape)).sum().backward()
    case = {
        "x": {"shape": [n, h, w, c], "data": x.ravel().tolist()},
        "kernel": [kh, kw],
        "stride": stride,
        "padding": padding,
        "y": {"shape": list(y_nhwc.shape), "data": arr(y_nhwc)},
        "dx": arr(xt.grad.permute(0, 2, 3, 1)),
    }
    if kind == "avg":
        case["countIncludePad"] = include
    return case


fixture = {
    "source": "packages/tensor/scripts/make-conv-fixtures.py",
    "torch": torch.__version__,
    "numpy": np.__version__,
    "upstream": "G[i] = ((37 i) mod 23 - 11) / 8 over the output's NHWC flat index",
    "conv2d": [conv_case() for _ in range(24)],
    "maxPool2d": [pool_case("max") for _ in range(16)],
    "avgPool2d": [pool_case("avg") for _ in range(16)],
}

path = os.path.join(os.path.dirname(__file__), "..", "src", "fixtures", "conv-torch.json")
with open(path, "w") as f:
    json.dump(fixture, f, separators=(",", ":"))
    f.write("\n")
print(f"wrote {os.path.normpath(path)} ({os.path.getsize(path)} bytes)")
