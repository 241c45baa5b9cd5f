"""Regularization layers active only in training: Dropout, SpatialDropout1D/2D/3D, GaussianNoise,
GaussianDropout; and ActivityRegularization (an output penalty).

Example:
    >>> import numpy as np
    >>> from numkeras.layers import GaussianNoise
    >>> GaussianNoise(0.1)(np.ones((2, 3), "float32")).shape
    (2, 3)
"""
from numkeras.layers.regularization.activity_regularization import ActivityRegularization
from numkeras.layers.regularization.dropout import Dropout
from numkeras.layers.regularization.gaussian_dropout import GaussianDropout
from numkeras.layers.regularization.gaussian_noise import GaussianNoise
from numkeras.layers.regularization.spatial_dropout import SpatialDropout1D, SpatialDropout2D, SpatialDropout3D

__all__ = ["ActivityRegularization", "Dropout", "GaussianDropout", "GaussianNoise", "SpatialDropout1D",
           "SpatialDropout2D", "SpatialDropout3D"]
