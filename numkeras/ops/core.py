"""Core ops: conversions, dtypes, shapes, control flow, slices and scatters, custom gradients
(Keras's `keras.src.ops.core`).

numkeras runs eagerly, so the control-flow ops (`cond`, `switch`, `while_loop`, `fori_loop`,
`scan`, `map`, ...) are Python loops and branches over the ops inside them; under a
`GradientTape` every op a loop runs is recorded, so they are differentiable wherever their body
is (a `while_loop` through the iterations it actually ran).

Example:
    >>> from numkeras import ops
    >>> ops.convert_to_numpy(ops.cast([1.7, -2.2], "int32"))
    array([ 1, -2], dtype=int32)
    >>> ops.fori_loop(0, 4, lambda i, x: x * 2.0, ops.convert_to_tensor(1.0)).numpy()
    array(16., dtype=float32)
"""
import builtins as _builtins

import numpy as _np

from numkeras.backend import errstate as _errstate
from numkeras.backend import floatx as _floatx
from numkeras.backend import standardize_dtype as _standardize_dtype
from numkeras.backend import xp as _xp
from numkeras.engine import math_ops as _m
from numkeras.engine import pad_ops as _pad_ops
from numkeras.engine import shape_ops as _s
from numkeras.engine.custom_gradient import custom_gradient
from numkeras.engine.math_ops import cast
from numkeras.engine.math_ops import stop_gradient as _stop_gradient
from numkeras.engine.scatter_ops import scatter
from numkeras.engine.scatter_ops import scatter_update as _scatter_update
from numkeras.engine.tensor import Tensor as _Tensor
import numkeras.utils.tree as _tree


def convert_to_tensor(x, dtype=None, sparse=None, ragged=None):
    """Returns `x` as a Tensor. Python floats become floatx, Python ints int32.

    `sparse` and `ragged` are accepted for Keras compatibility; numkeras tensors are dense.

    Example:
        >>> convert_to_tensor([1.0, 2.0]).dtype
        'float32'
    """
    if sparse or ragged:
        raise ValueError("convert_to_tensor: numkeras has no sparse or ragged tensors. Received: "
                         f"sparse={sparse}, ragged={ragged}. Pass dense values.")
    if isinstance(x, _Tensor):
        return x if dtype is None else cast(x, dtype)
    if dtype is None and not hasattr(x, "dtype"):
        probe = _np.asarray(x)
        dtype = _floatx() if probe.dtype.kind == "f" else "int32" if probe.dtype.kind in "iu" else None
    return _Tensor(_xp.asarray(x, dtype=dtype))


def convert_to_numpy(x):
    """Returns `x` as a NumPy array."""
    return _np.asarray(x.data if isinstance(x, _Tensor) else x)


def shape(x):
    """Returns the shape of `x` as a tuple."""
    return tuple(_np.shape(x.data if isinstance(x, _Tensor) else x))


def is_tensor(x):
    """Whether `x` is a numkeras Tensor (Variables included).

    Example:
        >>> is_tensor(convert_to_tensor([1.0])), is_tensor([1.0])
        (True, False)
    """
    return isinstance(x, _Tensor)


def dtype(x):
    """The dtype of `x` as a standard string such as 'float32'.

    Example:
        >>> dtype(convert_to_tensor([1, 2]))
        'int32'
    """
    if not hasattr(x, "dtype"):
        x = convert_to_tensor(x)
    return _standardize_dtype(x.dtype)


def stop_gradient(variable):
    """Returns `variable`'s value cut out of the graph: no gradient flows through it.

    Example:
        >>> stop_gradient([1.0]).numpy()
        array([1.], dtype=float32)
    """
    return _stop_gradient(variable)


