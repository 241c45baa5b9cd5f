"""Normalization: `(inputs - mean) / sqrt(variance)`, with the statistics given or learned by `adapt`.

Example:
    >>> import numpy as np
    >>> from numkeras import layers
    >>> layer = layers.Normalization(axis=None)
    >>> layer.adapt(np.array([1.0, 2.0, 3.0, 4.0, 5.0], "float32"))
    >>> layer(np.array([1.0, 2.0, 3.0], "float32")).numpy()
    array([-1.4142135 , -0.70710677,  0.        ], dtype=float32)
"""
import numpy as np

from numkeras.backend import epsilon
from numkeras.engine import math_ops
from numkeras.engine.tensor import unwrap
from numkeras.layers.layer import Layer


class Normalization(Layer):
    """Shifts and scales inputs to mean 0 and standard deviation 1, per index of the kept `axis`.

    Args:
        axis: the axis (or axes) that keep a separate mean and variance per
            index; the others are reduced. None normalizes every element by one
            scalar mean and variance. Defaults to -1 (one pair per feature).
        mean: optional mean value(s), broadcast to the kept axes. Must be given
            together with `variance`; then `adapt` is not needed.
        variance: optional variance value(s), as `mean`.
        invert: apply the inverse, `mean + inputs * sqrt(variance)`. Defaults to False.
    """

    def __init__(self, axis=-1, mean=None, variance=None, invert=False, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True  # the output mask is the input mask, as in Keras
        self.axis = () if axis is None else (int(axis),) if isinstance(axis, (int, np.integer)) else tuple(axis)
        if (mean is None) != (variance is None):
            raise ValueError(f"Normalization: pass both mean and variance, or neither (then call adapt()). "
                             f"Received: mean={mean!r}, variance={variance!r}.")
        if mean is not None:
            if np.shape(mean) != np.shape(variance):
                raise ValueError(f"Normalization: mean and variance must have the same shape. Received: mean "
                                 f"shape {np.shape(mean)} and variance shape {np.shape(variance)}.")
            if np.ndim(mean) > len(self.axis):
                raise ValueError(f"Normalization: the rank of mean must be at most the number of kept axes "
                                 f"({len(self.axis)}). Received: mean shape {np.shape(mean)} for axis={self.axis}.")
        self.input_mean = mean
        self.input_variance = variance
        self.invert = bool(invert)
        self.mean = self.variance = None  # broadcastable arrays, set by build/adapt

    def build(self, input_shape):
        ndim = len(input_shape)
        if any(a < -ndim or a >= ndim for a in self.axis):
            raise ValueError(f"Normalization: every axis must be in [-{ndim}, {ndim}) for inputs of rank {ndim}. "
                             f"Received: axis={self.axis}, input shape {tuple(input_shape)}.")
        self._keep_axis = tuple(sorted(a % ndim for a in self.axis))
        for a in self._keep_axis:
            if input_shape[a] is None:
                raise ValueError(f"Normalization: the kept axes must have a known size. Received: axis={self.axis}"
                                 f" with input shape {tuple(input_shape)} (axis {a} is unknown).")
        self._reduce_axis = tuple(a for a in range(ndim) if a not in self._keep_axis)
        self._broadcast_shape = tuple(input_shape[a] if a in self._keep_axis else 1 for a in range(ndim))
        self._stats_shape = tuple(input_shape[a] for a in self._keep_axis)
        self._build_input_shape = tuple(input_shape)
        if self.input_mean is None:
            self.adapt_mean = self.add_weight(shape=self._stats_shape, initializer="zeros", trainable=False,
                                              name="mean")
            self.adapt_variance = self.add_weight(shape=self._stats_shape, initializer="ones", trainable=False,
                                                  name="variance")
            self.count = self.add_weight(shape=(), initializer="zeros", dtype="int32", trainable=False, name="count")
            self.built = True
            self.finalize_state()
        else:
            self.mean = self._broadcast(self.input_mean)
            self.variance = self._broadcast(self.input_variance)
            self.built = True

    def _broadcast(self, value):
        """`value` aligned right-to-left with the kept axes, then broadcast to the full statistics shape."""
        value = np.asarray(value, dtype=self.dtype)
        expanded = [1] * len(self._broadcast_shape)
        for i in range(1, value.ndim + 1):
            expanded[self._keep_axis[-i]] = value.shape[-i]
        return np.broadcast_to(value.reshape(expanded), self._broadcast_shape).copy()

    def adapt(self, data):
        """Computes the mean and variance of `data` and stores them as the layer's weights.

        Args:
            data: an array or Tensor, a `utils.PyDataset`, or an iterable of
                batches (arrays, or `(x, y)` tuples whose `x` is used). Every
                element of an iterable must be a batch.
        """
        from numkeras.utils.py_dataset import PyDataset
        if self.input_mean is not None:
            raise ValueError("Normalization.adapt(): this layer was given mean and variance in its constructor, "
                             "so it has nothing to learn. Create it without them to adapt it.")
        if isinstance(data, PyDataset):
            batches = (data[i] for i in range(len(data)))
        elif isinstance(unwrap(data), np.ndarray):
            batches = [unwrap(data)]
        elif hasattr(data, "__iter__"):
            batches = iter(data)
        else:
            raise TypeError(f"Normalization.adapt() accepts an array, a PyDataset or an iterable of batches. "
                            f"Received: data of type {type(data).__name__}.")
        total_mean = total_var = None
        count = 0
        for batch in batches:
            batch = np.asarray(unwrap(batch[0] if isinstance(batch, tuple) else batch), dtype=np.float64)
            if not self.built:
                self.build(batch.shape)
                self.built = True
            for a in self._keep_axis:
                if batch.shape[a] != self._build_input_shape[a]:
                    raise ValueError(f"Normalization.adapt(): the layer was built for input shape "
                                     f"{self._build_input_shape}, but received data of shape {batch.shape}.")
            n = int(np.prod([batch.shape[a] for a in self._reduce_axis]))
            mean, var = batch.mean(axis=self._reduce_axis), batch.var(axis=self._reduce_axis)
            if total_mean is None:
                total_mean, total_var, count = mean, var, n
                continue
            # Merge the two groups' moments: within-group variance plus the spread of the group means.
            new_count = count + n
            new_mean = total_mean + (mean - total_mean) * (n / new_count)
            total_var = (count * (total_var + (total_mean - new_mean) ** 2) +
                         n * (var + (mean - new_mean) ** 2)) / new_count
            total_mean, count = new_mean, new_count
        if total_mean is None:
            raise ValueError("Normalization.adapt() received no data (an empty iterable). Pass at least one batch.")
        self.adapt_mean.assign(total_mean.astype(self.dtype))
        self.adapt_variance.assign(total_var.astype(self.dtype))
        self.finalize_state()

    def finalize_state(self):
        """Refreshes the broadcastable statistics from the adapted weights."""
        if self.input_mean is None and self.built:
            self.mean = self.adapt_mean.numpy().reshape(self._broadcast_shape)
            self.variance = self.adapt_variance.numpy().reshape(self._broadcast_shape)

    def call(self, inputs):
        x = inputs if inputs.dtype == self.dtype else math_ops.cast(inputs, self.dtype)
        if self.input_mean is None:
            self.finalize_state()  # weights may have been set by set_weights or loading
        std = np.maximum(np.sqrt(self.variance), np.asarray(epsilon(), self.dtype)).astype(self.dtype)
        if self.invert:
            return math_ops.add(math_ops.multiply(x, std), self.mean)
        return math_ops.divide(math_ops.subtract(x, self.mean), std)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "axis": self.axis, "invert": self.invert,
                "mean": np.asarray(self.input_mean).tolist() if self.input_mean is not None else None,
                "variance": np.asarray(self.input_variance).tolist() if self.input_variance is not None else None}
