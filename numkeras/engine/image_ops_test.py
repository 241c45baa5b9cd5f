import itertools

import numpy as np
import pytest

from numkeras.engine import image_ops
from numkeras.engine.gradient_check import check_gradients


def loop_bilinear_resize(image, out_h, out_w):
    """Direct-loop half-pixel bilinear resize with clamped edges (tf.image.resize, antialias=False)."""
    h, w, c = image.shape
    out = np.zeros((out_h, out_w, c))
    for i, j in itertools.product(range(out_h), range(out_w)):
        y = min(max((i + 0.5) * h / out_h - 0.5, 0), h - 1)
        x = min(max((j + 0.5) * w / out_w - 0.5, 0), w - 1)
        y0, x0 = int(np.floor(y)), int(np.floor(x))
        y1, x1 = min(y0 + 1, h - 1), min(x0 + 1, w - 1)
        dy, dx = y - y0, x - x0
        out[i, j] = ((1 - dy) * (1 - dx) * image[y0, x0] + (1 - dy) * dx * image[y0, x1] +
                     dy * (1 - dx) * image[y1, x0] + dy * dx * image[y1, x1])
    return out


def reflect(i, n):
    while i < 0 or i >= n:
        i = -i - 1 if i < 0 else 2 * n - 1 - i
    return i


def loop_affine(image, t, interpolation, fill_mode, fill_value):
    """Direct-loop projective resampling of one (h, w, c) image."""
    h, w, c = image.shape
    out = np.zeros((h, w, c))

    def read(yy, xx):
        if fill_mode == "constant" and not (0 <= yy < h and 0 <= xx < w):
            return np.full(c, fill_value)
        if fill_mode == "reflect":
            yy, xx = reflect(yy, h), reflect(xx, w)
        elif fill_mode == "wrap":
            yy, xx = yy % h, xx % w
        else:
            yy, xx = min(max(yy, 0), h - 1), min(max(xx, 0), w - 1)
        return image[yy, xx]
    for y, x in itertools.product(range(h), range(w)):
        k = t[6] * x + t[7] * y + 1
        sx, sy = (t[0] * x + t[1] * y + t[2]) / k, (t[3] * x + t[4] * y + t[5]) / k
        if interpolation == "nearest":
            out[y, x] = read(int(np.floor(sy + 0.5)), int(np.floor(sx + 0.5)))
            continue
        y0, x0 = int(np.floor(sy)), int(np.floor(sx))
        dy, dx = sy - y0, sx - x0
        out[y, x] = ((1 - dy) * (1 - dx) * read(y0, x0) + (1 - dy) * dx * read(y0, x0 + 1) +
                     dy * (1 - dx) * read(y0 + 1, x0) + dy * dx * read(y0 + 1, x0 + 1))
    return out


@pytest.mark.parametrize("size", [(7, 5), (3, 9), (4, 4), (2, 1), (11, 13)])
def test_bilinear_resize_matches_a_direct_loop(size):
    x = np.random.default_rng(0).random((2, 4, 6, 3)).astype("float32")
    out = image_ops.resize(x, size).numpy()
    assert out.shape == (2,) + size + (3,) and out.dtype == np.float32
    for i in range(2):
        np.testing.assert_allclose(out[i], loop_bilinear_resize(x[i], *size), rtol=1e-5, atol=1e-6)


def test_resize_pins_known_values():
    row = np.array([0.0, 1.0], "float32").reshape(1, 1, 2, 1)
    np.testing.assert_allclose(image_ops.resize(row, (1, 4)).numpy().ravel(), [0, 0.25, 0.75, 1])
    x = np.arange(4, dtype="float32").reshape(1, 1, 4, 1)
    np.testing.assert_array_equal(image_ops.resize(x, (1, 2), "nearest").numpy().ravel(), [1, 3])
    np.testing.assert_array_equal(image_ops.resize(x, (1, 8), "nearest").numpy().ravel(), [0, 0, 1, 1, 2, 2, 3, 3])


@pytest.mark.parametrize("interpolation", ["bicubic", "lanczos3", "lanczos5"])
def test_other_kernels_keep_a_constant_image_and_the_size(interpolation):
    x = np.full((1, 5, 7, 2), 3.0, "float32")
    out = image_ops.resize(x, (9, 4), interpolation).numpy()
    np.testing.assert_allclose(out, 3.0, rtol=1e-5)


