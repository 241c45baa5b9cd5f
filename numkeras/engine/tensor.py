"""The Tensor: an array plus, while a tape records, the link to the op that made it.

A Tensor made by an op under a `GradientTape` remembers its parents and a
vector-Jacobian product (`vjp`): given the gradient of the result, `vjp`
returns one gradient per parent (None where a parent needs none). That is
the whole graph; `numkeras.engine.tape` walks it backwards.

Example:
    >>> import numpy as np
    >>> from numkeras.engine.tensor import Tensor
    >>> Tensor(np.ones((2, 3), "float32")).shape
    (2, 3)
"""
import threading

from numkeras.backend import to_host, xp

_DTYPE_NAMES = {}


class _RecordingState(threading.local):
    """How many tapes are open in this thread: ops build a graph only while one is.

    Per thread, so a model predicting in one thread builds no graph while
    another thread trains under a tape.
    """

    depth = 0


_Recording = _RecordingState()


class Tensor:
    """An immutable array with an optional link into the autodiff graph."""

    __slots__ = ("data", "requires_grad", "_parents", "_vjp", "_keras_logits", "_keras_activation",
                 "_keras_mask", "__weakref__")
    __array_priority__ = 1000  # so `ndarray + Tensor` defers to Tensor.__radd__

    def __init__(self, data):
        self.data = data
        self.requires_grad = False
        self._parents = ()
        self._vjp = None
        # Set by softmax/sigmoid: a crossentropy on this output works from the logits instead.
        self._keras_logits = None
        self._keras_activation = None  # "softmax" or "sigmoid": which function made it
        # Set by a layer whose output is masked (Keras's `_keras_mask`): a bool Tensor, True where a
        # timestep counts. Layers read it as their `mask=` argument; losses and metrics skip the rest.
        self._keras_mask = None

    # -- array-like surface -------------------------------------------------
    @property
    def shape(self):
        return tuple(self.data.shape)

    @property
    def dtype(self):
        dtype = self.data.dtype
        name = _DTYPE_NAMES.get(dtype)
        if name is None:  # numpy computes .name in Python: cache it, dtype is read every step
            name = _DTYPE_NAMES[dtype] = dtype.name
        return name

    @property
    def ndim(self):
        return self.data.ndim

    @property
    def size(self):
        return self.data.size

    def numpy(self):
        """Returns the value as a NumPy array (on the host: the one place a device array comes back)."""
        return to_host(self.data)

    def __array__(self, dtype=None, copy=None):
        data = to_host(self.data)
        return data if dtype is None else data.astype(dtype, copy=False)

    def __len__(self):
        return len(self.data)

    def __iter__(self):
        return (self[i] for i in range(len(self)))

    def __float__(self):
        return float(self.data)

    def __int__(self):
        return int(self.data)

    def __bool__(self):
        return bool(self.data)

    def __repr__(self):
        grad = ", requires_grad=True" if self.requires_grad else ""
        return f"<Tensor shape={self.shape}, dtype={self.dtype}{grad}, value=\n{self.data}>"

    __hash__ = object.__hash__  # tensors are keyed by identity, not value

    # -- operators: thin forwards to the differentiable ops -----------------
    def __add__(self, other):
        return _math().add(self, other)

    def __radd__(self, other):
        return _math().add(other, self)

    def __sub__(self, other):
        return _math().subtract(self, other)

    def __rsub__(self, other):
        return _math().subtract(other, self)

    def __mul__(self, other):
        return _math().multiply(self, other)

    def __rmul__(self, other):
        return _math().multiply(other, self)

    def __truediv__(self, other):
        return _math().divide(self, other)

    def __rtruediv__(self, other):
        return _math().divide(other, self)

    def __pow__(self, other):
        return _math().power(self, other)

    def __rpow__(self, other):
        return _math().power(other, self)

    def __neg__(self):
        return _math().negative(self)

    def __abs__(self):
        return _math().abs(self)

    def __matmul__(self, other):
        from numkeras.engine import linalg_ops
        return linalg_ops.matmul(self, other)

    def __rmatmul__(self, other):
        from numkeras.engine import linalg_ops
        return linalg_ops.matmul(other, self)

    def __getitem__(self, index):
        from numkeras.engine import shape_ops
        return shape_ops.getitem(self, index)

    @property
    def T(self):
        from numkeras.engine import shape_ops
        return shape_ops.transpose(self)

    # comparisons give boolean tensors, outside the graph
    def __lt__(self, other):
        return Tensor(self.data < unwrap(other))

    def __le__(self, other):
        return Tensor(self.data <= unwrap(other))

    def __gt__(self, other):
        return Tensor(self.data > unwrap(other))

    def __ge__(self, other):
        return Tensor(self.data >= unwrap(other))


def _math():
    from numkeras.engine import math_ops
    return math_ops


def unwrap(x):
    """Returns the array inside a Tensor, or `x` itself (never an ndarray's `.data` buffer)."""
    return x.data if isinstance(x, Tensor) else x


def as_tensor(x, dtype=None):
    """Returns `x` as a Tensor, without copying when it already is one.

    Python floats (and lists of them) take `dtype` or floatx, ints int64, so
    they never promote a float32 computation to float64.
    """
    if isinstance(x, Tensor):
        if dtype is not None and x.data.dtype != dtype:
            from numkeras.engine.math_ops import cast
            return cast(x, dtype)
        return x
    data = xp.asarray(x, dtype=dtype)
    if dtype is None and not hasattr(x, "dtype") and data.dtype.kind == "f":
        from numkeras.backend import floatx  # Python floats and lists of them: floatx, not float64
        data = data.astype(floatx())
    return Tensor(data)


def operands(a, b):
    """Converts a pair of op inputs, giving Python scalars the other side's dtype."""
    # An int tensor meeting a float scalar is cast to floatx too: int64 * float32 would give float64.
    if isinstance(a, (int, float)) and not isinstance(a, bool) and hasattr(b, "dtype"):
        b = as_tensor(b)
        b = as_tensor(b, dtype=_scalar_dtype(a, b.data.dtype))
        return as_tensor(a, dtype=b.data.dtype), b
    if isinstance(b, (int, float)) and not isinstance(b, bool) and hasattr(a, "dtype"):
        a = as_tensor(a)
        a = as_tensor(a, dtype=_scalar_dtype(b, a.data.dtype))
        return a, as_tensor(b, dtype=a.data.dtype)
    return as_tensor(a), as_tensor(b)


def _scalar_dtype(scalar, other):
    # An int array meeting a float scalar becomes float32 (the NumPy rule would pick float64).
    if isinstance(scalar, float) and other.kind in "iub":
        from numkeras.backend import floatx
        return floatx()
    return other


def make(data, parents, vjp):
    """Wraps an op's result and, when a tape records, links it into the graph.

    Args:
        data: the op's output array.
        parents: the op's Tensor inputs.
        vjp: `vjp(g) -> tuple` of one gradient (or None) per parent.
    """
    out = Tensor(data)
    if _Recording.depth and any(p.requires_grad for p in parents):
        out.requires_grad = True
        out._parents = parents
        out._vjp = vjp
    return out
