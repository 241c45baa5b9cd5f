"""numkeras.ops: NumPy-like differentiable functions for custom layers and losses.

Every function accepts Tensors, Variables, NumPy arrays or Python scalars and
returns a Tensor; under a `GradientTape` the result is differentiable. As in Keras, the
functions live in families (`ops.numpy`, `ops.nn`, `ops.linalg`, `ops.image`, and the core
and math ops) and all of them are also here at the top.

Example:
    >>> from numkeras import ops
    >>> ops.softmax([[1.0, 1.0]]).numpy()
    array([[0.5, 0.5]], dtype=float32)
"""
from numkeras.ops import core as _core
from numkeras.ops import einops as _einops
from numkeras.ops import image, linalg, nn, numpy
from numkeras.ops import math as _math
from numkeras.ops.core import *  # noqa: F401,F403
from numkeras.ops.einops import *  # noqa: F401,F403
from numkeras.ops.linalg import *  # noqa: F401,F403
from numkeras.ops.math import *  # noqa: F401,F403
from numkeras.ops.nn import *  # noqa: F401,F403
from numkeras.ops.numpy import *  # noqa: F401,F403

# The functions, and the four families Keras names as namespaces (`keras.ops.nn`, ...); the
# image functions are reached through `ops.image` only, as in Keras.
__all__ = sorted(set(_core.__all__ + _einops.__all__ + _math.__all__ + linalg.__all__ + nn.__all__ + numpy.__all__)
                 | {"image", "linalg", "nn", "numpy"})


def __dir__():
    return list(__all__)
