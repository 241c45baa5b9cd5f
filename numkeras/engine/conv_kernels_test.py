"""The compiled col2im gives the same input gradient as the NumPy path it stands in for."""
import numpy as np
import pytest

from numkeras.backend import compiled_kernels
from numkeras.engine import conv_kernels, conv_ops, conv_plan
from numkeras.engine.tape import GradientTape
from numkeras.engine.variable import Variable

pytest.importorskip("numba", reason="numba is optional (pip install numkeras[fast]); "
                                    "conv_ops_test.py checks the NumPy path")


def input_gradient(x, w, g, use_kernel, **kwargs):
    compiled_kernels.set_enabled(use_kernel)
    try:
        with GradientTape() as tape:
            v = Variable(x, dtype=x.dtype)
            y = conv_ops.conv(v, w, **kwargs)
        return tape.gradient(y, v, output_gradients=g).numpy()
    finally:
        compiled_kernels.set_enabled(True)


def input_gradient_numpy_by_window(x, w, g, monkeypatch, **kwargs):
    """The NumPy path's input gradient from the window-major layout: the same matmul as the compiled path."""
    with monkeypatch.context() as m:
        m.setattr(conv_ops, "TAP_MAJOR_CHANNELS", 10**9)
        return input_gradient(x, w, g, False, **kwargs)


@pytest.mark.parametrize("strides, padding, dilation", [(1, "valid", 1), (2, "same", 1), ((1, 2), "valid", 2),
                                                        (2, "valid", (2, 1))])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("channels", [16, 3])
def test_compiled_col2im_equals_numpy(strides, padding, dilation, dtype, channels, monkeypatch):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((3, 11, 10, channels)).astype(dtype)
    w = rng.standard_normal((3, 3, channels, 8)).astype(dtype)
    kwargs = dict(strides=strides, padding=padding, dilation_rate=dilation)
    g = rng.standard_normal(conv_ops.conv(x, w, **kwargs).shape).astype(dtype)
    got = input_gradient(x, w, g, True, **kwargs)
    assert got.dtype == dtype
    np.testing.assert_array_equal(got, input_gradient_numpy_by_window(x, w, g, monkeypatch, **kwargs))
    # NumPy's own default (one matmul per tap when channels >= 8) differs at most by BLAS's rounding.
    np.testing.assert_allclose(got, input_gradient(x, w, g, False, **kwargs), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("strides, dilation", [((1, 1), (1, 1)), ((2, 1), (1, 2))])
@pytest.mark.parametrize("channels", [8, 3, 1])
def test_compiled_im2col_equals_numpy(strides, dilation, channels):
    x = np.random.default_rng(0).standard_normal((2, 9, 8, channels)).astype("float32")
    plan = conv_plan.ConvPlan(x.shape, (3, 2, channels, 4), strides, dilation, [(1, 1), (0, 1)], x.dtype, "t")
    patches = []
    for enabled in (True, False):
        compiled_kernels.set_enabled(enabled)
        try:
            patches.append(conv_ops._im2col(plan, x, plan.new_buffer()).copy())
        finally:
            compiled_kernels.set_enabled(True)
    np.testing.assert_array_equal(patches[0], patches[1])
    assert patches[0].shape == (1, 2 * plan.positions, 6 * channels + plan.ones_row)
    if channels == 1:  # the column of ones that gives the bias gradient
        np.testing.assert_array_equal(patches[0][0, :, -1], 1)


def test_declines_what_it_does_not_handle():
    windows, dx = np.ones((1, 1, 1, 2, 2, 2), "float32"), np.zeros((1, 2, 2, 2), "float32")
    assert conv_kernels.col2im_2d(windows, dx, (1, 1), (1, 1)) is dx
    np.testing.assert_array_equal(dx, np.ones((1, 2, 2, 2)))  # each tap adds to its own cell
    assert conv_kernels.col2im_2d(windows[..., :1], dx[..., :1], (1, 1), (1, 1)) is None  # strided
    assert conv_kernels.col2im_2d(windows[0], dx, (1, 1), (1, 1)) is None  # not 2-D
    x, dst = np.ones((1, 3, 3, 8), "float32"), np.zeros((1, 2, 2, 2, 2, 8), "float32")
    assert conv_kernels.im2col_2d(x, dst, (1, 1), (1, 1)) is dst
    assert conv_kernels.im2col_2d(x[..., :4], dst[..., :4], (1, 1), (1, 1)) is None  # few channels
    compiled_kernels.set_enabled(False)
    try:
        assert conv_kernels.col2im_2d(windows, dx, (1, 1), (1, 1)) is None
        assert conv_kernels.im2col_2d(x, dst, (1, 1), (1, 1)) is None
        assert not conv_kernels.col2im_ready("float32")
    finally:
        compiled_kernels.set_enabled(True)
    assert conv_kernels.col2im_ready("float32") and not conv_kernels.col2im_ready("int32")
