"""Gradients of the differentiable `keras.ops.numpy` functions against Keras 3 on JAX (jax.grad), float32.

Both sides differentiate sum(op(*args) * w) with the same fixed weights w (ops_reference.cotangent)
with respect to the float arguments listed; step functions (floor, round, sign...) must give zero
gradients on both sides, and ties in sort, max and median are avoided (their subgradients are a
convention, not a fact). sinc is compared away from 0: near it JAX's float32 derivative loses digits to
cancellation (2% at x = -9e-4), where numkeras's is exact (numkeras/engine/elementwise_ops_test.py).
"""
import numpy as np
import pytest

import numkeras
from keras_parity.harness import assert_close
from keras_parity.ops_reference import cotangent
from numkeras.ops import numpy as knp

RS = np.random.RandomState(7)
INPUTS = {
    "f": RS.normal(size=(3, 4)).astype("float32"),
    "g": RS.normal(size=(3, 4)).astype("float32"),
    "row": RS.normal(size=(4,)).astype("float32"),
    "unit": RS.uniform(-0.8, 0.8, (3, 4)).astype("float32"),
    "pos": RS.uniform(0.3, 2.5, (3, 4)).astype("float32"),
    "big": RS.uniform(1.3, 3.0, (3, 4)).astype("float32"),
    "distinct": (RS.permutation(12).reshape(3, 4) * 0.37 - 2.0).astype("float32"),
    "cube": (RS.permutation(24).reshape(2, 3, 4) * 0.21 - 2.0).astype("float32"),
    "sq": (RS.normal(size=(3, 3)) + 3 * np.eye(3)).astype("float32"),
    "v3a": RS.normal(size=(4, 3)).astype("float32"),
    "v3b": RS.normal(size=(4, 3)).astype("float32"),
    "x1d": RS.normal(size=(6,)).astype("float32"),
    "k1d": RS.normal(size=(3,)).astype("float32"),
    "idx": RS.randint(0, 4, (3, 2)).astype("int32"),
    "mask": RS.rand(3, 4) > 0.5,
    "wpos": RS.uniform(0.5, 2.0, (4,)).astype("float32"),
}
UNARY = {  # op -> input
    "sin": "f", "cos": "f", "tan": "unit", "arcsin": "unit", "arccos": "unit", "arctan": "f", "sinh": "f",
    "cosh": "f", "arcsinh": "f", "arccosh": "big", "arctanh": "unit", "exp": "f", "exp2": "f", "expm1": "f",
    "log": "pos", "log2": "pos", "log10": "pos", "log1p": "pos", "sqrt": "pos", "cbrt": "pos", "reciprocal": "pos",
    "square": "f", "abs": "f", "absolute": "f", "fabs": "f", "negative": "f", "tanh": "f", "sinc": "pos", "i0": "f",
    "deg2rad": "f", "rad2deg": "f", "copy": "f", "floor": "f", "ceil": "f", "trunc": "f", "round": "f", "sign": "f",
    "ravel": "f", "flipud": "f", "fliplr": "f", "nan_to_num": "f", "real": "f", "conj": "f", "sort": "distinct",
    "median": "distinct", "var": "f", "std": "f", "mean": "f", "sum": "f", "prod": "f", "max": "distinct",
    "min": "distinct", "ptp": "distinct", "cumsum": "f", "cumprod": "f", "nansum": "f", "nanmean": "f",
    "nanvar": "f", "nanstd": "f", "nanprod": "f", "nanmax": "distinct", "nanmin": "distinct", "nanmedian": "distinct",
    "nancumsum": "f", "nancumprod": "f", "trace": "sq", "diag": "sq", "diagonal": "sq", "tril": "f", "triu": "f",
    "corrcoef": "f", "diff": "f", "trapezoid": "f", "amax": "distinct", "amin": "distinct", "average": "f",
}
BINARY = {  # op -> (x1, x2)
    "add": ("f", "row"), "subtract": ("f", "g"), "multiply": ("f", "row"), "divide": ("f", "pos"),
    "true_divide": ("f", "pos"), "divide_no_nan": ("f", "pos"), "power": ("pos", "g"), "maximum": ("f", "g"),
    "minimum": ("f", "g"), "fmax": ("f", "g"), "fmin": ("f", "g"), "mod": ("f", "pos"), "fmod": ("f", "pos"),
    "arctan2": ("f", "g"), "hypot": ("f", "g"), "logaddexp": ("f", "g"), "logaddexp2": ("f", "g"),
    "matmul": ("f", "v3a"), "dot": ("f", "v3a"), "inner": ("f", "g"), "outer": ("row", "x1d"), "vdot": ("f", "g"),
    "kron": ("sq", "f"), "cross": ("v3a", "v3b"), "append": ("f", "g"), "floor_divide": ("f", "pos"),
}
CASES = [(op, ["@" + x], {}, [0], None) for op, x in UNARY.items()]
CASES += [(op, ["@" + a, "@" + b], {}, [0, 1], None) for op, (a, b) in BINARY.items()]
CASES += [
    ("sum", ["@cube"], {"axis": (0, 2), "keepdims": True}, [0], None),
    ("mean", ["@cube"], {"axis": 1}, [0], None),
    ("var", ["@cube"], {"axis": -1}, [0], None),
    ("prod", ["@f"], {"axis": 0}, [0], None),
    ("max", ["@cube"], {"axis": 1}, [0], None),
    ("cumsum", ["@cube"], {"axis": 1}, [0], None),
    ("cumprod", ["@f"], {"axis": 1}, [0], None),
    ("sort", ["@cube"], {"axis": 1}, [0], None),
    ("median", ["@cube"], {"axis": 2}, [0], None),
    ("quantile", ["@distinct", [0.1, 0.5, 0.9]], {"axis": 1}, [0], None),
    ("percentile", ["@cube", 40.0], {"axis": (0, 2)}, [0], None),
    ("nanquantile", ["@distinct", 0.3], {}, [0], None),
    ("take", ["@f", "@idx"], {"axis": 1}, [0], None),
    ("take_along_axis", ["@f", "@idx"], {"axis": 1}, [0], None),
    ("where", ["@mask", "@f", "@g"], {}, [1, 2], None),
    ("clip", ["@f", -0.5, 0.5], {}, [0], None),
    ("reshape", ["@f", (2, 6)], {}, [0], None),
    ("transpose", ["@cube", (2, 0, 1)], {}, [0], None),
    ("moveaxis", ["@cube", 0, -1], {}, [0], None),
    ("swapaxes", ["@cube", 0, 2], {}, [0], None),
    ("expand_dims", ["@f", 1], {}, [0], None),
    ("squeeze", ["@row"], {}, [0], None),
    ("broadcast_to", ["@row", (2, 3, 4)], {}, [0], None),
    ("tile", ["@f", (2, 1)], {}, [0], None),
    ("repeat", ["@f", 2], {"axis": 1}, [0], None),
    ("roll", ["@f", 2], {"axis": 1}, [0], None),
    ("flip", ["@cube"], {"axis": (0, 2)}, [0], None),
    ("rot90", ["@f"], {"k": 3}, [0], None),
    ("pad", ["@f", ((1, 2), (0, 1))], {}, [0], None),
    ("pad", ["@f", ((1, 2), (2, 1))], {"mode": "reflect"}, [0], None),
    ("pad", ["@f", 2], {"mode": "edge"}, [0], None),
    ("pad", ["@f", ((1, 1), (2, 2))], {"mode": "symmetric"}, [0], None),
    ("pad", ["@f", ((1, 1), (3, 3))], {"mode": "wrap"}, [0], None),
    ("concatenate", [["@f", "@g"]], {"axis": 1}, [], None),
    ("split", ["@f", 2], {"axis": 1}, [0], 1),
    ("get_item", ["@f", 1], {}, [0], None),
    ("diag", ["@row"], {"k": 1}, [0], None),
    ("diagflat", ["@f"], {}, [0], None),
    ("tensordot", ["@cube", "@v3a"], {"axes": ([2], [0])}, [0, 1], None),
    ("einsum", ["bij,kj->bik", "@cube", "@g"], {}, [1, 2], None),
    ("trapezoid", ["@f", "@row"], {}, [0, 1], None),
    ("correlate", ["@x1d", "@k1d"], {"mode": "full"}, [0, 1], None),
    ("correlate", ["@x1d", "@k1d"], {"mode": "same"}, [0, 1], None),
    ("slogdet", ["@sq"], {}, [0], 1),
    ("vander", ["@row"], {}, [0], None),
    ("average", ["@f"], {"axis": 1, "weights": "@wpos"}, [0], None),
    ("std", ["@cube"], {"axis": (0, 1)}, [0], None),
    ("logaddexp", ["@f", 0.5], {}, [0], None),
    ("meshgrid", ["@row", "@x1d"], {}, [0, 1], 0),
    ("stack", [["@f", "@g"]], {"axis": 1}, [], None),
    ("select", [["@mask"], ["@f"], 0.0], {}, [], None),
]
IDS = [f"{n:03d}-{c[0]}" for n, c in enumerate(CASES)]


