import warnings

import numpy as np
import pytest

from numkeras import layers
from numkeras.applications.arguments import (check_classifier_activation, check_pooling, check_weights,
                                             correct_pad, functional_model, image_input, model_inputs,
                                             obtain_input_shape)


def shape(input_shape, require_flatten, weights=None, default_size=224, min_size=32):
    return obtain_input_shape(input_shape, default_size=default_size, min_size=min_size,
                              require_flatten=require_flatten, weights=weights, model="Net")


# -- input shapes, as Keras derives them ---------------------------------------------------------------
def test_defaults_with_and_without_the_top():
    assert shape(None, True) == (224, 224, 3) and shape(None, True, "imagenet") == (224, 224, 3)
    assert shape(None, False) == (None, None, 3) and shape(None, False, "imagenet") == (None, None, 3)
    assert shape(None, True, default_size=299) == (299, 299, 3)


def test_a_given_shape_is_kept_when_allowed():
    assert shape((32, 48, 3), True) == (32, 48, 3)  # random weights: any static shape, top or not
    assert shape([64, 64, 3], False, "imagenet") == (64, 64, 3)
    assert shape((None, None, 3), False, "imagenet") == (None, None, 3)
    assert shape((224, 224, 3), True, "imagenet") == (224, 224, 3)


def test_imagenet_with_the_top_needs_the_default_shape():
    with pytest.raises(ValueError, match=r"Net: .*must be \(224, 224, 3\)\. Received: input_shape=\(200, 200, 3\)"):
        shape((200, 200, 3), True, "imagenet")


def test_too_small_wrong_rank_wrong_channels_and_free_sizes_with_the_top():
    with pytest.raises(ValueError, match=r"at least 32x32\. Received: input_shape=\(31, 64, 3\)"):
        shape((31, 64, 3), False)
    with pytest.raises(ValueError, match="three entries"):
        shape((64, 64), False)
    with pytest.raises(ValueError, match=r"3 input channels.*input_shape=\(64, 64, 1\)"):
        shape((64, 64, 1), False, "imagenet")
    with pytest.raises(ValueError, match="must be static"):
        shape((None, 64, 3), True)
    with pytest.raises(ValueError, match="tuple of three integers"):
        shape("64x64", False)
    with pytest.raises(ValueError, match="positive"):
        shape((0, 64, 3), False)


def test_unusual_channel_counts_warn_with_random_weights():
    with pytest.warns(UserWarning, match="1 or 3 input channels"):
        assert shape((64, 64, 5), False) == (64, 64, 5)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert shape((64, 64, 1), False) == (64, 64, 1)


# -- weights, classes, pooling, classifier activation -------------------------------------------------
def test_weights_must_be_none_imagenet_or_an_existing_file(tmp_path):
    check_weights(None, True, 10, "Net")
    check_weights("imagenet", False, 10, "Net")  # classes do not matter without the top
    path = tmp_path / "w.h5"
    path.write_bytes(b"")
    check_weights(path, True, 10, "Net")
    check_weights(str(path), True, 10, "Net")
    for bad in ["imagenet21k", str(tmp_path / "missing.h5"), 3, str(tmp_path)]:
        with pytest.raises(ValueError, match=r"Net: `weights` must be None .*Received: weights="):
            check_weights(bad, True, 1000, "Net")


def test_imagenet_with_the_top_needs_1000_classes():
    with pytest.raises(ValueError, match=r"`classes` must be 1000\. Received: classes=10"):
        check_weights("imagenet", True, 10, "Net")


def test_classes_and_include_top_types():
    for bad in [0, -3, 2.0, None, True]:
        with pytest.raises(ValueError, match="`classes` must be a positive integer"):
            check_weights(None, True, bad, "Net")
    with pytest.raises(ValueError, match="`include_top` must be True or False"):
        check_weights(None, "yes", 10, "Net")


def test_pooling_modes():
    for ok in (None, "avg", "max"):
        check_pooling(ok, "Net")
    with pytest.raises(ValueError, match=r"`pooling` must be None.*Received: pooling='mean'"):
        check_pooling("mean", "Net")


def test_pretrained_classifiers_take_softmax_or_nothing():
    check_classifier_activation("relu", None, "Net")  # random weights: anything
    check_classifier_activation(None, "imagenet", "Net")
    check_classifier_activation("softmax", "imagenet", "Net")
    with pytest.raises(ValueError, match=r"None \(logits\) or 'softmax'.*classifier_activation='sigmoid'"):
        check_classifier_activation("sigmoid", "imagenet", "Net")


# -- the model's two ends ------------------------------------------------------------------------------
def test_image_input_makes_an_input_or_takes_a_symbolic_tensor():
    made = image_input(None, (32, 32, 3), "Net")
    assert made.shape == (None, 32, 32, 3)
    given = layers.Input((40, 40, 3))
    assert image_input(given, (40, 40, 3), "Net") is given
    with pytest.raises(ValueError, match=r"Net: `input_tensor` must be a symbolic tensor.*Received: ndarray"):
        image_input(np.zeros((1, 32, 32, 3)), None, "Net")


def test_a_given_input_tensor_keeps_the_layers_before_it():
    source = layers.Input((8, 8, 3), name="images")
    scaled = layers.Rescaling(1 / 255.0, name="scale")(source)
    assert model_inputs(scaled, scaled) is source
    assert model_inputs(None, source) is source
    model = functional_model(scaled, scaled, layers.Conv2D(2, 3, name="conv")(scaled), "net")
    assert [layer.name for layer in model.layers] == ["images", "scale", "conv"] and model.name == "net"
    x = np.full((1, 8, 8, 3), 255.0, "float32")
    np.testing.assert_allclose(model.predict(x, verbose=0), model.predict(x, verbose=0))


def test_correct_pad_as_keras_pads_before_a_stride_2_convolution():
    assert correct_pad(layers.Input((224, 224, 3)), 3) == ((0, 1), (0, 1))
    assert correct_pad(layers.Input((225, 225, 3)), 3) == ((1, 1), (1, 1))
    assert correct_pad(layers.Input((224, 225, 3)), (5, 5)) == ((1, 2), (2, 2))
    assert correct_pad(layers.Input((None, None, 3)), 3) == ((0, 1), (0, 1))

