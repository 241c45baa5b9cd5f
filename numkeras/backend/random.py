"""The one random generator every initializer, dropout mask and shuffle draws from.

Seeding it (through `numkeras.utils.set_random_seed`) makes a whole CPU run
repeat bit for bit.
"""
_generator = None  # made on first use: importing numpy.random costs about 10 ms


def set_seed(seed):
    """Re-seeds the global generator."""
    global _generator
    import numpy.random
    _generator = numpy.random.default_rng(seed)


def random_generator():
    """Returns the global `numpy.random.Generator`."""
    if _generator is None:
        set_seed(None)
    return _generator
