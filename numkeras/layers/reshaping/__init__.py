"""Reshaping layers: Flatten, Reshape, Permute, RepeatVector, zero-padding, cropping and upsampling.

Example:
    >>> import numpy as np
    >>> from numkeras.layers import Cropping2D, ZeroPadding2D
    >>> x = np.ones((1, 28, 28, 1), "float32")
    >>> Cropping2D(2)(ZeroPadding2D(2)(x)).shape
    (1, 28, 28, 1)
"""
from numkeras.layers.reshaping.cropping import Cropping1D, Cropping2D, Cropping3D
from numkeras.layers.reshaping.flatten import Flatten
from numkeras.layers.reshaping.permute import Permute
from numkeras.layers.reshaping.repeat_vector import RepeatVector
from numkeras.layers.reshaping.reshape import Reshape
from numkeras.layers.reshaping.up_sampling import UpSampling1D, UpSampling2D, UpSampling3D
from numkeras.layers.reshaping.zero_padding import ZeroPadding1D, ZeroPadding2D, ZeroPadding3D

__all__ = ["Cropping1D", "Cropping2D", "Cropping3D", "Flatten", "Permute", "RepeatVector", "Reshape",
           "UpSampling1D", "UpSampling2D", "UpSampling3D", "ZeroPadding1D", "ZeroPadding2D", "ZeroPadding3D"]
