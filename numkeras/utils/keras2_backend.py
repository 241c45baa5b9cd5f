"""Keras 2's `keras.backend` functions (`K.mean`, `K.square`, `K.random_normal`, ...), run on numkeras.ops.

The 1st edition of the book writes custom losses and the VAE's sampling with `from keras import
backend as K`. Keras 3 moved these to `keras.ops` and `keras.random`; numkeras keeps the old
names reachable from `numkeras.backend` (not listed in its `dir()`, which is Keras 3's), each
noted once per process with its Keras 3 spelling. `K.gradients` and `K.function` built graphs
for a TensorFlow session; numkeras is eager, so they raise an error naming `GradientTape`.

Example:
    >>> import warnings
    >>> from numkeras import backend as K
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     float(K.mean(K.square([1.0, 3.0])))
    5.0
"""
import numpy as np

from numkeras import ops
from numkeras.backend import floatx
from numkeras.backend.random import random_generator
from numkeras.engine.tensor import Tensor
from numkeras.engine.variable import Variable
from numkeras.utils.keras2_idioms import note


def _ops_alias(name, keras3):
    fn = getattr(ops, keras3.split(".")[-1])

    def legacy(*args, **kwargs):
        note(f"K.{name}", f"K.{name} (keras.backend) is Keras 2's spelling; Keras 3 writes keras.{keras3}.", 3)
        return fn(*args, **kwargs)
    legacy.__name__ = name
    legacy.__doc__ = f"Keras 2's `K.{name}`: `{keras3}`."
    return legacy


# Keras 2 name -> its Keras 3 spelling (same arguments).
_SAME_AS_OPS = {
    "mean": "ops.mean", "sum": "ops.sum", "max": "ops.max", "min": "ops.min", "square": "ops.square",
    "sqrt": "ops.sqrt", "exp": "ops.exp", "log": "ops.log", "abs": "ops.abs", "maximum": "ops.maximum",
    "minimum": "ops.minimum", "pow": "ops.power", "dot": "ops.matmul", "transpose": "ops.transpose",
    "reshape": "ops.reshape", "concatenate": "ops.concatenate", "stack": "ops.stack", "argmax": "ops.argmax",
    "cast": "ops.cast", "clip": "ops.clip", "sigmoid": "ops.sigmoid", "tanh": "ops.tanh", "relu": "ops.relu",
    "softmax": "ops.softmax", "expand_dims": "ops.expand_dims", "squeeze": "ops.squeeze",
    "stop_gradient": "ops.stop_gradient",
}
LEGACY = {name: _ops_alias(name, keras3) for name, keras3 in _SAME_AS_OPS.items()}


def _legacy(keras3):
    def wrap(fn):
        def legacy(*args, **kwargs):
            note(f"K.{fn.__name__}", f"K.{fn.__name__} (keras.backend) is Keras 2's spelling; "
                                     f"Keras 3 writes {keras3}.", 3)
            return fn(*args, **kwargs)
        legacy.__name__, legacy.__doc__ = fn.__name__, fn.__doc__
        LEGACY[fn.__name__] = legacy
        return fn
    return wrap


@_legacy("keras.ops.shape(x) (a tuple)")
def shape(x):
    """The shape of `x` as an int32 array (Keras 2 returned a tensor that could be indexed)."""
    return Tensor(np.asarray(ops.shape(x), dtype="int32"))


@_legacy("tuple(x.shape)")
def int_shape(x):
    """The shape of `x` as a tuple (None for unknown sizes of a symbolic input)."""
    return tuple(x.shape) if hasattr(x, "shape") else tuple(np.shape(x))


@_legacy("keras.random.normal(shape, mean, stddev)")
def random_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    """Normal draws of `shape` (`seed` an int: the same draws each time)."""
    rng = np.random.default_rng(seed) if seed is not None else random_generator()
    shape = tuple(int(s) for s in np.asarray(ops.convert_to_numpy(shape)).reshape(-1))
    return Tensor(rng.normal(mean, stddev, size=shape).astype(dtype or floatx()))


@_legacy("keras.random.uniform(shape, minval, maxval)")
def random_uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None):
    """Uniform draws in [minval, maxval) of `shape`."""
    rng = np.random.default_rng(seed) if seed is not None else random_generator()
    shape = tuple(int(s) for s in np.asarray(ops.convert_to_numpy(shape)).reshape(-1))
    return Tensor(rng.uniform(minval, maxval, size=shape).astype(dtype or floatx()))


@_legacy("keras.Variable(value)")
def variable(value, dtype=None, name=None):
    """A Variable holding `value`."""
    return Variable(np.asarray(value, dtype=dtype or floatx()), name=name)


@_legacy("keras.ops.convert_to_tensor(value)")
def constant(value, dtype=None, shape=None, name=None):
    """A Tensor holding `value` (broadcast to `shape` if given)."""
    array = np.asarray(value, dtype=dtype or floatx())
    return Tensor(np.broadcast_to(array, shape).copy() if shape is not None else array)


@_legacy("variable.assign(value)")
def set_value(x, value):
    """Writes `value` into the Variable `x` (an optimizer's learning rate, say)."""
    x.assign(value)


@_legacy("keras.ops.convert_to_numpy(x)")
def get_value(x):
    """`x` as a NumPy array (a Python float for a scalar learning rate)."""
    return ops.convert_to_numpy(x)


@_legacy("[keras.ops.convert_to_numpy(x) for x in xs]")
def batch_get_value(xs):
    """Each of `xs` as a NumPy array."""
    return [ops.convert_to_numpy(x) for x in xs]


@_legacy("keras.ops.reshape(x, (keras.ops.shape(x)[0], -1))")
def batch_flatten(x):
    """`x` flattened to (batch, features)."""
    return ops.reshape(x, (ops.shape(x)[0], -1))


@_legacy("keras.ops.reshape(x, (-1,))")
def flatten(x):
    """`x` as one dimension."""
    return ops.reshape(x, (-1,))


@_legacy("x / keras.ops.sqrt(keras.ops.maximum(keras.ops.sum(x * x, axis, keepdims=True), 1e-12))")
def l2_normalize(x, axis=None):
    """`x` divided by its L2 norm along `axis` (floored at 1e-12, as Keras 2 did)."""
    squares = ops.sum(ops.square(x), axis=axis, keepdims=True)
    return ops.divide(x, ops.sqrt(ops.maximum(squares, 1e-12)))


def _graph_only(name):
    def refuse(*args, **kwargs):
        raise RuntimeError(
            f"K.{name} built a TensorFlow graph function in Keras 2; numkeras (like Keras 3) runs eagerly. "
            f"Compute gradients with a tape instead:\n"
            f"    with numkeras.GradientTape() as tape:\n"
            f"        tape.watch(x)\n"
            f"        loss = ...\n"
            f"    grads = tape.gradient(loss, x)\n"
            f"and call the Python function you would have wrapped in K.function directly.")
    refuse.__name__ = name
    refuse.__doc__ = f"Keras 2's graph-mode `K.{name}`: raises an error naming GradientTape."
    return refuse


LEGACY["gradients"] = _graph_only("gradients")
LEGACY["function"] = _graph_only("function")
