"""InceptionV3 (Szegedy et al., "Rethinking the Inception Architecture for Computer Vision", 2016).

Keras's layout, layer for layer: every convolution is a bias-free `Conv2D` followed by a
`BatchNormalization` without `gamma` (`scale=False`) and a ReLU `Activation`; these carry Keras's
automatic names (`conv2d`, `batch_normalization`, `activation`, ...), the eleven Inception blocks'
outputs are the concatenations `mixed0` ... `mixed10`. A weights file written by Keras for this
model (its published `inception_v3_weights_tf_dim_ordering_tf_kernels*.h5`) loads by layer order.

Example:
    >>> from numkeras.applications import InceptionV3
    >>> model = InceptionV3(weights=None, include_top=False, input_shape=(75, 75, 3), pooling="avg")
    >>> model.output_shape, model.count_params()
    ((None, 2048), 21802784)
"""
from numkeras import layers
from numkeras.applications import arguments, imagenet_utils
from numkeras.applications.weights import WeightsFile, load_weights

BASE_WEIGHTS_URL = "https://storage.googleapis.com/tensorflow/keras-applications/inception_v3/"
WEIGHTS = WeightsFile("inception_v3_weights_tf_dim_ordering_tf_kernels.h5", BASE_WEIGHTS_URL,
                      "9a0d58056eeedaa3f26cb7ebd46da564")
WEIGHTS_NO_TOP = WeightsFile("inception_v3_weights_tf_dim_ordering_tf_kernels_notop.h5", BASE_WEIGHTS_URL,
                             "bcbd6486424b2319ff4ef7d526e38f63")


def InceptionV3(include_top=True, weights="imagenet", input_tensor=None, input_shape=None,  # noqa: N802
                pooling=None, classes=1000, classifier_activation="softmax", name="inception_v3"):
    """Builds the InceptionV3 image classifier (or, without its top, a feature extractor).

    Inputs are RGB images scaled to [-1, 1]: pass them through
    `numkeras.applications.inception_v3.preprocess_input` first.

    Args:
        include_top: whether to end with global average pooling and the `classes`-way dense
            classifier "predictions". Defaults to True.
        weights: None (random initialization), "imagenet" (Keras's published ImageNet weights,
            downloaded once into the cache by `numkeras.utils.get_file`), or the path of a weights
            file to load. Defaults to "imagenet".
        input_tensor: a KerasTensor (an `Input()` or a layer's output) to build the model on.
            Defaults to None (a new `Input`).
        input_shape: the image shape `(height, width, channels)`, each side at least 75; with
            `include_top=True` and ImageNet weights it must be (299, 299, 3). Defaults to None:
            (299, 299, 3) with the top, (None, None, 3) without.
        pooling: without the top, None (the 4-D output of the last block), "avg" or "max"
            (global pooling to a 2-D output). Defaults to None.
        classes: the number of classes of the top; 1000 with ImageNet weights. Defaults to 1000.
        classifier_activation: the top's activation (a name or a callable); None gives logits.
            Only None or "softmax" with pretrained weights. Defaults to "softmax".
        name: the model's name. Defaults to "inception_v3".

    Returns:
        A functional `Model`.

    Raises:
        ValueError: an argument is out of range (named in the message).
    """
    model = "InceptionV3"
    arguments.check_weights(weights, include_top, classes, model)
    arguments.check_pooling(pooling, model)
    input_shape = arguments.obtain_input_shape(input_shape, default_size=299, min_size=75,
                                               require_flatten=include_top, weights=weights, model=model)
    img_input = arguments.image_input(input_tensor, input_shape, model)
    x = inception_v3_features(img_input)
    x = arguments.classifier_or_pooling(x, include_top, pooling, classes, classifier_activation, weights, model)
    result = arguments.functional_model(input_tensor, img_input, x, name)
    return load_weights(result, weights, include_top, WEIGHTS, WEIGHTS_NO_TOP)



def conv2d_bn(x, filters, num_row, num_col, padding="same", strides=(1, 1), name=None):
    """A bias-free `Conv2D`, a `BatchNormalization` without scale, and a ReLU: InceptionV3's unit.

    Args:
        x: the input KerasTensor.
        filters: the convolution's output channels.
        num_row: the kernel's height.
        num_col: the kernel's width.
        padding: "same" or "valid". Defaults to "same".
        strides: the convolution's strides. Defaults to (1, 1).
        name: if given, the layers are named `name + "_conv"`, `name + "_bn"` and `name`;
            otherwise they take automatic names. Defaults to None.

    Returns:
        The activation's output.
    """
    x = layers.Conv2D(filters, (num_row, num_col), strides=strides, padding=padding, use_bias=False,
                      name=None if name is None else f"{name}_conv")(x)
    x = layers.BatchNormalization(axis=3, scale=False, name=None if name is None else f"{name}_bn")(x)
    return layers.Activation("relu", name=name)(x)


def _average_branch(x, filters):
    return conv2d_bn(layers.AveragePooling2D((3, 3), strides=(1, 1), padding="same")(x), filters, 1, 1)


def _block_35(x, pool_filters, name):
    """The 35x35 Inception block: 1x1, 1x1 -> 5x5, 1x1 -> 3x3 -> 3x3, and average pool -> 1x1."""
    branch1x1 = conv2d_bn(x, 64, 1, 1)
    branch5x5 = conv2d_bn(conv2d_bn(x, 48, 1, 1), 64, 5, 5)
    branch3x3dbl = conv2d_bn(conv2d_bn(conv2d_bn(x, 64, 1, 1), 96, 3, 3), 96, 3, 3)
    branch_pool = _average_branch(x, pool_filters)
    return layers.concatenate([branch1x1, branch5x5, branch3x3dbl, branch_pool], axis=3, name=name)


