"""normalize: values vs the NumPy formula, fused gradients vs finite differences, float32 stability."""
import numpy as np
import pytest

from numkeras.engine.gradient_check import check_float32, check_gradients
from numkeras.engine.normalization_ops import moments, normalize
from numkeras.engine.tape import GradientTape
from numkeras.engine.variable import Variable

RNG = np.random.default_rng(0)


def reference(x, axes, epsilon, scale=None, offset=None):
    mean = x.mean(axis=axes, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=axes, keepdims=True)
    y = (x - mean) / np.sqrt(var + epsilon)
    return y * (1 if scale is None else scale) + (0 if offset is None else offset)


def param_shape(shape, axes):
    return tuple(1 if i in axes else n for i, n in enumerate(shape))


# (input shape, reduction axes): batch norm (all but channels), layer norm (last axes), odd mixes
CASES = [((6, 3), (0,)), ((4, 5, 3), (0, 1)), ((3, 2, 4, 2), (0, 2, 3)), ((3, 4, 5), (1, 2)), ((5, 4), (1,)),
         ((2, 3, 2, 4), (0, 1, 2))]


@pytest.mark.parametrize("shape,axes", CASES)
def test_batch_statistics_values_and_fused_gradient(shape, axes):
    x = RNG.normal(2.0, 3.0, shape)
    p = param_shape(shape, axes)
    gamma, beta = RNG.uniform(0.5, 1.5, p), RNG.normal(size=p)
    y, mean, var = normalize(x, axes, 1e-3, gamma, beta)
    np.testing.assert_allclose(y.numpy(), reference(x, axes, 1e-3, gamma, beta), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(mean, x.mean(axis=axes, keepdims=True), rtol=1e-12)
    np.testing.assert_allclose(var, x.var(axis=axes, keepdims=True), rtol=1e-12)
    check_gradients(lambda a, g, b: normalize(a, axes, 1e-3, g, b)[0], x, gamma, beta)


@pytest.mark.parametrize("shape,axes", CASES[:3])
def test_without_scale_or_offset(shape, axes):
    x = RNG.normal(size=shape)
    check_gradients(lambda a: normalize(a, axes, 1e-3)[0], x)
    p = param_shape(shape, axes)
    check_gradients(lambda a, g: normalize(a, axes, 1e-3, scale=g)[0], x, RNG.uniform(0.5, 1.5, p))
    check_gradients(lambda a, b: normalize(a, axes, 1e-3, offset=b)[0], x, RNG.normal(size=p))


def test_parameters_broadcast_from_a_smaller_shape():
    # layer norm over (1, 2): gamma has the normalized axes' shape and is shared over the batch
    x = RNG.normal(size=(3, 4, 5))
    gamma, beta = RNG.uniform(0.5, 1.5, (4, 5)), RNG.normal(size=(4, 5))
    check_gradients(lambda a, g, b: normalize(a, (1, 2), 1e-3, g, b)[0], x, gamma, beta)


def test_given_statistics_are_constants():
    x = RNG.normal(size=(5, 3))
    mean, var = RNG.normal(size=(1, 3)), RNG.uniform(0.5, 2.0, (1, 3))
    gamma, beta = RNG.uniform(0.5, 1.5, (3,)), RNG.normal(size=(3,))
    y, m, v = normalize(x, (0,), 1e-3, gamma, beta, mean=mean, variance=var)
    np.testing.assert_allclose(y.numpy(), (x - mean) / np.sqrt(var + 1e-3) * gamma + beta, rtol=1e-12)
    assert m is mean and v is var
    grads = check_gradients(lambda a, g, b: normalize(a, (0,), 1e-3, g, b, mean=mean, variance=var)[0],
                            x, gamma, beta)
    w = np.random.default_rng(0).standard_normal(x.shape)  # check_gradients' cotangent
    np.testing.assert_allclose(grads[0], w * gamma / np.sqrt(var + 1e-3), rtol=1e-10)


def test_moments_two_pass():
    x = RNG.normal(size=(4, 6))
    mean, var = moments(x, (0,))
    np.testing.assert_allclose(mean, x.mean(0, keepdims=True))
    np.testing.assert_allclose(var, x.var(0, keepdims=True))


def test_float32_in_float32_out():
    x = RNG.normal(size=(8, 3)).astype("float32")
    g, b = np.ones(3, "float32"), np.zeros(3, "float32")
    out = check_float32(lambda a, s, o: normalize(a, (0,), 1e-3, s, o)[0], x, g, b)
    _, mean, var = normalize(x, (0,), 1e-3, g, b)
    assert out.dtype == "float32" and mean.dtype == np.float32 and var.dtype == np.float32


def test_float32_is_stable_far_from_zero():
    # E[x^2] - E[x]^2 loses every digit here in float32; two passes keep them. The mean itself is
    # stored in float32, whose spacing at 1e4 is ~1e-3: that bounds the output error.
    x64 = 1e4 + RNG.normal(size=(256, 4))
    x = x64.astype("float32")
    y, _, var = normalize(x, (0,), 1e-3)
    np.testing.assert_allclose(var.ravel(), x.astype("float64").var(0), rtol=1e-4)
    np.testing.assert_allclose(y.numpy(), reference(x.astype("float64"), (0,), 1e-3), atol=1e-3)
    # float32 gradient matches the float64 one
    w = RNG.normal(size=x.shape)
    grads = []
    for dtype in ("float32", "float64"):
        v = Variable(x, dtype=dtype)
        with GradientTape() as tape:
            out = normalize(v, (0,), 1e-3)[0]
        grads.append(tape.gradient(out, v, output_gradients=w.astype(dtype)).numpy())
    assert grads[0].dtype == np.float32
    # x itself is only known to float32's spacing at 1e4 (~1e-3), so compare relative to the whole gradient
    assert np.linalg.norm(grads[0] - grads[1]) < 1e-3 * np.linalg.norm(grads[1])


def test_no_gradient_work_for_inputs_that_need_none():
    gamma = Variable(np.ones(3))
    with GradientTape() as tape:
        out = normalize(np.ones((4, 3)) * np.arange(4)[:, None], (0,), 1e-3, scale=gamma)[0]
    assert tape.gradient(out, gamma).shape == (3,)
