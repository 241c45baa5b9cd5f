"""Random draws as Keras 3's `keras.random` makes them: shapes, dtypes, ranges and seeding.

Every function takes `seed=`: an int (the same values on every call and every run), a
`SeedGenerator` (new values on each call, repeatable run for run) or None (the global
generator, seeded by `numkeras.utils.set_random_seed`). The values come from NumPy's
PCG64 generator, not from JAX's, so they differ from Keras's own numbers; the distributions
are the same.

Example:
    >>> from numkeras import random
    >>> x = random.uniform((2, 3), minval=-1.0, maxval=1.0, seed=7)
    >>> x.shape, x.dtype
    ((2, 3), 'float32')
    >>> bool(((x.numpy() >= -1) & (x.numpy() < 1)).all())
    True
"""
import numpy as np

from numkeras.backend import floatx, standardize_dtype
from numkeras.engine import gather_ops
from numkeras.engine.math_ops import multiply
from numkeras.engine.shape_ops import reshape
from numkeras.engine.tensor import Tensor, unwrap
from numkeras.random.seed_generator import draw_generator


def normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    """Values drawn from a normal distribution.

    Args:
        shape: the shape of the result.
        mean: the mean. Defaults to 0.
        stddev: the standard deviation. Defaults to 1.
        dtype: a float dtype. Defaults to `floatx()`.
        seed: an int, a `SeedGenerator` or None (see the module docstring).

    Returns:
        A Tensor of `shape` and `dtype`.

    Example:
        >>> normal((2, 2), seed=1).shape
        (2, 2)
    """
    shape, dtype = _shape(shape, "normal"), _float_dtype(dtype, "normal")
    rng = draw_generator(seed, "normal")
    return _out(_standard_normal(rng, shape, dtype) * _param(stddev, dtype) + _param(mean, dtype), dtype)


def uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None):
    """Values drawn uniformly from `[minval, maxval)`.

    Args:
        shape: the shape of the result.
        minval: the lower bound (included). Defaults to 0.
        maxval: the upper bound (excluded). Defaults to 1.
        dtype: a float dtype (for integers use `randint`). Defaults to `floatx()`.
        seed: an int, a `SeedGenerator` or None.

    Example:
        >>> float(uniform((1000,), seed=3).numpy().max()) < 1.0
        True
    """
    shape, dtype = _shape(shape, "uniform"), _float_dtype(dtype, "uniform", hint=" For integers use randint().")
    rng = draw_generator(seed, "uniform")
    low, high = _param(minval, dtype), _param(maxval, dtype)
    values = rng.random(shape, dtype=np.float32 if dtype == "float32" else np.float64)
    out = (values * (high - low) + low).astype(dtype)
    # Rounding can lift the largest draws onto maxval: keep the interval half-open.
    return _out(np.where(out >= high, np.nextafter(high, low).astype(dtype), out) if np.size(out) else out, dtype)


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    """Normal values, redrawn until they lie within two standard deviations of the mean.

    Args:
        shape: the shape of the result.
        mean: the mean. Defaults to 0.
        stddev: the standard deviation of the normal before truncation. Defaults to 1.
        dtype: a float dtype. Defaults to `floatx()`.
        seed: an int, a `SeedGenerator` or None.

    Example:
        >>> float(abs(truncated_normal((1000,), seed=0).numpy()).max()) <= 2.0
        True
    """
    shape, dtype = _shape(shape, "truncated_normal"), _float_dtype(dtype, "truncated_normal")
    rng = draw_generator(seed, "truncated_normal")
    count = int(np.prod(shape))
    kept = np.empty(0)
    while kept.size < count:  # about 95% survive each round
        draw = rng.standard_normal(max(count - kept.size, 16) + 8)
        kept = np.concatenate([kept, draw[np.abs(draw) <= 2.0]])
    values = kept[:count].reshape(shape) * _param(stddev, "float64") + _param(mean, "float64")
    return _out(values.astype(dtype), dtype)


