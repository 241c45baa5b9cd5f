"""Xception: shapes, layer structure, arguments and their errors (Keras parity: tests/keras_parity/applications_b_test.py)."""
import numpy as np
import pytest

from numkeras import layers
from numkeras.applications import Xception, xception
from numkeras.utils import clear_session


def small(**kwargs):
    return Xception(**{"weights": None, "include_top": False, "input_shape": (71, 71, 3), **kwargs})


def test_default_classifier_has_keras_parameter_count_and_299_input():
    model = Xception(weights=None)
    assert model.name == "xception"
    assert model.count_params() == 22910480  # Keras 3.15's Xception(weights=None).count_params()
    assert model.input_shape == (None, 299, 299, 3) and model.output_shape == (None, 1000)
    assert [layer.name for layer in model.layers[-2:]] == ["avg_pool", "predictions"]


def test_structure_entry_middle_and_exit_flows():
    clear_session()
    model = small()
    names = [layer.name for layer in model.layers]
    separable = [layer for layer in model.layers if isinstance(layer, layers.SeparableConv2D)]
    assert len(separable) == 2 * 3 + 8 * 3 + 2 + 2  # entry, middle, block13, block14
    assert not any(layer.use_bias for layer in separable)
    assert sum(isinstance(layer, layers.Add) for layer in model.layers) == 3 + 8 + 1
    assert {f"block{i}_sepconv3_bn" for i in range(5, 13)} <= set(names)
    assert "block2_sepconv1_act" not in names  # block2 starts on block1's ReLU
    # the four strided shortcuts carry Keras's automatic names
    shortcuts = [layer for layer in model.layers if type(layer) is layers.Conv2D and layer.name.startswith("conv2d")]
    assert sorted(layer.name for layer in shortcuts) == ["conv2d", "conv2d_1", "conv2d_2", "conv2d_3"]
    assert [layer.filters for layer in sorted(shortcuts, key=lambda layer: layer.name)] == [128, 256, 728, 1024]
    norms = [layer for layer in model.layers if isinstance(layer, layers.BatchNormalization)]
    assert all(bn.epsilon == 1e-3 and bn.momentum == 0.99 and bn.scale for bn in norms)
    assert model.output_shape == (None, 3, 3, 2048)


@pytest.mark.parametrize("pooling, shape", [(None, (2, 3, 3, 2048)), ("avg", (2, 2048)), ("max", (2, 2048))])
def test_predict_shapes(pooling, shape):
    x = np.random.default_rng(0).uniform(-1, 1, (2, 71, 71, 3)).astype("float32")
    y = small(pooling=pooling).predict(x, verbose=0)
    assert y.shape == shape and y.dtype == np.float32 and np.all(y >= 0)  # ends in a ReLU


def test_own_classes_input_tensor_and_weights_file(tmp_path):
    images = layers.Input((72, 72, 3))
    model = Xception(weights=None, input_tensor=images, classes=3, classifier_activation=None)
    assert model.inputs[0] is images and model.output_shape == (None, 3)
    path = str(tmp_path / "xception.weights.h5")
    model.save_weights(path)
    again = Xception(weights=path, input_shape=(72, 72, 3), classes=3, classifier_activation=None)
    x = np.random.default_rng(1).uniform(-1, 1, (1, 72, 72, 3)).astype("float32")
    np.testing.assert_array_equal(again.predict(x, verbose=0), model.predict(x, verbose=0))


@pytest.mark.parametrize("kwargs, match", [
    ({"input_shape": (71, 70, 3)}, "at least 71x71"),
    ({"weights": "missing.h5"}, "weights"),
    ({"weights": "imagenet", "include_top": True, "classes": 2, "input_shape": None}, "classes"),
    ({"pooling": "sum"}, "pooling"),
])
def test_bad_arguments_name_the_argument(kwargs, match):
    with pytest.raises(ValueError, match=match) as info:
        small(**kwargs)
    assert "Xception" in str(info.value)


def test_preprocess_input_is_tf_mode():
    x = np.array([[[255.0, 0.0, 63.75]]], dtype="float32")
    np.testing.assert_allclose(xception.preprocess_input(x), [[[1.0, -1.0, -0.5]]])
    with pytest.raises(ValueError, match="1000"):
        xception.decode_predictions(np.zeros((1, 999)))
