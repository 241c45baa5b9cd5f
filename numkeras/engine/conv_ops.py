"""Convolution primitives (1-D, 2-D, 3-D) and their gradients, built on BLAS.

Everything here works channels_last internally: inputs `(batch, *spatial,
channels)`, kernels `(*kernel_size, channels // groups, filters)` as in
Keras. `data_format="channels_first"` transposes at the edges.

How a convolution runs (no Python loop over pixels):
  * forward: `sliding_window_view` gives every window of the (padded) input
    as a view; one copy turns a chunk of them into the patch matrix
    `(positions, kernel_taps * channels)` (im2col) and one matmul with the
    kernel matrix gives the output.
  * kernel gradient: `patches.T @ output_gradient`, a matmul.
  * input gradient (the "transposed convolution"): `output_gradient @
    kernel.T` gives per-window gradients, added back into the input with
    one strided add per kernel tap (col2im); with many channels the
    gradients are laid out tap-major so each add runs over contiguous rows.
  * the copies and adds around the matmuls run on numkeras's worker
    threads (`thread_pool`), each on a slice of the batch.
  * groups: the same with a stack of `groups` matmuls.

Memory bound: the batch is cut into chunks whose patch matrix fits a
budget (`conv_plan`); the other temporaries are input- or output-sized.
When the whole batch fits in one chunk the forward pass keeps its patches
for the kernel gradient (saving an im2col), and the input gradient reuses
that buffer.

Example:
    >>> import numpy as np
    >>> from numkeras.engine import conv_ops
    >>> x = np.ones((1, 5, 5, 1), "float32")
    >>> conv_ops.conv(x, np.ones((3, 3, 1, 2), "float32")).shape
    (1, 3, 3, 2)
"""
from numkeras.backend import xp
from numkeras.engine import conv_kernels, nn_ops, shape_ops
from numkeras.engine.conv_plan import ConvPlan, as_tuple, buffer_view, conv_pads
from numkeras.engine.tape import Donated, overwritable
from numkeras.engine.tensor import _Recording, as_tensor, make
from numkeras.engine.thread_pool import parallel

TAP_MAJOR_CHANNELS = 8  # from this many input channels (groups=1) the input gradient goes tap by tap


def _pad(x, pads):
    """Zero-pads the spatial axes; a negative `hi` crops instead."""
    if all(p == (0, 0) for p in pads):
        return x
    keep = (slice(None),) + tuple(slice(0, n + min(hi, 0)) for n, (_, hi) in zip(x.shape[1:-1], pads))
    out = xp.zeros((x.shape[0],) + tuple(n + lo + hi for n, (lo, hi) in zip(x.shape[1:-1], pads))
                   + (x.shape[-1],), x.dtype)
    inner = (slice(None),) + tuple(slice(lo, lo + n + min(hi, 0)) for n, (lo, hi) in zip(x.shape[1:-1], pads))
    out[inner] = x[keep]
    return out


def _im2col(plan, x, buf):
    """Copies every window of `x` (a chunk) into `buf`; returns it as `(groups, rows, kdim)`, or
    `(1, rows, kdim + 1)` ending in a column of ones where `plan.ones_row`."""
    rows = x.shape[0] * plan.positions
    if plan.pointwise:
        return xp.ascontiguousarray(x).reshape(1, rows, plan.channels)
    r = plan.rank
    padded = _pad(x, plan.pads)
    if plan.ones_row:  # one channel: tap-major, a block copy per tap, read through a transposed view
        taps = buffer_view(buf, (plan.taps + 1, x.shape[0]) + plan.out_spatial)
        for t, tap in enumerate(xp.ndindex(*plan.kernel_size)):
            taps[t] = padded[_region(plan, tap) + (0,)]
        taps[plan.taps] = 1
        return taps.reshape(plan.taps + 1, rows).T[None]
    dst = buffer_view(buf, (plan.groups, x.shape[0]) + plan.out_spatial + plan.kernel_size + (plan.group_channels,))
    if plan.groups == 1 and r == 2 and conv_kernels.im2col_2d(
            padded, dst[0], plan.strides, plan.dilation) is not None:
        return dst.reshape(plan.groups, rows, plan.patch_size)
    win = xp.lib.stride_tricks.sliding_window_view(padded, plan.span, axis=tuple(range(1, r + 1)))
    pick = ((slice(None),) + tuple(slice(0, (o - 1) * s + 1, s) for o, s in zip(plan.out_spatial, plan.strides))
            + (slice(None),) + tuple(slice(None, None, d) for d in plan.dilation))
    win = xp.moveaxis(win[pick], r + 1, -1)  # (n, *out, *k, channels): taps then channels, like the kernel
    win = xp.moveaxis(win.reshape(win.shape[:-1] + (plan.groups, plan.group_channels)), -2, 0)
    parallel(lambda a, b: xp.copyto(dst[:, a:b], win[:, a:b]), x.shape[0], dst.size)
    return dst.reshape(plan.groups, rows, plan.patch_size)


