"""ops.numpy: values against NumPy, Keras's dtype rules, edge cases and gradients (float64 finite differences).

The comparison with real Keras, op by op, is tests/keras_parity/ops_numpy_test.py.
"""
import numpy as np
import pytest

import numkeras
from numkeras.engine.gradient_check import check_float32, check_gradients
from numkeras.ops import numpy as knp

RS = np.random.RandomState(0)
X = RS.normal(size=(3, 4))
Y = RS.normal(size=(3, 4))
UNIT = RS.uniform(-0.8, 0.8, (3, 4))
POS = RS.uniform(0.3, 2.0, (3, 4))
BIG = RS.uniform(1.3, 3.0, (3, 4))
DISTINCT = RS.permutation(12).reshape(3, 4) * 0.37 - 2.0  # no ties: sort/median/max gradients are defined
SQ = RS.normal(size=(3, 3)) + 3 * np.eye(3)

# (name, function of float64 tensors, inputs, NumPy reference or None)
GRADIENTS = [
    ("sin", knp.sin, [X], np.sin), ("cos", knp.cos, [X], np.cos), ("tan", knp.tan, [UNIT], np.tan),
    ("arcsin", knp.arcsin, [UNIT], np.arcsin), ("arccos", knp.arccos, [UNIT], np.arccos),
    ("arctan", knp.arctan, [X], np.arctan), ("sinh", knp.sinh, [X], np.sinh), ("cosh", knp.cosh, [X], np.cosh),
    ("arcsinh", knp.arcsinh, [X], np.arcsinh), ("arccosh", knp.arccosh, [BIG], np.arccosh),
    ("arctanh", knp.arctanh, [UNIT], np.arctanh), ("exp2", knp.exp2, [X], np.exp2),
    ("expm1", knp.expm1, [X], np.expm1), ("log2", knp.log2, [POS], np.log2), ("log10", knp.log10, [POS], np.log10),
    ("cbrt", knp.cbrt, [POS], np.cbrt), ("reciprocal", knp.reciprocal, [POS], np.reciprocal),
    ("sinc", knp.sinc, [X], np.sinc), ("i0", knp.i0, [X * 3], np.i0), ("deg2rad", knp.deg2rad, [X], np.deg2rad),
    ("rad2deg", knp.rad2deg, [X], np.rad2deg), ("fabs", knp.fabs, [X], np.fabs), ("copy", knp.copy, [X], np.copy),
    ("arctan2", knp.arctan2, [X, Y], np.arctan2), ("hypot", knp.hypot, [X, Y[0]], np.hypot),
    ("logaddexp", knp.logaddexp, [X * 30, Y], np.logaddexp), ("logaddexp2", knp.logaddexp2, [X, Y], np.logaddexp2),
    ("mod", knp.mod, [X * 3, POS], np.mod), ("fmod", knp.fmod, [X * 3, POS], np.fmod),
    ("fmax", knp.fmax, [X, Y], np.fmax), ("fmin", knp.fmin, [X, Y], np.fmin),
    ("divide_no_nan", knp.divide_no_nan, [X, Y], np.divide),
    ("cumsum", lambda a: knp.cumsum(a, axis=1), [X], lambda a: np.cumsum(a, 1)),
    ("cumsum_flat", knp.cumsum, [X], np.cumsum),
    ("cumprod", lambda a: knp.cumprod(a, axis=0), [X], lambda a: np.cumprod(a, 0)),
    ("cumprod_zeros", lambda a: knp.cumprod(a * [1.0, 0.0, 1.0, 1.0], axis=1), [X],
     lambda a: np.cumprod(a * np.array([1.0, 0.0, 1.0, 1.0]), 1)),
    ("prod", lambda a: knp.prod(a, axis=1), [X], lambda a: np.prod(a, 1)),
    ("prod_zero", lambda a: knp.prod(a * [1.0, 0.0, 1.0, 1.0]), [X],
     lambda a: np.prod(a * np.array([1.0, 0.0, 1.0, 1.0]))),
    ("var", lambda a: knp.var(a, axis=0), [X], lambda a: np.var(a, 0)),
    ("std", knp.std, [X], np.std),
    ("nanmean", knp.nanmean, [X], np.nanmean), ("nanvar", lambda a: knp.nanvar(a, 1), [X], lambda a: np.nanvar(a, 1)),
    ("sort", lambda a: knp.sort(a, axis=0), [DISTINCT], lambda a: np.sort(a, 0)),
    ("median", lambda a: knp.median(a, axis=1), [DISTINCT], lambda a: np.median(a, 1)),
    ("quantile", lambda a: knp.quantile(a, [0.2, 0.9], axis=0), [DISTINCT], lambda a: np.quantile(a, [0.2, 0.9], 0)),
    ("percentile", lambda a: knp.percentile(a, 30.0), [DISTINCT], lambda a: np.percentile(a, 30.0)),
    ("nanmax", lambda a: knp.nanmax(a, axis=1), [DISTINCT], lambda a: np.nanmax(a, 1)),
    ("ptp", lambda a: knp.ptp(a, axis=1), [DISTINCT], lambda a: np.ptp(a, 1)),
    ("take_along_axis", lambda a: knp.take_along_axis(a, np.array([[0, 0, 3]] * 3), axis=1), [X],
     lambda a: np.take_along_axis(a, np.array([[0, 0, 3]] * 3), 1)),
    ("broadcast_to", lambda a: knp.broadcast_to(a, (2, 3, 4)), [X[:, :1]], lambda a: np.broadcast_to(a, (2, 3, 4))),
    ("tile", lambda a: knp.tile(a, (2, 1, 2)), [X], lambda a: np.tile(a, (2, 1, 2))),
    ("roll", lambda a: knp.roll(a, 2, axis=1), [X], lambda a: np.roll(a, 2, 1)),
    ("rot90", lambda a: knp.rot90(a, 3), [X], lambda a: np.rot90(a, 3)),
    ("moveaxis", lambda a: knp.moveaxis(a, 0, -1), [X], lambda a: np.moveaxis(a, 0, -1)),
    ("split", lambda a: knp.split(a, [1, 3], axis=1)[1], [X], lambda a: np.split(a, [1, 3], 1)[1]),
    ("pad_reflect", lambda a: knp.pad(a, ((1, 2), (2, 1)), mode="reflect"), [X],
     lambda a: np.pad(a, ((1, 2), (2, 1)), mode="reflect")),
    ("pad_edge", lambda a: knp.pad(a, 2, mode="edge"), [X], lambda a: np.pad(a, 2, mode="edge")),
    ("diagonal", lambda a: knp.diagonal(a, 1), [X], lambda a: np.diagonal(a, 1)),
    ("diag", lambda a: knp.diag(a, -1), [X[0]], lambda a: np.diag(a, -1)),
    ("trace", knp.trace, [SQ], np.trace), ("tril", knp.tril, [X], np.tril),
    ("triu", lambda a: knp.triu(a, 1), [X], lambda a: np.triu(a, 1)),
    ("vander", knp.vander, [X[0]], np.vander),
    ("tensordot", lambda a, b: knp.tensordot(a, b, axes=([1], [1])), [X, Y],
     lambda a, b: np.tensordot(a, b, ([1], [1]))),
    ("dot", knp.dot, [X, Y.T], np.dot), ("inner", knp.inner, [X, Y], np.inner),
    ("outer", knp.outer, [X[0], Y[1]], np.outer),
    ("vdot", knp.vdot, [X, Y], np.vdot), ("kron", knp.kron, [X[:2, :2], Y], np.kron),
    ("cross", knp.cross, [X[:, :3], Y[:, :3]], np.cross),
    ("trapezoid", lambda a: knp.trapezoid(a, axis=0), [X], lambda a: np.trapezoid(a, axis=0)),
    ("correlate", lambda a, b: knp.correlate(a, b, mode="full"), [X[0], Y[1, :3]],
     lambda a, b: np.correlate(a, b, mode="full")),
    ("correlate_same", lambda a, b: knp.correlate(a, b, mode="same"), [X[0, :3], Y[1]],
     lambda a, b: np.correlate(a, b, mode="same")),
    ("corrcoef", knp.corrcoef, [X], np.corrcoef),
    ("slogdet", lambda a: knp.slogdet(a)[1], [SQ], lambda a: np.linalg.slogdet(a)[1]),
    ("average", lambda a, w: knp.average(a, axis=1, weights=w), [X, POS[0]],
     lambda a, w: np.average(a, axis=1, weights=w)),
    ("diff", lambda a: knp.diff(a, n=2), [X], lambda a: np.diff(a, n=2)),
    ("nan_to_num", knp.nan_to_num, [X], np.nan_to_num),
    ("select", lambda a, b: knp.select([a > 0, b > 0], [a, b], 0.5), [X, Y],
     lambda a, b: np.select([a > 0, b > 0], [a, b], 0.5)),
    ("meshgrid", lambda a, b: knp.meshgrid(a, b)[0] * knp.meshgrid(a, b)[1], [X[0], Y[0, :3]],
     lambda a, b: np.meshgrid(a, b)[0] * np.meshgrid(a, b)[1]),
    ("repeat", lambda a: knp.repeat(a, [1, 0, 2], axis=0), [X], lambda a: np.repeat(a, [1, 0, 2], 0)),
    ("get_item", lambda a: knp.get_item(a, (slice(None), [0, 0, 2])), [X], lambda a: a[:, [0, 0, 2]]),
]


