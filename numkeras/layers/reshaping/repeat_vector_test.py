"""RepeatVector: values, gradients, shapes, config, errors."""
import numpy as np
import pytest

from numkeras.engine.gradient_check import check_gradients
from numkeras.layers.core.input_layer import Input
from numkeras.layers.reshaping import RepeatVector


def test_values_shapes_and_gradients():
    x = np.random.default_rng(0).standard_normal((2, 5))
    layer = RepeatVector(3)
    out = layer(x.astype("float32"))
    expected = np.zeros((2, 3, 5))
    for n in range(2):
        for i in range(3):
            expected[n, i] = x[n]
    assert out.dtype == "float32"
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-6)
    assert layer.compute_output_shape((None, 5)) == (None, 3, 5)
    assert layer(Input(shape=(5,))).shape == (None, 3, 5)
    check_gradients(RepeatVector(3, dtype="float64"), x)


def test_config_and_errors():
    layer = RepeatVector(4, name="rv")
    assert RepeatVector.from_config(layer.get_config()).get_config() == layer.get_config()
    assert layer.get_config()["n"] == 4
    with pytest.raises(TypeError, match="RepeatVector: n must be an integer"):
        RepeatVector(2.5)
    with pytest.raises(ValueError, match="n must be a positive integer. Received: n=0"):
        RepeatVector(0)
    with pytest.raises(ValueError, match=r"layer 'rv' is incompatible with the layer: expected ndim=2, found ndim=3. "
                                         r"Full shape received: \(2, 3, 4\). RepeatVector takes inputs shaped "
                                         r"\(batch, features\)"):
        layer(np.zeros((2, 3, 4)))
