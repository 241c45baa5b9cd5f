"""Every built-in loss in one namespace: each as a function (per-sample values) and a `Loss` class.

The losses live in one file per family; this module gathers them, so
`numkeras.losses.losses.<name>` keeps working for code that imports from it.

- crossentropy_losses: BinaryCrossentropy, CategoricalCrossentropy, SparseCategoricalCrossentropy
- focal_losses: BinaryFocalCrossentropy, CategoricalFocalCrossentropy
- probabilistic_losses: KLDivergence, Poisson
- regression_losses: MeanSquaredError, MeanAbsoluteError, MeanAbsolutePercentageError,
  MeanSquaredLogarithmicError, Huber, LogCosh, CosineSimilarity
- hinge_losses: Hinge, SquaredHinge, CategoricalHinge
- overlap_losses: Dice, Tversky
- circle_loss: Circle
- generalized_crossentropy: CategoricalGeneralizedCrossEntropy
- ctc_loss: CTC

Example:
    >>> import numpy as np
    >>> y_true = np.array([[0, 1, 0], [0, 0, 1]])
    >>> y_pred = np.array([[0.05, 0.95, 0], [0.1, 0.8, 0.1]], "float32")
    >>> round(float(CategoricalCrossentropy()(y_true, y_pred)), 3)
    1.177
"""
from numkeras.losses.circle_loss import Circle, circle
from numkeras.losses.crossentropy_losses import (BinaryCrossentropy, CategoricalCrossentropy,  # noqa: F401
                                                 SparseCategoricalCrossentropy, _sparse_crossentropy,
                                                 binary_crossentropy, categorical_crossentropy,
                                                 sparse_categorical_crossentropy)
from numkeras.losses.ctc_loss import CTC, ctc
from numkeras.losses.focal_losses import (BinaryFocalCrossentropy, CategoricalFocalCrossentropy,
                                          binary_focal_crossentropy, categorical_focal_crossentropy)
from numkeras.losses.generalized_crossentropy import (CategoricalGeneralizedCrossEntropy,
                                                      categorical_generalized_cross_entropy)
from numkeras.losses.hinge_losses import CategoricalHinge, Hinge, SquaredHinge, categorical_hinge, hinge, squared_hinge
from numkeras.losses.overlap_losses import Dice, Tversky, dice, tversky
from numkeras.losses.probabilistic_losses import KLDivergence, Poisson, kl_divergence, poisson
from numkeras.losses.regression_losses import (CosineSimilarity, Huber, LogCosh, MeanAbsoluteError,
                                               MeanAbsolutePercentageError, MeanSquaredError,
                                               MeanSquaredLogarithmicError, cosine_similarity, huber, log_cosh,
                                               mean_absolute_error, mean_absolute_percentage_error,
                                               mean_squared_error, mean_squared_logarithmic_error)
from numkeras.losses.wrapper import LossFunctionWrapper

CLASSES = (BinaryCrossentropy, BinaryFocalCrossentropy, CategoricalCrossentropy, CategoricalFocalCrossentropy,
           SparseCategoricalCrossentropy, MeanSquaredError, MeanAbsoluteError, MeanAbsolutePercentageError,
           MeanSquaredLogarithmicError, Huber, LogCosh, Hinge, SquaredHinge, CategoricalHinge, KLDivergence,
           Poisson, CosineSimilarity, Dice, Tversky, Circle, CategoricalGeneralizedCrossEntropy, CTC)
FUNCTIONS = (binary_crossentropy, binary_focal_crossentropy, categorical_crossentropy,
             categorical_focal_crossentropy, sparse_categorical_crossentropy, mean_squared_error,
             mean_absolute_error, mean_absolute_percentage_error, mean_squared_logarithmic_error, huber, log_cosh,
             hinge, squared_hinge, categorical_hinge, kl_divergence, poisson, cosine_similarity, dice, tversky,
             circle, categorical_generalized_cross_entropy, ctc)

__all__ = ["LossFunctionWrapper"] + [obj.__name__ for obj in CLASSES + FUNCTIONS]
