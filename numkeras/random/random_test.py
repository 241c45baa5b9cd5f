"""numkeras.random: shapes, dtypes, ranges, seeding rules and the distributions, checked statistically.

The statistical checks use fixed seeds, so they are deterministic; their tolerances are several
standard errors wide, so a correct sampler passes for any seed and a wrong one fails.
"""
import math

import numpy as np
import pytest

from numkeras import random, utils
from numkeras.engine.gradient_check import check_gradients
from numkeras.engine.tape import GradientTape
from numkeras.engine.variable import Variable

N = 200_000


def _ks_statistic(samples, cdf):
    """Kolmogorov-Smirnov distance between the samples and a continuous CDF."""
    x = np.sort(np.asarray(samples, "float64"))
    f = cdf(x)
    n = len(x)
    return max(np.max(np.arange(1, n + 1) / n - f), np.max(f - np.arange(n) / n))


def _normal_cdf(x):
    return 0.5 * (1 + np.vectorize(math.erf)(x / math.sqrt(2)))


KS_LIMIT = 1.63 / math.sqrt(N)  # the 1% critical value of the KS test


@pytest.mark.parametrize("fn, kwargs", [
    (random.normal, {}), (random.uniform, {}), (random.truncated_normal, {}),
    (random.gamma, {"alpha": 2.0}), (random.beta, {"alpha": 2.0, "beta": 3.0}),
    (random.binomial, {"counts": 5, "probabilities": 0.5}),
])
@pytest.mark.parametrize("dtype", [None, "float64", "float16"])
def test_float_draws_have_the_shape_and_dtype_asked(fn, kwargs, dtype):
    out = fn((3, 4), **kwargs, dtype=dtype, seed=1)
    assert out.shape == (3, 4)
    assert out.dtype == (dtype or "float32")
    assert fn((0, 2), **kwargs, dtype=dtype, seed=1).shape == (0, 2)


@pytest.mark.parametrize("fn", [random.normal, random.uniform, random.truncated_normal])
def test_float_draws_refuse_an_integer_dtype(fn):
    with pytest.raises(ValueError, match="dtype must be a floating point"):
        fn((2,), dtype="int32", seed=0)


def test_an_int_seed_repeats_and_differs_from_another():
    a = random.normal((5,), seed=11).numpy()
    assert np.array_equal(a, random.normal((5,), seed=11).numpy())
    assert not np.array_equal(a, random.normal((5,), seed=12).numpy())


def test_a_seed_generator_advances_and_repeats_from_the_same_seed():
    gen = random.SeedGenerator(5)
    first, second = random.uniform((4,), seed=gen).numpy(), random.uniform((4,), seed=gen).numpy()
    assert not np.array_equal(first, second)
    again = random.SeedGenerator(5)
    assert np.array_equal(first, random.uniform((4,), seed=again).numpy())
    assert np.array_equal(second, random.uniform((4,), seed=again).numpy())
    # The first draw of SeedGenerator(s) is the draw of the int seed s, as in Keras.
    assert np.array_equal(first, random.uniform((4,), seed=5).numpy())


def test_seed_none_draws_from_the_global_generator_that_set_random_seed_seeds():
    utils.set_random_seed(3)
    a, b = random.normal((4,)).numpy(), random.normal((4,)).numpy()
    assert not np.array_equal(a, b)
    utils.set_random_seed(3)
    assert np.array_equal(a, random.normal((4,)).numpy())
    assert np.array_equal(b, random.normal((4,)).numpy())


@pytest.mark.parametrize("seed", [1.5, "3", True, [1, 2]])
def test_a_bad_seed_is_refused_with_the_accepted_kinds(seed):
    with pytest.raises(ValueError, match="seed must be an integer, a numkeras.random.SeedGenerator or None"):
        random.normal((2,), seed=seed)


def test_shape_errors_name_the_function_and_the_value():
    with pytest.raises(ValueError, match=r"normal: shape must be .* Received: shape=\(2, -1\)"):
        random.normal((2, -1))
    assert random.normal(3, seed=0).shape == (3,)


