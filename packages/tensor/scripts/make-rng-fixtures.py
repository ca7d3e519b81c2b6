"""Generate packages/tensor/src/fixtures/numpy-legacy.json.

The fixture pins @hone/tensor's `Rng` to numpy's legacy `np.random.RandomState`
(MT19937 + the legacy distributions), bit for bit. The legacy streams are frozen:
numpy 1.x and 2.x produce the same values.

Usage (from the repository root):

    python3 packages/tensor/scripts/make-rng-fixtures.py

Every float is written with Python's shortest round-trip repr, so JSON.parse gives
back the exact float64. Large streams are stored as the SHA-256 of their float64
little-endian bytes (`digest`), which the test recomputes with node:crypto.
"""

import hashlib
import json
import math
import os

import mpmath
import numpy as np
from numpy.random import RandomState

mpmath.mp.prec = 300


def digest(values):
    """SHA-256 of the values as little-endian float64 (exact for integers < 2**53)."""
    return hashlib.sha256(np.ascontiguousarray(values, dtype="<f8").tobytes()).hexdigest()


def raw32(rs, n):
    """n raw MT19937 outputs (next_uint32), as Python ints."""
    return [int(v) for v in rs._bit_generator.random_raw(n)]


def log_correctly_rounded(x):
    return mpmath.libmp.to_float(mpmath.log(mpmath.mpf(x))._mpf_, rnd="n")


def polar_randn(seed, n, log):
    """numpy's legacy_gauss replayed in Python with a chosen log (doubles throughout)."""
    rs = RandomState(seed)
    out = []
    while len(out) < n:
        while True:
            x1 = 2.0 * rs.random_sample() - 1.0
            x2 = 2.0 * rs.random_sample() - 1.0
            r2 = x1 * x1 + x2 * x2
            if not (r2 >= 1.0 or r2 == 0.0):
                break
        f = math.sqrt(-2.0 * log(r2) / r2)
        out.append(f * x2)
        out.append(f * x1)
    return out[:n]


def randn_stream(seed, n):
    """Digest of numpy's randn(n), plus where it differs from the correctly rounded log.

    numpy calls the C library's log (glibc here), which is correctly rounded except in rare
    near-halfway cases; Rng uses a correctly rounded log, so it reproduces numpy everywhere
    except at those indices, which are listed with both values.
    """
    ref = RandomState(seed).randn(n)
    assert polar_randn(seed, n, math.log) == ref.tolist(), "numpy does not use this libm's log"
    cr = polar_randn(seed, n, log_correctly_rounded)
    diffs = [
        {"index": i, "numpy": float(a), "correctly_rounded": b}
        for i, (a, b) in enumerate(zip(ref.tolist(), cr))
        if a != b
    ]
    return {"seed": seed, "n": n, "digest": digest(ref), "libm_misrounded": diffs}


def floats(a):
    return [float(v) for v in np.asarray(a).ravel()]


def ints(a):
    return [int(v) for v in np.asarray(a).ravel()]


out = {
    "note": "numpy legacy RandomState outputs; regenerate with packages/tensor/scripts/make-rng-fixtures.py",
    "numpy_version": np.__version__,
}

# --- seeding -----------------------------------------------------------------
out["uint32"] = []
for seed in [0, 1, 5489, 2**31, 2**32 - 1]:
    rs = RandomState(seed)
    out["uint32"].append({"seed": seed, "values": raw32(rs, 8)})

out["seed_by_array"] = []
for key in [[0], [1, 2, 3], [2**32 - 1, 0, 123456789, 42], list(range(700))]:
    # A Python list, like Rng's array seeds (numpy squeezes a 1-element *ndarray* to an int).
    rs = RandomState(key)
    out["seed_by_array"].append({"key": key, "random_sample": floats(rs.random_sample(5))})

# --- split(): child = RandomState(4 raw uint32 drawn from the parent) ----------
rs = RandomState(42)
children = []
for _ in range(3):
    key = raw32(rs, 4)
    child = RandomState(key)
    children.append({"key": key, "random_sample": floats(child.random_sample(4))})
out["split_seed42"] = {"children": children, "parent_after": floats(rs.random_sample(2))}

# --- uniform -----------------------------------------------------------------
out["uniform"] = []
for seed, low, high, size in [(0, -1.0, 2.0, 10), (1, 0.0, 1.0, 5), (2, 5.0, -3.0, 5), (3, -1e300, 1e300, 5), (4, 0.1, 0.7, 8)]:
    rs = RandomState(seed)
    values = floats(rs.uniform(low, high, size))
    out["uniform"].append({"seed": seed, "low": low, "high": high, "values": values, "after": float(rs.random_sample())})

# --- randint (default dtype int64, masked rejection) --------------------------
out["randint"] = []
for seed, low, high, size in [
    (0, 0, 10, 20),
    (1, -5, 5, 20),
    (2, 0, 1, 5),  # rng == 0: no draws
    (3, 0, 2**32, 10),  # rng == 0xFFFFFFFF: raw next_uint32
    (4, 0, 2**32 - 1, 10),
    (5, 0, 2**32 + 1, 10),  # 64-bit masked path
    (6, -(2**52), 2**52, 10),  # rng == 2**53 - 1
    (7, 10**12, 10**12 + 7, 10),
    (8, 0, 3, 20),
    (9, 0, 2**31 + 1, 10),
    (10, -(2**40), 3, 10),
]:
    rs = RandomState(seed)
    values = ints(rs.randint(low, high, size))
    out["randint"].append({"seed": seed, "low": low, "high": high, "values": values, "after": float(rs.random_sample())})