def saturate_cast(x, dtype):
    """Casts to `dtype`, first clipping `x` to the range `dtype` can hold (so 300.0 -> uint8 is 255).

    Example:
        >>> saturate_cast([-1.0, 256.0], "uint8").numpy()
        array([  0, 255], dtype=uint8)
    """
    x = convert_to_tensor(x)
    dtype = _standardize_dtype(dtype)
    src = _np.dtype(x.dtype)

    def limits(d):
        d = _np.dtype(d)
        if d.kind == "b":
            return 0, 1
        info = _np.iinfo(d) if d.kind in "iu" else _np.finfo(d)
        return info.min, info.max
    (in_lo, in_hi), (out_lo, out_hi) = limits(src), limits(dtype)
    if src.kind == "b":
        return cast(x, dtype)
    # The bounds in the input's dtype, nudged inwards where rounding would push them past the target's.
    lo, hi = _np.array(max(in_lo, out_lo)).astype(src), _np.array(min(in_hi, out_hi)).astype(src)
    if lo < out_lo:
        lo = _np.nextafter(lo, 0, dtype=src)
    if hi > out_hi:
        hi = _np.nextafter(hi, 0, dtype=src)
    with _errstate(invalid="ignore"):
        return cast(_m.clip(x, lo, hi), dtype)


# -- control flow ------------------------------------------------------------------------------------
def cond(pred, true_fn, false_fn):
    """`true_fn()` if `pred` else `false_fn()`.

    Example:
        >>> cond(convert_to_tensor(True), lambda: 1.0, lambda: 2.0)
        1.0
    """
    return true_fn() if bool(convert_to_numpy(pred)) else false_fn()


def switch(index, branches, *operands):
    """`branches[index](*operands)`, with `index` clamped to the valid range.

    Example:
        >>> switch(5, [lambda x: x + 1, lambda x: x * 10], 2)
        20
    """
    i = int(convert_to_numpy(index))
    return branches[_builtins.min(_builtins.max(i, 0), len(branches) - 1)](*operands)


def while_loop(cond, body, loop_vars, maximum_iterations=None):
    """Runs `loop_vars = body(*loop_vars)` while `cond(*loop_vars)` holds, at most `maximum_iterations` times.

    A tuple or list of loop variables is passed unpacked and returned as a tuple; a single
    variable is passed and returned alone.

    Example:
        >>> while_loop(lambda i: i < 10, lambda i: i * 3, 1)
        27
    """
    several = isinstance(loop_vars, (tuple, list))
    values = tuple(loop_vars) if several else (loop_vars,)
    done = 0
    while (maximum_iterations is None or done < maximum_iterations) and bool(convert_to_numpy(cond(*values))):
        values = body(*values)
        values = tuple(values) if isinstance(values, (tuple, list)) else (values,)
        done += 1
    return values if several else values[0]


def fori_loop(lower, upper, body_fun, init_val):
    """Runs `val = body_fun(i, val)` for `i` in `range(lower, upper)`; returns `val`.

    Example:
        >>> fori_loop(0, 4, lambda i, total: total + i, 0)
        6
    """
    value = init_val
    for i in range(int(convert_to_numpy(lower)), int(convert_to_numpy(upper))):
        value = body_fun(i, value)
    return value


def _leading(xs, i):
    return _tree.map_structure(lambda x: _s.getitem(x, i), xs)


def _stack(structures):
    """Stacks a list of like structures leaf by leaf (differentiable)."""
    leaves = [_tree.flatten(s) for s in structures]
    stacked = [_s.stack([convert_to_tensor(leaf[j]) for leaf in leaves]) for j in range(len(leaves[0]))]
    return _tree.pack_sequence_as(structures[0], stacked)


def scan(f, init, xs=None, length=None, reverse=False, unroll=1):
    """Loops `carry, y = f(carry, x)` over the leading axis of `xs`; returns `(carry, stacked ys)`.

    The ys are stacked leaf by leaf; when `f` returns None for `y`, the second result is None (as with
    JAX's `lax.scan`).

    Args:
        f: `f(carry, x) -> (carry, y)`; `carry` keeps its structure, `y` may be None.
        init: the first carry (a tensor or a structure of them).
        xs: what to loop over (a tensor or a structure of them, sliced on axis 0), or None.
        length: the number of steps when `xs` is None (or a check of its length).
        reverse: if True, loop from the last element to the first (ys stay in input order).
        unroll: accepted for Keras compatibility (a compiler hint; numkeras runs eagerly).

    Example:
        >>> carry, ys = scan(lambda c, x: (c + x, c * x), 0.0, convert_to_tensor([1.0, 2.0, 3.0]))
        >>> float(carry), ys.numpy()
        (6.0, array([0., 2., 9.], dtype=float32))
    """
    if not callable(f):
        raise TypeError(f"scan: `f` must be callable. Received: f={f!r}.")
    if isinstance(unroll, bool) is False and (not isinstance(unroll, int) or unroll < 1):
        raise ValueError(f"scan: `unroll` must be a positive int or a bool. Received: unroll={unroll!r}.")
    if xs is None and length is None:
        raise ValueError("scan: pass `xs` to loop over, or `length` for a loop without inputs.")
    if xs is not None:
        xs = _tree.map_structure(convert_to_tensor, xs)
        n = _tree.flatten(xs)[0].shape[0]
        if length is not None and int(length) != n:
            raise ValueError(f"scan: `length` ({length}) differs from the leading size of `xs` ({n}).")
    else:
        n = int(length)
    carry, ys = init, []
    for i in (reversed(range(n)) if reverse else range(n)):
        carry, y = f(carry, None if xs is None else _leading(xs, i))
        ys.append(y)
    if reverse:
        ys.reverse()
    if not ys or _builtins.all(y is None for y in ys):
        return carry, None
    return carry, _stack(ys)


