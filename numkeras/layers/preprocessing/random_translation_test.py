import numpy as np
import pytest

from numkeras.layers.preprocessing import RandomTranslation


def test_a_fixed_shift_down_and_right_fills_with_the_constant():
    x = np.random.default_rng(0).random((1, 8, 4, 1)).astype("float32")
    out = RandomTranslation((0.25, 0.25), (0.5, 0.5), fill_mode="constant", fill_value=-1, seed=0)(
        x, training=True).numpy()
    np.testing.assert_allclose(out[0, 2:, 2:], x[0, :6, :2], atol=1e-6)
    np.testing.assert_array_equal(out[0, :2], -1)
    np.testing.assert_array_equal(out[0, :, :2], -1)


@pytest.mark.parametrize("fill_mode, expected", [("reflect", [1, 0, 0, 1]), ("wrap", [2, 3, 0, 1]),
                                                 ("nearest", [0, 0, 0, 1])])
def test_fill_modes(fill_mode, expected):
    x = np.arange(4, dtype="float32").reshape(1, 1, 4, 1)
    out = RandomTranslation(0.0, (0.5, 0.5), fill_mode=fill_mode, seed=0)(x, training=True).numpy().ravel()
    np.testing.assert_allclose(out, expected)


def test_draws_scale_with_the_image_size():
    x = np.random.default_rng(1).random((4, 10, 10, 1)).astype("float32")
    out = RandomTranslation((-0.2, 0.2), 0.0, fill_mode="wrap", interpolation="nearest", seed=3)(
        x, training=True).numpy()
    dy = np.random.default_rng(3).uniform(-0.2, 0.2, size=4) * 10
    for i in range(4):
        shift = int(np.floor(dy[i] + 0.5))
        np.testing.assert_array_equal(out[i], np.roll(x[i], shift, axis=0))
