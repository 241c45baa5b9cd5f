"""Counting true/false positives/negatives at many thresholds in one pass.

A prediction is positive at threshold `t` when `y_pred > t` (strictly), as in
Keras. Rather than compare every prediction with every threshold (N x T),
each prediction goes into the bucket of the highest threshold it exceeds
(`bincount`), and cumulative sums over the buckets give the counts at all
thresholds: O(N + T). Evenly spaced thresholds (AUC's default) find the
bucket by arithmetic, `ceil(p * (T - 1)) - 1`, as Keras does; any other
thresholds by a binary search.

Example:
    >>> counts = confusion_counts([0, 1, 1, 1], [1, 0, 1, 1], thresholds=[0.5])
    >>> {k: v.tolist() for k, v in counts.items()}
    {'tp': [2.0], 'fp': [1.0], 'tn': [0.0], 'fn': [1.0]}
"""
from numkeras.backend import epsilon, xp
from numkeras.metrics.metric import raw, squeeze_or_expand_to_same_rank

NEG_INF = -1e10  # what top_k gives the predictions it filters out


def parse_thresholds(thresholds, default=0.5):
    """Returns `thresholds` as a list of floats (`[default]` for None); each must lie in [0, 1]."""
    if thresholds is None:
        return [float(default)]
    values = list(thresholds) if isinstance(thresholds, (list, tuple)) else [thresholds]
    if hasattr(thresholds, "tolist"):
        values = xp.asarray(thresholds).ravel().tolist()
    bad = [t for t in values if t is None or not 0 <= t <= 1]
    if bad:
        raise ValueError(f"Threshold values must be in [0, 1]. Received: thresholds={thresholds!r} "
                         f"(invalid: {bad}).")
    return [float(t) for t in values]


def is_evenly_distributed(thresholds):
    """Whether `thresholds` are `i / (n - 1)` for i = 0..n-1 (within epsilon), with n >= 3."""
    n = len(thresholds)
    if n < 3:
        return False
    even = xp.arange(n, dtype="float32") / (n - 1)
    return bool(xp.allclose(thresholds, even, atol=epsilon()))


def filter_top_k(x, k):
    """Keeps the `k` largest values along the last axis (ties: the lower index first); the rest become NEG_INF."""
    order = xp.argsort(-x, axis=-1, kind="stable")[..., :k]
    keep = xp.zeros(x.shape, dtype=bool)
    xp.put_along_axis(keep, order, True, axis=-1)
    return xp.where(keep, x, NEG_INF).astype(x.dtype, copy=False)


def divide_no_nan(a, b):
    """a / b, with 0 where b is 0."""
    a, b = xp.asarray(a), xp.asarray(b)
    safe = xp.where(b == 0, 1, b)
    return xp.where(b == 0, 0, a / safe)


