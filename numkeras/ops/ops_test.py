"""numkeras.ops: the public namespace, conversions, one_hot, argmax and comparisons.

The ops' values and gradients are checked op by op in numkeras/engine/*_test.py;
here we check the public surface that custom layers and losses rely on.
"""
import types

import numpy as np
import pytest

import numkeras
from numkeras import ops
from numkeras.engine.gradient_check import check_float32, check_gradients

SPEC_NAMES = ("matmul add subtract multiply divide exp log sqrt square abs sum mean max min argmax reshape "
              "transpose concatenate stack where clip maximum relu sigmoid softmax log_softmax one_hot "
              "convert_to_tensor convert_to_numpy tanh cast log1p negative equal").split()


# Every public name of numkeras.ops; a new op is added here too (keras.ops has each of them).
OPS = ("abs add all any arange argmax argmin average_pool cast clip concatenate conv conv_transpose ctc_decode ctc_loss "
       "convert_to_numpy convert_to_tensor depthwise_conv divide einsum equal exp expand_dims greater "
       "greater_equal less less_equal log log1p log_softmax logical_and logical_not logical_or matmul max "
       "max_pool maximum mean min minimum multiply negative not_equal one_hot pad power "
       "relu repeat reshape separable_conv shape sigmoid sign softmax sqrt square squeeze stack stop_gradient "
       "subtract sum take tanh transpose where "
       # keras.src.ops.math
       "cdist erf erfc erfinv extract_sequences fft fft2 ifft2 in_top_k irfft istft logdet logsumexp rfft "
       "rsqrt segment_max segment_min segment_prod segment_sum stft top_k view_as_complex view_as_real "
       # keras.ops.linalg
       "cholesky cholesky_inverse det eig eigh inv jvp lstsq lu_factor matrix_rank norm pinv qr solve "
       "solve_triangular svd").split()
OPS += ("absolute allclose amax amin angle append arccos arccosh arcsin arcsinh arctan arctan2 arctanh "
        "argpartition argsort array array_split average bartlett bincount bitwise_and bitwise_invert "
        "bitwise_left_shift bitwise_not bitwise_or bitwise_right_shift bitwise_xor blackman broadcast_to "
        "cbrt ceil conj conjugate copy corrcoef correlate cos cosh count_nonzero cross cumprod cumsum "
        "deg2rad diag diagflat diagonal diff digitize divide_no_nan dot dsplit dstack empty empty_like exp2 "
        "expm1 eye fabs flip fliplr flipud floor floor_divide fmax fmin fmod full full_like gcd geomspace "
        "get_item hamming hanning heaviside histogram hsplit hstack hypot i0 identity imag inner isclose "
        "isfinite isin isinf isnan isneginf isposinf isreal kaiser kron lcm ldexp left_shift linspace log10 "
        "log2 logaddexp logaddexp2 logical_xor logspace median meshgrid mod moveaxis nan_to_num nanargmax "
        "nanargmin nancumprod nancumsum nanmax nanmean nanmedian nanmin nanpercentile nanprod nanquantile "
        "nanstd nansum nanvar ndim nextafter nonzero ones ones_like outer percentile prod ptp quantile "
        "rad2deg ravel real reciprocal right_shift roll rot90 round searchsorted select signbit sin sinc "
        "sinh size slogdet sort split std swapaxes take_along_axis tan tensordot tile trace trapezoid tri "
        "tril triu true_divide trunc unique unravel_index vander var vdot vectorize view vsplit vstack "
        "zeros zeros_like").split()  # the rest of keras.ops.numpy
