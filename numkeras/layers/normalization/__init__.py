"""Normalization layers: BatchNormalization, LayerNormalization, GroupNormalization.

Example:
    >>> import numpy as np
    >>> from numkeras.layers import LayerNormalization
    >>> LayerNormalization()(np.ones((2, 3), "float32")).shape
    (2, 3)
"""
from numkeras.layers.normalization.batch_normalization import BatchNormalization
from numkeras.layers.normalization.group_normalization import GroupNormalization
from numkeras.layers.normalization.layer_normalization import LayerNormalization

__all__ = ["BatchNormalization", "GroupNormalization", "LayerNormalization"]
