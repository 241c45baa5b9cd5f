"""Random initializers: normal, uniform, truncated normal and the variance-scaling family.

Seeding follows Keras 3: an initializer holds one integer seed, so every
call on the same instance returns the same values. An unseeded initializer
draws its seed, when it is created, from numkeras's global generator, so
`numkeras.utils.set_random_seed` makes whole runs repeat. Values are drawn
in float64 and cast to the requested dtype.

Example:
    >>> from numkeras import initializers
    >>> init = initializers.RandomNormal(stddev=1.0, seed=1)
    >>> bool((init((3,)) == init((3,))).all())
    True
"""
import math

import numpy as np

from numkeras.backend import random_generator, standardize_dtype, xp
from numkeras.initializers.initializer import Initializer, as_shape

# The standard deviation of a unit normal truncated to [-2, 2]: VarianceScaling
# divides by it so that the truncated draws keep the intended variance.
_TRUNCATED_STDDEV = 0.87962566103423978


def _rng(seed):
    return np.random.default_rng(seed)


def _normal(shape, mean, stddev, dtype, seed):
    return xp.asarray(_rng(seed).normal(mean, stddev, as_shape(shape)).astype(standardize_dtype(dtype)))


def _uniform(shape, minval, maxval, dtype, seed):
    return xp.asarray(_rng(seed).uniform(minval, maxval, as_shape(shape)).astype(standardize_dtype(dtype)))


def _truncated_normal(shape, mean, stddev, dtype, seed):
    """Normal draws, where those more than two stddevs from the mean are re-drawn."""
    rng, shape = _rng(seed), as_shape(shape)
    out = rng.normal(mean, stddev, shape)
    bad = np.abs(out - mean) > 2 * stddev
    while bad.any():
        out[bad] = rng.normal(mean, stddev, int(bad.sum()))
        bad = np.abs(out - mean) > 2 * stddev
    return xp.asarray(out.astype(standardize_dtype(dtype)))


def compute_fans(shape, input_axes=None, output_axes=None):
    """Returns `(fan_in, fan_out)` of a weight shape.

    Dense kernels `(in, out)` give `(in, out)`; convolution kernels
    `(*spatial, in_channels, out_channels)` multiply both by the receptive
    field (the product of the spatial dimensions); 1-D shapes give `(n, n)`
    and scalars `(1, 1)`.

    Example:
        >>> compute_fans((3, 3, 16, 32))
        (144, 288)
    """
    shape = as_shape(shape)
    if input_axes is not None and output_axes is not None:
        return math.prod(shape[a] for a in input_axes), math.prod(shape[a] for a in output_axes)
    if len(shape) == 0:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    receptive_field = math.prod(shape[:-2])
    return shape[-2] * receptive_field, shape[-1] * receptive_field


class RandomInitializer(Initializer):
    """Base of the random initializers: holds the seed (an int, or None to draw one)."""

    def __init__(self, seed=None):
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, (int, np.integer))):
            raise ValueError(f"{type(self).__name__}: `seed` should be an integer or None. Received: seed={seed!r}.")
        self._init_seed = seed
        self.seed = int(seed) if seed is not None else int(random_generator().integers(1, 10**9))

    def get_config(self):
        return {"seed": self._init_seed}


class RandomNormal(RandomInitializer):
    """Draws from a normal distribution.

    Args:
        mean: the mean. Defaults to 0.0.
        stddev: the standard deviation. Defaults to 0.05.
        seed: an integer; None draws one from the global generator.

    Example:
        >>> RandomNormal(seed=0)((2, 2)).dtype
        dtype('float32')
    """

    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        self.mean = mean
        self.stddev = stddev
        super().__init__(seed=seed)

    def __call__(self, shape, dtype=None):
        return _normal(shape, self.mean, self.stddev, dtype, self.seed)

    def get_config(self):
        return {**super().get_config(), "mean": self.mean, "stddev": self.stddev}


