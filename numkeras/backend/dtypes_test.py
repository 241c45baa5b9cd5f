"""result_type against Keras 3's promotion table (the values Keras on JAX gives, 64-bit kept)."""
import numpy as np
import pytest

from numkeras.backend.dtypes import result_type


@pytest.mark.parametrize("values,expected", [
    (("int32", "float32"), "float32"), (("int8", "int16"), "int16"), (("uint8", "int8"), "int16"),
    (("bool", "int32"), "int32"), (("float16", "float32"), "float32"), (("bool", "bool"), "bool"),
    (("int32", 2), "int32"), (("int32", 2.0), "float32"), (("float16", 2.0), "float16"), (("int8", 3), "int8"),
    (("uint8", 3), "uint8"), ((2, 3), "int32"), ((2, 3.0), "float32"), (("int32", float), "float32"),
    (("int8", "int16", float), "float32"), (("float16", float), "float16"), (("uint32", "int32"), "int64"),
    (("float64", "float32"), "float64"), (("int64", "float16"), "float16"), ((None,), "float32"), ((), "float32"),
    ((np.zeros(2, "uint16"), np.zeros(2, "uint8")), "uint16"), (("bool", True), "bool"),
])
def test_result_type(values, expected):
    assert result_type(*values) == expected