def test_normal_matches_its_distribution():
    x = random.normal((N,), mean=2.0, stddev=3.0, dtype="float64", seed=0).numpy()
    assert _ks_statistic((x - 2.0) / 3.0, _normal_cdf) < KS_LIMIT
    assert abs(x.mean() - 2.0) < 5 * 3.0 / math.sqrt(N)


def test_uniform_matches_its_distribution_and_stays_half_open():
    x = random.uniform((N,), minval=-2.0, maxval=6.0, seed=0).numpy()
    assert x.min() >= -2.0 and x.max() < 6.0
    assert _ks_statistic(x, lambda v: (v + 2.0) / 8.0) < KS_LIMIT
    tiny = random.uniform((1000,), minval=1.0, maxval=np.nextafter(np.float32(1.0), np.float32(2.0)), seed=0).numpy()
    assert (tiny == 1.0).all()


def test_truncated_normal_stays_within_two_stddevs_with_the_truncated_distribution():
    x = random.truncated_normal((N,), mean=1.0, stddev=0.5, dtype="float64", seed=0).numpy()
    assert x.min() >= 0.0 and x.max() <= 2.0
    mass = _normal_cdf(np.array(2.0)) - _normal_cdf(np.array(-2.0))
    cdf = lambda v: (_normal_cdf((v - 1.0) / 0.5) - _normal_cdf(np.array(-2.0))) / mass  # noqa: E731
    assert _ks_statistic(x, cdf) < KS_LIMIT


def test_randint_covers_its_range_uniformly():
    x = random.randint((N,), minval=-3, maxval=4, seed=0).numpy()
    assert x.dtype == np.int32
    counts = np.bincount(x + 3, minlength=7)
    assert x.min() == -3 and x.max() == 3
    expected = N / 7
    chi2 = ((counts - expected) ** 2 / expected).sum()
    assert chi2 < 16.8  # chi-square, 6 degrees of freedom, 1%
    assert random.randint((3,), 0, 5, dtype="int64", seed=0).dtype == "int64"
    with pytest.raises(ValueError, match="integer dtype"):
        random.randint((2,), 0, 5, dtype="float32")
    with pytest.raises(ValueError, match="maxval must be greater"):
        random.randint((2,), 5, 5)


def test_categorical_draws_classes_in_proportion_to_softmax():
    logits = np.array([[np.log(0.1), np.log(0.2), np.log(0.7)], [0.0, 0.0, -np.inf]])
    out = random.categorical(logits, 60_000, seed=0).numpy()
    assert out.shape == (2, 60_000) and out.dtype == np.int32
    freq0 = np.bincount(out[0], minlength=3) / 60_000
    np.testing.assert_allclose(freq0, [0.1, 0.2, 0.7], atol=0.01)
    assert set(np.unique(out[1]).tolist()) == {0, 1}  # probability 0 (logit -inf) is never drawn
    assert random.categorical(logits, 3, dtype="int64", seed=0).dtype == "int64"
    with pytest.raises(ValueError, match="logits must be 2-D"):
        random.categorical([0.0, 1.0], 2)


def test_gamma_and_beta_have_their_moments():
    g = random.gamma((N,), alpha=3.0, dtype="float64", seed=0).numpy()
    assert abs(g.mean() - 3.0) < 5 * math.sqrt(3.0 / N) and abs(g.var() - 3.0) < 0.1
    b = random.beta((N,), alpha=2.0, beta=5.0, dtype="float64", seed=0).numpy()
    mean, var = 2 / 7, 2 * 5 / (49 * 8)
    assert abs(b.mean() - mean) < 5 * math.sqrt(var / N)
    assert abs(b.var() - var) < 0.002
    with pytest.raises(ValueError, match="alpha must be positive"):
        random.gamma((2,), alpha=0.0)


