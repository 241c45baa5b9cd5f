"""normalize: values vs the NumPy formula, fused gradients vs finite differences, float32 stability."""
import numpy as np
import pytest

from numkeras.backend import blas_threads, compiled_kernels
from numkeras.engine import normalization_ops, thread_pool
from numkeras.engine.gradient_check import check_float32, check_gradients
from numkeras.engine.normalization_ops import moments, normalize
from numkeras.engine.tape import GradientTape
from numkeras.engine.tensor import Tensor
from numkeras.engine.variable import Variable

RNG = np.random.default_rng(0)


def reference(x, axes, epsilon, scale=None, offset=None):
    mean = x.mean(axis=axes, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=axes, keepdims=True)
    y = (x - mean) / np.sqrt(var + epsilon)
    return y * (1 if scale is None else scale) + (0 if offset is None else offset)


def param_shape(shape, axes):
    return tuple(1 if i in axes else n for i, n in enumerate(shape))


# (input shape, reduction axes): batch norm (all but channels), layer norm (last axes), odd mixes
CASES = [((6, 3), (0,)), ((4, 5, 3), (0, 1)), ((3, 2, 4, 2), (0, 2, 3)), ((3, 4, 5), (1, 2)), ((5, 4), (1,)),
         ((2, 3, 2, 4), (0, 1, 2))]


