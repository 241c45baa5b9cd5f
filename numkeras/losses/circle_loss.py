"""The Circle loss (Sun et al., 2020) for metric learning on embeddings.

Each sample's embedding is compared, by cosine distance, with the reference embeddings (by
default the batch itself): pairs of the same label are pulled together and pairs of different
labels pushed apart, each pair weighted by how far it is from its optimum. Embeddings are
expected L2-normalized. As in Keras, the loss class averages over the samples whose loss is
positive only.

Example:
    >>> import numpy as np
    >>> emb = np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0], [0.0, 1.0]], "float32")
    >>> float(Circle()([0, 0, 1, 1], emb)) < 1e-3
    True
"""
import numpy as np

from numkeras.backend import xp
from numkeras.engine import linalg_ops, math_ops, nn_ops, reduction_ops, shape_ops
from numkeras.engine.tensor import Tensor, unwrap
from numkeras.losses.wrapper import BuiltinLoss, prediction


def circle(y_true, y_pred, ref_labels=None, ref_embeddings=None, remove_diagonal=True, gamma=80, margin=0.4):
    """One Circle loss per sample of `y_pred` (embeddings) against the reference embeddings.

    Args:
        y_true: the integer labels of `y_pred`'s rows, shape `(batch,)`.
        y_pred: L2-normalized embeddings, shape `(batch, dim)`.
        ref_labels: the labels of the reference embeddings. Defaults to `y_true`.
        ref_embeddings: the reference embeddings. Defaults to `y_pred`.
        remove_diagonal: whether a sample is not its own positive pair. Defaults to True.
        gamma: the scale. Defaults to 80.
        margin: the relaxation margin. Defaults to 0.4.

    Example:
        >>> emb = np.array([[1.0, 0.0], [0.6, 0.8], [0.0, 1.0]], "float32")
        >>> circle([0, 0, 1], emb).shape
        (3,)
    """
    y_pred = prediction(y_pred)
    labels = np.asarray(unwrap(y_true)).astype("int32").reshape(-1, 1)
    refs = y_pred if ref_embeddings is None else prediction(ref_embeddings)
    ref = labels if ref_labels is None else np.asarray(unwrap(ref_labels)).astype("int32").reshape(-1, 1)
    positive = labels == ref.T
    negative = ~positive
    if remove_diagonal:
        positive &= ~np.eye(labels.size, ref.size, dtype=bool)
    distances = math_ops.maximum(math_ops.subtract(1.0, linalg_ops.matmul(y_pred, shape_ops.transpose(refs))), 0.0)
    dtype = distances.data.dtype
    pos_mask, neg_mask = Tensor(positive.astype(dtype)), Tensor(negative.astype(dtype))
    pos_weights = math_ops.maximum(math_ops.multiply(math_ops.add(distances, float(margin)), pos_mask), 0.0)
    neg_weights = math_ops.maximum(math_ops.multiply(math_ops.subtract(1.0 + margin, distances), neg_mask), 0.0)
    pos_terms = math_ops.multiply(math_ops.multiply(pos_weights, math_ops.subtract(float(margin), distances)),
                                  -float(gamma))
    neg_terms = math_ops.multiply(math_ops.multiply(neg_weights, math_ops.subtract(1.0 - margin, distances)),
                                  float(gamma))
    return nn_ops.softplus(math_ops.add(_masked_logsumexp(pos_terms, positive),
                                        _masked_logsumexp(neg_terms, negative)))


def _masked_logsumexp(x, mask):
    """`log(sum(exp(x)))` over each row's entries where `mask` holds; -inf (no gradient) for an empty row."""
    dtype = x.data.dtype
    empty = ~mask.any(axis=1)
    peak = np.where(mask, x.data, -np.inf).max(axis=1, keepdims=True) if x.size else np.zeros((x.shape[0], 1))
    peak = np.where(empty[:, None], 0.0, peak).astype(dtype)
    shifted = math_ops.where(Tensor(mask), x, Tensor(xp.broadcast_to(peak, x.shape)))  # masked entries: exp(0)
    terms = math_ops.multiply(math_ops.exp(math_ops.subtract(shifted, Tensor(peak))), Tensor(mask.astype(dtype)))
    total = math_ops.add(reduction_ops.sum(terms, axis=1), Tensor(empty.astype(dtype)))  # log(1) for empty rows
    value = math_ops.add(math_ops.log(total), Tensor(peak[:, 0]))
    return math_ops.where(Tensor(empty), Tensor(np.full(empty.shape, -np.inf, dtype)), value)


circle.labels_shape = "ids"  # not shaped like y_pred: fit checks no element-by-element match


class Circle(BuiltinLoss):
    """The Circle loss between integer labels and L2-normalized embeddings.

    Args:
        gamma: the scale. Defaults to 80.
        margin: the relaxation margin. Defaults to 0.4.
        remove_diagonal: whether a sample is not its own positive pair. Defaults to True.
        reduction: see `Loss`. Defaults to 'sum_over_batch_size' (over the samples with a
            positive loss, as Keras masks the others).
        name: Defaults to "circle".
        dtype: see `Loss`.

    Example:
        >>> emb = np.array([[1.0, 0.0], [0.6, 0.8], [0.0, 1.0], [0.8, 0.6]], "float32")
        >>> float(Circle()([0, 0, 1, 1], emb)) > 0
        True
    """

    def __init__(self, gamma=80.0, margin=0.4, remove_diagonal=True, reduction="sum_over_batch_size", name="circle",
                 dtype=None):
        super().__init__(circle, name=name, reduction=reduction, dtype=dtype, gamma=gamma, margin=margin,
                         remove_diagonal=remove_diagonal)

    def _call_with_mask(self, y_true, y_pred):
        values = self.fn(y_true, y_pred, **self._fn_kwargs)
        return values, values.data > 0
