"""Learning-rate schedules: callables that map an optimizer step to a learning rate.

Pass one as any optimizer's `learning_rate`; the optimizer evaluates it at
its `iterations` before each step, and `optimizer.learning_rate` reads the
current value. A schedule is called with a step (an int, a float, or a
Tensor/Variable such as `optimizer.iterations`) and returns a scalar Tensor
of the dtype of its initial learning rate (floatx for Python floats). The
built-in schedules work in float64 and cast at the end.

Example:
    >>> from numkeras.optimizers import schedules
    >>> decay = schedules.ExponentialDecay(0.1, decay_steps=10, decay_rate=0.5)
    >>> float(decay(20))
    0.02500000037252903
"""
import math

import numpy as np

from numkeras.backend import floatx, xp
from numkeras.engine.tensor import Tensor, unwrap


def _dtype(value):
    """The dtype a schedule returns: floatx for Python floats, int32 for Python ints, else the value's own."""
    if hasattr(value, "dtype"):
        return np.dtype(value.dtype).name
    return "int32" if isinstance(value, int) and not isinstance(value, bool) else floatx()


def _result(value, like):
    return Tensor(xp.asarray(value, dtype=_dtype(like)))


def _step(step):
    return float(unwrap(step))


def _check_positive(name, value):
    if value <= 0:
        raise ValueError(f"Argument `{name}` must be > 0. Received: {name}={value}")


class LearningRateSchedule:
    """The base class of learning-rate schedules.

    Subclasses implement `__call__(self, step)` and, to be serializable,
    `get_config()`; `from_config` then rebuilds them.

    Example:
        >>> class Halving(LearningRateSchedule):
        ...     def __init__(self, initial_learning_rate):
        ...         self.initial_learning_rate = initial_learning_rate
        ...     def __call__(self, step):
        ...         return self.initial_learning_rate / (step + 1)
        ...     def get_config(self):
        ...         return {"initial_learning_rate": self.initial_learning_rate}
        >>> Halving(1.0)(1)
        0.5
    """

    def __call__(self, step):
        raise NotImplementedError(f"Learning rate schedule '{type(self).__name__}' must override "
                                  "`__call__(self, step)`.")

    def get_config(self):
        raise NotImplementedError(f"Learning rate schedule '{type(self).__name__}' must override "
                                  "`get_config()` in order to be serializable.")

    @classmethod
    def from_config(cls, config):
        """Creates a schedule from `get_config()`'s output."""
        return cls(**config)


class _DecayByPeriods(LearningRateSchedule):
    """The arguments, config and period count that ExponentialDecay and InverseTimeDecay share."""

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase, name):
        _check_positive("decay_steps", decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.decay_rate = decay_rate
        self.staircase = staircase
        self.name = name

    def _periods(self, step):
        """`step / decay_steps`, floored with `staircase`."""
        p = _step(step) / self.decay_steps
        return math.floor(p) if self.staircase else p

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate, "decay_steps": self.decay_steps,
                "decay_rate": self.decay_rate, "staircase": self.staircase, "name": self.name}


class ExponentialDecay(_DecayByPeriods):
    """`initial_learning_rate * decay_rate ** (step / decay_steps)`.

    Args:
        initial_learning_rate: a float, the rate at step 0.
        decay_steps: a positive int: the rate is multiplied by `decay_rate`
            every `decay_steps` steps.
        decay_rate: a float, the factor per `decay_steps` steps.
        staircase: if True, `step / decay_steps` is floored, so the rate
            drops at discrete intervals. Defaults to False.
        name: a string. Defaults to "ExponentialDecay".

    Example:
        >>> schedule = ExponentialDecay(0.1, decay_steps=3, decay_rate=0.5, staircase=True)
        >>> [round(float(schedule(s)), 3) for s in (0, 2, 3, 7)]
        [0.1, 0.1, 0.05, 0.025]
    """

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False, name="ExponentialDecay"):
        super().__init__(initial_learning_rate, decay_steps, decay_rate, staircase, name)

    def __call__(self, step):
        rate = float(self.initial_learning_rate) * float(self.decay_rate) ** self._periods(step)
        return _result(rate, self.initial_learning_rate)