def map(f, xs):  # noqa: A001 - Keras's name
    """`[f(x) for x in xs]` over the leading axis of `xs` (a tensor or a structure of them), stacked.

    Example:
        >>> map(lambda x: x * x, convert_to_tensor([1.0, 2.0, 3.0])).numpy()
        array([1., 4., 9.], dtype=float32)
    """
    xs = _tree.map_structure(convert_to_tensor, xs)
    n = _tree.flatten(xs)[0].shape[0]
    return _stack([f(_leading(xs, i)) for i in range(n)])


def vectorized_map(function, elements):
    """`function` applied to each slice of `elements` along axis 0, results stacked (a loop in numkeras).

    Example:
        >>> vectorized_map(lambda row: row * 2.0, convert_to_tensor([[1.0], [2.0]])).numpy()
        array([[2.],
               [4.]], dtype=float32)
    """
    return map(function, elements)


def associative_scan(f, elems, reverse=False, axis=0):
    """Inclusive prefix scan with an associative `f` along `axis`: `out[i] = f(out[i-1], elems[i])`.

    `f(a, b)` combines two equally shaped batches of elements elementwise (the earlier ones in `a`);
    it is called about `log2(n)` times on whole tensors (Hillis and Steele's doubling scan).

    Example:
        >>> associative_scan(lambda a, b: a + b, convert_to_tensor([1.0, 2.0, 3.0, 4.0])).numpy()
        array([ 1.,  3.,  6., 10.], dtype=float32)
    """
    if not callable(f):
        raise TypeError(f"associative_scan: `f` must be callable. Received: f={f!r}.")
    leaves = [convert_to_tensor(e) for e in _tree.flatten(elems)]
    axis = axis % leaves[0].ndim
    n = leaves[0].shape[axis]
    if _builtins.any(leaf.shape[axis] != n for leaf in leaves):
        raise ValueError("associative_scan: every element must have the same size along `axis`. Received "
                         f"shapes {[leaf.shape for leaf in leaves]} with axis={axis}.")

    def part(t, start, stop):
        return _s.getitem(t, (_builtins.slice(None),) * axis + (_builtins.slice(start, stop),))
    if reverse:
        leaves = [_s.flip(leaf, axis) for leaf in leaves]
    step = 1
    while step < n:
        earlier = _tree.pack_sequence_as(elems, [part(leaf, 0, n - step) for leaf in leaves])
        later = _tree.pack_sequence_as(elems, [part(leaf, step, n) for leaf in leaves])
        combined = _tree.flatten(f(earlier, later))
        leaves = [_s.concatenate([part(leaf, 0, step), convert_to_tensor(c)], axis=axis)
                  for leaf, c in zip(leaves, combined)]
        step *= 2
    if reverse:
        leaves = [_s.flip(leaf, axis) for leaf in leaves]
    return _tree.pack_sequence_as(elems, leaves)


# -- slices and scatters -----------------------------------------------------------------------------
def unstack(x, num=None, axis=0):
    """The slices of `x` along `axis`, as a list.

    Example:
        >>> [t.numpy() for t in unstack(convert_to_tensor([[1, 2], [3, 4]]), axis=1)]
        [array([1, 3], dtype=int32), array([2, 4], dtype=int32)]
    """
    x = convert_to_tensor(x)
    axis = axis % x.ndim
    if num is not None and num != x.shape[axis]:
        raise ValueError(f"unstack: `num` ({num}) differs from the size of axis {axis} ({x.shape[axis]}). "
                         f"Received: x.shape={x.shape}.")
    lead = (_builtins.slice(None),) * axis
    return [_s.getitem(x, lead + (i,)) for i in range(x.shape[axis])]


