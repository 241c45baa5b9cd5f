"""The compiled layer normalization equals `normalize`'s NumPy path bit for bit (one thread), and its
gradients match finite differences."""
import numpy as np
import pytest

from numkeras.backend import compiled_kernels
from numkeras.engine import normalization_kernels, normalization_ops, thread_pool
from numkeras.engine.gradient_check import check_gradients
from numkeras.engine.normalization_ops import normalize
from numkeras.engine.tape import GradientTape
from numkeras.engine.variable import Variable

pytest.importorskip("numba", reason="numba is optional (pip install numkeras[fast]); the NumPy path is "
                                    "what `normalize` runs without it")

RNG = np.random.default_rng(0)


def data(kind, shape, dtype, seed=0):
    rng = np.random.default_rng(seed)
    x = {"random": lambda: rng.standard_normal(shape) * 3 + 1,
         "constant": lambda: np.full(shape, 3.7),
         "large offset": lambda: 1e4 + rng.standard_normal(shape) * 1e-2,
         "zeros": lambda: np.zeros(shape),
         "tiny": lambda: rng.standard_normal(shape) * 1e-20}[kind]()
    return x.astype(dtype)


def run(x, scale, offset, g, fused, calls=None):
    """normalize over the last axis and its gradients for `g`, kernels on or off; `calls` collects which
    kernel entry points ran (and did not decline)."""
    compiled_kernels.set_enabled(fused)
    try:
        variables = [Variable(a, dtype=str(a.dtype)) for a in (x, scale, offset) if a is not None]
        it = iter(variables)
        xv, sv, ov = next(it), (None if scale is None else next(it)), (None if offset is None else next(it))
        with GradientTape() as tape:
            y, mean, variance = normalize(xv, (x.ndim - 1,), 1e-3, sv, ov)
        grads = tape.gradient(y, variables, output_gradients=g)
    finally:
        compiled_kernels.set_enabled(True)
    return [y.numpy(), mean, variance] + [gr.numpy() for gr in grads]


@pytest.fixture
def spy(monkeypatch):
    """Records each kernel entry point's call and whether it ran."""
    calls = []
    for name in ("forward", "backward"):
        real = getattr(normalization_kernels, name)

        def wrapped(*a, _real=real, _name=name, **k):
            result = _real(*a, **k)
            calls.append((_name, result is not None))
            return result
        monkeypatch.setattr(normalization_kernels, name, wrapped)
    return calls


def assert_identical(a, b):
    for p, q in zip(a, b):
        assert p.dtype == q.dtype and p.shape == q.shape
        np.testing.assert_array_equal(p, q, strict=True)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("kind", ["random", "constant", "large offset", "zeros", "tiny"])
@pytest.mark.parametrize("shape", [(4, 50, 64), (6, 2), (5, 7), (9, 8), (3, 13), (4, 100), (3, 128), (3, 129),
                                   (2, 300), (2, 1000), (2, 2, 5000)])
def test_equals_the_numpy_path_bit_for_bit_on_one_thread(shape, kind, dtype, spy, monkeypatch):
    monkeypatch.setattr(thread_pool, "configured", lambda: 1)
    x = data(kind, shape, dtype)
    n = shape[-1]
    scale, offset = RNG.uniform(0.5, 1.5, n).astype(dtype), RNG.standard_normal(n).astype(dtype)
    g = RNG.standard_normal(shape).astype(dtype)
    for s, o in ((scale, offset), (None, None), (scale, None), (None, offset)):
        spy.clear()
        fused = run(x, s, o, g, True)
        assert spy == [("forward", True), ("backward", True)]
        assert_identical(fused, run(x, s, o, g, False))


def test_parameters_shaped_for_broadcasting_get_gradients_in_their_own_shape(spy, monkeypatch):
    # LayerNormalization passes gamma and beta reshaped to (1, 1, C); the kernel hands the tape (C,) sums
    # reshaped back, which the tape's unbroadcast takes as they are
    monkeypatch.setattr(thread_pool, "configured", lambda: 1)
    x, g = RNG.standard_normal((3, 4, 16)).astype("float32"), RNG.standard_normal((3, 4, 16)).astype("float32")
    scale, offset = RNG.uniform(0.5, 1.5, (1, 1, 16)).astype("float32"), RNG.standard_normal((1, 1, 16)).astype(
        "float32")
    fused = run(x, scale, offset, g, True)
    assert spy == [("forward", True), ("backward", True)]
    assert fused[3].shape == (3, 4, 16) and fused[4].shape == fused[5].shape == (1, 1, 16)
    assert_identical(fused, run(x, scale, offset, g, False))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_on_two_threads_only_the_parameter_gradients_change_and_only_by_rounding(dtype, spy, monkeypatch):
    monkeypatch.setattr(thread_pool, "configured", lambda: 2)
    monkeypatch.setattr(thread_pool, "THREADS", max(thread_pool.THREADS, 2))
    shape = (64, 80, 64)  # above thread_pool.PARALLEL_MIN_ELEMENTS, so the rows are split
    x, g = data("random", shape, dtype), RNG.standard_normal(shape).astype(dtype)
    scale, offset = RNG.uniform(0.5, 1.5, 64).astype(dtype), RNG.standard_normal(64).astype(dtype)
    fused = run(x, scale, offset, g, True)
    assert spy == [("forward", True), ("backward", True)]
    reference = run(x, scale, offset, g, False)
    assert_identical(fused[:4], reference[:4])  # output, mean, variance, dx
    rtol = 1e-5 if dtype == "float32" else 1e-12
    for got, want in zip(fused[4:], reference[4:]):
        np.testing.assert_allclose(got, want, rtol=rtol, atol=rtol * np.abs(want).max())


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf, 3e38])
def test_rows_with_nan_inf_or_an_overflowing_variance_are_left_to_numpy(bad, spy, monkeypatch):
    # float32 squares that overflow make NumPy redo the variance in float64: the kernel declines instead
    monkeypatch.setattr(thread_pool, "configured", lambda: 1)
    x, g = RNG.standard_normal((5, 32)).astype("float32"), RNG.standard_normal((5, 32)).astype("float32")
    x[2, 3] = bad
    with np.errstate(invalid="ignore", over="ignore"):
        fused, reference = run(x, None, None, g, True), run(x, None, None, g, False)
    assert spy[0] == ("forward", False)
    assert_identical(fused, reference)
    assert np.isfinite(fused[0][[0, 1, 3, 4]]).all()


