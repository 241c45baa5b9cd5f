"""The switch for the compiled kernels, and the fallback when numba is broken."""
import sys

import numpy as np
import pytest

from numkeras import optimizers
from numkeras.backend import compiled_kernels


def test_env_variable_turns_the_kernels_off(monkeypatch):
    monkeypatch.setitem(compiled_kernels._state, "enabled", None)
    monkeypatch.setenv("NUMKERAS_FUSED", "0")
    assert compiled_kernels.is_enabled() is False


def test_a_broken_numba_falls_back_to_numpy_with_a_warning(monkeypatch):
    monkeypatch.setitem(compiled_kernels._state, "enabled", True)
    monkeypatch.setattr(compiled_kernels, "_compiled", {})
    monkeypatch.setitem(sys.modules, "numba", None)  # makes `import numba` raise ImportError
    w = np.ones((300, 200), "float32")
    opt = optimizers.RMSprop()
    with pytest.warns(RuntimeWarning, match="numba is installed but cannot be imported"):
        import numkeras
        variable = numkeras.Variable(w)
        opt.apply([np.ones_like(w)], [variable])
    assert compiled_kernels.is_enabled() is False
    np.testing.assert_allclose(variable.numpy(), 1 - 0.001 / np.sqrt(0.1 + 1e-7), rtol=1e-6)  # NumPy's step


def test_the_book_convnet_trains_the_same_weights_with_and_without_the_kernels():
    """Every kernel (relu, im2col, col2im, max pooling, RMSprop) on its real shapes, end to end.

    The compiled col2im reads the window gradients of one matmul where NumPy's adds use one matmul per
    kernel tap; OpenBLAS computes each dot product alike in both, so the weights agree bit for bit.
    """
    pytest.importorskip("numba", reason="numba is optional (pip install numkeras[fast])")
    from numkeras import layers, models, utils
    rng = np.random.default_rng(0)
    x, y = rng.random((64, 28, 28, 1), dtype="float32"), rng.integers(0, 10, 64)
    weights = []
    for enabled in (True, False):
        compiled_kernels.set_enabled(enabled)
        try:
            utils.set_random_seed(1)
            model = models.Sequential([
                layers.Input((28, 28, 1)), layers.Conv2D(32, 3, activation="relu"), layers.MaxPooling2D(2),
                layers.Conv2D(64, 3, activation="relu"), layers.MaxPooling2D(2),
                layers.Conv2D(64, 3, activation="relu"),
                layers.Flatten(), layers.Dense(64, activation="relu"), layers.Dense(10, activation="softmax")])
            model.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy")
            model.fit(x, y, batch_size=32, epochs=2, verbose=0, shuffle=False)
            weights.append(model.get_weights())
        finally:
            compiled_kernels.set_enabled(True)
    for with_kernels, numpy_only in zip(*weights):
        np.testing.assert_array_equal(with_kernels, numpy_only)


def test_kernels_compile_without_a_disk_cache_where_none_is_writable(monkeypatch):
    numba = pytest.importorskip("numba", reason="numba is optional (pip install numkeras[fast])")
    real_njit = numba.njit

    def njit_without_cache(**options):
        if options.get("cache"):  # what numba raises when no cache locator can write anywhere
            def decorate(fn):
                raise RuntimeError(f"cannot cache function {fn.__name__!r}: no locator available")
            return decorate
        return real_njit(**options)
    monkeypatch.setattr(numba, "njit", njit_without_cache)
    monkeypatch.setattr(compiled_kernels, "_compiled", {})
    from numkeras.engine import relu_kernels
    g, y = np.ones(relu_kernels.MIN_SIZE, "float32"), np.arange(relu_kernels.MIN_SIZE, dtype="float32") - 5
    np.testing.assert_array_equal(relu_kernels.relu_gradient(g, y), y > 0)
    assert compiled_kernels._compiled  # compiled, just not cached
