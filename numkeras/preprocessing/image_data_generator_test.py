import warnings

import numpy as np
import pytest

from numkeras.preprocessing.image import ImageDataGenerator
from numkeras.preprocessing.image_data_generator import transform_matrix
from numkeras.utils import keras2_idioms
from numkeras.utils.keras2_idioms import Keras2IdiomWarning


def generator(**kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Keras2IdiomWarning)
        return ImageDataGenerator(**kwargs)


def square():
    return np.arange(16, dtype="float32").reshape(4, 4, 1)


def test_constructing_notes_the_keras3_way_once():
    keras2_idioms._forget_for_tests()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ImageDataGenerator(rescale=1 / 255)
        ImageDataGenerator()
    notes = [w for w in caught if issubclass(w.category, Keras2IdiomWarning)]
    assert len(notes) == 1
    assert "image_dataset_from_directory" in str(notes[0].message) and "RandomFlip" in str(notes[0].message)


def test_flips_rotation_and_shifts_move_pixels_as_keras_does():
    gen, x = generator(), square()
    np.testing.assert_array_equal(gen.apply_transform(x, {"flip_horizontal": True}), x[:, ::-1])
    np.testing.assert_array_equal(gen.apply_transform(x, {"flip_vertical": True}), x[::-1])
    np.testing.assert_allclose(gen.apply_transform(x, {"theta": 90}), np.rot90(x, 1), atol=1e-5)  # anticlockwise
    # Keras's matrix takes tx (drawn from height_shift_range) along the width: the image moves left by 1.
    shifted = gen.apply_transform(x, {"tx": 1})
    np.testing.assert_array_equal(shifted[:, :3], x[:, 1:])
    np.testing.assert_array_equal(shifted[:, 3], x[:, 3])  # fill_mode="nearest" repeats the edge
    np.testing.assert_array_equal(gen.apply_transform(x, {"ty": 1})[:3], x[1:])
    zoomed = gen.apply_transform(x, {"zx": 2.0})  # reads x = 2 * (col - 1.5) + 1.5: -1.5, 0.5, 2.5, 4.5
    np.testing.assert_allclose(zoomed[0, :, 0], [0.0, 0.5, 2.5, 3.0])
    np.testing.assert_array_equal(gen.apply_transform(x, {}), x)


@pytest.mark.parametrize("mode, expected", [("constant", [1, 2, 3, 7]), ("wrap", [1, 2, 3, 1]),
                                            ("reflect", [1, 2, 3, 3]), ("nearest", [1, 2, 3, 3])])
def test_fill_modes(mode, expected):
    x = np.tile(np.arange(4, dtype="float32"), (4, 1))[..., None]
    out = generator(fill_mode=mode, cval=7.0).apply_transform(x, {"tx": 1})
    np.testing.assert_array_equal(out[0, :, 0], expected)


def test_transform_matrix_composes_about_the_centre():
    assert transform_matrix(0, 0, 0, 0, 1, 1, 5, 5) is None
    m = transform_matrix(0, 0, 0, 0, 2.0, 2.0, 5, 5)
    np.testing.assert_allclose(m @ [2, 2, 1], [2, 2, 1])  # the centre stays
    np.testing.assert_allclose(transform_matrix(0, 3, -1, 0, 1, 1, 4, 6)[:2, 2], [3, -1])


def test_channel_shift_and_brightness():
    x = square()
    out = generator().apply_transform(x, {"channel_shift_intensity": 5.0})
    np.testing.assert_array_equal(out, np.clip(x + 5, 0, 15))
    bright = generator().apply_transform(np.full((2, 2, 3), 100.0, "float32"), {"brightness": 1.5})
    np.testing.assert_allclose(bright, 150.0)


