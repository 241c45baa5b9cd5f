"""Seeding: one call makes a whole CPU run repeat bit for bit."""
import random

import numpy as np

from numkeras.backend import random as backend_random


def set_random_seed(seed):
    """Seeds Python's `random`, NumPy's global generator and numkeras's own generator.

    Example:
        >>> set_random_seed(42)
    """
    if not isinstance(seed, int) or isinstance(seed, bool):
        raise ValueError(f"set_random_seed expects an integer seed. Received: seed={seed!r}.")
    random.seed(seed)
    np.random.seed(seed % 2**32)
    backend_random.set_seed(seed)
