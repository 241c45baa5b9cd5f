"""numkeras.random: random draws with Keras 3's seeding rules (`keras.random`).

Example:
    >>> from numkeras import random
    >>> random.normal((2, 3), seed=42).shape
    (2, 3)
"""
from numkeras.random.random import (beta, binomial, categorical, dropout, gamma, normal, randint, shuffle,
                                    truncated_normal, uniform)
from numkeras.random.seed_generator import SeedGenerator

# The surface (tests/surface checks it against Keras 3.15's keras.random).
__all__ = ["SeedGenerator", "beta", "binomial", "categorical", "dropout", "gamma", "normal", "randint", "shuffle",
           "truncated_normal", "uniform"]


def __dir__():
    return list(__all__)
