import numpy as np
import pytest

from numkeras.engine.gradient_check import check_gradients
from numkeras.layers.preprocessing import RandomFlip


def batch():
    return np.random.default_rng(0).random((32, 4, 5, 2)).astype("float32")


@pytest.mark.parametrize("mode, flip", [("horizontal", lambda a: a[:, ::-1]), ("vertical", lambda a: a[::-1]),
                                        ("horizontal_and_vertical", lambda a: a[::-1, ::-1])])
def test_each_image_is_flipped_or_kept_with_probability_one_half(mode, flip):
    x = batch()
    out = RandomFlip(mode, seed=3)(x, training=True).numpy()
    flipped = [np.array_equal(o, flip(i)) for o, i in zip(out, x)]
    kept = [np.array_equal(o, i) for o, i in zip(out, x)]
    assert all(f or k for f, k in zip(flipped, kept))
    assert 8 <= sum(flipped) <= 24  # both outcomes occur


def test_the_draws_are_uniform_at_most_one_half_from_the_seeded_generator():
    x = batch()
    draws = np.random.default_rng(5).uniform(size=32) <= 0.5
    out = RandomFlip("horizontal", seed=5)(x, training=True).numpy()
    np.testing.assert_array_equal([np.array_equal(o, i[:, ::-1]) for o, i in zip(out, x)], draws)


def test_gradient_and_errors():
    layer = RandomFlip(seed=1, dtype="float64")
    check_gradients(lambda a: RandomFlip(seed=1, dtype="float64")(a, training=True), batch()[:4].astype("float64"))
    assert layer.compute_output_shape((None, 4, 5, 2)) == (None, 4, 5, 2)
    with pytest.raises(ValueError, match="mode='diagonal'"):
        RandomFlip("diagonal")
