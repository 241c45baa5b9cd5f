"""MobileNetV2: widths, padding, default sizes, arguments and their errors (Keras parity: tests/keras_parity/applications_b_test.py)."""
import numpy as np
import pytest

from numkeras import layers
from numkeras.applications import MobileNetV2, mobilenet_v2
from numkeras.applications.mobilenet_v2 import _make_divisible


def test_default_classifier_has_keras_parameter_count_name_and_224_input():
    model = MobileNetV2(weights=None)
    assert model.count_params() == 3538984  # Keras 3.15's MobileNetV2(weights=None).count_params()
    assert model.name == "mobilenetv2_1.00_224"
    assert model.input_shape == (None, 224, 224, 3) and model.output_shape == (None, 1000)


@pytest.mark.parametrize("value, expected", [(32 * 0.35, 16), (16 * 0.35, 8), (24 * 0.5, 16), (32 * 0.75, 24),
                                             (1280 * 1.3, 1664), (1280 * 1.4, 1792), (96 * 1.3, 128), (20, 24)])
def test_make_divisible_rounds_to_multiples_of_8_never_below_90_percent(value, expected):
    # hand values: nearest multiple of 8 (half up), at least 8, bumped by 8 if below 0.9 * value
    assert _make_divisible(value, 8) == expected


def test_structure_alpha_widths_and_shortcuts():
    model = MobileNetV2(weights=None, include_top=False, input_shape=(96, 96, 3), alpha=0.35)
    assert model.name == "mobilenetv2_0.35_96"
    get = model.get_layer
    assert get("Conv1").filters == 16 and get("expanded_conv_project").filters == 8
    assert get("block_16_project").filters == 112 and get("Conv_1").filters == 1280  # alpha <= 1 keeps 1280
    adds = [layer.name for layer in model.layers if isinstance(layer, layers.Add)]
    assert sorted(adds) == sorted(f"block_{i}_add" for i in (2, 4, 5, 7, 8, 9, 11, 12, 14, 15))
    pads = [layer.name for layer in model.layers if isinstance(layer, layers.ZeroPadding2D)]
    assert sorted(pads) == sorted(f"block_{i}_pad" for i in (1, 3, 6, 13))
    assert get("block_1_depthwise").padding == "valid" and get("block_2_depthwise").padding == "same"
    norms = [layer for layer in model.layers if isinstance(layer, layers.BatchNormalization)]
    assert len(norms) == 52 and all(bn.epsilon == 1e-3 and bn.momentum == 0.999 for bn in norms)
    relus = [layer for layer in model.layers if isinstance(layer, layers.ReLU)]
    assert len(relus) == 35 and all(relu.max_value == 6.0 for relu in relus)
    assert model.output_shape == (None, 3, 3, 1280)
    odd = MobileNetV2(weights=None, include_top=False, input_shape=(34, 44, 3), alpha=0.35)  # 17x22 at block_1
    assert odd.get_layer("block_1_pad").padding == ((1, 1), (0, 1))  # 17 rows: 1 each side; 22 columns: 0 before
    wide = MobileNetV2(weights=None, include_top=False, input_shape=(32, 32, 3), alpha=1.4, pooling="avg")
    assert wide.output_shape == (None, 1792)


def test_predict_caps_at_six_and_classifies():
    model = MobileNetV2(weights=None, include_top=False, input_shape=(40, 40, 3), alpha=0.5)
    y = model.predict(np.random.default_rng(0).uniform(-1, 1, (2, 40, 40, 3)).astype("float32"), verbose=0)
    assert y.shape == (2, 2, 2, 1280) and y.dtype == np.float32 and y.min() >= 0 and y.max() <= 6
    top = MobileNetV2(weights=None, input_shape=(32, 32, 3), alpha=0.35, classes=4)
    rows = top.predict(np.zeros((3, 32, 32, 3), "float32"), verbose=0)
    np.testing.assert_allclose(rows.sum(axis=1), 1.0, rtol=1e-5)


def test_default_size_follows_a_square_input_tensor():
    assert MobileNetV2(weights=None, input_tensor=layers.Input((128, 128, 3))).name == "mobilenetv2_1.00_128"
    # Keras's rule, followed: without the top the shape it works out is (None, None, 3), so the name says None
    odd = MobileNetV2(weights=None, include_top=False, input_tensor=layers.Input((100, 100, 3)), alpha=0.75)
    assert odd.name == "mobilenetv2_0.75_None" and odd.input_shape == (None, 100, 100, 3)


def test_weights_file_loads(tmp_path):
    source = MobileNetV2(weights=None, include_top=False, input_shape=(32, 32, 3), alpha=0.35)
    path = str(tmp_path / "m.weights.h5")
    source.save_weights(path)
    again = MobileNetV2(weights=path, include_top=False, input_shape=(32, 32, 3), alpha=0.35)
    x = np.random.default_rng(3).uniform(-1, 1, (1, 32, 32, 3)).astype("float32")
    np.testing.assert_array_equal(again.predict(x, verbose=0), source.predict(x, verbose=0))


@pytest.mark.parametrize("kwargs, match", [
    ({"input_shape": (31, 32, 3)}, "at least 32x32"),
    ({"alpha": 0}, "alpha"),
    ({"alpha": "1.0"}, "alpha"),
    ({"weights": "imagenet", "alpha": 0.6}, "alpha"),
    ({"weights": "imagenet", "classes": 10}, "classes"),
    ({"input_shape": (96, 96, 3), "input_tensor": layers.Input((96, 64, 3))}, "input_tensor"),
    ({"input_tensor": np.zeros((1, 96, 96, 3))}, "input_tensor"),
    ({"pooling": "avg ", "include_top": False}, "pooling"),
])
def test_bad_arguments_name_the_argument(kwargs, match):
    with pytest.raises(ValueError, match=match) as info:
        MobileNetV2(**{"weights": None, **kwargs})
    assert "MobileNetV2" in str(info.value)


def test_preprocess_input_is_tf_mode():
    np.testing.assert_allclose(mobilenet_v2.preprocess_input(np.array([0.0, 127.5, 255.0], "float32")),
                               [-1.0, 0.0, 1.0])
    with pytest.raises(ValueError, match="1000"):
        mobilenet_v2.decode_predictions(np.zeros(1000))
