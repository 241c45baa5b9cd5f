"""take: values vs NumPy indexing, the scatter-add gradient vs central differences and np.add.at."""
import numpy as np
import pytest

from numkeras.engine import gather_ops
from numkeras.engine.gradient_check import check_float32, check_gradients

PARAMS = np.random.default_rng(0).standard_normal((5, 3))
IDS = np.array([[4, 0, 4], [1, 1, 4]])  # repeated ids: their gradients must add up


def test_take_values_and_gradient():
    np.testing.assert_array_equal(gather_ops.take(PARAMS, IDS).numpy(), PARAMS[IDS])
    grads = check_gradients(lambda p: gather_ops.take(p, IDS), PARAMS)
    assert not grads[0][2].any() and not grads[0][3].any()  # rows never used get no gradient
    check_float32(lambda p: gather_ops.take(p, IDS), PARAMS.astype("float32"))


def test_take_of_higher_rank_params_and_scalar_and_empty_ids():
    table = np.random.default_rng(1).standard_normal((4, 2, 3))
    check_gradients(lambda p: gather_ops.take(p, np.array([3, 0, 3])), table)
    assert gather_ops.take(table, 2).shape == (2, 3)
    assert gather_ops.take(table, np.zeros((2, 0), "int64")).shape == (2, 0, 2, 3)


def test_scatter_add_rows_equals_add_at():
    rng = np.random.default_rng(2)
    ids = rng.integers(0, 50, size=400)
    updates = rng.standard_normal((400, 8)).astype("float32")
    expected = np.zeros((50, 8), "float32")
    np.add.at(expected, ids, updates)
    out = gather_ops.scatter_add_rows(ids, updates, (50, 8))
    assert out.dtype == np.float32
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("bad,position", [(5, (1, 2)), (-1, (1, 2))])
def test_out_of_range_ids_name_the_id_and_its_position(bad, position):
    ids = IDS.copy()
    ids[position] = bad
    with pytest.raises(IndexError, match=rf"index {bad} at position \(1, 2\).*5 rows"):
        gather_ops.take(PARAMS, ids)


def test_float_ids_that_are_whole_numbers_are_accepted():
    np.testing.assert_array_equal(gather_ops.take(PARAMS, np.array([1.0, 3.0])).numpy(), PARAMS[[1, 3]])
    with pytest.raises(ValueError, match="must be integers"):
        gather_ops.take(PARAMS, np.array([1.5]))
