import math

import numpy as np
import pytest

from numkeras import optimizers
from numkeras.optimizers.hyperparameters import check_bool, check_number

ALL = ["SGD", "RMSprop", "Adam", "AdamW", "Adamax", "Adagrad", "Adadelta", "Nadam", "Ftrl", "Lion"]

# (optimizer, argument, a bad value, the error type)
BAD = [
    *[(name, "learning_rate", value, ValueError) for name in ALL for value in (-0.001, math.nan, math.inf)],
    *[(name, "learning_rate", "fast", ValueError) for name in ALL],
    *[(name, "clipnorm", value, ValueError) for name in ALL for value in (0.0, -1.0)],
    *[(name, "clipvalue", -0.5, ValueError) for name in ALL],
    *[(name, "global_clipnorm", -2.0, ValueError) for name in ALL],
    *[(name, "clipnorm", "1", TypeError) for name in ALL],
    *[(name, "weight_decay", -0.1, ValueError) for name in ALL],
    *[(name, "ema_momentum", 1.5, ValueError) for name in ALL],
    *[(name, "use_ema", "yes", TypeError) for name in ALL],
    *[(name, "ema_overwrite_frequency", 0, ValueError) for name in ALL],
    *[(name, "loss_scale_factor", 0.0, ValueError) for name in ALL],
    *[(name, "beta_1", value, ValueError) for name in ("Adam", "AdamW", "Adamax", "Nadam")
      for value in (-0.1, 1.0, 1.2, math.nan)],
    *[(name, "beta_2", value, ValueError) for name in ("Adam", "AdamW", "Adamax", "Nadam") for value in (1.0, -1)],
    *[(name, "beta_1", "0.9", TypeError) for name in ("Adam", "AdamW", "Adamax", "Nadam")],
    *[(name, "epsilon", -1e-7, ValueError)
      for name in ("Adam", "AdamW", "Adamax", "Nadam", "RMSprop", "Adagrad", "Adadelta")],
    *[(name, "epsilon", None, TypeError) for name in ("Adam", "RMSprop")],
    *[(name, "amsgrad", "no", TypeError) for name in ("Adam", "AdamW")],
    ("RMSprop", "rho", 1.5, ValueError), ("RMSprop", "rho", -0.1, ValueError),
    ("RMSprop", "momentum", -0.5, ValueError), ("RMSprop", "centered", 1, TypeError),
    ("Adadelta", "rho", 2.0, ValueError),
    ("Adagrad", "initial_accumulator_value", -0.1, ValueError),
    ("SGD", "nesterov", "true", TypeError),
    ("Lion", "beta_2", 1.5, ValueError),
    ("Ftrl", "beta", -1.0, ValueError), ("Ftrl", "l1_regularization_strength", "a", TypeError),
]


@pytest.mark.parametrize("name, arg, value, error", BAD, ids=[f"{n}-{a}={v!r}" for n, a, v, _ in BAD])
def test_a_bad_hyperparameter_is_refused_at_construction_naming_it(name, arg, value, error):
    cls = getattr(optimizers, name)
    with pytest.raises(error) as info:
        cls(**{arg: value})
    message = str(info.value)
    assert f"`{arg}`" in message and "Received" in message
    assert name in message or arg == "learning_rate" and "should be" in message


@pytest.mark.parametrize("name", ALL)
def test_the_defaults_and_usual_values_are_accepted(name):
    cls = getattr(optimizers, name)
    cls()
    cls(learning_rate=0.0, clipnorm=1.0, use_ema=True, ema_momentum=0.9, ema_overwrite_frequency=10)
    cls(learning_rate=np.float32(0.01), global_clipnorm=2)


def test_a_negative_rate_assigned_later_is_refused_and_the_old_rate_kept():
    opt = optimizers.Adam(learning_rate=0.01)
    with pytest.raises(ValueError, match="`learning_rate` must be a number in"):
        opt.learning_rate = -1.0
    assert opt.learning_rate == pytest.approx(0.01)


def test_check_number_intervals():
    assert check_number("X", "a", 0, low=0) == 0
    assert check_number("X", "a", None, low=0, allow_none=True) is None
    assert check_number("X", "a", np.float64(0.5), low=0, high=1) == 0.5
    assert check_number("X", "a", np.array(0.5), low=0, high=1) == 0.5
    with pytest.raises(ValueError, match=r"must be a number in \(0, inf\)"):
        check_number("X", "a", 0, low=0, low_open=True)
    with pytest.raises(ValueError, match=r"\[0, 1\)"):
        check_number("X", "a", 1, low=0, high=1, high_open=True)
    with pytest.raises(TypeError, match="of type bool"):
        check_number("X", "a", True, low=0)
    with pytest.raises(TypeError, match="or None"):
        check_number("X", "a", "x", allow_none=True)


def test_check_bool():
    assert check_bool("X", "flag", np.bool_(True)) is True
    with pytest.raises(TypeError, match=r"`flag` must be True or False. Received: flag=0"):
        check_bool("X", "flag", 0)
