import numpy as np
import pytest

from numkeras.engine import image_ops
from numkeras.engine.image_ops_test import loop_affine
from numkeras.layers.preprocessing import RandomRotation


def test_a_quarter_turn_counter_clockwise():
    x = np.random.default_rng(0).random((2, 6, 6, 1)).astype("float32")
    out = RandomRotation((0.25, 0.25), seed=0)(x, training=True).numpy()
    np.testing.assert_allclose(out, np.rot90(x, 1, axes=(1, 2)), atol=1e-5)


def test_angles_are_drawn_uniformly_in_degrees_and_applied_about_the_centre():
    x = np.random.default_rng(1).random((3, 7, 5, 2)).astype("float32")
    out = RandomRotation((-0.1, 0.2), fill_mode="constant", fill_value=2.0, seed=9)(x, training=True).numpy()
    angles = np.random.default_rng(9).uniform(-36.0, 72.0, size=3)
    matrices = image_ops.rotation_matrices(angles, 7, 5)
    for i in range(3):
        np.testing.assert_allclose(out[i], loop_affine(x[i], matrices[i], "bilinear", "constant", 2.0), atol=1e-5)


def test_config_and_errors():
    layer = RandomRotation(0.3, fill_mode="wrap", interpolation="nearest")
    assert layer.factor == (-0.3, 0.3)
    assert RandomRotation.from_config(layer.get_config()).fill_mode == "wrap"
    with pytest.raises(ValueError, match="fill_mode='mirror'"):
        RandomRotation(0.1, fill_mode="mirror")
    with pytest.raises(ValueError, match="interpolation='bicubic'"):
        RandomRotation(0.1, interpolation="bicubic")
    with pytest.raises(ValueError, match="factor=2"):
        RandomRotation(2)