@pytest.mark.parametrize("shape,axes", CASES)
def test_batch_statistics_values_and_fused_gradient(shape, axes):
    x = RNG.normal(2.0, 3.0, shape)
    p = param_shape(shape, axes)
    gamma, beta = RNG.uniform(0.5, 1.5, p), RNG.normal(size=p)
    y, mean, var = normalize(x, axes, 1e-3, gamma, beta)
    np.testing.assert_allclose(y.numpy(), reference(x, axes, 1e-3, gamma, beta), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(mean, x.mean(axis=axes, keepdims=True), rtol=1e-12)
    np.testing.assert_allclose(var, x.var(axis=axes, keepdims=True), rtol=1e-12)
    check_gradients(lambda a, g, b: normalize(a, axes, 1e-3, g, b)[0], x, gamma, beta)


@pytest.mark.parametrize("shape,axes", CASES[:3])
def test_without_scale_or_offset(shape, axes):
    x = RNG.normal(size=shape)
    check_gradients(lambda a: normalize(a, axes, 1e-3)[0], x)
    p = param_shape(shape, axes)
    check_gradients(lambda a, g: normalize(a, axes, 1e-3, scale=g)[0], x, RNG.uniform(0.5, 1.5, p))
    check_gradients(lambda a, b: normalize(a, axes, 1e-3, offset=b)[0], x, RNG.normal(size=p))


def test_parameters_broadcast_from_a_smaller_shape():
    # layer norm over (1, 2): gamma has the normalized axes' shape and is shared over the batch
    x = RNG.normal(size=(3, 4, 5))
    gamma, beta = RNG.uniform(0.5, 1.5, (4, 5)), RNG.normal(size=(4, 5))
    check_gradients(lambda a, g, b: normalize(a, (1, 2), 1e-3, g, b)[0], x, gamma, beta)


def test_given_statistics_are_constants():
    x = RNG.normal(size=(5, 3))
    mean, var = RNG.normal(size=(1, 3)), RNG.uniform(0.5, 2.0, (1, 3))
    gamma, beta = RNG.uniform(0.5, 1.5, (3,)), RNG.normal(size=(3,))
    y, m, v = normalize(x, (0,), 1e-3, gamma, beta, mean=mean, variance=var)
    np.testing.assert_allclose(y.numpy(), (x - mean) / np.sqrt(var + 1e-3) * gamma + beta, rtol=1e-12)
    assert m is mean and v is var
    grads = check_gradients(lambda a, g, b: normalize(a, (0,), 1e-3, g, b, mean=mean, variance=var)[0],
                            x, gamma, beta)
    w = np.random.default_rng(0).standard_normal(x.shape)  # check_gradients' cotangent
    np.testing.assert_allclose(grads[0], w * gamma / np.sqrt(var + 1e-3), rtol=1e-10)


def test_moments_two_pass():
    x = RNG.normal(size=(4, 6))
    mean, var = moments(x, (0,))
    np.testing.assert_allclose(mean, x.mean(0, keepdims=True))
    np.testing.assert_allclose(var, x.var(0, keepdims=True))


def test_float32_in_float32_out():
    x = RNG.normal(size=(8, 3)).astype("float32")
    g, b = np.ones(3, "float32"), np.zeros(3, "float32")
    out = check_float32(lambda a, s, o: normalize(a, (0,), 1e-3, s, o)[0], x, g, b)
    _, mean, var = normalize(x, (0,), 1e-3, g, b)
    assert out.dtype == "float32" and mean.dtype == np.float32 and var.dtype == np.float32


def test_float32_is_stable_far_from_zero():
    # E[x^2] - E[x]^2 loses every digit here in float32; two passes keep them. The mean itself is
    # stored in float32, whose spacing at 1e4 is ~1e-3: that bounds the output error.
    x64 = 1e4 + RNG.normal(size=(256, 4))
    x = x64.astype("float32")
    y, _, var = normalize(x, (0,), 1e-3)
    np.testing.assert_allclose(var.ravel(), x.astype("float64").var(0), rtol=1e-4)
    np.testing.assert_allclose(y.numpy(), reference(x.astype("float64"), (0,), 1e-3), atol=1e-3)
    # float32 gradient matches the float64 one
    w = RNG.normal(size=x.shape)
    grads = []
    for dtype in ("float32", "float64"):
        v = Variable(x, dtype=dtype)
        with GradientTape() as tape:
            out = normalize(v, (0,), 1e-3)[0]
        grads.append(tape.gradient(out, v, output_gradients=w.astype(dtype)).numpy())
    assert grads[0].dtype == np.float32
    # x itself is only known to float32's spacing at 1e4 (~1e-3), so compare relative to the whole gradient
    assert np.linalg.norm(grads[0] - grads[1]) < 1e-3 * np.linalg.norm(grads[1])


def test_no_gradient_work_for_inputs_that_need_none():
    gamma = Variable(np.ones(3))
    with GradientTape() as tape:
        out = normalize(np.ones((4, 3)) * np.arange(4)[:, None], (0,), 1e-3, scale=gamma)[0]
    assert tape.gradient(out, gamma).shape == (3,)


def _by_rows(monkeypatch, threads):
    """Slices of the first axis on `threads` pool threads, whatever the size."""
    monkeypatch.setattr(thread_pool, "THREADS", threads)
    monkeypatch.setattr(thread_pool, "PARALLEL_MIN_ELEMENTS", 0)
    monkeypatch.setattr(blas_threads, "threads", lambda: 8)


def _values_and_gradients(x, axes, scale, offset, g):
    tensors = [Tensor(a) for a in (x, scale, offset) if a is not None]
    with GradientTape() as tape:
        tape.watch(tensors)
        y, mean, variance = normalize(*_call_args(tensors, axes, None if scale is None else 1,
                                                  None if offset is None else 1))
    return [y.numpy(), mean, variance] + [d.numpy() for d in tape.gradient(y, tensors, output_gradients=g)]


# layer norm over the last axis with Keras's (1, 1, C) and plain (C,) parameters, group-norm-like axes, no parameters
ROW_CASES = [((5, 7, 6), (2,), (1, 1, 6), (1, 1, 6)), ((4, 3, 10), (2,), (10,), (10,)),
             ((3, 4, 2, 5), (1, 3), (1, 1, 1, 5), None), ((6, 9), (1,), None, None), ((5, 3, 4), (1, 2), (5, 1, 1), None)]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("shape,axes,scale_shape,offset_shape", ROW_CASES)
def test_rows_on_threads_give_the_one_thread_numbers_bit_for_bit(monkeypatch, dtype, shape, axes, scale_shape,
                                                                  offset_shape):
    rng = np.random.default_rng(3)
    x = (rng.standard_normal(shape) * 3 + 2).astype(dtype)
    scale = None if scale_shape is None else rng.standard_normal(scale_shape).astype(dtype)
    offset = None if offset_shape is None else rng.standard_normal(offset_shape).astype(dtype)
    g = rng.standard_normal(shape).astype(dtype)
    # NumPy's rows path (the compiled one sums the parameters' gradients per thread: normalization_kernels_test)
    monkeypatch.setitem(compiled_kernels._state, "enabled", False)
    _by_rows(monkeypatch, 1)
    one = _values_and_gradients(x, axes, scale, offset, g)
    _by_rows(monkeypatch, 3)
    assert normalization_ops._row_threads(x, axes, True, None, None) == 3
    for a, b in zip(one, _values_and_gradients(x, axes, scale, offset, g)):
        assert a.dtype == b.dtype == dtype
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("shape,axes,scale_shape,offset_shape", ROW_CASES)
def test_rows_on_threads_match_finite_differences(monkeypatch, shape, axes, scale_shape, offset_shape):
    _by_rows(monkeypatch, 2)
    rng = np.random.default_rng(4)
    args = [rng.standard_normal(s) for s in (shape, scale_shape, offset_shape) if s is not None]
    x, _, _, scale, offset = _call_args(args, axes, scale_shape, offset_shape)
    np.testing.assert_allclose(normalize(x, axes, 1e-3, scale, offset)[0].numpy(),
                               reference(x, axes, 1e-3, scale, offset), rtol=1e-10, atol=1e-10)
    check_gradients(lambda *a: normalize(*_call_args(a, axes, scale_shape, offset_shape))[0], *args)


def _call_args(args, axes, scale_shape, offset_shape):
    rest = iter(args[1:])
    return (args[0], axes, 1e-3, next(rest) if scale_shape is not None else None,
            next(rest) if offset_shape is not None else None)


def test_batch_statistics_and_odd_layouts_stay_on_one_thread(monkeypatch):
    _by_rows(monkeypatch, 2)
    x = np.ones((4, 6, 8), "float32")
    assert normalization_ops._row_threads(x, (0, 1), True, None, None) == 1  # batch norm: over the rows
    assert normalization_ops._row_threads(x, (2,), False, None, None) == 1  # given statistics
    assert normalization_ops._row_threads(x.transpose(1, 0, 2), (2,), True, None, None) == 1  # not C order
    assert normalization_ops._row_threads(x, (2,), True, Tensor(np.ones(8)), None) == 1  # mixed dtypes
    assert normalization_ops._row_threads(x, (2,), True, None, None) == 2
    monkeypatch.setattr(blas_threads, "threads", lambda: 1)  # OPENBLAS_NUM_THREADS=1: one thread here too
    assert normalization_ops._row_threads(x, (2,), True, None, None) == 1