# --- permutation / shuffle ---------------------------------------------------
out["permutation"] = []
for seed, n in [(0, 0), (0, 1), (1, 2), (2, 10), (3, 1000)]:
    rs = RandomState(seed)
    values = ints(rs.permutation(n))
    out["permutation"].append({"seed": seed, "n": n, "values": values, "after": float(rs.random_sample())})

rs = RandomState(21)
items = ["a", "b", "c", "d", "e", "f", "g"]
rs.shuffle(items)
out["shuffle_list_seed21"] = {"input": ["a", "b", "c", "d", "e", "f", "g"], "values": items, "after": float(rs.random_sample())}

# --- choice ------------------------------------------------------------------
out["choice"] = []
for seed, n, size, replace, p in [
    (0, 10, 20, True, None),
    (1, 5, 30, True, [0.1, 0.2, 0.3, 0.15, 0.25]),
    (2, 10, 30, True, [0.1] * 10),  # sums to 0.9999999999999999: cdf is renormalised
    (7, 3, 20, True, [0.0, 0.5, 0.5]),
    (3, 10, 4, False, None),
    (4, 6, 4, False, [0.05, 0.4, 0.05, 0.2, 0.2, 0.1]),
    (5, 4, 4, False, [0.7, 0.1, 0.1, 0.1]),  # needs several rejection rounds
    (6, 100, 50, False, [float(v) for v in np.arange(1, 101) / 5050.0]),
    (8, 5, 3, False, [0.0, 0.5, 0.0, 0.25, 0.25]),
    (9, 1, 3, True, None),
]:
    rs = RandomState(seed)
    values = ints(rs.choice(n, size, replace=replace, p=p))
    out["choice"].append({"seed": seed, "n": n, "size": size, "replace": replace, "p": p, "values": values, "after": float(rs.random_sample())})

# --- binomial (legacy_random_binomial: inversion if n*p' <= 30 else BTPE) -----
out["binomial"] = []
for seed, n, p, size in [
    (0, 10, 0.5, 50),
    (1, 1, 0.5, 20),
    (2, 20, 0.7, 50),  # p > 0.5, inversion on q
    (3, 100, 0.3, 50),  # 100 * 0.3 = 30.000000000000004 > 30: BTPE
    (4, 60, 0.5, 50),  # n * p == 30: inversion
    (5, 61, 0.5, 50),  # BTPE
    (6, 1000, 0.9, 50),  # p > 0.5, BTPE on q
    (7, 100000, 0.5, 50),
    (8, 1000000, 0.001, 50),
    (9, 5, 0.0, 5),  # still consumes one double per draw
    (10, 5, 1.0, 5),
    (11, 0, 0.5, 5),
    (12, 3000, 0.01, 50),
    (13, 2**40, 0.25, 20),
]:
    rs = RandomState(seed)
    values = ints(rs.binomial(n, p, size))
    out["binomial"].append({"seed": seed, "n": n, "p": p, "values": values, "after": float(rs.random_sample())})

rs = RandomState(11)
seq = []
for i in range(40):
    n, p = [(10, 0.5), (100, 0.4), (7, 0.9), (100, 0.4)][i % 4]
    seq.append({"n": n, "p": p, "value": int(rs.binomial(n, p))})
out["binomial_interleaved_seed11"] = {"calls": seq, "after": float(rs.random_sample())}

# --- state with a cached gaussian -----------------------------------------------
rs = RandomState(5)
rs.randn(3)
st = rs.get_state(legacy=False)
out["state_seed5_after_randn3"] = {
    "key_head": [int(v) for v in st["state"]["key"][:8]],
    "key_tail": [int(v) for v in st["state"]["key"][-8:]],
    "pos": int(st["state"]["pos"]),
    "has_gauss": int(st["has_gauss"]),
    "gauss": float(st["gauss"]),
    "next_randn": floats(rs.randn(3)),
}

# --- large streams, as digests ----------------------------------------------
out["randn_streams"] = [randn_stream(0, 200000), randn_stream(12345, 100000)]

big = {}
rs = RandomState(1)
big["rand_seed1_200000"] = digest(rs.random_sample(200000))
rs = RandomState(7)
big["permutation_seed7_100000"] = digest(rs.permutation(100000))
rs = RandomState(8)
big["randint_seed8_0_1000_100000"] = digest(rs.randint(0, 1000, 100000))
rs = RandomState(0)
big["binomial_seed0_100000_0.5_50000"] = digest(rs.binomial(100000, 0.5, 50000))
rs = RandomState(1)
big["binomial_seed1_500_0.3_50000"] = digest(rs.binomial(500, 0.3, 50000))
rs = RandomState(2)
big["binomial_seed2_40_0.2_50000"] = digest(rs.binomial(40, 0.2, 50000))
rs = RandomState(3)
big["binomial_seed3_200_0.85_50000"] = digest(rs.binomial(200, 0.85, 50000))
rs = RandomState(4)
big["choice_seed4_50_p_100000"] = digest(rs.choice(50, 100000, p=np.arange(1, 51) / 1275.0))
out["digests"] = big

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "fixtures", "numpy-legacy.json")
os.makedirs(os.path.dirname(path), exist_ok=True)
with open(path, "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
print("wrote", os.path.normpath(path))
