import json
import math

import numpy as np
import pytest

import numkeras
from numkeras.optimizers import schedules
from numkeras.optimizers.schedules import (CosineDecay, CosineDecayRestarts, ExponentialDecay, InverseTimeDecay,
                                           LearningRateSchedule, PiecewiseConstantDecay, PolynomialDecay)

STEPS = [0, 1, 5, 10, 15, 50, 99, 100, 101, 250, 1000, 1499]


def pinned(schedule, formula, steps=STEPS, rtol=1e-6):
    for step in steps:
        value = schedule(step)
        np.testing.assert_allclose(float(value), formula(step), rtol=rtol, atol=1e-12, err_msg=f"step {step}")


def test_exponential_decay_curve():
    pinned(ExponentialDecay(0.05, 10, 0.96), lambda s: 0.05 * 0.96 ** (s / 10))
    pinned(ExponentialDecay(0.1, 3, 0.96, staircase=True), lambda s: 0.1 * 0.96 ** (s // 3))
    assert float(ExponentialDecay(0.1, 3, 0.96, staircase=True)(2)) == pytest.approx(0.1)


def test_inverse_time_decay_curve():
    pinned(InverseTimeDecay(0.1, 10, 0.96), lambda s: 0.1 / (1 + 0.96 * s / 10))
    pinned(InverseTimeDecay(0.1, 10, 0.96, staircase=True), lambda s: 0.1 / (1 + 0.96 * (s // 10)))


def test_piecewise_constant_decay_curve():
    schedule = PiecewiseConstantDecay([100, 110, 120], [1.0, 0.1, 0.01, 0.001])
    expected = {-999: 1.0, 0: 1.0, 100: 1.0, 101: 0.1, 105: 0.1, 110: 0.1, 111: 0.01, 120: 0.01, 121: 0.001,
                999: 0.001}
    for step, value in expected.items():
        assert float(schedule(step)) == pytest.approx(value, rel=1e-6)
    ints = PiecewiseConstantDecay([1, 2], [4, 5, 6])
    assert ints(0).dtype == "int32" and int(ints(3)) == 6
    with pytest.raises(ValueError, match="boundaries should be 1 less than the length of values"):
        PiecewiseConstantDecay([1, 2], [1.0, 2.0])


def test_polynomial_decay_curve():
    def poly(s, power=1.0, cycle=False, lr=0.05, end=0.001, steps=100):
        if cycle:
            steps = steps * max(1, math.ceil(s / steps))
        s = min(s, steps)
        return (lr - end) * (1 - s / steps) ** power + end

    pinned(PolynomialDecay(0.05, 100, 0.001), poly)
    pinned(PolynomialDecay(0.05, 100, 0.001, power=0.5), lambda s: poly(s, 0.5))
    pinned(PolynomialDecay(0.05, 100, 0.001, power=2.0, cycle=True), lambda s: poly(s, 2.0, True))
    # Keras's own spot checks: halfway, end, beyond the end, and a cycle.
    assert float(PolynomialDecay(0.05, 10, 0.0)(5)) == pytest.approx(0.025)
    assert float(PolynomialDecay(0.05, 10, 0.001)(15)) == pytest.approx(0.001)
    assert float(PolynomialDecay(0.05, 10, 0.001, cycle=True)(15)) == pytest.approx((0.05 - 0.001) * 0.25 + 0.001)
    assert float(PolynomialDecay(0.001, 10, cycle=True)(0)) == pytest.approx(0.001)
    assert PolynomialDecay(0.1, 10).get_config()["end_learning_rate"] == 0.0001


def cosine(step, decay_steps, alpha=0.0):
    step = min(step, decay_steps)
    return (1 - alpha) * 0.5 * (1 + math.cos(math.pi * step / decay_steps)) + alpha


def test_cosine_decay_curve():
    pinned(CosineDecay(1.0, 1000), lambda s: cosine(s, 1000))
    pinned(CosineDecay(2.0, 1000, alpha=0.1), lambda s: 2.0 * cosine(s, 1000, 0.1))


def test_cosine_decay_with_warmup_curve():
    def warm(s, initial=0.1, target=1.0, warmup=100, decay=1000, alpha=0.2):
        if s < warmup:
            return initial + (target - initial) * s / warmup
        return target * cosine(s - warmup, decay, alpha)

    schedule = CosineDecay(0.1, 1000, alpha=0.2, warmup_target=1.0, warmup_steps=100)
    pinned(schedule, warm, steps=STEPS + [1100, 5000])
    assert float(schedule(100)) == pytest.approx(1.0) and float(schedule(5000)) == pytest.approx(0.2)
    assert float(CosineDecay(0.5, 10, warmup_target=1.0)(0)) == pytest.approx(1.0)  # no warmup steps


def sgdr(step, decay_steps, t_mul=2.0, m_mul=1.0, alpha=0.0):
    """Cosine decay with restarts, by walking the periods."""
    factor = 1.0
    while step >= decay_steps:
        step -= decay_steps
        decay_steps *= t_mul
        factor *= m_mul
    return (1 - alpha) * factor * 0.5 * (1 + math.cos(math.pi * step / decay_steps)) + alpha


@pytest.mark.parametrize("kwargs", [{}, {"alpha": 0.1}, {"m_mul": 0.9}, {"t_mul": 1.0}, {"t_mul": 3.0, "m_mul": 0.5},
                                    {"t_mul": 1.5, "m_mul": 0.8, "alpha": 0.05}])
def test_cosine_decay_restarts_curve(kwargs):
    restarts = [100, 300, 700, 1500, 200, 400, 250, 475]  # period starts for t_mul 2, 1, 1.5: exact boundaries
    pinned(CosineDecayRestarts(0.5, 100, **kwargs), lambda s: 0.5 * sgdr(s, 100, **kwargs),
           steps=STEPS + restarts + [r - 1 for r in restarts] + [3100, 6299])


def test_output_dtype_follows_the_initial_rate():
    assert ExponentialDecay(0.1, 10, 0.5)(3).dtype == "float32"
    value = CosineDecay(np.float64(1.0), 1000)(250)
    assert value.dtype == "float64" and float(value) == pytest.approx(cosine(250, 1000), rel=1e-12)
    assert isinstance(ExponentialDecay(0.1, 10, 0.5)(3), numkeras.ops.convert_to_tensor(1.0).__class__)


def test_step_may_be_a_variable_or_tensor():
    schedule = ExponentialDecay(0.1, 3, 0.96, staircase=True)
    step = numkeras.Variable(0, dtype="int64")
    step.assign(100)
    assert float(schedule(step)) == pytest.approx(0.1 * 0.96 ** (100 // 3))
    assert float(schedule(numkeras.ops.convert_to_tensor(4.0))) == pytest.approx(0.096)


ALL = [ExponentialDecay(0.05, 10, 0.96, staircase=True, name="my_ed"),
       PiecewiseConstantDecay(boundaries=[10, 20], values=[1, 2, 3], name="my_pcd"),
       PolynomialDecay(0.1, 100, end_learning_rate=0.005, power=2.0, cycle=True, name="my_pd"),
       InverseTimeDecay(0.05, 10, 0.96, staircase=True, name="my_itd"),
       CosineDecay(0.05, 10, alpha=0.1, warmup_target=0.2, warmup_steps=2, name="my_cd"),
       CosineDecayRestarts(0.05, 10, t_mul=3.0, m_mul=4.0, alpha=0.1, name="my_cdr")]


@pytest.mark.parametrize("schedule", ALL, ids=lambda s: type(s).__name__)
def test_config_round_trip(schedule):
    config = schedule.get_config()
    clone = type(schedule).from_config(config)
    assert clone.get_config() == config
    serialized = json.loads(json.dumps(schedules.serialize(schedule)))
    assert serialized == {"class_name": type(schedule).__name__, "config": config}
    again = schedules.deserialize(serialized)
    assert type(again) is type(schedule) and again.get_config() == config
    for step in (0, 3, 11, 25, 200):
        assert float(again(step)) == float(schedule(step))


def test_default_names_and_arguments():
    assert ExponentialDecay(0.1, 1, 0.5).name == "ExponentialDecay"
    assert PiecewiseConstantDecay([1], [1.0, 0.5]).name == "PiecewiseConstant"
    assert PolynomialDecay(0.1, 1).name == "PolynomialDecay" and InverseTimeDecay(0.1, 1, 1).name == "InverseTimeDecay"
    assert CosineDecay(0.1, 1).get_config() == {"initial_learning_rate": 0.1, "decay_steps": 1, "alpha": 0.0,
                                                "name": "CosineDecay", "warmup_target": None, "warmup_steps": 0}
    assert CosineDecayRestarts(0.1, 1).get_config() == {"initial_learning_rate": 0.1, "first_decay_steps": 1,
                                                        "t_mul": 2.0, "m_mul": 1.0, "alpha": 0.0, "name": "SGDRDecay"}


@pytest.mark.parametrize("make,arg", [(lambda: ExponentialDecay(0.1, 0, 0.5), "decay_steps"),
                                      (lambda: InverseTimeDecay(0.1, -1, 0.5), "decay_steps"),
                                      (lambda: PolynomialDecay(0.1, 0), "decay_steps"),
                                      (lambda: CosineDecay(0.1, 0), "decay_steps"),
                                      (lambda: CosineDecayRestarts(0.1, 0), "first_decay_steps")])
def test_non_positive_decay_steps(make, arg):
    with pytest.raises(ValueError, match=rf"Argument `{arg}` must be > 0. Received: {arg}="):
        make()


def test_base_class_and_unknown_names():
    with pytest.raises(NotImplementedError, match="must override `__call__"):
        LearningRateSchedule()(1)
    with pytest.raises(NotImplementedError, match="must override `get_config"):
        LearningRateSchedule().get_config()
    with pytest.raises(ValueError, match="Unknown learning rate schedule: 'CosineDeacy'") as info:
        schedules.deserialize({"class_name": "CosineDeacy", "config": {}})
    assert "Did you mean 'CosineDecay'?" in str(info.value) and "ExponentialDecay" in str(info.value)
