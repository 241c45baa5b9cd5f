"""MobileNetV2 (Sandler et al., "MobileNetV2: Inverted Residuals and Linear Bottlenecks", 2018).

Keras's layout, layer for layer: `Conv1`, seventeen inverted residual blocks (`expanded_conv_*`,
then `block_1_*` ... `block_16_*`: a 1x1 expansion, a 3x3 `DepthwiseConv2D`, a linear 1x1
projection, and an `add` shortcut where the shape allows), and `Conv_1`. Every convolution is
bias-free and followed by a `BatchNormalization` with epsilon 1e-3 and momentum 0.999 and, except
the projections, by `ReLU(6.0)`. Strided depthwise convolutions are "valid" after an explicit
`ZeroPadding2D` (`*_pad`). `alpha` scales every layer's width. Keras's published
`mobilenet_v2_weights_tf_dim_ordering_tf_kernels_<alpha>_<size>*.h5` files load by layer order.

Example:
    >>> from numkeras.applications import MobileNetV2
    >>> model = MobileNetV2(input_shape=(96, 96, 3), alpha=0.35, weights=None, include_top=False)
    >>> model.name, model.output_shape, model.count_params()
    ('mobilenetv2_0.35_96', (None, 3, 3, 1280), 410208)
"""
import warnings

from numkeras import layers
from numkeras.applications import arguments, imagenet_utils
from numkeras.applications.weights import WeightsFile, load_weights
from numkeras.layers.keras_tensor import is_keras_tensor

BASE_WEIGHT_PATH = "https://storage.googleapis.com/tensorflow/keras-applications/mobilenet_v2/"
IMAGENET_ALPHAS = (0.35, 0.50, 0.75, 1.0, 1.3, 1.4)
IMAGENET_SIZES = (96, 128, 160, 192, 224)


def MobileNetV2(input_shape=None, alpha=1.0, include_top=True, weights="imagenet",  # noqa: N802
                input_tensor=None, pooling=None, classes=1000, classifier_activation="softmax", name=None):
    """Builds the MobileNetV2 image classifier (or, without its top, a feature extractor).

    Inputs are RGB images scaled to [-1, 1]: pass them through
    `numkeras.applications.mobilenet_v2.preprocess_input` first.

    Args:
        input_shape: the image shape `(height, width, channels)`, each side at least 32.
            Defaults to None: the shape of `input_tensor` if it is square with a side in
            (96, 128, 160, 192, 224), else (224, 224, 3) with the top and (None, None, 3) without.
        alpha: the width multiplier: each layer's channels are scaled by it (rounded to
            multiples of 8). ImageNet weights exist for 0.35, 0.5, 0.75, 1.0, 1.3 and 1.4.
            Defaults to 1.0.
        include_top: whether to end with global average pooling and the `classes`-way dense
            classifier "predictions". Defaults to True.
        weights: None (random initialization), "imagenet" (Keras's published ImageNet weights,
            downloaded once into the cache by `numkeras.utils.get_file`), or the path of a weights
            file to load. Defaults to "imagenet".
        input_tensor: a KerasTensor (an `Input()` or a layer's output) to build the model on.
            Defaults to None (a new `Input`).
        pooling: without the top, None (the 4-D output of the last block), "avg" or "max"
            (global pooling to a 2-D output). Defaults to None.
        classes: the number of classes of the top; 1000 with ImageNet weights. Defaults to 1000.
        classifier_activation: the top's activation (a name or a callable); None gives logits.
            Only None or "softmax" with pretrained weights. Defaults to "softmax".
        name: the model's name. Defaults to None: "mobilenetv2_<alpha, 2 decimals>_<rows>".

    Returns:
        A functional `Model`.

    Raises:
        ValueError: an argument is out of range (named in the message).
    """
    model = "MobileNetV2"
    arguments.check_weights(weights, include_top, classes, model)
    arguments.check_pooling(pooling, model)
    if isinstance(alpha, bool) or not isinstance(alpha, (int, float)) or not alpha > 0:
        raise ValueError(f"{model}: `alpha` (the width multiplier) must be a positive number. "
                         f"Received: alpha={alpha!r}. 1.0 is the paper's network; 0.35 to 1.4 are common.")
    if input_shape is not None and input_tensor is not None:
        _check_tensor_matches_shape(input_tensor, input_shape, model)
    default_size = _default_size(input_shape, input_tensor)
    input_shape = arguments.obtain_input_shape(input_shape, default_size=default_size, min_size=32,
                                               require_flatten=include_top, weights=weights, model=model)
    rows, cols = input_shape[0], input_shape[1]
    if weights == "imagenet":
        if alpha not in IMAGENET_ALPHAS:
            raise ValueError(f"{model}: ImageNet weights exist for alpha in {list(IMAGENET_ALPHAS)}. "
                             f"Received: alpha={alpha!r}. Pick one of those, or weights=None.")
        if rows != cols or rows not in IMAGENET_SIZES:
            rows = 224
            warnings.warn(f"{model}: ImageNet weights exist for square inputs of side {list(IMAGENET_SIZES)}; "
                          f"input_shape={input_shape} is not one, so the weights for 224x224 are loaded.",
                          stacklevel=2)
    img_input = arguments.image_input(input_tensor, input_shape, model)
    x = mobilenet_v2_features(img_input, alpha)
    x = arguments.classifier_or_pooling(x, include_top, pooling, classes, classifier_activation, weights, model,
                                      top_pool_name=None)
    if name is None:
        name = f"mobilenetv2_{alpha:0.2f}_{rows}"
    result = arguments.functional_model(input_tensor, img_input, x, name)
    stem = f"mobilenet_v2_weights_tf_dim_ordering_tf_kernels_{float(alpha)}_{rows}"
    # Keras publishes no checksums for these files.
    return load_weights(result, weights, include_top, WeightsFile(f"{stem}.h5", BASE_WEIGHT_PATH, None),
                        WeightsFile(f"{stem}_no_top.h5", BASE_WEIGHT_PATH, None))