def _region(plan, tap):
    """Where kernel tap `tap` reads in the padded input: one strided slice per spatial axis."""
    return (slice(None),) + tuple(slice(t * d, t * d + (o - 1) * s + 1, s)
                                  for t, d, o, s in zip(tap, plan.dilation, plan.out_spatial, plan.strides))


def _col2im(plan, windows, rows, by_tap):
    """Adds per-window gradients back into a zero padded input gradient, one strided add per kernel tap.

    `windows` is `(taps, rows, *out, channels)` when `by_tap` (each add then
    runs over whole contiguous rows), else `(groups, rows, *out, *kernel_size, group_channels)`.
    """
    last = (plan.channels,) if by_tap else (plan.groups, plan.group_channels)
    dx = xp.zeros((rows,) + plan.padded + last, plan.dtype)
    if not by_tap and plan.groups == 1 and plan.rank == 2 and conv_kernels.col2im_2d(
            windows[0], dx.reshape(dx.shape[:-2] + (plan.channels,)), plan.strides, plan.dilation) is not None:
        return dx.reshape((rows,) + plan.padded + (plan.channels,))  # one compiled pass (numba)
    lead = (slice(None),) * (plan.rank + 1)

    def add(a, b):
        part = dx[a:b]
        for t, tap in enumerate(xp.ndindex(*plan.kernel_size)):  # per kernel tap, never per pixel
            src = windows[t, a:b] if by_tap else xp.moveaxis(windows[(slice(None), slice(a, b)) + lead[1:] + tap],
                                                             0, -2)
            part[_region(plan, tap)] += src
    parallel(add, rows, windows.size)
    return dx.reshape((rows,) + plan.padded + (plan.channels,))


def _crop(plan, dxp):
    """The part of a padded input gradient that belongs to the unpadded input."""
    inner = (slice(None),) + tuple(slice(lo, lo + n + min(hi, 0)) for n, (lo, hi) in zip(plan.spatial, plan.pads))
    if all(hi >= 0 for _, hi in plan.pads):
        return dxp[inner]
    out = xp.zeros((dxp.shape[0],) + plan.spatial + (plan.channels,), dxp.dtype)
    out[(slice(None),) + tuple(slice(0, n + min(hi, 0)) for n, (_, hi) in zip(plan.spatial, plan.pads))] = dxp[inner]
    return out


def _forward(plan, x, kernel, bias=None, keep=False, relu=False):
    """Returns the convolution of `x` with `kernel` (+ bias, then relu), and the patches when `keep` and one chunk."""
    y = xp.empty((plan.batch,) + plan.out_spatial + (plan.filters,), plan.dtype)
    y2 = y.reshape(-1, plan.filters)
    w = plan.kernel_matrix(kernel)
    buf = None if plan.pointwise else plan.new_buffer()
    cols = None
    for start, stop in plan.chunks():
        cols = _im2col(plan, x[start:stop], buf)
        rows = slice(start * plan.positions, stop * plan.positions)
        if plan.groups == 1:  # 2-D matmuls: NumPy's surest path to BLAS
            xp.matmul(cols[0, :, :plan.patch_size], w[0], out=y2[rows])
        else:
            plan.grouped(y2[rows])[...] = xp.matmul(cols, w)
    if relu and bias is not None:
        nn_ops.add_bias_relu(y2, bias)
    elif bias is not None:
        y2 += bias
    elif relu:
        xp.maximum(y, 0, out=y)
    return y, (cols if keep and plan.chunk >= plan.batch else None)


