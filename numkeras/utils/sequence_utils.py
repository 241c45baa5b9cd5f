"""`pad_sequences`: makes sequences of different lengths into one 2-D array."""

import numbers

import numpy as np

_SIDES = ("pre", "post")


def pad_sequences(sequences, maxlen=None, dtype="int32", padding="pre", truncating="pre", value=0.0):
    """Pads (and truncates) sequences to a common length.

    Each sequence shorter than `maxlen` is filled with `value`, and each
    longer one is cut, on the side that `padding` or `truncating` names.
    Sequences may hold scalars or equal-shaped arrays; the result then has
    that shape as trailing dimensions.

    Args:
        sequences: List of sequences (lists or arrays), e.g. word indices.
        maxlen: Length of the output. Defaults to `None`: the length of the
            longest sequence.
        dtype: Type of the output. Defaults to `"int32"`. Use `object` for
            strings of any length.
        padding: `"pre"` or `"post"`: pad before or after each sequence.
            Defaults to `"pre"`.
        truncating: `"pre"` or `"post"`: drop values from the start or the
            end of sequences longer than `maxlen`. Defaults to `"pre"`.
        value: The padding value. Defaults to `0.0`.

    Returns:
        An array of shape `(len(sequences), maxlen) + sample_shape`.

    Raises:
        ValueError: A bad argument, an item of `sequences` that is not a
            sequence, or items of different sample shapes.

    Example:

    >>> pad_sequences([[1], [2, 3], [4, 5, 6]])
    array([[0, 0, 1],
           [0, 2, 3],
           [4, 5, 6]], dtype=int32)
    >>> pad_sequences([[1], [2, 3], [4, 5, 6]], maxlen=2, padding="post", value=-1)
    array([[ 1, -1],
           [ 2,  3],
           [ 5,  6]], dtype=int32)
    """
    if not hasattr(sequences, "__len__"):
        raise ValueError(
            "pad_sequences: `sequences` must be a list of sequences. "
            f"Received: sequences of type {type(sequences).__name__}"
        )
    for name, side in (("padding", padding), ("truncating", truncating)):
        if side not in _SIDES:
            raise ValueError(f"pad_sequences: `{name}` must be 'pre' or 'post'. Received: {name}={side!r}")
    if maxlen is not None and (isinstance(maxlen, bool) or not isinstance(maxlen, numbers.Integral) or maxlen < 0):
        raise ValueError(f"pad_sequences: `maxlen` must be a non-negative int or None. Received: maxlen={maxlen!r}")

    lengths = []
    sample_shape = None  # from the first non-empty sequence
    for i, s in enumerate(sequences):
        try:
            lengths.append(len(s))
        except TypeError:
            raise ValueError(
                f"pad_sequences: every item of `sequences` must be a sequence; item {i} is not: {s!r}"
            ) from None
        if sample_shape is None and len(s):
            sample_shape = np.asarray(s).shape[1:]
    sample_shape = sample_shape or ()
    if maxlen is None:
        maxlen = max(lengths, default=0)

    is_text_dtype = np.issubdtype(dtype, np.str_) or np.issubdtype(dtype, np.bytes_)
    if isinstance(value, str) and dtype is not object and not is_text_dtype:
        raise ValueError(
            f"pad_sequences: `value` {value!r} is a string but `dtype` is {dtype!r}; "
            "pass dtype=object to pad sequences of strings."
        )

    out = np.full((len(sequences), maxlen) + sample_shape, value, dtype=dtype)
    for i, s in enumerate(sequences):
        n = min(len(s), maxlen)
        if n == 0:
            continue
        kept = s[len(s) - n :] if truncating == "pre" else s[:n]
        try:
            kept = np.asarray(kept, dtype=dtype)
        except ValueError as e:  # ragged items, or values the dtype cannot hold
            raise ValueError(f"pad_sequences: cannot convert sequence {i} to dtype {dtype!r}: {e}") from e
        if kept.shape[1:] != sample_shape:
            raise ValueError(
                f"pad_sequences: the items of sequence {i} have shape {kept.shape[1:]}, "
                f"but earlier sequences' items have shape {sample_shape}; all must match."
            )
        if padding == "post":
            out[i, :n] = kept
        else:
            out[i, maxlen - n :] = kept
    return out
