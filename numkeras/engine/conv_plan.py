"""The geometry of one convolution, how its batch is cut into chunks, and the buffers the chunks reuse.

`ConvPlan` works out, once per call, everything `conv_ops` needs besides the arrays: the padded and
output sizes, the groups, the length of a patch (one row of the im2col matrix), and how many samples
go in one chunk so that a chunk's patch matrix holds at most `PATCH_BUDGET_BYTES` (or one sample's
patches when one sample needs more). That patch matrix is the largest temporary; `new_buffer` makes
one, and `buffer_view` reads it as whatever array a pass needs (the per-window input gradient has
the same size, so the backward pass reuses the forward pass's buffer).

Example:
    >>> plan = ConvPlan((2, 5, 5, 3), (3, 3, 3, 8), strides=(1, 1), dilation=(1, 1), pads=[(1, 1), (1, 1)],
    ...                 dtype="float32", op="conv")
    >>> plan.out_spatial, plan.positions, plan.patch_size, plan.chunk
    ((5, 5), 25, 27, 2)
"""
import math

from numkeras.backend import xp

PATCH_BUDGET_BYTES = 32 * 2**20  # largest patch matrix (im2col) of one chunk


def as_tuple(value, rank, name, op):
    """`value` (an int or `rank` ints, all positive) as a tuple of `rank` ints; `op` names the caller in errors."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = (value,) * rank
    try:
        value = tuple(int(v) for v in value)
    except (TypeError, ValueError):
        raise ValueError(f"{op}: `{name}` must be an int or a tuple of {rank} ints. Received: {name}={value!r}.") \
            from None
    if len(value) != rank or min(value) < 1:
        raise ValueError(f"{op}: `{name}` must be {rank} positive int(s). Received: {name}={value!r}.")
    return value


def conv_pads(spatial, kernel_size, strides, dilation_rate, padding):
    """Returns `[(lo, hi), ...]`, the zero padding of each spatial axis.

    Args:
        spatial: the input's spatial sizes.
        kernel_size, strides, dilation_rate: tuples of the same length.
        padding: "valid" (none), "same" (output size `ceil(size / stride)`,
            the odd pixel on the right, as Keras/TensorFlow do), "causal"
            (all on the left, 1-D) or explicit `(lo, hi)` pairs.
    """
    if not isinstance(padding, str):
        return [tuple(int(p) for p in pair) for pair in padding]
    pads = []
    for size, k, s, d in zip(spatial, kernel_size, strides, dilation_rate):
        span = (k - 1) * d + 1
        if padding == "valid":
            pads.append((0, 0))
        elif padding == "causal":
            pads.append((span - 1, 0))
        elif padding == "same":
            total = max((-(-size // s) - 1) * s + span - size, 0)
            pads.append((total // 2, total - total // 2))
        else:
            raise ValueError(f"`padding` must be 'valid', 'same' or 'causal'. Received: padding={padding!r}.")
    return pads


class ConvPlan:
    """The geometry of one convolution: sizes, padding, output shape and chunking.

    Channels last throughout: an input `(batch, *spatial, channels)`, a kernel `(*kernel_size,
    group_channels, filters)` with `groups = channels // group_channels`. `span` is a window's extent
    per axis (dilation included), `padded` the padded input's sizes, `out_spatial` the output's,
    `positions` the output pixels per sample, `taps` the kernel's cells, `patch_size` one patch's
    length (`taps * group_channels`), `chunk` the samples per chunk.
    """

    def __init__(self, x_shape, kernel_shape, strides, dilation, pads, dtype, op):
        rank = len(kernel_shape) - 2
        self.batch, self.spatial, self.channels = x_shape[0], tuple(x_shape[1:-1]), x_shape[-1]
        self.kernel_size = tuple(kernel_shape[:-2])
        self.group_channels, self.filters = kernel_shape[-2], kernel_shape[-1]  # input channels per group
        self.strides, self.dilation, self.pads = strides, dilation, pads
        if self.channels % self.group_channels:
            raise ValueError(f"{op}: the input has {self.channels} channels, which the kernel's "
                             f"{self.group_channels} input channels do not divide. Received: input shape "
                             f"{tuple(x_shape)}, kernel shape {tuple(kernel_shape)}. The kernel's axis -2 must be "
                             f"channels // groups.")
        self.groups = self.channels // self.group_channels
        if self.filters % self.groups:
            raise ValueError(f"{op}: filters={self.filters} is not divisible by groups={self.groups} (input shape "
                             f"{tuple(x_shape)}, kernel shape {tuple(kernel_shape)}).")
        self.group_filters = self.filters // self.groups
        self.span = tuple((k - 1) * d + 1 for k, d in zip(self.kernel_size, dilation))
        self.padded = tuple(n + lo + hi for n, (lo, hi) in zip(self.spatial, pads))
        self.out_spatial = tuple((p - sp) // s + 1 for p, sp, s in zip(self.padded, self.span, strides))
        if min(self.out_spatial, default=1) < 1 or min(self.padded, default=1) < 1:
            raise ValueError(f"{op}: the kernel (size {self.kernel_size}, dilation {dilation}) is larger than the "
                             f"padded input {self.padded}, so the output would be empty. Received: input shape "
                             f"{tuple(x_shape)}, kernel shape {tuple(kernel_shape)}. Use padding='same' or a "
                             f"smaller kernel.")
        self.rank = rank
        self.positions = math.prod(self.out_spatial)
        self.taps = math.prod(self.kernel_size)
        self.patch_size = self.taps * self.group_channels
        self.dtype = dtype
        # A 1x1 kernel, unit strides and no padding: the input already is the patch matrix.
        self.pointwise = (self.taps == 1 and self.groups == 1 and set(strides) == {1}
                          and all(p == (0, 0) for p in pads))
        per_sample = max(self.positions * self.taps * self.channels * xp.dtype(dtype).itemsize, 1)
        self.chunk = max(1, min(self.batch, PATCH_BUDGET_BYTES // per_sample))
        # One input channel: the patches are tap-major, and a row of ones after the taps makes the kernel
        # gradient's matmul give the bias gradient too (one pass over the output gradient instead of two).
        self.ones_row = self.channels == 1 and self.groups == 1 and not self.pointwise

    def chunks(self):
        """`(start, stop)` of each chunk of the batch."""
        for start in range(0, self.batch, self.chunk):
            yield start, min(start + self.chunk, self.batch)

    def new_buffer(self):
        """A flat buffer for one chunk's patch matrix (or per-window gradients)."""
        size = self.groups * self.chunk * self.positions * (self.patch_size + self.ones_row)
        return xp.empty(size, self.dtype)

    def kernel_matrix(self, kernel):
        """The kernel as `(groups, patch_size, group_filters)`."""
        w = kernel.reshape(self.patch_size, self.groups, self.group_filters)
        return w.transpose(1, 0, 2)

    def grouped(self, y2):
        """An output-shaped `(rows, filters)` array as `(groups, rows, group_filters)`."""
        return y2.reshape(y2.shape[0], self.groups, self.group_filters).transpose(1, 0, 2)


def buffer_view(buf, shape):
    """The first `prod(shape)` elements of a buffer (C- or F-contiguous) as a C-contiguous array of `shape`,
    never a copy."""
    return buf.reshape(-1, order="A")[:math.prod(shape)].reshape(shape)
