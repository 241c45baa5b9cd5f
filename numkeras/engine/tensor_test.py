"""Tensor: the array surface, operators, and the dtype rules for mixed operands."""
import numpy as np
import pytest

import numkeras
from numkeras.engine.gradient_check import check_gradients
from numkeras.engine.tensor import Tensor, as_tensor

F32 = np.array([[1.0, -2.0, 3.0], [0.5, 4.0, -1.5]], "float32")


def test_array_surface():
    t = Tensor(F32)
    assert t.shape == (2, 3) and t.ndim == 2 and t.size == 6 and len(t) == 2
    assert t.dtype == "float32" and isinstance(t.dtype, str)
    assert isinstance(t.numpy(), np.ndarray) and np.array_equal(t.numpy(), F32)
    np.testing.assert_array_equal(np.asarray(t), F32)
    assert np.asarray(t, dtype="float64").dtype == np.float64
    assert [r.shape for r in t] == [(3,), (3,)]
    assert float(Tensor(np.float32(2.5))) == 2.5 and int(Tensor(np.int64(3))) == 3
    assert bool(Tensor(np.array(1.0))) and not bool(Tensor(np.array(0.0)))
    assert "shape=(2, 3)" in repr(t) and "float32" in repr(t)


def test_tensors_hash_by_identity():
    a, b = Tensor(F32), Tensor(F32)
    assert len({a, b}) == 2 and a in [a] and b not in [a]


# operator: (on tensors, numpy reference)
OPERATORS = {
    "add": (lambda a, b: a + b, np.add),
    "sub": (lambda a, b: a - b, np.subtract),
    "mul": (lambda a, b: a * b, np.multiply),
    "truediv": (lambda a, b: a / b, np.divide),
    "pow": (lambda a, b: abs(a) ** b, lambda a, b: np.abs(a) ** b),
    "matmul": (lambda a, b: a @ b.T, lambda a, b: a @ b.T),
}


@pytest.mark.parametrize("name", OPERATORS)
@pytest.mark.parametrize("left,right", [(Tensor, Tensor), (Tensor, np.asarray), (np.asarray, Tensor)])
def test_operators(name, left, right):
    fn, ref = OPERATORS[name]
    b = np.array([[2.0, 0.5, -1.0], [1.0, 3.0, 2.0]], "float32")
    out = fn(left(F32), right(b))
    assert isinstance(out, Tensor)  # an ndarray on the left defers to the Tensor
    np.testing.assert_allclose(out.numpy(), ref(F32, b), rtol=1e-6)
    assert out.dtype == "float32"


@pytest.mark.parametrize("name", OPERATORS)
def test_operator_gradients(name):
    fn, _ = OPERATORS[name]
    rng = np.random.default_rng(0)
    check_gradients(fn, rng.uniform(0.5, 2, (2, 3)), rng.uniform(0.5, 2, (2, 3)))


def test_unary_operators_and_transpose():
    check_gradients(lambda a: -a, F32)
    check_gradients(abs, F32)
    check_gradients(lambda a: a.T, F32)
    check_gradients(lambda a: a[1, ::-1], F32)
    np.testing.assert_array_equal((-Tensor(F32)).numpy(), -F32)
    np.testing.assert_array_equal(Tensor(F32).T.numpy(), F32.T)


# Python scalars take the tensor's dtype: none of these may leak float64.
SCALAR_EXPRESSIONS = {
    "x * 2.0": lambda x: x * 2.0,
    "2.0 * x": lambda x: 2.0 * x,
    "2.0 - x": lambda x: 2.0 - x,
    "x - 1": lambda x: x - 1,
    "x + 1e-7": lambda x: x + 1e-7,
    "x / 3": lambda x: x / 3,
    "1.0 / x": lambda x: 1.0 / x,
    "x ** 2": lambda x: x ** 2,
    "x ** 0.5": lambda x: abs(x) ** 0.5,
    "2.0 ** x": lambda x: 2.0 ** x,
    "2 ** x": lambda x: 2 ** x,
    "x * np.float64(2)": lambda x: x * np.float64(2.0),
    "np.float64(2) * x": lambda x: np.float64(2.0) * x,
    "mean(x)": lambda x: numkeras.ops.mean(x),
    "maximum(x, 0.0)": lambda x: numkeras.ops.maximum(x, 0.0),
    "where(x > 0, x, 0.1 * x)": lambda x: numkeras.ops.where(x > 0, x, 0.1 * x),
}


@pytest.mark.parametrize("name", SCALAR_EXPRESSIONS)
def test_python_scalars_do_not_promote_float32(name):
    v = numkeras.Variable(F32)
    with numkeras.GradientTape() as tape:
        y = SCALAR_EXPRESSIONS[name](v)
    assert y.dtype == "float32"
    assert tape.gradient(y, v).dtype == "float32"


@pytest.mark.parametrize("expr,expected", [
    (lambda i: i * 0.5, [0.0, 0.5, 1.0]),
    (lambda i: 0.5 * i, [0.0, 0.5, 1.0]),
    (lambda i: i / 2, [0.0, 0.5, 1.0]),
    (lambda i: i + 1.5, [1.5, 2.5, 3.5]),
])
@pytest.mark.parametrize("int_dtype", ["int64", "int32", "uint8"])
def test_int_tensor_meeting_a_float_becomes_float32(expr, expected, int_dtype):
    out = expr(Tensor(np.arange(3, dtype=int_dtype)))
    assert out.dtype == "float32"
    np.testing.assert_array_equal(out.numpy(), expected)


def test_int_tensor_with_an_int_scalar_stays_int():
    assert (Tensor(np.arange(3, dtype="int32")) + 1).dtype == "int32"
    assert (Tensor(np.arange(3, dtype="int32")) * 2).dtype == "int32"


def test_float64_stays_float64():
    x = Tensor(np.ones(2))
    assert (x * 2.0).dtype == "float64" and (x / 3).dtype == "float64"


@pytest.mark.parametrize("value,expected", [
    (1.5, "float32"), ([1.0, 2.0], "float32"), ([[1, 2.5]], "float32"), (np.float32(1), "float32"),
    (np.ones(2), "float64"), (np.ones(2, "float16"), "float16"), (3, "int64"), ([True], "bool"),
])
def test_as_tensor_dtype(value, expected):
    assert as_tensor(value).dtype == expected


def test_as_tensor_returns_tensors_unchanged():
    t = Tensor(F32)
    assert as_tensor(t) is t
    assert as_tensor(t, dtype="float64").dtype == "float64"


@pytest.mark.parametrize("op,ref", [
    (lambda a, b: a < b, np.less), (lambda a, b: a <= b, np.less_equal),
    (lambda a, b: a > b, np.greater), (lambda a, b: a >= b, np.greater_equal),
])
def test_comparisons_give_boolean_values_outside_the_graph(op, ref):
    v = numkeras.Variable(F32)
    other = np.zeros_like(F32)
    other[0, 0] = 1.0  # a tie
    with numkeras.GradientTape():
        for rhs in (other, Tensor(other), 1.0):
            out = op(v, rhs)
            np.testing.assert_array_equal(np.asarray(out), ref(F32, np.asarray(rhs)))
            assert np.asarray(out).dtype == bool
            assert not getattr(out, "requires_grad", False)
