"""Writes src/fixtures/libm-mpmath.json: correctly rounded exp, tanh, log, log1p, sin and cos.

Each value is mpmath's (Debian's python3-mpmath) at 320 bits, rounded to the nearest double:
the exact reference for Hone's `libm`. The arguments are drawn with numpy.random.RandomState
(20261204) over the ranges each function is used on, log-uniform magnitudes down to tiny ones,
the edges of the fast paths, over- and underflow, and subnormals. Doubles are written with
Python's repr (exact round trip). Run: /usr/bin/python3 packages/tensor/scripts/make-libm-fixtures.py
"""
import json, math, os
import numpy as np
import mpmath

mpmath.mp.prec = 320
rs = np.random.RandomState(20261204)


def loguniform(n, lo, hi, signed=True):
    v = np.exp(rs.uniform(math.log(lo), math.log(hi), n))
    if signed:
        v *= rs.choice([-1.0, 1.0], n)
    return list(v)


def cases(name):
    if name == "exp":
        xs = list(rs.uniform(-20, 20, 1200)) + loguniform(400, 1e-300, 700) + list(rs.uniform(-745.2, 709.78, 200))
        xs += [0.0, 1.0, -1.0, 1e-17, -1e-17, 5.551115123125783e-17, 708.0, -708.0, 708.5, 709.78, 709.7827128933840,
               -744.44, -745.1, -745.13321910194122, -745.2, 7.09782712893383973096e2, 0.5, math.log(2)]
    elif name == "tanh":
        xs = list(rs.uniform(-5, 5, 1000)) + loguniform(600, 1e-12, 25) + list(rs.uniform(0.0013, 0.0041, 200))
        xs += [0.0, 1e-9, -1e-9, 7.450580596923828e-9, 0.00135, 0.5, 1.0, -1.0, 19.0, 19.1, -19.1, 19.2, 30.0, 1e300]
    elif name == "log":
        xs = loguniform(1000, 1e-308, 1e308, False) + list(rs.uniform(0.5, 2, 600)) + list(1 + rs.uniform(-1e-6, 1e-6, 200))
        xs += [1.0, 2.0, 0.5, 5e-324, 2.2250738585072014e-308, 1.7976931348623157e308, 0.6658325886005955, math.e,
               1 + 2.0 ** -52, 1 - 2.0 ** -53, 0.75, 1.5]
    elif name == "log1p":
        xs = loguniform(800, 1e-300, 1e300) + list(rs.uniform(-0.999, 3, 600)) + loguniform(400, 1e-18, 0.01)
        xs = [x for x in xs if x > -1]
        xs += [0.0, 1e-16, -1e-16, 1.1102230246251565e-16, 0.00390625, -0.00390625, 0.0039, -0.0039, -0.5, -0.9999999,
               1.0, 2.0 ** 53, 1.7976931348623157e308]
    else:
        xs = list(rs.uniform(-10, 10, 1200)) + loguniform(400, 1e-12, 65536) + loguniform(200, 65536, 1e300)
        xs += [0.0, 1e-9, -1e-9, 7.450580596923828e-9, math.pi, math.pi / 2, -math.pi / 2, math.pi / 4, 2 * math.pi,
               65535.99, 65536.0, 1e22, 5.319372648326541e255, 1.7976931348623157e308, 6381956970095103.0 * 2.0 ** 797]
    return [float(x) for x in xs]


fns = {"exp": mpmath.exp, "tanh": mpmath.tanh, "log": mpmath.log, "log1p": mpmath.log1p, "sin": mpmath.sin, "cos": mpmath.cos}
out = {}
for name, f in fns.items():
    rows = []
    for x in cases(name):
        y = f(mpmath.mpf(x))
        rows.append([repr(x), repr(float(y))])
    out[name] = rows
path = os.path.join(os.path.dirname(__file__), "..", "src", "fixtures", "libm-mpmath.json")
with open(path, "w") as fh:
    json.dump({"source": "mpmath " + mpmath.__version__ + " at 320 bits, rounded to nearest double", **out}, fh)
print({k: len(v) for k, v in out.items()})
