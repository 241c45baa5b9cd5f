"""A property: every public constructor refuses an argument of the wrong type or range, naming it.

For each public class of `layers`, `losses`, `metrics`, `callbacks`, `initializers`, `regularizers`,
`constraints` and `optimizers`, hypothesis draws one of its arguments and a value of the wrong kind
for it (text where a number or a bool belongs, a number where text belongs, a number outside the
argument's range, an arbitrary object where a name, an initializer or a dtype belongs). The call
must raise TypeError or ValueError whose message names the argument: never another exception, never
silence. Required arguments get a valid value from `VALID` so that the others can be tried.
"""
import inspect

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from numkeras import callbacks, constraints, initializers, layers, losses, metrics, optimizers
from numkeras.utils import argument_checks

NAMESPACES = dict(layers=layers, losses=losses, metrics=metrics, callbacks=callbacks, initializers=initializers,
                  regularizers=regularizers if (regularizers := __import__("numkeras").regularizers) else None,
                  constraints=constraints, optimizers=optimizers)

# Valid values for required arguments, so the other arguments can be tried.
VALID = {
    "units": 2, "filters": 2, "kernel_size": 3, "pool_size": 2, "rate": 0.5, "stddev": 0.1, "height": 4, "width": 4,
    "activation": "relu", "layer": None, "axes": 1, "equation": "ab,bc->ac", "output_shape": 4, "input_dim": 10,
    "output_dim": 3, "num_bins": 4, "function": (lambda x: x), "num_heads": 2, "key_dim": 4, "dims": (1,),
    "cell": None, "factor": 0.1, "height_factor": 0.1, "width_factor": 0.1, "n": 2, "scale": 1.0,
    "target_shape": (2,), "cells": None, "fn": (lambda y_true, y_pred: y_pred), "recall": 0.5, "precision": 0.5,
    "specificity": 0.5, "sensitivity": 0.5, "num_classes": 2, "target_class_ids": [0], "filename": "log.csv",
    "schedule": (lambda epoch, lr: lr), "filepath": "model.keras", "learning_rate": 0.01,
}
# Classes whose required arguments are other layers or cells: built per test.
NEEDS_OBJECT = {"layer": lambda: layers.SimpleRNN(2), "cell": lambda: layers.SimpleRNNCell(2),
                "cells": lambda: [layers.SimpleRNNCell(2)]}
# Arguments that default to None but must be given for the class to be usable.
ALSO_NEEDED = {"CategoryEncoding": {"num_tokens": 3}, "Discretization": {"bin_boundaries": [0.0, 1.0]},
               "InputLayer": {"shape": (3,)}}
SKIP_CLASSES = {
    "CallbackList": "an internal container the trainer builds; its `model` is set by fit",
}


class Opaque:
    """A value of no sensible type for any argument."""

    def __repr__(self):
        return "<Opaque>"


def public_classes():
    for space, module in NAMESPACES.items():
        for name in module.__all__:
            cls = getattr(module, name)
            if inspect.isclass(cls) and name not in SKIP_CLASSES:
                yield f"{space}.{name}", cls


def arguments(cls):
    params = list(inspect.signature(cls.__init__).parameters.values())[1:]
    return [p for p in params if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]


def required_values(cls):
    values = dict(ALSO_NEEDED.get(cls.__name__, {}))
    for p in arguments(cls):
        if p.default is p.empty:
            values[p.name] = NEEDS_OBJECT[p.name]() if p.name in NEEDS_OBJECT else VALID[p.name]
    return values


def wrong_values(name, default):
    """A strategy of values of the wrong type or range for an argument, or None when none is known."""
    rule = argument_checks._rule_for(name, default if default is not inspect.Parameter.empty else None)
    text = st.text(min_size=1, max_size=6)
    opaque = st.just(Opaque())
    if rule is None:
        return None
    if rule is argument_checks._BOOL:
        return st.one_of(text, st.just(Opaque()), st.lists(st.booleans(), min_size=1, max_size=2))
    if rule is argument_checks._INTS:
        return st.one_of(text, opaque, st.lists(text, min_size=1, max_size=2))
    if rule is argument_checks._REALS:
        return st.one_of(text, opaque, st.dictionaries(text, text, min_size=1, max_size=1),
                         st.lists(text, min_size=1, max_size=2))
    if rule is argument_checks._TEXT:
        return opaque
    expected = rule.expected
    if expected.startswith("a number in"):
        low_high = expected[len("a number in "):].split(" or None")[0]
        low, high = (x.strip("[]()") for x in low_high.split(", "))
        out = [text, opaque]
        if low != "-inf":
            out.append(st.floats(max_value=float(low) - 1e-6, allow_nan=False, allow_infinity=False))
        if high != "inf":
            out.append(st.floats(min_value=float(high) + 1e-6, allow_nan=False, allow_infinity=False))
        return st.one_of(*out)
    if expected.startswith(("a positive integer", "an integer >=")):
        return st.one_of(text, opaque, st.integers(max_value=-1), st.floats(allow_nan=False).filter(
            lambda f: not float(f).is_integer()))
    return opaque  # names, dtypes, seeds, initializers, layers...: an object of no such kind


CLASSES = dict(public_classes())


def checked_arguments(cls):
    return [(p.name, p.default) for p in arguments(cls) if wrong_values(p.name, p.default) is not None]


WITH_ARGUMENTS = sorted(q for q, cls in CLASSES.items() if checked_arguments(cls))


@pytest.mark.parametrize("qualname", WITH_ARGUMENTS)
@settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_a_wrong_argument_is_refused_by_name(qualname, data, tmp_path_factory):
    cls = CLASSES[qualname]
    base = required_values(cls)
    candidates = checked_arguments(cls)
    name, default = data.draw(st.sampled_from(candidates), label="argument")
    value = data.draw(wrong_values(name, default), label="value")
    with pytest.raises((TypeError, ValueError)) as info:
        cls(**{**base, name: value})
    assert f"`{name}`" in str(info.value) or name in str(info.value), str(info.value)


def test_every_public_class_is_covered():
    """A class left out of the property takes no arguments of its own; every required one has a valid value."""
    assert len(CLASSES) > 250 and len(WITH_ARGUMENTS) > 200
    for qualname, cls in CLASSES.items():
        required_values(cls)  # a KeyError names a required argument with no valid value in VALID
        if qualname not in WITH_ARGUMENTS:
            assert arguments(cls) == [], f"{qualname}: arguments {arguments(cls)} are not checked"


def test_valid_values_still_construct():
    """The checks do not refuse what Keras takes: every class builds from its valid values and defaults."""
    for qualname, cls in CLASSES.items():
        cls(**required_values(cls))
