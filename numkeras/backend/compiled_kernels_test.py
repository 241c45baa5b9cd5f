"""The switch for the compiled kernels, and the fallback when numba is broken."""
import importlib.util
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


def _relu_family():
    from numkeras.engine import nn_ops, relu_kernels
    rng = np.random.default_rng(0)
    y, bias = rng.standard_normal((relu_kernels.MIN_SIZE // 16, 16)).astype("float32"), rng.standard_normal(16)
    bias = bias.astype("float32")
    g = rng.standard_normal(y.shape).astype("float32")

    def entry():
        return [relu_kernels.add_bias_relu(y.copy(), bias), relu_kernels.relu_gradient(g, y)]

    def op():
        out = y.copy()
        nn_ops.add_bias_relu(out, bias)
        return [out, nn_ops.relu_gradient(g, out)]
    return entry, op


def _pool_family():
    from numkeras import GradientTape, Variable
    from numkeras.engine import pool_kernels, pool_ops
    x = np.random.default_rng(1).standard_normal((2, 9, 8, 4)).astype("float32")

    tiled = np.ascontiguousarray(x[:, :8])
    out = tiled.reshape(2, 4, 2, 4, 2, 4).max(axis=(2, 4))

    def entry():
        return [pool_kernels.max_2d(x, (2, 2)), pool_kernels.max_grad_2d(tiled, out, np.ones_like(out), (2, 2))]

    def op():
        v = Variable(x)
        with GradientTape() as tape:
            y = pool_ops.max_pool(v, (2, 2), padding="same")
        return [y.numpy(), tape.gradient(y, v, output_gradients=np.ones(y.shape, "float32") * 3).numpy()]
    return entry, op


def _conv_family(monkeypatch):
    from numkeras import GradientTape, Variable
    from numkeras.engine import conv_kernels, conv_ops
    rng = np.random.default_rng(2)
    x, w = rng.standard_normal((3, 9, 8, 8)).astype("float32"), rng.standard_normal((3, 3, 8, 4)).astype("float32")
    monkeypatch.setattr(conv_ops, "TAP_MAJOR_CHANNELS", 10**9)  # NumPy's col2im from the kernel's layout

    def entry():
        dst = np.zeros((1, 2, 2, 2, 2, 8), "float32")
        return [conv_kernels.im2col_2d(np.ascontiguousarray(x[:1, :3, :3]), dst, (1, 1), (1, 1)),
                conv_kernels.col2im_2d(dst.copy(), np.zeros((1, 3, 3, 8), "float32"), (1, 1), (1, 1))]

    def op():
        v, k = Variable(x), Variable(w)
        with GradientTape() as tape:
            y = conv_ops.conv(v, k, 2, "same", bias=np.ones(4, "float32"), relu=True)
        return [y.numpy()] + [t.numpy() for t in tape.gradient(y, [v, k], output_gradients=y.numpy())]
    return entry, op


def _optimizer_family():
    from numkeras import Variable
    from numkeras.optimizers import update_kernels
    rng = np.random.default_rng(3)
    w0, grads = rng.standard_normal((50, 40)).astype("float32"), rng.standard_normal((3, 50, 40)).astype("float32")
    f = np.float32

    def entry():
        w, g, m, v = w0.copy(), grads[0], np.zeros_like(w0), np.zeros_like(w0)
        return [update_kernels.rmsprop(w, g, v, f(0.9), f(0.1), f(1e-7), f(0.01)),
                update_kernels.adam(w, g, m, v, f(0.1), f(0.001), f(1e-7), f(0.01))]

    def op():
        out = []
        for opt in (optimizers.RMSprop(), optimizers.Adam()):
            w = Variable(w0)
            for g in grads:
                opt.apply([g], [w])
            out.append(w.numpy())
        return out
    return entry, op


def _normalization_family():
    from numkeras import GradientTape, Variable
    from numkeras.engine import normalization_kernels, normalization_ops
    rng = np.random.default_rng(4)
    x, g = rng.standard_normal((6, 5, 32)).astype("float32"), rng.standard_normal((6, 5, 32)).astype("float32")
    scale, offset = rng.uniform(0.5, 1.5, 32).astype("float32"), rng.standard_normal(32).astype("float32")

    def entry():
        forward = normalization_kernels.forward(x, 1e-3, scale, offset)
        return [forward, None if forward is None else normalization_kernels.backward(
            g, x, forward[1], forward[3], scale, True, True, True)]

    def op():  # small enough to stay on one thread: bit for bit
        v, s, o = Variable(x), Variable(scale), Variable(offset)
        with GradientTape() as tape:
            y = normalization_ops.normalize(v, (2,), 1e-3, s, o)[0]
        return [y.numpy()] + [t.numpy() for t in tape.gradient(y, [v, s, o], output_gradients=g)]
    return entry, op


@pytest.mark.parametrize("family", ["relu", "pool", "conv", "optimizer", "normalization"])
def test_each_family_declines_without_its_kernels_and_its_numpy_path_agrees(family, monkeypatch):
    """The contract: on, every entry point takes these arrays; off (NUMKERAS_FUSED=0) or with numba absent,
    every one returns None, and the op's NumPy path gives the kernel path's results bit for bit."""
    pytest.importorskip("numba", reason="numba is optional (pip install numkeras[fast])")
    entry, op = {"relu": _relu_family, "pool": _pool_family, "optimizer": _optimizer_family,
                 "conv": lambda: _conv_family(monkeypatch), "normalization": _normalization_family}[family]()
    assert all(result is not None for result in entry())
    with_kernels = op()
    results = {}
    for how in ("off", "absent"):
        with monkeypatch.context() as m:
            if how == "off":
                m.setitem(compiled_kernels._state, "enabled", False)
            else:  # as if numba were not installed
                real_find_spec = importlib.util.find_spec
                m.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "numba" else
                          real_find_spec(name, *a))
                m.setitem(compiled_kernels._state, "enabled", None)
            assert all(result is None for result in entry())
            results[how] = op()
    for a, b, c in zip(with_kernels, results["off"], results["absent"]):
        np.testing.assert_array_equal(a, b)
        np.testing.assert_array_equal(b, c)


def test_float16_goes_to_numpy():
    """numba compiles no float16 loop: mixed precision's float16 arrays take the NumPy path, every family."""
    from numkeras.engine import attention_kernels, gather_kernels, normalization_kernels
    half = np.ones((4, 8), "float16")
    assert not compiled_kernels.takes(half) and compiled_kernels.takes(half.astype("float32")) == \
        compiled_kernels.is_enabled()
    assert attention_kernels.normalize_rows(half.copy()) is None
    assert attention_kernels.softmax_gradient_rows(half.copy(), half.copy()) is None
    assert normalization_kernels.forward(half, 1e-3, None, None) is None
    assert gather_kernels.scatter_add_rows(np.zeros(4, "int64"), half, 1) is None
