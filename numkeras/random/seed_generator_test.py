import numpy as np
import pytest

from numkeras import random, utils
from numkeras.random.seed_generator import SeedGenerator, draw_generator


def test_next_returns_the_state_and_moves_the_counter():
    gen = SeedGenerator(7)
    assert gen.next().tolist() == [7, 0]
    assert gen.next().tolist() == [7, 1]
    assert gen.state.data.tolist() == [7, 2]
    assert gen.state.dtype == "uint32" and not gen.state.trainable


def test_unordered_next_scrambles_the_state():
    gen = SeedGenerator(7)
    gen.next(ordered=False)
    assert gen.state.data.tolist() == [(8 * 5387) % 933199, 5387 % 933199]


def test_a_seedless_generator_follows_set_random_seed():
    utils.set_random_seed(9)
    a = SeedGenerator().next()
    utils.set_random_seed(9)
    assert np.array_equal(a, SeedGenerator().next())


def test_config_round_trips_and_names_are_unique():
    gen = SeedGenerator(3, name="sg")
    clone = SeedGenerator.from_config(gen.get_config())
    assert clone.get_config() == {"seed": 3, "name": "sg"}
    assert SeedGenerator().name != SeedGenerator().name


@pytest.mark.parametrize("seed", [1.0, "1", True])
def test_a_non_integer_seed_is_refused(seed):
    with pytest.raises(ValueError, match=r"seed must be an integer .* Received: seed="):
        SeedGenerator(seed)
    with pytest.raises(ValueError, match="unrecognized keyword"):
        SeedGenerator(1, colour="red")


def test_large_and_negative_int_seeds_wrap_to_32_bits():
    assert np.array_equal(draw_generator(-1, "f").random(3), draw_generator(2**32 - 1, "f").random(3))
    assert SeedGenerator(2**32 + 5).next().tolist() == [5, 0]


def test_a_layer_with_a_seed_generator_repeats_run_for_run():
    from numkeras import layers

    class Noise(layers.Layer):
        def __init__(self, seed):
            super().__init__()
            self.seed_generator = random.SeedGenerator(seed)

        def call(self, x):
            return x + random.normal(x.shape, seed=self.seed_generator)

    x = np.zeros((2, 3), "float32")
    a, b = Noise(1), Noise(1)
    first = a(x).numpy()
    assert not np.array_equal(first, a(x).numpy())
    assert np.array_equal(first, b(x).numpy())
