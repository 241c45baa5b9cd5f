"""VGG16 (Simonyan & Zisserman, "Very Deep Convolutional Networks for Large-Scale Image Recognition", 2015).

Five blocks of 3x3 convolutions (ReLU, 'same' padding) each ending in 2x2
max pooling, then (with `include_top`) two 4096-unit dense layers and the
classifier. Layer names and weight order are Keras's (`block1_conv1`, ...,
`fc1`, `fc2`, `predictions`), so Keras's published weights files load.
Inputs are preprocessed the `'caffe'` way (`preprocess_input`).

Example:
    >>> import numpy as np
    >>> from numkeras.applications import vgg16
    >>> model = vgg16.VGG16(weights=None, include_top=False, input_shape=(32, 32, 3), pooling="avg")
    >>> images = np.random.default_rng(0).uniform(0, 255, (2, 32, 32, 3)).astype("float32")
    >>> model.predict(vgg16.preprocess_input(images), verbose=0).shape
    (2, 512)
"""
from numkeras import layers
from numkeras.applications import arguments, imagenet_utils
from numkeras.applications.weights import WeightsFile, load_weights

BASE_URL = "https://storage.googleapis.com/tensorflow/keras-applications/vgg16/"
WEIGHTS = WeightsFile("vgg16_weights_tf_dim_ordering_tf_kernels.h5", BASE_URL, "64373286793e3c8b2b4e3219cbf3544b")
WEIGHTS_NO_TOP = WeightsFile("vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5", BASE_URL,
                             "6d6bbae143d832006294945121d1f1fc")
BLOCKS = ((64, 2), (128, 2), (256, 3), (512, 3), (512, 3))  # (filters, convolutions) per block


def VGG16(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None,  # noqa: N802
          classes=1000, classifier_activation="softmax", name="vgg16"):
    """Builds VGG16, optionally with Keras's ImageNet weights.

    The default input is 224x224 RGB, preprocessed with
    `numkeras.applications.vgg16.preprocess_input`.

    Args:
        include_top: Whether to include the three dense layers at the top
            (flatten, `fc1`, `fc2`, `predictions`). Defaults to `True`.
        weights: `None` (random initialization), `"imagenet"` (Keras's
            ImageNet weights, downloaded once into the cache) or the path to
            a weights file. Defaults to `"imagenet"`.
        input_tensor: Optional symbolic tensor (the output of
            `layers.Input()`) to use as the image input.
        input_shape: Optional `(height, width, channels)`; height and width
            at least 32. Only with `include_top=False` may it differ from
            `(224, 224, 3)` when `weights="imagenet"`. Defaults to
            `(224, 224, 3)` with the top, `(None, None, 3)` without.
        pooling: With `include_top=False`: `None` (the 4D output of the last
            block), `"avg"` or `"max"` (global pooling to a 2D output).
        classes: Number of classes of the classifier (`include_top=True`);
            1000 with ImageNet weights. Defaults to `1000`.
        classifier_activation: Activation of the `predictions` layer (name
            or callable); `None` gives logits. With pre-trained weights only
            `None` or `"softmax"`. Defaults to `"softmax"`.
        name: The model's name. Defaults to `"vgg16"`.

    Returns:
        A functional `Model`.

    Raises:
        ValueError: An argument is invalid (the message names it).
    """
    return build_vgg(BLOCKS, "VGG16", (WEIGHTS, WEIGHTS_NO_TOP), include_top, weights, input_tensor, input_shape,
                     pooling, classes, classifier_activation, name)


def build_vgg(blocks, model, published, include_top, weights, input_tensor, input_shape, pooling, classes,
              classifier_activation, name):
    """A VGG network with `blocks` ((filters, convolutions) per block), as VGG16 and VGG19 build it."""
    arguments.check_weights(weights, include_top, classes, model)
    arguments.check_pooling(pooling, model)
    input_shape = arguments.obtain_input_shape(input_shape, default_size=224, min_size=32,
                                               require_flatten=include_top, weights=weights, model=model)
    img_input = arguments.image_input(input_tensor, input_shape, model)
    x = img_input
    for b, (filters, convolutions) in enumerate(blocks, start=1):
        for c in range(1, convolutions + 1):
            x = layers.Conv2D(filters, (3, 3), activation="relu", padding="same", name=f"block{b}_conv{c}")(x)
        x = layers.MaxPooling2D((2, 2), strides=(2, 2), name=f"block{b}_pool")(x)
    if include_top:
        arguments.check_classifier_activation(classifier_activation, weights, model)
        x = layers.Flatten(name="flatten")(x)
        x = layers.Dense(4096, activation="relu", name="fc1")(x)
        x = layers.Dense(4096, activation="relu", name="fc2")(x)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    elif pooling == "avg":
        x = layers.GlobalAveragePooling2D()(x)
    elif pooling == "max":
        x = layers.GlobalMaxPooling2D()(x)
    built = arguments.functional_model(input_tensor, img_input, x, name)
    return load_weights(built, weights, include_top, *published)


def preprocess_input(x, data_format=None):
    """Preprocesses RGB images in [0, 255] for VGG16: BGR, minus the ImageNet channel means ('caffe').

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
