import numpy as np
import pytest

from numkeras.engine.gradient_check import check_float32, check_gradients
from numkeras.layers.activations import LeakyReLU

X = np.random.default_rng(1).uniform(-5, 5, (4, 6))


@pytest.mark.parametrize("slope", [0.3, 0.0, 1.5])
def test_values_and_gradients(slope):
    layer = LeakyReLU() if slope == 0.3 else LeakyReLU(negative_slope=slope)
    np.testing.assert_allclose(layer(X.astype("float32")).numpy(), np.where(X >= 0, X, slope * X), rtol=1e-6)
    check_gradients(LeakyReLU(negative_slope=slope, dtype="float64"), X)
    check_float32(layer, X.astype("float32"))


def test_keras_example_default_and_config():
    out = LeakyReLU(negative_slope=0.5)(np.array([-10, -5, 0.0, 5, 10]))
    assert out.numpy().tolist() == [-5, -2.5, 0, 5, 10]
    assert LeakyReLU().negative_slope == 0.3
    layer = LeakyReLU(negative_slope=0.1)
    config = layer.get_config()
    assert config["negative_slope"] == 0.1 and LeakyReLU.from_config(config).get_config() == config


def test_deprecated_alpha_warns_and_bad_slope_raises():
    with pytest.warns(UserWarning, match="`alpha` is deprecated"):
        layer = LeakyReLU(alpha=0.2)
    assert layer.negative_slope == 0.2
    with pytest.raises(ValueError, match="Received: negative_slope=-1"):
        LeakyReLU(negative_slope=-1)