OPS += ("abs adaptive_average_pool adaptive_max_pool add all any arange argmax argmin associative_scan "
       "average_pool batch_normalization binary_crossentropy cast categorical_crossentropy celu clip "
       "concatenate cond conv conv_transpose convert_to_numpy convert_to_tensor custom_gradient "
       "depth_to_space depthwise_conv divide dot_product_attention dtype einsum elu equal exp expand_dims "
       "fold fori_loop gelu glu greater greater_equal hard_shrink hard_sigmoid hard_silu hard_swish hard_tanh "
       "is_tensor layer_normalization leaky_relu less less_equal log log1p log_sigmoid log_softmax "
       "logical_and logical_not logical_or map matmul max max_pool maximum mean min minimum moments multi_hot "
       "multiply negative normalize not_equal one_hot pad polar power psnr rearrange relu relu6 repeat reshape "
       "rms_normalization saturate_cast scan scatter scatter_update selu separable_conv shape sigmoid sign "
       "silu slice slice_update soft_shrink softmax softplus softsign space_to_depth "
       "sparse_categorical_crossentropy sparse_plus sparse_sigmoid sparsemax sqrt square squareplus squeeze "
       "stack stop_gradient subtract sum swish switch take tanh tanh_shrink threshold transpose unfold "
       "unstack vectorized_map where while_loop ").split()  # keras.ops.nn, the core ops and rearrange
OPS = sorted(set(OPS))


@pytest.mark.parametrize("name", SPEC_NAMES)
def test_the_spec_names_are_public(name):
    assert callable(getattr(ops, name)) and name in ops.__all__


FAMILIES = ("image", "linalg", "nn", "numpy")  # sub-namespaces, as keras.ops has them


def test_the_namespace_lists_only_ops_and_their_families():
    listed = [name for name in dir(ops) if not name.startswith("__")]
    assert sorted(listed) == sorted(OPS + list(FAMILIES)) == sorted(ops.__all__)
    modules = [name for name in dir(ops) if isinstance(getattr(ops, name), types.ModuleType)]
    assert sorted(modules) == sorted(FAMILIES)
    assert all(callable(getattr(ops, name)) for name in OPS)
    for helper in ("np", "xp", "floatx", "Tensor"):  # keras.ops has none of these
        assert not hasattr(ops, helper)


def test_each_family_is_reachable_from_the_top_and_lists_only_functions():
    for family in FAMILIES:
        module = getattr(ops, family)
        for name in module.__all__:
            assert callable(getattr(module, name)), (family, name)
            if family != "image":  # keras.ops has the image functions under ops.image only
                assert getattr(ops, name) is getattr(module, name), (family, name)


def test_the_top_level_package_exposes_ops_tape_and_variable():
    assert numkeras.ops is ops
    assert numkeras.GradientTape is numkeras.engine.GradientTape
    assert numkeras.Variable is numkeras.engine.Variable


@pytest.mark.parametrize("kind", ["tensor", "variable", "ndarray", "list"])
def test_ops_accept_tensors_variables_arrays_and_lists(kind):
    raw = np.array([[1.0, -2.0], [3.0, 0.5]], "float32")
    x = {"tensor": ops.convert_to_tensor(raw), "variable": numkeras.Variable(raw),
         "ndarray": raw, "list": raw.tolist()}[kind]
    for fn, ref in [(lambda a: ops.add(a, 1.0), raw + 1), (lambda a: ops.matmul(a, a), raw @ raw),
                    (lambda a: ops.sum(a, axis=0), raw.sum(0)), (ops.relu, np.maximum(raw, 0)),
                    (lambda a: ops.where(ops.greater(a, 0), a, 0.0), np.maximum(raw, 0))]:
        out = fn(x)
        assert isinstance(out, numkeras.Tensor) and out.dtype == "float32"
        np.testing.assert_allclose(out.numpy(), ref, rtol=1e-6)