def _kernel_grad(plan, x, g, cols=None):
    """d(loss)/d(kernel) = patches.T @ g, accumulated over chunks; and d(loss)/d(bias) where the patches
    end in a column of ones (`plan.ones_row`), else None."""
    g2 = g.reshape(-1, plan.filters)
    reuse = cols is not None and plan.chunk >= plan.batch
    buf = None if reuse or plan.pointwise else plan.new_buffer()
    dw = None
    for start, stop in plan.chunks():
        patches = cols if reuse else _im2col(plan, x[start:stop], buf)
        g_chunk = g2[start * plan.positions:stop * plan.positions]
        part = (xp.matmul(patches[0].T, g_chunk)[None] if plan.groups == 1 else
                xp.matmul(patches.transpose(0, 2, 1), plan.grouped(g_chunk)))
        dw = part if dw is None else dw + part
    db = dw[0, plan.patch_size] if plan.ones_row else None
    dw = dw[:, :plan.patch_size].transpose(1, 0, 2)
    return dw.reshape(plan.kernel_size + (plan.group_channels, plan.filters)), db


def _input_grad(plan, g, kernel, buf=None):
    """d(loss)/d(x), a transposed convolution: per-window gradients `g @ kernel.T` added back (col2im)."""
    g2 = g.reshape(-1, plan.filters)
    if plan.pointwise:
        dx = xp.matmul(g2, kernel.reshape(plan.channels, plan.filters).T)
        return dx.reshape((plan.batch,) + plan.spatial + (plan.channels,))
    # Tap-major needs a matmul per tap, for NumPy's adds to run over contiguous rows; the compiled col2im
    # reads the window-major layout that one larger (faster) matmul gives.
    by_tap = plan.groups == 1 and plan.channels >= TAP_MAJOR_CHANNELS and not (
        plan.rank == 2 and conv_kernels.col2im_ready(plan.dtype))
    if by_tap:  # (taps, filters, channels): one matmul per tap gives that tap's window gradients
        wt = kernel.reshape(plan.taps, plan.channels, plan.filters).transpose(0, 2, 1)
    else:
        wt = plan.kernel_matrix(kernel).transpose(0, 2, 1)
    if buf is None:  # else the forward patches' memory: the same size either way
        buf = plan.new_buffer()
    dx = None
    for start, stop in plan.chunks():
        rows = stop - start
        g_chunk = g2[start * plan.positions:stop * plan.positions]
        windows = buffer_view(buf, ((plan.taps, rows) + plan.out_spatial + (plan.channels,)) if by_tap else
                              ((plan.groups, rows) + plan.out_spatial + plan.kernel_size + (plan.group_channels,)))
        if by_tap:
            flat = windows.reshape(plan.taps, rows * plan.positions, plan.channels)
            for t in range(plan.taps):
                xp.matmul(g_chunk, wt[t], out=flat[t])
        elif plan.groups == 1:
            xp.matmul(g_chunk, wt[0], out=windows.reshape(rows * plan.positions, plan.patch_size))
        else:
            xp.matmul(plan.grouped(g_chunk), wt,
                      out=windows.reshape(plan.groups, rows * plan.positions, plan.patch_size))
        part = _crop(plan, _col2im(plan, windows, rows, by_tap))
        if plan.chunk >= plan.batch:
            return part
        if dx is None:
            dx = xp.empty((plan.batch,) + plan.spatial + (plan.channels,), plan.dtype)
        dx[start:stop] = part
    return dx


# -- the differentiable ops --------------------------------------------------
def _inputs(x, kernel, bias, rank_name):
    kernel = as_tensor(kernel)
    x = as_tensor(x)
    if x.data.dtype.kind not in "fc":  # int images: compute in the kernel's float type
        x = as_tensor(x, dtype=kernel.data.dtype)
    bias = None if bias is None else as_tensor(bias)
    if x.ndim != kernel.ndim:
        raise ValueError(f"{rank_name}: the input must have rank {kernel.ndim} (batch, {kernel.ndim - 2} spatial "
                         f"axes, channels) to match the kernel of shape {kernel.shape}. Received: input shape "
                         f"{x.shape}.")
    return x, kernel, bias


def _to_last(x, data_format):
    if data_format in (None, "channels_last"):
        return x
    if data_format != "channels_first":
        raise ValueError(f"`data_format` must be 'channels_last' or 'channels_first'. "
                         f"Received: data_format={data_format!r}.")
    return shape_ops.transpose(x, (0,) + tuple(range(2, x.ndim)) + (1,))


def _from_last(y, data_format):
    if data_format in (None, "channels_last"):
        return y
    return shape_ops.transpose(y, (0, y.ndim - 1) + tuple(range(1, y.ndim - 1)))