class TruncatedNormal(RandomInitializer):
    """Like `RandomNormal`, but values more than two stddevs from the mean are re-drawn.

    Args:
        mean: the mean. Defaults to 0.0.
        stddev: the standard deviation before truncation. Defaults to 0.05.
        seed: an integer; None draws one from the global generator.

    Example:
        >>> bool((abs(TruncatedNormal(seed=0)((100,))) <= 0.1).all())
        True
    """

    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        self.mean = mean
        self.stddev = stddev
        super().__init__(seed=seed)

    def __call__(self, shape, dtype=None):
        return _truncated_normal(shape, self.mean, self.stddev, dtype, self.seed)

    def get_config(self):
        return {**super().get_config(), "mean": self.mean, "stddev": self.stddev}


class RandomUniform(RandomInitializer):
    """Draws uniformly from [minval, maxval).

    Args:
        minval: the lower bound. Defaults to -0.05.
        maxval: the upper bound. Defaults to 0.05.
        seed: an integer; None draws one from the global generator.

    Example:
        >>> bool((abs(RandomUniform(seed=0)((100,))) <= 0.05).all())
        True
    """

    def __init__(self, minval=-0.05, maxval=0.05, seed=None):
        self.minval = minval
        self.maxval = maxval
        super().__init__(seed=seed)

    def __call__(self, shape, dtype=None):
        return _uniform(shape, self.minval, self.maxval, dtype, self.seed)

    def get_config(self):
        return {**super().get_config(), "minval": self.minval, "maxval": self.maxval}


class VarianceScaling(RandomInitializer):
    """Scales its distribution to the weight's fans.

    With `n` the fan chosen by `mode` (fan_in, fan_out, or their mean for
    "fan_avg"), "truncated_normal" draws with stddev `sqrt(scale / n) / 0.8796`
    (so the truncated values keep variance `scale / n`), "untruncated_normal"
    with stddev `sqrt(scale / n)`, and "uniform" within
    `[-sqrt(3 * scale / n), sqrt(3 * scale / n)]`.

    Args:
        scale: a positive float. Defaults to 1.0.
        mode: "fan_in", "fan_out" or "fan_avg". Defaults to "fan_in".
        distribution: "truncated_normal" (also "normal"), "untruncated_normal"
            or "uniform". Defaults to "truncated_normal".
        seed: an integer; None draws one from the global generator.
        input_axes, output_axes: optional axes whose sizes give the fans.

    Example:
        >>> init = VarianceScaling(scale=2.0, mode="fan_in", distribution="uniform", seed=0)
        >>> bool((abs(init((6, 4))) <= 1.0).all())
        True
    """

    def __init__(self, scale=1.0, mode="fan_in", distribution="truncated_normal", seed=None,
                 input_axes=None, output_axes=None):
        if not scale > 0.0:
            raise ValueError(f"Argument `scale` must be positive float. Received: scale={scale!r}.")
        modes = ("fan_in", "fan_out", "fan_avg")
        if mode not in modes:
            raise ValueError(f"Invalid `mode` argument: {mode!r}. Please use one of {modes}.")
        distribution = str(distribution).lower()
        distribution = "truncated_normal" if distribution == "normal" else distribution
        distributions = ("uniform", "truncated_normal", "untruncated_normal")
        if distribution not in distributions:
            raise ValueError(f"Invalid `distribution` argument: {distribution!r}. Please use one of {distributions}.")
        self.scale = scale
        self.mode = mode
        self.distribution = distribution
        self.input_axes = input_axes
        self.output_axes = output_axes
        super().__init__(seed=seed)

    def __call__(self, shape, dtype=None):
        fan_in, fan_out = compute_fans(shape, self.input_axes, self.output_axes)
        fan = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2.0}[self.mode]
        variance = self.scale / max(1.0, fan)
        if self.distribution == "truncated_normal":
            return _truncated_normal(shape, 0.0, math.sqrt(variance) / _TRUNCATED_STDDEV, dtype, self.seed)
        if self.distribution == "untruncated_normal":
            return _normal(shape, 0.0, math.sqrt(variance), dtype, self.seed)
        limit = math.sqrt(3.0 * variance)
        return _uniform(shape, -limit, limit, dtype, self.seed)

    def get_config(self):
        return {**super().get_config(), "scale": self.scale, "mode": self.mode,
                "distribution": self.distribution, "input_axes": self.input_axes,
                "output_axes": self.output_axes}


