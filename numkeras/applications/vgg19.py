"""VGG19: VGG16 with four convolutions in each of the last three blocks (Simonyan & Zisserman, 2015).

Layer names and weight order are Keras's, so Keras's published weights
files load. Inputs are preprocessed the `'caffe'` way (`preprocess_input`).

Example:
    >>> from numkeras.applications import vgg19
    >>> model = vgg19.VGG19(weights=None, include_top=False, input_shape=(32, 32, 3))
    >>> [layer.name for layer in model.layers][-5:]
    ['block5_conv1', 'block5_conv2', 'block5_conv3', 'block5_conv4', 'block5_pool']
"""
from numkeras.applications import imagenet_utils
from numkeras.applications.vgg16 import build_vgg
from numkeras.applications.weights import WeightsFile

BASE_URL = "https://storage.googleapis.com/tensorflow/keras-applications/vgg19/"
WEIGHTS = WeightsFile("vgg19_weights_tf_dim_ordering_tf_kernels.h5", BASE_URL, "cbe5617147190e668d6c5d5026f83318")
WEIGHTS_NO_TOP = WeightsFile("vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5", BASE_URL,
                             "253f8cb515780f3b799900260a226db6")
BLOCKS = ((64, 2), (128, 2), (256, 4), (512, 4), (512, 4))  # (filters, convolutions) per block


def VGG19(include_top=True, weights="imagenet", input_tensor=None, input_shape=None, pooling=None,  # noqa: N802
          classes=1000, classifier_activation="softmax", name="vgg19"):
    """Builds VGG19, optionally with Keras's ImageNet weights.

    The arguments are VGG16's (see `numkeras.applications.vgg16.VGG16`);
    the default input is 224x224 RGB, at least 32x32.

    Args:
        include_top: Whether to include the dense layers at the top.
            Defaults to `True`.
        weights: `None`, `"imagenet"` or the path to a weights file.
            Defaults to `"imagenet"`.
        input_tensor: Optional symbolic tensor to use as the image input.
        input_shape: Optional `(height, width, channels)`.
        pooling: `None`, `"avg"` or `"max"`, with `include_top=False`.
        classes: Number of classes (`include_top=True`). Defaults to `1000`.
        classifier_activation: Activation of the `predictions` layer.
            Defaults to `"softmax"`.
        name: The model's name. Defaults to `"vgg19"`.

    Returns:
        A functional `Model`.
    """
    return build_vgg(BLOCKS, "VGG19", (WEIGHTS, WEIGHTS_NO_TOP), include_top, weights, input_tensor, input_shape,
                     pooling, classes, classifier_activation, name)


def preprocess_input(x, data_format=None):
    """Preprocesses RGB images in [0, 255] for VGG19 ('caffe'); see `imagenet_utils.preprocess_input`."""
    return imagenet_utils.preprocess_input(x, data_format=data_format, mode="caffe")


# Each family's decode_predictions is the one ImageNet decoder, as in Keras.
decode_predictions = imagenet_utils.decode_predictions
