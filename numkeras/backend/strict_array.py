"""The strict backend: NumPy's arithmetic behind the walls a GPU array module puts up.

`NUMKERAS_BACKEND=strict` computes with this module as `backend.xp`. Its arrays (`StrictArray`)
hold a NumPy array but behave like CuPy's in the ways that break code written for NumPy alone,
so a seam leak fails on the CPU, in CI, instead of on a GPU machine:

  * implicit conversion to NumPy raises (`np.asarray(x)`, `np.sum(x)`, `ndarray + x`): the host
    side reaches the values through `backend.to_host(x)` (or `x.get()`, `xp.asnumpy(x)`);
  * the module's functions refuse NumPy arrays as operands (CuPy's do), except the constructors
    (`xp.asarray(host_array)` is the transfer to the device);
  * full reductions return 0-d arrays, not NumPy scalars;
  * out-of-bounds integer indices wrap around (in `take` and `x[index_array]`) instead of raising;
  * there is no `errstate`/`seterr`: a GPU has no floating-point error state;
  * `type(x) is np.ndarray` is False, as for a CuPy array.

The arithmetic itself is NumPy's, so results match the NumPy backend bit for bit. It exists for
tests: each call pays a wrapper's Python overhead (never the default backend's).

Example:
    >>> import numpy as np
    >>> from numkeras.backend.strict_array import strict_module
    >>> xp = strict_module()
    >>> x = xp.asarray(np.arange(3.0))
    >>> total = x.sum()
    >>> type(total).__name__, total.ndim, float(total)
    ('StrictArray', 0, 3.0)
    >>> np.asarray(x)
    Traceback (most recent call last):
    ...
    TypeError: numkeras strict backend: implicit conversion of a device array to NumPy. Move it across the seam explicitly with numkeras.backend.to_host(x) (or x.get()).
"""
import functools
import types

import numpy as np

_LEAK = ("numkeras strict backend: implicit conversion of a device array to NumPy. Move it across the "
         "seam explicitly with numkeras.backend.to_host(x) (or x.get()).")
_CONSTRUCTORS = frozenset({"asarray", "array", "asanyarray", "ascontiguousarray", "asfortranarray", "copy"})
_ABSENT = frozenset({"errstate", "seterr", "geterr", "seterrcall", "geterrcall"})  # no float error state on a GPU


def _host_operand(where):
    return TypeError(f"numkeras strict backend: a NumPy (host) array was given to {where} beside device arrays. "
                     "Move it to the device first with numkeras.backend.from_host(x) (CuPy refuses the mix).")


