"""Argument checks shared by the pooling and reshaping layers.

Example:
    >>> from numkeras.layers.pooling.arguments import standardize_tuple
    >>> standardize_tuple(2, 3, "pool_size", "MaxPooling3D")
    (2, 2, 2)
"""
import numbers


def standardize_data_format(data_format, layer):
    """`data_format` lowercased and checked; None gives the global image data format (channels_last)."""
    if data_format is None:
        from numkeras import backend
        data_format = getattr(backend, "image_data_format", lambda: "channels_last")()
    data_format = str(data_format).lower()
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError(f"{layer}: data_format must be 'channels_last' or 'channels_first'. "
                         f"Received: data_format={data_format!r}.")
    return data_format


def standardize_tuple(value, n, name, layer, allow_zero=False):
    """An int (used for every axis) or `n` ints, as a tuple of `n` positive (or non-negative) ints."""
    values = (value,) * n if _is_int(value) else value
    try:
        values = tuple(values)
    except TypeError:
        values = None
    least = 0 if allow_zero else 1
    if values is None or len(values) != n or not all(_is_int(v) and v >= least for v in values):
        kind = "non-negative" if allow_zero else "positive"
        raise ValueError(f"{layer}: {name} must be a {kind} integer or a tuple of {n} {kind} integers. "
                         f"Received: {name}={value!r}.")
    return tuple(int(v) for v in values)


def standardize_pairs(value, n, name, layer):
    """`n` (before, after) pairs from an int (all sides), `n` ints (symmetric per axis) or `n` pairs."""
    if _is_int(value):
        value = (value,) * n
    try:
        entries = tuple(value)
    except TypeError:
        entries = ()
    if len(entries) != n:
        raise ValueError(f"{layer}: {name} must be an int, a tuple of {n} ints, or a tuple of {n} "
                         f"(before, after) pairs of ints. Received: {name}={value!r}.")
    return tuple(standardize_tuple(e, 2, f"entry {i} of {name}", layer, allow_zero=True)
                 for i, e in enumerate(entries))


def check_rank(layer, shape, rank, layout):
    """Raises Keras's incompatible-input error when `shape` does not have `rank` axes."""
    if len(shape) != rank:
        raise ValueError(f"Input 0 of layer {layer.name!r} is incompatible with the layer: expected ndim={rank}, "
                         f"found ndim={len(shape)}. Full shape received: {tuple(shape)}. "
                         f"{type(layer).__name__} takes inputs shaped {layout}.")


def layout(spatial, data_format):
    """A readable input layout, e.g. '(batch, height, width, channels)'."""
    axes = ["batch", "channels", *spatial] if data_format == "channels_first" else ["batch", *spatial, "channels"]
    return "(" + ", ".join(axes) + ")"


def _is_int(v):
    return isinstance(v, numbers.Integral) and not isinstance(v, bool)


def spatial_pairs(value, rank, name, layer):
    """(kept value, per-axis (before, after) pairs) for a padding/cropping argument.

    Keras keeps the rank-1 argument as one (start, end) pair; higher ranks as one pair per axis.
    """
    if rank == 1:
        pair = standardize_tuple(value, 2, name, layer, allow_zero=True)
        return pair, (pair,)
    pairs = standardize_pairs(value, rank, name, layer)
    return pairs, pairs


def full_widths(pairs, data_format):
    """Per-axis (before, after) widths of the whole input: zeros for the batch and channel axes."""
    none = ((0, 0),)
    return none * 2 + tuple(pairs) if data_format == "channels_first" else none + tuple(pairs) + none
