"""matmul: values vs NumPy, gradients vs central differences, and no wasted work."""
import numpy as np
import pytest

import numkeras
from numkeras.engine import linalg_ops
from numkeras.engine.gradient_check import check_float32, check_gradients
from numkeras.engine.tensor import Tensor

SHAPE_PAIRS = [
    ((3, 4), (4, 5)),  # 2-D
    ((1, 4), (4, 1)),
    ((2, 3, 4), (2, 4, 5)),  # batched
    ((2, 1, 3, 4), (5, 4, 2)),  # batch dims broadcast both ways
    ((3, 4), (2, 4, 5)),
    ((2, 3, 4), (4, 5)),
    ((1, 3, 4), (2, 1, 4, 5)),
    ((4,), (4, 5)),  # 1-D on the left
    ((4,), (2, 4, 5)),
    ((3, 4), (4,)),  # 1-D on the right
    ((2, 3, 4), (4,)),
    ((4,), (4,)),  # a dot product
]


@pytest.mark.parametrize("shape_a,shape_b", SHAPE_PAIRS, ids=str)
def test_value_and_gradient(shape_a, shape_b):
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal(shape_a), rng.standard_normal(shape_b)
    out = linalg_ops.matmul(a, b)
    assert out.shape == np.matmul(a, b).shape
    np.testing.assert_allclose(out.numpy(), np.matmul(a, b), rtol=1e-12)
    check_gradients(linalg_ops.matmul, a, b)
    check_float32(linalg_ops.matmul, a, b)


@pytest.mark.parametrize("shape_a,shape_b", SHAPE_PAIRS, ids=str)
def test_matmul_operator(shape_a, shape_b):
    rng = np.random.default_rng(1)
    a, b = rng.standard_normal(shape_a), rng.standard_normal(shape_b)
    check_gradients(lambda x, y: x @ y, a, b)
    np.testing.assert_allclose((a @ Tensor(b)).numpy(), a @ b)  # ndarray @ Tensor defers to __rmatmul__


@pytest.fixture
def matmul_calls(monkeypatch):
    """Counts calls to the backend's matmul (forward and backward)."""
    calls = []
    real = np.matmul

    def counting(*args, **kwargs):
        calls.append([np.shape(a) for a in args[:2]])
        return real(*args, **kwargs)
    monkeypatch.setattr(linalg_ops.xp, "matmul", counting)
    return calls


@pytest.mark.parametrize("x_shape", [(8, 3), (3,)])
def test_no_matmul_is_spent_on_the_input_batch(matmul_calls, x_shape):
    x = np.ones(x_shape, "float32")  # the data: needs no gradient
    w = numkeras.Variable(np.ones((3, 2)))
    with numkeras.GradientTape() as tape:
        y = linalg_ops.matmul(x, w)
    gx, gw = tape.gradient(y, [Tensor(x), w])
    assert gx is None and gw.shape == (3, 2)
    assert len(matmul_calls) == 2  # the forward and x.T @ g, never g @ w.T


def test_both_sides_cost_one_matmul_each(matmul_calls):
    a, b = numkeras.Variable(np.ones((4, 3))), numkeras.Variable(np.ones((3, 2)))
    with numkeras.GradientTape() as tape:
        y = linalg_ops.matmul(a, b)
    ga, gb = tape.gradient(y, [a, b])
    assert len(matmul_calls) == 3
    np.testing.assert_array_equal(ga.numpy(), np.full((4, 3), 2.0))
    np.testing.assert_array_equal(gb.numpy(), np.full((3, 2), 4.0))


def test_constant_on_the_right_gets_no_matmul(matmul_calls):
    a = numkeras.Variable(np.ones((4, 3)))
    with numkeras.GradientTape() as tape:
        y = linalg_ops.matmul(a, np.ones((3, 2), "float32"))
    assert tape.gradient(y, a).shape == (4, 3)
    assert len(matmul_calls) == 2


def test_outside_a_tape_only_the_forward_runs(matmul_calls):
    w = numkeras.Variable(np.ones((3, 2)))
    y = linalg_ops.matmul(np.ones((8, 3), "float32"), w)
    assert y.requires_grad is False and y._vjp is None
    assert len(matmul_calls) == 1