@pytest.mark.parametrize("value,dtype,expected", [
    (1.5, None, "float32"),
    ([1.0, 2.0], None, "float32"),
    ([[1, 2.5]], None, "float32"),
    (3, None, "int32"),
    ([1, 2], None, "int32"),
    ([True, False], None, "bool"),
    (np.ones(2), None, "float64"),  # an array keeps its dtype
    (np.ones(2, "int64"), None, "int64"),
    (np.ones(2, "uint8"), None, "uint8"),
    ([1, 2], "float32", "float32"),
    (np.ones(2), "float32", "float32"),
    (1.5, "float64", "float64"),
])
def test_convert_to_tensor_dtype(value, dtype, expected):
    t = ops.convert_to_tensor(value, dtype=dtype)
    assert isinstance(t, numkeras.Tensor) and t.dtype == expected
    np.testing.assert_array_equal(t.numpy(), np.asarray(value).astype(expected))


def test_convert_to_tensor_of_a_tensor():
    t = ops.convert_to_tensor([1.0, 2.0])
    assert ops.convert_to_tensor(t) is t
    assert ops.convert_to_tensor(t, dtype="float64").dtype == "float64"
    v = numkeras.Variable([1.0])
    np.testing.assert_array_equal(ops.convert_to_tensor(v).numpy(), [1.0])


@pytest.mark.parametrize("value", [ops.convert_to_tensor([1.0, 2.0]), numkeras.Variable([1.0, 2.0]),
                                   np.array([1.0, 2.0], "float32"), [1.0, 2.0]])
def test_convert_to_numpy(value):
    out = ops.convert_to_numpy(value)
    assert type(out) is np.ndarray
    np.testing.assert_array_equal(out, [1.0, 2.0])


def test_convert_to_numpy_keeps_the_dtype():
    assert ops.convert_to_numpy(ops.convert_to_tensor(np.ones(2, "float16"))).dtype == np.float16


def test_arange():
    assert ops.arange(3).numpy().tolist() == [0, 1, 2] and ops.arange(3).dtype == "int32"
    assert ops.arange(1, 7, 2).numpy().tolist() == [1, 3, 5]
    assert ops.arange(0.0, 1.0, 0.5).dtype == "float32"


@pytest.mark.parametrize("indices", [[0, 2, 1], np.array([0, 2, 1]), ops.convert_to_tensor([0, 2, 1])])
def test_one_hot(indices):
    out = ops.one_hot(indices, 4)
    assert out.dtype == "float32"
    np.testing.assert_array_equal(out.numpy(), np.eye(4)[[0, 2, 1]])


def test_one_hot_dtype_axis_rank_and_out_of_range():
    np.testing.assert_array_equal(ops.one_hot([1, 0], 3, axis=0).numpy(), np.eye(3)[[1, 0]].T)
    assert ops.one_hot([1], 2, dtype="int32").dtype == "int32"
    assert ops.one_hot(np.zeros((2, 5), int), 3).shape == (2, 5, 3)
    np.testing.assert_array_equal(ops.one_hot([3, -1], 3).numpy(), np.zeros((2, 3)))  # as TF: all zeros


def test_argmax():
    x = ops.convert_to_tensor([[0.1, 0.7, 0.2], [0.9, 0.05, 0.05]])
    np.testing.assert_array_equal(ops.argmax(x, axis=-1).numpy(), [1, 0])
    np.testing.assert_array_equal(ops.argmax(x, axis=0).numpy(), [1, 0, 0])
    assert int(ops.argmax(x)) == 3
    assert ops.argmax(x, axis=1, keepdims=True).shape == (2, 1)


@pytest.mark.parametrize("fn,ref", [(ops.equal, np.equal), (ops.not_equal, np.not_equal),
                                    (ops.greater, np.greater), (ops.greater_equal, np.greater_equal),
                                    (ops.less, np.less), (ops.less_equal, np.less_equal)])
def test_comparisons(fn, ref):
    a, b = np.array([1.0, 2.0, 3.0], "float32"), np.array([2.0, 2.0, 1.0], "float32")
    for x, y in [(a, b), (ops.convert_to_tensor(a), numkeras.Variable(b)), (a, 2.0)]:
        out = fn(x, y)
        assert out.dtype == "bool"
        np.testing.assert_array_equal(out.numpy(), ref(a, np.asarray(y)))


