"""Constructor arguments checked when they are given, for every built-in layer, loss, metric, callback,
initializer, regularizer and constraint.

Keras takes most constructor arguments without a look, so `Dropout("0.5")` or
`BatchNormalization(center="no")` fail, if ever, at the first batch, far from the
mistake. Here each built-in class's `__init__` is wrapped (through the base classes'
`__init_subclass__`) so that its arguments are checked first, by two kinds of rule:

- **By name**, for arguments whose meaning is the same wherever they appear: `units`
  and `filters` are positive integers, `rate` and `dropout` fractions in [0, 1],
  `*_initializer` anything `initializers.get` takes, `data_format` one of two strings.
- **By default value**, for the rest: an argument whose default is a bool takes a bool;
  an int, an int or a tuple of ints; a float, a number or a tuple of numbers; a string,
  a string, a callable or None. This catches a wrong type, the common slip, without a
  table entry per class; the class's own code still checks the allowed values.

A failed check raises TypeError (wrong type) or ValueError (wrong value) naming the
class, the argument, what was received, what was expected and what to pass. The rules
for a class are worked out once, at its first construction (not at import). User-defined
subclasses are not wrapped: their own arguments are theirs.

Example:
    >>> from numkeras import layers
    >>> try:
    ...     layers.Dropout(rate="0.5")
    ... except TypeError as e:
    ...     print(e)
    Dropout: `rate` must be a number in [0, 1]. Received: rate='0.5' (of type str). Pass e.g. rate=0.5.
"""
import functools
import inspect
import math
import numbers
import warnings

_EMPTY = inspect.Parameter.empty


class _Rule:
    """One argument's check: `check(value)` returns an error (type, expected, example) or None."""

    def __init__(self, check, expected, example):
        self.check, self.expected, self.example = check, expected, example


def _is_bool(v):
    return isinstance(v, bool) or (type(v).__module__ == "numpy" and type(v).__name__ in ("bool", "bool_"))


def _is_int(v):
    return isinstance(v, numbers.Integral) and not _is_bool(v)


def _is_real(v):
    return isinstance(v, numbers.Real) and not _is_bool(v)


def _ints(v, allow_none_items=False):
    """An int, or a (nested) list/tuple of ints (None items where allowed)."""
    if _is_int(v):
        return True
    if isinstance(v, (list, tuple)):
        return all(_ints(x, allow_none_items) or (allow_none_items and x is None) for x in v)
    return False


def _reals(v):
    if _is_real(v):
        return True
    return isinstance(v, (list, tuple)) and all(_reals(x) for x in v)


def _type_rule(test, expected, example):
    return _Rule(lambda v: None if test(v) else TypeError, expected, example)


def _number_rule(low=None, high=None, low_open=False, high_open=False, allow_none=False, example="1.0"):
    left = "(" if low_open or low is None else "["
    right = ")" if high_open or high is None else "]"
    expected = f"a number in {left}{'-inf' if low is None else f'{low:g}'}, {'inf' if high is None else f'{high:g}'}{right}"
    if allow_none:
        expected += " or None"

    def check(v):
        if v is None and allow_none:
            return None
        if not _is_real(v):
            return TypeError
        x = float(v)
        if math.isnan(x) or (low is not None and (x <= low if low_open else x < low)) or (
                high is not None and (x >= high if high_open else x > high)):
            return ValueError
        return None
    return _Rule(check, expected, example)


def _int_rule(low=1, allow_none=False, example="32"):
    expected = ("a positive integer" if low == 1 else f"an integer >= {low}") + (" or None" if allow_none else "")

    def check(v):
        if v is None and allow_none:
            return None
        if not _is_int(v):
            return TypeError
        return ValueError if v < low else None
    return _Rule(check, expected, example)


def _sizes_rule(allow_none=False, example="3"):
    """kernel_size, strides, pool_size, dilation_rate: a positive int or a tuple of them."""
    def check(v):
        if v is None and allow_none:
            return None
        if not _ints(v):
            return TypeError
        flat = [v] if _is_int(v) else list(v)
        return ValueError if any(not _is_int(x) or x < 1 for x in flat) else None
    return _Rule(check, "a positive integer or a tuple of positive integers" + (" or None" if allow_none else ""),
                 example)


def _choice_rule(choices, example):
    def check(v):
        if v is None and None in choices:
            return None
        if not isinstance(v, str):
            return TypeError
        return None if v in choices else ValueError
    shown = ", ".join(repr(c) for c in choices)
    return _Rule(check, f"one of {shown}", example)


def _getter_rule(module, what, example):
    """Anything the family's `get` takes (a name, a dict config, an instance, a callable, None)."""
    def check(v):
        import importlib
        getter = importlib.import_module(f"numkeras.{module}").get
        try:
            getter(v)
        except (TypeError, ValueError):
            return ValueError if isinstance(v, (str, dict)) else TypeError
        return None
    return _Rule(check, f"{what} (a name such as {example}, an instance, or None)", example)


