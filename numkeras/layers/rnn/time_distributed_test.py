import numpy as np
import pytest

from numkeras import layers

X = np.random.default_rng(0).standard_normal((3, 5, 4)).astype("float32")


def test_applies_the_layer_to_every_step_with_shared_weights():
    dense = layers.Dense(2)
    layer = layers.TimeDistributed(dense)
    out = layer(X).numpy()
    for t in range(5):
        np.testing.assert_allclose(out[:, t], dense(X[:, t]).numpy(), rtol=1e-6)
    assert len(layer.weights) == 2 and layer.compute_output_shape((None, 5, 4)) == (None, 5, 2)


def test_images_per_step_and_the_mask_passes_through():
    layer = layers.TimeDistributed(layers.Conv2D(2, 3))
    assert layer(np.ones((2, 3, 6, 6, 1), "float32")).shape == (2, 3, 4, 4, 2)
    mask = np.ones((3, 5), bool)
    assert layer.compute_mask(X, mask) is mask


def test_needs_a_time_axis_and_round_trips():
    with pytest.raises(ValueError, match="at least 3 dimensions"):
        layers.TimeDistributed(layers.Dense(2))(np.ones((3, 4), "float32"))
    layer = layers.TimeDistributed(layers.Dense(3, activation="relu"))
    assert layers.TimeDistributed.from_config(layer.get_config()).get_config() == layer.get_config()