def test_binomial_has_its_moments_and_bounds():
    x = random.binomial((N,), counts=10, probabilities=0.3, seed=0).numpy()
    assert x.dtype == np.float32 and x.min() >= 0 and x.max() <= 10
    assert np.array_equal(x, np.round(x))
    assert abs(x.mean() - 3.0) < 5 * math.sqrt(2.1 / N) and abs(x.var() - 2.1) < 0.05
    with pytest.raises(ValueError, match="probabilities in"):
        random.binomial((2,), counts=3, probabilities=1.5)


def test_dropout_zeroes_the_rate_and_scales_the_rest():
    x = np.ones((400, 500), "float32")
    y = random.dropout(x, rate=0.3, seed=0).numpy()
    assert y.dtype == np.float32
    assert set(np.unique(y).tolist()) == {0.0, np.float32(1 / 0.7)}
    assert abs((y == 0).mean() - 0.3) < 0.005
    assert np.array_equal(random.dropout(x, rate=0.0).numpy(), x)
    assert not random.dropout(x, rate=1.0).numpy().any()


def test_dropout_noise_shape_shares_the_mask_along_axes_of_size_one():
    y = random.dropout(np.ones((8, 5, 6), "float32"), 0.5, noise_shape=(None, 1, 6), seed=1).numpy()
    assert (y == y[:, :1, :]).all()
    assert 0 < (y == 0).mean() < 1
    with pytest.raises(ValueError, match="one entry per input axis"):
        random.dropout(np.ones((2, 3)), 0.5, noise_shape=(2,))
    with pytest.raises(ValueError, match="rate must be in"):
        random.dropout(np.ones((2, 3)), 1.5)


def test_dropout_is_differentiable_through_the_kept_entries():
    from numkeras import ops
    check_gradients(lambda x: random.dropout(x, 0.4, seed=random.SeedGenerator(0)), np.random.rand(3, 4))
    v = Variable(np.ones((3, 4), "float32"))
    with GradientTape() as tape:
        y = random.dropout(v, 0.5, seed=random.SeedGenerator(0))
        loss = ops.sum(y)
    grad = tape.gradient(loss, [v])[0].numpy()
    np.testing.assert_allclose(grad, y.numpy())  # each kept entry's gradient is its scale, 2; dropped ones 0


def test_shuffle_permutes_each_line_along_the_axis_on_its_own():
    x = np.arange(60).reshape(3, 4, 5)
    for axis in (0, 1, -1):
        y = random.shuffle(x, axis=axis, seed=2).numpy()
        assert y.shape == x.shape
        np.testing.assert_array_equal(np.sort(y, axis=axis), x)  # each line holds its own values
    lines = random.shuffle(np.tile(np.arange(50)[:, None], (1, 20)), axis=0, seed=1).numpy()
    assert len({tuple(col) for col in lines.T}) > 1  # the columns are not all moved alike
    assert not np.array_equal(random.shuffle(np.arange(100), seed=0).numpy(), np.arange(100))
    check_gradients(lambda t: random.shuffle(t, axis=1, seed=3), np.random.rand(2, 5))
    with pytest.raises(ValueError, match="axis 2 is out of range"):
        random.shuffle(np.ones((2, 2)), axis=2)


def test_shuffle_permutations_are_uniform():
    gen = random.SeedGenerator(0)
    counts = {}
    for _ in range(6000):
        key = tuple(random.shuffle(np.arange(3), seed=gen).numpy().tolist())
        counts[key] = counts.get(key, 0) + 1
    assert len(counts) == 6
    chi2 = sum((c - 1000) ** 2 / 1000 for c in counts.values())
    assert chi2 < 15.1  # chi-square, 5 degrees of freedom, 1%


def test_parameters_may_be_tensors_and_arrays_that_broadcast():
    from numkeras import ops
    x = random.normal((2, 3), mean=ops.convert_to_tensor([0.0, 10.0, 100.0]), stddev=0.001, seed=0).numpy()
    np.testing.assert_allclose(x.mean(axis=0), [0.0, 10.0, 100.0], atol=0.01)
    g = random.gamma((2, 2), alpha=np.array([1.0, 50.0]), seed=0).numpy()
    assert g.shape == (2, 2)
