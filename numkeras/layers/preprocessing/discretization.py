"""Discretization: continuous values to bucket indices, by boundaries given or learned from quantiles.

With `bin_boundaries=[b0, b1, ...]` a value `x` falls in bucket `i` when
`b[i-1] <= x < b[i]` (bucket 0 below `b0`, the last at or above the last
boundary). With `num_bins`, `adapt` estimates the boundaries as quantiles,
by Keras's method: each batch is reduced to a weighted summary of about
`1 / epsilon` sorted values, summaries are merged and recompressed by
interpolating their cumulative weights, and the boundaries are read at the
fractions 1/num_bins, 2/num_bins, ... of the total weight.

Example:
    >>> import numpy as np
    >>> from numkeras import layers
    >>> layer = layers.Discretization(bin_boundaries=[0.0, 1.0, 2.0])
    >>> layer(np.array([[-1.5, 1.0, 3.4, 0.5]], "float32")).numpy()
    array([[0, 2, 3, 1]], dtype=int32)
"""
import numpy as np

from numkeras.engine.tensor import Tensor, unwrap
from numkeras.layers.keras_tensor import KerasTensor
from numkeras.layers.layer import Layer
from numkeras.layers.preprocessing.category_encoding import check_mode, encode_categorical, encoded_shape
from numkeras.layers.preprocessing.index_lookup import adapt_batches

_MODES = ("int", "one_hot", "multi_hot", "count")


def _summarize(values, epsilon):
    """A (2, k) summary of `values`: about 1/epsilon evenly spaced sorted values, each weighted by its spacing."""
    values = np.sort(values.reshape(-1))
    step = max(values.size / (1.0 / epsilon), 1)  # computed as Keras computes it, to the last bit
    picked = values[int(step - 1)::int(step)]
    return np.stack([picked, np.full_like(picked, step)])


def _compress(summary, epsilon):
    """Re-samples `summary` at the weight fractions epsilon, 2 epsilon, ..., 1 (unchanged if already small)."""
    if summary.shape[1] * epsilon < 1:
        return summary
    fractions = epsilon + np.arange(0.0, 1.0, epsilon)
    cumulative = summary[1].cumsum()
    share = cumulative / cumulative[-1]
    points = np.interp(fractions, share, summary[0])
    at = np.interp(fractions, share, cumulative)
    return np.stack([points, np.diff(at, prepend=0.0)]).astype("float32")


def _merge(summary, other, epsilon):
    merged = np.concatenate([summary, other], axis=1)
    return _compress(merged[:, np.argsort(merged[0])], epsilon)


class Discretization(Layer):
    """Buckets continuous values by boundaries, given or estimated from data with `adapt`.

    Args:
        bin_boundaries: sorted boundaries; n boundaries make n + 1 buckets.
            Give these or `num_bins`.
        num_bins: the number of buckets `adapt` estimates boundaries for.
        epsilon: the error tolerance of the quantile estimate (its summaries
            keep about 1 / epsilon points). Defaults to 0.01.
        output_mode: "int" (bucket indices, int32), "one_hot", "multi_hot"
            or "count". Defaults to "int".
        sparse: only False is supported (accepted for compatibility).
    """

    def __init__(self, bin_boundaries=None, num_bins=None, epsilon=0.01, output_mode="int", sparse=False,
                 dtype=None, name=None, **kwargs):
        super().__init__(dtype=dtype, name=name, **kwargs)
        self.output_mode = check_mode("Discretization", output_mode, _MODES)
        if sparse:
            raise ValueError("Discretization: sparse=True is not supported (numkeras has no sparse tensors). "
                             "Received: sparse=True. Leave it False.")
        if num_bins is not None and (not isinstance(num_bins, (int, np.integer)) or num_bins < 0):
            raise ValueError(f"Discretization: num_bins must be an integer >= 0. Received: num_bins={num_bins!r}.")
        if num_bins is not None and bin_boundaries is not None:
            raise ValueError(f"Discretization: pass bin_boundaries or num_bins, not both. Received: num_bins="
                             f"{num_bins!r} and bin_boundaries={bin_boundaries!r}.")
        if num_bins is None and bin_boundaries is None:
            raise ValueError("Discretization: pass bin_boundaries (the boundaries) or num_bins (then call adapt()).")
        self.bin_boundaries = None if bin_boundaries is None else [float(b) for b in bin_boundaries]
        self.num_bins = num_bins
        self.epsilon = epsilon
        self.sparse = False
        self._summary = np.zeros((2, 0), "float32")

    def adapt(self, data, steps=None):
        """Estimates `num_bins` quantile boundaries from `data` (an array, or an iterable of batches)."""
        if self.num_bins is None:
            raise ValueError("Discretization.adapt(): this layer was given bin_boundaries, so it has nothing to "
                             "learn. Create it with num_bins=... to estimate boundaries from data.")
        self._summary = np.zeros((2, 0), "float32")
        for batch in adapt_batches(data, steps):
            values = np.asarray(unwrap(batch)).astype("float32")
            if values.size == 0:
                continue
            self._summary = _merge(_summarize(values, self.epsilon), self._summary, self.epsilon)
        if self._summary.shape[1] == 0:
            raise ValueError("Discretization.adapt() received no values (an empty array or iterable). Pass data "
                             "with at least one value.")
        self.bin_boundaries = _compress(self._summary, 1.0 / self.num_bins)[0, :-1].tolist()

    def _convert_input(self, x):
        return x

    def _depth(self):
        return len(self.bin_boundaries) + 1 if self.bin_boundaries is not None else self.num_bins

    def call(self, inputs):
        if self.bin_boundaries is None:
            raise ValueError("Discretization: the layer has no boundaries yet. Pass bin_boundaries to the "
                             "constructor or call adapt(data) first.")
        values = np.asarray(unwrap(inputs)).astype(self.dtype, copy=False)
        indices = np.digitize(values, np.asarray(self.bin_boundaries, dtype=self.dtype))
        if self.output_mode == "int":
            return Tensor(indices.astype(np.int32))
        return Tensor(encode_categorical(indices, self.output_mode, self._depth(), self.dtype))

    def compute_output_shape(self, input_shape):
        return encoded_shape(input_shape, self.output_mode, self._depth())

    def compute_output_spec(self, inputs):
        return KerasTensor(self.compute_output_shape(inputs.shape), "int32" if self.output_mode == "int" else
                           self.dtype)

    def get_config(self):
        # Keras's keys exactly (its constructor takes no `trainable`), so a saved file loads in Keras too.
        return {"bin_boundaries": self.bin_boundaries, "num_bins": self.num_bins, "epsilon": self.epsilon,
                "output_mode": self.output_mode, "sparse": self.sparse, "name": self.name, "dtype": self.dtype}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        boundaries = config.pop("bin_boundaries", None) if config.get("num_bins") is not None else None
        layer = cls(**config)
        if boundaries is not None:
            layer.bin_boundaries = [float(b) for b in boundaries]
        return layer
