"""Embedding: integer ids -> rows of a trainable `(input_dim, output_dim)` table.

The forward pass gathers the rows of the ids; the gradient adds into the rows
used (`engine/gather_ops.py`), never through a one-hot product. With
`mask_zero=True`, id 0 is padding: the output carries the mask `ids != 0`.

Example:
    >>> import numpy as np
    >>> from numkeras import layers
    >>> embed = layers.Embedding(input_dim=100, output_dim=8, mask_zero=True)
    >>> out = embed(np.array([[5, 7, 0, 0]]))
    >>> out.shape, embed.compute_mask(np.array([[5, 7, 0, 0]])).numpy().tolist()
    ((1, 4, 8), [[True, True, False, False]])
"""
import warnings

import numpy as np

from numkeras.engine import gather_ops
from numkeras.engine.tensor import Tensor
from numkeras.layers.layer import Layer
from numkeras.layers.weight_options import set_weight_options, weight_options_config


class Embedding(Layer):
    """Turns non-negative integer ids into dense vectors of fixed size.

    Args:
        input_dim: the vocabulary size: the largest id + 1.
        output_dim: the size of each vector.
        embeddings_initializer: initializer of the table. Defaults to "uniform"
            (uniform in [-0.05, 0.05]).
        embeddings_regularizer: optional penalty on the table.
        embeddings_constraint: optional constraint on the table.
        mask_zero: whether id 0 is padding, to be masked out downstream. Then
            the vocabulary's real ids start at 1. Defaults to False.
        weights: optional initial table, shape `(input_dim, output_dim)`.
        input_length: accepted for Keras 2 code, ignored (with a warning, as Keras does).

    Input shape: integers `(batch, ...)`, e.g. `(batch, sequence_length)`.
    Output shape: `(batch, ..., output_dim)`.
    """

    def __init__(self, input_dim, output_dim, embeddings_initializer="uniform", embeddings_regularizer=None,
                 embeddings_constraint=None, mask_zero=False, weights=None, **kwargs):
        for arg, value in (("input_dim", input_dim), ("output_dim", output_dim)):
            if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or value <= 0:
                raise ValueError(f"Embedding: `{arg}` must be a positive integer. Received: {arg}={value!r} "
                                 f"(of type {type(value).__name__}).")
        if kwargs.pop("input_length", None) is not None:
            warnings.warn("Embedding: the argument `input_length` is deprecated and ignored (the sequence length "
                          "comes from the data). Remove it.", UserWarning, stacklevel=2)
        super().__init__(**kwargs)
        self.input_dim = int(input_dim)
        self.output_dim = int(output_dim)
        set_weight_options(self, embeddings=(embeddings_initializer, embeddings_regularizer, embeddings_constraint))
        self.mask_zero = bool(mask_zero)
        self.supports_masking = self.mask_zero
        self.autocast = False  # ids stay integers
        if weights is not None:
            self.build()
            self.set_weights(weights if isinstance(weights, list) and len(weights) == 1 else [weights])

    def build(self, input_shape=None):
        if self.built:
            return
        self.embeddings = self.add_weight(shape=(self.input_dim, self.output_dim),
                                          initializer=self.embeddings_initializer,
                                          regularizer=self.embeddings_regularizer,
                                          constraint=self.embeddings_constraint, name="embeddings")
        self.built = True

    def call(self, inputs):
        ids = inputs.data
        if ids.dtype.kind not in "iu":
            ids = ids.astype("int32")
        if ids.size:
            low, high = int(ids.min()), int(ids.max())
            if low < 0 or high >= self.input_dim:
                position = tuple(int(i) for i in np.argwhere((ids < 0) | (ids >= self.input_dim))[0])
                raise ValueError(
                    f"Embedding layer {self.name!r} received id {int(ids[position])} at position {position} of its "
                    f"input (shape {ids.shape}), but input_dim={self.input_dim} allows ids 0 to "
                    f"{self.input_dim - 1}. Set input_dim to the vocabulary size + 1 (at least {high + 1}), or "
                    "map unknown words to an out-of-vocabulary id below input_dim.")
        return gather_ops.take(self.embeddings, ids)

    def compute_mask(self, inputs, mask=None):
        if not self.mask_zero:
            return None
        ids = inputs.data if isinstance(inputs, Tensor) else np.asarray(inputs)
        return Tensor(ids != 0)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape) + (self.output_dim,)

    def get_config(self):
        options = weight_options_config(self, ("embeddings",), with_activity_regularizer=True)
        return {**super().get_config(), "input_dim": self.input_dim, "output_dim": self.output_dim, **options,
                "mask_zero": self.mask_zero}