def test_integer_images_come_back_rounded_in_their_dtype():
    x = np.array([0, 255], "uint8").reshape(1, 1, 2, 1)
    out = image_ops.resize(x, (1, 3)).numpy()
    assert out.dtype == np.uint8
    np.testing.assert_array_equal(out.ravel(), [0, 128, 255])


def test_crop_and_pad_to_aspect_ratio():
    x = np.arange(2 * 6, dtype="float32").reshape(1, 2, 6, 1)
    cropped = image_ops.resize(x, (2, 2), crop_to_aspect_ratio=True).numpy()
    np.testing.assert_array_equal(cropped[0, :, :, 0], x[0, :, 2:4, 0])
    padded = image_ops.resize(x, (6, 6), "nearest", pad_to_aspect_ratio=True, fill_value=-1).numpy()[0, :, :, 0]
    np.testing.assert_array_equal(padded[:2], -1)
    np.testing.assert_array_equal(padded[2:4], x[0, :, :, 0])
    assert image_ops.aspect_crop_box(340, 500, 200, 200) == (0, 80, 340, 340)


@pytest.mark.parametrize("fill_mode", ["reflect", "wrap", "nearest", "constant"])
@pytest.mark.parametrize("interpolation", ["bilinear", "nearest"])
def test_affine_transform_matches_a_direct_loop(fill_mode, interpolation):
    rng = np.random.default_rng(1)
    x = rng.random((3, 5, 6, 2)).astype("float32")
    t = np.concatenate([rng.normal(size=(3, 6)) * [0.8, 0.5, 2.0, 0.5, 0.8, 2.0] + [1, 0, 0, 0, 1, 0],
                        rng.normal(size=(3, 2)) * 0.01], axis=1)
    out = image_ops.affine_transform(x, t, interpolation, fill_mode, fill_value=0.5).numpy()
    assert out.dtype == np.float32
    for i in range(3):
        np.testing.assert_allclose(out[i], loop_affine(x[i], t[i], interpolation, fill_mode, 0.5), atol=1e-5)


def test_rotation_by_a_quarter_turn_is_rot90_counter_clockwise():
    x = np.random.default_rng(2).random((1, 5, 5, 1)).astype("float32")
    out = image_ops.affine_transform(x, image_ops.rotation_matrices([90.0], 5, 5)).numpy()
    np.testing.assert_allclose(out, np.rot90(x, 1, axes=(1, 2)), atol=1e-6)


def test_gradients_flow_through_resize_and_affine():
    rng = np.random.default_rng(3)
    x = rng.random((2, 4, 5, 2))
    check_gradients(lambda a: image_ops.resize(a, (6, 3)), x)
    t = np.array([[0.9, 0.2, 0.3, -0.1, 1.1, 0.2, 0, 0]] * 2)
    check_gradients(lambda a: image_ops.affine_transform(a, t, "bilinear", "constant", 0.0), x)


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="interpolation='area'"):
        image_ops.resize(np.zeros((1, 2, 2, 1)), (3, 3), "area")
    with pytest.raises(ValueError, match="fill_mode='bogus'"):
        image_ops.affine_transform(np.zeros((1, 2, 2, 1)), np.zeros((1, 8)), fill_mode="bogus")


def test_mirror_fill_reflects_about_the_edge_samples():
    x = np.arange(4, dtype="float32").reshape(1, 1, 4, 1)  # a b c d = 0 1 2 3
    shift = np.array([[1, 0, -3, 0, 1, 0, 0, 0]], "float64")  # reads x - 3
    out = image_ops.affine_transform(x, shift, "nearest", "mirror").numpy().ravel()
    np.testing.assert_array_equal(out, [3, 2, 1, 0])  # d c b | a: positions -3..0 mirror to 3, 2, 1, 0


def test_antialiased_weights_widen_the_kernel_when_downsampling():
    plain = image_ops.resize_weights(8, 2, "bilinear")
    wide = image_ops.resize_weights(8, 2, "bilinear", antialias=True)
    assert (plain != 0).sum() == 4 and (wide != 0).sum() > 8
    np.testing.assert_allclose(wide.sum(axis=0), 1.0)
    np.testing.assert_array_equal(image_ops.resize_weights(3, 6, "bilinear", antialias=True),
                                  image_ops.resize_weights(3, 6, "bilinear"))  # upsampling: unchanged
