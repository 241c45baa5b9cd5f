"""Checks for optimizer hyperparameters, made when the optimizer is created.

Keras takes most hyperparameters without a look: a negative learning rate
trains uphill, a `beta_1` of 1.5 diverges a few steps later. Each check here
refuses a value of the wrong type or outside its range at construction, and
the message names the optimizer and the argument, shows what was received,
the range expected and the usual value.

Example:
    >>> from numkeras.optimizers.hyperparameters import check_number
    >>> check_number("Adam", "beta_1", 0.9, low=0, high=1, high_open=True, usual="0.9")
    0.9
    >>> try:
    ...     check_number("Adam", "beta_1", 1.5, low=0, high=1, high_open=True, usual="0.9")
    ... except ValueError as e:
    ...     print(e)
    Adam: `beta_1` must be a number in [0, 1). Received: beta_1=1.5. Use a value in that range, usually 0.9.
"""
import math
import numbers


def _interval(low, high, low_open, high_open):
    left = "(" if low_open or low is None else "["
    right = ")" if high_open or high is None else "]"
    low_s = "-inf" if low is None else f"{low:g}"
    high_s = "inf" if high is None else f"{high:g}"
    return f"{left}{low_s}, {high_s}{right}"


def check_number(owner, name, value, low=None, high=None, low_open=False, high_open=False, usual=None,
                 allow_none=False):
    """Returns `value` if it is a real number (not a bool) inside the interval, else raises.

    Args:
        owner: the class name shown first in the message, e.g. "Adam".
        name: the argument's name.
        value: what the user passed.
        low, high: the interval's ends (None for unbounded).
        low_open, high_open: whether an end is excluded.
        usual: the value to suggest, as text (e.g. "0.9").
        allow_none: whether None is accepted (then returned as is).

    Raises:
        TypeError: `value` is not a real number (a string, a list, a bool, None when not allowed).
        ValueError: `value` is NaN, infinite, or outside the interval.
    """
    if value is None and allow_none:
        return None
    interval = _interval(low, high, low_open, high_open)
    hint = f"usually {usual}" if usual is not None else "for example " + ("1.0" if high is None else f"{high:g}")
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        if hasattr(value, "shape") and getattr(value, "shape", None) == () and not isinstance(value, bool):
            try:
                return check_number(owner, name, float(value), low, high, low_open, high_open, usual, allow_none)
            except TypeError:
                pass
        none_note = " or None" if allow_none else ""
        raise TypeError(f"{owner}: `{name}` must be a number in {interval}{none_note}. "
                        f"Received: {name}={value!r} (of type {type(value).__name__}). "
                        f"Pass a float, {hint}.")
    number = float(value)
    below = low is not None and (number <= low if low_open else number < low)
    above = high is not None and (number >= high if high_open else number > high)
    if not math.isfinite(number) or below or above:
        raise ValueError(f"{owner}: `{name}` must be a number in {interval}. Received: {name}={value!r}. "
                         f"Use a value in that range, {hint}.")
    return value


def check_bool(owner, name, value):
    """Returns `value` if it is a bool (or NumPy bool), else raises a TypeError naming the argument."""
    if isinstance(value, bool) or (type(value).__module__ == "numpy" and type(value).__name__ in ("bool", "bool_")):
        return bool(value)
    raise TypeError(f"{owner}: `{name}` must be True or False. Received: {name}={value!r} "
                    f"(of type {type(value).__name__}). Pass {name}=True or {name}=False.")
