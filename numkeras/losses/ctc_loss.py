"""The CTC loss for sequence labelling without alignments (speech, handwriting, OCR).

The model outputs logits for every frame; the labels are a shorter sequence of classes,
padded with 0. Class 0 is also the CTC blank, so real labels are 1, 2, ...; every frame of
`y_pred` counts. For other blanks or per-sample frame counts, use `numkeras.ops.ctc_loss`.

Example:
    >>> import numpy as np
    >>> logits = np.zeros((1, 3, 3), "float32")  # 3 frames, blank + 2 classes, all equally likely
    >>> round(float(CTC()(np.array([[1, 2]]), logits)), 4)
    1.6864
"""
import numpy as np

from numkeras.engine.ctc_ops import ctc_loss
from numkeras.engine.tensor import unwrap
from numkeras.losses.wrapper import BuiltinLoss, prediction


def ctc(y_true, y_pred):
    """The CTC negative log-likelihood of each sample's labels.

    Args:
        y_true: integer labels of shape `(batch, max_label_length)`, padded with 0 (the blank).
        y_pred: logits of shape `(batch, frames, num_classes)`.

    Returns:
        A Tensor of shape `(batch,)`.

    Example:
        >>> # "1" in 2 frames: "1 1", "_ 1" and "1 _", 3 of the 4 equally likely paths
        >>> ctc(np.array([[1, 0]]), np.zeros((1, 2, 2), "float32")).numpy().round(4)
        array([0.2877], dtype=float32)
    """
    labels = np.asarray(unwrap(y_true))
    if labels.ndim != 2:
        raise ValueError(f"ctc: y_true must be integer labels of shape (batch_size, max_length). Received: "
                         f"y_true.shape={labels.shape}.")
    y_pred = prediction(y_pred)
    if y_pred.ndim != 3:
        raise ValueError(f"ctc: y_pred must be logits of shape (batch_size, max_length, num_classes). Received: "
                         f"y_pred.shape={y_pred.shape}.")
    labels = labels.astype("int64")
    batch, frames = y_pred.shape[0], y_pred.shape[1]
    return ctc_loss(labels, y_pred, (labels != 0).sum(axis=-1), np.full(batch, frames), mask_index=0)


ctc.labels_shape = "ids"  # not shaped like y_pred: fit checks no element-by-element match


class CTC(BuiltinLoss):
    """The CTC loss between padded integer labels and per-frame logits.

    Args:
        reduction: see `Loss`. Defaults to 'sum_over_batch_size'.
        name: Defaults to "ctc".
        dtype: see `Loss`.

    Example:
        >>> round(float(CTC()(np.array([[1, 0]]), np.zeros((1, 2, 2), "float32"))), 4)
        0.2877
    """

    def __init__(self, reduction="sum_over_batch_size", name="ctc", dtype=None):
        super().__init__(ctc, name=name, reduction=reduction, dtype=dtype)
