"""InceptionV3: shapes, layer structure, arguments and their errors (Keras parity: tests/keras_parity/applications_b_test.py)."""
import numpy as np
import pytest

from numkeras import layers
from numkeras.applications import InceptionV3, inception_v3
from numkeras.utils import clear_session


def small(**kwargs):
    return InceptionV3(**{"weights": None, "include_top": False, "input_shape": (75, 75, 3), **kwargs})


def test_default_classifier_takes_299_images_and_ends_in_softmax_predictions():
    model = InceptionV3(weights=None)
    assert model.name == "inception_v3"
    assert model.count_params() == 23851784  # Keras 3.15's InceptionV3(weights=None).count_params()
    assert model.input_shape == (None, 299, 299, 3) and model.output_shape == (None, 1000)
    assert [layer.name for layer in model.layers[-2:]] == ["avg_pool", "predictions"]
    assert model.layers[-1].get_config()["activation"] == "softmax"


def test_structure_is_94_bias_free_convolutions_each_with_a_scale_free_batch_norm_and_eleven_mixed_blocks():
    clear_session()
    model = small()
    convs = [layer for layer in model.layers if isinstance(layer, layers.Conv2D)]
    norms = [layer for layer in model.layers if isinstance(layer, layers.BatchNormalization)]
    assert len(convs) == len(norms) == 94
    assert not any(conv.use_bias for conv in convs)
    assert all(not bn.scale and bn.center and bn.epsilon == 1e-3 and bn.momentum == 0.99 for bn in norms)
    names = {layer.name for layer in model.layers}
    assert {f"mixed{i}" for i in range(11)} | {"mixed9_0", "mixed9_1"} <= names
    assert "conv2d" in names and "conv2d_93" in names and "conv2d_94" not in names  # Keras's automatic names
    assert model.output_shape == (None, 1, 1, 2048)


@pytest.mark.parametrize("pooling, cls", [("avg", layers.GlobalAveragePooling2D), ("max", layers.GlobalMaxPooling2D)])
def test_pooling_ends_in_a_global_pooling_to_2048_features(pooling, cls):
    model = small(pooling=pooling)
    assert isinstance(model.layers[-1], cls) and model.output_shape == (None, 2048)


def test_free_sizes_without_the_top_and_predict():
    model = InceptionV3(weights=None, include_top=False)
    assert model.input_shape == (None, None, None, 3)
    x = np.random.default_rng(0).uniform(-1, 1, (2, 80, 90, 3)).astype("float32")
    y = model.predict(x, verbose=0)
    assert y.shape == (2, 1, 1, 2048) and y.dtype == np.float32 and np.all(y >= 0)  # ends in a ReLU


def test_own_classes_and_logits_with_a_smaller_input():
    model = InceptionV3(weights=None, input_shape=(75, 75, 3), classes=5, classifier_activation=None)
    assert model.output_shape == (None, 5) and model.layers[-1].get_config()["activation"] == "linear"
    soft = InceptionV3(weights=None, input_shape=(75, 75, 3), classes=5)
    rows = soft.predict(np.random.default_rng(1).uniform(-1, 1, (3, 75, 75, 3)).astype("float32"), verbose=0)
    np.testing.assert_allclose(rows.sum(axis=1), 1.0, rtol=1e-5)


def test_input_tensor_becomes_the_models_input_and_its_sources_are_kept():
    images = layers.Input((80, 80, 3))
    scaled = layers.Rescaling(1 / 127.5, offset=-1.0)(images)
    model = InceptionV3(weights=None, include_top=False, input_tensor=scaled, pooling="avg")
    assert model.inputs[0] is images
    assert any(isinstance(layer, layers.Rescaling) for layer in model.layers)


def test_weights_file_path_loads(tmp_path):
    source = small(pooling="avg")
    path = str(tmp_path / "inception.weights.h5")
    source.save_weights(path)
    x = np.random.default_rng(2).uniform(-1, 1, (1, 75, 75, 3)).astype("float32")
    np.testing.assert_array_equal(small(pooling="avg", weights=path).predict(x, verbose=0),
                                  source.predict(x, verbose=0))


@pytest.mark.parametrize("kwargs, match", [
    ({"input_shape": (74, 75, 3)}, "at least 75x75"),
    ({"weights": "no/such/file.h5"}, "weights"),
    ({"weights": "imagenet", "include_top": True, "classes": 10, "input_shape": None}, "classes"),
    ({"pooling": "mean"}, "pooling"),
    ({"input_shape": (75, 75)}, "input_shape"),
    ({"input_tensor": np.zeros((1, 75, 75, 3))}, "input_tensor"),
])
def test_bad_arguments_name_the_argument(kwargs, match):
    with pytest.raises(ValueError, match=match) as info:
        small(**kwargs)
    assert "InceptionV3" in str(info.value)


def test_pretrained_weights_allow_only_softmax_or_logits():
    with pytest.raises(ValueError, match="classifier_activation"):
        InceptionV3(weights="imagenet", classifier_activation="relu")


def test_preprocess_input_scales_to_minus_one_one_and_decode_checks_the_shape():
    x = np.array([[[0.0, 127.5, 255.0]]], dtype="float32")
    np.testing.assert_allclose(inception_v3.preprocess_input(x), [[[-1.0, 0.0, 1.0]]])
    with pytest.raises(ValueError, match="1000"):
        inception_v3.decode_predictions(np.zeros((2, 10)))
