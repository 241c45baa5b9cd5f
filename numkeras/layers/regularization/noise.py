"""The noise draw that GaussianNoise and GaussianDropout share: seeded per layer, in the input's dtype."""
import numpy as np

from numkeras.backend import from_host, random_generator


def draw_normal(layer, inputs, mean, stddev):
    """An array (on the backend's device) shaped like `inputs` of `N(mean, stddev**2)` samples.

    A layer with a `seed` draws from its own generator (made on first use, so
    a seeded layer repeats its sequence); otherwise from the global one that
    `utils.set_random_seed` seeds.
    """
    if layer.seed is not None and layer._generator is None:
        layer._generator = np.random.default_rng(layer.seed)
    rng = layer._generator or random_generator()
    dtype = inputs.data.dtype if inputs.data.dtype in (np.float32, np.float64) else np.dtype("float32")
    noise = rng.standard_normal(inputs.shape, dtype=dtype)
    noise *= dtype.type(stddev)
    noise += dtype.type(mean)
    return from_host(noise)  # drawn by numkeras's (host) generator, so seeds give the same noise on every backend
