import hashlib
import json
import os

import numpy as np
import pytest

from numkeras import ops
from numkeras.applications import imagenet_utils
from numkeras.applications.imagenet_utils import decode_predictions, preprocess_input
from numkeras.engine.tensor import Tensor

RGB = np.array([[[[10.0, 20.0, 30.0], [255.0, 0.0, 127.5]]]], dtype="float32")  # (1, 1, 2, 3)


# -- preprocess_input: values by hand ---------------------------------------------------------------
def test_caffe_reverses_the_channels_and_subtracts_the_bgr_means():
    out = preprocess_input(RGB.copy())
    expected = [[30 - 103.939, 20 - 116.779, 10 - 123.68], [127.5 - 103.939, 0 - 116.779, 255 - 123.68]]
    np.testing.assert_allclose(out[0, 0], expected, rtol=1e-6)
    assert out.dtype == np.float32 and out.shape == RGB.shape


def test_tf_scales_to_minus_one_one():
    out = preprocess_input(RGB.copy(), mode="tf")
    np.testing.assert_allclose(out[0, 0], [[10 / 127.5 - 1, 20 / 127.5 - 1, 30 / 127.5 - 1], [1.0, -1.0, 0.0]],
                               rtol=1e-6, atol=1e-7)


def test_torch_scales_to_zero_one_then_standardizes_each_rgb_channel():
    out = preprocess_input(RGB.copy(), mode="torch")
    mean, std = np.array([0.485, 0.456, 0.406]), np.array([0.229, 0.224, 0.225])
    expected = (np.array([[10.0, 20.0, 30.0], [255.0, 0.0, 127.5]]) / 255.0 - mean) / std
    np.testing.assert_allclose(out[0, 0], expected, rtol=1e-5)


def test_channels_first_for_one_image_and_for_a_batch():
    chw = np.transpose(RGB[0], (2, 0, 1)).copy()  # (3, 1, 2)
    expected = np.transpose(preprocess_input(RGB.copy())[0], (2, 0, 1))
    np.testing.assert_allclose(preprocess_input(chw.copy(), data_format="channels_first"), expected, rtol=1e-6)
    np.testing.assert_allclose(preprocess_input(chw[None].copy(), data_format="channels_first")[0], expected,
                               rtol=1e-6)
    torch_first = preprocess_input(chw.copy(), data_format="channels_first", mode="torch")
    np.testing.assert_allclose(torch_first, np.transpose(preprocess_input(RGB.copy(), mode="torch")[0], (2, 0, 1)),
                               rtol=1e-6)


def test_one_image_without_a_batch_axis():
    np.testing.assert_allclose(preprocess_input(RGB[0].copy()), preprocess_input(RGB.copy())[0])


# -- preprocess_input: dtypes and the caller's array, as Keras ---------------------------------------
def test_a_float_array_is_written_over_as_in_keras():
    x = RGB.copy()
    preprocess_input(x, mode="tf")
    np.testing.assert_allclose(x, RGB / 127.5 - 1.0, rtol=1e-6, atol=1e-7)


def test_integer_images_give_a_new_float32_array_and_leave_the_input_alone():
    x = np.array([[[0, 128, 255]]], dtype="uint8")
    out = preprocess_input(x, mode="tf")
    assert out.dtype == np.float32 and x.tolist() == [[[0, 128, 255]]]
    np.testing.assert_allclose(out, [[[-1.0, 128 / 127.5 - 1, 1.0]]], atol=1e-6)


