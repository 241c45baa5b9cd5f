"""The normalization primitive behind BatchNormalization, LayerNormalization and GroupNormalization.

`normalize` computes

    y = (x - mean) / sqrt(variance + epsilon) * scale + offset

as one op with one fused gradient. With `mean`/`variance` left out, they are
the statistics of `x` over `axes` (training-mode batch norm, layer norm,
group norm) and the gradient flows through them:

    dx = inv * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat))

where `xhat` is the normalized input, `inv = 1 / sqrt(variance + epsilon)`,
`dxhat = g * scale` and both means run over `axes`. Given statistics
(inference-mode batch norm) are constants, so `dx = dxhat * inv`.

The variance is taken in two passes (the mean first, then the mean of the
squared deviations), and float32 means accumulate in float64 (NumPy's
strided float32 sums drift), so float32 inputs far from zero keep their
precision; every result stays in the input's dtype.

With numba installed, statistics over the last axis alone (layer normalization) run as compiled row
loops (`normalization_kernels`) that give these numbers bit for bit; this NumPy code is the reference
and the path for every other case.

Example:
    >>> import numpy as np
    >>> from numkeras.engine.normalization_ops import normalize
    >>> y, mean, variance = normalize(np.array([[1.0, 3.0]], "float32"), axes=(1,), epsilon=0.0)
    >>> y.numpy(), mean.ravel(), variance.ravel()
    (array([[-1.,  1.]], dtype=float32), array([2.], dtype=float32), array([1.], dtype=float32))
"""
from numkeras.backend import errstate as _errstate
from numkeras.backend import backend_name, xp
from numkeras.engine import normalization_kernels, thread_pool
from numkeras.engine.tensor import as_tensor, make, unwrap


def _mean(a, axes):
    """Mean over `axes` with keepdims, accumulated in float64 and returned in `a`'s dtype."""
    if a.dtype.itemsize >= 8:
        return xp.mean(a, axis=axes, keepdims=True)
    return xp.mean(a, axis=axes, keepdims=True, dtype=xp.float64).astype(a.dtype)


def _variance(deviations, axes):
    """Mean of squared deviations; where the float32 squares overflow, redone in float64 and capped."""
    with _errstate(over="ignore"):
        variance = _mean(deviations * deviations, axes)
    if xp.isfinite(variance).all() or deviations.dtype.itemsize >= 8:
        return variance
    exact = xp.mean(xp.square(deviations, dtype=xp.float64), axis=axes, keepdims=True)
    return xp.minimum(exact, xp.finfo(deviations.dtype).max).astype(deviations.dtype)


def moments(x, axes):
    """Mean and biased variance of `x` over `axes`, both with keepdims (two-pass, stable)."""
    x = unwrap(x)
    mean = _mean(x, axes)
    return mean, _variance(x - mean, axes)


