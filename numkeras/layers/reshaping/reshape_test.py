"""Reshape: values, shapes, gradients and the -1 axis."""
import numpy as np
import pytest

from numkeras import layers
from numkeras.engine.gradient_check import check_gradients


def test_reshape_with_unknown_axis():
    x = np.random.default_rng(0).normal(size=(2, 12))
    layer = layers.Reshape((3, -1), dtype="float64")
    assert layer(x).shape == (2, 3, 4)
    assert layer.compute_output_shape((None, 12)) == (None, 3, 4)
    check_gradients(lambda t: layer(t), x)
    with pytest.raises(ValueError, match="target_shape"):
        layers.Reshape((5,)).compute_output_shape((None, 12))
