"""Activation: values and gradients."""
import numpy as np

from numkeras import layers
from numkeras.engine.gradient_check import check_gradients


def test_activation_layer_values_and_gradients():
    x = np.random.default_rng(0).normal(size=(3, 4))
    check_gradients(lambda t: layers.Activation("tanh", dtype="float64")(t), x)
    np.testing.assert_allclose(layers.Activation("relu")(x.astype("float32")).numpy(), np.maximum(x, 0), rtol=1e-6)
