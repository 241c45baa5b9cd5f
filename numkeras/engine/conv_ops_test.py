"""Tests of the convolution primitives: direct-loop references, scipy, finite differences, chunking."""
import numpy as np
import pytest

from numkeras.engine import conv_ops, conv_plan, math_ops, reduction_ops, thread_pool
from numkeras.engine.gradient_check import check_float32, check_gradients
from numkeras.engine.tape import GradientTape
from numkeras.engine.variable import Variable


def rand(*shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape)


# -- independent references: plain loops over output positions and kernel taps ---------------------
def ref_conv(x, w, strides, pads, dilation):
    """Cross-correlation of x (n, *S, C) with w (*k, C // groups, F), zero pads [(lo, hi)]."""
    r = x.ndim - 2
    xp = np.pad(x, [(0, 0)] + list(pads) + [(0, 0)])
    k, (cg, f) = w.shape[:r], w.shape[r:]
    groups = x.shape[-1] // cg
    fg = f // groups
    out = [(p - (kk - 1) * d - 1) // s + 1 for p, kk, d, s in zip(xp.shape[1:-1], k, dilation, strides)]
    y = np.zeros((x.shape[0], *out, f))
    for o in np.ndindex(*out):
        for t in np.ndindex(*k):
            xv = xp[(slice(None),) + tuple(oi * s + ti * d for oi, ti, s, d in zip(o, t, strides, dilation))]
            for g in range(groups):
                y[(slice(None),) + o + (slice(g * fg, (g + 1) * fg),)] += (
                    xv[:, g * cg:(g + 1) * cg] @ w[t][:, g * fg:(g + 1) * fg])
    return y


def ref_conv_transpose(x, w, strides, dilation, out_size, lo):
    """Scatters x (n, *S, C) through w (*k, F, C): output[i * s + t * d] += w[t] @ x[i], cropped at lo."""
    r = x.ndim - 2
    k = w.shape[:r]
    full = [(n - 1) * s + (kk - 1) * d + 1 + o for n, s, kk, d, o in zip(x.shape[1:-1], strides, k, dilation, out_size)]
    y = np.zeros((x.shape[0], *full, w.shape[-2]))
    for i in np.ndindex(*x.shape[1:-1]):
        for t in np.ndindex(*k):
            pos = tuple(ii * s + ti * d for ii, ti, s, d in zip(i, t, strides, dilation))
            y[(slice(None),) + pos] += x[(slice(None),) + i] @ w[t].T
    return y[(slice(None),) + tuple(slice(lo_i, lo_i + o) for lo_i, o in zip(lo, out_size))]


CONV_CASES = [  # (input shape, kernel shape, strides, padding, dilation)
    ((2, 9, 3), (3, 3, 4), 1, "valid", 1),
    ((2, 9, 3), (3, 3, 4), 2, "same", 1),
    ((2, 10, 3), (3, 3, 4), 1, "causal", 2),
    ((2, 7, 6, 3), (3, 2, 3, 5), 1, "valid", 1),
    ((2, 7, 6, 3), (3, 3, 3, 4), (2, 1), "same", 1),
    ((1, 8, 7, 2), (3, 3, 2, 3), 1, "same", (2, 1)),
    ((2, 9, 1), (3, 1, 2), 2, "same", 1),            # one channel: the tap-major patches
    ((2, 8, 7, 1), (3, 3, 1, 4), (2, 1), "same", 1),
    ((1, 9, 8, 1), (2, 3, 1, 3), 1, "valid", (2, 2)),
    ((2, 7, 6, 4), (3, 3, 2, 6), 1, "same", 1),      # groups=2
    ((1, 7, 7, 6), (2, 2, 2, 3), 2, "valid", 1),     # groups=3, stride 2
    ((1, 5, 4, 6, 2), (2, 3, 2, 2, 3), 1, "same", 1),
    ((1, 6, 5, 5, 2), (3, 2, 2, 2, 2), (2, 1, 2), "valid", 1),
]


@pytest.mark.parametrize("x_shape, k_shape, strides, padding, dilation", CONV_CASES)
def test_conv_matches_direct_loops(x_shape, k_shape, strides, padding, dilation):
    x, w, b = rand(*x_shape), rand(*k_shape, seed=1), rand(k_shape[-1], seed=2)
    r = len(x_shape) - 2
    s, d = conv_plan.as_tuple(strides, r, "", ""), conv_plan.as_tuple(dilation, r, "", "")
    pads = conv_plan.conv_pads(x_shape[1:-1], k_shape[:-2], s, d, padding)
    got = conv_ops.conv(x, w, strides, padding, dilation_rate=dilation, bias=b).numpy()
    np.testing.assert_allclose(got, ref_conv(x, w, s, pads, d) + b, rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("x_shape, k_shape, strides, padding, dilation", CONV_CASES)
def test_conv_gradients(x_shape, k_shape, strides, padding, dilation):
    check_gradients(lambda x, w, b: conv_ops.conv(x, w, strides, padding, dilation_rate=dilation, bias=b),
                    rand(*x_shape), rand(*k_shape, seed=1), rand(k_shape[-1], seed=2))


def test_same_padding_sizes_follow_tensorflow():
    # Output ceil(size / stride); an odd total pad puts the extra zero on the right.
    assert conv_plan.conv_pads((7,), (3,), (2,), (1,), "same") == [(1, 1)]
    assert conv_plan.conv_pads((6,), (3,), (2,), (1,), "same") == [(0, 1)]
    assert conv_plan.conv_pads((6,), (4,), (1,), (1,), "same") == [(1, 2)]
    assert conv_plan.conv_pads((5,), (3,), (1,), (2,), "same") == [(2, 2)]
    assert conv_plan.conv_pads((5,), (3,), (1,), (2,), "causal") == [(4, 0)]


def test_conv_matches_scipy_correlate():
    signal = pytest.importorskip("scipy.signal")
    x, w = rand(1, 9, 8, 1), rand(3, 4, 1, 1, seed=1)
    got = conv_ops.conv(x, w).numpy()[0, :, :, 0]
    np.testing.assert_allclose(got, signal.correlate(x[0, :, :, 0], w[:, :, 0, 0], mode="valid"), rtol=1e-10)
    got = conv_ops.conv(rand(1, 6, 5, 4, 1), rand(2, 3, 2, 1, 1, seed=1)).numpy()[0, ..., 0]
    want = signal.correlate(rand(1, 6, 5, 4, 1)[0, ..., 0], rand(2, 3, 2, 1, 1, seed=1)[..., 0, 0], mode="valid")
    np.testing.assert_allclose(got, want, rtol=1e-10)


def test_channels_first_is_a_transpose_of_channels_last():
    x, w, b = rand(2, 3, 7, 6), rand(3, 3, 3, 4, seed=1), rand(4, seed=2)
    first = conv_ops.conv(x, w, 2, "same", "channels_first", bias=b).numpy()
    last = conv_ops.conv(x.transpose(0, 2, 3, 1), w, 2, "same", bias=b).numpy()
    np.testing.assert_allclose(first, last.transpose(0, 3, 1, 2), rtol=1e-12)
    check_gradients(lambda x, w: conv_ops.conv(x, w, (1, 2), "valid", "channels_first", dilation_rate=1), x, w)


@pytest.mark.parametrize("tap_major_channels, channels", [(1, 3), (10**9, 3), (8, 1)])
def test_chunked_batches_give_the_same_values_and_gradients(monkeypatch, kernels_on, tap_major_channels, channels):
    monkeypatch.setattr(conv_ops, "TAP_MAJOR_CHANNELS", tap_major_channels)
    x, w, b = rand(5, 6, 6, channels), rand(3, 3, channels, 4, seed=1), rand(4, seed=2)
    whole = conv_ops.conv(x, w, 1, "same", bias=b).numpy()
    whole_grads = check_gradients(lambda x, w, b: conv_ops.conv(x, w, 1, "same", bias=b), x, w, b)
    monkeypatch.setattr(conv_plan, "PATCH_BUDGET_BYTES", 2 * 36 * 9 * channels * 8)  # two samples per chunk
    assert conv_plan.ConvPlan(x.shape, w.shape, (1, 1), (1, 1), [(1, 1)] * 2, np.float64, "t").chunk == 2
    np.testing.assert_allclose(conv_ops.conv(x, w, 1, "same", bias=b).numpy(), whole, rtol=1e-12)
    chunked = check_gradients(lambda x, w, b: conv_ops.conv(x, w, 1, "same", bias=b), x, w, b)
    for a, c in zip(whole_grads, chunked):
        np.testing.assert_allclose(a, c, rtol=1e-10)
    check_gradients(lambda x, w: conv_ops.conv_transpose(x, w, 2, "same"), rand(5, 3, 3, 4), rand(3, 3, 2, 4))


@pytest.fixture(params=[True, False], ids=["compiled", "numpy"])
def kernels_on(request):
    """Runs a test with numkeras's compiled kernels (where numba is installed), then on NumPy alone."""
    from numkeras.backend import compiled_kernels
    compiled_kernels.set_enabled(request.param)
    yield compiled_kernels.is_enabled()
    compiled_kernels.set_enabled(True)


@pytest.mark.parametrize("tap_major_channels", [1, 10**9])  # both input-gradient paths: by tap, by window
@pytest.mark.parametrize("x_shape, k_shape, strides, padding, dilation", [CONV_CASES[i] for i in (1, 4, 5, 6, 7, 11)])
def test_both_input_gradient_paths(monkeypatch, kernels_on, tap_major_channels, x_shape, k_shape, strides, padding,
                                   dilation):
    monkeypatch.setattr(conv_ops, "TAP_MAJOR_CHANNELS", tap_major_channels)
    check_gradients(lambda x, w: conv_ops.conv(x, w, strides, padding, dilation_rate=dilation),
                    rand(*x_shape), rand(*k_shape, seed=1))


@pytest.mark.parametrize("tap_major_channels", [1, 10**9])
def test_threaded_copies_and_adds_give_the_same_results(monkeypatch, tap_major_channels):
    x, w, b = rand(5, 7, 6, 4), rand(3, 3, 4, 3, seed=1), rand(3, seed=2)
    monkeypatch.setattr(conv_ops, "TAP_MAJOR_CHANNELS", tap_major_channels)
    monkeypatch.setattr(thread_pool, "THREADS", 1)
    one = check_gradients(lambda x, w, b: conv_ops.conv(x, w, 1, "same", bias=b), x, w, b)
    y1 = conv_ops.conv(x, w, 1, "same", bias=b).numpy()
    monkeypatch.setattr(thread_pool, "THREADS", 3)
    monkeypatch.setattr(thread_pool, "PARALLEL_MIN_ELEMENTS", 0)
    np.testing.assert_allclose(conv_ops.conv(x, w, 1, "same", bias=b).numpy(), y1, rtol=1e-12)
    for a, c in zip(one, check_gradients(lambda x, w, b: conv_ops.conv(x, w, 1, "same", bias=b), x, w, b)):
        np.testing.assert_allclose(a, c, rtol=1e-12)


def test_pointwise_conv_is_a_matmul():
    x, w = rand(2, 4, 5, 3), rand(1, 1, 3, 6, seed=1)
    np.testing.assert_allclose(conv_ops.conv(x, w).numpy(), x @ w[0, 0], rtol=1e-12)
    check_gradients(lambda x, w: conv_ops.conv(x, w), x, w)


def test_fused_relu_equals_conv_then_relu_in_values_and_gradients():
    x, w, b = rand(2, 6, 5, 3), rand(3, 3, 3, 4, seed=1), rand(4, seed=2)
    fused = conv_ops.conv(x, w, 1, "same", bias=b, relu=True).numpy()
    np.testing.assert_allclose(fused, np.maximum(ref_conv(x, w, (1, 1), [(1, 1), (1, 1)], (1, 1)) + b, 0),
                               rtol=1e-10, atol=1e-12)
    assert (fused == 0).any() and (fused > 0).any()  # both sides of the kink are exercised
    check_gradients(lambda x, w, b: conv_ops.conv(x, w, 2, "valid", "channels_first", bias=b, relu=True),
                    rand(2, 3, 7, 6), w, b)


def test_bias_gradient_is_the_sum_over_positions():
    x, w, b = rand(3, 5, 5, 2), Variable(rand(3, 3, 2, 4, seed=1)), Variable(rand(4, seed=2))
    g = rand(3, 3, 3, 4, seed=3)
    with GradientTape() as tape:
        y = conv_ops.conv(x, w, bias=b)
    np.testing.assert_allclose(tape.gradient(y, b, output_gradients=g).numpy(), g.sum(axis=(0, 1, 2)),
                               rtol=1e-12)


def test_float32_stays_float32_and_ints_become_float():
    check_float32(lambda x, w, b: conv_ops.conv(x, w, 2, "same", bias=b), rand(2, 6, 6, 3), rand(3, 3, 3, 4),
                  rand(4))
    check_float32(lambda x, w: conv_ops.conv_transpose(x, w, 2), rand(2, 3, 3, 4), rand(3, 3, 2, 4))
    y = conv_ops.conv(np.ones((1, 4, 4, 1), np.uint8), np.ones((3, 3, 1, 1), np.float32))
    assert y.dtype == "float32" and float(y.numpy()[0, 0, 0, 0]) == 9.0


def test_input_gradient_is_skipped_when_not_needed():
    x, w = np.ones((1, 5, 5, 2), np.float32), Variable(rand(3, 3, 2, 3).astype(np.float32))
    with GradientTape() as tape:
        y = conv_ops.conv(x, w)
    assert y._parents[0].requires_grad is False
    grads = y._vjp(np.ones(y.shape, np.float32))
    assert grads[0] is None and grads[1].shape == (3, 3, 2, 3)
    assert tape.gradient(y, w).shape == (3, 3, 2, 3)


# -- depthwise and separable --------------------------------------------------------------------------
def test_depthwise_conv_matches_a_loop_per_channel():
    x, w, b = rand(2, 7, 6, 3), rand(3, 3, 3, 2, seed=1), rand(6, seed=2)
    got = conv_ops.depthwise_conv(x, w, 2, "same", bias=b).numpy()
    pads = conv_plan.conv_pads((7, 6), (3, 3), (2, 2), (1, 1), "same")
    for c in range(3):
        want = ref_conv(x[..., c:c + 1], w[:, :, c:c + 1, :], (2, 2), pads, (1, 1)) + b[2 * c:2 * c + 2]
        np.testing.assert_allclose(got[..., 2 * c:2 * c + 2], want, rtol=1e-10)
    check_gradients(lambda x, w, b: conv_ops.depthwise_conv(x, w, 1, "valid", dilation_rate=2, bias=b), x, w, b)
    check_gradients(lambda x, w: conv_ops.depthwise_conv(x, w, 1, "same", "channels_first"),
                    rand(1, 3, 5, 4), rand(3, 3, 3, 2, seed=1))


def test_separable_conv_is_depthwise_then_pointwise():
    x, dw, pw, b = rand(2, 6, 6, 3), rand(3, 3, 3, 2, seed=1), rand(1, 1, 6, 4, seed=2), rand(4, seed=3)
    got = conv_ops.separable_conv(x, dw, pw, 1, "same", bias=b).numpy()
    mid = conv_ops.depthwise_conv(x, dw, 1, "same").numpy()
    np.testing.assert_allclose(got, mid @ pw[0, 0] + b, rtol=1e-10)
    check_gradients(lambda x, d, p, b: conv_ops.separable_conv(x, d, p, 2, "valid", bias=b), x, dw, pw, b)


# -- transposed convolution ------------------------------------------------------------------------------
def keras_transpose_size(n, k, s, padding, output_padding, d=1):
    """The output size rule of Keras 3's transposed convolutions, written out for the test."""
    span = (k - 1) * d + 1
    if padding == "valid":
        return (n - 1) * s + span + (max(span, s) - span if output_padding is None else output_padding)
    return n * s if output_padding is None else (n - 1) * s + span % 2 + output_padding


@pytest.mark.parametrize("n, k, s, padding, output_padding, expected", [
    (5, 3, 2, "valid", None, 11), (5, 3, 2, "same", None, 10), (5, 3, 2, "valid", 1, 12),
    (5, 3, 2, "same", 1, 10), (5, 2, 3, "valid", None, 15), (4, 4, 2, "same", None, 8), (4, 4, 2, "same", 0, 6),
])
def test_transpose_output_sizes(n, k, s, padding, output_padding, expected):
    out, _ = conv_ops.conv_transpose_geometry((n,), (k,), (s,), padding, None if output_padding is None
                                              else (output_padding,), (1,))
    assert out == (expected,) == (keras_transpose_size(n, k, s, padding, output_padding),)


TRANSPOSE_CASES = [  # (input shape, kernel shape (k.., filters, channels), strides, padding, output_padding, dilation)
    ((2, 5, 3), (3, 2, 3), 2, "valid", None, 1),
    ((2, 5, 3), (3, 2, 3), 2, "same", None, 1),
    ((2, 4, 3), (4, 2, 3), 2, "same", 1, 1),
    ((2, 4, 3), (3, 2, 3), 1, "valid", None, 2),
    ((1, 3, 4, 2), (3, 3, 3, 2), (2, 1), "same", None, 1),
    ((1, 3, 4, 2), (2, 3, 3, 2), 2, "valid", (1, 1), 1),
    ((1, 3, 3, 2), (3, 3, 2, 2), 1, "same", None, (2, 1)),
    ((2, 4, 3, 3), (3, 3, 1, 3), 2, "same", None, 1),  # one output channel: tap-major patches in its gradient
    ((1, 2, 3, 2, 2), (2, 2, 2, 3, 2), 2, "same", None, 1),
]


@pytest.mark.parametrize("x_shape, k_shape, strides, padding, output_padding, dilation", TRANSPOSE_CASES)
def test_conv_transpose_matches_scatter_loops_and_gradients(x_shape, k_shape, strides, padding, output_padding,
                                                            dilation):
    x, w, b = rand(*x_shape), rand(*k_shape, seed=1), rand(k_shape[-2], seed=2)
    r = len(x_shape) - 2
    s, d = conv_plan.as_tuple(strides, r, "", ""), conv_plan.as_tuple(dilation, r, "", "")
    op = output_padding if output_padding is None else ((output_padding,) * r if isinstance(output_padding, int)
                                                        else output_padding)
    out = tuple(keras_transpose_size(n, k, si, padding, None if op is None else op[i], di)
                for i, (n, k, si, di) in enumerate(zip(x_shape[1:-1], k_shape[:-2], s, d)))
    _, pads = conv_ops.conv_transpose_geometry(x_shape[1:-1], k_shape[:-2], s, padding, op, d)
    got = conv_ops.conv_transpose(x, w, strides, padding, output_padding, dilation_rate=dilation, bias=b).numpy()
    assert got.shape == (x_shape[0],) + out + (k_shape[-2],)
    want = ref_conv_transpose(x, w, s, d, out, [lo for lo, _ in pads]) + b
    np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-12)
    check_gradients(lambda x, w, b: conv_ops.conv_transpose(x, w, strides, padding, output_padding,
                                                            dilation_rate=dilation, bias=b), x, w, b)


def test_transpose_same_crops_like_the_gradient_of_a_same_conv():
    # With Keras's default sizes, conv_transpose(same) is exactly the input gradient of conv(same).
    for k, s in [(3, 2), (4, 2), (3, 1), (2, 1), (5, 3)]:
        y = rand(1, 4, 2)
        w = rand(k, 3, 2, seed=1)
        size = 4 * s
        x = Variable(np.zeros((1, size, 3)), dtype="float64")
        with GradientTape() as tape:
            out = conv_ops.conv(x, w, s, "same")
            assert out.shape == (1, 4, 2)
            loss = reduction_ops.sum(math_ops.multiply(out, y))
        grad = tape.gradient(loss, x).numpy()
        np.testing.assert_allclose(conv_ops.conv_transpose(y, w, s, "same").numpy(), grad, rtol=1e-12)


def test_transposed_1d_keras_example_values():
    # x = [1, 2, 3], kernel [1, 10, 100], stride 2, "same": windows start at 0, 2, 4; length 6.
    x = np.array([1.0, 2.0, 3.0]).reshape(1, 3, 1)
    w = np.array([1.0, 10.0, 100.0]).reshape(3, 1, 1)
    np.testing.assert_allclose(conv_ops.conv_transpose(x, w, 2, "same").numpy().ravel(),
                               [1, 10, 102, 20, 203, 30])
    np.testing.assert_allclose(conv_ops.conv_transpose(x, w, 2, "valid").numpy().ravel(),
                               [1, 10, 102, 20, 203, 30, 300])


# -- bad input ---------------------------------------------------------------------------------------------
def test_errors_name_the_shapes():
    with pytest.raises(ValueError, match=r"larger than the padded input.*\(1, 2, 2, 1\)"):
        conv_ops.conv(np.ones((1, 2, 2, 1)), np.ones((3, 3, 1, 1)))
    with pytest.raises(ValueError, match=r"rank 4.*\(28, 28\)"):
        conv_ops.conv(np.ones((28, 28)), np.ones((3, 3, 1, 1)))
    with pytest.raises(ValueError, match=r"3 channels.*\(3, 3, 2, 4\)"):
        conv_ops.conv(np.ones((1, 5, 5, 3)), np.ones((3, 3, 2, 4)))
    with pytest.raises(ValueError, match="padding"):
        conv_ops.conv(np.ones((1, 5, 5, 1)), np.ones((3, 3, 1, 1)), padding="full")
    with pytest.raises(ValueError, match="strides"):
        conv_ops.conv(np.ones((1, 5, 5, 1)), np.ones((3, 3, 1, 1)), strides=(1, 0))
    with pytest.raises(ValueError, match=r"4 channels.*expects 3"):
        conv_ops.conv_transpose(np.ones((1, 5, 5, 4)), np.ones((3, 3, 2, 3)))
