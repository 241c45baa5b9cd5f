"""Xception (Chollet, "Xception: Deep Learning with Depthwise Separable Convolutions", 2017).

Keras's layout, layer for layer: an entry flow of two plain convolutions and three downsampling
blocks, a middle flow of eight residual blocks of three `SeparableConv2D`s (`block5` ... `block12`),
and an exit flow (`block13`, `block14`). Every convolution is bias-free and followed by a
`BatchNormalization` (Keras's defaults: epsilon 1e-3, momentum 0.99). The four 1x1 strided shortcut
convolutions, their batch normalizations and the residual `add`s carry Keras's automatic names
(`conv2d`, `batch_normalization`, `add`, ...). Keras's published
`xception_weights_tf_dim_ordering_tf_kernels*.h5` files load by layer order.

Example:
    >>> from numkeras.applications import Xception
    >>> model = Xception(weights=None, include_top=False, input_shape=(71, 71, 3), pooling="max")
    >>> model.output_shape, model.count_params()
    ((None, 2048), 20861480)
"""
from numkeras import layers
from numkeras.applications import arguments, imagenet_utils
from numkeras.applications.weights import WeightsFile, load_weights

BASE_WEIGHTS_URL = "https://storage.googleapis.com/tensorflow/keras-applications/xception/"
WEIGHTS = WeightsFile("xception_weights_tf_dim_ordering_tf_kernels.h5", BASE_WEIGHTS_URL,
                      "0a58e3b7378bc2990ea3b43d5981f1f6")
WEIGHTS_NO_TOP = WeightsFile("xception_weights_tf_dim_ordering_tf_kernels_notop.h5", BASE_WEIGHTS_URL,
                             "b0042744bf5b25fce3cb969f33bebb97")


def Xception(include_top=True, weights="imagenet", input_tensor=None, input_shape=None,  # noqa: N802
             pooling=None, classes=1000, classifier_activation="softmax", name="xception"):
    """Builds the Xception image classifier (or, without its top, a feature extractor).

    Inputs are RGB images scaled to [-1, 1]: pass them through
    `numkeras.applications.xception.preprocess_input` first.

    Args:
        include_top: whether to end with global average pooling and the `classes`-way dense
            classifier "predictions". Defaults to True.
        weights: None (random initialization), "imagenet" (Keras's published ImageNet weights,
            downloaded once into the cache by `numkeras.utils.get_file`), or the path of a weights
            file to load. Defaults to "imagenet".
        input_tensor: a KerasTensor (an `Input()` or a layer's output) to build the model on.
            Defaults to None (a new `Input`).
        input_shape: the image shape `(height, width, channels)`, each side at least 71; with
            `include_top=True` and ImageNet weights it must be (299, 299, 3). Defaults to None:
            (299, 299, 3) with the top, (None, None, 3) without.
        pooling: without the top, None (the 4-D output of the last block), "avg" or "max"
            (global pooling to a 2-D output). Defaults to None.
        classes: the number of classes of the top; 1000 with ImageNet weights. Defaults to 1000.
        classifier_activation: the top's activation (a name or a callable); None gives logits.
            Only None or "softmax" with pretrained weights. Defaults to "softmax".
        name: the model's name. Defaults to "xception".

    Returns:
        A functional `Model`.

    Raises:
        ValueError: an argument is out of range (named in the message).
    """
    model = "Xception"
    arguments.check_weights(weights, include_top, classes, model)
    arguments.check_pooling(pooling, model)
    input_shape = arguments.obtain_input_shape(input_shape, default_size=299, min_size=71,
                                               require_flatten=include_top, weights=weights, model=model)
    img_input = arguments.image_input(input_tensor, input_shape, model)
    x = xception_features(img_input)
    x = arguments.classifier_or_pooling(x, include_top, pooling, classes, classifier_activation, weights, model)
    result = arguments.functional_model(input_tensor, img_input, x, name)
    return load_weights(result, weights, include_top, WEIGHTS, WEIGHTS_NO_TOP)