def randint(shape, minval, maxval, dtype="int32", seed=None):
    """Integers drawn uniformly from `[minval, maxval)`.

    Args:
        shape: the shape of the result.
        minval: the lowest value (included).
        maxval: the upper bound (excluded).
        dtype: an integer dtype. Defaults to "int32".
        seed: an int, a `SeedGenerator` or None.

    Example:
        >>> sorted(set(randint((100,), 0, 3, seed=2).numpy().tolist()))
        [0, 1, 2]
    """
    shape = _shape(shape, "randint")
    dtype = standardize_dtype(dtype or "int32")
    if np.dtype(dtype).kind not in "iu":
        raise ValueError(f"randint: dtype must be an integer dtype such as 'int32'. Received: dtype={dtype!r}. "
                         "For floats use uniform().")
    low, high = unwrap(minval), unwrap(maxval)
    if np.all(np.asarray(high) <= np.asarray(low)):
        raise ValueError(f"randint: maxval must be greater than minval (the range is [minval, maxval)). Received: "
                         f"minval={minval!r}, maxval={maxval!r}.")
    rng = draw_generator(seed, "randint")
    return _out(rng.integers(low, high, size=shape, dtype=dtype), dtype)


def categorical(logits, num_samples, dtype="int32", seed=None):
    """Class indices drawn from the categorical distributions given by rows of logits.

    Args:
        logits: a 2-D array `(batch_size, num_classes)` of unnormalized log-probabilities;
            a class with logit `-inf` is never drawn.
        num_samples: how many indices to draw per row.
        dtype: an integer dtype. Defaults to "int32".
        seed: an int, a `SeedGenerator` or None.

    Returns:
        A Tensor of shape `(batch_size, num_samples)`.

    Example:
        >>> categorical([[0.0, -np.inf], [-np.inf, 0.0]], 3, seed=0).numpy().tolist()
        [[0, 0, 0], [1, 1, 1]]
    """
    logits = np.asarray(unwrap(logits), dtype="float64")
    if logits.ndim != 2:
        raise ValueError(f"categorical: logits must be 2-D, (batch_size, num_classes). Received: logits with shape "
                         f"{logits.shape}. Add a batch axis with logits[None] for one distribution.")
    if not isinstance(num_samples, (int, np.integer)) or isinstance(num_samples, bool) or num_samples < 0:
        raise ValueError(f"categorical: num_samples must be a non-negative integer. Received: "
                         f"num_samples={num_samples!r}.")
    dtype = standardize_dtype(dtype or "int32")
    rng = draw_generator(seed, "categorical")
    rows, classes = logits.shape
    probs = np.exp(logits - logits.max(axis=1, keepdims=True))
    cdf = np.cumsum(probs, axis=1)
    cdf /= cdf[:, -1:]
    cdf[:, -1] = 1.0
    # One searchsorted for all rows: row i's cumulative probabilities are shifted to [i, i + 1].
    offsets = np.arange(rows, dtype="float64")[:, None]
    draws = rng.random((rows, int(num_samples))) + offsets
    index = np.searchsorted((cdf + offsets).ravel(), draws.ravel(), side="right").reshape(draws.shape)
    index = np.minimum(index - np.arange(rows)[:, None] * classes, classes - 1)
    return _out(index.astype(dtype), dtype)