def _bias_grad(g):
    """The gradient's sum over every position: a row of ones times it, so BLAS does it on every core.

    (`sum(axis=0)` over a tall `(positions, filters)` matrix runs a short loop per row: several times slower.)
    """
    g2 = g.reshape(-1, g.shape[-1])
    return xp.matmul(xp.ones(g2.shape[0], g2.dtype), g2)


def conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1, bias=None, relu=False):
    """N-d convolution (cross-correlation, as in Keras) with an optional fused bias (and relu).

    Args:
        inputs: `(batch, *spatial, channels)` (or channels first).
        kernel: `(*kernel_size, channels // groups, filters)`; the number of
            groups is `channels // kernel.shape[-2]`.
        strides: int or tuple. Defaults to 1.
        padding: "valid", "same", "causal" or explicit `(lo, hi)` pairs.
            Defaults to "valid".
        data_format: "channels_last" (default) or "channels_first".
        dilation_rate: int or tuple. Defaults to 1.
        bias: optional `(filters,)` vector added to the output.
        relu: if True, `max(., 0)` in place on the output, and the gradient
            masked in the same node (a Conv layer with activation="relu").

    Returns:
        A Tensor `(batch, *output_spatial, filters)`.
    """
    x, kernel, bias = _inputs(inputs, kernel, bias, "conv")
    x = _to_last(x, data_format)
    rank = kernel.ndim - 2
    strides = as_tuple(strides, rank, "strides", "conv")
    dilation = as_tuple(dilation_rate, rank, "dilation_rate", "conv")
    pads = conv_pads(x.shape[1:-1], kernel.shape[:-2], strides, dilation, padding)
    plan = ConvPlan(x.shape, kernel.shape, strides, dilation, pads, xp.result_type(x.data, kernel.data), "conv")
    keep = bool(_Recording.depth) and kernel.requires_grad
    y, cols = _forward(plan, x.data, kernel.data, None if bias is None else bias.data, keep, relu)

    def vjp(g):
        nonlocal cols
        if relu:
            g = nn_ops.relu_gradient(g, y, in_place=overwritable(g))
        dw, db = _kernel_grad(plan, x.data, g, cols) if kernel.requires_grad else (None, None)
        dx = _input_grad(plan, g, kernel.data, cols) if x.requires_grad else None
        cols = None
        if bias is None or not bias.requires_grad:
            db = None
        elif db is None:  # summed here, not by the tape's unbroadcast: one BLAS call (see _bias_grad)
            db = _bias_grad(g)
        dx = None if dx is None else Donated(dx)  # a new array: the op below may overwrite it
        return (dx, dw) if bias is None else (dx, dw, db)
    out = make(y, (x, kernel) if bias is None else (x, kernel, bias), vjp)
    return _from_last(out, data_format)


def depthwise_conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1, bias=None):
    """Depthwise convolution: each input channel convolved with its own `multiplier` filters.

    Args:
        inputs: `(batch, *spatial, channels)` (or channels first).
        kernel: `(*kernel_size, channels, depth_multiplier)`; output channel
            `c * depth_multiplier + m` comes from input channel `c`.
        strides, padding, data_format, dilation_rate, bias: as in `conv`.

    Returns:
        A Tensor `(batch, *output_spatial, channels * depth_multiplier)`.
    """
    kernel = as_tensor(kernel)
    # A grouped convolution with one group per channel, kernel reshaped to (*k, 1, channels * multiplier).
    grouped = shape_ops.reshape(kernel, kernel.shape[:-2] + (1, kernel.shape[-2] * kernel.shape[-1]))
    x = as_tensor(inputs)
    channels = x.shape[1 if data_format == "channels_first" else -1]
    if channels != kernel.shape[-2]:
        raise ValueError(f"depthwise_conv: the input has {channels} channels but the kernel of shape "
                         f"{kernel.shape} expects {kernel.shape[-2]}. Received: input shape {x.shape}.")
    return conv(x, grouped, strides, padding, data_format, dilation_rate, bias)


def separable_conv(inputs, depthwise_kernel, pointwise_kernel, strides=1, padding="valid", data_format=None,
                   dilation_rate=1, bias=None):
    """A depthwise convolution followed by a 1x1 (pointwise) convolution.

    Args:
        inputs: `(batch, *spatial, channels)` (or channels first).
        depthwise_kernel: `(*kernel_size, channels, depth_multiplier)`.
        pointwise_kernel: `(1, ..., 1, channels * depth_multiplier, filters)`.
        strides, padding, data_format, dilation_rate: of the depthwise step.
        bias: optional `(filters,)` vector added to the output.
    """
    x = _to_last(as_tensor(inputs), data_format)
    y = depthwise_conv(x, depthwise_kernel, strides, padding, "channels_last", dilation_rate)
    y = conv(y, pointwise_kernel, 1, "valid", "channels_last", 1, bias)
    return _from_last(y, data_format)