def confusion_counts(y_true, y_pred, thresholds, sample_weight=None, evenly=False, multi_label=False,
                     label_weights=None, top_k=None, class_id=None, dtype="float32"):
    """Weighted TP, FP, TN and FN of one batch at each threshold.

    Args:
        y_true: labels; nonzero counts as positive.
        y_pred: scores, compared with each threshold (`y_pred > t` is a positive prediction).
        thresholds: a list of floats.
        sample_weight: None, a scalar, or weights broadcastable to y_true (one per sample, or per entry).
        evenly: whether `thresholds` are evenly spaced over [0, 1] (the bucket is then found by
            arithmetic, as Keras does; endpoints outside [0, 1] take predictions of exactly 0 and 1).
        multi_label: keep the last axis of 2-D inputs apart (counts of shape (T, labels)) instead of
            flattening everything into one binary problem.
        label_weights: per-label weights applied to the flattened entries (not with multi_label).
        top_k: only the k highest predictions of each sample can be positive.
        class_id: only this column of 2-D inputs counts.
        dtype: the dtype inputs are cast to before comparing.

    Returns:
        A dict with 'tp', 'fp', 'tn', 'fn': float64 arrays of shape (T,), or (T, labels) with multi_label.
    """
    y_true = raw(y_true).astype(dtype, copy=False)
    y_pred = raw(y_pred).astype(dtype, copy=False)
    y_pred, y_true = squeeze_or_expand_to_same_rank(y_pred, y_true)
    if sample_weight is not None:
        sample_weight = raw(sample_weight).astype(dtype, copy=False)[..., None]
        _, sample_weight = squeeze_or_expand_to_same_rank(y_true, sample_weight, expand_rank_1=False)
    if top_k is not None:
        y_pred = filter_top_k(y_pred, top_k)
    if class_id is not None:
        y_true, y_pred, sample_weight = _select_class(y_true, y_pred, sample_weight, class_id)
    if y_true.shape != y_pred.shape:
        raise ValueError(f"y_true and y_pred must have the same shape; received y_true.shape={y_true.shape} and "
                         f"y_pred.shape={y_pred.shape}. Pass one label per prediction.")
    if multi_label and y_pred.ndim != 2:
        raise ValueError(f"With multi_label=True, y_pred must have rank 2 (batch, labels). Received "
                         f"y_pred.shape={y_pred.shape}.")
    weights = xp.ones(y_pred.shape) if sample_weight is None else _broadcast(sample_weight, y_pred.shape)
    if label_weights is not None and not multi_label:
        weights = weights * _broadcast(xp.asarray(label_weights, dtype=dtype), y_pred.shape)
    positive = y_true != 0
    buckets = _buckets(y_pred, thresholds, evenly, dtype)  # b: positive at thresholds[:b + 1]
    n = len(thresholds)
    if multi_label:
        index = (buckets + 1) + xp.arange(y_pred.shape[1]) * (n + 1)
        size = y_pred.shape[1] * (n + 1)
    else:
        index, size = (buckets + 1).ravel(), n + 1
    weights = weights.ravel().astype("float64")
    index = index.ravel()
    pos = xp.bincount(index, weights=xp.where(positive.ravel(), weights, 0), minlength=size)
    neg = xp.bincount(index, weights=xp.where(positive.ravel(), 0, weights), minlength=size)
    counts = {}
    for name_hit, name_miss, c in (("tp", "fn", pos), ("fp", "tn", neg)):
        c = c.reshape(-1, n + 1)  # (labels or 1, T + 1); column j holds bucket j - 1
        below = xp.cumsum(c, axis=-1)[:, :n]  # entries at or under threshold i
        above = xp.cumsum(c[:, ::-1], axis=-1)[:, ::-1][:, 1:]  # entries over threshold i
        counts[name_hit], counts[name_miss] = above, below
    if not evenly:
        counts = {k: v[:, _unsort(thresholds)] for k, v in counts.items()}
    shape = (lambda v: v.T) if multi_label else (lambda v: v[0])
    return {k: shape(counts[k]) for k in ("tp", "fp", "tn", "fn")}


def _select_class(y_true, y_pred, sample_weight, class_id):
    if y_pred.ndim < 2:
        raise ValueError(f"When class_id is provided, y_pred must be a 2D array of shape (num_samples, "
                         f"num_classes). Received y_pred.shape={y_pred.shape}.")
    num_classes = y_pred.shape[-1]
    if not -num_classes <= class_id < num_classes:
        raise ValueError(f"class_id={class_id} is out of range for predictions with {num_classes} classes. "
                         f"Pass a class_id in [0, {num_classes}).")
    if sample_weight is not None and sample_weight.ndim == y_pred.ndim and sample_weight.shape[-1] == num_classes:
        sample_weight = sample_weight[..., class_id, None]
    return y_true[..., class_id, None], y_pred[..., class_id, None], sample_weight


def _broadcast(weights, shape):
    try:
        return xp.broadcast_to(weights, shape)
    except ValueError:
        raise ValueError(f"sample_weight of shape {weights.shape} does not broadcast to the predictions' shape "
                         f"{shape}. Pass one weight per sample (or per entry).") from None


def _buckets(y_pred, thresholds, evenly, dtype):
    """The index of the highest threshold each prediction exceeds (-1 for none), as Keras buckets them."""
    n = len(thresholds)
    if evenly:
        # Keras's arithmetic bucketing, so that ties with a threshold land where Keras puts them.
        p = xp.clip(y_pred, 0, 1)
        b = xp.ceil(p * xp.asarray(n - 1, dtype=dtype)) - 1
        if thresholds[0] < 0 or thresholds[-1] > 1:  # endpoints padded by epsilon take 0 and 1 in
            b = xp.maximum(b, 0)
        b = xp.where(xp.isnan(b), -1, b)
    else:
        t = xp.asarray(thresholds, dtype=dtype)
        b = xp.searchsorted(xp.sort(t, kind="stable"), y_pred, side="left") - 1  # thresholds < p, minus one
        b = xp.where(xp.isnan(y_pred), -1, b)
    return b.astype("int64")


def _unsort(thresholds):
    """For each threshold in the given order, its position among the sorted thresholds."""
    order = xp.argsort(xp.asarray(thresholds), kind="stable")
    inverse = xp.empty_like(order)
    inverse[order] = xp.arange(len(order))
    return inverse
