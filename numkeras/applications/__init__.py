"""Applications: ImageNet models (VGG16, ResNet50, ...) with Keras's layer names and weights files.

Each model function builds a functional `Model` with Keras's arguments
(`include_top`, `weights`, `input_tensor`, `input_shape`, `pooling`,
`classes`, `classifier_activation`, `name`), layer names and weight order,
so Keras's published `.h5` weights files load into it. Each family's
module (`vgg16`, `resnet50`, ...) also has its `preprocess_input` and
`decode_predictions`. Names load when first touched.

Example:
    >>> from numkeras import applications
    >>> model = applications.VGG16(weights=None, include_top=False, input_shape=(32, 32, 3))
    >>> model.output.shape
    (None, 1, 1, 512)
"""
import importlib as _importlib

# The surface: Keras 3.15's keras.applications names that numkeras implements (tests/surface checks it).
_NAMES = {
    "ResNet50": "numkeras.applications.resnet",
    "ResNet101": "numkeras.applications.resnet",
    "ResNet152": "numkeras.applications.resnet",
    "VGG16": "numkeras.applications.vgg16",
    "VGG19": "numkeras.applications.vgg19",
    "InceptionV3": "numkeras.applications.inception_v3",
    "MobileNetV2": "numkeras.applications.mobilenet_v2",
    "Xception": "numkeras.applications.xception",
}
_SUBMODULES = ("imagenet_utils", "resnet", "resnet50", "vgg16", "vgg19",
               "inception_v3", "mobilenet_v2", "xception")
_NUMKERAS_EXTRAS = ()
__all__ = sorted((*_NAMES, *_SUBMODULES))


def __getattr__(name):
    if name in _SUBMODULES:
        return _importlib.import_module(f"numkeras.applications.{name}")
    if name in _NAMES:
        value = globals()[name] = getattr(_importlib.import_module(_NAMES[name]), name)
        return value
    raise AttributeError(f"module 'numkeras.applications' has no attribute {name!r}")


def __dir__():
    return list(__all__)
