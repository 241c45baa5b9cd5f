"""ResNet50, ResNet101 and ResNet152 (He et al., "Deep Residual Learning for Image Recognition", 2015).

A 7x7 stride-2 convolution and 3x3 max pooling, then four stages of
bottleneck residual blocks (1x1, 3x3, 1x1 convolutions, each followed by
batch normalization with epsilon 1.001e-5; a 1x1 convolution shortcut in
each stage's first block), then (with `include_top`) global average pooling
and the classifier. Layer names and weight order are Keras's
(`conv1_conv`, `conv2_block1_0_conv`, ..., `predictions`), so Keras's
published weights files load. Inputs are preprocessed the `'caffe'` way.

Example:
    >>> from numkeras.applications import resnet
    >>> model = resnet.ResNet50(weights=None, include_top=False, input_shape=(32, 32, 3), pooling="avg")
    >>> model.output.shape, model.count_params()
    ((None, 2048), 23587712)
"""
from numkeras import layers
from numkeras.applications import arguments, imagenet_utils
from numkeras.applications.weights import WeightsFile, load_weights

BASE_URL = "https://storage.googleapis.com/tensorflow/keras-applications/resnet/"
BN_EPSILON = 1.001e-5
# depth -> (blocks per stage, md5 of the published file with the top, md5 of the one without)
VARIANTS = {
    50: ((3, 4, 6, 3), "2cb95161c43110f7111970584f804107", "4d473c1dd8becc155b73f8504c6f6626"),
    101: ((3, 4, 23, 3), "f1aeb4b969a6efcfb50fad2f0c20cfc5", "88cf7a10940856eca736dc7b7e228a21"),
    152: ((3, 8, 36, 3), "100835be76be38e30d865e96f2aaae62", "ee4c566cf9a93f14d82f913c2dc6dd0c"),
}
STAGE_FILTERS = (64, 128, 256, 512)  # bottleneck width of each stage; blocks output 4x as many channels


def published_weights(depth):
    """The (with top, without top) `WeightsFile`s Keras publishes for ResNet`depth`."""
    _, top_hash, notop_hash = VARIANTS[depth]
    stem = f"resnet{depth}_weights_tf_dim_ordering_tf_kernels"
    return WeightsFile(f"{stem}.h5", BASE_URL, top_hash), WeightsFile(f"{stem}_notop.h5", BASE_URL, notop_hash)


def ResNet50(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None,  # noqa: N802
             classes=1000, classifier_activation="softmax", name="resnet50"):
    """Builds ResNet50, optionally with Keras's ImageNet weights.

    The default input is 224x224 RGB (at least 32x32), preprocessed with
    `numkeras.applications.resnet50.preprocess_input`.

    Args:
        include_top: Whether to include global average pooling (`avg_pool`)
            and the classifier (`predictions`). Defaults to `True`.
        weights: `None` (random initialization), `"imagenet"` (Keras's
            ImageNet weights, downloaded once into the cache) or the path to
            a weights file. Defaults to `"imagenet"`.
        input_tensor: Optional symbolic tensor (the output of
            `layers.Input()`) to use as the image input.
        input_shape: Optional `(height, width, channels)`; height and width
            at least 32. Only with `include_top=False` may it differ from
            `(224, 224, 3)` when `weights="imagenet"`.
        pooling: With `include_top=False`: `None` (the 4D output of the last
            stage), `"avg"` (`avg_pool`) or `"max"` (`max_pool`).
        classes: Number of classes of the classifier (`include_top=True`);
            1000 with ImageNet weights. Defaults to `1000`.
        classifier_activation: Activation of the `predictions` layer (name
            or callable); `None` gives logits. With pre-trained weights only
            `None` or `"softmax"`. Defaults to `"softmax"`.
        name: The model's name. Defaults to `"resnet50"`.

    Returns:
        A functional `Model`.

    Raises:
        ValueError: An argument is invalid (the message names it).
    """
    return build_resnet(50, include_top, weights, input_tensor, input_shape, pooling, classes,
                        classifier_activation, name)


def ResNet101(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None,  # noqa: N802
              classes=1000, classifier_activation="softmax", name="resnet101"):
    """Builds ResNet101 (23 blocks in the third stage); the arguments are `ResNet50`'s.

    Args:
        include_top: Whether to include the classifier. Defaults to `True`.
        weights: `None`, `"imagenet"` or a weights file's path. Defaults to `"imagenet"`.
        input_tensor: Optional symbolic tensor to use as the image input.
        input_shape: Optional `(height, width, channels)`.
        pooling: `None`, `"avg"` or `"max"`, with `include_top=False`.
        classes: Number of classes (`include_top=True`). Defaults to `1000`.
        classifier_activation: Activation of `predictions`. Defaults to `"softmax"`.
        name: The model's name. Defaults to `"resnet101"`.

    Returns:
        A functional `Model`.
    """
    return build_resnet(101, include_top, weights, input_tensor, input_shape, pooling, classes,
                        classifier_activation, name)


