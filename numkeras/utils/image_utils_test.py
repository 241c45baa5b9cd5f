import io
import sys

import numpy as np
import pytest

from numkeras.utils.image_utils import array_to_img, img_to_array, load_img, save_img

pytest.importorskip("PIL")


@pytest.fixture
def rgb():
    return (np.arange(4 * 6 * 3).reshape(4, 6, 3) * 3 % 256).astype("uint8")


def test_png_round_trip_in_every_color_mode(tmp_path, rgb):
    path = tmp_path / "image.png"
    save_img(path, rgb, scale=False)
    x = img_to_array(load_img(path))
    assert x.shape == (4, 6, 3) and x.dtype == np.float32
    np.testing.assert_array_equal(x, rgb)
    assert img_to_array(load_img(str(path), color_mode="rgba")).shape == (4, 6, 4)
    gray = img_to_array(load_img(path, color_mode="grayscale"))
    assert gray.shape == (4, 6, 1)
    expected = (rgb.astype(float) @ [0.299, 0.587, 0.114]).round()  # ITU-R 601-2 luma
    np.testing.assert_allclose(gray[..., 0], expected, atol=1)
    assert img_to_array(load_img(path), data_format="channels_first").shape == (3, 4, 6)


def test_jpeg_is_decoded_close_to_what_was_written(tmp_path):
    x = np.full((16, 16, 3), (200, 40, 90), "uint8")
    save_img(tmp_path / "solid.jpg", x, scale=False, quality=95)
    np.testing.assert_allclose(img_to_array(load_img(tmp_path / "solid.jpg")), x, atol=3)


def test_target_size_interpolation_and_keep_aspect_ratio(tmp_path):
    x = np.zeros((4, 8, 3), "uint8")
    x[:, 2:6] = 255  # a white centre band
    save_img(tmp_path / "band.png", x, scale=False)
    assert load_img(tmp_path / "band.png", target_size=(2, 3)).size == (3, 2)
    cropped = img_to_array(load_img(tmp_path / "band.png", target_size=(4, 4), keep_aspect_ratio=True))
    np.testing.assert_array_equal(cropped, 255)  # the centred 4x4 window is all band
    resized = load_img(tmp_path / "band.png", target_size=(4, 4), interpolation="bilinear")
    assert img_to_array(resized).shape == (4, 4, 3)
    with pytest.raises(ValueError, match="interpolation='area'"):
        load_img(tmp_path / "band.png", target_size=(3, 3), interpolation="area")


def test_bytes_io_and_file_objects(rgb):
    buffer = io.BytesIO()
    save_img(buffer, rgb, file_format="png", scale=False)
    buffer.seek(0)
    np.testing.assert_array_equal(img_to_array(load_img(buffer)), rgb)
    with pytest.raises(TypeError, match="path must be"):
        load_img(3)


def test_array_to_img_scales_and_picks_the_mode():
    img = array_to_img(np.array([[[0.0], [0.5]], [[1.0], [0.25]]]))
    assert img.mode == "L" and img_to_array(img)[..., 0].tolist() == [[0, 127], [255, 63]]
    assert array_to_img(np.zeros((2, 2, 4))).mode == "RGBA"
    assert array_to_img(np.zeros((3, 2, 2)), data_format="channels_first").size == (2, 2)
    assert array_to_img(np.full((2, 2, 1), 1000.0), scale=False).mode == "I"
    with pytest.raises(ValueError, match="rank-3"):
        array_to_img(np.zeros((2, 2)))
    with pytest.raises(ValueError, match="channels 2"):
        array_to_img(np.zeros((2, 2, 2)))


def test_rgba_jpeg_warns_and_saves_rgb(tmp_path):
    with pytest.warns(UserWarning, match="JPEG format does not support RGBA"):
        save_img(tmp_path / "x.jpg", np.full((4, 4, 4), 128, "uint8"), scale=False)
    assert load_img(tmp_path / "x.jpg").mode == "RGB"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.jpg"]  # no temporary file left behind


def test_missing_pillow_says_how_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "PIL", None)
    with pytest.raises(ImportError, match="pip install pillow"):
        load_img("anything.png")


def test_smart_resize_crops_the_centre_to_the_aspect_ratio_then_resizes():
    from numkeras.utils.image_utils import smart_resize
    x = np.arange(6 * 12 * 2, dtype="float32").reshape(6, 12, 2)
    # Target 3x3 (square): the centred 6x6 crop is columns 3..8; halving it averages 2x2 blocks.
    out = smart_resize(x, (3, 3))
    crop = x[:, 3:9]
    expected = crop.reshape(3, 2, 3, 2, 2).mean(axis=(1, 3))
    np.testing.assert_allclose(out, expected, rtol=1e-6)
    assert out.dtype == np.float32
    first = smart_resize(np.stack([x, x]).transpose(0, 3, 1, 2), (3, 3), data_format="channels_first")
    np.testing.assert_allclose(first, np.stack([expected, expected]).transpose(0, 3, 1, 2), rtol=1e-6)
    assert smart_resize(np.zeros((5, 5, 1), "uint8"), (2, 3)).dtype == np.uint8
    with pytest.raises(ValueError, match="shape \\(5, 5\\)"):
        smart_resize(np.zeros((5, 5)), (2, 2))
    with pytest.raises(TypeError, match="unexpected keyword"):
        smart_resize(x, (2, 2), antialias=True)
