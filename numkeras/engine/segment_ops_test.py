"""Segment reductions and top_k: values vs loops over the rows, gradients vs central differences."""
import numpy as np
import pytest

from numkeras.engine import segment_ops
from numkeras.engine.gradient_check import check_gradients

RNG = np.random.default_rng(0)
IDS = np.array([0, 2, 2, -1, 0, 5, 2])  # -1 and 5 (>= num_segments=4) are dropped; segment 1 and 3 empty


def loop_reference(data, ids, count, fn, empty):
    out = np.full((count,) + data.shape[1:], empty, dtype=data.dtype)
    for s in range(count):
        rows = data[ids == s]
        if len(rows):
            out[s] = fn(rows, axis=0)
    return out


@pytest.mark.parametrize("name,fn,empty", [("segment_sum", np.sum, 0), ("segment_max", np.max, -np.inf),
                                           ("segment_min", np.min, np.inf), ("segment_prod", np.prod, 1)])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_float_values(name, fn, empty, dtype):
    data = RNG.standard_normal((7, 3)).astype(dtype)
    out = getattr(segment_ops, name)(data, IDS, 4)
    assert out.dtype == dtype and out.shape == (4, 3)
    np.testing.assert_allclose(out.numpy(), loop_reference(data, IDS, 4, fn, empty), rtol=1e-6)


@pytest.mark.parametrize("name,fn,empty", [("segment_sum", np.sum, 0), ("segment_max", np.max, -2 ** 31),
                                           ("segment_min", np.min, 2 ** 31 - 1), ("segment_prod", np.prod, 1)])
def test_int_values_are_exact(name, fn, empty):
    data = np.array([1, 2, 10, 20, 100, 2 ** 30, 7], "int32")
    out = getattr(segment_ops, name)(data, IDS, 4)
    assert out.dtype == "int32"
    np.testing.assert_array_equal(out.numpy(), loop_reference(data, IDS, 4, fn, empty))


def test_num_segments_defaults_to_the_largest_id_plus_one():
    assert segment_ops.segment_sum([1.0, 2.0, 3.0], [0, 3, 3]).numpy().tolist() == [1.0, 0.0, 0.0, 5.0]


@pytest.mark.parametrize("name", ["segment_sum", "segment_max", "segment_min", "segment_prod"])
def test_gradients(name):
    data = RNG.standard_normal((8, 2))
    ids = np.array([0, 2, 2, -1, 0, 1, 3, 5])  # every segment filled (an empty max is -inf), two dropped
    check_gradients(lambda d: getattr(segment_ops, name)(d, ids, 4), data)


def test_max_shares_the_gradient_between_ties_and_prod_handles_zeros():
    from numkeras.engine.tape import GradientTape
    from numkeras.engine.variable import Variable
    v = Variable(np.array([3.0, 3.0, 1.0, 0.0, 2.0, 0.0, 0.0, 5.0]), dtype="float64")
    ids = np.array([0, 0, 0, 1, 1, 2, 2, 2])
    with GradientTape(persistent=True) as tape:
        top = segment_ops.segment_max(v, ids, 3)
        prod = segment_ops.segment_prod(v, ids, 3)
    np.testing.assert_allclose(tape.gradient(top, v).numpy(), [0.5, 0.5, 0, 0, 1, 0, 0, 1])
    # segment 1 = {0, 2}: d/dx0 = 2, d/dx1 = 0; segment 2 = {0, 0, 5}: all 0
    np.testing.assert_allclose(tape.gradient(prod, v).numpy(), [3, 3, 9, 2, 0, 0, 0, 0])


def test_bad_ids_are_named():
    with pytest.raises(ValueError, match="1-D"):
        segment_ops.segment_sum(np.ones((2, 2)), np.zeros((2, 2), int), 2)
    with pytest.raises(ValueError, match="leading dimension"):
        segment_ops.segment_sum(np.ones(3), np.zeros(2, int), 2)


def test_top_k_values_indices_ties_and_gradient():
    x = np.array([[1.0, 3.0, 3.0, 2.0, 3.0], [5.0, 4.0, 3.0, 2.0, 1.0]])
    values, indices = segment_ops.top_k(x, 3)
    np.testing.assert_array_equal(values.numpy(), [[3, 3, 3], [5, 4, 3]])
    np.testing.assert_array_equal(indices.numpy(), [[1, 2, 4], [0, 1, 2]])
    assert indices.dtype == "int32"
    ints = np.array([[-2 ** 31, 7, 2 ** 31 - 1]], "int32")  # no negation overflow
    np.testing.assert_array_equal(segment_ops.top_k(ints, 3)[0].numpy(), [[2 ** 31 - 1, 7, -2 ** 31]])
    check_gradients(lambda a: segment_ops.top_k(a, 2)[0], RNG.standard_normal((3, 4, 5)))
    with pytest.raises(ValueError, match="k must be"):
        segment_ops.top_k(x, 6)
