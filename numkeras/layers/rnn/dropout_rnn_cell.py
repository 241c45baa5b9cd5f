"""DropoutRNNCell: the dropout masks of a recurrent cell, drawn once per sequence.

A cell with `dropout` multiplies its inputs, and one with `recurrent_dropout`
its previous state, by a mask that stays the same for every timestep of a
sequence (Gal and Ghahramani's variational dropout, as Keras does it). The
masks are drawn on first use in a layer call and cached until `RNN` resets
them at the end of the call. With `dropout_mask_count` set (LSTM and GRU with
`implementation=1`), each gate gets its own mask.

Example:
    >>> import numpy as np
    >>> from numkeras import layers
    >>> cell = layers.SimpleRNNCell(3, dropout=0.5, seed=1)
    >>> mask = cell.get_dropout_mask(np.ones((2, 4), "float32"))
    >>> sorted(set(np.asarray(mask).ravel().tolist())) in ([0.0, 2.0], [2.0], [0.0])
    True
"""
import numpy as np

from numkeras.backend import random_generator
from numkeras.engine.tensor import Tensor


class DropoutRNNCell:
    """Mixin for cells with `dropout`, `recurrent_dropout` and `seed` attributes."""

    def _dropout_generator(self):
        if getattr(self, "seed", None) is not None:
            if getattr(self, "_seeded_generator", None) is None:
                self._seeded_generator = np.random.default_rng(self.seed)
            return self._seeded_generator
        return random_generator()

    def _create_dropout_mask(self, step_input, rate):
        shape, dtype = tuple(step_input.shape), step_input.dtype
        rng = self._dropout_generator()

        def one():
            keep = rng.random(shape, dtype=np.float32) >= rate
            return Tensor(keep.astype(dtype) * np.asarray(1 / (1 - rate), dtype=dtype))
        count = getattr(self, "dropout_mask_count", None)
        return one() if count is None else [one() for _ in range(count)]

    def get_dropout_mask(self, step_input):
        """The (cached) mask for `step_input` (batch, features), or None without `dropout`."""
        if getattr(self, "_dropout_mask", None) is None and self.dropout > 0:
            self._dropout_mask = self._create_dropout_mask(step_input, self.dropout)
        return getattr(self, "_dropout_mask", None)

    def get_recurrent_dropout_mask(self, step_input):
        """The (cached) mask for the previous state (batch, units), or None without `recurrent_dropout`."""
        if getattr(self, "_recurrent_dropout_mask", None) is None and self.recurrent_dropout > 0:
            self._recurrent_dropout_mask = self._create_dropout_mask(step_input, self.recurrent_dropout)
        return getattr(self, "_recurrent_dropout_mask", None)

    def reset_dropout_mask(self):
        """Forgets the input mask: the next sequence draws a new one."""
        self._dropout_mask = None

    def reset_recurrent_dropout_mask(self):
        """Forgets the recurrent mask: the next sequence draws a new one."""
        self._recurrent_dropout_mask = None
