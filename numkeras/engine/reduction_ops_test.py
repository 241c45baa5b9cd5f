"""Reductions: values vs NumPy, gradients vs central differences, ties, argmax."""
import numpy as np
import pytest

import numkeras
from numkeras.engine import reduction_ops
from numkeras.engine.gradient_check import check_float32, check_gradients

REDUCTIONS = {
    "sum": (reduction_ops.sum, np.sum),
    "mean": (reduction_ops.mean, np.mean),
    "max": (reduction_ops.max, np.max),
    "min": (reduction_ops.min, np.min),
}

# (shape, axis): every axis form on several ranks
CASES = [
    ((), None),
    ((5,), None), ((5,), 0), ((5,), -1),
    ((3, 4), None), ((3, 4), 0), ((3, 4), 1), ((3, 4), -1), ((3, 4), (0, 1)),
    ((2, 3, 4), None), ((2, 3, 4), 1), ((2, 3, 4), (0, 2)), ((2, 3, 4), (-1, 0)), ((2, 3, 4), [1, 2]),
]


ALL_CASES = [pytest.param(name, shape, axis, keepdims, id=f"{name}-{shape}-{axis}-{keepdims}")
             for name in REDUCTIONS for shape, axis in CASES for keepdims in (False, True)]


@pytest.mark.parametrize("name,shape,axis,keepdims", ALL_CASES)
def test_value_and_gradient(name, shape, axis, keepdims):
    op, ref = REDUCTIONS[name]
    x = np.random.default_rng(0).standard_normal(shape)  # random floats: no ties
    np_axis = tuple(axis) if isinstance(axis, list) else axis
    out = op(x, axis=axis, keepdims=keepdims)
    expected = ref(x, axis=np_axis, keepdims=keepdims)
    assert out.shape == expected.shape
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-12)
    check_gradients(lambda a: op(a, axis=axis, keepdims=keepdims), x)


@pytest.mark.parametrize("name", REDUCTIONS)
@pytest.mark.parametrize("axis,keepdims", [(None, False), (0, True), ((0, 1), False)])
def test_float32_values_and_gradients(name, axis, keepdims):
    op, _ = REDUCTIONS[name]
    check_float32(lambda a: op(a, axis=axis, keepdims=keepdims), np.random.default_rng(1).random((3, 4)))


@pytest.mark.parametrize("op,x,axis,expected", [
    (reduction_ops.max, [[1.0, 3.0, 3.0], [2.0, 0.0, 1.0]], 1, [[0.0, 0.5, 0.5], [1.0, 0.0, 0.0]]),
    (reduction_ops.min, [[1.0, 1.0, 1.0], [2.0, 0.0, 0.0]], 1, [[1 / 3, 1 / 3, 1 / 3], [0.0, 0.5, 0.5]]),
    (reduction_ops.max, [[2.0, 2.0], [2.0, 1.0]], None, [[1 / 3, 1 / 3], [1 / 3, 0.0]]),
])
def test_ties_share_the_gradient_equally(op, x, axis, expected):
    v = numkeras.Variable(x)
    with numkeras.GradientTape() as tape:
        y = op(v, axis=axis)
    g = tape.gradient(y, v)
    assert g.dtype == "float32"
    np.testing.assert_allclose(g.numpy(), expected, rtol=1e-6)


def test_mean_of_ints_is_floatx_and_mean_of_float32_stays_float32():
    assert reduction_ops.mean(np.array([1, 2, 4])).dtype == "float32"
    np.testing.assert_allclose(reduction_ops.mean(np.array([1, 2, 4])).numpy(), 7 / 3, rtol=1e-6)
    assert reduction_ops.mean(np.ones((2, 3), "float32"), axis=1).dtype == "float32"
    assert reduction_ops.sum(np.ones((2, 3), "float32")).dtype == "float32"


@pytest.mark.parametrize("fn,ref", [(reduction_ops.argmax, np.argmax), (reduction_ops.argmin, np.argmin)])
@pytest.mark.parametrize("axis,keepdims", [(None, False), (0, False), (-1, False), (1, True)])
def test_argmax_argmin(fn, ref, axis, keepdims):
    x = np.array([[0.1, 0.9, 0.3], [0.8, 0.2, 0.8]], "float32")
    out = fn(x, axis=axis, keepdims=keepdims)
    np.testing.assert_array_equal(out.numpy(), ref(x, axis=axis, keepdims=keepdims))
    assert out.numpy().dtype.kind == "i"


def test_argmax_is_outside_the_graph():
    v = numkeras.Variable([1.0, 3.0, 2.0])
    with numkeras.GradientTape():
        out = reduction_ops.argmax(v)
    assert int(out) == 1 and out.requires_grad is False


@pytest.mark.parametrize("shape", [(), (1,), (7,), (128,), (100003,), (3, 5), (64, 33, 3)])
@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
def test_full_mean_is_numpys_mean_bit_for_bit(shape, dtype):
    a = (np.random.default_rng(0).standard_normal(shape) * 1e3).astype(dtype)
    got, want = reduction_ops.mean(a).data, np.mean(a)
    assert type(got) is type(want) and got.tobytes() == want.tobytes()
