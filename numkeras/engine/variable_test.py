"""Variable: construction, dtypes, in-place assignment with shape checks, trainability."""
import numpy as np
import pytest

from numkeras.engine.tensor import Tensor
from numkeras.engine.variable import Variable


@pytest.mark.parametrize("value,dtype,expected", [
    ([1.0, 2.0], None, "float32"),
    (np.ones(2), None, "float32"),  # float64 arrays default to floatx, as in Keras
    (np.ones(2, "float16"), None, "float32"),
    (3.0, None, "float32"),
    (np.ones(2), "float64", "float64"),
    ([1, 2], "int32", "int32"),
    ([1, 2], "float32", "float32"),
])
def test_dtype(value, dtype, expected):
    assert Variable(value, dtype=dtype).dtype == expected


def test_callable_initializer_with_shape():
    v = Variable(lambda shape, dtype: np.full(shape, 0.5, dtype), shape=[2, 3])
    assert v.shape == (2, 3) and v.dtype == "float32"
    np.testing.assert_array_equal(v.numpy(), np.full((2, 3), 0.5))


def test_callable_initializer_without_shape_says_what_to_pass():
    with pytest.raises(ValueError, match="shape"):
        Variable(lambda shape, dtype: np.zeros(shape, dtype), name="kernel")


def test_initial_value_must_match_a_given_shape():
    with pytest.raises(ValueError, match=r"\(2,\).*\(3,\)"):
        Variable([1.0, 2.0], shape=(3,))


def test_the_variable_owns_a_copy_of_its_initial_value():
    a = np.zeros(3, "float32")
    v = Variable(a)
    a[0] = 9.0
    assert v.numpy()[0] == 0.0
    t = Tensor(np.zeros(2, "float32"))
    assert not np.shares_memory(Variable(t).data, t.data)


def test_name_path_trainable_and_value():
    v = Variable([1.0], name="kernel")
    assert v.name == "kernel" and v.path == "kernel" and v.trainable and v.requires_grad
    assert Variable([1.0]).name == "variable"
    assert isinstance(v.value, Tensor) and not isinstance(v.value, Variable)
    np.testing.assert_array_equal(v.value.numpy(), [1.0])
    v.trainable = False
    assert not v.trainable and not v.requires_grad
    assert "kernel" in repr(v)


@pytest.mark.parametrize("method,arg,expected", [
    ("assign", [5.0, 6.0], [5.0, 6.0]),
    ("assign_add", [1.0, 1.0], [2.0, 3.0]),
    ("assign_sub", [1.0, 1.0], [0.0, 1.0]),
    ("assign", np.array([5.0, 6.0]), [5.0, 6.0]),  # float64 value into a float32 variable
    ("assign_add", np.array([0.5, 0.5]), [1.5, 2.5]),
    ("assign_sub", Tensor(np.array([0.5, 0.5], "float32")), [0.5, 1.5]),
    ("assign", Variable([7.0, 8.0]), [7.0, 8.0]),
    ("assign_add", 1.0, [2.0, 3.0]),  # a scalar broadcasts
    ("assign", 0.0, [0.0, 0.0]),
])
def test_assignments_work_in_place(method, arg, expected):
    v = Variable([1.0, 2.0])
    buffer = v.data
    assert getattr(v, method)(arg) is v
    assert v.data is buffer  # same buffer: views of the weights see the update
    assert v.dtype == "float32"
    np.testing.assert_array_equal(v.numpy(), expected)


@pytest.mark.parametrize("method", ["assign", "assign_add", "assign_sub"])
def test_assignments_check_the_shape(method):
    v = Variable(np.zeros((2, 3)), name="kernel")
    with pytest.raises(ValueError, match=rf"kernel.*{method}.*\(3, 2\).*\(2, 3\)"):
        getattr(v, method)(np.zeros((3, 2)))
    np.testing.assert_array_equal(v.numpy(), np.zeros((2, 3)))  # left unchanged


def test_a_variable_is_a_tensor_usable_in_ops():
    v = Variable([1.0, 2.0])
    assert isinstance(v, Tensor)
    np.testing.assert_array_equal((v * 2.0).numpy(), [2.0, 4.0])
    assert (v * 2.0).dtype == "float32"
    assert not isinstance(v * 2.0, Variable)


def test_an_initializer_given_by_name_is_resolved_as_keras_does():
    import numkeras
    numkeras.utils.set_random_seed(0)
    w = numkeras.Variable(shape=(300, 20), initializer="uniform")
    values = np.asarray(w.numpy())
    assert values.shape == (300, 20) and values.dtype == np.float32
    assert -0.05 <= values.min() < -0.04 and 0.04 < values.max() <= 0.05  # RandomUniform(-0.05, 0.05)
    b = numkeras.Variable(shape=(3,), initializer="zeros")
    np.testing.assert_array_equal(b.numpy(), np.zeros(3, dtype=np.float32))
    with pytest.raises(ValueError, match="nope"):
        numkeras.Variable(shape=(3,), initializer="nope")
