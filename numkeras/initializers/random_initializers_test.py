import math

import numpy as np
import pytest

from numkeras import initializers
from numkeras.initializers import (GlorotNormal, GlorotUniform, HeNormal, HeUniform, LecunNormal, LecunUniform,
                                   Orthogonal, RandomNormal, RandomUniform, TruncatedNormal, VarianceScaling)
from numkeras.initializers.random_initializers import compute_fans
from numkeras.utils import set_random_seed

SHAPE = (400, 600)  # 240,000 draws: the sample mean is within ~4e-3 standard deviations of the truth
N = math.prod(SHAPE)


def check_normal(x, mean, stddev):
    """Sample mean and stddev within 6 standard errors of the truth."""
    assert abs(x.mean() - mean) < 6 * stddev / math.sqrt(N)
    # the standard error of a sample stddev is about stddev / sqrt(2N)
    assert abs(x.std() - stddev) < 6 * stddev / math.sqrt(2 * N)


def check_uniform(x, limit):
    assert x.min() >= -limit and x.max() <= limit
    assert x.min() < -0.99 * limit and x.max() > 0.99 * limit
    check_normal(x, 0.0, limit / math.sqrt(3))  # the stddev of U(-a, a) is a / sqrt(3)


def check_truncated(x, stddev_before):
    """Values within 2 stddevs; stddev of a unit normal truncated to [-2, 2] is 0.8796."""
    assert np.abs(x).max() <= 2 * stddev_before * (1 + 1e-6)
    check_normal(x, 0.0, 0.87962566103423978 * stddev_before)


def test_compute_fans():
    assert compute_fans(()) == (1, 1)
    assert compute_fans((7,)) == (7, 7)
    assert compute_fans((784, 512)) == (784, 512)
    assert compute_fans((3, 3, 16, 32)) == (9 * 16, 9 * 32)
    assert compute_fans((5, 8, 4)) == (40, 20)


def test_random_normal_and_uniform():
    check_normal(RandomNormal(mean=1.0, stddev=2.0, seed=1)(SHAPE), 1.0, 2.0)
    x = RandomUniform(minval=-0.05, maxval=0.05, seed=2)(SHAPE)
    check_uniform(x, 0.05)
    defaults = RandomNormal(seed=3)(SHAPE)
    check_normal(defaults, 0.0, 0.05)


def test_truncated_normal():
    x = TruncatedNormal(mean=0.0, stddev=0.5, seed=4)(SHAPE)
    check_truncated(x, 0.5)


def test_glorot():
    fan_in, fan_out = SHAPE
    check_uniform(GlorotUniform(seed=5)(SHAPE), math.sqrt(6 / (fan_in + fan_out)))
    # truncated normal whose *truncated* stddev is sqrt(2 / (fan_in + fan_out))
    check_normal(GlorotNormal(seed=6)(SHAPE), 0.0, math.sqrt(2 / (fan_in + fan_out)))
    assert np.abs(GlorotNormal(seed=6)(SHAPE)).max() <= 2 * math.sqrt(2 / (fan_in + fan_out)) / 0.8796256


def test_he_and_lecun():
    fan_in = SHAPE[0]
    check_uniform(HeUniform(seed=7)(SHAPE), math.sqrt(6 / fan_in))
    check_normal(HeNormal(seed=8)(SHAPE), 0.0, math.sqrt(2 / fan_in))
    check_uniform(LecunUniform(seed=9)(SHAPE), math.sqrt(3 / fan_in))
    check_normal(LecunNormal(seed=10)(SHAPE), 0.0, math.sqrt(1 / fan_in))


def test_conv_kernel_uses_the_receptive_field():
    shape = (3, 3, 40, 60)  # fan_in = 360, fan_out = 540
    x = GlorotUniform(seed=11)(shape)
    limit = math.sqrt(6 / (360 + 540))
    assert x.max() <= limit and x.max() > 0.99 * limit


def test_variance_scaling_modes_and_distributions():
    fan_in, fan_out = SHAPE
    x = VarianceScaling(scale=3.0, mode="fan_out", distribution="untruncated_normal", seed=12)(SHAPE)
    check_normal(x, 0.0, math.sqrt(3.0 / fan_out))
    x = VarianceScaling(scale=0.5, mode="fan_avg", distribution="uniform", seed=13)(SHAPE)
    check_uniform(x, math.sqrt(3 * 0.5 / ((fan_in + fan_out) / 2)))
    assert VarianceScaling(distribution="normal").distribution == "truncated_normal"
    with pytest.raises(ValueError, match="scale"):
        VarianceScaling(scale=0.0)
    with pytest.raises(ValueError, match="mode"):
        VarianceScaling(mode="fan_middle")
    with pytest.raises(ValueError, match="distribution"):
        VarianceScaling(distribution="cauchy")


def test_orthogonal():
    q = Orthogonal(gain=2.0, seed=14)((6, 4), dtype="float64")
    np.testing.assert_allclose(q.T @ q, 4.0 * np.eye(4), atol=1e-12)
    wide = Orthogonal(seed=15)((3, 5), dtype="float64")
    np.testing.assert_allclose(wide @ wide.T, np.eye(3), atol=1e-12)


ALL = [RandomNormal, RandomUniform, TruncatedNormal, VarianceScaling, GlorotUniform, GlorotNormal, HeUniform,
       HeNormal, LecunUniform, LecunNormal, Orthogonal]


@pytest.mark.parametrize("cls", ALL, ids=lambda c: c.__name__)
def test_seeded_initializer_repeats_on_every_call_and_instance(cls):
    init = cls(seed=42)
    a, b = init((8, 6)), init((8, 6))
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(a, cls(seed=42)((8, 6)))
    assert not np.array_equal(a, cls(seed=43)((8, 6)))


@pytest.mark.parametrize("cls", ALL, ids=lambda c: c.__name__)
def test_unseeded_initializers_repeat_under_set_random_seed(cls):
    set_random_seed(123)
    a = cls()((8, 6))
    set_random_seed(123)
    b = cls()((8, 6))
    np.testing.assert_array_equal(a, b)
    c = cls()((8, 6))  # a new instance draws a new seed
    assert not np.array_equal(b, c)


def test_unseeded_instance_is_fixed_like_keras():
    # Keras 3: an unseeded initializer picks its seed when created, so its calls repeat.
    init = GlorotUniform()
    np.testing.assert_array_equal(init((4, 4)), init((4, 4)))


@pytest.mark.parametrize("cls", ALL, ids=lambda c: c.__name__)
def test_dtypes(cls):
    assert cls(seed=1)((4, 4)).dtype == np.float32
    assert cls(seed=1)((4, 4), dtype="float64").dtype == np.float64
    assert isinstance(cls(seed=1)((4, 4)), np.ndarray)


def test_seed_validation_and_config():
    with pytest.raises(ValueError, match="seed"):
        RandomNormal(seed="abc")
    init = RandomUniform(minval=-1.0, maxval=2.0, seed=7)
    assert init.get_config() == {"seed": 7, "minval": -1.0, "maxval": 2.0}
    clone = initializers.deserialize(initializers.serialize(init))
    np.testing.assert_array_equal(clone((3,)), init((3,)))
    assert GlorotUniform(seed=3).get_config() == {"seed": 3, "input_axes": None, "output_axes": None}
    assert VarianceScaling(scale=2.0, seed=1).get_config()["scale"] == 2.0
    unseeded = HeNormal()
    assert unseeded.get_config()["seed"] is None