@pytest.mark.parametrize("name,fn,inputs,reference", GRADIENTS, ids=[g[0] for g in GRADIENTS])
def test_values_and_gradients(name, fn, inputs, reference):
    out = fn(*[numkeras.ops.convert_to_tensor(x) for x in inputs])
    np.testing.assert_allclose(out.numpy(), reference(*inputs), rtol=1e-6, atol=1e-9)
    assert out.dtype == "float64"
    check_gradients(fn, *inputs, rtol=1e-4, atol=1e-6)


@pytest.mark.parametrize("name,fn,inputs,reference", GRADIENTS, ids=[g[0] for g in GRADIENTS])
def test_float32_stays_float32(name, fn, inputs, reference):
    check_float32(fn, *[np.asarray(x, "float32") for x in inputs])


@pytest.mark.parametrize("op,args,expected", [
    (knp.add, (np.int32([1]), np.float32([1])), "float32"),
    (knp.add, (np.uint8([1]), np.int8([1])), "int16"),
    (knp.add, (np.int8([1]), 1), "int8"),
    (knp.multiply, (np.float16([1]), 2.0), "float16"),
    (knp.multiply, (np.int32([1]), 2.0), "float32"),
    (knp.divide, (np.int32([1]), np.int32([2])), "float32"),
    (knp.sin, (np.int32([1]),), "float32"),
    (knp.sin, (np.float16([1]),), "float16"),
    (knp.sum, (np.array([True, False]),), "int32"),
    (knp.sum, (np.uint8([1, 2]),), "uint32"),
    (knp.mean, (np.int32([1, 2]),), "float32"),
    (knp.cumsum, (np.array([True]),), "int32"),
    (knp.cumsum, (np.int8([1]),), "int8"),
    (knp.argsort, (np.float32([2, 1]),), "int32"),
    (knp.floor, (np.int32([1]),), "float32"),
    (knp.trunc, (np.int32([1]),), "int32"),
    (knp.square, (np.array([True]),), "int32"),
    (knp.power, (np.array([True]), np.array([True])), "int32"),
    (knp.full, ((2,), 7), "float32"),
    (knp.add, (1, 2), "int32"),
    (knp.add, (1, 2.5), "float32"),
    (knp.add, (np.array([True]), 2), "int32"),
    (knp.subtract, (3, np.int8([1])), "int8"),
    (knp.arange, (3,), "int32"),
])
def test_dtypes_follow_keras(op, args, expected):
    assert op(*args).dtype == expected


