"""The one random generator every initializer, dropout mask and shuffle draws from.

Seeding it (through `numkeras.utils.set_random_seed`) makes a whole CPU run
repeat bit for bit.
"""
import numpy as np

_generator = np.random.default_rng()


def set_seed(seed):
    """Re-seeds the global generator."""
    global _generator
    _generator = np.random.default_rng(seed)


def random_generator():
    """Returns the global `numpy.random.Generator`."""
    return _generator