class PiecewiseConstantDecay(LearningRateSchedule):
    """A constant rate per interval of steps.

    The rate is `values[0]` while `step <= boundaries[0]`, `values[i]` while
    `boundaries[i - 1] < step <= boundaries[i]`, and `values[-1]` after the
    last boundary.

    Args:
        boundaries: a list of strictly increasing step numbers.
        values: a list of rates, one more than `boundaries`.
        name: a string. Defaults to "PiecewiseConstant".

    Example:
        >>> schedule = PiecewiseConstantDecay([100, 110], [1.0, 0.5, 0.1])
        >>> [float(schedule(s)) for s in (100, 101, 111)]
        [1.0, 0.5, 0.10000000149011612]
    """

    def __init__(self, boundaries, values, name="PiecewiseConstant"):
        if len(boundaries) != len(values) - 1:
            raise ValueError(
                f"The length of boundaries should be 1 less than the length of values. Received: "
                f"boundaries={boundaries} of length {len(boundaries)}, and values={values} of length {len(values)}.")
        self.boundaries = boundaries
        self.values = values
        self.name = name

    def __call__(self, step):
        step = _step(step)
        index = sum(step > b for b in self.boundaries)  # boundaries increase: how many lie strictly below step
        return _result(self.values[index], self.values[0])

    def get_config(self):
        return {"boundaries": self.boundaries, "values": self.values, "name": self.name}


class PolynomialDecay(LearningRateSchedule):
    """Decays from `initial_learning_rate` to `end_learning_rate` along `(1 - step / decay_steps) ** power`.

    The rate is `(initial - end) * (1 - min(step, decay_steps) / decay_steps) ** power + end`.
    With `cycle=True` the decay restarts: `decay_steps` is replaced by its
    first multiple that is not below `step` (1 × at step 0).

    Args:
        initial_learning_rate: a float, the rate at step 0.
        decay_steps: a positive int, the length of the decay.
        end_learning_rate: a float, the final rate. Defaults to 0.0001.
        power: a float, the polynomial's power. Defaults to 1.0 (linear).
        cycle: whether to restart after `decay_steps`. Defaults to False.
        name: a string. Defaults to "PolynomialDecay".

    Example:
        >>> schedule = PolynomialDecay(0.1, decay_steps=10, end_learning_rate=0.0)
        >>> [round(float(schedule(s)), 4) for s in (0, 5, 10, 20)]
        [0.1, 0.05, 0.0, 0.0]
    """

    def __init__(self, initial_learning_rate, decay_steps, end_learning_rate=0.0001, power=1.0, cycle=False,
                 name="PolynomialDecay"):
        _check_positive("decay_steps", decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.end_learning_rate = end_learning_rate
        self.power = power
        self.cycle = cycle
        self.name = name

    def __call__(self, step):
        step, decay_steps = _step(step), float(self.decay_steps)
        if self.cycle:
            decay_steps *= math.ceil(step / decay_steps) if step != 0 else 1.0
        else:
            step = min(step, decay_steps)
        initial, end = float(self.initial_learning_rate), float(self.end_learning_rate)
        value = (initial - end) * (1 - step / decay_steps) ** self.power + end
        return _result(value, self.initial_learning_rate)

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate, "decay_steps": self.decay_steps,
                "end_learning_rate": self.end_learning_rate, "power": self.power, "cycle": self.cycle,
                "name": self.name}


class InverseTimeDecay(_DecayByPeriods):
    """`initial_learning_rate / (1 + decay_rate * step / decay_steps)`.

    Args:
        initial_learning_rate: a float, the rate at step 0.
        decay_steps: a positive number: the time unit of the decay.
        decay_rate: a float.
        staircase: if True, `step / decay_steps` is floored. Defaults to False.
        name: a string. Defaults to "InverseTimeDecay".

    Example:
        >>> schedule = InverseTimeDecay(0.1, decay_steps=1.0, decay_rate=0.5)
        >>> [round(float(schedule(s)), 4) for s in (0, 2, 6)]
        [0.1, 0.05, 0.025]
    """

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False, name="InverseTimeDecay"):
        super().__init__(initial_learning_rate, decay_steps, decay_rate, staircase, name)

    def __call__(self, step):
        value = float(self.initial_learning_rate) / (1 + float(self.decay_rate) * self._periods(step))
        return _result(value, self.initial_learning_rate)


def _cosine(fraction, alpha):
    """The cosine multiplier from 1 (fraction 0) down to `alpha` (fraction 1)."""
    return (1 - alpha) * 0.5 * (1 + math.cos(math.pi * fraction)) + alpha


