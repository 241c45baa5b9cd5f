import numpy as np
import pytest

from numkeras.engine.gradient_check import check_float32, check_gradients
from numkeras.layers.activations import ReLU

X = np.random.default_rng(0).uniform(-5, 5, (4, 6))
X = np.where(np.abs(X[..., None] - np.array([0.0, 1.0, 3.0])).min(-1) < 0.05, X + 0.1, X)  # keep off the kinks


@pytest.mark.parametrize("kwargs,reference", [
    ({}, lambda x: np.maximum(x, 0)),
    ({"max_value": 3.0}, lambda x: np.clip(x, 0, 3)),
    ({"negative_slope": 0.2}, lambda x: np.where(x >= 0, x, 0.2 * x)),
    ({"threshold": 1.0}, lambda x: np.where(x > 1, x, 0.0)),
    ({"max_value": 3.0, "negative_slope": 0.5, "threshold": 1.0},
     lambda x: np.where(x >= 3, 3.0, np.where(x > 1, x, 0.5 * (x - 1)))),
])
def test_values_and_gradients(kwargs, reference):
    np.testing.assert_allclose(ReLU(**kwargs)(X.astype("float32")).numpy(), reference(X), rtol=1e-6, atol=1e-6)
    check_gradients(ReLU(dtype="float64", **kwargs), X)
    check_float32(ReLU(**kwargs), X.astype("float32"))


def test_keras_example_and_defaults():
    out = ReLU(max_value=10, negative_slope=0.5, threshold=0)(np.array([-10, -5, 0.0, 5, 10]))
    assert out.numpy().tolist() == [-5, -2.5, 0, 5, 10] and out.dtype == "float32"
    layer = ReLU()
    assert (layer.max_value, layer.negative_slope, layer.threshold) == (None, 0.0, 0.0)
    assert layer.built and layer.weights == [] and layer.count_params() == 0
    assert layer.compute_output_shape((None, 3, 4)) == (None, 3, 4)


def test_config_round_trip():
    layer = ReLU(max_value=6.0, negative_slope=0.1, threshold=0.5, name="r")
    config = layer.get_config()
    assert {k: config[k] for k in ("max_value", "negative_slope", "threshold", "name")} == {
        "max_value": 6.0, "negative_slope": 0.1, "threshold": 0.5, "name": "r"}
    again = ReLU.from_config(config)
    assert again.get_config() == config
    np.testing.assert_array_equal(again(X).numpy(), layer(X).numpy())


@pytest.mark.parametrize("kwargs,match", [
    ({"max_value": -1.0}, "max_value of a ReLU layer cannot be a negative value. Received: max_value=-1.0"),
    ({"negative_slope": -0.1}, "negative_slope of a ReLU layer cannot be None or a negative value"),
    ({"negative_slope": None}, "negative_slope"),
    ({"threshold": -1.0}, "threshold of a ReLU layer cannot be None or a negative value"),
])
def test_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        ReLU(**kwargs)