class StrictArray:
    """A device-like array: NumPy values, CuPy's refusals."""

    __slots__ = ("_a",)
    __array_priority__ = 100  # below Tensor's, above ndarray's

    def __init__(self, array):
        self._a = array

    # -- the explicit boundary ---------------------------------------------
    def get(self):
        """Returns the values as a NumPy array (a copy, as CuPy's `get()`)."""
        return self._a.copy()

    def __array__(self, dtype=None, copy=None):
        raise TypeError(_LEAK)

    def __array_function__(self, func, types_, args, kwargs):
        raise TypeError(f"numkeras strict backend: numpy.{func.__name__} was called on a device array. Compute "
                        f"with numkeras.backend.xp.{func.__name__}, or move the value to the host with "
                        "numkeras.backend.to_host(x).")

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        if any(type(a) is np.ndarray for a in inputs):
            raise _host_operand(f"numpy.{ufunc.__name__}")
        if "out" in kwargs:
            kwargs["out"] = tuple(_unwrap(o) for o in kwargs["out"])
        return _wrap(getattr(ufunc, method)(*[_unwrap(a) for a in inputs], **kwargs))

    # -- the plain array surface -------------------------------------------
    shape = property(lambda self: self._a.shape)
    dtype = property(lambda self: self._a.dtype)
    ndim = property(lambda self: self._a.ndim)
    size = property(lambda self: self._a.size)
    itemsize = property(lambda self: self._a.itemsize)
    nbytes = property(lambda self: self._a.nbytes)
    strides = property(lambda self: self._a.strides)
    flags = property(lambda self: self._a.flags)
    T = property(lambda self: StrictArray(self._a.T))
    real = property(lambda self: StrictArray(self._a.real))
    imag = property(lambda self: StrictArray(self._a.imag))

    def __getattr__(self, name):  # methods: sum, reshape, astype, ... with the same refusals
        if name.startswith("__"):  # __array_interface__ and friends would hand NumPy the buffer
            raise AttributeError(f"'StrictArray' object has no attribute {name!r}")
        value = getattr(self._a, name)
        if not callable(value):
            return _wrap(value)

        def method(*args, **kwargs):
            return _wrap(value(*_unwrap_args(args, f"ndarray.{name}"), **_unwrap_kwargs(kwargs, name)))
        return method

    def __len__(self):
        return len(self._a)

    def __iter__(self):
        return (StrictArray(row) for row in self._a) if self._a.ndim > 1 else (
            StrictArray(np.asarray(v)) for v in self._a)

    def __getitem__(self, key):
        key = _unwrap_key(key)
        if type(key) is np.ndarray and key.dtype.kind in "iu" and self._a.ndim:  # CuPy wraps out-of-bounds
            key = key % max(len(self._a), 1)  # indices instead of raising: so does the strict backend
        return _wrap(self._a[key])

    def __setitem__(self, key, value):
        self._a[_unwrap_key(key)] = _unwrap(value)

    def __float__(self):
        return float(self._a)

    def __int__(self):
        return int(self._a)

    def __index__(self):
        return self._a.__index__()

    def __bool__(self):
        return bool(self._a)

    def __complex__(self):
        return complex(self._a)

    def __repr__(self):
        return "strict" + repr(self._a)[5:] if repr(self._a).startswith("array") else repr(self._a)

    def __str__(self):
        return str(self._a)

    def __format__(self, spec):
        return format(self._a if self._a.ndim else self._a[()], spec)

    def __copy__(self):
        return StrictArray(self._a.copy())

    def __deepcopy__(self, memo):
        return StrictArray(self._a.copy())

    def __reduce__(self):  # pickling (deepcopy of layers) keeps it on the device
        return StrictArray, (self._a,)

    __hash__ = None


def _binary(name):
    op = getattr(np.ndarray, name)

    def method(self, other):
        if type(other) is np.ndarray:
            raise _host_operand(f"the operator {name}")
        other = other._a if type(other) is StrictArray else other
        return _wrap(op(self._a, other))
    method.__name__ = name
    return method


def _inplace(name):
    op = getattr(np.ndarray, name)

    def method(self, other):
        if type(other) is np.ndarray:
            raise _host_operand(f"the operator {name}")
        op(self._a, other._a if type(other) is StrictArray else other)
        return self
    method.__name__ = name
    return method


def _unary(name):
    op = getattr(np.ndarray, name)
    return lambda self: _wrap(op(self._a))


for _name in ("add sub mul truediv floordiv mod pow matmul and or xor lshift rshift divmod lt le gt ge eq ne "
              "radd rsub rmul rtruediv rfloordiv rmod rpow rmatmul rand ror rxor rlshift rrshift rdivmod").split():
    setattr(StrictArray, f"__{_name}__", _binary(f"__{_name}__"))
for _name in "iadd isub imul itruediv ifloordiv imod ipow iand ior ixor".split():
    setattr(StrictArray, f"__{_name}__", _inplace(f"__{_name}__"))
for _name in ("neg", "pos", "abs", "invert"):
    setattr(StrictArray, f"__{_name}__", _unary(f"__{_name}__"))


def _wrap(value):
    """NumPy results as device values: arrays and NumPy scalars become StrictArrays (0-d for scalars)."""
    if type(value) is np.ndarray:
        return StrictArray(value)
    if isinstance(value, np.generic):
        return StrictArray(np.asarray(value))
    if type(value) is tuple:
        return tuple(_wrap(v) for v in value)
    if type(value) is list and value and type(value[0]) is np.ndarray:
        return [_wrap(v) for v in value]
    return value


def _unwrap(value):
    return value._a if type(value) is StrictArray else value


def _unwrap_key(key):
    if type(key) is tuple:
        return tuple(k._a if type(k) is StrictArray else k for k in key)
    return key._a if type(key) is StrictArray else key