def test_float64_nan_rows_stay_nan_in_their_row_only(monkeypatch):
    monkeypatch.setattr(thread_pool, "configured", lambda: 1)
    x = RNG.standard_normal((4, 16))
    x[1, 0] = np.nan
    g = RNG.standard_normal((4, 16))
    with np.errstate(invalid="ignore"):
        fused, reference = run(x, None, None, g, True), run(x, None, None, g, False)
    assert_identical(fused, reference)
    assert np.isnan(fused[0][1]).all() and np.isfinite(fused[0][[0, 2, 3]]).all()


@pytest.mark.parametrize("shape", [(3, 4, 16), (5, 9), (2, 130)])
def test_gradients_through_the_kernels_match_finite_differences(shape, spy):
    x = RNG.normal(2.0, 3.0, shape)
    n = shape[-1]
    check_gradients(lambda a, s, o: normalize(a, (len(shape) - 1,), 1e-3, s, o)[0], x, RNG.uniform(0.5, 1.5, n),
                    RNG.normal(size=n))
    check_gradients(lambda a: normalize(a, (len(shape) - 1,), 1e-3)[0], x)
    assert ("backward", True) in spy and ("forward", True) in spy


def test_a_gradient_in_another_layout_is_taken(spy, monkeypatch):
    # a pooling layer's gradient arrives broadcast over the sequence (stride 0): copied, then the kernel runs
    monkeypatch.setattr(thread_pool, "configured", lambda: 1)
    x = RNG.standard_normal((4, 6, 24)).astype("float32")
    scale = RNG.uniform(0.5, 1.5, 24).astype("float32")
    for g in (np.broadcast_to(RNG.standard_normal((4, 1, 24)).astype("float32"), x.shape),
              np.asfortranarray(RNG.standard_normal(x.shape).astype("float32"))):
        spy.clear()
        fused = run(x, scale, None, g, True)
        assert spy == [("forward", True), ("backward", True)]
        assert_identical(fused, run(x, scale, None, g, False))


def test_the_numpy_backward_takes_over_when_the_kernel_declines_the_gradient(monkeypatch):
    # the forward ran compiled, the backward declines: NumPy recomputes xhat with the forward's operations
    monkeypatch.setattr(thread_pool, "configured", lambda: 1)
    x, g = RNG.standard_normal((6, 24)).astype("float32"), RNG.standard_normal((6, 24)).astype("float32")
    scale, offset = RNG.uniform(0.5, 1.5, 24).astype("float32"), RNG.standard_normal(24).astype("float32")
    reference = run(x, scale, offset, g, False)
    monkeypatch.setattr(normalization_kernels, "backward", lambda *a, **k: None)
    assert_identical(run(x, scale, offset, g, True), reference)


def test_declines_what_it_does_not_take():
    x = RNG.standard_normal((4, 8)).astype("float32")
    c = np.ones(8, "float32")
    assert normalization_kernels.forward(x, 1e-3, c, c) is not None
    assert normalization_kernels.forward(x[:, :1].copy(), 1e-3, None, None) is None  # one column
    assert normalization_kernels.forward(x.T, 1e-3, None, None) is None  # not C-contiguous
    assert normalization_kernels.forward(x, 1e-3, c.astype("float64"), None) is None  # mixed dtypes
    assert normalization_kernels.forward(x, 1e-3, np.ones((4, 8), "float32"), None) is None  # a scale per element
    assert normalization_kernels.forward(x.astype("int32"), 1e-3, None, None) is None
    assert normalization_kernels.forward(x, np.float64(1e-3), None, None) is None  # NumPy promotes: float64 inv
    mean, inv = np.zeros((4, 1), "float32"), np.ones((4, 1), "float32")
    assert normalization_kernels.backward(x, x, mean, inv, c, True, True, True) is not None
    assert normalization_kernels.backward(x.astype("float64"), x, mean, inv, c, True, True, True) is None
    compiled_kernels.set_enabled(False)
    try:
        assert normalization_kernels.forward(x, 1e-3, c, c) is None
    finally:
        compiled_kernels.set_enabled(True)
    # statistics over other axes than the last one stay with NumPy
    assert normalization_ops._fused_forward(x, (0,), 1e-3, None, None) is None
