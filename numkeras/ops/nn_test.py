"""ops.nn: values against NumPy formulas, dtypes, errors, and float64 gradients against finite differences."""
import math

import numpy as np
import pytest

import numkeras
from numkeras.engine.gradient_check import check_float32, check_gradients
from numkeras.ops import nn

RNG = np.random.default_rng(0)
X = RNG.uniform(0.1, 2.5, (3, 4)) * RNG.choice([-1.0, 1.0], (3, 4))  # away from the kinks at 0, +-1
_erf = np.vectorize(math.erf)


def np_sigmoid(x):
    return 1 / (1 + np.exp(-x))


def np_softmax(x, axis=-1):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


SELU_A, SELU_S = 1.6732632423543772848170429916717, 1.0507009873554804934193349852946
# name -> (op, NumPy reference); each is checked for values, float32 and gradients.
ACTIVATIONS = {
    "relu": (nn.relu, lambda x: np.maximum(x, 0)),
    "relu6": (nn.relu6, lambda x: np.clip(x, 0, 6)),
    "sigmoid": (nn.sigmoid, np_sigmoid),
    "sparse_sigmoid": (nn.sparse_sigmoid, lambda x: np.clip((x + 1) / 2, 0, 1)),
    "softplus": (nn.softplus, lambda x: np.log1p(np.exp(x))),
    "softsign": (nn.softsign, lambda x: x / (1 + np.abs(x))),
    "soft_shrink": (lambda x: nn.soft_shrink(x, 0.7), lambda x: np.sign(x) * np.maximum(np.abs(x) - 0.7, 0)),
    "sparse_plus": (nn.sparse_plus, lambda x: np.where(x <= -1, 0, np.where(x < 1, (x + 1) ** 2 / 4, x))),
    "silu": (nn.silu, lambda x: x * np_sigmoid(x)),
    "swish": (nn.swish, lambda x: x * np_sigmoid(x)),
    "squareplus": (lambda x: nn.squareplus(x, b=2), lambda x: (x + np.sqrt(x * x + 2)) / 2),
    "log_sigmoid": (nn.log_sigmoid, lambda x: np.log(np_sigmoid(x))),
    "leaky_relu": (lambda x: nn.leaky_relu(x, 0.3), lambda x: np.where(x >= 0, x, 0.3 * x)),
    "hard_sigmoid": (nn.hard_sigmoid, lambda x: np.clip(x / 6 + 0.5, 0, 1)),
    "hard_silu": (nn.hard_silu, lambda x: x * np.clip(x / 6 + 0.5, 0, 1)),
    "hard_swish": (nn.hard_swish, lambda x: x * np.clip(x / 6 + 0.5, 0, 1)),
    "elu": (lambda x: nn.elu(x, 0.5), lambda x: np.where(x >= 0, x, 0.5 * np.expm1(x))),
    "selu": (nn.selu, lambda x: SELU_S * np.where(x >= 0, x, SELU_A * np.expm1(x))),
    "gelu_tanh": (nn.gelu, lambda x: 0.5 * x * (1 + np.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x ** 3)))),
    "gelu_exact": (lambda x: nn.gelu(x, approximate=False), lambda x: 0.5 * x * (1 + _erf(x / math.sqrt(2)))),
    "celu": (lambda x: nn.celu(x, 2.0), lambda x: np.maximum(x, 0) + 2 * np.expm1(np.minimum(x, 0) / 2)),
    "glu": (nn.glu, lambda x: x[:, :2] * np_sigmoid(x[:, 2:])),
    "tanh_shrink": (nn.tanh_shrink, lambda x: x - np.tanh(x)),
    "hard_tanh": (nn.hard_tanh, lambda x: np.clip(x, -1, 1)),
    "hard_shrink": (lambda x: nn.hard_shrink(x, 0.6), lambda x: np.where(np.abs(x) > 0.6, x, 0)),
    "threshold": (lambda x: nn.threshold(x, 0.3, -2.0), lambda x: np.where(x > 0.3, x, -2.0)),
    "softmax": (nn.softmax, np_softmax),
    "softmax_axis0": (lambda x: nn.softmax(x, axis=0), lambda x: np_softmax(x, 0)),
    "softmax_both_axes": (lambda x: nn.softmax(x, axis=(0, 1)),
                          lambda x: np.exp(x) / np.exp(x).sum()),
    "log_softmax": (nn.log_softmax, lambda x: np.log(np_softmax(x))),
    "log_softmax_axis0": (lambda x: nn.log_softmax(x, axis=0), lambda x: np.log(np_softmax(x, 0))),
    "sparsemax": (nn.sparsemax, None),  # values in test_sparsemax
}


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activation_values_float32_and_gradients(name):
    op, ref = ACTIVATIONS[name]
    if ref is not None:
        np.testing.assert_allclose(op(X).numpy(), ref(X), rtol=1e-12, atol=1e-14)
    out = check_float32(op, X)
    if ref is not None:
        np.testing.assert_allclose(out.numpy(), ref(X), rtol=2e-6, atol=1e-6)
    check_gradients(op, X)


