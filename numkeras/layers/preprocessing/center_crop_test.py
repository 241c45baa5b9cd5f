import numpy as np

from numkeras.layers.preprocessing import CenterCrop


def test_center_crop_takes_the_middle_or_resizes_a_small_image():
    x = np.arange(36, dtype="float32").reshape(1, 6, 6, 1)
    np.testing.assert_array_equal(CenterCrop(2, 4)(x).numpy(), x[:, 2:4, 1:5])
    np.testing.assert_array_equal(CenterCrop(3, 3)(x, training=True).numpy(), x[:, 1:4, 1:4])
    small = CenterCrop(8, 4)(x).numpy()  # taller than the input: aspect crop (6, 3) then resize
    assert small.shape == (1, 8, 4, 1)
    assert CenterCrop(5, 5).compute_output_shape((None, 9, 9, 3)) == (None, 5, 5, 3)


def test_channels_first_and_config():
    x = np.arange(2 * 36, dtype="float32").reshape(1, 2, 6, 6)
    np.testing.assert_array_equal(CenterCrop(2, 2, data_format="channels_first")(x).numpy(), x[:, :, 2:4, 2:4])
    assert CenterCrop.from_config(CenterCrop(3, 4).get_config()).width == 4