def _decode(value):
    if isinstance(value, str) and value.startswith("@"):
        return INPUTS[value[1:]]
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value


def _encode(ref, value):
    if isinstance(value, str) and value.startswith("@"):
        return {"a": ref.array(INPUTS[value[1:]])}
    if isinstance(value, list):
        return {"l": [_encode(ref, v) for v in value]}
    if isinstance(value, tuple):
        return {"t": [_encode(ref, v) for v in value]}
    return {"v": value}


@pytest.fixture(scope="module")
def keras_gradients(keras_reference):
    ref = keras_reference
    for case_id, (op, args, kwargs, wrt, output) in zip(IDS, CASES):
        if wrt:
            ref.add(case_id, "op_gradient", op=op, args=[_encode(ref, a) for a in args],
                    kwargs={k: _encode(ref, v) for k, v in kwargs.items()}, wrt=wrt, output=output)
    return ref.run()


def _numkeras_gradients(op, args, kwargs, wrt, output):
    args = [_decode(a) for a in args]
    kwargs = {k: _decode(v) for k, v in kwargs.items()}
    variables = [numkeras.Variable(args[i], dtype="float32") for i in wrt]
    for i, v in zip(wrt, variables):
        args[i] = v
    with numkeras.GradientTape() as tape:
        out = getattr(knp, op)(*args, **kwargs)
        if output is not None:
            out = out[output]
        loss = knp.sum(knp.multiply(out, cotangent(out.shape)))
    return [np.zeros(v.shape, "float32") if g is None else g.numpy() for v, g in zip(variables, tape.gradient(
        loss, variables))]


