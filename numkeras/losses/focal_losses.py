"""Focal crossentropies (Lin et al., 2018): crossentropy scaled down on easy examples.

The focal factor `(1 - p_t) ** gamma`, with `p_t` the probability given to
the true label, shrinks the loss of confident correct predictions, so the
hard examples dominate. `gamma=0` gives back the plain crossentropy.

Example:
    >>> import numpy as np
    >>> y_true = np.array([[0, 1], [0, 0]])
    >>> y_pred = np.array([[-18.6, 0.51], [2.94, -12.8]], "float32")
    >>> round(float(BinaryFocalCrossentropy(gamma=3, from_logits=True)(y_true, y_pred)), 3)
    0.647
"""
from numkeras.backend import epsilon, xp
from numkeras.engine import math_ops, nn_ops, reduction_ops
from numkeras.losses.crossentropy_losses import (binary_inputs, categorical_inputs, clipped_probabilities,
                                                 elementwise_binary_crossentropy)
from numkeras.losses.wrapper import BuiltinLoss


def binary_focal_crossentropy(y_true, y_pred, apply_class_balancing=False, alpha=0.25, gamma=2.0,
                              from_logits=False, label_smoothing=0.0, axis=-1):
    """Binary crossentropy times the focal factor `(1 - p_t) ** gamma`, averaged over `axis`.

    `p_t` is `y_pred` where the label is 1 and `1 - y_pred` where it is 0.

    Args:
        y_true: labels in {0, 1}, shaped like `y_pred`.
        y_pred: probabilities (or logits when `from_logits=True`).
        apply_class_balancing: whether to weight class 1 by `alpha` and
            class 0 by `1 - alpha`. Defaults to False.
        alpha: the class-1 weight used with `apply_class_balancing`.
            Defaults to 0.25.
        gamma: the focusing parameter. Defaults to 2.0.
        from_logits: whether `y_pred` holds logits. Defaults to False.
        label_smoothing: in [0, 1]; squeezes labels towards 0.5. Defaults to 0.
        axis: the axis the mean is taken over. Defaults to -1.

    Returns:
        The per-sample losses: `y_pred`'s shape without `axis`.

    Example:
        >>> binary_focal_crossentropy([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]], gamma=2).numpy().round(3)
        array([0.33 , 0.206], dtype=float32)
    """
    y_true, y_pred = binary_inputs(y_true, y_pred, label_smoothing, "binary_focal_crossentropy")
    bce, logits = elementwise_binary_crossentropy(y_true, y_pred, from_logits, "binary_focal_crossentropy")
    p = nn_ops.sigmoid(logits) if from_logits else y_pred
    # 1 - p_t = y (1 - p) + (1 - y) p = y + p - 2 y p
    miss = math_ops.subtract(math_ops.add(y_true, p), math_ops.multiply(math_ops.multiply(y_true, p), 2.0))
    losses = _times_focal_factor(bce, miss, gamma)
    if apply_class_balancing:
        weight = math_ops.add(math_ops.multiply(y_true, 2.0 * alpha - 1.0), 1.0 - alpha)  # alpha or 1 - alpha
        losses = math_ops.multiply(losses, weight)
    return reduction_ops.mean(losses, axis=axis)


def categorical_focal_crossentropy(y_true, y_pred, alpha=0.25, gamma=2.0, from_logits=False, label_smoothing=0.0,
                                   axis=-1):
    """Categorical crossentropy with each class term scaled by `alpha * (1 - p) ** gamma`.

    Args:
        y_true: one-hot labels, shaped like `y_pred`.
        y_pred: probabilities (or logits when `from_logits=True`); they are
            renormalized along `axis` and clipped to [eps, 1 - eps].
        alpha: a weight for all classes, or a list of one weight per class.
            Defaults to 0.25.
        gamma: the focusing parameter. Defaults to 2.0.
        from_logits: whether `y_pred` holds logits. Defaults to False.
        label_smoothing: in [0, 1]; labels become `y * (1 - s) + s / num_classes`.
        axis: the class axis. Defaults to -1.

    Returns:
        The per-sample losses: `y_pred`'s shape without `axis`.

    Example:
        >>> categorical_focal_crossentropy([[0, 1, 0], [0, 0, 1]],
        ...                                [[0.05, 0.9, 0.05], [0.1, 0.85, 0.05]]).numpy().round(4)
        array([3.000e-04, 6.759e-01], dtype=float32)
    """
    y_true, y_pred = categorical_inputs(y_true, y_pred, label_smoothing, axis, "categorical_focal_crossentropy")
    if from_logits:
        y_pred = nn_ops.softmax(y_pred, axis=axis)
    p = clipped_probabilities(y_pred, axis)
    terms = math_ops.negative(math_ops.multiply(y_true, math_ops.log(p)))
    terms = _times_focal_factor(terms, math_ops.subtract(1.0, p), gamma)
    terms = math_ops.multiply(terms, _class_weights(alpha, y_pred, axis))
    return reduction_ops.sum(terms, axis=axis)


