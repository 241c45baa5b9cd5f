"""Max and average pooling over 1, 2 or 3 spatial axes, with their gradients.

Geometry follows Keras (TF/JAX): 'valid' keeps only whole windows
(`out = (n - k) // s + 1`); 'same' gives `out = ceil(n / s)` and pads
`max((out - 1) * s + k - n, 0)` cells, the smaller half before. Average
pooling with 'same' divides by the number of real (unpadded) cells in each
window, as Keras does; max pooling never picks a padded cell.

Two paths, both vectorized over pixels (Python loops only run over the
k1*k2*... offsets inside one window):
- strides == pool_size (the common 2x2 tiling): pad or crop to whole tiles,
  reshape each spatial axis n -> (out, k) and fold the k axes with a ufunc.
- any other geometry: `sliding_window_view` gives every window as a view.

Max-pooling gradient: each window sends its whole gradient to ONE input cell,
the first maximal cell in row-major order within the window, as TF's
MaxPoolGrad and Keras do (not shared among tied cells; `ops.max` does share).

Example:
    >>> import numpy as np
    >>> from numkeras.engine import pool_ops
    >>> x = np.arange(16, dtype="float32").reshape(1, 4, 4, 1)
    >>> pool_ops.max_pool(x, (2, 2)).numpy()[0, :, :, 0]
    array([[ 5.,  7.],
           [13., 15.]], dtype=float32)
"""
import itertools
import math

from numkeras.backend import floatx, xp
from numkeras.engine import pool_kernels
from numkeras.engine.tape import Donated
from numkeras.engine.tensor import as_tensor, make

_sliding_window_view = xp.lib.stride_tricks.sliding_window_view


def spatial_axes(ndim, data_format="channels_last"):
    """The spatial axes of a (batch, ..., channels) or (batch, channels, ...) array."""
    return tuple(range(1, ndim - 1)) if data_format == "channels_last" else tuple(range(2, ndim))


def pool_output_length(n, k, s, padding):
    """Output length along one axis (None stays None); 0 or less means the pool does not fit."""
    if n is None:
        return None
    return (n - k) // s + 1 if padding == "valid" else -(-n // s)


def max_pool(x, pool_size, strides=None, padding="valid", data_format="channels_last"):
    """Max pooling: the largest value of each window.

    Args:
        x: array of shape (batch, *spatial, channels) (or channels first).
        pool_size: one int per spatial axis.
        strides: one int per spatial axis. Defaults to `pool_size`.
        padding: "valid" or "same". Defaults to "valid".
        data_format: "channels_last" (default) or "channels_first".

    Returns:
        The pooled Tensor, same dtype as `x`.
    """
    return _pool(x, pool_size, strides, padding, data_format, "max")


def average_pool(x, pool_size, strides=None, padding="valid", data_format="channels_last"):
    """Average pooling: the mean of each window's real (unpadded) cells.

    Args: as `max_pool`.

    Returns:
        The pooled Tensor; integer inputs give floatx.
    """
    return _pool(x, pool_size, strides, padding, data_format, "average")


def _per_axis(value, count):
    """An int applies to every spatial axis, as in Keras's ops; a sequence gives one value per axis."""
    return (int(value),) * count if isinstance(value, (int, xp.integer)) else tuple(int(v) for v in value)


