"""Layers: the building blocks of models.

Example:
    >>> from numkeras import layers
    >>> layers.Dense(10, activation="softmax").units
    10
"""
from numkeras.layers.activation import Activation
from numkeras.layers.activations import ELU, LeakyReLU, PReLU, ReLU, Softmax
from numkeras.layers.convolutional import *  # noqa: F401,F403
from numkeras.layers.core import Lambda
from numkeras.layers.dense import Dense
from numkeras.layers.dropout import Dropout
from numkeras.layers.flatten import Flatten
from numkeras.layers.input_layer import Input, InputLayer
from numkeras.layers.keras_tensor import KerasTensor
from numkeras.layers.layer import Layer
from numkeras.layers.merging import (Add, Average, Concatenate, Dot, Maximum, Minimum, Multiply, Subtract, add,
                                     average, concatenate, dot, maximum, minimum, multiply, subtract)
from numkeras.layers.normalization import BatchNormalization, GroupNormalization, LayerNormalization
from numkeras.layers.preprocessing import (CenterCrop, Normalization, RandomContrast, RandomCrop, RandomFlip,
                                           RandomRotation, RandomTranslation, RandomZoom, Rescaling, Resizing)
from numkeras.layers.regularization import (ActivityRegularization, GaussianDropout, GaussianNoise, SpatialDropout1D,
                                            SpatialDropout2D, SpatialDropout3D)
from numkeras.layers.pooling import *  # noqa: F401,F403
from numkeras.layers.reshape import Reshape
from numkeras.layers.reshaping import *  # noqa: F401,F403

__all__ = [name for name in dir() if not name.startswith("_")]