def test_the_ops_gelu_defaults_to_the_tanh_approximation_unlike_the_activation():
    x = np.array([1.0])
    assert nn.gelu(x).numpy()[0] == pytest.approx(0.8411919906, abs=1e-9)
    assert numkeras.activations.gelu(x).numpy()[0] == pytest.approx(0.8413447461, abs=1e-9)


@pytest.mark.parametrize("name", ["relu", "hard_tanh"])
def test_integer_inputs_stay_integer_where_keras_keeps_them(name):
    out = getattr(nn, name)(np.array([-2, 0, 3], "int32"))
    assert out.dtype == "int32"
    np.testing.assert_array_equal(out.numpy(), ACTIVATIONS[name][1](np.array([-2, 0, 3])))
    assert nn.threshold(np.array([-2, 0, 3], "int32"), 0, 5).numpy().tolist() == [5, 5, 3]


@pytest.mark.parametrize("name", ["elu", "selu", "softplus", "sigmoid", "gelu_tanh", "softmax", "leaky_relu"])
def test_integer_inputs_become_floatx(name):
    op, ref = ACTIVATIONS[name]
    out = op(np.array([[-2, 0, 3, 1]], "int32"))
    assert out.dtype == "float32"
    np.testing.assert_allclose(out.numpy(), ref(np.array([[-2.0, 0.0, 3.0, 1.0]])), rtol=1e-6)


def test_sparsemax():
    out = nn.sparsemax(np.array([[2.0, 1.5, -1.0], [0.0, 0.0, 0.0]])).numpy()
    np.testing.assert_allclose(out, [[0.75, 0.25, 0.0], [1 / 3, 1 / 3, 1 / 3]])
    np.testing.assert_allclose(nn.sparsemax(X, axis=0).numpy().sum(0), np.ones(4))


def test_large_logits_do_not_overflow():
    with np.errstate(over="raise", invalid="raise"):
        x = np.array([-1000.0, 0.0, 1000.0], "float32")
        assert np.isfinite(nn.softplus(x).numpy()).all() and np.isfinite(nn.log_sigmoid(x).numpy()).all()
        np.testing.assert_allclose(nn.softmax(x).numpy(), [0, 0, 1])


# -- normalization -----------------------------------------------------------------------------------
@pytest.mark.parametrize("axes,keepdims", [([0], False), ([0, 2], True), ((1,), False), (-1, True)])
def test_moments(axes, keepdims):
    x = RNG.standard_normal((3, 4, 5)) + 10
    mean, variance = nn.moments(x, axes, keepdims=keepdims)
    axes_t = tuple(axes) if isinstance(axes, (list, tuple)) else (axes,)
    np.testing.assert_allclose(mean.numpy(), x.mean(axes_t, keepdims=keepdims), rtol=1e-12)
    np.testing.assert_allclose(variance.numpy(), x.var(axes_t, keepdims=keepdims), rtol=1e-10)
    check_gradients(lambda a: nn.moments(a, axes, keepdims=keepdims)[1], x)
    check_gradients(lambda a: nn.moments(a, axes, keepdims=keepdims)[0], x)


