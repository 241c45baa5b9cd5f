import numpy as np
import pytest

from numkeras import layers, utils
from numkeras.applications import resnet
from numkeras.applications.resnet import ResNet50, ResNet101

# Published figures (the Keras documentation's table): ResNet50 has 25,636,712 parameters, ResNet101
# 44,707,176; the classifier (2048 -> 1000) holds 2,049,000 of them.
TOP = (2048 + 1) * 1000


@pytest.fixture(scope="module")
def full():
    utils.clear_session()
    return ResNet50(weights=None)


def test_resnet50_has_keras_count_and_layer_names(full):
    assert full.count_params() == 25_636_712 and full.name == "resnet50"
    names = [layer.name for layer in full.layers]
    assert names[:7] == ["input_layer", "conv1_pad", "conv1_conv", "conv1_bn", "conv1_relu", "pool1_pad",
                         "pool1_pool"]
    assert names[-2:] == ["avg_pool", "predictions"] and len(names) == 177
    # Each stage's first block has the projection shortcut (_0_conv, _0_bn); the others add their input.
    assert [n for n in names if n.endswith("_0_conv")] == [f"conv{s}_block1_0_conv" for s in (2, 3, 4, 5)]
    blocks = {n.rsplit("_block", 1)[0]: int(n.split("_block")[1].split("_")[0]) for n in names if "_block" in n}
    assert blocks == {"conv2": 3, "conv3": 4, "conv4": 6, "conv5": 3}
    # Keras's order, deepest first: the long branch's first layers before the shortcut's convolution,
    # which is the order of the layers in Keras's published weights file.
    assert names[names.index("conv2_block1_1_conv"):names.index("conv2_block1_out") + 1] == [
        "conv2_block1_1_conv", "conv2_block1_1_bn", "conv2_block1_1_relu", "conv2_block1_2_conv",
        "conv2_block1_2_bn", "conv2_block1_2_relu", "conv2_block1_0_conv", "conv2_block1_3_conv",
        "conv2_block1_0_bn", "conv2_block1_3_bn", "conv2_block1_add", "conv2_block1_out"]


def test_batch_normalization_as_keras(full):
    bn = full.get_layer("conv3_block2_2_bn")
    assert bn.epsilon == 1.001e-5 and bn.axis in (3, -1, [3])
    assert full.get_layer("conv1_conv").strides == (2, 2) and full.get_layer("conv3_block1_1_conv").strides == (2, 2)
    assert full.get_layer("conv2_block1_1_conv").strides == (1, 1)


def test_without_the_top_and_pooling_names():
    utils.clear_session()
    avg = ResNet50(weights=None, include_top=False, input_shape=(32, 32, 3), pooling="avg")
    assert avg.count_params() == 25_636_712 - TOP and avg.layers[-1].name == "avg_pool"
    assert avg.output.shape == (None, 2048)
    mx = ResNet50(weights=None, include_top=False, pooling="max")
    assert mx.layers[-1].name == "max_pool" and mx.inputs[0].shape == (None, None, None, 3)
    bare = ResNet50(weights=None, include_top=False, input_shape=(64, 64, 3))
    assert bare.layers[-1].name == "conv5_block3_out" and bare.output.shape == (None, 2, 2, 2048)


def test_a_forward_pass_on_a_small_batch():
    utils.clear_session()
    model = ResNet50(weights=None, input_shape=(32, 32, 3), classes=4, classifier_activation=None)
    assert model.count_params() == 25_636_712 - TOP + (2048 + 1) * 4
    x = resnet.preprocess_input(np.random.default_rng(0).uniform(0, 255, (2, 32, 32, 3)).astype("float32"))
    y = model.predict(x, verbose=0)
    assert y.shape == (2, 4) and y.dtype == np.float32 and np.all(np.isfinite(y))


def test_resnet101_count_and_depth():
    utils.clear_session()
    model = ResNet101(weights=None, include_top=False, input_shape=(32, 32, 3))
    assert model.count_params() == 44_707_176 - TOP and model.name == "resnet101"
    assert model.get_layer("conv4_block23_out") is not None
    with pytest.raises(ValueError):
        model.get_layer("conv4_block24_out")


def test_input_tensor_and_errors():
    utils.clear_session()
    images = layers.Input((48, 48, 3), name="images")
    model = ResNet50(weights=None, include_top=False, input_tensor=layers.Rescaling(1.0, name="same")(images))
    assert model.inputs[0] is images and [layer.name for layer in model.layers[:3]] == ["images", "same", "conv1_pad"]
    with pytest.raises(ValueError, match=r"ResNet50: .*`classes` must be 1000"):
        ResNet50(weights="imagenet", classes=2)
    with pytest.raises(ValueError, match=r"ResNet152: `pooling` must be"):
        resnet.ResNet152(weights=None, include_top=False, pooling="global")


def test_published_files_are_keras():
    top, notop = resnet.published_weights(50)
    assert top.origin == ("https://storage.googleapis.com/tensorflow/keras-applications/resnet/"
                          "resnet50_weights_tf_dim_ordering_tf_kernels.h5")
    assert (top.file_hash, notop.file_hash) == ("2cb95161c43110f7111970584f804107", "4d473c1dd8becc155b73f8504c6f6626")
    assert resnet.published_weights(152)[1].file_name == "resnet152_weights_tf_dim_ordering_tf_kernels_notop.h5"