def _starts(start_indices, sizes, full, name):
    """Start indices as ints, moved back (as JAX's dynamic slices do) so each window fits."""
    starts = [int(s) for s in _np.ravel(convert_to_numpy(start_indices))]
    if len(starts) != len(full):
        raise ValueError(f"{name}: `start_indices` needs one entry per axis of the rank-{len(full)} input. "
                         f"Received: start_indices={starts}.")
    return [_builtins.min(_builtins.max(s, 0), n - k) for s, k, n in zip(starts, sizes, full)]


def slice(inputs, start_indices, shape):  # noqa: A001 - Keras's name
    """The block of `inputs` of size `shape` starting at `start_indices` (-1 in `shape`: to the end).

    Start indices are clamped so the block fits, as in JAX.

    Example:
        >>> slice(convert_to_tensor([[1, 2, 3], [4, 5, 6]]), (0, 1), (2, 2)).numpy()
        array([[2, 3],
               [5, 6]], dtype=int32)
    """
    inputs = convert_to_tensor(inputs)
    if len(shape) != inputs.ndim:
        raise ValueError(f"slice: `shape` needs one entry per axis of the rank-{inputs.ndim} input. "
                         f"Received: shape={tuple(shape)}.")
    raw = [int(s) for s in _np.ravel(convert_to_numpy(start_indices))]
    sizes = [n - s if int(k) == -1 else int(k) for k, n, s in zip(shape, inputs.shape, raw + [0] * len(shape))]
    if _builtins.any(k < 0 or k > n for k, n in zip(sizes, inputs.shape)):
        raise ValueError(f"slice: the block shape {tuple(shape)} does not fit in the input of shape {inputs.shape}.")
    starts = _starts(raw, sizes, inputs.shape, "slice")
    return _s.getitem(inputs, tuple(_builtins.slice(s, s + k) for s, k in zip(starts, sizes)))


def slice_update(inputs, start_indices, updates):
    """A copy of `inputs` with the block at `start_indices` replaced by `updates` (differentiable in both).

    Example:
        >>> slice_update(convert_to_tensor([0.0, 0.0, 0.0, 0.0]), [1], convert_to_tensor([5.0, 6.0])).numpy()
        array([0., 5., 6., 0.], dtype=float32)
    """
    inputs = convert_to_tensor(inputs)
    updates = cast(convert_to_tensor(updates), inputs.dtype)
    if updates.ndim != inputs.ndim or _builtins.any(k > n for k, n in zip(updates.shape, inputs.shape)):
        raise ValueError(f"slice_update: `updates` (shape {updates.shape}) must have the input's rank and fit "
                         f"inside it (shape {inputs.shape}).")
    starts = _starts(start_indices, updates.shape, inputs.shape, "slice_update")
    widths = [(s, n - s - k) for s, k, n in zip(starts, updates.shape, inputs.shape)]
    inside = _np.zeros(inputs.shape, dtype=bool)
    inside[tuple(_builtins.slice(s, s + k) for s, k in zip(starts, updates.shape))] = True
    return _m.where(inside, _pad_ops.pad(updates, widths), inputs)


def scatter_update(inputs, indices, updates, reduction=None):
    """A copy of `inputs` with `updates` written at `indices` (`inputs[indices] = updates`), or combined
    with the cell when `reduction` is "add", "max", "min" or "mul".

    `indices` has shape `(n, k)`; `updates` has shape `(n, *inputs.shape[k:])`. Without a reduction
    the last write to a repeated index wins.

    Example:
        >>> scatter_update(convert_to_tensor([0.0, 0.0, 0.0]), [[0], [0], [2]], [1.0, 1.0, 1.0],
        ...                reduction="add").numpy()
        array([2., 0., 1.], dtype=float32)
    """
    if isinstance(reduction, str):
        reduction = reduction.lower()
    return _scatter_update(convert_to_tensor(inputs), indices, updates, reduction)


__all__ = [name for name in dir() if not name.startswith("_")]