def dropout(inputs, rate, noise_shape=None, seed=None):
    """Zeroes each entry with probability `rate` and scales the rest by `1 / (1 - rate)`.

    Differentiable in `inputs` (the gradient passes through the kept entries, scaled).

    Args:
        inputs: the tensor.
        rate: the fraction to drop, in [0, 1].
        noise_shape: the shape of the keep/drop mask, broadcast over `inputs` (None entries
            take the input's size): `(batch, 1, features)` drops the same features at every
            timestep. Defaults to the input's shape.
        seed: an int, a `SeedGenerator` or None.

    Example:
        >>> y = dropout(np.ones((2, 4), "float32"), rate=0.5, seed=1).numpy()
        >>> sorted(set(y.ravel().tolist())) in ([0.0, 2.0], [2.0], [0.0])
        True
    """
    x = inputs if isinstance(inputs, Tensor) else Tensor(np.asarray(inputs))
    rate = float(unwrap(rate))
    if not 0.0 <= rate <= 1.0:
        raise ValueError(f"dropout: rate must be in [0, 1] (the fraction of entries dropped). Received: rate={rate}.")
    if noise_shape is None:
        noise_shape = x.shape
    else:
        if len(noise_shape) != x.ndim:
            raise ValueError(f"dropout: noise_shape must have one entry per input axis ({x.ndim}). Received: "
                             f"noise_shape={tuple(noise_shape)} for inputs of shape {x.shape}.")
        noise_shape = tuple(x.shape[i] if n is None else int(n) for i, n in enumerate(noise_shape))
    if rate == 0.0:  # as in Keras, no seed is drawn when nothing is dropped or everything is
        return x
    keep = 1.0 - rate
    kept = draw_generator(seed, "dropout").random(noise_shape) < keep if keep else np.zeros(noise_shape, bool)
    try:
        scale = np.broadcast_to(kept, x.shape)
    except ValueError:
        raise ValueError(f"dropout: noise_shape {noise_shape} does not broadcast to the inputs' shape {x.shape}: "
                         "each entry must equal the input's size or 1.") from None
    scale = scale.astype(x.dtype) / np.asarray(keep, x.dtype) if keep else np.zeros(x.shape, x.dtype)
    return multiply(x, Tensor(scale.astype(x.dtype, copy=False)))


def shuffle(x, axis=0, seed=None):
    """Shuffles the entries of `x` along `axis` (differentiable in `x`).

    Each line of `x` along `axis` (each column, for a matrix and axis 0) gets its own random
    permutation, as Keras's JAX and NumPy backends shuffle; for a vector that is a plain shuffle.

    Args:
        x: the tensor.
        axis: the axis to shuffle along. Defaults to 0.
        seed: an int, a `SeedGenerator` or None.

    Example:
        >>> sorted(shuffle(np.arange(5), seed=4).numpy().tolist())
        [0, 1, 2, 3, 4]
    """
    x = x if isinstance(x, Tensor) else Tensor(np.asarray(x))
    if x.ndim == 0:
        raise ValueError("shuffle: x must have at least one axis. Received a scalar.")
    if not -x.ndim <= axis < x.ndim:
        raise ValueError(f"shuffle: axis {axis} is out of range for x of rank {x.ndim}.")
    axis %= x.ndim
    rng = draw_generator(seed, "shuffle")
    if x.ndim == 1:
        return gather_ops.take(x, rng.permutation(x.shape[0]))
    order = np.argsort(rng.random(x.shape), axis=axis)  # an independent permutation per line
    index = list(np.indices(x.shape, sparse=True))
    index[axis] = order
    flat = np.ravel_multi_index(tuple(index), x.shape)
    return reshape(gather_ops.take(reshape(x, (-1,)), flat.reshape(-1)), x.shape)


def gamma(shape, alpha, dtype=None, seed=None):
    """Values drawn from a gamma distribution of shape parameter `alpha` and scale 1.

    Args:
        shape: the shape of the result.
        alpha: the shape parameter (positive; broadcast against `shape`).
        dtype: a float dtype. Defaults to `floatx()`.
        seed: an int, a `SeedGenerator` or None.

    Example:
        >>> bool((gamma((10,), alpha=2.0, seed=0).numpy() > 0).all())
        True
    """
    shape, dtype = _shape(shape, "gamma"), _float_dtype(dtype, "gamma")
    alpha = _positive(alpha, "gamma", "alpha")
    rng = draw_generator(seed, "gamma")
    return _out(rng.standard_gamma(alpha, size=shape).astype(dtype), dtype)