def _check_tensor_matches_shape(input_tensor, input_shape, model):
    """Keras's check when both are given: the tensor's width must be `input_shape`'s."""
    if not is_keras_tensor(input_tensor):
        raise ValueError(
            f"{model}: `input_tensor` must be a symbolic tensor, the output of `layers.Input()` or of a layer "
            f"called on one. Received: {type(input_tensor).__name__}.")
    if len(input_tensor.shape) != 4 or len(tuple(input_shape)) != 3 or input_tensor.shape[2] != input_shape[1]:
        raise ValueError(
            f"{model}: `input_tensor` and `input_shape` disagree: the tensor's width (shape[2]) must equal "
            f"input_shape[1]. Received: input_tensor.shape={input_tensor.shape}, input_shape={input_shape}. "
            "Give only input_tensor: the model takes its shape.")


def _default_size(input_shape, input_tensor):
    """The side Keras assumes: the given square side if ImageNet weights exist for it, else 224."""
    if input_shape is not None:
        rows, cols = tuple(input_shape)[:2] if len(tuple(input_shape)) == 3 else (None, None)
    elif input_tensor is not None and is_keras_tensor(input_tensor) and len(input_tensor.shape) == 4:
        rows, cols = input_tensor.shape[1], input_tensor.shape[2]
    else:
        return 224
    return rows if rows == cols and rows in IMAGENET_SIZES else 224