class _FixedVarianceScaling(VarianceScaling):
    """A VarianceScaling preset: only the seed (and axes) are configurable."""

    _preset = {}

    def __init__(self, seed=None, input_axes=None, output_axes=None):
        super().__init__(seed=seed, input_axes=input_axes, output_axes=output_axes, **self._preset)

    def get_config(self):
        return {"seed": self._init_seed, "input_axes": self.input_axes, "output_axes": self.output_axes}


class GlorotUniform(_FixedVarianceScaling):
    """Glorot (Xavier) uniform: within `[-limit, limit]`, `limit = sqrt(6 / (fan_in + fan_out))`.

    The default kernel initializer of Dense.

    Example:
        >>> bool((abs(GlorotUniform(seed=0)((3, 5))) <= (6 / 8) ** 0.5).all())
        True
    """

    _preset = {"scale": 1.0, "mode": "fan_avg", "distribution": "uniform"}


class GlorotNormal(_FixedVarianceScaling):
    """Glorot (Xavier) normal: truncated normal with stddev `sqrt(2 / (fan_in + fan_out))`.

    Example:
        >>> GlorotNormal(seed=0)((3, 5)).shape
        (3, 5)
    """

    _preset = {"scale": 1.0, "mode": "fan_avg", "distribution": "truncated_normal"}


class HeUniform(_FixedVarianceScaling):
    """He uniform: within `[-limit, limit]`, `limit = sqrt(6 / fan_in)`.

    Example:
        >>> bool((abs(HeUniform(seed=0)((6, 5))) <= 1.0).all())
        True
    """

    _preset = {"scale": 2.0, "mode": "fan_in", "distribution": "uniform"}


class HeNormal(_FixedVarianceScaling):
    """He normal: truncated normal with stddev `sqrt(2 / fan_in)`.

    Example:
        >>> HeNormal(seed=0)((6, 5)).shape
        (6, 5)
    """

    _preset = {"scale": 2.0, "mode": "fan_in", "distribution": "truncated_normal"}


class LecunUniform(_FixedVarianceScaling):
    """LeCun uniform: within `[-limit, limit]`, `limit = sqrt(3 / fan_in)`.

    Example:
        >>> bool((abs(LecunUniform(seed=0)((3, 5))) <= 1.0).all())
        True
    """

    _preset = {"scale": 1.0, "mode": "fan_in", "distribution": "uniform"}


class LecunNormal(_FixedVarianceScaling):
    """LeCun normal: truncated normal with stddev `sqrt(1 / fan_in)`.

    Example:
        >>> LecunNormal(seed=0)((3, 5)).shape
        (3, 5)
    """

    _preset = {"scale": 1.0, "mode": "fan_in", "distribution": "truncated_normal"}


class Orthogonal(RandomInitializer):
    """A (semi-)orthogonal matrix times `gain`, from the QR decomposition of normal draws.

    Shapes with more than two dimensions are flattened to
    `(prod(shape[:-1]), shape[-1])` first.

    Args:
        gain: a scale factor. Defaults to 1.0.
        seed: an integer; None draws one from the global generator.

    Example:
        >>> q = Orthogonal(seed=0)((4, 4), dtype="float64")
        >>> bool(np.allclose(q.T @ q, np.eye(4)))
        True
    """

    def __init__(self, gain=1.0, seed=None):
        self.gain = gain
        super().__init__(seed=seed)

    def __call__(self, shape, dtype=None):
        shape = as_shape(shape)
        if len(shape) < 2:
            raise ValueError(f"Orthogonal initializer needs a shape of rank >= 2. Received: shape={shape}.")
        rows, cols = math.prod(shape[:-1]), shape[-1]
        a = _rng(self.seed).normal(0.0, 1.0, (max(rows, cols), min(rows, cols)))
        q, r = np.linalg.qr(a)
        q *= np.sign(np.diag(r))  # makes the decomposition unique, so q is uniformly distributed
        if rows < cols:
            q = q.T
        # C order like every other initializer's output (q.T and QR's result are Fortran-ordered).
        return xp.asarray(np.ascontiguousarray((self.gain * q).reshape(shape), dtype=standardize_dtype(dtype)))

    def get_config(self):
        return {**super().get_config(), "gain": self.gain}