def binomial(shape, counts, probabilities, dtype=None, seed=None):
    """Counts of successes in `counts` trials of probability `probabilities` each.

    Args:
        shape: the shape of the result.
        counts: the number of trials (broadcast against `shape`).
        probabilities: the probability of success of one trial, in [0, 1].
        dtype: the result dtype. Defaults to `floatx()`.
        seed: an int, a `SeedGenerator` or None.

    Example:
        >>> binomial((3,), counts=5, probabilities=1.0, seed=0).numpy()
        array([5., 5., 5.], dtype=float32)
    """
    shape = _shape(shape, "binomial")
    dtype = standardize_dtype(dtype or floatx())
    counts = np.asarray(unwrap(counts))
    p = np.asarray(unwrap(probabilities), dtype="float64")
    if np.any(counts < 0) or np.any((p < 0) | (p > 1)):
        raise ValueError(f"binomial: counts must be >= 0 and probabilities in [0, 1]. Received: counts={counts}, "
                         f"probabilities={p}.")
    rng = draw_generator(seed, "binomial")
    return _out(rng.binomial(np.round(counts).astype("int64"), p, size=shape).astype(dtype), dtype)


def beta(shape, alpha, beta, dtype=None, seed=None):
    """Values in [0, 1] drawn from a beta distribution with parameters `alpha` and `beta`.

    Args:
        shape: the shape of the result.
        alpha: the first parameter (positive; broadcast against `shape`).
        beta: the second parameter (positive).
        dtype: a float dtype. Defaults to `floatx()`.
        seed: an int, a `SeedGenerator` or None.

    Example:
        >>> x = beta((100,), alpha=2.0, beta=5.0, seed=0).numpy()
        >>> bool(((x >= 0) & (x <= 1)).all())
        True
    """
    shape, dtype = _shape(shape, "beta"), _float_dtype(dtype, "beta")
    a, b = _positive(alpha, "beta", "alpha"), _positive(beta, "beta", "beta")
    rng = draw_generator(seed, "beta")
    return _out(rng.beta(a, b, size=shape).astype(dtype), dtype)


# -- helpers ----------------------------------------------------------------------------------
def _shape(shape, function):
    if isinstance(shape, (int, np.integer)) and not isinstance(shape, bool):
        shape = (shape,)
    try:
        dims = tuple(int(d) for d in shape)
        ok = all(d >= 0 for d in dims) and not any(isinstance(d, bool) for d in shape)
    except (TypeError, ValueError):
        ok = False
    if not ok:
        raise ValueError(f"{function}: shape must be a tuple of non-negative integers, e.g. shape=(2, 3). "
                         f"Received: shape={shape!r}.")
    return dims


def _float_dtype(dtype, function, hint=""):
    dtype = standardize_dtype(dtype or floatx())
    if np.dtype(dtype).kind != "f":
        raise ValueError(f"{function}: dtype must be a floating point dtype such as 'float32'. Received: "
                         f"dtype={dtype!r}.{hint}")
    return dtype


def _param(value, dtype):
    """A distribution parameter (Python number, array or Tensor) as an array of `dtype`."""
    return np.asarray(unwrap(value), dtype=dtype)


def _positive(value, function, arg):
    value = np.asarray(unwrap(value), dtype="float64")
    if np.any(value <= 0):
        raise ValueError(f"{function}: {arg} must be positive. Received: {arg}={value}.")
    return value


def _standard_normal(rng, shape, dtype):
    if dtype in ("float32", "float64"):
        return rng.standard_normal(shape, dtype=dtype)
    return rng.standard_normal(shape).astype(dtype)


def _out(values, dtype):
    return Tensor(np.asarray(values, dtype=dtype))