_NAME_OR_NONE = _type_rule(lambda v: v is None or isinstance(v, str), "a string or None", "'my_layer'")
_FRACTION = _number_rule(0, 1, example="0.5")
_SEED = _type_rule(lambda v: v is None or _is_int(v) or hasattr(v, "next"), "an integer, a SeedGenerator or None",
                   "1337")

# Arguments that mean the same in every class that has them.
BY_NAME = {
    "name": _NAME_OR_NONE,
    "trainable": _type_rule(_is_bool, "True or False", "True"),
    "units": _int_rule(example="32"),
    "filters": _int_rule(example="32"),
    "num_heads": _int_rule(example="4"),
    "key_dim": _int_rule(example="64"),
    "value_dim": _int_rule(allow_none=True, example="64"),
    "input_dim": _int_rule(example="10000"),
    "output_dim": _int_rule(example="32"),
    "depth_multiplier": _int_rule(example="1"),
    "rate": _FRACTION,
    "dropout": _FRACTION,
    "recurrent_dropout": _FRACTION,
    "label_smoothing": _FRACTION,
    "momentum": _FRACTION,
    "epsilon": _number_rule(0, example="1e-3"),
    "stddev": _number_rule(0, example="0.05"),
    "l1": _number_rule(0, allow_none=True, example="0.01"),
    "l2": _number_rule(0, allow_none=True, example="0.01"),
    "patience": _int_rule(low=0, example="3"),
    "seed": _SEED,
    "data_format": _choice_rule(("channels_last", "channels_first", None), "'channels_last'"),
    "kernel_size": _sizes_rule(example="3"),
    "dilation_rate": _sizes_rule(example="1"),
    "pool_size": _sizes_rule(example="2"),
    "strides": _sizes_rule(allow_none=True, example="1"),
    "activation": _getter_rule("activations", "an activation", "'relu'"),
    "recurrent_activation": _getter_rule("activations", "an activation", "'sigmoid'"),
    "axis": _type_rule(lambda v: v is None or _ints(v), "an integer, a tuple of integers or None", "-1"),
    "input_axes": _type_rule(lambda v: v is None or _ints(v), "an integer, a tuple of integers or None", "-2"),
    "output_axes": _type_rule(lambda v: v is None or _ints(v), "an integer, a tuple of integers or None", "-1"),
    "shared_axes": _type_rule(lambda v: v is None or _ints(v), "an integer, a tuple of integers or None", "[1, 2]"),
    "dtype": _type_rule(lambda v: v is None or isinstance(v, (str, dict, type)) or hasattr(v, "name"),
                        "a dtype name, a DTypePolicy or None", "'float32'"),
    "thresholds": _type_rule(lambda v: v is None or _reals(v), "a number, a list of numbers or None", "0.5"),
    "top_k": _int_rule(allow_none=True, example="5"),
    "class_id": _int_rule(low=0, allow_none=True, example="0"),
    "ignore_class": _type_rule(lambda v: v is None or _is_int(v), "an integer or None", "-1"),
    "max_value": _number_rule(allow_none=True, example="6.0"),
    "baseline": _number_rule(allow_none=True, example="0.9"),
    "batch_size": _int_rule(allow_none=True, example="32"),
    "label_weights": _type_rule(lambda v: v is None or _reals(v), "a list of numbers or None", "[1.0, 2.0]"),
    "function": _type_rule(callable, "a function", "lambda x: x * 2"),
    "n": _int_rule(example="3"),
    "height": _int_rule(example="224"),
    "width": _int_rule(example="224"),
    "layers": _type_rule(lambda v: v is None or isinstance(v, (list, tuple)), "a list of layers or None",
                         "[layers.Dense(64), layers.Dense(10)]"),
    "dims": _type_rule(lambda v: isinstance(v, (list, tuple)) and _ints(v), "a tuple of axis indices", "(2, 1)"),
    "target_shape": _type_rule(lambda v: isinstance(v, (list, tuple)) and _ints(v, allow_none_items=True),
                               "a tuple of integers", "(4, 4)"),
    "layer": _type_rule(lambda v: hasattr(v, "compute_output_shape") and hasattr(v, "get_config"), "a layer",
                        "layers.LSTM(32)"),
    "cells": _type_rule(lambda v: isinstance(v, (list, tuple)) and all(hasattr(c, "state_size") for c in v),
                        "a list of RNN cells", "[layers.LSTMCell(32), layers.LSTMCell(32)]"),
    "target_class_ids": _type_rule(lambda v: _ints(v), "a list of class indices", "[0, 1]"),
    "vocabulary": _type_rule(lambda v: v is None or isinstance(v, str) or hasattr(v, "__iter__"),
                             "a list or array of tokens, a file path, or None", "['a', 'b']"),
    "bin_boundaries": _type_rule(lambda v: v is None or _reals(v), "a list of numbers or None", "[0.0, 1.0]"),
}
_CALLABLE_OR_NONE = _type_rule(lambda v: v is None or callable(v), "a function or None", "lambda epoch, logs: None")
_SUFFIXES = (("_initializer", "initializers", "an initializer", "'glorot_uniform'"),
             ("_regularizer", "regularizers", "a regularizer", "'l2'"),
             ("_constraint", "constraints", "a constraint", "'non_neg'"))