class CosineDecay(LearningRateSchedule):
    """A cosine decay, optionally after a linear warmup (SGDR without restarts).

    Without `warmup_target`, the rate goes from `initial_learning_rate` to
    `initial_learning_rate * alpha` along half a cosine over `decay_steps`
    steps, then stays there. With `warmup_target`, it first rises linearly
    from `initial_learning_rate` to `warmup_target` over `warmup_steps`
    steps, then decays from `warmup_target` to `warmup_target * alpha`.

    Args:
        initial_learning_rate: a float, the rate at step 0.
        decay_steps: a positive int, the length of the decay.
        alpha: the final rate as a fraction of the decay's starting rate.
            Defaults to 0.0.
        name: a string. Defaults to "CosineDecay".
        warmup_target: a float, the rate to warm up to, or None for no
            warmup. Defaults to None.
        warmup_steps: an int, the length of the warmup. Defaults to 0.

    Example:
        >>> schedule = CosineDecay(0.0, decay_steps=10, warmup_target=1.0, warmup_steps=10)
        >>> [round(float(schedule(s)), 4) for s in (0, 5, 10, 15, 20, 30)]
        [0.0, 0.5, 1.0, 0.5, 0.0, 0.0]
    """

    def __init__(self, initial_learning_rate, decay_steps, alpha=0.0, name="CosineDecay", warmup_target=None,
                 warmup_steps=0):
        _check_positive("decay_steps", decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.alpha = alpha
        self.name = name
        self.warmup_steps = warmup_steps
        self.warmup_target = warmup_target

    def __call__(self, step):
        step, initial = _step(step), float(self.initial_learning_rate)
        if self.warmup_target is None:
            fraction = min(step, self.decay_steps) / self.decay_steps
            return _result(initial * _cosine(fraction, self.alpha), self.initial_learning_rate)
        target, warmup_steps = float(self.warmup_target), float(self.warmup_steps)
        step = min(step, self.decay_steps + warmup_steps)
        if step < warmup_steps:
            value = (target - initial) * step / warmup_steps + initial
        else:
            value = target * _cosine((step - warmup_steps) / self.decay_steps, self.alpha)
        return _result(value, self.initial_learning_rate)

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate, "decay_steps": self.decay_steps,
                "alpha": self.alpha, "name": self.name, "warmup_target": self.warmup_target,
                "warmup_steps": self.warmup_steps}


class CosineDecayRestarts(LearningRateSchedule):
    """A cosine decay with warm restarts (SGDR).

    The multiplier decays from 1 to `alpha` over `first_decay_steps` steps;
    then it restarts, each period `t_mul` times longer than the one before
    and starting from `m_mul` times the previous period's initial rate.

    Args:
        initial_learning_rate: a float, the rate at step 0.
        first_decay_steps: a positive int, the length of the first period.
        t_mul: a float, the growth factor of the periods' lengths. Defaults to 2.0.
        m_mul: a float, the factor on each period's initial rate. Defaults to 1.0.
        alpha: the minimum rate as a fraction of `initial_learning_rate`.
            Defaults to 0.0.
        name: a string. Defaults to "SGDRDecay".

    Example:
        >>> schedule = CosineDecayRestarts(1.0, first_decay_steps=10, m_mul=0.5)
        >>> [round(float(schedule(s)), 4) for s in (0, 5, 10, 20, 30)]
        [1.0, 0.5, 0.5, 0.25, 0.25]
    """

    def __init__(self, initial_learning_rate, first_decay_steps, t_mul=2.0, m_mul=1.0, alpha=0.0, name="SGDRDecay"):
        _check_positive("first_decay_steps", first_decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.first_decay_steps = first_decay_steps
        self._t_mul = t_mul
        self._m_mul = m_mul
        self.alpha = alpha
        self.name = name

    def _period(self, fraction):
        """Returns (restart index i, fraction completed of period i) for `fraction` in first-period units."""
        t_mul = float(self._t_mul)
        if t_mul == 1.0:
            i = math.floor(fraction)
            return i, fraction - i
        start = lambda k: (1 - t_mul**k) / (1 - t_mul)  # noqa: E731 (first-period units before period k)
        argument = 1 - fraction * (1 - t_mul)
        if argument <= 0:  # t_mul < 1: the periods sum to less than `fraction`
            return math.inf, math.nan
        i = math.floor(math.log(argument) / math.log(t_mul))
        # The logarithm can land a hair off an exact restart: settle i by the period starts themselves.
        while start(i + 1) <= fraction:
            i += 1
        while i > 0 and start(i) > fraction:
            i -= 1
        return i, (fraction - start(i)) / t_mul**i

    def __call__(self, step):
        i, fraction = self._period(_step(step) / self.first_decay_steps)
        alpha = float(self.alpha)
        decayed = (1 - alpha) * 0.5 * float(self._m_mul) ** i * (1 + math.cos(math.pi * fraction)) + alpha
        return _result(float(self.initial_learning_rate) * decayed, self.initial_learning_rate)

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate, "first_decay_steps": self.first_decay_steps,
                "t_mul": self._t_mul, "m_mul": self._m_mul, "alpha": self.alpha, "name": self.name}
