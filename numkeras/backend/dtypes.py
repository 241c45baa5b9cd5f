"""Keras's dtype promotion: which dtype an op on mixed inputs returns.

Keras 3 promotes along a lattice taken from JAX, not NumPy's rules: int32 with float32 gives
float32 (NumPy: float64), uint8 with int8 gives int16, and Python scalars are "weak": they take
the other operand's kind and width (`int8 tensor + 1` stays int8, `float16 tensor * 2.0` stays
float16, `int32 tensor * 2.0` becomes floatx). Unlike Keras on JAX, 64-bit dtypes stay 64-bit here
(NumPy has them, and gradient checks run in float64).

Example:
    >>> from numkeras.backend.dtypes import result_type
    >>> result_type("int32", "float32"), result_type("uint8", "int8"), result_type("int8", int)
    ('float32', 'int16', 'int8')
"""
import functools

import numpy as np

from numkeras.backend.config import floatx

# Each dtype's immediate successors on the promotion lattice ("int"/"float" are the weak Python kinds).
_LATTICE = {
    "bool": ["int"],
    "uint8": ["int16", "uint16"], "uint16": ["int32", "uint32"], "uint32": ["int64", "uint64"],
    "uint64": ["float"],
    "int": ["uint8", "int8", "complex64"],
    "int8": ["int16"], "int16": ["int32"], "int32": ["int64"], "int64": ["float"],
    "float": ["bfloat16", "float16"],
    "bfloat16": ["float32"], "float16": ["float32"], "float32": ["float64", "complex64"],
    "float64": ["complex128"], "complex64": ["complex128"], "complex128": [],
}


def _upper_bounds():
    bounds = {}
    for node in _LATTICE:
        seen, todo = {node}, [node]
        while todo:
            for nxt in _LATTICE[todo.pop()]:
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        bounds[node] = seen
    return bounds


_BOUNDS = _upper_bounds()


@functools.lru_cache(maxsize=1024)
def _join(nodes):
    common = set.intersection(*(_BOUNDS[n] for n in nodes))
    least = [c for c in common if common <= _BOUNDS[c]]
    return least[0]


_NAMES = {}  # whatever names a dtype -> its canonical name (np.dtype(...).name costs microseconds)


def _name(dtype):
    try:
        return _NAMES[dtype]
    except (KeyError, TypeError):
        name = np.dtype(dtype).name
        try:
            _NAMES[dtype] = name
        except TypeError:  # unhashable
            pass
        return name


def _node(value):
    """(dtype name, weak) of a dtype, a Python type, a Python scalar, or anything with a `.dtype`."""
    if isinstance(value, str):
        return _name(value), False
    if value is int or value is float or value is bool:
        return {int: "int32", float: "float32", bool: "bool"}[value], value is not bool
    if isinstance(value, bool):
        return "bool", False
    if isinstance(value, int):
        return "int32", True
    if isinstance(value, float):
        return "float32", True
    if hasattr(value, "dtype"):
        return _name(value.dtype), False
    if isinstance(value, (np.dtype, type)):
        return _name(value), False
    return np.asarray(value).dtype.name, False


def _weak_kind(name):
    return "bool" if name == "bool" else "float" if "float" in name else "int" if "int" in name else "complex"


def result_type(*values):
    """The dtype (a string) Keras gives an op on `values`.

    Args:
        *values: dtypes (strings or NumPy dtypes), arrays or tensors (their dtype), Python scalars
            (weak: `int`, `float`) or the Python types `int` and `float` themselves. None counts
            as floatx.

    Returns:
        The promoted dtype's name; with no values, floatx.
    """
    if not values:
        return floatx()
    return _promote(tuple((floatx(), False) if v is None else _node(v) for v in values), floatx())


@functools.lru_cache(maxsize=4096)
def _promote(nodes, floatx_name):
    names = {n for n, _ in nodes}
    if len(names) == 1 and not all(w for _, w in nodes):
        return names.pop()
    if all(w for _, w in nodes):
        out, weak = _join(frozenset(names)), True
    else:
        out = _join(frozenset(_weak_kind(n) if w else n for n, w in nodes))
        weak = out in ("int", "float")
    if weak and out != "bool":
        return {"int": "int32", "float": floatx_name, "complex": "complex64"}[_weak_kind(out)]
    return out