@pytest.mark.parametrize("index", [i for i, c in enumerate(CASES) if c[3]], ids=[IDS[i] for i, c in enumerate(CASES)
                                                                            if c[3]])
def test_gradient_matches_keras(keras_gradients, index):
    op, args, kwargs, wrt, output = CASES[index]
    ours = _numkeras_gradients(op, args, kwargs, wrt, output)
    theirs = keras_gradients[IDS[index]].outputs()
    for k, (a, b) in enumerate(zip(ours, theirs)):
        assert a.dtype == np.float32, f"{IDS[index]}: gradient {k} is {a.dtype}"
        assert_close(a, b, rtol=2e-4, atol=2e-5, what=f"{IDS[index]} gradient of argument {wrt[k]}")


def test_list_arguments_are_differentiable():
    """concatenate, stack and select take lists: their gradients reach each tensor in the list."""
    f, g, mask = (numkeras.Variable(INPUTS[k], dtype="float32") for k in ("f", "g", "f"))
    with numkeras.GradientTape() as tape:
        loss = knp.sum(knp.concatenate([f, g], axis=1)) + knp.sum(knp.stack([f, g]) * 2.0) + knp.sum(
            knp.select([INPUTS["mask"]], [mask], 0.0))
    gf, gg, gm = tape.gradient(loss, [f, g, mask])
    np.testing.assert_allclose(gf.numpy(), np.full((3, 4), 3.0))
    np.testing.assert_allclose(gg.numpy(), np.full((3, 4), 3.0))
    np.testing.assert_allclose(gm.numpy(), INPUTS["mask"].astype("float32"))
