"""SeedGenerator: the state that makes seeded random ops give new values on each call.

Keras's seeding rules, which numkeras follows:

- `seed=<int>`: the draw is a function of the integer alone, the same on every run and every call.
- `seed=SeedGenerator(...)`: the draw uses the generator's state, then the state moves on, so
  successive calls differ while a whole program still repeats run for run.
- `seed=None`: the draw comes from the global generator (`numkeras.backend.random_generator()`),
  which `numkeras.utils.set_random_seed` seeds.

An integer seed and a fresh `SeedGenerator` of the same seed give the same first draw, as in Keras.

Example:
    >>> from numkeras import random
    >>> gen = random.SeedGenerator(seed=42)
    >>> a = random.normal((2,), seed=gen)
    >>> b = random.normal((2,), seed=gen)
    >>> bool((a.numpy() == b.numpy()).all())
    False
    >>> bool((a.numpy() == random.normal((2,), seed=42).numpy()).all())
    True
"""
import numpy as np

from numkeras.backend import random_generator
from numkeras.engine.variable import Variable
from numkeras.utils.naming import snake_case, unique_name


class SeedGenerator:
    """Holds a random seed as state and hands out a new seed on every draw.

    Pass it as `seed=` to the functions of `numkeras.random`; attach one to a layer to make
    its random draws repeatable yet different from call to call.

    Args:
        seed: an integer starting state. Defaults to None: a seed drawn from the global
            generator (so `utils.set_random_seed` makes it repeatable).
        name: a name. Defaults to "seed_generator", made unique.
    """

    def __init__(self, seed=None, name=None, **kwargs):
        kwargs.pop("backend", None)  # Keras's hook for another backend: numkeras has one
        if kwargs:
            raise ValueError(f"SeedGenerator: unrecognized keyword arguments {sorted(kwargs)}. It takes seed= "
                             "and name= only.")
        self.name = name or unique_name(snake_case(type(self).__name__))
        self._initial_seed = seed
        if seed is None:
            seed = int(random_generator().integers(1, 10**9))
        if not isinstance(seed, (int, np.integer)) or isinstance(seed, bool):
            raise ValueError(f"SeedGenerator: seed must be an integer (or None for a random one). Received: "
                             f"seed={seed!r} (of type {type(seed).__name__}).")
        self.state = Variable(np.array([int(seed) & 0xFFFFFFFF, 0], dtype="uint32"), dtype="uint32",
                              trainable=False, name="seed_generator_state")
        self.state.path = f"{self.name}/seed_generator_state"

    def next(self, ordered=True):
        """Returns the current state (a uint32 array `[seed, counter]`) and advances it.

        Args:
            ordered: advance the counter by one (True, the default), or scramble the state
                (False), as Keras's global generator does.
        """
        value = self.state.data.copy()
        if ordered:
            self.state.assign(value + np.array([0, 1], dtype="uint32"))
        else:
            self.state.assign(((value.astype("uint64") + 1) * 5387 % 933199).astype("uint32"))
        return value

    def get_config(self):
        return {"seed": self._initial_seed, "name": self.name}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        return f"<SeedGenerator name={self.name}, state={self.state.data.tolist()}>"


def draw_generator(seed, function):
    """The `numpy.random.Generator` for one draw under Keras's seeding rules (see the module docstring).

    Args:
        seed: an int, a `SeedGenerator` or None.
        function: the caller's name, for the error message.
    """
    if isinstance(seed, SeedGenerator):
        return np.random.default_rng(seed.next())
    if seed is None:
        return random_generator()
    if isinstance(seed, (int, np.integer)) and not isinstance(seed, bool):
        return np.random.default_rng(np.array([int(seed) & 0xFFFFFFFF, 0], dtype="uint32"))
    raise ValueError(f"{function}: seed must be an integer, a numkeras.random.SeedGenerator or None. Received: "
                     f"seed={seed!r} (of type {type(seed).__name__}).")