def test_values_of_non_differentiable_ops_match_numpy():
    v = np.array([3, 1, 3, 2, 1, 7])
    np.testing.assert_array_equal(knp.unique(v).numpy(), np.unique(v))
    values, index, inverse, counts = knp.unique(v, return_index=True, return_inverse=True, return_counts=True)
    np.testing.assert_array_equal(values.numpy()[inverse.numpy()], v)
    np.testing.assert_array_equal(counts.numpy(), [2, 1, 2, 1])
    np.testing.assert_array_equal(knp.unique(v, size=6, fill_value=-1).numpy(), [1, 2, 3, 7, -1, -1])
    np.testing.assert_array_equal(knp.bincount([0, 1, 1, 4]).numpy(), [1, 2, 0, 0, 1])
    # 2-D: one count per row, all as long as the longest (Keras on JAX fails on this input)
    np.testing.assert_array_equal(knp.bincount(np.int32([[0, 1, 1], [2, 2, 0]])).numpy(), [[1, 2, 0], [1, 0, 2]])
    np.testing.assert_array_equal(knp.searchsorted([1.0, 2.0, 3.0], [2.0, 0.5], side="right").numpy(), [2, 0])
    np.testing.assert_array_equal(knp.digitize([0.2, 1.5], [0.0, 1.0, 2.0]).numpy(), [1, 2])
    rows, cols = knp.where(np.array([[0, 1], [1, 0]]))
    np.testing.assert_array_equal(rows.numpy(), [0, 1])
    np.testing.assert_array_equal(cols.numpy(), [1, 0])
    np.testing.assert_array_equal(knp.gcd(np.int32([12, 9]), 6).numpy(), [6, 3])
    np.testing.assert_array_equal(knp.left_shift(np.int32([1, 2]), 3).numpy(), [8, 16])
    np.testing.assert_allclose(knp.hamming(5).numpy(), np.hamming(5), rtol=1e-6)
    np.testing.assert_allclose(knp.kaiser(5, 2.0).numpy(), np.kaiser(5, 2.0), rtol=1e-6)
    np.testing.assert_allclose(knp.linspace(0, 1, 5).numpy(), np.linspace(0, 1, 5))
    assert knp.ndim(np.zeros((2, 3))) == 2 and knp.size(np.zeros((2, 3))) == 6


