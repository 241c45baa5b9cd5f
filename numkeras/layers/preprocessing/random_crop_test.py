import numpy as np

from numkeras.engine import image_ops
from numkeras.layers.preprocessing import RandomCrop


def test_one_random_window_for_the_whole_batch():
    x = np.random.default_rng(0).random((3, 9, 8, 2)).astype("float32")
    out = RandomCrop(4, 5, seed=6)(x, training=True).numpy()
    rng = np.random.default_rng(6)
    top, left = int(rng.uniform(0, 6)), int(rng.uniform(0, 4))
    np.testing.assert_array_equal(out, x[:, top:top + 4, left:left + 5])


def test_inference_and_small_inputs_take_the_centred_aspect_window_resized():
    x = np.random.default_rng(1).random((2, 6, 10, 1)).astype("float32")
    expected = image_ops.resize(x, (8, 8), crop_to_aspect_ratio=True).numpy()
    np.testing.assert_allclose(RandomCrop(8, 8, seed=0)(x, training=True).numpy(), expected)  # too small to crop
    np.testing.assert_array_equal(RandomCrop(4, 4)(x).numpy(), image_ops.resize(x, (4, 4), crop_to_aspect_ratio=True)
                                  .numpy())
    layer = RandomCrop(4, 4, data_format="channels_first")
    assert layer.compute_output_shape((None, 3, 9, 9)) == (None, 3, 4, 4)
