"""ops.image: values vs NumPy loops and hand formulas, layouts, dtypes, errors, float64 gradients.

The resampling primitives are tested in numkeras/engine/image_ops_test.py; Keras's answers for
every function here are compared in tests/keras_parity/ops_math_test.py.
"""
import numpy as np
import pytest

from numkeras.engine.gradient_check import check_gradients
from numkeras.ops import image

RNG = np.random.default_rng(11)
IMAGES = RNG.random((2, 5, 6, 3))


def test_every_keras_image_name_is_here():
    names = ("affine_transform crop_images elastic_transform extract_patches extract_patches_3d gaussian_blur "
             "hsv_to_rgb "
             "map_coordinates pad_images perspective_transform resize rgb_to_grayscale rgb_to_hsv "
             "scale_and_translate sobel_edges ssim").split()
    assert sorted(image.__all__) == sorted(names)


@pytest.mark.parametrize("fn", [
    lambda x, df: image.resize(x, (7, 4), data_format=df),
    lambda x, df: image.affine_transform(x, [1, 0.1, 0.5, 0, 1, -0.3, 0, 0], data_format=df),
    lambda x, df: image.rgb_to_grayscale(x, data_format=df),
    lambda x, df: image.rgb_to_hsv(x, data_format=df),
    lambda x, df: image.gaussian_blur(x, data_format=df),
    lambda x, df: image.crop_images(x, 1, 1, target_height=3, target_width=4, data_format=df),
    lambda x, df: image.pad_images(x, 1, 2, 0, 1, data_format=df),
    lambda x, df: image.extract_patches(x, 2, data_format=df),
])
def test_channels_first_and_single_images_give_the_same_values(fn):
    last = fn(IMAGES, "channels_last").numpy()
    first = fn(np.transpose(IMAGES, (0, 3, 1, 2)), "channels_first").numpy()
    np.testing.assert_allclose(np.transpose(first, (0, 2, 3, 1)), last, atol=1e-12)
    np.testing.assert_allclose(fn(IMAGES[1], "channels_last").numpy(), last[1], atol=1e-12)


def test_resize_matches_a_separable_triangle_filter_and_takes_antialias():
    x = RNG.random((1, 8, 8, 1))
    down = image.resize(x, (4, 4)).numpy()[0, ..., 0]
    np.testing.assert_allclose(down, 0.25 * (x[0, 0::2, 0::2, 0] + x[0, 1::2, 0::2, 0] + x[0, 0::2, 1::2, 0]
                                             + x[0, 1::2, 1::2, 0]))  # half-pixel centres: 2x2 means
    wide = image.resize(x, (2, 2), antialias=True).numpy()
    assert abs(wide.mean() - x.mean()) < abs(image.resize(x, (2, 2)).numpy().mean() - x.mean()) + 0.05
    np.testing.assert_allclose(image.resize(x, (4, 4), antialias=True, interpolation="nearest").numpy(),
                               image.resize(x, (4, 4), interpolation="nearest").numpy())
    check_gradients(lambda a: image.resize(a, (3, 7), interpolation="bicubic", antialias=True), IMAGES[:1])
    with pytest.raises(ValueError, match="fill_mode='constant'"):
        image.resize(x, (2, 2), fill_mode="reflect")
    with pytest.raises(ValueError, match="interpolation"):
        image.resize(x, (2, 2), interpolation="area")


def test_affine_transform_shifts_and_fills():
    x = np.arange(12, dtype="float32").reshape(1, 3, 4, 1)
    shifted = image.affine_transform(x, [1, 0, 1, 0, 1, 0, 0, 0], fill_value=-1).numpy()[0, ..., 0]
    np.testing.assert_array_equal(shifted, np.concatenate([x[0, :, 1:, 0], -np.ones((3, 1))], axis=1))
    mirrored = image.affine_transform(x, [1, 0, -2, 0, 1, 0, 0, 0], "nearest", "mirror").numpy()[0, 0, :, 0]
    np.testing.assert_array_equal(mirrored, [2, 1, 0, 1])
    check_gradients(lambda a: image.affine_transform(a, [0.9, 0.2, 0.3, -0.1, 1.1, 0.2, 0, 0]), IMAGES)
    with pytest.raises(ValueError, match=r"\(8,\) or \(batch, 8\)"):
        image.affine_transform(x, [1, 0, 0])


