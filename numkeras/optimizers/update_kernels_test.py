"""The compiled (numba) updates give the same weights as the NumPy path they stand in for."""
import numpy as np
import pytest

import numkeras
from numkeras import optimizers
from numkeras.backend import compiled_kernels
from numkeras.optimizers import update_kernels

numba = pytest.importorskip("numba", reason="numba is optional (pip install numkeras[fast]); "
                                            "the NumPy path is tested by every other optimizer test")


def run(make_optimizer, dtype, use_kernels, steps=4):
    """Weights and slots after `steps` updates of a large and a small variable."""
    compiled_kernels.set_enabled(use_kernels)
    try:
        rng = np.random.default_rng(0)
        w = numkeras.Variable(rng.standard_normal((300, 200)), dtype=dtype)  # 60,000 elements
        small = numkeras.Variable(rng.standard_normal(10), dtype=dtype)  # kernels take small ones too
        opt = make_optimizer()
        for step in range(steps):
            g = (rng.standard_normal((300, 200)) * 10.0 ** rng.integers(-30, 3, (300, 200))).astype(dtype)
            g[0, :5] = [0.0, 1e30, -1e30, np.finfo(dtype).max, np.finfo(dtype).tiny]  # zero, saturating squares
            opt.apply([g, rng.standard_normal(10).astype(dtype)], [w, small])
        slots = [v.numpy() for v in opt.variables if v.shape in ((300, 200), (10,))]
        return [w.numpy(), small.numpy()] + slots
    finally:
        compiled_kernels.set_enabled(True)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("make_optimizer", [
    lambda: optimizers.RMSprop(learning_rate=0.01),
    lambda: optimizers.Adam(learning_rate=0.01),
    lambda: optimizers.AdamW(learning_rate=0.01, weight_decay=0.1),
], ids=["rmsprop", "adam", "adamw"])
def test_compiled_updates_equal_the_numpy_path(make_optimizer, dtype):
    numpy_path = run(make_optimizer, dtype, use_kernels=False)
    kernel_path = run(make_optimizer, dtype, use_kernels=True)
    assert len(numpy_path) == len(kernel_path) > 3
    for a, b in zip(numpy_path, kernel_path):
        assert a.dtype == b.dtype == dtype
        np.testing.assert_array_equal(a, b)
        assert np.isfinite(b).all()


def rmsprop(w, g, v):
    f = w.dtype.type
    return update_kernels.rmsprop(w, g, v, f(0.9), f(0.1), f(1e-7), f(0.001))


def test_kernel_is_used_only_where_it_is_safe():
    big = np.zeros(1 << 15, "float32")
    assert rmsprop(big, big.copy(), big.copy()) is big
    assert rmsprop(big[:3], big[:3].copy(), big[:3].copy()) is not None  # small: a call still pays
    assert rmsprop(big, big.astype("float64"), big.copy()) is None  # mixed dtypes
    strided = np.zeros(2 * big.size, "float32")[::2]
    assert rmsprop(big, strided, big.copy()) is None  # a flat view would be a copy
    ints = np.zeros(big.size, "int32")
    assert update_kernels.rmsprop(ints, ints, ints, 0, 1, 1, 1) is None
    compiled_kernels.set_enabled(False)
    try:
        assert rmsprop(big, big.copy(), big.copy()) is None
    finally:
        compiled_kernels.set_enabled(True)


def test_centered_and_momentum_rmsprop_and_amsgrad_stay_on_numpy(monkeypatch):
    calls = []
    monkeypatch.setattr(update_kernels, "rmsprop", lambda *args: calls.append("rmsprop"))
    monkeypatch.setattr(update_kernels, "adam", lambda *args: calls.append("adam"))
    w = numkeras.Variable(np.ones((300, 200), "float32"))
    g = np.ones((300, 200), "float32")
    for opt in (optimizers.RMSprop(centered=True), optimizers.RMSprop(momentum=0.9),
                optimizers.Adam(amsgrad=True)):
        opt.apply([g], [w])
    assert calls == []