def _block_17(x, width, name):
    """The 17x17 block, its 7x7 convolutions factored into 1x7 and 7x1 ones of `width` channels."""
    branch1x1 = conv2d_bn(x, 192, 1, 1)
    branch7x7 = conv2d_bn(x, width, 1, 1)
    branch7x7 = conv2d_bn(branch7x7, width, 1, 7)
    branch7x7 = conv2d_bn(branch7x7, 192, 7, 1)
    branch7x7dbl = conv2d_bn(x, width, 1, 1)
    for rows, cols in ((7, 1), (1, 7), (7, 1)):
        branch7x7dbl = conv2d_bn(branch7x7dbl, width, rows, cols)
    branch7x7dbl = conv2d_bn(branch7x7dbl, 192, 1, 7)
    branch_pool = _average_branch(x, 192)
    return layers.concatenate([branch1x1, branch7x7, branch7x7dbl, branch_pool], axis=3, name=name)


def _block_8(x, i):
    """The 8x8 block, whose 3x3 branches split into parallel 1x3 and 3x1 convolutions."""
    branch1x1 = conv2d_bn(x, 320, 1, 1)
    branch3x3 = conv2d_bn(x, 384, 1, 1)
    branch3x3 = layers.concatenate([conv2d_bn(branch3x3, 384, 1, 3), conv2d_bn(branch3x3, 384, 3, 1)],
                                   axis=3, name=f"mixed9_{i}")
    branch3x3dbl = conv2d_bn(conv2d_bn(x, 448, 1, 1), 384, 3, 3)
    branch3x3dbl = layers.concatenate([conv2d_bn(branch3x3dbl, 384, 1, 3), conv2d_bn(branch3x3dbl, 384, 3, 1)],
                                      axis=3)
    branch_pool = _average_branch(x, 192)
    return layers.concatenate([branch1x1, branch3x3, branch3x3dbl, branch_pool], axis=3, name=f"mixed{9 + i}")


def inception_v3_features(img_input):
    """InceptionV3 from the image to the output of `mixed10` (2048 channels); layers in Keras's order."""
    x = conv2d_bn(img_input, 32, 3, 3, strides=(2, 2), padding="valid")
    x = conv2d_bn(x, 32, 3, 3, padding="valid")
    x = conv2d_bn(x, 64, 3, 3)
    x = layers.MaxPooling2D((3, 3), strides=(2, 2))(x)
    x = conv2d_bn(x, 80, 1, 1, padding="valid")
    x = conv2d_bn(x, 192, 3, 3, padding="valid")
    x = layers.MaxPooling2D((3, 3), strides=(2, 2))(x)

    x = _block_35(x, 32, "mixed0")
    x = _block_35(x, 64, "mixed1")
    x = _block_35(x, 64, "mixed2")

    # mixed3: the 35x35 -> 17x17 reduction.
    branch3x3 = conv2d_bn(x, 384, 3, 3, strides=(2, 2), padding="valid")
    branch3x3dbl = conv2d_bn(conv2d_bn(x, 64, 1, 1), 96, 3, 3)
    branch3x3dbl = conv2d_bn(branch3x3dbl, 96, 3, 3, strides=(2, 2), padding="valid")
    branch_pool = layers.MaxPooling2D((3, 3), strides=(2, 2))(x)
    x = layers.concatenate([branch3x3, branch3x3dbl, branch_pool], axis=3, name="mixed3")

    x = _block_17(x, 128, "mixed4")
    x = _block_17(x, 160, "mixed5")
    x = _block_17(x, 160, "mixed6")
    x = _block_17(x, 192, "mixed7")

    # mixed8: the 17x17 -> 8x8 reduction.
    branch3x3 = conv2d_bn(conv2d_bn(x, 192, 1, 1), 320, 3, 3, strides=(2, 2), padding="valid")
    branch7x7x3 = conv2d_bn(x, 192, 1, 1)
    branch7x7x3 = conv2d_bn(branch7x7x3, 192, 1, 7)
    branch7x7x3 = conv2d_bn(branch7x7x3, 192, 7, 1)
    branch7x7x3 = conv2d_bn(branch7x7x3, 192, 3, 3, strides=(2, 2), padding="valid")
    branch_pool = layers.MaxPooling2D((3, 3), strides=(2, 2))(x)
    x = layers.concatenate([branch3x3, branch7x7x3, branch_pool], axis=3, name="mixed8")

    x = _block_8(x, 0)
    return _block_8(x, 1)


def preprocess_input(x, data_format=None):
    """Scales RGB pixels in [0, 255] to [-1, 1], as InceptionV3 was trained ("tf" mode).

    Args:
        x: a float array or tensor of images (any batch shape, channels on the last axis).
        data_format: "channels_last", "channels_first" or None (channels last). Defaults to None.

    Returns:
        `x / 127.5 - 1`, as float32 (an array in, an array out; a tensor in, a tensor out).

    Example:
        >>> import numpy as np
        >>> from numkeras.applications import inception_v3
        >>> inception_v3.preprocess_input(np.array([[0.0, 127.5, 255.0]]))
        array([[-1.,  0.,  1.]])
    """
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="tf")


# Each family's decode_predictions is the one ImageNet decoder, as in Keras.
decode_predictions = imagenet_utils.decode_predictions
