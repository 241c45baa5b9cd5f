"""Losses: functions of per-sample values, `Loss` classes, and lookup by name.

Example:
    >>> import numpy as np
    >>> from numkeras import losses
    >>> loss = losses.get("CategoricalCrossentropy")
    >>> round(float(loss(np.eye(2), np.full((2, 2), 0.5, "float32"))), 4)
    0.6931
"""
from numkeras.losses.loss import Loss, reduce_weighted_values, squeeze_or_expand_to_same_rank
from numkeras.losses.losses import (BinaryCrossentropy, CategoricalCrossentropy, LossFunctionWrapper,
                                    MeanAbsoluteError, MeanSquaredError, SparseCategoricalCrossentropy,
                                    binary_crossentropy, categorical_crossentropy, mean_absolute_error,
                                    mean_squared_error, sparse_categorical_crossentropy)
from numkeras.losses.registry import deserialize, get, get_loss, is_binary_or_sparse_categorical, serialize

# Keras's legacy short names.
mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error

__all__ = ["Loss", "LossFunctionWrapper", "BinaryCrossentropy", "CategoricalCrossentropy", "MeanAbsoluteError",
           "MeanSquaredError", "SparseCategoricalCrossentropy", "binary_crossentropy", "categorical_crossentropy",
           "mean_absolute_error", "mean_squared_error", "sparse_categorical_crossentropy", "mse", "mae",
           "get", "get_loss", "serialize", "deserialize", "is_binary_or_sparse_categorical",
           "reduce_weighted_values", "squeeze_or_expand_to_same_rank"]