def _unwrap_args(args, where, host_ok=False):
    out = []
    for a in args:
        t = type(a)
        if t is StrictArray:
            out.append(a._a)
        elif t is np.ndarray and not host_ok:
            raise _host_operand(where)
        elif t is list or t is tuple:
            out.append(t(_unwrap_args(a, where, host_ok)))
        else:
            out.append(a)
    return out


def _unwrap_kwargs(kwargs, where, host_ok=False):
    if not kwargs:
        return kwargs
    return {k: (v._a if type(v) is StrictArray else v) if type(v) is not np.ndarray or host_ok
            else _raise(_host_operand(where)) for k, v in kwargs.items()}


def _raise(error):
    raise error


def _function(func, name, host_ok):
    @functools.wraps(func)
    def call(*args, **kwargs):
        return _wrap(func(*_unwrap_args(args, f"xp.{name}", host_ok), **_unwrap_kwargs(kwargs, name, host_ok)))
    return call


class _Ufunc:
    """A ufunc taking and giving StrictArrays, with its methods (`xp.add.reduce`; CuPy's ufuncs have them)."""

    def __init__(self, ufunc):
        self._ufunc = ufunc
        self.__name__ = ufunc.__name__
        self.__call__ = _function(ufunc, ufunc.__name__, False)

    def __call__(self, *args, **kwargs):
        return self.__dict__["__call__"](*args, **kwargs)

    def __getattr__(self, name):
        value = getattr(self._ufunc, name)
        return _function(value, f"{self.__name__}.{name}", False) if callable(value) else value


class _Namespace(types.ModuleType):
    """A NumPy namespace (numpy, numpy.linalg, numpy.fft, a Generator) whose functions take and give StrictArrays."""

    def __init__(self, name, target):
        super().__init__(name)
        self._target = target

    def __getattr__(self, name):
        if name.startswith("__") or (name in _ABSENT and self._target is np):
            raise AttributeError(f"module {self.__name__!r} has no attribute {name!r} (a GPU array module has "
                                 "none: check values explicitly, e.g. with xp.isfinite)")
        value = getattr(self._target, name)
        if value is np.ndarray:
            value = StrictArray
        elif isinstance(value, types.ModuleType):
            value = _Namespace(f"{self.__name__}.{name}", value)
        elif isinstance(value, np.ufunc):
            value = _Ufunc(value)
        elif isinstance(value, (type, np.dtype)) or not callable(value):
            pass  # dtypes (xp.float32 is numpy.float32 in CuPy too), constants
        else:
            value = _function(value, name, host_ok=name in _CONSTRUCTORS)
            if name == "take" and self._target is np:  # CuPy's take wraps out-of-bounds indices
                value = functools.partial(value, mode="wrap")
            if name in ("default_rng", "Generator", "RandomState"):
                inner = value
                value = lambda *a, **k: _Namespace("Generator", inner(*a, **k))  # noqa: E731
        if isinstance(self._target, types.ModuleType):
            setattr(self, name, value)  # looked up once
        return value

    def asnumpy(self, array):
        """The explicit device-to-host copy, as `cupy.asnumpy`."""
        return array._a.copy() if type(array) is StrictArray else np.asarray(array)


_MODULE = []


def strict_module():
    """The strict array module (one per process)."""
    if not _MODULE:
        np.seterr(all="ignore")  # a GPU raises and warns about nothing: neither does the strict backend
        _MODULE.append(_Namespace("numkeras.backend.strict", np))
    return _MODULE[0]


def to_host(value):
    """A StrictArray's values as a NumPy array (no copy); anything else through np.asarray."""
    return value._a if type(value) is StrictArray else np.asarray(value)


def from_host(value, dtype=None):
    """A host value on the 'device'."""
    if type(value) is StrictArray:
        return value if dtype is None or value.dtype == dtype else StrictArray(value._a.astype(dtype))
    return StrictArray(np.asarray(value, dtype=dtype))


def scatter_add(target, indices, values):
    """`target[indices] += values` with repeated indices accumulated (NumPy's add.at)."""
    np.add.at(target._a, _unwrap_key(indices), _unwrap(values))
