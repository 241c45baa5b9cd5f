"""`unfold` (im2col) and `fold` (col2im) over channels-first images, each the other's gradient.

`unfold` copies every `kernel_size` window of a `(N, C, H, W)` image into a column:
`(N, C * kh * kw, L)`, with `L` windows in row-major order and the column index running
over `(channel, kernel row, kernel column)`. `fold` is its adjoint: it adds each column back
into the window it came from, so overlapping windows sum. The two are linear maps and each
other's transpose, so `unfold`'s vector-Jacobian product is `fold` and `fold`'s is `unfold`.

Geometry (as PyTorch's `nn.Unfold`, which Keras follows): zero padding `p` on both sides of
each spatial axis, dilation `d`, stride `s`; along an axis of length `n` there are
`(n + 2p - d(k - 1) - 1) // s + 1` windows. Python loops run over the kh * kw kernel offsets
only; each moves one strided slice for all windows at once.

Example:
    >>> import numpy as np
    >>> from numkeras.engine import fold_ops
    >>> x = np.arange(16, dtype="float32").reshape(1, 1, 4, 4)
    >>> cols = fold_ops.unfold(x, 2, stride=2)
    >>> cols.shape
    (1, 4, 4)
    >>> np.array_equal(fold_ops.fold(cols, (4, 4), 2, stride=2).numpy(), x)
    True
"""
from numkeras.backend import xp
from numkeras.engine.tensor import as_tensor, make


def _pair(value, name, fn):
    pair = (value, value) if isinstance(value, (int, xp.integer)) else tuple(value)
    if len(pair) != 2 or not all(isinstance(v, (int, xp.integer)) for v in pair):
        raise ValueError(f"{fn}: `{name}` must be an int or a tuple of two ints. Received: {name}={value!r}.")
    return tuple(int(v) for v in pair)


class _Geometry:
    """Window positions along the two spatial axes of a padded `(N, C, H, W)` canvas."""

    def __init__(self, spatial, kernel_size, dilation, padding, stride, fn):
        self.k = _pair(kernel_size, "kernel_size", fn)
        self.d = _pair(dilation, "dilation", fn)
        self.p = _pair(padding, "padding", fn)
        self.s = _pair(stride, "stride", fn)
        self.spatial = tuple(int(n) for n in spatial)
        self.padded = tuple(n + 2 * p for n, p in zip(self.spatial, self.p))
        self.out = tuple((n - d * (k - 1) - 1) // s + 1 for n, k, d, s in zip(self.padded, self.k, self.d, self.s))
        if min(self.out) < 1 or min(self.k) < 1 or min(self.s) < 1 or min(self.d) < 1:
            raise ValueError(f"{fn}: no whole window fits. Received: spatial size {self.spatial}, "
                             f"kernel_size={self.k}, dilation={self.d}, padding={self.p}, stride={self.s}. "
                             "Use a smaller kernel or dilation, or more padding.")

    def window(self, i, j):
        """The slice of the padded canvas that kernel offset (i, j) reads, for every window at once."""
        (oh, ow), (sh, sw), (dh, dw) = self.out, self.s, self.d
        return (slice(None), slice(None), slice(i * dh, i * dh + sh * (oh - 1) + 1, sh),
                slice(j * dw, j * dw + sw * (ow - 1) + 1, sw))

    def unfold(self, x):
        n, c = x.shape[:2]
        (ph, pw), (kh, kw) = self.p, self.k
        if ph or pw:
            x = xp.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
        cols = xp.empty((n, c, kh, kw) + self.out, dtype=x.dtype)
        for i in range(kh):
            for j in range(kw):
                cols[:, :, i, j] = x[self.window(i, j)]
        return cols.reshape(n, c * kh * kw, self.out[0] * self.out[1])

    def fold(self, cols):
        n = cols.shape[0]
        (kh, kw), (ph, pw) = self.k, self.p
        c = cols.shape[1] // (kh * kw)
        cols = cols.reshape((n, c, kh, kw) + self.out)
        canvas = xp.zeros((n, c) + self.padded, dtype=cols.dtype)
        for i in range(kh):
            for j in range(kw):
                canvas[self.window(i, j)] += cols[:, :, i, j]
        return canvas[:, :, ph:ph + self.spatial[0], pw:pw + self.spatial[1]]


def unfold(x, kernel_size, dilation=1, padding=0, stride=1):
    """Columns of sliding windows: `(N, C, H, W)` -> `(N, C * kh * kw, L)`.

    Args:
        x: a 4-D channels-first tensor.
        kernel_size: int or (kh, kw).
        dilation: int or pair, the spacing of kernel taps. Defaults to 1.
        padding: int or pair, zeros added on both sides of each spatial axis. Defaults to 0.
        stride: int or pair, the step between windows. Defaults to 1.
    """
    x = as_tensor(x)
    if x.ndim != 4:
        raise ValueError(f"unfold: the input must be 4-D (N, C, H, W), channels first. Received: x.shape={x.shape}.")
    geo = _Geometry(x.shape[2:], kernel_size, dilation, padding, stride, "unfold")
    return make(geo.unfold(x.data), (x,), lambda g: (geo.fold(g),))


def fold(x, output_size, kernel_size, dilation=1, padding=0, stride=1):
    """Sums columns of windows back into an image: `(N, C * kh * kw, L)` -> `(N, C, *output_size)`.

    Args:
        x: a 3-D tensor of columns, as `unfold` makes them.
        output_size: int or (H, W), the image's spatial size (without padding).
        kernel_size, dilation, padding, stride: as in `unfold`.
    """
    x = as_tensor(x)
    if x.ndim != 3:
        raise ValueError(f"fold: the input must be 3-D (N, C * kh * kw, L). Received: x.shape={x.shape}.")
    geo = _Geometry(_pair(output_size, "output_size", "fold"), kernel_size, dilation, padding, stride, "fold")
    taps, windows = geo.k[0] * geo.k[1], geo.out[0] * geo.out[1]
    if x.shape[1] % taps or x.shape[2] != windows:
        raise ValueError(f"fold: the input must have shape (N, C * {taps}, {windows}) for output_size="
                         f"{geo.spatial} and kernel_size={geo.k} ({windows} windows of {taps} taps each). "
                         f"Received: x.shape={x.shape}.")
    return make(geo.fold(x.data), (x,), lambda g: (geo.unfold(g),))