def test_nan_reductions_skip_nan_and_give_nan_when_nothing_is_left():
    x = np.array([[1.0, np.nan, 3.0], [np.nan, np.nan, np.nan]], "float32")
    with np.errstate(all="ignore"):
        np.testing.assert_allclose(knp.nanmean(x, axis=1).numpy(), [2.0, np.nan])
        np.testing.assert_allclose(knp.nanmax(x, axis=1).numpy(), [3.0, np.nan])
        np.testing.assert_allclose(knp.nanmedian(x, axis=1).numpy(), [2.0, np.nan])
        np.testing.assert_allclose(knp.nansum(x, axis=1).numpy(), [4.0, 0.0])
    np.testing.assert_array_equal(knp.nanargmax(x, axis=1).numpy(), [2, -1])


def test_vectorize_maps_over_loop_axes_and_is_differentiable():
    f = knp.vectorize(lambda a, b: knp.sum(a * b), signature="(n),(n)->()")
    np.testing.assert_allclose(f(X, Y[0]).numpy(), X @ Y[0])
    check_gradients(lambda a: f(a, Y[0]), X)
    g = knp.vectorize(lambda a: a * 2)
    np.testing.assert_allclose(g(X[0]).numpy(), X[0] * 2)


@pytest.mark.parametrize("call,message", [
    (lambda: knp.split(np.zeros(5), 2), "equal sections"),
    (lambda: knp.bitwise_and(np.float32([1]), 1), "integers"),
    (lambda: knp.quantile(np.zeros(3), 1.5), r"\[0, 1\]"),
    (lambda: knp.where([True], [1.0]), "both x1 and x2"),
    (lambda: knp.pad(np.zeros(3), 1, mode="bogus"), "unknown mode"),
    (lambda: knp.take_along_axis(np.zeros((2, 2)), np.zeros((2, 2)), axis=0), "integers"),
    (lambda: knp.max(np.zeros((0,))), "initial"),
    (lambda: knp.broadcast_to(np.zeros(3), (2, 4)), "cannot broadcast"),
])
def test_bad_input_is_named(call, message):
    with pytest.raises((ValueError, TypeError), match=message):
        call()


def test_sort_of_ties_and_cumprod_of_zeros_give_exact_gradients():
    check_gradients(lambda a: knp.cumprod(a, axis=1), np.array([[2.0, 0.0, 3.0, 0.0], [1.5, -1.0, 0.0, 2.0]]))
    check_gradients(lambda a: knp.sort(a), np.array([[2.0, -1.0, 3.0]]))


def test_empty_and_zero_dimensional_inputs():
    empty = np.zeros((0, 3), "float32")
    assert knp.sort(empty, 0).shape == knp.cumprod(empty, 0).shape == (0, 3)
    np.testing.assert_array_equal(knp.prod(empty, 0).numpy(), [1.0, 1.0, 1.0])
    assert np.isnan(knp.quantile(empty, [0.5, 0.1], axis=0).numpy()).all()
    assert knp.quantile(empty, 0.5, axis=1).shape == (0,)
    assert knp.tile([1, 2], 0).shape == (0,) and knp.repeat([1, 2], 0).shape == (0,)
    assert knp.sum(3).dtype == "int32" and knp.median(2.0).numpy() == 2.0
    np.testing.assert_array_equal(knp.round(np.int32([1234, 1260]), -2).numpy(), [1200, 1300])
