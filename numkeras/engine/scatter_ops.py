"""Scatters: values written or combined into a tensor at index tuples, with their gradients.

Both ops take `indices` of shape `(..., k)`: each row names one cell of the first `k` axes of the
target, and the matching entry of the values is a slice of shape `target.shape[k:]`.

- `scatter(indices, values, shape)` adds the values into zeros of `shape` (repeated indices sum);
  its gradient gathers the output gradient at the indices.
- `scatter_update(inputs, indices, updates, reduction)` writes the updates into a copy of `inputs`
  (`reduction=None`: the last write of a repeated index wins) or combines them with the cell
  ("add", "max", "min", "mul"). The gradient goes to whichever value made each output cell: with
  None, overwritten inputs and losing updates get none; with "max"/"min", every value equal to the
  result gets it (ties share, as `maximum` gives it to both); with "mul", each factor gets the
  product of the others (computed as the product divided by the factor, so a zero update gives
  a non-finite gradient for its cell).

Example:
    >>> from numkeras.engine import scatter_ops
    >>> scatter_ops.scatter([[0], [2], [0]], [1.0, 2.0, 3.0], (4,)).numpy()
    array([4., 0., 2., 0.], dtype=float32)
"""
from numkeras.backend import errstate as _errstate
from numkeras.backend import scatter_add, xp
from numkeras.engine.tensor import as_tensor, make, unwrap

_REDUCTIONS = (None, "add", "max", "min", "mul")


def _index(indices, target_shape, values_shape, what):
    """The index tuple for fancy indexing, and the values reshaped to (rows, *slice shape)."""
    indices = xp.asarray(unwrap(indices))
    if indices.dtype.kind not in "iu" or indices.ndim < 1:
        raise ValueError(f"{what}: `indices` must be integers of shape (..., k). Received: dtype={indices.dtype}, "
                         f"shape={indices.shape}.")
    k = indices.shape[-1]
    if k > len(target_shape):
        raise ValueError(f"{what}: each index has {k} entries but the target has only {len(target_shape)} axes. "
                         f"Received: indices.shape={indices.shape}, target shape={tuple(target_shape)}.")
    rows = indices.reshape(-1, k)
    slice_shape = tuple(target_shape[k:])
    expected = indices.shape[:-1] + slice_shape
    if tuple(values_shape) != expected and tuple(values_shape) != (rows.shape[0],) + slice_shape:
        raise ValueError(f"{what}: the values must have shape {expected} (the indices' leading axes, then "
                         f"target shape[{k}:]). Received: {tuple(values_shape)}.")
    return tuple(rows.T), (rows.shape[0],) + slice_shape


def scatter(indices, values, shape):
    """Zeros of `shape` with `values` added at `indices` (repeated indices sum), differentiable in `values`."""
    values = as_tensor(values)
    shape = tuple(int(n) for n in shape)
    idx, rows_shape = _index(indices, shape, values.shape, "scatter")
    out = xp.zeros(shape, dtype=values.data.dtype)
    scatter_add(out, idx, values.data.reshape(rows_shape))
    vshape = values.data.shape
    return make(out, (values,), lambda g: (g[idx].reshape(vshape),))


def scatter_update(inputs, indices, updates, reduction=None):
    """A copy of `inputs` with `updates` written (or combined by `reduction`) at `indices`."""
    if reduction not in _REDUCTIONS:
        raise ValueError(f"scatter_update: `reduction` must be one of {_REDUCTIONS}. Received: "
                         f"reduction={reduction!r}.")
    inputs = as_tensor(inputs)
    updates = as_tensor(updates, dtype=inputs.data.dtype)
    idx, rows_shape = _index(indices, inputs.shape, updates.shape, "scatter_update")
    rows = updates.data.reshape(rows_shape)
    out = inputs.data.copy()
    if reduction is None:
        out[idx] = rows
    else:
        {"add": xp.add, "max": xp.maximum, "min": xp.minimum, "mul": xp.multiply}[reduction].at(out, idx, rows)
    ushape = updates.data.shape

    def vjp(g):
        gi = gu = None
        if reduction is None:
            # Which update row wrote each cell last: only that row gets the cell's gradient.
            owner = xp.full(inputs.shape[:len(idx)], -1)
            owner[idx] = xp.arange(rows_shape[0])
            if inputs.requires_grad:
                gi = g.copy()
                gi[idx] = 0
            if updates.requires_grad:
                won = (owner[idx] == xp.arange(rows_shape[0])).reshape((-1,) + (1,) * (len(rows_shape) - 1))
                gu = g[idx] * won
        elif reduction == "add":
            gi, gu = g, g[idx]
        elif reduction in ("max", "min"):
            gi = g * (inputs.data == out)
            gu = g[idx] * (rows == out[idx])
        else:  # mul
            product = xp.ones_like(out)
            xp.multiply.at(product, idx, rows)
            gi = g * product
            with _errstate(divide="ignore", invalid="ignore"):
                gu = g[idx] * inputs.data[idx] * product[idx] / rows
        return gi, None if gu is None else gu.reshape(ushape)
    return make(out, (inputs, updates), vjp)