def test_perspective_transform_with_equal_corners_is_the_identity_and_moves_with_them():
    corners = np.array([[0, 0], [5, 0], [0, 4], [5, 4]], "float32")
    np.testing.assert_allclose(image.perspective_transform(IMAGES, corners, corners).numpy(), IMAGES, atol=1e-9)
    moved = image.perspective_transform(IMAGES, corners + [1, 0], corners, interpolation="nearest").numpy()
    np.testing.assert_allclose(moved[:, :, :-1], IMAGES[:, :, 1:], atol=1e-9)  # reads one pixel to the right


def test_scale_and_translate_with_unit_scale_shifts():
    x = RNG.random((2, 6, 3))
    out = image.scale_and_translate(x, (2, 6, 3), [1.0], [2.0], [1], "linear").numpy()
    np.testing.assert_allclose(out[:, 2:], x[:, :4])
    np.testing.assert_allclose(out[:, :2], 0)
    check_gradients(lambda a: image.scale_and_translate(a, (2, 4, 5), [0.6, 1.7], [0.2, -0.4], [1, 2], "cubic"), x)
    with pytest.raises(ValueError, match="method"):
        image.scale_and_translate(x, (2, 6, 3), [1.0], [0.0], [1], "area")


def loop_map_coordinates(x, coords, fill_value):
    out = np.zeros(coords.shape[1:])
    for p in np.ndindex(*coords.shape[1:]):
        point = coords[(slice(None),) + p]
        low = np.floor(point).astype(int)
        for corner in np.ndindex(*(2,) * x.ndim):
            index = low + np.array(corner)
            weight = np.prod(np.where(corner, point - low, 1 - (point - low)))
            inside = np.all((index >= 0) & (index < x.shape))
            out[p] += weight * (x[tuple(index)] if inside else fill_value)
    return out


def test_map_coordinates_linear_against_a_loop_and_gradient():
    x = RNG.random((3, 4, 5))
    coords = RNG.uniform(-1, 5, (3, 2, 6))
    np.testing.assert_allclose(image.map_coordinates(x, coords, 1, fill_value=0.5).numpy(),
                               loop_map_coordinates(x, coords, 0.5))
    check_gradients(lambda a: image.map_coordinates(a, coords, 1, fill_mode="reflect"), x)
    near = image.map_coordinates(np.arange(4.0), [[0.5, 1.49, -0.5, 2.5]], 0, fill_mode="nearest").numpy()
    np.testing.assert_array_equal(near, [1, 1, 0, 3])  # halves away from zero, -1 clamped to 0
    with pytest.raises(ValueError, match="order"):
        image.map_coordinates(x, coords, 3)
    with pytest.raises(ValueError, match="coordinates"):
        image.map_coordinates(x, coords[:2], 1)


def test_extract_patches_against_slicing_and_gradient():
    out = image.extract_patches(IMAGES, (2, 3), strides=(1, 2), dilation_rate=1).numpy()
    assert out.shape == (2, 4, 2, 18)
    np.testing.assert_array_equal(out[1, 2, 1], IMAGES[1, 2:4, 2:5].reshape(-1))
    dilated = image.extract_patches(IMAGES, 2, strides=1, dilation_rate=2).numpy()
    np.testing.assert_array_equal(dilated[0, 1, 1], IMAGES[0, 1:4:2, 1:4:2].reshape(-1))
    check_gradients(lambda a: image.extract_patches(a, 2, strides=1), IMAGES[:1, :3, :4])
    volumes = RNG.random((1, 4, 4, 4, 2))
    out3 = image.extract_patches_3d(volumes, 2).numpy()
    np.testing.assert_array_equal(out3[0, 1, 0, 1], volumes[0, 2:4, 0:2, 2:4].reshape(-1))
    np.testing.assert_array_equal(image.extract_patches(volumes[0], (2, 2, 2)).numpy(), out3[0])
    assert image.extract_patches(np.ones((4, 4, 1), "uint8"), 2).dtype == "float32"


def test_crop_and_pad_images():
    np.testing.assert_array_equal(image.crop_images(IMAGES, bottom_cropping=1, right_cropping=2, target_height=3,
                                                    target_width=3).numpy(), IMAGES[:, 1:4, 1:4])
    padded = image.pad_images(IMAGES, top_padding=1, bottom_padding=0, target_width=8, left_padding=2).numpy()
    np.testing.assert_array_equal(padded, np.pad(IMAGES, [(0, 0), (1, 0), (2, 0), (0, 0)]))
    check_gradients(lambda a: image.pad_images(a, 1, 1, 1, 1), IMAGES[:1])
    check_gradients(lambda a: image.crop_images(a, 1, 1, 1, 1), IMAGES[:1])
    with pytest.raises(ValueError, match="exactly two"):
        image.crop_images(IMAGES, 1, 1, 1, 1, target_height=2, target_width=2)
    with pytest.raises(ValueError, match="right_padding must be >= 0"):
        image.pad_images(IMAGES, 0, 0, target_height=5, target_width=3)