class BinaryFocalCrossentropy(BuiltinLoss):
    """Focal crossentropy loss between binary labels and predictions.

    Args:
        apply_class_balancing: whether to weight class 1 by `alpha` and
            class 0 by `1 - alpha`. Defaults to False.
        alpha: the class-1 weight. Defaults to 0.25.
        gamma: the focusing parameter. Defaults to 2.0.
        from_logits: whether `y_pred` holds logits. Defaults to False.
        label_smoothing: in [0, 1]; squeezes labels towards 0.5. Defaults to 0.
        axis: the axis the mean is taken over. Defaults to -1.
        reduction: see `Loss`. Defaults to 'sum_over_batch_size'.
        name: Defaults to "binary_focal_crossentropy".
        dtype: see `Loss`.

    Example:
        >>> loss = BinaryFocalCrossentropy(gamma=2, from_logits=True)
        >>> round(float(loss([0, 1, 0, 0], [-18.6, 0.51, 2.94, -12.8])), 3)
        0.691
    """

    def __init__(self, apply_class_balancing=False, alpha=0.25, gamma=2.0, from_logits=False, label_smoothing=0.0,
                 axis=-1, reduction="sum_over_batch_size", name="binary_focal_crossentropy", dtype=None):
        super().__init__(binary_focal_crossentropy, name=name, reduction=reduction, dtype=dtype,
                         apply_class_balancing=apply_class_balancing, alpha=alpha, gamma=gamma,
                         from_logits=from_logits, label_smoothing=label_smoothing, axis=axis)


class CategoricalFocalCrossentropy(BuiltinLoss):
    """Alpha-balanced focal crossentropy loss between one-hot labels and predictions.

    Args:
        alpha: a weight for all classes, or a list of one weight per class.
            Defaults to 0.25.
        gamma: the focusing parameter. Defaults to 2.0.
        from_logits: whether `y_pred` holds logits. Defaults to False.
        label_smoothing: in [0, 1]. Defaults to 0.
        axis: the class axis. Defaults to -1.
        reduction: see `Loss`. Defaults to 'sum_over_batch_size'.
        name: Defaults to "categorical_focal_crossentropy".
        dtype: see `Loss`.

    Example:
        >>> cfce = CategoricalFocalCrossentropy()
        >>> round(float(cfce([[0, 1, 0], [0, 0, 1]], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]])), 4)
        0.2332
    """

    def __init__(self, alpha=0.25, gamma=2.0, from_logits=False, label_smoothing=0.0, axis=-1,
                 reduction="sum_over_batch_size", name="categorical_focal_crossentropy", dtype=None):
        super().__init__(categorical_focal_crossentropy, name=name, reduction=reduction, dtype=dtype,
                         alpha=alpha, gamma=gamma, from_logits=from_logits, label_smoothing=label_smoothing,
                         axis=axis)


def _times_focal_factor(values, miss, gamma):
    """`values * miss ** gamma`; gamma=0 skips the power (its gradient at miss=0 would be 0 * inf).

    For 0 < gamma < 1, `miss` is floored at epsilon (the categorical loss's
    clipping does the same): the power's derivative `gamma * miss**(gamma - 1)`
    is inf at a perfect prediction, and the loss's gradient would be 0 * inf.
    """
    if gamma == 0:
        return values
    if gamma < 1:
        miss = math_ops.maximum(miss, epsilon())
    return math_ops.multiply(values, math_ops.power(miss, gamma))


def _class_weights(alpha, y_pred, axis):
    """`alpha` as an array that broadcasts over `y_pred`, a list of weights lying along the class axis."""
    weights = xp.asarray(alpha, dtype=y_pred.data.dtype)
    if weights.ndim == 1:
        if weights.shape[0] != y_pred.shape[axis]:
            raise ValueError(f"categorical_focal_crossentropy got {weights.shape[0]} values of `alpha` for "
                             f"{y_pred.shape[axis]} classes. Pass a single float or one weight per class.")
        shape = [1] * y_pred.ndim
        shape[axis] = -1
        weights = weights.reshape(shape)
    return weights
