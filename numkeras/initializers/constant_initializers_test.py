import numpy as np
import pytest

from numkeras import backend
from numkeras.initializers import Constant, Identity, Ones, Zeros


def test_zeros_ones_constant():
    np.testing.assert_array_equal(Zeros()((2, 3)), np.zeros((2, 3)))
    np.testing.assert_array_equal(Ones()((4,)), np.ones(4))
    np.testing.assert_array_equal(Constant(2.5)((2, 2)), np.full((2, 2), 2.5))
    assert Constant(3.0).get_config() == {"value": 3.0}


@pytest.mark.parametrize("init", [Zeros(), Ones(), Constant(1.5), Identity()])
def test_dtype_defaults_to_floatx_and_is_honoured(init):
    assert init((3, 3)).dtype == np.dtype(backend.floatx()) == np.float32
    assert init((3, 3), dtype="float64").dtype == np.float64


def test_integer_dtypes():
    assert Zeros()((2,), dtype="int64").dtype == np.int64
    assert Ones()((2,), dtype="int32").tolist() == [1, 1]


def test_identity():
    np.testing.assert_array_equal(Identity(gain=2.0)((2, 3)), [[2, 0, 0], [0, 2, 0]])
    with pytest.raises(ValueError, match="2D"):
        Identity()((2, 2, 2))


def test_int_shape_accepted():
    assert Zeros()(3).shape == (3,)