def test_grayscale_and_hsv():
    gray = image.rgb_to_grayscale(IMAGES).numpy()
    np.testing.assert_allclose(gray[..., 0], IMAGES @ [0.2989, 0.5870, 0.1140])
    assert image.rgb_to_grayscale(np.full((1, 2, 2, 3), 200, "uint8")).dtype == "uint8"
    assert image.rgb_to_grayscale(gray).shape == gray.shape
    rgb = np.array([[[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [0.5, 0.5, 0.5], [1.0, 1.0, 0.0]]])
    hsv = image.rgb_to_hsv(rgb).numpy()
    np.testing.assert_allclose(hsv[0], [[0, 1, 1], [1 / 3, 1, 1], [2 / 3, 1, 1], [0, 0, 0.5], [1 / 6, 1, 1]])
    np.testing.assert_allclose(image.hsv_to_rgb(image.rgb_to_hsv(IMAGES)).numpy(), IMAGES, atol=1e-12)
    check_gradients(image.rgb_to_hsv, IMAGES[:1])
    check_gradients(image.hsv_to_rgb, IMAGES[:1])
    with pytest.raises(ValueError, match="float images"):
        image.rgb_to_hsv(np.ones((2, 2, 3), "uint8"))


def test_gaussian_blur_and_sobel_against_loops():
    x = RNG.random((1, 5, 6, 2))
    k = np.exp(-0.5 * (np.arange(3) - 1.0) ** 2)
    k /= k.sum()
    padded = np.pad(x, [(0, 0), (1, 1), (1, 1), (0, 0)])
    blur = sum(np.outer(k, k)[i, j] * padded[:, i:i + 5, j:j + 6] for i in range(3) for j in range(3))
    np.testing.assert_allclose(image.gaussian_blur(x).numpy(), blur)
    sobel_x = np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]])
    dx = sum(sobel_x[i, j] * padded[:, i:i + 5, j:j + 6] for i in range(3) for j in range(3))
    dy = sum(sobel_x.T[i, j] * padded[:, i:i + 5, j:j + 6] for i in range(3) for j in range(3))
    np.testing.assert_allclose(image.sobel_edges(x).numpy(), np.stack([dy, dx], axis=-1))
    check_gradients(lambda a: image.gaussian_blur(a, (3, 5), (0.8, 1.3)), x)
    check_gradients(image.sobel_edges, x)


def test_ssim():
    a = RNG.random((2, 12, 12, 3))
    assert np.allclose(image.ssim(a, a).numpy(), 1.0)
    noisy = np.clip(a + RNG.normal(0, 0.2, a.shape), 0, 1)
    score = image.ssim(a, noisy, filter_size=5).numpy()
    assert score.shape == (2,) and np.all(score < 0.9)
    assert image.ssim(a[0].astype("float32"), noisy[0].astype("float32")).dtype == "float32"
    check_gradients(lambda x: image.ssim(x, noisy[:1, :6, :6], filter_size=3), a[:1, :6, :6])


def test_elastic_transform_is_seeded_smooth_and_differentiable():
    x = RNG.random((2, 10, 12, 3))
    np.testing.assert_allclose(image.elastic_transform(x, alpha=0.0).numpy(), x, atol=1e-12)
    a = image.elastic_transform(x, alpha=3.0, sigma=2.0, seed=5).numpy()
    np.testing.assert_array_equal(a, image.elastic_transform(x, alpha=3.0, sigma=2.0, seed=5).numpy())
    assert not np.allclose(a, image.elastic_transform(x, alpha=3.0, sigma=2.0, seed=6).numpy())
    assert not np.allclose(a, x)
    flat = np.full((1, 6, 6, 1), 0.7)  # any displacement of a constant image (reflect fill) is the same image
    np.testing.assert_allclose(image.elastic_transform(flat, alpha=30.0, sigma=1.0, seed=0).numpy(), flat)
    first = np.transpose(image.elastic_transform(np.transpose(x, (0, 3, 1, 2)), 3.0, 2.0, seed=5,
                                                 data_format="channels_first").numpy(), (0, 2, 3, 1))
    np.testing.assert_allclose(first, a)  # the same field for either layout
    check_gradients(lambda t: image.elastic_transform(t, alpha=2.0, sigma=1.0, seed=3, fill_mode="constant"),
                    x[:1, :5, :5, :1])
    with pytest.raises(TypeError, match="seed"):
        image.elastic_transform(x, seed="a")
