import numpy as np
import pytest

from numkeras.engine.gradient_check import check_gradients
from numkeras.layers.preprocessing import RandomContrast


def test_contrast_formula_with_the_seeded_factors_and_clipping():
    x = np.random.default_rng(0).uniform(0, 255, size=(4, 5, 6, 3)).astype("float32")
    out = RandomContrast(0.5, seed=2)(x, training=True).numpy()
    c = np.random.default_rng(2).uniform(0.5, 1.5, size=(4, 1, 1, 1))
    mean = x.mean(axis=(1, 2), keepdims=True)
    np.testing.assert_allclose(out, np.clip((x - mean) * c + mean, 0, 255), rtol=1e-5, atol=1e-3)


def test_pair_factor_and_value_range():
    layer = RandomContrast((0.1, 0.9), value_range=(0, 1), seed=1)
    assert layer.factor == (0.1, 0.9)
    out = layer(np.random.default_rng(1).random((8, 4, 4, 1)).astype("float32"), training=True).numpy()
    assert out.min() >= 0 and out.max() <= 1
    assert RandomContrast.from_config(layer.get_config()).value_range == (0, 1)


def test_gradient_and_errors():
    x = np.random.default_rng(3).uniform(10, 20, size=(2, 3, 3, 2))
    check_gradients(lambda a: RandomContrast(0.3, seed=0, dtype="float64")(a, training=True), x)
    for bad in (1.5, -0.1, (0.1, 2.0)):
        with pytest.raises(ValueError, match="RandomContrast: factor"):
            RandomContrast(bad)