def _make_divisible(v, divisor, min_value=None):
    """`v` rounded to the nearest multiple of `divisor` (at least `min_value`), never below 90% of `v`."""
    min_value = divisor if min_value is None else min_value
    rounded = max(min_value, int(v + divisor / 2) // divisor * divisor)
    return rounded + divisor if rounded < 0.9 * v else rounded


def _batch_norm(x, name):
    return layers.BatchNormalization(axis=-1, epsilon=1e-3, momentum=0.999, name=name)(x)


def _inverted_res_block(inputs, expansion, stride, alpha, filters, block_id):
    """Expansion (1x1, ReLU6), 3x3 depthwise (stride, ReLU6), linear 1x1 projection, maybe `add`."""
    in_channels = inputs.shape[-1]
    pointwise_filters = _make_divisible(int(filters * alpha), 8)
    x = inputs
    if block_id:
        prefix = f"block_{block_id}_"
        x = layers.Conv2D(expansion * in_channels, kernel_size=1, padding="same", use_bias=False,
                          activation=None, name=f"{prefix}expand")(x)
        x = _batch_norm(x, f"{prefix}expand_BN")
        x = layers.ReLU(6.0, name=f"{prefix}expand_relu")(x)
    else:
        prefix = "expanded_conv_"
    if stride == 2:
        x = layers.ZeroPadding2D(padding=arguments.correct_pad(x, 3), name=f"{prefix}pad")(x)
    x = layers.DepthwiseConv2D(kernel_size=3, strides=stride, activation=None, use_bias=False,
                               padding="same" if stride == 1 else "valid", name=f"{prefix}depthwise")(x)
    x = _batch_norm(x, f"{prefix}depthwise_BN")
    x = layers.ReLU(6.0, name=f"{prefix}depthwise_relu")(x)
    x = layers.Conv2D(pointwise_filters, kernel_size=1, padding="same", use_bias=False, activation=None,
                      name=f"{prefix}project")(x)
    x = _batch_norm(x, f"{prefix}project_BN")
    if in_channels == pointwise_filters and stride == 1:
        return layers.Add(name=f"{prefix}add")([inputs, x])
    return x


# (filters, stride, expansion) of blocks 0 ... 16.
BLOCKS = ((16, 1, 1), (24, 2, 6), (24, 1, 6), (32, 2, 6), (32, 1, 6), (32, 1, 6), (64, 2, 6), (64, 1, 6),
          (64, 1, 6), (64, 1, 6), (96, 1, 6), (96, 1, 6), (96, 1, 6), (160, 2, 6), (160, 1, 6), (160, 1, 6),
          (320, 1, 6))


def mobilenet_v2_features(img_input, alpha=1.0):
    """MobileNetV2 from the image to `out_relu` (1280 channels, more when alpha > 1); Keras's order."""
    x = layers.Conv2D(_make_divisible(32 * alpha, 8), kernel_size=3, strides=(2, 2), padding="same",
                      use_bias=False, name="Conv1")(img_input)
    x = _batch_norm(x, "bn_Conv1")
    x = layers.ReLU(6.0, name="Conv1_relu")(x)
    for block_id, (filters, stride, expansion) in enumerate(BLOCKS):
        x = _inverted_res_block(x, filters=filters, alpha=alpha, stride=stride, expansion=expansion,
                                block_id=block_id)
    last_block_filters = _make_divisible(1280 * alpha, 8) if alpha > 1.0 else 1280
    x = layers.Conv2D(last_block_filters, kernel_size=1, use_bias=False, name="Conv_1")(x)
    x = _batch_norm(x, "Conv_1_bn")
    return layers.ReLU(6.0, name="out_relu")(x)


def preprocess_input(x, data_format=None):
    """Scales RGB pixels in [0, 255] to [-1, 1], as MobileNetV2 was trained ("tf" mode).

    Args:
        x: a float array or tensor of images (any batch shape, channels on the last axis).
        data_format: "channels_last", "channels_first" or None (channels last). Defaults to None.

    Returns:
        `x / 127.5 - 1` (an array in, an array out; a tensor in, a tensor out).

    Example:
        >>> import numpy as np
        >>> from numkeras.applications import mobilenet_v2
        >>> mobilenet_v2.preprocess_input(np.array([[0.0, 255.0]]))
        array([[-1.,  1.]])
    """
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="tf")


# Each family's decode_predictions is the one ImageNet decoder, as in Keras.
decode_predictions = imagenet_utils.decode_predictions
