"""CategoryEncoding: integer category indices to one-hot, multi-hot or count vectors.

`encode_categorical` is the encoder every categorical layer shares
(CategoryEncoding, StringLookup, IntegerLookup, TextVectorization, Hashing,
HashedCrossing, Discretization). Its rules are Keras's:

- `"one_hot"`: one vector per index; a last axis of size 1 is replaced by
  the encoding, any other shape gains a last axis of size `depth`.
- `"multi_hot"` / `"count"`: axis 1 of a batch (the only axis of a rank-1
  input) is the sample: `(batch, n)` becomes `(batch, depth)`, and
  `(batch, n, m)` becomes `(batch, m, depth)`.
- Indices outside `[0, depth)` add nothing (they are dropped, as the
  one-hot of an out-of-range index is all zeros).

Example:
    >>> import numpy as np
    >>> from numkeras import layers
    >>> layers.CategoryEncoding(num_tokens=4, output_mode="count")(np.array([[0, 1, 1], [3, 3, 2]])).numpy()
    array([[1., 2., 0., 0.],
           [0., 0., 1., 2.]], dtype=float32)
"""
import numpy as np

from numkeras.engine.tensor import Tensor, unwrap
from numkeras.layers.keras_tensor import KerasTensor
from numkeras.layers.layer import Layer

_MODES = ("one_hot", "multi_hot", "count")


def encode_categorical(indices, output_mode, depth, dtype="float32", count_weights=None):
    """Encodes integer `indices` as `output_mode` vectors of length `depth` (a NumPy array of `dtype`).

    Args:
        indices: integer array of category indices.
        output_mode: "int" (returned unchanged), "one_hot", "multi_hot" or "count".
        depth: the number of categories (the length of each vector).
        dtype: the output dtype. Defaults to "float32".
        count_weights: optional array shaped like `indices`, summed instead of
            ones in "count" mode.
    """
    indices = np.asarray(indices)
    if output_mode == "int":
        return indices
    if indices.ndim == 0:
        indices = indices.reshape(1)
    if output_mode == "one_hot":
        if indices.ndim > 1 and indices.shape[-1] == 1:
            indices = indices[..., 0]
        out = np.zeros(indices.shape + (depth,), dtype)
        flat_idx = indices.reshape(-1)
        rows = np.flatnonzero((flat_idx >= 0) & (flat_idx < depth))
        out.reshape(-1, depth)[rows, flat_idx[rows]] = 1
        return out
    squeeze = indices.ndim == 1
    if squeeze:
        indices = indices[None]
        count_weights = None if count_weights is None else np.asarray(count_weights).reshape(indices.shape)
    moved = np.moveaxis(indices, 1, -1)  # the sample axis last: (batch, ..., n)
    lead = moved.shape[:-1]
    flat = moved.reshape(-1, moved.shape[-1]).astype(np.int64, copy=False)
    valid = (flat >= 0) & (flat < depth)
    codes = (np.arange(flat.shape[0], dtype=np.int64)[:, None] * depth + flat)[valid]
    weights = None
    if count_weights is not None and output_mode == "count":
        weights = np.moveaxis(np.broadcast_to(np.asarray(count_weights), indices.shape), 1, -1)
        weights = weights.reshape(flat.shape)[valid]
    counts = np.bincount(codes, weights=weights, minlength=flat.shape[0] * depth)
    if output_mode == "multi_hot":
        counts = counts > 0
    out = counts.reshape(lead + (depth,)).astype(dtype, copy=False)
    return out[0] if squeeze else out


def encoded_shape(input_shape, output_mode, depth):
    """The shape `encode_categorical` gives for inputs of `input_shape` (None allowed)."""
    input_shape = tuple(input_shape)
    if output_mode == "int":
        return input_shape
    if not input_shape:
        return (depth,)
    if output_mode == "one_hot":
        if len(input_shape) > 1 and input_shape[-1] == 1:
            return input_shape[:-1] + (depth,)
        return input_shape + (depth,)
    if len(input_shape) == 1:
        return (depth,)
    return (input_shape[0],) + input_shape[2:] + (depth,)


def check_mode(layer, output_mode, allowed):
    """Keras's old names ('binary', 'tf-idf') mapped to the new, and a clear error for unknown modes."""
    output_mode = {"binary": "multi_hot", "tf-idf": "tf_idf"}.get(output_mode, output_mode)
    if output_mode not in allowed:
        raise ValueError(f"{layer}: unknown output_mode. Received: output_mode={output_mode!r}; expected one of "
                         f"{', '.join(repr(m) for m in allowed)}.")
    return output_mode


class CategoryEncoding(Layer):
    """Encodes integer category indices as one-hot, multi-hot or count vectors.

    Args:
        num_tokens: the number of categories; inputs are indices in
            `[0, num_tokens)` (others are dropped).
        output_mode: "one_hot" (one vector per index), "multi_hot" (one
            vector per sample, 1 where an index occurs) or "count" (how often
            each index occurs). Defaults to "multi_hot".
        sparse: accepted for Keras compatibility; only False (dense outputs)
            is supported.

    Call arguments:
        inputs: integer indices, shape `(batch,)`, `(batch, n)` or more.
        count_weights: optional weights shaped like `inputs`, summed per
            index instead of counts (only in "count" mode).
    """

    def __init__(self, num_tokens=None, output_mode="multi_hot", sparse=False, **kwargs):
        super().__init__(**kwargs)
        self.output_mode = check_mode("CategoryEncoding", output_mode, _MODES)
        if num_tokens is None:
            raise ValueError("CategoryEncoding: num_tokens must be set (the number of categories). If it is not "
                             "known in advance, use IntegerLookup instead. Received: num_tokens=None.")
        if not isinstance(num_tokens, (int, np.integer)) or isinstance(num_tokens, bool) or num_tokens < 1:
            raise ValueError(f"CategoryEncoding: num_tokens must be an integer >= 1. Received: num_tokens="
                             f"{num_tokens!r}.")
        if sparse:
            raise ValueError("CategoryEncoding: sparse=True is not supported (numkeras has no sparse tensors). "
                             "Received: sparse=True. Leave sparse=False for a dense output.")
        self.num_tokens = int(num_tokens)
        self.sparse = False

    def _convert_input(self, x):
        return x  # indices stay integers; call() converts

    def call(self, inputs, count_weights=None):
        if count_weights is not None and self.output_mode != "count":
            raise ValueError("CategoryEncoding: count_weights is only used when output_mode='count'. Received: "
                             f"output_mode={self.output_mode!r} with count_weights.")
        indices = np.asarray(unwrap(inputs))
        if indices.dtype.kind == "f":
            indices = indices.astype(np.int64)
        elif indices.dtype.kind not in "iub":
            raise ValueError(f"CategoryEncoding expects integer indices. Received inputs of dtype {indices.dtype}.")
        weights = None if count_weights is None else np.asarray(unwrap(count_weights), self.dtype)
        return Tensor(encode_categorical(indices, self.output_mode, self.num_tokens, self.dtype, weights))

    def compute_output_shape(self, input_shape):
        return encoded_shape(input_shape, self.output_mode, self.num_tokens)

    def compute_output_spec(self, inputs, count_weights=None):
        return KerasTensor(self.compute_output_shape(inputs.shape), self.dtype)

    def get_config(self):
        return {**super().get_config(), "num_tokens": self.num_tokens, "output_mode": self.output_mode,
                "sparse": self.sparse}
