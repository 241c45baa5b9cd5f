"""The generalized cross-entropy (Zhang & Sabuncu, 2018): a crossentropy that is robust to noisy labels.

For the probability `p` given to the true class, the loss is `(1 - p**q) / q`: it tends to the
crossentropy `-log(p)` as q goes to 0 and to the mean absolute error `1 - p` at q = 1.

Example:
    >>> import numpy as np
    >>> y_pred = np.array([[0.7, 0.2, 0.1], [0.2, 0.3, 0.5]], "float32")
    >>> round(float(CategoricalGeneralizedCrossEntropy(q=0.5)([0, 2], y_pred)), 4)
    0.4562
"""
import numpy as np

from numkeras.engine import math_ops, reduction_ops
from numkeras.engine.tensor import Tensor, unwrap
from numkeras.losses.wrapper import BuiltinLoss, prediction


def categorical_generalized_cross_entropy(y_true, y_pred, q):
    """`(1 - p**q) / q` per sample, `p` being `y_pred`'s probability of the class `y_true` names.

    Args:
        y_true: integer class labels, shape `(batch,)` (or `(batch, 1)`).
        y_pred: predicted probabilities, shape `(batch, num_classes)`.
        q: the exponent, in (0, 1).

    Example:
        >>> categorical_generalized_cross_entropy([1], [[0.0, 1.0]], q=0.5).numpy()
        array([0.], dtype=float32)
    """
    y_pred = prediction(y_pred)
    labels = np.asarray(unwrap(y_true))
    if labels.ndim == y_pred.ndim and labels.shape[-1] == 1:
        labels = labels[..., 0]
    one_hot = np.eye(y_pred.shape[-1], dtype=y_pred.data.dtype)[labels.astype("int64")]
    p = reduction_ops.sum(math_ops.multiply(y_pred, Tensor(one_hot)), axis=-1)
    return math_ops.divide(math_ops.subtract(1.0, math_ops.power(p, float(q))), float(q))


categorical_generalized_cross_entropy.labels_shape = "ids"  # not shaped like y_pred: fit checks no element-by-element match


class CategoricalGeneralizedCrossEntropy(BuiltinLoss):
    """The generalized cross-entropy between integer labels and predicted probabilities.

    Args:
        q: the exponent, in (0, 1): near 0 it behaves like crossentropy, near 1 like MAE.
            Defaults to 0.5.
        reduction: see `Loss`. Defaults to 'sum_over_batch_size'.
        name: Defaults to "categorical_generalized_cross_entropy".
        dtype: see `Loss`.

    Example:
        >>> round(float(CategoricalGeneralizedCrossEntropy(q=0.9)([0], [[0.5, 0.5]])), 4)
        0.5157
    """

    def __init__(self, q=0.5, reduction="sum_over_batch_size", name="categorical_generalized_cross_entropy",
                 dtype=None):
        if not 0 < q < 1:
            raise ValueError(f"CategoricalGeneralizedCrossEntropy: q must be in the open interval (0, 1). "
                             f"Received: q={q!r}.")
        super().__init__(categorical_generalized_cross_entropy, name=name, reduction=reduction, dtype=dtype, q=q)
