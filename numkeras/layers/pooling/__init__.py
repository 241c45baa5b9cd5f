"""Pooling layers: max and average pooling over windows, and global pooling.

Example:
    >>> import numpy as np
    >>> from numkeras.layers import GlobalAveragePooling2D, MaxPooling2D
    >>> x = np.ones((2, 28, 28, 3), "float32")
    >>> MaxPooling2D()(x).shape, GlobalAveragePooling2D()(x).shape
    ((2, 14, 14, 3), (2, 3))
"""
from numkeras.layers.pooling.average_pooling import (AveragePooling1D, AveragePooling2D, AveragePooling3D, AvgPool1D,
                                                     AvgPool2D, AvgPool3D)
from numkeras.layers.pooling.global_average_pooling import (GlobalAveragePooling1D, GlobalAveragePooling2D,
                                                            GlobalAveragePooling3D, GlobalAvgPool1D, GlobalAvgPool2D,
                                                            GlobalAvgPool3D)
from numkeras.layers.pooling.global_max_pooling import (GlobalMaxPool1D, GlobalMaxPool2D, GlobalMaxPool3D,
                                                        GlobalMaxPooling1D, GlobalMaxPooling2D, GlobalMaxPooling3D)
from numkeras.layers.pooling.max_pooling import (MaxPool1D, MaxPool2D, MaxPool3D, MaxPooling1D, MaxPooling2D,
                                                 MaxPooling3D)

__all__ = ["AveragePooling1D", "AveragePooling2D", "AveragePooling3D", "AvgPool1D", "AvgPool2D", "AvgPool3D",
           "GlobalAveragePooling1D", "GlobalAveragePooling2D", "GlobalAveragePooling3D", "GlobalAvgPool1D",
           "GlobalAvgPool2D", "GlobalAvgPool3D", "GlobalMaxPool1D", "GlobalMaxPool2D", "GlobalMaxPool3D",
           "GlobalMaxPooling1D", "GlobalMaxPooling2D", "GlobalMaxPooling3D", "MaxPool1D", "MaxPool2D", "MaxPool3D",
           "MaxPooling1D", "MaxPooling2D", "MaxPooling3D"]