_BY_SUFFIX = {suffix: _getter_rule(module, what, example) for suffix, module, what, example in _SUFFIXES}

_BOOL = _type_rule(_is_bool, "True or False", "True")
# An int default takes any number (EarlyStopping's min_delta=0 takes 1e-4; verbose=True is an int to Python).
# None is let through: many Keras arguments take it for "the default" (AUC's num_thresholds, from a config).
_INTS = _type_rule(lambda v: v is None or isinstance(v, numbers.Real) or (
    isinstance(v, (list, tuple)) and all(x is None or _INTS.check(x) is None for x in v)),
    "a number or a tuple of numbers", "1")
_REALS = _type_rule(lambda v: v is None or _reals(v), "a number or a tuple of numbers", "0.1")
# A string default may also take a number, a bool or a function (save_freq=3, use_cudnn=False, split=fn).
_TEXT = _type_rule(lambda v: v is None or isinstance(v, (str, numbers.Real, list, tuple, dict)) or callable(v),
                   "a string", "'auto'")


def _rule_for(name, default):
    rule = BY_NAME.get(name)
    if rule is not None:
        return rule
    if name.startswith("on_"):  # LambdaCallback's hooks
        return _CALLABLE_OR_NONE
    for suffix, rule in _BY_SUFFIX.items():
        if name.endswith(suffix):
            return rule
    if default is _EMPTY or default is None:
        return None
    if _is_bool(default):
        return _BOOL
    if _is_int(default):
        return _INTS
    if _is_real(default):
        return _REALS
    if isinstance(default, str):
        return _TEXT
    if isinstance(default, (tuple, list)) and default:  # (1, 1), ((0, 0), (0, 0)), (0.5, 1.5)
        return _INTS if _reals(default) or _ints(default) else None
    return None


def _rules(cls, init):
    """(parameter names in order, {name: rule}) for `init`, worked out once per class."""
    cached = cls.__dict__.get("_argument_rules")
    if cached is not None:
        return cached
    params = list(inspect.signature(init).parameters.values())[1:]
    names = [p.name for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    rules = {}
    for p in params:
        if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            continue
        rule = _rule_for(p.name, p.default)
        if rule is not None:
            rules[p.name] = rule
    for name in ("name", "trainable", "seed", "dtype"):  # often passed through **kwargs
        rules.setdefault(name, BY_NAME[name])
    cached = (names, rules)
    setattr(cls, "_argument_rules", cached)
    return cached


def argument_error(owner, name, value, rule):
    """The rule's error for `value`, in the project's form, or None when the value passes."""
    error = rule.check(value)
    if error is None:
        return None
    kind = f" (of type {type(value).__name__})" if error is TypeError else ""
    return error(f"{owner}: `{name}` must be {rule.expected}. Received: {name}={value!r}{kind}. "
                 f"Pass e.g. {name}={rule.example}.")


def wrap_constructor(cls):
    """Wraps `cls.__init__` (when `cls` defines one and is numkeras's own) to check its arguments first.

    When a check fails, the class's own constructor still gets the first word: if it raises an error
    that names the argument (many carry Keras's wording or a more specific fix), that error stands;
    if it raises one that does not, or accepts the value, the check's error is raised.
    """
    init = cls.__dict__.get("__init__")
    module = cls.__module__ or ""
    if init is None or getattr(init, "_checks_arguments", False) or not module.startswith("numkeras.") \
            or module.endswith("_test"):
        return

    @functools.wraps(init)
    def __init__(self, *args, **kwargs):
        names, rules = _rules(cls, init)
        failed = None
        for name, value in (*zip(names, args), *kwargs.items()):
            rule = rules.get(name)
            if rule is not None and rule.check(value) is not None:
                failed = (name, argument_error(type(self).__name__, name, value, rule))
                break
        if failed is None:
            return init(self, *args, **kwargs)
        name, error = failed
        try:
            with warnings.catch_warnings():  # the object is thrown away: its warnings would only mislead
                warnings.simplefilter("ignore")
                init(self, *args, **kwargs)
        except Exception as own:  # noqa: BLE001 - whatever the class raised, the user gets a named error
            if isinstance(own, (TypeError, ValueError)) and name in str(own):
                raise
            if isinstance(own, ValueError):  # the class's own words (a "did you mean" suggestion) follow
                raise type(error)(f"{error} ({own})") from own
            raise error from own  # a TypeError deep inside ('<=' between int and str) would only mislead
        raise error

    __init__._checks_arguments = True
    cls.__init__ = __init__