def test_moments_dtypes_and_synchronized():
    mean, variance = nn.moments(np.array([1, 2, 3, 6], "int32"), [0], synchronized=True)
    assert mean.dtype == variance.dtype == "float32" and float(mean) == 3.0 and float(variance) == 3.5
    m16, v16 = nn.moments(np.full(4, 60000.0, "float16") * np.array([1, -1, 1, -1], "float16"), [0])
    assert m16.dtype == v16.dtype == "float16"
    assert float(v16) == float(np.finfo("float16").max)  # 3.6e9 clipped to float16's range, not inf
    assert check_float32(lambda a: nn.moments(a, [0])[1], X).dtype == "float32"


def test_batch_normalization_values_and_gradients_in_every_argument():
    x = RNG.standard_normal((4, 3, 2))
    mean, var, offset, scale = RNG.standard_normal(3), RNG.uniform(0.5, 2, 3), RNG.standard_normal(3), \
        RNG.standard_normal(3)
    out = nn.batch_normalization(x, mean, var, axis=1, offset=offset, scale=scale, epsilon=1e-3)
    shaped = [v.reshape(1, 3, 1) for v in (mean, var, offset, scale)]
    np.testing.assert_allclose(out.numpy(), (x - shaped[0]) / np.sqrt(shaped[1] + 1e-3) * shaped[3] + shaped[2],
                               rtol=1e-12)
    check_gradients(lambda *a: nn.batch_normalization(a[0], a[1], a[2], 1, a[3], a[4]), x, mean, var, offset,
                    scale)
    check_float32(lambda a, m: nn.batch_normalization(a, m, np.ones(4, "float32"), -1), X, np.zeros(4))
    with pytest.raises(ValueError, match="`mean` must be a vector of length x.shape\\[axis\\] = 4"):
        nn.batch_normalization(X, np.zeros(3), np.ones(4), axis=-1)


@pytest.mark.parametrize("axis", [-1, (1, 2), [0, 2]])
def test_layer_normalization(axis):
    x = RNG.standard_normal((3, 4, 5)) * 3 + 1
    axes = (2,) if axis == -1 else tuple(axis)
    param_shape = tuple(x.shape[a] for a in axes)
    gamma, beta = RNG.standard_normal(param_shape), RNG.standard_normal(param_shape)
    bshape = [x.shape[d] if d in axes else 1 for d in range(3)]
    mean, var = x.mean(axes, keepdims=True), x.var(axes, keepdims=True)
    want = (x - mean) / np.sqrt(var + 1e-5) * gamma.reshape(bshape) + beta.reshape(bshape)
    np.testing.assert_allclose(nn.layer_normalization(x, gamma, beta, axis=axis, epsilon=1e-5).numpy(), want,
                               rtol=1e-10, atol=1e-12)
    check_gradients(lambda a, g, b: nn.layer_normalization(a, g, b, axis=axis), x, gamma, beta)


def test_layer_normalization_defaults_dtypes_and_rms_scaling():
    np.testing.assert_allclose(nn.layer_normalization(np.arange(5.0)).numpy(),
                               (np.arange(5.0) - 2) / np.sqrt(2 + 1e-7), rtol=1e-12)
    assert nn.layer_normalization(np.arange(5, dtype="int32")).dtype == "float32"
    half = nn.layer_normalization(np.arange(5, dtype="float16"))
    assert half.dtype == "float16"
    x, gamma = RNG.standard_normal((2, 3)), RNG.standard_normal(3)
    np.testing.assert_allclose(nn.layer_normalization(x, gamma, rms_scaling=True).numpy(),
                               x / np.sqrt(x.var(-1, keepdims=True) + 1e-7) * gamma, rtol=1e-10)
    check_float32(lambda a: nn.layer_normalization(a), X)


@pytest.mark.parametrize("axis", [-1, 0, (0, 1)])
def test_rms_normalization(axis):
    scale = RNG.standard_normal(4) if axis == -1 else None
    axes = axis if isinstance(axis, tuple) else (axis,)
    want = X / np.sqrt((X ** 2).mean(axes, keepdims=True) + 1e-7) * (1 if scale is None else scale)
    np.testing.assert_allclose(nn.rms_normalization(X, scale, axis=axis).numpy(), want, rtol=1e-10)
    if scale is None:
        check_gradients(lambda a: nn.rms_normalization(a, axis=axis), X)
    else:
        check_gradients(lambda a, s: nn.rms_normalization(a, s, axis=axis), X, scale)
    assert check_float32(lambda a: nn.rms_normalization(a, axis=axis), X).dtype == "float32"