def test_standardize_order_and_statistics():
    rs = np.random.RandomState(0)
    x = rs.rand(6, 3, 3, 3).astype("float32")
    gen = generator(featurewise_center=True, featurewise_std_normalization=True, rescale=2.0)
    gen.fit(x)
    np.testing.assert_allclose(gen.mean.ravel(), (2 * x).mean(axis=(0, 1, 2)), rtol=1e-5)
    np.testing.assert_allclose(gen.std.ravel(), (2 * x).std(axis=(0, 1, 2)), rtol=1e-5)
    out = gen.standardize(x[0].copy())
    np.testing.assert_allclose(out, (2 * x[0] - gen.mean) / (gen.std + 1e-6), rtol=1e-5)
    with pytest.warns(UserWarning, match="overrides setting of `samplewise_center`"):
        sample = generator(samplewise_std_normalization=True, preprocessing_function=lambda a: a + 1)
    assert sample.samplewise_center  # as in Keras, std normalization turns centring on
    out = sample.standardize(x[0].copy())
    np.testing.assert_allclose(out, (x[0] + 1 - (x[0] + 1).mean()) / ((x[0] + 1).std() + 1e-6), rtol=1e-4)
    with pytest.warns(UserWarning, match="hasn't been fit"):
        generator(featurewise_center=True).standardize(x[0].copy())


def test_zca_whitening_decorrelates():
    rs = np.random.RandomState(1)
    x = (rs.randn(200, 2, 2, 1) @ np.ones((1, 1)) + rs.randn(200, 1, 1, 1)).astype("float32")  # correlated pixels
    with pytest.warns(UserWarning, match="overrides"):
        gen = ImageDataGenerator(zca_whitening=True)
    gen.fit(x)
    white = np.stack([gen.standardize(image.copy()) for image in x]).reshape(200, -1)
    np.testing.assert_allclose(white.T @ white / 200, np.eye(4), atol=0.05)


def test_random_transform_is_repeatable_with_a_seed_and_varies_without():
    gen = generator(rotation_range=40, width_shift_range=0.2, height_shift_range=0.2, shear_range=10,
                    zoom_range=0.2, horizontal_flip=True)
    x = np.random.RandomState(0).rand(8, 8, 3).astype("float32")
    np.testing.assert_array_equal(gen.random_transform(x, seed=3), gen.random_transform(x, seed=3))
    assert not np.array_equal(gen.random_transform(x, seed=3), gen.random_transform(x, seed=4))
    params = [gen.get_random_transform(x.shape, seed=s) for s in range(200)]
    thetas = np.array([p["theta"] for p in params])
    assert thetas.min() >= -40 and thetas.max() <= 40 and thetas.std() > 15
    assert all(abs(p["tx"]) <= 0.2 * 8 and abs(p["ty"]) <= 0.2 * 8 for p in params)
    assert all(0.8 <= p["zx"] <= 1.2 for p in params)
    assert 60 < sum(bool(p["flip_horizontal"]) for p in params) < 140
    assert not any(p["flip_vertical"] for p in params)


def test_integer_and_list_shift_ranges_draw_whole_pixels():
    gen = generator(width_shift_range=3, height_shift_range=[0.25])
    params = [gen.get_random_transform((8, 8, 1), seed=s) for s in range(50)]
    assert {p["ty"] for p in params} <= {-2, -1, 0, 1, 2}  # np.random.choice(3) with a sign
    assert {p["tx"] for p in params} == {-2.0, 2.0}  # 0.25 of 8 rows, either way


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="fill_mode"):
        generator(fill_mode="mirror")
    with pytest.raises(ValueError, match="zoom_range"):
        generator(zoom_range=[1, 2, 3])
    with pytest.raises(ValueError, match="validation_split"):
        generator(validation_split=1.5)
    with pytest.raises(ValueError, match="interpolation_order"):
        generator(interpolation_order=3)
    with pytest.raises(ValueError, match="brightness_range"):
        generator(brightness_range=0.5)
    with pytest.raises(ValueError, match="rank 3"):
        generator().apply_transform(np.zeros((2, 2)), {})
    with pytest.raises(NotImplementedError, match="flow_from_directory"):
        generator().flow_from_dataframe(None)