class _Geometry:
    """Where the windows lie: per spatial axis the size, pool, stride, output length and padding."""

    def __init__(self, shape, pool_size, strides, padding, data_format):
        self.axes = spatial_axes(len(shape), data_format)
        self.data_format = data_format
        self.pool = _per_axis(pool_size, len(self.axes))
        self.strides = self.pool if strides is None else _per_axis(strides, len(self.axes))
        if len(self.pool) != len(self.axes) or len(self.strides) != len(self.axes):
            raise ValueError(f"Pooling a rank-{len(shape)} input needs {len(self.axes)} pool sizes and strides. "
                             f"Received: pool_size={pool_size}, strides={strides}, input shape={shape}.")
        self.sizes = tuple(shape[a] for a in self.axes)
        self.out = tuple(pool_output_length(n, k, s, padding)
                         for n, k, s in zip(self.sizes, self.pool, self.strides))
        if min(self.out) <= 0:
            raise ValueError(f"Pooling with pool_size={self.pool}, strides={self.strides}, padding={padding!r} "
                             f"does not fit the input of shape {shape} (spatial axes {self.sizes}): the output "
                             f"would be empty. Use padding='same' or a smaller pool_size.")
        if padding == "same":
            totals = [max((o - 1) * s + k - n, 0) for n, k, s, o in zip(self.sizes, self.pool, self.strides, self.out)]
        else:
            totals = [0] * len(self.axes)
        self.before = tuple(t // 2 for t in totals)
        self.tiled = self.strides == self.pool  # windows tile the input: the reshape path
        self.overlap = any(s < k for s, k in zip(self.strides, self.pool))  # windows share cells

    def extents(self, shape):
        """Per-axis (before, after) so the input covers exactly the windows: negative `after` crops."""
        widths = [(0, 0)] * len(shape)
        for a, b, n, k, s, o in zip(self.axes, self.before, self.sizes, self.pool, self.strides, self.out):
            widths[a] = (b, (o - 1) * s + k - n - b)
        return widths

    def split_shape(self, shape):
        """`shape` with every spatial axis n split into (out, pool)."""
        split = list(shape)
        for a, o, k in sorted(zip(self.axes, self.out, self.pool), reverse=True):
            split[a:a + 1] = [o, k]
        return tuple(split)

    def window_axes(self):
        """Positions of the pool axes in `split_shape`."""
        return tuple(a + i + 1 for i, a in enumerate(self.axes))

    def offsets(self, ndim):
        """Index tuples, one per cell of a window, picking that cell of every window (row-major order).

        They index the split layout when tiled, else the padded input; `ndim` is that array's rank.
        """
        for cell in itertools.product(*(range(k) for k in self.pool)):
            index = [slice(None)] * ndim
            if self.tiled:
                for w, c in zip(self.window_axes(), cell):
                    index[w] = c
            else:
                for a, c, s, o in zip(self.axes, cell, self.strides, self.out):
                    index[a] = slice(c, c + (o - 1) * s + 1, s)
            yield tuple(index)

    def counts(self, ndim, dtype):
        """Real cells per window, shaped to broadcast over the output (a scalar when none is padded)."""
        if not any(self.before) and all((o - 1) * s + k <= n for n, k, s, o in
                                        zip(self.sizes, self.pool, self.strides, self.out)):
            return math.prod(self.pool)
        count = xp.ones((1,) * ndim)
        for a, b, n, k, s, o in zip(self.axes, self.before, self.sizes, self.pool, self.strides, self.out):
            start = xp.arange(o) * s - b
            shape = [1] * ndim
            shape[a] = o
            count = count * (xp.minimum(start + k, n) - xp.maximum(start, 0)).reshape(shape)
        return count.astype(dtype)


def _resize(a, widths, fill):
    """Pads (positive widths) and crops (negative widths) each axis."""
    crop = tuple(slice(-min(b, 0), a.shape[i] + min(e, 0)) for i, (b, e) in enumerate(widths))
    a = a[crop]
    pads = [(max(b, 0), max(e, 0)) for b, e in widths]
    return xp.pad(a, pads, constant_values=fill) if any(p != (0, 0) for p in pads) else a


def _fold(a, axes, ufunc):
    """Reduces `axes` of `a` with a binary ufunc, one slice at a time (fast on short axes)."""
    for axis in sorted(axes, reverse=True):
        head = (slice(None),) * axis
        acc = a[head + (0,)]
        for i in range(1, a.shape[axis]):
            acc = ufunc(acc, a[head + (i,)], out=None if i == 1 else acc)
        a = acc
    return a if a.flags.owndata else a.copy()  # a pool of ones would else return a view of the input


def _lowest(dtype):
    return -xp.inf if dtype.kind == "f" else xp.iinfo(dtype).min


def _pool(x, pool_size, strides, padding, data_format, mode):
    x = as_tensor(x)
    padding = str(padding).lower()
    if padding not in ("valid", "same"):
        raise ValueError(f"Pooling padding must be 'valid' or 'same'. Received: padding={padding!r}.")
    data = x.data
    if mode == "average" and data.dtype.kind != "f":
        data = data.astype(floatx())
    geo = _Geometry(data.shape, pool_size, strides, padding, data_format)
    fill = _lowest(data.dtype) if mode == "max" else 0
    widths = geo.extents(data.shape)
    ufunc = xp.maximum if mode == "max" else xp.add
    # Tiled 2-D max pooling can run compiled, on the input padded ('same') but never cropped: the loops
    # skip the edge that no window covers. (Without the kernels, the NumPy path pads on its own.)
    tiled_2d_max = mode == "max" and geo.tiled and len(geo.axes) == 2 and pool_kernels.ready()
    uncropped_widths = [(b, max(e, 0)) for b, e in widths]  # padded, never cropped
    uncropped = _resize(data, uncropped_widths, fill) if tiled_2d_max else None
    found = pool_kernels.max_2d(uncropped, geo.pool, geo.data_format) if tiled_2d_max else None
    out, cells = (None, None) if found is None else found
    source = None  # the NumPy path's view of the windows
    if out is None and geo.tiled:
        source = _resize(data, widths, fill).reshape(geo.split_shape(
            [n + b + e for n, (b, e) in zip(data.shape, widths)]))
        out = _fold(source, geo.window_axes(), ufunc)
    elif out is None:
        widths = uncropped_widths  # cells past the last window are simply not read
        source = _resize(data, widths, fill)
        windows = _sliding_window_view(source, geo.pool, axis=geo.axes)
        index = [slice(None)] * windows.ndim
        for a, s, o in zip(geo.axes, geo.strides, geo.out):
            index[a] = slice(None, (o - 1) * s + 1, s)  # every s-th window start
        windows = windows[tuple(index)]
        out = _fold(windows, range(data.ndim, windows.ndim), ufunc)
    if mode == "average":
        out = out / geo.counts(out.ndim, out.dtype)

    resized = [n + b + e for n, (b, e) in zip(data.shape, widths)]
    split = geo.split_shape(resized) if geo.tiled else source.shape

    def vjp(g):
        nonlocal source
        if tiled_2d_max:
            # The cells the compiled forward pass chose, else a pass over the input.
            grad = None if cells is None else pool_kernels.max_grad_from_cells(cells, g, uncropped.shape, geo.pool)
            if grad is None:
                grad = pool_kernels.max_grad_2d(uncropped, out, g, geo.pool, geo.data_format)
            if grad is not None:
                return (Donated(_resize(grad, [(-b, -e) for b, e in uncropped_widths], 0)),)
        if mode == "average":  # its gradient needs only shapes
            grad = _average_grad(geo, split, g)
        else:
            if source is None:  # the forward pass ran compiled
                source = _resize(data, widths, fill).reshape(split)
            grad = _max_grad(geo, source, out, g)
        if geo.tiled:
            grad = grad.reshape(resized)
        grad = _resize(grad, [(-b, -e) for b, e in widths], 0)
        # Max pooling's gradient is a new array (average pooling's may be a read-only broadcast view).
        return (Donated(grad) if mode == "max" else grad,)
    return make(out, (x,), vjp)


def _max_grad(geo, source, out, g):
    """Each window's gradient to one cell: its first maximal cell in row-major order."""
    grad = (xp.zeros if geo.overlap or not geo.tiled else xp.empty)(source.shape, g.dtype)
    taken = xp.zeros(g.shape, bool)
    hit = xp.empty(g.shape, bool)
    for index in geo.offsets(source.ndim):
        xp.equal(source[index], out, out=hit)
        xp.greater(hit, taken, out=hit)  # a maximum, and none found earlier in this window
        xp.logical_or(taken, hit, out=taken)
        if geo.overlap:  # windows share cells: their gradients add
            grad[index] += hit * g
        else:
            xp.multiply(hit, g, out=grad[index])
    return grad


def _average_grad(geo, shape, g):
    """Each window's gradient shared evenly among its real cells."""
    g = g / geo.counts(g.ndim, g.dtype)
    if geo.tiled:  # one broadcast: every cell of a tile gets its tile's share
        return xp.broadcast_to(xp.expand_dims(g, geo.window_axes()), shape)
    grad = xp.zeros(shape, g.dtype)
    for index in geo.offsets(len(shape)):
        grad[index] += g
    return grad
