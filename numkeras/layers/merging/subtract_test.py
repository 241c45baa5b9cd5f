"""Subtract: exactly two inputs, in order."""
import numpy as np
import pytest

from numkeras import layers
from numkeras.layers import merging


def test_subtracts_second_from_first():
    a, b = np.array([[5.0, 1.0]], "float32"), np.array([[2.0, 4.0]], "float32")
    np.testing.assert_array_equal(merging.subtract([a, b]).numpy(), [[3.0, -3.0]])
    np.testing.assert_array_equal(merging.Subtract()([b, a]).numpy(), [[-3.0, 3.0]])


@pytest.mark.parametrize("count", [1, 3])
def test_needs_exactly_two_inputs(count):
    with pytest.raises(ValueError, match=f"exactly 2 inputs. Received: {count} inputs"):
        merging.Subtract()([np.zeros((2, 3), "float32")] * count)
    with pytest.raises(ValueError, match="exactly 2 inputs"):
        merging.subtract([layers.Input(shape=(3,))] * count)
    with pytest.raises(ValueError, match="exactly 2 inputs"):
        merging.Subtract().compute_output_shape([(None, 3)] * count)
