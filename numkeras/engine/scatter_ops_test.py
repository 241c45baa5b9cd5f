"""scatter and scatter_update: values against NumPy's ufunc.at, gradients, errors."""
import numpy as np
import pytest

from numkeras.engine import scatter_ops
from numkeras.engine.gradient_check import check_float32, check_gradients

RNG = np.random.default_rng(0)


def test_scatter_adds_repeated_indices_and_its_gradient_gathers():
    idx = np.array([[0, 1], [2, 0], [0, 1]])
    values = RNG.standard_normal(3)
    want = np.zeros((3, 2))
    np.add.at(want, (idx[:, 0], idx[:, 1]), values)
    np.testing.assert_array_equal(scatter_ops.scatter(idx, values, (3, 2)).numpy(), want)
    check_gradients(lambda v: scatter_ops.scatter(idx, v, (3, 2)), values)


def test_scatter_of_slices_with_batched_indices():
    idx = np.array([[[1], [3]], [[1], [0]]])  # (2, 2, 1): index rows in a (2, 2) batch
    values = RNG.standard_normal((2, 2, 3))
    want = np.zeros((4, 3))
    np.add.at(want, idx.reshape(-1), values.reshape(-1, 3))
    np.testing.assert_allclose(scatter_ops.scatter(idx, values, (4, 3)).numpy(), want)
    check_gradients(lambda v: scatter_ops.scatter(idx, v, (4, 3)), values)
    assert check_float32(lambda v: scatter_ops.scatter(idx, v, (4, 3)), values).shape == (4, 3)


@pytest.mark.parametrize("reduction", [None, "add", "max", "min", "mul"])
def test_scatter_update(reduction):
    inputs = RNG.uniform(0.5, 2.0, (4, 3))
    idx = np.array([[1], [3], [1]])  # row 1 twice
    updates = RNG.uniform(0.5, 2.0, (3, 3))
    want = inputs.copy()
    if reduction is None:
        want[idx[:, 0]] = updates  # NumPy: the last write wins
    else:
        {"add": np.add, "max": np.maximum, "min": np.minimum, "mul": np.multiply}[reduction].at(
            want, idx[:, 0], updates)
    out = scatter_ops.scatter_update(inputs, idx, updates, reduction)
    np.testing.assert_allclose(out.numpy(), want, rtol=1e-12)
    grads = check_gradients(lambda a, u: scatter_ops.scatter_update(a, idx, u, reduction), inputs, updates)
    if reduction is None:
        assert not grads[1][0].any() and grads[1][2].any()  # the overwritten update gets nothing
        assert not grads[0][[1, 3]].any()


def test_scatter_update_casts_updates_and_keeps_the_input_unchanged():
    inputs = np.zeros((2, 2), "float32")
    out = scatter_ops.scatter_update(inputs, [[0, 1]], [5])
    assert out.dtype == "float32" and out.numpy()[0, 1] == 5 and inputs[0, 1] == 0


def test_errors():
    with pytest.raises(ValueError, match="`reduction` must be one of"):
        scatter_ops.scatter_update(np.zeros(3), [[0]], [1.0], reduction="sum")
    with pytest.raises(ValueError, match="the values must have shape \\(2, 3\\)"):
        scatter_ops.scatter([[0], [1]], np.zeros((2, 4)), (5, 3))
    with pytest.raises(ValueError, match="each index has 3 entries but the target has only 2 axes"):
        scatter_ops.scatter([[0, 1, 2]], [1.0], (3, 3))
    with pytest.raises(ValueError, match="`indices` must be integers"):
        scatter_ops.scatter([[0.5]], [1.0], (3,))
