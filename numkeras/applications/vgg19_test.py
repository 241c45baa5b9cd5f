import numpy as np
import pytest

from numkeras import utils
from numkeras.applications import vgg19
from numkeras.applications.vgg19 import VGG19

# Published figures (the Keras documentation's table): VGG19 has 143,667,240 parameters; the classifier
# (flatten 7*7*512 -> 4096 -> 4096 -> 1000) holds 123,642,856 of them.
NO_TOP = 143_667_240 - (25088 + 1) * 4096 - (4096 + 1) * 4096 - (4096 + 1) * 1000


def test_four_convolutions_in_the_last_three_blocks_and_keras_count():
    utils.clear_session()
    model = VGG19(weights=None, include_top=False, input_shape=(32, 32, 3), pooling="avg")
    assert model.count_params() == NO_TOP == 20_024_384 and model.name == "vgg19"
    names = [layer.name for layer in model.layers]
    assert names[:4] == ["input_layer", "block1_conv1", "block1_conv2", "block1_pool"]
    for b in (3, 4, 5):
        assert [n for n in names if n.startswith(f"block{b}_")] == [f"block{b}_conv{c}" for c in (1, 2, 3, 4)] + [
            f"block{b}_pool"]
    assert names[-1] == "global_average_pooling2d" and model.output.shape == (None, 512)


def test_top_with_other_classes_and_a_small_input():
    utils.clear_session()
    model = VGG19(weights=None, input_shape=(32, 32, 3), classes=3)
    assert model.count_params() == NO_TOP + (512 + 1) * 4096 + (4096 + 1) * 4096 + (4096 + 1) * 3
    x = np.random.default_rng(0).uniform(0, 255, (2, 32, 32, 3)).astype("float32")
    probs = model.predict(vgg19.preprocess_input(x), verbose=0)
    assert probs.shape == (2, 3)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, rtol=1e-5)


def test_errors_name_vgg19():
    with pytest.raises(ValueError, match=r"VGG19: .*None \(logits\) or 'softmax'"):
        VGG19(weights="imagenet", classifier_activation="relu")
    with pytest.raises(ValueError, match=r"VGG19: the input must be at least 32x32"):
        VGG19(weights=None, include_top=False, input_shape=(20, 64, 3))


def test_preprocessing_and_published_files():
    x = np.array([[[[0, 0, 0]]]], "uint8")
    np.testing.assert_allclose(vgg19.preprocess_input(x)[0, 0, 0], [-103.939, -116.779, -123.68], rtol=1e-6)
    assert vgg19.WEIGHTS_NO_TOP.origin.endswith("vgg19/vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5")
    assert vgg19.WEIGHTS.file_hash == "cbe5617147190e668d6c5d5026f83318"