def test_shape():
    assert ops.shape(ops.convert_to_tensor(np.zeros((2, 3)))) == (2, 3)
    assert ops.shape([[1, 2, 3]]) == (1, 3)


def cross_entropy(logits, labels):
    """A custom loss written with ops only, as a user would."""
    return -ops.mean(ops.sum(labels * ops.log_softmax(logits, axis=-1), axis=-1))


def test_a_custom_loss_built_from_ops_differentiates_and_stays_float32():
    rng = np.random.default_rng(0)
    logits, labels = rng.standard_normal((5, 4)), np.eye(4)[rng.integers(0, 4, 5)]
    check_gradients(lambda z: cross_entropy(z, labels), logits)
    check_float32(lambda z: cross_entropy(z, labels.astype("float32")), logits)
    np.testing.assert_allclose(
        cross_entropy(logits, labels).numpy(),
        -np.mean(np.sum(labels * (logits - np.log(np.exp(logits).sum(-1, keepdims=True))), -1)))


def test_a_dense_layer_by_hand_trains_with_the_tape():
    # The hand-written training loop of the spec, on ops, Variables and the tape only.
    rng = np.random.default_rng(0)
    x = rng.standard_normal((64, 3)).astype("float32")
    y = (x @ np.array([[1.0], [-2.0], [0.5]], "float32") + 0.3).astype("float32")
    w, b = numkeras.Variable(np.zeros((3, 1))), numkeras.Variable(np.zeros(1))
    for _ in range(200):
        with numkeras.GradientTape() as tape:
            loss = ops.mean(ops.square(ops.matmul(x, w) + b - y))
        for var, g in zip([w, b], tape.gradient(loss, [w, b])):
            var.assign_sub(0.1 * g)
    assert w.dtype == b.dtype == "float32"
    np.testing.assert_allclose(w.numpy().ravel(), [1.0, -2.0, 0.5], atol=1e-3)
    np.testing.assert_allclose(b.numpy(), [0.3], atol=1e-3)


def test_convolution_and_pooling_ops_take_keras_arguments():
    x = np.arange(16, dtype="float32").reshape(1, 4, 4, 1)
    np.testing.assert_array_equal(ops.max_pool(x, 2).numpy()[0, :, :, 0], [[5, 7], [13, 15]])
    assert ops.average_pool(x, 2, strides=1).shape == (1, 3, 3, 1)
    out = ops.conv(x, np.ones((3, 3, 1, 1), "float32"))
    assert out.shape == (1, 2, 2, 1) and float(out.numpy()[0, 0, 0, 0]) == x[0, :3, :3, 0].sum()
    assert ops.pad(np.ones((2, 2), "float32"), ((1, 1), (0, 0))).shape == (4, 2)


@pytest.mark.parametrize("axis", [None, 0, 1, -1])
def test_take_matches_numpy_and_its_gradient_is_a_scatter_add(axis):
    from numkeras.engine.gradient_check import check_gradients
    x = np.random.default_rng(0).standard_normal((3, 4, 2))
    idx = np.array([[1, 0], [1, 1]])
    np.testing.assert_array_equal(ops.take(x, idx, axis=axis).numpy(), np.take(x, idx, axis=axis))
    check_gradients(lambda a: ops.take(a, idx, axis=axis), x)


def test_mask_helpers():
    a, b = np.array([True, False, True]), np.array([False, False, True])
    assert ops.logical_or(a, b).numpy().tolist() == [True, False, True]
    assert ops.logical_and(a, b).numpy().tolist() == [False, False, True]
    assert ops.logical_not(a).numpy().tolist() == [False, True, False]
    x = np.array([[[0.0, 1.0], [0.0, 0.0]]])
    assert ops.any(ops.not_equal(x, 0.0), axis=-1).numpy().tolist() == [[True, False]]
    assert ops.all(a).numpy().item() is False
