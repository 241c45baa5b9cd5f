"""The compiled col2im gives the same input gradient as the NumPy path it stands in for."""
import numpy as np
import pytest

from numkeras.backend import fused
from numkeras.engine import conv_kernels, conv_ops
from numkeras.engine.tape import GradientTape
from numkeras.engine.variable import Variable

pytest.importorskip("numba", reason="numba is optional (pip install numkeras[fast]); "
                                    "conv_ops_test.py checks the NumPy path")


def input_gradient(x, w, g, use_kernel, **kwargs):
    fused.set_enabled(use_kernel)
    try:
        with GradientTape() as tape:
            v = Variable(x, dtype=x.dtype)
            y = conv_ops.conv(v, w, **kwargs)
        return tape.gradient(y, v, output_gradients=g).numpy()
    finally:
        fused.set_enabled(True)


@pytest.mark.parametrize("strides, padding, dilation", [(1, "valid", 1), (2, "same", 1), ((1, 2), "valid", 2),
                                                        (2, "valid", (2, 1))])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_compiled_col2im_equals_numpy(strides, padding, dilation, dtype):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((3, 11, 10, 16)).astype(dtype)  # 16 channels: the tap-major layout
    w = rng.standard_normal((3, 3, 16, 8)).astype(dtype)
    kwargs = dict(strides=strides, padding=padding, dilation_rate=dilation)
    g = rng.standard_normal(conv_ops.conv(x, w, **kwargs).shape).astype(dtype)
    expected = input_gradient(x, w, g, False, **kwargs)
    got = input_gradient(x, w, g, True, **kwargs)
    assert got.dtype == expected.dtype == dtype
    np.testing.assert_array_equal(got, expected)


def test_declines_what_it_does_not_handle():
    windows, dx = np.ones((4, 1, 1, 1, 2), "float32"), np.zeros((1, 2, 2, 2), "float32")
    assert conv_kernels.col2im_2d(windows, dx, (2, 2), (1, 1), (1, 1)) is True
    np.testing.assert_array_equal(dx, np.ones((1, 2, 2, 2)))  # each tap adds to its own cell
    assert conv_kernels.col2im_2d(windows[..., :1], dx[..., :1], (2, 2), (1, 1), (1, 1)) is False  # strided
    assert conv_kernels.col2im_2d(windows[0], dx, (2, 2), (1, 1), (1, 1)) is False  # not 2-D
    fused.set_enabled(False)
    try:
        assert conv_kernels.col2im_2d(windows, dx, (2, 2), (1, 1), (1, 1)) is False
    finally:
        fused.set_enabled(True)