@pytest.mark.parametrize("order", [1, 2, 3])
def test_normalize(order):
    want = X / np.maximum(np.linalg.norm(X, ord=order, axis=-1, keepdims=True), 1e-7)
    np.testing.assert_allclose(nn.normalize(X, order=order).numpy(), want, rtol=1e-10)
    check_gradients(lambda a: nn.normalize(a, axis=0, order=order), X)
    np.testing.assert_allclose(nn.normalize(np.zeros(3), epsilon=0.5).numpy(), np.zeros(3))
    assert nn.normalize(np.array([3, 4], "int32")).dtype == "float32"
    with pytest.raises(ValueError, match="`order` must be an int >= 1. Received: order=0"):
        nn.normalize(X, order=0)


# -- losses ------------------------------------------------------------------------------------------
P = RNG.uniform(0.05, 0.95, (4, 3))
T_SOFT = np_softmax(RNG.standard_normal((4, 3)))
LABELS = np.array([0, 2, 1, 2])


def test_binary_crossentropy():
    t = RNG.integers(0, 2, (4, 3)).astype(float)
    np.testing.assert_allclose(nn.binary_crossentropy(t, P).numpy(), -(t * np.log(P) + (1 - t) * np.log(1 - P)),
                               rtol=1e-10)
    z = RNG.standard_normal((4, 3)) * 3
    np.testing.assert_allclose(nn.binary_crossentropy(t, z, from_logits=True).numpy(),
                               -(t * np.log(np_sigmoid(z)) + (1 - t) * np.log(1 - np_sigmoid(z))), rtol=1e-10)
    clipped = nn.binary_crossentropy(np.array([1.0, 0.0], "float32"), np.array([0.0, 1.0], "float32"))
    assert clipped.dtype == "float32" and np.all(np.isfinite(clipped.numpy()))
    check_gradients(lambda a: nn.binary_crossentropy(t, a), P)
    check_gradients(lambda a, b: nn.binary_crossentropy(a, b, from_logits=True), T_SOFT, z)
    with pytest.raises(ValueError, match="same shape"):
        nn.binary_crossentropy(t, P[:, :2])


@pytest.mark.parametrize("axis", [-1, 0])
def test_categorical_crossentropy(axis):
    unnormalized = P * 3
    probs = unnormalized / unnormalized.sum(axis, keepdims=True)
    np.testing.assert_allclose(nn.categorical_crossentropy(T_SOFT, unnormalized, axis=axis).numpy(),
                               -(T_SOFT * np.log(probs)).sum(axis), rtol=1e-10)
    z = RNG.standard_normal((4, 3))
    np.testing.assert_allclose(nn.categorical_crossentropy(T_SOFT, z, from_logits=True, axis=axis).numpy(),
                               -(T_SOFT * np.log(np_softmax(z, axis))).sum(axis), rtol=1e-10)
    check_gradients(lambda a, b: nn.categorical_crossentropy(a, b, axis=axis), T_SOFT, unnormalized)
    check_gradients(lambda a, b: nn.categorical_crossentropy(a, b, from_logits=True, axis=axis), T_SOFT, z)


def test_sparse_categorical_crossentropy():
    z = RNG.standard_normal((4, 3))
    want = -np.log(np_softmax(z))[np.arange(4), LABELS]
    np.testing.assert_allclose(nn.sparse_categorical_crossentropy(LABELS, z, from_logits=True).numpy(), want,
                               rtol=1e-10)
    np.testing.assert_allclose(nn.sparse_categorical_crossentropy(LABELS[:, None], np_softmax(z)).numpy(), want,
                               rtol=1e-10)
    np.testing.assert_allclose(nn.sparse_categorical_crossentropy(LABELS, z.T, from_logits=True, axis=0).numpy(),
                               -np.log(np_softmax(z.T, 0))[LABELS, np.arange(4)], rtol=1e-10)
    check_gradients(lambda a: nn.sparse_categorical_crossentropy(LABELS, a, from_logits=True), z)
    check_gradients(lambda a: nn.sparse_categorical_crossentropy(LABELS, a), P)
    assert check_float32(lambda a: nn.sparse_categorical_crossentropy(LABELS, a), P).shape == (4,)
    with pytest.raises(ValueError, match="target.shape=\\(3,\\)"):
        nn.sparse_categorical_crossentropy(LABELS[:3], z)


