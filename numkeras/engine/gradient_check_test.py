"""The gradient checker checks itself: it must fail on wrong gradients and float64 leaks."""
import numpy as np
import pytest

import numkeras
from numkeras import ops
from numkeras.engine.gradient_check import check_float32, check_gradients
from numkeras.engine.tensor import as_tensor, make


def wrong_square(x):
    x = as_tensor(x)
    return make(x.data ** 2, (x,), lambda g: (g * x.data,))  # should be 2 * g * x


def test_it_returns_the_tape_gradients():
    x = np.array([1.0, -2.0, 3.0])
    grad, = check_gradients(ops.square, x, seed=1)
    w = np.random.default_rng(1).standard_normal(3)
    np.testing.assert_allclose(grad, 2 * x * w)


def test_it_catches_a_wrong_vjp():
    with pytest.raises(AssertionError, match="input 0"):
        check_gradients(wrong_square, np.array([1.0, 2.0]))


def test_it_catches_a_gradient_of_the_wrong_shape(monkeypatch):
    from numkeras.engine import tape
    monkeypatch.setattr(tape, "unbroadcast", lambda grad, shape: grad)  # forget to reduce broadcasts
    with pytest.raises(AssertionError, match="shape"):
        check_gradients(ops.add, np.ones((3, 4)), np.ones(4))


def test_it_checks_variables_that_fn_reads_itself():
    w = numkeras.Variable(np.array([[1.0, 2.0], [3.0, 4.0]]), dtype="float64", name="kernel")
    gx, gw = check_gradients(lambda x: ops.tanh(ops.matmul(x, w)), np.array([[0.1, -0.2]]), variables=[w])
    assert gx.shape == (1, 2) and gw.shape == (2, 2)
    np.testing.assert_array_equal(w.numpy(), [[1.0, 2.0], [3.0, 4.0]])  # perturbations undone


def test_it_refuses_float32_variables():
    with pytest.raises(ValueError, match="float64"):
        check_gradients(lambda x: x, np.ones(2), variables=[numkeras.Variable([1.0])])


def test_it_refuses_a_non_tensor_output():
    with pytest.raises(TypeError, match="Tensor"):
        check_gradients(lambda x: np.ones(2), np.ones(2))


def test_check_float32_catches_a_float64_leak():
    check_float32(lambda x: x * 2.0, np.ones(3))
    with pytest.raises(AssertionError, match="float64"):
        check_float32(lambda x: x * np.float64(2.0) + np.ones(3), np.ones(3))



def test_a_fortran_ordered_variable_is_perturbed_in_place():
    # A reshaped view of Fortran-ordered data is a copy: the check must still move the real weight.
    w = numkeras.Variable(np.zeros((2, 3)), dtype="float64")
    w.data = np.asfortranarray(np.arange(6.0).reshape(2, 3))
    assert not w.data.flags.c_contiguous
    check_gradients(lambda: ops.sum(w * w * 0.5), variables=[w])


def test_the_orthogonal_initializer_gives_c_ordered_arrays():
    for shape in [(3, 5), (5, 3), (2, 3, 4)]:
        assert numkeras.initializers.Orthogonal(seed=1)(shape).flags.c_contiguous