def conv_transpose_geometry(spatial, kernel_size, strides, padding, output_padding, dilation_rate):
    """Returns (output spatial sizes, pads) of a transposed convolution, Keras's conventions.

    The transposed convolution is the input gradient of a convolution whose
    input is the output here; `pads` are that convolution's `(lo, hi)`
    paddings (`hi` may be negative when `output_padding` reaches past the
    last window).
    """
    out, pads = [], []
    for i, (n, k, s, d) in enumerate(zip(spatial, kernel_size, strides, dilation_rate)):
        span = (k - 1) * d + 1
        op = None if output_padding is None else output_padding[i]
        if padding == "valid":
            size = (n - 1) * s + span + (max(span, s) - span if op is None else op)
            lo = 0
        elif padding == "same":
            size = n * s if op is None else (n - 1) * s + span % 2 + op
            pad_len = s + span - 2 if op is None else span + span % 2 - 2 + op
            lo = span - 1 - min(pad_len // 2 + pad_len % 2, span - 1)
        else:
            raise ValueError(f"conv_transpose: `padding` must be 'valid' or 'same'. Received: padding={padding!r}.")
        out.append(size)
        pads.append((lo, (n - 1) * s + span - size - lo))
    return tuple(out), pads


def conv_transpose(inputs, kernel, strides=1, padding="valid", output_padding=None, data_format=None,
                   dilation_rate=1, bias=None):
    """Transposed convolution (the gradient of `conv` with respect to its input), as Keras defines it.

    Args:
        inputs: `(batch, *spatial, channels)` (or channels first).
        kernel: `(*kernel_size, filters, channels)`.
        strides: int or tuple. Defaults to 1.
        padding: "valid" or "same". Defaults to "valid".
        output_padding: None or int/tuple, extra size added on the high side
            of each spatial axis. Defaults to None (Keras's default size).
        data_format, dilation_rate, bias: as in `conv`.

    Returns:
        A Tensor `(batch, *output_spatial, filters)`.
    """
    x, kernel, bias = _inputs(inputs, kernel, bias, "conv_transpose")
    x = _to_last(x, data_format)
    rank = kernel.ndim - 2
    strides = as_tuple(strides, rank, "strides", "conv_transpose")
    dilation = as_tuple(dilation_rate, rank, "dilation_rate", "conv_transpose")
    if output_padding is not None:
        output_padding = (output_padding,) * rank if isinstance(output_padding, int) else tuple(output_padding)
    if x.shape[-1] != kernel.shape[-1]:
        raise ValueError(f"conv_transpose: the input has {x.shape[-1]} channels but the kernel of shape "
                         f"{kernel.shape} expects {kernel.shape[-1]} (its last axis). Received: input shape "
                         f"{x.shape}.")
    out, pads = conv_transpose_geometry(x.shape[1:-1], kernel.shape[:-2], strides, padding, output_padding,
                                        dilation)
    if min(out) < 1:
        raise ValueError(f"conv_transpose: the output would be empty. Received: input shape {x.shape}, kernel "
                         f"shape {kernel.shape}, padding={padding!r}, output_padding={output_padding}.")
    dtype = xp.result_type(x.data, kernel.data)
    # The convolution this op transposes: from the output (n, *out, filters) to the input (n, *spatial, channels).
    plan = ConvPlan((x.shape[0],) + out + (kernel.shape[-2],), kernel.shape, strides, dilation, pads, dtype,
                 "conv_transpose")
    y = _input_grad(plan, x.data.astype(dtype, copy=False), kernel.data)
    if bias is not None:
        y = y + bias.data

    def vjp(g):
        dx = _forward(plan, g, kernel.data)[0] if x.requires_grad else None
        dw = _kernel_grad(plan, g, x.data)[0] if kernel.requires_grad else None
        db = _bias_grad(g) if bias is not None and bias.requires_grad else None  # not unbroadcast: see _bias_grad
        return (dx, dw) if bias is None else (dx, dw, db)
    out_t = make(y, (x, kernel) if bias is None else (x, kernel, bias), vjp)
    return _from_last(out_t, data_format)