def test_psnr():
    a, b = RNG.uniform(0, 1, (2, 5)), RNG.uniform(0, 1, (2, 5))
    want = 20 * np.log10(1.5) - 10 * np.log10(np.mean((a - b) ** 2))
    assert float(nn.psnr(a, b, 1.5)) == pytest.approx(want, rel=1e-12)
    check_gradients(lambda x, y: nn.psnr(x, y, 2.0), a, b)
    assert check_float32(lambda x: nn.psnr(x, b.astype("float32"), 1.0), a).shape == ()


# -- encodings ---------------------------------------------------------------------------------------
def test_multi_hot():
    np.testing.assert_array_equal(nn.multi_hot([0, 4], 5).numpy(), [1, 0, 0, 0, 1])
    out = nn.multi_hot(np.array([[0, 2], [1, 1]]), num_classes=3)
    assert out.dtype == "float32"
    np.testing.assert_array_equal(out.numpy(), [[1, 0, 1], [0, 1, 0]])
    np.testing.assert_array_equal(nn.multi_hot([[3]], num_tokens=4, dtype="int32").numpy(), [[0, 0, 0, 1]])
    with pytest.raises(ValueError, match="`num_classes` must be given"):
        nn.multi_hot([1])


def test_one_hot_rejects_sparse():
    with pytest.raises(ValueError, match="no sparse tensors"):
        nn.one_hot([1], 2, sparse=True)


# -- attention ---------------------------------------------------------------------------------------
def np_attention(q, k, v, bias=None, mask=None, scale=None, is_causal=False):
    groups = q.shape[2] // k.shape[2]
    k, v = np.repeat(k, groups, axis=2), np.repeat(v, groups, axis=2)
    logits = np.einsum("btnh,bsnh->bnts", q, k) * (1 / np.sqrt(q.shape[-1]) if scale is None else scale)
    if bias is not None:
        logits = logits + bias
    keep = np.ones(logits.shape, bool)
    if mask is not None:
        keep &= mask
    if is_causal:
        keep &= np.tril(np.ones(logits.shape[-2:], bool))
    logits = np.where(keep, logits, -1e30)
    return np.einsum("bnts,bsnh->btnh", np_softmax(logits), v)


ATTENTION_CASES = {
    "plain": {},
    "scale": {"scale": 0.3},
    "bias": {"bias": RNG.standard_normal((1, 2, 3, 4))},
    "mask": {"mask": RNG.random((2, 1, 3, 4)) > 0.3},
    "causal": {"is_causal": True},
    "mask-causal-flash-none": {"mask": RNG.random((3, 4)) > 0.2, "is_causal": True, "flash_attention": False},
}


@pytest.mark.parametrize("case", sorted(ATTENTION_CASES))
@pytest.mark.parametrize("kv_heads", [2, 1])
def test_dot_product_attention(case, kv_heads):
    kwargs = ATTENTION_CASES[case]
    q, k, v = RNG.standard_normal((2, 3, 2, 5)), RNG.standard_normal((2, 4, kv_heads, 5)), \
        RNG.standard_normal((2, 4, kv_heads, 5))
    ref_kwargs = {key: val for key, val in kwargs.items() if key != "flash_attention"}
    np.testing.assert_allclose(nn.dot_product_attention(q, k, v, **kwargs).numpy(),
                               np_attention(q, k, v, **ref_kwargs), rtol=1e-10, atol=1e-12)
    check_gradients(lambda a, b, c: nn.dot_product_attention(a, b, c, **kwargs), q, k, v)


