"""Dropout: identity at inference, scaling and gradients in training, seeds."""
import numpy as np
import pytest

from numkeras import layers
from numkeras.utils import set_random_seed


def test_dropout_is_identity_at_inference_and_scales_in_training():
    set_random_seed(0)
    x = np.ones((200, 50), "float32")
    layer = layers.Dropout(0.3)
    np.testing.assert_array_equal(layer(x).numpy(), x)
    out = layer(x, training=True).numpy()
    kept = out != 0
    np.testing.assert_allclose(out[kept], 1 / 0.7, rtol=1e-6)
    assert abs(kept.mean() - 0.7) < 0.02
    assert out.dtype == np.float32


def test_dropout_gradient_is_the_mask():
    from numkeras.engine.tape import GradientTape
    from numkeras.engine.variable import Variable
    x = Variable(np.ones((10, 10), "float32"))
    with GradientTape() as tape:
        y = layers.Dropout(0.5, seed=1)(x, training=True)
    grad = tape.gradient(y, x).numpy()
    np.testing.assert_array_equal(grad, y.numpy())  # d(x*m)/dx = m = y for x = 1


def test_dropout_seeded_repeats_and_rate_checked():
    a = layers.Dropout(0.5, seed=3)(np.ones((4, 4), "float32"), training=True).numpy()
    b = layers.Dropout(0.5, seed=3)(np.ones((4, 4), "float32"), training=True).numpy()
    np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError, match="rate"):
        layers.Dropout(1.0)