def normalize(x, axes, epsilon, scale=None, offset=None, mean=None, variance=None):
    """Normalizes `x`, then scales and shifts it; one op with a fused gradient.

    Args:
        x: the input tensor.
        axes: tuple of non-negative axes the statistics are taken over.
        epsilon: small float added to the variance.
        scale: optional tensor broadcastable to `x` (gamma).
        offset: optional tensor broadcastable to `x` (beta).
        mean, variance: optional given statistics broadcastable to `x` (e.g.
            moving averages). Left out, they are computed from `x` over `axes`
            and differentiated through. Pass both or neither.

    Returns:
        `(y, mean, variance)`: the output Tensor and the statistics used, as
        arrays shaped like `x` with size 1 on `axes` (or as given).
    """
    x = as_tensor(x)
    scale = None if scale is None else as_tensor(scale)
    offset = None if offset is None else as_tensor(offset)
    from_batch = mean is None
    threads = _row_threads(x.data, axes, from_batch, scale, offset)
    fused = _fused_forward(x.data, axes, epsilon, scale, offset) if from_batch else None
    if fused is not None:
        out, mean, variance, inv = fused
        return make(out, tuple(t for t in (x, scale, offset) if t is not None),
                    _fused_vjp(x, scale, offset, mean, inv, axes)), mean, variance
    if threads > 1:
        out, xhat, mean, variance, inv = _forward_by_rows(x.data, axes, epsilon, scale, offset, threads)
    elif from_batch:
        mean = _mean(x.data, axes)
        xhat = x.data - mean
        variance = _variance(xhat, axes)
    else:
        mean, variance = unwrap(mean), unwrap(variance)
        xhat = x.data - mean
    if threads <= 1:
        inv = 1 / xp.sqrt(variance + epsilon)
        xhat *= inv  # in place: `xhat` is a fresh array, kept for the gradient
        if scale is not None:
            out = xhat * scale.data
            if offset is not None:
                out += offset.data
        else:
            out = xhat if offset is None else xhat + offset.data
    parents = tuple(t for t in (x, scale, offset) if t is not None)
    count = 1
    for a in axes:
        count *= x.data.shape[a]
    # Batch norm: gamma and beta are constant over `axes`, so mean(dxhat * xhat) = gamma * mean(g * xhat)
    # and the sums behind their gradients are the very means dx needs: seven passes over the data, not eleven.
    per_channel = from_batch and all(p is None or _constant_over(p.data.shape, x.ndim, axes) for p in (scale, offset))

    def vjp(g):
        if per_channel:
            g_mean, gx_mean = _mean(g, axes), _mean(g * xhat, axes)
            dx = None
            if x.requires_grad:
                dx = g - g_mean
                dx -= xhat * gx_mean
                dx *= inv if scale is None else inv * scale.data
            grads = [dx, gx_mean * count, g_mean * count]  # summed over `axes`; the tape drops the size-1 axes
        else:
            if threads > 1 and x.requires_grad and g.dtype == xhat.dtype and g.flags.c_contiguous:
                dx, g_xhat = _backward_by_rows(g, xhat, inv, axes, scale, threads)
                return tuple(grad for grad, p in zip((dx, g_xhat, g), (x, scale, offset)) if p is not None)
            return _numpy_vjp(g, xhat, inv, axes, from_batch, x, scale, offset)
        return tuple(grad for grad, p in zip(grads, (x, scale, offset)) if p is not None)
    return make(out, parents, vjp), mean, variance


def _numpy_vjp(g, xhat, inv, axes, from_batch, x, scale, offset):
    """The gradients (one per tensor given among x, scale, offset) of a normalization whose scale and offset
    vary over `axes`, in NumPy: through the statistics when they came from `x` (`from_batch`)."""
    dx = None
    if x.requires_grad:
        dxhat = g if scale is None else g * scale.data
        if from_batch:
            dx = dxhat - _mean(dxhat, axes)
            dx -= xhat * _mean(dxhat * xhat, axes)
            dx *= inv
        else:
            dx = dxhat * inv
    grads = [dx, g * xhat if scale is not None and scale.requires_grad else None, g]
    return tuple(grad for grad, p in zip(grads, (x, scale, offset)) if p is not None)


def _fused_forward(x, axes, epsilon, scale, offset):
    """The compiled forward (`normalization_kernels`) for statistics over the last axis alone, or None."""
    if axes != (x.ndim - 1,):
        return None
    return normalization_kernels.forward(x, epsilon, None if scale is None else scale.data,
                                         None if offset is None else offset.data, threads=thread_pool.configured())


def _fused_vjp(x, scale, offset, mean, inv, axes):
    """The gradient of a forward the kernels ran: the compiled backward, else the NumPy one, from `xhat`
    recomputed with the forward's float operations."""
    def vjp(g):
        wants = (x.requires_grad, scale is not None and scale.requires_grad,
                 offset is not None and offset.requires_grad)
        got = normalization_kernels.backward(g, x.data, mean, inv, None if scale is None else scale.data, *wants,
                                             threads=thread_pool.configured())
        if got is not None:
            dx, dscale, doffset = got
            grads = (dx, None if dscale is None else dscale.reshape(scale.data.shape),
                     None if doffset is None else doffset.reshape(offset.data.shape))
            return tuple(grad for grad, p in zip(grads, (x, scale, offset)) if p is not None)
        return _numpy_vjp(g, (x.data - mean) * inv, inv, axes, True, x, scale, offset)
    return vjp


