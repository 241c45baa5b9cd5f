"""Input and InputLayer: the symbolic tensor and its shape."""
import pytest

from numkeras import layers


def test_input_gives_a_symbolic_tensor_with_batch_axis():
    t = layers.Input(shape=(784,))
    assert t.shape == (None, 784) and t.dtype == "float32"
    assert layers.Input(batch_shape=(8, 3)).shape == (8, 3)
    with pytest.raises(ValueError, match="shape"):
        layers.InputLayer()
