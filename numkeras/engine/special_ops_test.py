"""erf, erfc, erfinv: values vs Python's math.erf/math.erfc, gradients vs central differences."""
import math

import numpy as np
import pytest

from numkeras.engine import special_ops
from numkeras.engine.gradient_check import check_float32, check_gradients

RNG = np.random.default_rng(0)
POINTS = np.concatenate([RNG.standard_normal(20000) * 3, RNG.uniform(-30, 30, 20000),
                         [0.0, -0.0, 1.0, -1.0, 0.999999, 1.000001, 26.0, -26.0, 40.0]])


def test_erf_is_accurate_to_float64():
    ref = np.array([math.erf(v) for v in POINTS])
    out = special_ops.erf(POINTS).numpy()
    assert out.dtype == np.float64
    np.testing.assert_allclose(out, ref, rtol=1e-14, atol=0)


def test_erfc_keeps_its_relative_accuracy_in_the_tail():
    ref = np.array([math.erfc(v) for v in POINTS])
    out = special_ops.erfc(POINTS).numpy()
    normal = ref > np.finfo(np.float64).tiny
    np.testing.assert_allclose(out[normal], ref[normal], rtol=1e-13, atol=0)
    np.testing.assert_allclose(out[~normal], ref[~normal], rtol=0, atol=1e-300)
    assert special_ops.erfc([10.0]).numpy()[0] > 0  # 1 - erf would be 0


def test_special_values():
    assert special_ops.erf([np.inf, -np.inf]).numpy().tolist() == [1.0, -1.0]
    assert special_ops.erfc([np.inf, -np.inf]).numpy().tolist() == [0.0, 2.0]
    assert np.isnan(special_ops.erf([np.nan]).numpy()).all() and np.isnan(special_ops.erfc([np.nan]).numpy()).all()
    out = special_ops.erfinv([1.0, -1.0, 1.5, 0.0]).numpy()
    assert out[0] == np.inf and out[1] == -np.inf and np.isnan(out[2]) and out[3] == 0


def test_erfinv_inverts_erf_also_near_one():
    y = np.concatenate([RNG.uniform(-1, 1, 20000), 1 - np.logspace(-15, -1, 200), -1 + np.logspace(-15, -1, 200),
                        [1e-300, -1e-20]])
    x = special_ops.erfinv(y).numpy()
    np.testing.assert_allclose([math.erf(v) for v in x], y, rtol=2e-15, atol=0)
    tail = np.abs(y) > 0.9
    np.testing.assert_allclose([math.erfc(v) for v in np.abs(x[tail])], 1 - np.abs(y[tail]), rtol=1e-12)


@pytest.mark.parametrize("op", [special_ops.erf, special_ops.erfc, special_ops.erfinv])
def test_float32_in_float32_out_and_ints_become_floatx(op):
    out = check_float32(op, np.array([-0.5, 0.1, 0.7]))
    assert op(np.array([0, 1], "int32")).dtype == "float32"
    assert op(np.array([0.25], "float64")).dtype == "float64"
    assert out.shape == (3,)


def test_float32_erf_is_correctly_rounded_on_a_grid():
    x = np.linspace(-5, 5, 10001).astype("float32")
    ref = np.array([math.erf(v) for v in x.astype(np.float64)]).astype("float32")
    np.testing.assert_array_equal(special_ops.erf(x).numpy(), ref)


@pytest.mark.parametrize("op,low,high", [(special_ops.erf, -3, 3), (special_ops.erfc, -3, 3),
                                         (special_ops.erfinv, -0.95, 0.95)])
def test_gradients(op, low, high):
    check_gradients(op, RNG.uniform(low, high, (3, 4)))
