import hashlib

import numpy as np
import pytest

from numkeras import layers, utils
from numkeras.applications import vgg16
from numkeras.applications.vgg16 import VGG16
from numkeras.applications.weights import WeightsFile
from numkeras.applications.weights_test import write_keras2_weights
from numkeras.utils.file_utils_test import serve

# Published figures (the Keras documentation's table): VGG16 has 138,357,544 parameters, 14,714,688 without the top.
FULL, NO_TOP = 138_357_544, 14_714_688
CONV_NAMES = [f"block{b}_conv{c}" for b, n in enumerate((2, 2, 3, 3, 3), start=1) for c in range(1, n + 1)]
NAMES = ["input_layer"] + [name for b in range(1, 6) for name in
                           [n for n in CONV_NAMES if n.startswith(f"block{b}_")] + [f"block{b}_pool"]]


@pytest.fixture(scope="module")
def full():
    utils.clear_session()
    return VGG16(weights=None)


def test_full_model_has_keras_count_names_and_shapes(full):
    assert full.count_params() == FULL and full.name == "vgg16"
    assert [layer.name for layer in full.layers] == NAMES + ["flatten", "fc1", "fc2", "predictions"]
    assert full.inputs[0].shape == (None, 224, 224, 3) and full.output.shape == (None, 1000)
    assert full.get_layer("predictions").activation.__name__ == "softmax"


def test_without_the_top_any_size_and_the_pooling_modes():
    utils.clear_session()
    bare = VGG16(weights=None, include_top=False)
    assert bare.count_params() == NO_TOP and [layer.name for layer in bare.layers] == NAMES
    assert bare.inputs[0].shape == (None, None, None, 3) and bare.output.shape == (None, None, None, 512)
    avg = VGG16(weights=None, include_top=False, input_shape=(64, 48, 3), pooling="avg")
    assert avg.output.shape == (None, 512) and avg.layers[-1].name == "global_average_pooling2d"
    mx = VGG16(weights=None, include_top=False, input_shape=(32, 32, 3), pooling="max")
    x = np.random.default_rng(0).uniform(0, 255, (2, 32, 32, 3)).astype("float32")
    features = mx.predict(vgg16.preprocess_input(x), verbose=0)
    assert features.shape == (2, 512) and features.dtype == np.float32 and np.all(features >= 0)  # after ReLU


def test_classes_activation_and_name():
    utils.clear_session()
    model = VGG16(weights=None, input_shape=(32, 32, 3), classes=10, classifier_activation=None, name="mine")
    conv = NO_TOP
    assert model.count_params() == conv + (512 + 1) * 4096 + (4096 + 1) * 4096 + (4096 + 1) * 10
    assert model.name == "mine" and model.output.shape == (None, 10)
    x = np.random.default_rng(1).uniform(-1, 1, (3, 32, 32, 3)).astype("float32")
    logits = model.predict(x, verbose=0)
    assert logits.shape == (3, 10) and not np.allclose(logits.sum(axis=1), 1.0)
    assert model.get_layer("predictions").activation.__name__ == "linear"


def test_input_tensor_is_used_as_the_input():
    utils.clear_session()
    images = layers.Input((40, 40, 3), name="images")
    model = VGG16(weights=None, include_top=False, input_tensor=images)
    assert model.inputs[0] is images and model.layers[0].name == "images"
    assert model.output.shape == (None, 1, 1, 512)


@pytest.mark.parametrize("kwargs, match", [
    ({"weights": "imagenet", "classes": 10}, r"VGG16: .*`classes` must be 1000"),
    ({"weights": "imagenet", "input_shape": (200, 200, 3)}, r"must be \(224, 224, 3\)"),
    ({"weights": None, "include_top": False, "input_shape": (16, 16, 3)}, "at least 32x32"),
    ({"weights": None, "include_top": False, "pooling": "mean"}, "`pooling` must be"),
    ({"weights": "nowhere.h5"}, r"VGG16: `weights` must be None"),
    ({"weights": None, "input_shape": (None, 64, 3)}, "must be static"),
    ({"weights": None, "input_tensor": np.zeros((1, 32, 32, 3))}, "`input_tensor` must be a symbolic tensor"),
])
def test_bad_arguments_name_themselves(kwargs, match):
    with pytest.raises(ValueError, match=match):
        VGG16(**kwargs)


def test_imagenet_weights_come_through_the_cache(tmp_path, monkeypatch):
    # The published no-top file is stood in for by one the test writes and serves on 127.0.0.1.
    utils.clear_session()
    source = VGG16(weights=None, include_top=False, input_shape=(32, 32, 3))
    path = tmp_path / "notop.h5"
    write_keras2_weights(source, path)
    data = path.read_bytes()
    monkeypatch.setenv("NUMKERAS_HOME", str(tmp_path / "home"))
    with serve({vgg16.WEIGHTS_NO_TOP.file_name: data}) as (url, hits):
        monkeypatch.setattr(vgg16, "WEIGHTS_NO_TOP", WeightsFile(vgg16.WEIGHTS_NO_TOP.file_name, url,
                                                                 hashlib.md5(data).hexdigest()))
        loaded = VGG16(include_top=False, input_shape=(32, 32, 3), pooling="avg")  # weights="imagenet"
    assert hits == {vgg16.WEIGHTS_NO_TOP.file_name: 1}
    for a, b in zip(loaded.weights, source.weights):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    from_path = VGG16(weights=str(path), include_top=False, input_shape=(32, 32, 3), pooling="avg")
    x = np.random.default_rng(2).uniform(0, 255, (1, 32, 32, 3)).astype("float32")
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), from_path.predict(x, verbose=0))


def test_preprocess_input_is_caffe_and_the_urls_are_keras():
    out = vgg16.preprocess_input(np.array([[[255.0, 128.0, 0.0]]], "float32"))
    np.testing.assert_allclose(out, [[[-103.939, 128 - 116.779, 255 - 123.68]]], rtol=1e-6)
    assert vgg16.WEIGHTS.origin == ("https://storage.googleapis.com/tensorflow/keras-applications/vgg16/"
                                    "vgg16_weights_tf_dim_ordering_tf_kernels.h5")
    with pytest.raises(ValueError, match=r"\(samples, 1000\)"):
        vgg16.decode_predictions(np.zeros((1, 10)))