def test_dot_product_attention_fully_masked_rows_attend_uniformly_and_errors():
    q = RNG.standard_normal((1, 2, 1, 3)).astype("float32")
    v = RNG.standard_normal((1, 2, 1, 3)).astype("float32")
    out = nn.dot_product_attention(q, q, v, mask=np.zeros((2, 2), bool))
    assert out.dtype == "float32"
    np.testing.assert_allclose(out.numpy()[0, :, 0], np.tile(v[0, :, 0].mean(0), (2, 1)), rtol=1e-6)
    with pytest.raises(ValueError, match="flash attention"):
        nn.dot_product_attention(q, q, v, flash_attention=True)
    with pytest.raises(ValueError, match="must be 4-D"):
        nn.dot_product_attention(q[0], q[0], v[0])
    with pytest.raises(ValueError, match="multiple of the key's 2"):
        nn.dot_product_attention(np.zeros((1, 2, 3, 4)), np.zeros((1, 2, 2, 4)), np.zeros((1, 2, 2, 4)))


# -- pooling, patches, rearrangements ----------------------------------------------------------------
def np_adaptive(x, out_sizes, axes, reduce):
    for axis, out in zip(axes, out_sizes):
        n = x.shape[axis]
        pieces = [reduce(np.take(x, range(i * n // out, -(-(i + 1) * n // out)), axis=axis), axis=axis,
                         keepdims=True) for i in range(out)]
        x = np.concatenate(pieces, axis=axis)
    return x


@pytest.mark.parametrize("mode", ["average", "max"])
@pytest.mark.parametrize("shape,size,data_format", [((2, 7, 3), 3, None), ((1, 5, 6, 2), (2, 4), "channels_last"),
                                                    ((1, 2, 5, 6), 4, "channels_first"),
                                                    ((1, 4, 3, 5, 2), (2, 3, 2), None)])
def test_adaptive_pools(mode, shape, size, data_format):
    op = nn.adaptive_average_pool if mode == "average" else nn.adaptive_max_pool
    x = RNG.permutation(np.prod(shape)).reshape(shape).astype(float)  # distinct: max has one winner
    rank = len(shape) - 2
    sizes = (size,) * rank if isinstance(size, int) else size
    axes = tuple(range(2, 2 + rank)) if data_format == "channels_first" else tuple(range(1, 1 + rank))
    want = np_adaptive(x, sizes, axes, np.mean if mode == "average" else np.max)
    np.testing.assert_allclose(op(x, size, data_format=data_format).numpy(), want, rtol=1e-12)
    check_gradients(lambda a: op(a, size, data_format=data_format), x)
    check_float32(lambda a: op(a, size, data_format=data_format), x)


def test_adaptive_pool_errors():
    with pytest.raises(ValueError, match="1, 2 or 3 spatial axes"):
        nn.adaptive_average_pool(np.zeros((2, 3)), 1)
    with pytest.raises(ValueError, match="`output_size` must be a positive int or 2 of them"):
        nn.adaptive_max_pool(np.zeros((1, 4, 4, 1)), (2, 2, 2))


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_depth_to_space_and_back(data_format):
    x = RNG.standard_normal((2, 3, 2, 8) if data_format == "channels_last" else (2, 8, 3, 2))
    y = nn.depth_to_space(x, 2, data_format=data_format)
    if data_format == "channels_last":
        n, h, w, c = x.shape
        want = x.reshape(n, h, w, 2, 2, c // 4).transpose(0, 1, 3, 2, 4, 5).reshape(n, h * 2, w * 2, c // 4)
        assert y.shape == (2, 6, 4, 2)
        assert y.numpy()[0, 1, 1, 0] == x[0, 0, 0, (1 * 2 + 1) * 2 + 0]  # block offset (1, 1), channel 0
    else:
        n, c, h, w = x.shape
        want = x.reshape(n, c // 4, 2, 2, h, w).transpose(0, 1, 4, 2, 5, 3).reshape(n, c // 4, h * 2, w * 2)
    np.testing.assert_array_equal(y.numpy(), want)
    np.testing.assert_array_equal(nn.space_to_depth(y, 2, data_format=data_format).numpy(), x)
    check_gradients(lambda a: nn.depth_to_space(a, 2, data_format=data_format), x)
    check_gradients(lambda a: nn.space_to_depth(a, 2, data_format=data_format), want)


def test_depth_to_space_errors():
    with pytest.raises(ValueError, match="the number of channels \\(6\\) must be divisible by 4"):
        nn.depth_to_space(np.zeros((1, 2, 2, 6)), 2)
    with pytest.raises(ValueError, match="the height \\(3\\) must be divisible by 2"):
        nn.space_to_depth(np.zeros((1, 3, 2, 6)), 2)
    with pytest.raises(ValueError, match="`block_size` must be an int >= 2"):
        nn.depth_to_space(np.zeros((1, 2, 2, 4)), 1)


def test_unfold_and_fold_through_the_ops():
    x = RNG.standard_normal((1, 2, 4, 5))
    cols = nn.unfold(x, (2, 3), dilation=1, padding=1, stride=(2, 1))
    assert cols.shape == (1, 2 * 2 * 3, 3 * 5)
    np.testing.assert_array_equal(cols.numpy()[0, :, 0], np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)))[0, :, :2, :3].ravel())
    back = nn.fold(nn.unfold(x, 2, stride=2, padding=0), output_size=(4, 4), kernel_size=2, stride=2)
    np.testing.assert_array_equal(back.numpy(), x[..., :4])


def test_polar():
    r, theta = RNG.uniform(0, 2, 4).astype("float32"), RNG.uniform(-3, 3, 4).astype("float32")
    out = nn.polar(r, theta)
    assert out.dtype == "complex64"
    np.testing.assert_allclose(out.numpy(), r * np.exp(1j * theta), rtol=1e-6)
    assert nn.polar(np.ones(2), np.zeros(2)).dtype == "complex128"


def test_convolution_and_pooling_ops_have_keras_signatures():
    import inspect
    signatures = {
        "conv": "(inputs, kernel, strides=1, padding='valid', data_format=None, dilation_rate=1)",
        "depthwise_conv": "(inputs, kernel, strides=1, padding='valid', data_format=None, dilation_rate=1)",
        "separable_conv": "(inputs, depthwise_kernel, pointwise_kernel, strides=1, padding='valid', "
                          "data_format=None, dilation_rate=1)",
        "conv_transpose": "(inputs, kernel, strides=1, padding='valid', output_padding=None, data_format=None, "
                          "dilation_rate=1)",
        "max_pool": "(inputs, pool_size, strides=None, padding='valid', data_format=None)",
        "average_pool": "(inputs, pool_size, strides=None, padding='valid', data_format=None)",
        "adaptive_max_pool": "(inputs, output_size, data_format=None)",
        "gelu": "(x, approximate=True)",
        "moments": "(x, axes, keepdims=False, synchronized=False)",
        "dot_product_attention": "(query, key, value, bias=None, mask=None, scale=None, is_causal=False, "
                                 "flash_attention=None, attn_logits_soft_cap=None)",
    }
    for name, signature in signatures.items():
        assert str(inspect.signature(getattr(nn, name))) == signature, name
    x = np.arange(32, dtype="float32").reshape(1, 2, 4, 4)
    np.testing.assert_array_equal(nn.max_pool(x, 2, data_format="channels_first").numpy(),
                                  x.reshape(1, 2, 2, 2, 2, 2).max((3, 5)))
    with pytest.raises(ValueError, match="data_format"):
        nn.average_pool(x, 2, data_format="NCHW")


def test_the_family_holds_exactly_kerass_nn_functions():
    import importlib.util
    import json
    import pathlib
    surface = pathlib.Path(__file__).resolve().parents[2] / "tests" / "surface"
    spec = importlib.util.spec_from_file_location("keras_absent", surface / "keras_absent.py")
    absent_table = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(absent_table)
    absent = {n for names in absent_table.ABSENT["ops"].values() for n in names.split()}
    names = json.loads((surface / "keras_names.json").read_text())["namespaces"]["ops"]
    keras_nn = {name for name, module in names.items() if module == "keras.src.ops.nn"}
    assert sorted(nn.__all__) == sorted(keras_nn - absent)