def ResNet152(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None,  # noqa: N802
              classes=1000, classifier_activation="softmax", name="resnet152"):
    """Builds ResNet152 (8 and 36 blocks in the second and third stages); the arguments are `ResNet50`'s.

    Args:
        include_top: Whether to include the classifier. Defaults to `True`.
        weights: `None`, `"imagenet"` or a weights file's path. Defaults to `"imagenet"`.
        input_tensor: Optional symbolic tensor to use as the image input.
        input_shape: Optional `(height, width, channels)`.
        pooling: `None`, `"avg"` or `"max"`, with `include_top=False`.
        classes: Number of classes (`include_top=True`). Defaults to `1000`.
        classifier_activation: Activation of `predictions`. Defaults to `"softmax"`.
        name: The model's name. Defaults to `"resnet152"`.

    Returns:
        A functional `Model`.
    """
    return build_resnet(152, include_top, weights, input_tensor, input_shape, pooling, classes,
                        classifier_activation, name)


def build_resnet(depth, include_top, weights, input_tensor, input_shape, pooling, classes, classifier_activation,
                 name):
    """ResNet`depth` (50, 101 or 152), as the model functions build it."""
    model = f"ResNet{depth}"
    arguments.check_weights(weights, include_top, classes, model)
    arguments.check_pooling(pooling, model)
    input_shape = arguments.obtain_input_shape(input_shape, default_size=224, min_size=32,
                                               require_flatten=include_top, weights=weights, model=model)
    img_input = arguments.image_input(input_tensor, input_shape, model)
    x = layers.ZeroPadding2D(padding=((3, 3), (3, 3)), name="conv1_pad")(img_input)
    x = layers.Conv2D(64, 7, strides=2, name="conv1_conv")(x)
    x = layers.BatchNormalization(axis=3, epsilon=BN_EPSILON, name="conv1_bn")(x)
    x = layers.Activation("relu", name="conv1_relu")(x)
    x = layers.ZeroPadding2D(padding=((1, 1), (1, 1)), name="pool1_pad")(x)
    x = layers.MaxPooling2D(3, strides=2, name="pool1_pool")(x)
    for stage, (filters, blocks) in enumerate(zip(STAGE_FILTERS, VARIANTS[depth][0]), start=2):
        for block in range(1, blocks + 1):
            stride = 1 if stage == 2 or block > 1 else 2
            x = bottleneck_block(x, filters, stride=stride, conv_shortcut=block == 1,
                                 name=f"conv{stage}_block{block}")
    x = arguments.classifier_or_pooling(x, include_top, pooling, classes, classifier_activation, weights, model,
                                      top_pool_name="avg_pool", pool_names=("avg_pool", "max_pool"))
    built = arguments.functional_model(input_tensor, img_input, x, name)
    return load_weights(built, weights, include_top, *published_weights(depth))


def bottleneck_block(x, filters, stride=1, conv_shortcut=True, name=None):
    """One residual block of ResNet v1: 1x1 (stride), 3x3, 1x1 to `4 * filters` channels, plus the shortcut."""
    if conv_shortcut:
        shortcut = layers.Conv2D(4 * filters, 1, strides=stride, name=f"{name}_0_conv")(x)
        shortcut = layers.BatchNormalization(axis=3, epsilon=BN_EPSILON, name=f"{name}_0_bn")(shortcut)
    else:
        shortcut = x
    x = layers.Conv2D(filters, 1, strides=stride, name=f"{name}_1_conv")(x)
    x = layers.BatchNormalization(axis=3, epsilon=BN_EPSILON, name=f"{name}_1_bn")(x)
    x = layers.Activation("relu", name=f"{name}_1_relu")(x)
    x = layers.Conv2D(filters, 3, padding="same", name=f"{name}_2_conv")(x)
    x = layers.BatchNormalization(axis=3, epsilon=BN_EPSILON, name=f"{name}_2_bn")(x)
    x = layers.Activation("relu", name=f"{name}_2_relu")(x)
    x = layers.Conv2D(4 * filters, 1, name=f"{name}_3_conv")(x)
    x = layers.BatchNormalization(axis=3, epsilon=BN_EPSILON, name=f"{name}_3_bn")(x)
    x = layers.Add(name=f"{name}_add")([shortcut, x])
    return layers.Activation("relu", name=f"{name}_out")(x)


def preprocess_input(x, data_format=None):
    """Preprocesses RGB images in [0, 255] for ResNet: BGR, minus the ImageNet channel means ('caffe').

    See `numkeras.applications.imagenet_utils.preprocess_input` (a float
    NumPy array is written over, as in Keras).

    Example:

    >>> import numpy as np
    >>> preprocess_input(np.full((1, 1, 3), [200.0, 100.0, 0.0], "float32"))
    array([[[-103.939, -16.779,  76.32 ]]], dtype=float32)
    """
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="caffe")


# Each family's decode_predictions is the one ImageNet decoder, as in Keras.
decode_predictions = imagenet_utils.decode_predictions