def _constant_over(shape, ndim, axes):
    """True when a parameter of `shape`, broadcast against rank `ndim`, has size 1 on every axis in `axes`."""
    lead = ndim - len(shape)
    return all(a < lead or shape[a - lead] == 1 for a in axes)


def _row_threads(x, axes, from_batch, scale, offset):
    """How many threads normalize `x`, each a slice of its first axis: more than one only for statistics over
    the other axes (layer and group normalization), NumPy arrays laid out in C order, one dtype throughout,
    and enough work; as many threads as BLAS may use (`thread_pool.configured`). Each row's numbers are then
    those of the one-thread code."""
    if not from_batch or 0 in axes or backend_name() != "numpy" or x.ndim < 2 or not x.flags.c_contiguous \
            or x.dtype.kind != "f" or x.size < thread_pool.PARALLEL_MIN_ELEMENTS:
        return 1
    for p in (scale, offset):
        if p is not None and (p.data.dtype != x.dtype or p.data.ndim > x.ndim):
            return 1
    return min(thread_pool.configured(), x.shape[0])


def _rows(p, ndim, lo, hi):
    """Rows lo:hi of a parameter broadcast against rank `ndim` (all of it where its first axis broadcasts)."""
    return p if p.ndim < ndim or p.shape[0] == 1 else p[lo:hi]


def _forward_by_rows(x, axes, epsilon, scale, offset, threads):
    """The forward of `normalize` with the statistics over `axes`, one slice of rows per thread."""
    stats_shape = tuple(1 if a in axes else d for a, d in enumerate(x.shape))
    out, xhat = xp.empty_like(x), xp.empty_like(x)
    mean, variance, inv = (xp.empty(stats_shape, x.dtype) for _ in range(3))

    def rows(lo, hi):
        m = _mean(x[lo:hi], axes)
        xh = xp.subtract(x[lo:hi], m, out=xhat[lo:hi])
        v = _variance(xh, axes)
        iv = 1 / xp.sqrt(v + epsilon)
        xh *= iv
        mean[lo:hi], variance[lo:hi], inv[lo:hi] = m, v, iv
        if scale is not None:
            o = xp.multiply(xh, _rows(scale.data, x.ndim, lo, hi), out=out[lo:hi])
            if offset is not None:
                o += _rows(offset.data, x.ndim, lo, hi)
        elif offset is not None:
            xp.add(xh, _rows(offset.data, x.ndim, lo, hi), out=out[lo:hi])
    thread_pool.parallel(rows, x.shape[0], x.size, threads=threads)
    return (xhat if scale is None and offset is None else out), xhat, mean, variance, inv


def _backward_by_rows(g, xhat, inv, axes, scale, threads):
    """`dx` and `g * xhat` (the scale's gradient before the tape sums it) for statistics taken over `axes`,
    one slice of rows per thread, each computed as the one-thread code computes it."""
    dx = xp.empty_like(xhat)
    g_xhat = xp.empty_like(xhat) if scale is not None and scale.requires_grad else None

    def rows(lo, hi):
        gs, xh = g[lo:hi], xhat[lo:hi]
        dxhat = gs if scale is None else gs * _rows(scale.data, xhat.ndim, lo, hi)
        d = xp.subtract(dxhat, _mean(dxhat, axes), out=dx[lo:hi])
        d -= xh * _mean(dxhat * xh, axes)
        d *= inv[lo:hi]
        if g_xhat is not None:
            xp.multiply(gs, xh, out=g_xhat[lo:hi])
    thread_pool.parallel(rows, xhat.shape[0], xhat.size, threads=threads)
    return dx, g_xhat
