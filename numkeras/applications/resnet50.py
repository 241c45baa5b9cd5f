"""`keras.applications.resnet50`: ResNet50 and its preprocessing, as Keras has them here too.

The model and the functions are `numkeras.applications.resnet`'s.

Example:
    >>> from numkeras.applications import resnet, resnet50
    >>> resnet50.ResNet50 is resnet.ResNet50
    True
"""
from numkeras.applications.resnet import ResNet50, decode_predictions, preprocess_input

__all__ = ["ResNet50", "decode_predictions", "preprocess_input"]
