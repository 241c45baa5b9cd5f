"""Losses: functions of per-sample values, `Loss` classes, and lookup by name.

Example:
    >>> import numpy as np
    >>> from numkeras import losses
    >>> loss = losses.get("CategoricalCrossentropy")
    >>> round(float(loss(np.eye(2), np.full((2, 2), 0.5, "float32"))), 4)
    0.6931
"""
from numkeras.losses.loss import Loss, reduce_weighted_values, squeeze_or_expand_to_same_rank
from numkeras.losses.losses import (BinaryCrossentropy, BinaryFocalCrossentropy, CategoricalCrossentropy,
                                    CategoricalFocalCrossentropy, CategoricalHinge, CosineSimilarity, Hinge, Huber,
                                    KLDivergence, LogCosh, LossFunctionWrapper, MeanAbsoluteError,
                                    MeanAbsolutePercentageError, MeanSquaredError, MeanSquaredLogarithmicError,
                                    Poisson, SparseCategoricalCrossentropy, SquaredHinge, binary_crossentropy,
                                    binary_focal_crossentropy, categorical_crossentropy,
                                    categorical_focal_crossentropy, categorical_hinge, cosine_similarity, hinge,
                                    huber, kl_divergence, log_cosh, mean_absolute_error,
                                    mean_absolute_percentage_error, mean_squared_error,
                                    mean_squared_logarithmic_error, poisson, sparse_categorical_crossentropy,
                                    squared_hinge)
from numkeras.losses.losses import __all__ as _LOSSES
from numkeras.losses.registry import deserialize, get, get_loss, is_binary_or_sparse_categorical, serialize

# Keras's short and legacy names.
mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error
mape = MAPE = mean_absolute_percentage_error
msle = MSLE = mean_squared_logarithmic_error
kld = KLD = kullback_leibler_divergence = kl_divergence
logcosh = log_cosh

__all__ = ["Loss", *_LOSSES, "mse", "MSE", "mae", "MAE", "mape", "MAPE", "msle", "MSLE", "kld", "KLD",
           "kullback_leibler_divergence", "logcosh", "get", "get_loss", "serialize", "deserialize",
           "is_binary_or_sparse_categorical", "reduce_weighted_values", "squeeze_or_expand_to_same_rank"]