def _separable_bn(x, filters, name):
    """A bias-free 3x3 `SeparableConv2D` named `name` and its `BatchNormalization` `name + "_bn"`."""
    x = layers.SeparableConv2D(filters, (3, 3), padding="same", use_bias=False, name=name)(x)
    return layers.BatchNormalization(axis=-1, name=f"{name}_bn")(x)


def _shortcut(x, filters):
    """The downsampling blocks' shortcut: a strided 1x1 convolution and its batch normalization."""
    x = layers.Conv2D(filters, (1, 1), strides=(2, 2), padding="same", use_bias=False)(x)
    return layers.BatchNormalization(axis=-1)(x)


def _downsampling_block(x, block, filters, relu_first=True):
    """`block`: [ReLU] sepconv1 [filters[0]], ReLU, sepconv2 [filters[1]], 3x3/2 max pool, + shortcut."""
    residual = _shortcut(x, filters[1])
    if relu_first:
        x = layers.Activation("relu", name=f"{block}_sepconv1_act")(x)
    x = _separable_bn(x, filters[0], f"{block}_sepconv1")
    x = layers.Activation("relu", name=f"{block}_sepconv2_act")(x)
    x = _separable_bn(x, filters[1], f"{block}_sepconv2")
    x = layers.MaxPooling2D((3, 3), strides=(2, 2), padding="same", name=f"{block}_pool")(x)
    return layers.add([x, residual])


def xception_features(img_input):
    """Xception from the image to `block14_sepconv2_act` (2048 channels); layers in Keras's order."""
    x = layers.Conv2D(32, (3, 3), strides=(2, 2), use_bias=False, name="block1_conv1")(img_input)
    x = layers.BatchNormalization(axis=-1, name="block1_conv1_bn")(x)
    x = layers.Activation("relu", name="block1_conv1_act")(x)
    x = layers.Conv2D(64, (3, 3), use_bias=False, name="block1_conv2")(x)
    x = layers.BatchNormalization(axis=-1, name="block1_conv2_bn")(x)
    x = layers.Activation("relu", name="block1_conv2_act")(x)

    # Entry flow. block2 starts straight on the ReLU output above.
    x = _downsampling_block(x, "block2", (128, 128), relu_first=False)
    x = _downsampling_block(x, "block3", (256, 256))
    x = _downsampling_block(x, "block4", (728, 728))

    # Middle flow: eight identity-shortcut blocks.
    for i in range(8):
        residual, prefix = x, f"block{i + 5}"
        for j in (1, 2, 3):
            x = layers.Activation("relu", name=f"{prefix}_sepconv{j}_act")(x)
            x = _separable_bn(x, 728, f"{prefix}_sepconv{j}")
        x = layers.add([x, residual])

    # Exit flow.
    x = _downsampling_block(x, "block13", (728, 1024))
    x = _separable_bn(x, 1536, "block14_sepconv1")
    x = layers.Activation("relu", name="block14_sepconv1_act")(x)
    x = _separable_bn(x, 2048, "block14_sepconv2")
    return layers.Activation("relu", name="block14_sepconv2_act")(x)


def preprocess_input(x, data_format=None):
    """Scales RGB pixels in [0, 255] to [-1, 1], as Xception was trained ("tf" mode).

    Args:
        x: a float array or tensor of images (any batch shape, channels on the last axis).
        data_format: "channels_last", "channels_first" or None (channels last). Defaults to None.

    Returns:
        `x / 127.5 - 1` (an array in, an array out; a tensor in, a tensor out).

    Example:
        >>> import numpy as np
        >>> from numkeras.applications import xception
        >>> xception.preprocess_input(np.array([[0.0, 51.0, 255.0]]))
        array([[-1. , -0.6,  1. ]])
    """
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="tf")


# Each family's decode_predictions is the one ImageNet decoder, as in Keras.
decode_predictions = imagenet_utils.decode_predictions
