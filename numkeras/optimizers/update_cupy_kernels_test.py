"""The CuPy kernels' bodies, read as array code on the CPU, against the numba family's loops (which the
optimizer tests hold bit-identical to the NumPy updates). The GPU run itself is benchmarks/gpu_check.sh."""
import re

import numpy as np
import pytest

from numkeras.optimizers import update_cupy_kernels, update_kernels


def _as_numpy(body):
    """The C body as Python over whole arrays: declarations dropped, the saturation as a minimum."""
    body = re.sub(r"//.*", "", body)
    body = re.sub(r"if \((\w+) > big\) \1 = big;", r"\1 = np.minimum(\1, big);", body)
    body = re.sub(r"\bT ", "", body).replace("sqrt(", "np.sqrt(")
    lines = [line.strip().rstrip(";") for line in body.strip().splitlines() if line.strip()]
    # `v = vi` and `m = mi` write the state in place, as the kernel's output parameters do
    return "\n".join(re.sub(r"^(w|m|v) (-?=) ", lambda k: f"{k[1]}[...] {k[2]} ", line) for line in lines)


@pytest.mark.filterwarnings("ignore:overflow encountered")  # the squares past float32's range, on purpose
@pytest.mark.parametrize("name", ["rmsprop", "adam"])
def test_the_kernel_bodies_do_the_numba_loops_float_operations(name):
    rng = np.random.default_rng(0)
    n = 257
    g = (rng.standard_normal(n) * 3).astype("float32")
    g[:2] = [1e20, -1e25]  # squares past float32's range saturate
    w, m, v = (rng.standard_normal(n).astype("float32") for _ in range(3))
    v = np.abs(v)
    big = np.finfo("float32").max.astype("float32")
    scalars = [np.float32(s) for s in (0.1, 0.001, 1e-7, 0.01)]
    loops = update_kernels._define(lambda f: f)  # the numba kernels as plain Python loops
    expected = [a.copy() for a in (w, m, v)]
    if name == "adam":
        loops["adam"](expected[0], g, expected[1], expected[2], *scalars, big)
        env = dict(zip(("one_minus_b1", "one_minus_b2", "epsilon", "alpha"), scalars))
        body = update_cupy_kernels.ADAM_BODY
    else:
        scalars = [np.float32(s) for s in (0.9, 0.1, 1e-7, 0.01)]
        loops["rmsprop"](expected[0], g, expected[2], *scalars, big)
        env = dict(zip(("rho", "one_minus_rho", "epsilon", "lr"), scalars))
        body = update_cupy_kernels.RMSPROP_BODY
    got = [a.copy() for a in (w, m, v)]
    env.update(np=np, g=g, big=big, w=got[0], m=got[1], v=got[2])
    exec(_as_numpy(body), env)
    for a, b in zip(got, expected):
        np.testing.assert_array_equal(a, b)
    assert np.isfinite(got[2]).all()
