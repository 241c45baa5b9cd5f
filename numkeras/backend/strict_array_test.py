import numpy as np
import pytest

from numkeras.backend.strict_array import StrictArray, from_host, scatter_add, strict_module, to_host

xp = strict_module()


def test_values_match_numpy_bit_for_bit():
    a = np.random.default_rng(0).standard_normal((3, 4)).astype("float32")
    x = xp.asarray(a)
    out = xp.exp(x) @ x.T - xp.tanh(x).sum(axis=1, keepdims=True)
    np.testing.assert_array_equal(to_host(out), np.exp(a) @ a.T - np.tanh(a).sum(axis=1, keepdims=True))
    assert to_host(out).dtype == np.float32


@pytest.mark.parametrize("leak", [np.asarray, np.array, lambda x: np.sum(x), lambda x: np.take(x, [0])])
def test_implicit_conversion_to_numpy_raises_naming_the_seam(leak):
    with pytest.raises(TypeError, match="to_host"):
        leak(xp.asarray([1.0, 2.0]))


def test_host_arrays_are_refused_as_operands():
    x = xp.asarray([1.0, 2.0])
    for mix in (lambda: x + np.ones(2), lambda: np.ones(2) * x, lambda: xp.matmul(x, np.ones(2)),
                lambda: xp.concatenate([x, np.ones(2)])):
        with pytest.raises(TypeError, match="from_host"):
            mix()
    assert float((x + np.float32(1.0))[0]) == 2.0  # NumPy scalars are fine, as in CuPy


def test_full_reductions_are_0d_arrays_and_convert_explicitly():
    total = xp.asarray([1.0, 2.0, 4.0]).sum()
    assert type(total) is StrictArray and total.ndim == 0
    assert float(total) == 7.0 and total.item() == 7.0
    assert type(xp.max(xp.asarray([1, 5]))) is StrictArray


def test_no_floating_point_error_state():
    with pytest.raises(AttributeError, match="isfinite"):
        xp.errstate
    assert not hasattr(xp, "seterr")


def test_it_is_not_a_numpy_ndarray():
    x = xp.zeros(3)
    assert type(x) is not np.ndarray and isinstance(x, xp.ndarray)


def test_the_explicit_boundary_round_trips():
    a = np.arange(6.0).reshape(2, 3)
    x = from_host(a, dtype="float32")
    assert x.dtype == np.float32
    np.testing.assert_array_equal(x.get(), a)
    np.testing.assert_array_equal(xp.asnumpy(x), a)
    assert from_host(x) is x


def test_scatter_add_accumulates_repeated_indices():
    target = xp.zeros(3)
    scatter_add(target, xp.asarray([0, 0, 2]), xp.asarray([1.0, 2.0, 5.0]))
    np.testing.assert_array_equal(to_host(target), [3.0, 0.0, 5.0])


def test_indexing_in_place_ops_and_ufunc_methods():
    x = xp.arange(6.0).reshape(2, 3)
    x[0, xp.asarray([1, 2])] = 9.0
    x += 1
    assert to_host(x).tolist() == [[1.0, 10.0, 10.0], [4.0, 5.0, 6.0]]
    assert float(xp.add.reduce(x, axis=None)) == 36.0
    assert [float(r.sum()) for r in x] == [21.0, 15.0]
    assert float(-x[0, 0]) == -1.0


def test_random_generators_give_device_arrays():
    draw = xp.random.default_rng(0).random(3)
    assert type(draw) is StrictArray
    np.testing.assert_array_equal(to_host(draw), np.random.default_rng(0).random(3))


def test_out_of_bounds_indices_wrap_as_on_a_gpu():
    x = xp.asarray([10.0, 20.0, 30.0])
    assert to_host(x[xp.asarray([3, -4])]).tolist() == [10.0, 30.0]
    assert to_host(xp.take(x, xp.asarray([4]))).tolist() == [20.0]


def test_the_kernel_families_decline_device_arrays_off_cupy():
    from numkeras.engine import pool_kernels
    from numkeras.optimizers import update_kernels
    w = xp.ones(4, "float32")
    one = np.float32(0.1)
    assert update_kernels.adam(w, xp.ones(4, "float32"), xp.zeros(4, "float32"), xp.zeros(4, "float32"),
                               one, one, one, one) is None
    assert update_kernels.rmsprop(w, xp.ones(4, "float32"), xp.zeros(4, "float32"), one, one, one, one) is None
    x = xp.ones((1, 2, 2, 1), "float32")
    assert pool_kernels.max_grad_2d(x, xp.ones((1, 1, 1, 1), "float32"), xp.ones((1, 1, 1, 1), "float32"),
                                    (2, 2)) is None
