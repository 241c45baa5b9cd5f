"""Losses: functions of per-sample values, `Loss` classes, and lookup by name.

Example:
    >>> import numpy as np
    >>> from numkeras import losses
    >>> loss = losses.get("CategoricalCrossentropy")
    >>> round(float(loss(np.eye(2), np.full((2, 2), 0.5, "float32"))), 4)
    0.6931
"""
from numkeras.losses.loss import Loss
from numkeras.losses.losses import (CTC, BinaryCrossentropy, BinaryFocalCrossentropy, CategoricalCrossentropy,
                                    CategoricalFocalCrossentropy, CategoricalGeneralizedCrossEntropy,
                                    CategoricalHinge, Circle, CosineSimilarity, Dice, Hinge, Huber, Tversky,
                                    categorical_generalized_cross_entropy, circle, ctc, dice, tversky,
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
from numkeras.losses.registry import deserialize, get, serialize

# Keras 2's short and legacy names (Keras 3 resolves them only as strings; numkeras keeps them as names too).
mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error
mape = MAPE = mean_absolute_percentage_error
msle = MSLE = mean_squared_logarithmic_error
kld = KLD = kullback_leibler_divergence = kl_divergence
logcosh = log_cosh

# The surface (tests/surface checks it against Keras 3.15's keras.losses).
_NUMKERAS_EXTRAS = ("LossFunctionWrapper", "mse", "MSE", "mae", "MAE", "mape", "MAPE", "msle", "MSLE", "kld", "KLD",
                    "kullback_leibler_divergence", "logcosh")
__all__ = sorted({"Loss", *_LOSSES, *_NUMKERAS_EXTRAS, "get", "serialize", "deserialize"})


def __dir__():
    return list(__all__)
