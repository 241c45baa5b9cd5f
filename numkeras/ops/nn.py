"""Neural-network ops: activations, softmax, convolution, pooling, encodings (Keras's `keras.ops.nn`).

Example:
    >>> from numkeras.ops import nn
    >>> nn.softmax([[1.0, 1.0]]).numpy()
    array([[0.5, 0.5]], dtype=float32)
"""
import numpy as _np

from numkeras.backend import floatx as _floatx
from numkeras.backend import xp as _xp
from numkeras.engine.conv_ops import conv, conv_transpose, depthwise_conv, separable_conv
from numkeras.engine.ctc_ops import ctc_decode, ctc_loss
from numkeras.engine.nn_ops import log_softmax, relu, sigmoid, softmax
from numkeras.engine.pool_ops import average_pool, max_pool
from numkeras.engine.tensor import Tensor as _Tensor
from numkeras.ops.core import convert_to_numpy as _convert_to_numpy


def one_hot(x, num_classes, axis=-1, dtype=None, sparse=False):
    """One-hot encodes integer indices `x` into `num_classes` columns (not differentiable).

    Example:
        >>> one_hot([0, 2], 3).numpy()
        array([[1., 0., 0.],
               [0., 0., 1.]], dtype=float32)
    """
    idx = _convert_to_numpy(x).astype("int64")
    out = (idx[..., None] == _np.arange(num_classes)).astype(dtype or _floatx())
    if axis != -1:
        out = _np.moveaxis(out, -1, axis)
    return _Tensor(_xp.asarray(out))


__all__ = [name for name in dir() if not name.startswith("_")]