def test_float64_stays_float64_and_lists_are_accepted():
    out = preprocess_input(RGB.astype("float64"))
    assert out.dtype == np.float64
    np.testing.assert_allclose(out[0, 0, 0], [30 - 103.939, 20 - 116.779, 10 - 123.68], rtol=1e-12)
    np.testing.assert_allclose(preprocess_input(RGB.tolist(), mode="tf"), RGB / 127.5 - 1, rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("mode", ["caffe", "tf", "torch"])
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_tensors_give_new_tensors_with_the_array_values(mode, data_format):
    x = RGB if data_format == "channels_last" else np.transpose(RGB, (0, 3, 1, 2)).copy()
    t = ops.convert_to_tensor(x)
    out = preprocess_input(t, data_format=data_format, mode=mode)
    assert isinstance(out, Tensor) and out.dtype == "float32"
    np.testing.assert_allclose(out.numpy(), preprocess_input(x.copy(), data_format=data_format, mode=mode),
                               rtol=1e-6, atol=1e-6)
    np.testing.assert_array_equal(t.numpy(), x)  # the input tensor is unchanged


def test_integer_tensors_become_float32():
    out = preprocess_input(ops.convert_to_tensor(np.full((1, 1, 3), 255, "uint8")), mode="tf")
    assert out.dtype == "float32"
    np.testing.assert_allclose(out.numpy(), np.ones((1, 1, 3)))


# -- preprocess_input: errors ------------------------------------------------------------------------
def test_unknown_mode_or_data_format():
    with pytest.raises(ValueError, match=r"mode.*Received: mode='pytorch'"):
        preprocess_input(RGB.copy(), mode="pytorch")
    with pytest.raises(ValueError, match=r"data_format.*Received: data_format='NHWC'"):
        preprocess_input(RGB.copy(), data_format="NHWC")


def test_a_channel_axis_other_than_three_is_refused_where_channels_are_named():
    gray = np.zeros((1, 4, 4, 1), "float32")
    with pytest.raises(ValueError, match=r"3 color channels.*shape \(1, 4, 4, 1\)"):
        preprocess_input(gray)
    with pytest.raises(ValueError, match="3 color channels"):
        preprocess_input(RGB.copy(), data_format="channels_first", mode="torch")  # channel axis 1 has size 1
    assert preprocess_input(gray, mode="tf").shape == gray.shape  # 'tf' scales any number of channels


# -- decode_predictions ------------------------------------------------------------------------------
@pytest.fixture
def class_index(tmp_path, monkeypatch):
    """A class index of 1000 made-up classes, in the cache where get_file looks, with its own hash."""
    index = {str(i): [f"n{i:08d}", f"class_{i}"] for i in range(1000)}
    data = json.dumps(index).encode()
    os.makedirs(tmp_path / "models")
    (tmp_path / "models" / "imagenet_class_index.json").write_bytes(data)
    monkeypatch.setenv("NUMKERAS_HOME", str(tmp_path))
    monkeypatch.setattr(imagenet_utils, "CLASS_INDEX_HASH", hashlib.md5(data).hexdigest())
    monkeypatch.setattr(imagenet_utils, "CLASS_INDEX_ORIGIN", "http://127.0.0.1:9/never-fetched.json")
    return index


def test_decode_names_the_top_classes_most_likely_first(class_index):
    preds = np.zeros((2, 1000), "float32")
    preds[0, [3, 999, 42]] = [0.2, 0.5, 0.3]
    preds[1, 7] = 1.0
    out = decode_predictions(preds, top=3)
    assert [(c, n) for c, n, _ in out[0]] == [("n00000999", "class_999"), ("n00000042", "class_42"),
                                              ("n00000003", "class_3")]
    assert [s for _, _, s in out[0]] == pytest.approx([0.5, 0.3, 0.2])
    assert out[1][0] == ("n00000007", "class_7", pytest.approx(1.0)) and len(out[1]) == 3
    assert len(decode_predictions(preds)[0]) == 5  # top defaults to 5


def test_decode_takes_tensors(class_index):
    preds = np.linspace(0, 1, 1000, dtype="float32")[None]
    assert decode_predictions(ops.convert_to_tensor(preds), top=1)[0][0][:2] == ("n00000999", "class_999")


def test_decode_refuses_a_wrong_shape_before_fetching_anything(tmp_path, monkeypatch):
    monkeypatch.setenv("NUMKERAS_HOME", str(tmp_path))
    for shape in [(1000,), (2, 10), (1, 1, 1000)]:
        with pytest.raises(ValueError, match=rf"\(samples, 1000\).*Received: preds with shape \({shape[0]}"):
            decode_predictions(np.zeros(shape))
    assert not (tmp_path / "models").exists()


def test_decode_refuses_a_bad_top(class_index):
    for top in [0, -1, 2.5, True]:
        with pytest.raises(ValueError, match="`top` must be a positive integer"):
            decode_predictions(np.zeros((1, 1000)), top=top)


def test_a_symbolic_input_is_preprocessed_by_a_layer_of_the_model():
    from numkeras import layers, models
    images = layers.Input((1, 2, 3))
    model = models.Model(images, preprocess_input(images, mode="torch"))
    np.testing.assert_allclose(model.predict(RGB, verbose=0), preprocess_input(RGB.copy(), mode="torch"), rtol=1e-6)
    with pytest.raises(ValueError, match="3 color channels"):
        preprocess_input(layers.Input((4, 4, 2)))
