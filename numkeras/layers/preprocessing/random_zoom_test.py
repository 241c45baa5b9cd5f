import numpy as np
import pytest

from numkeras.layers.preprocessing import RandomZoom
from numkeras.engine.image_ops_test import loop_affine


def test_zoom_about_the_centre_matches_a_direct_loop():
    x = np.random.default_rng(0).random((2, 6, 8, 1)).astype("float32")
    out = RandomZoom((-0.5, 0.5), (0.1, 0.3), seed=4)(x, training=True).numpy()
    rng = np.random.default_rng(4)
    zy, zx = rng.uniform(0.5, 1.5, size=2), rng.uniform(1.1, 1.3, size=2)
    for i in range(2):
        t = [zx[i], 0, 3.5 * (1 - zx[i]), 0, zy[i], 2.5 * (1 - zy[i]), 0, 0]
        np.testing.assert_allclose(out[i], loop_affine(x[i], t, "bilinear", "reflect", 0.0), atol=1e-5)


def test_zoom_in_by_half_reads_the_central_half():
    x = np.arange(16, dtype="float32").reshape(1, 4, 4, 1)
    out = RandomZoom((-0.5, -0.5), seed=0)(x, training=True).numpy()[0, :, :, 0]  # width follows height
    np.testing.assert_allclose(out[1:3, 1:3], [[6.25, 6.75], [8.25, 8.75]])


def test_errors():
    with pytest.raises(ValueError, match="Received: height_factor=-1"):
        RandomZoom(-1)
    with pytest.raises(ValueError, match="width_factor=\\(0.1, 0.2, 0.3\\)"):
        RandomZoom(0.1, (0.1, 0.2, 0.3))
