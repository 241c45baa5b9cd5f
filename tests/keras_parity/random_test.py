"""`numkeras.random` against `keras.random`: the same call gives the same shape and dtype, values in the same
range, and Keras's seeding semantics (an int seed repeats). The numbers themselves differ (JAX's generator
is not NumPy's); numkeras/random/random_test.py checks the distributions statistically."""
import numpy as np
import pytest

from numkeras import random

X = np.arange(24, dtype="float32").reshape(2, 3, 4) + 1.0

# (case id, function, args, kwargs, check of the values (applied to both libraries' draws))
CASES = [
    ("normal", "normal", [(3, 4)], {"seed": 1}, None),
    ("normal-float64", "normal", [(2, 5)], {"mean": 2.0, "stddev": 0.5, "dtype": "float64", "seed": 1}, None),
    ("normal-float16", "normal", [(2,)], {"dtype": "float16", "seed": 1}, None),
    ("uniform", "uniform", [(50,)], {"minval": -2.0, "maxval": 3.0, "seed": 2}, lambda v: (v >= -2) & (v < 3)),
    ("truncated_normal", "truncated_normal", [(200,)], {"mean": 1.0, "stddev": 2.0, "seed": 3},
     lambda v: np.abs(v - 1.0) <= 4.0),
    ("randint", "randint", [(4, 5)], {"minval": 3, "maxval": 7, "seed": 4}, lambda v: (v >= 3) & (v < 7)),
    ("randint-int64", "randint", [(3,)], {"minval": 0, "maxval": 2, "dtype": "int64", "seed": 4}, None),
    ("categorical", "categorical", [np.array([[0.0, 0.0, -np.inf], [-np.inf, -np.inf, 0.0]], "float32"), 6], {"seed": 5},
     None),
    ("dropout", "dropout", [X], {"rate": 0.5, "seed": 6}, lambda v: (v == 0) | np.isclose(v, 2 * X)),
    ("dropout-noise_shape", "dropout", [X], {"rate": 0.25, "noise_shape": (2, 1, 4), "seed": 6},
     lambda v: ((v == 0).all(axis=1) | (v != 0).all(axis=1))[:, None, :]),
    ("shuffle", "shuffle", [X], {"axis": 1, "seed": 7}, None),
    ("gamma", "gamma", [(30,)], {"alpha": 2.0, "seed": 8}, lambda v: v > 0),
    ("binomial", "binomial", [(30,)], {"counts": 5, "probabilities": 0.3, "seed": 9},
     lambda v: (v >= 0) & (v <= 5) & (v == np.round(v))),
    ("beta", "beta", [(30,)], {"alpha": 2.0, "beta": 3.0, "seed": 10}, lambda v: (v >= 0) & (v <= 1)),
]


# JAX runs without 64-bit types, so Keras on JAX draws float32/int32 where numkeras (and Keras's NumPy,
# TensorFlow and PyTorch backends) give the 64-bit dtype asked for.
JAX_32_BIT = {"float64": "float32", "int64": "int32"}


def _keras_args(ref, args):
    return [{"array": ref.array(a)} if isinstance(a, np.ndarray) else a for a in args]


@pytest.fixture(scope="module")
def keras_random(keras_reference):
    ref = keras_reference
    for case_id, fn, args, kwargs, _ in CASES:
        ref.add(case_id, "function", path=f"random.{fn}", args=_keras_args(ref, args), kwargs=kwargs)
        ref.add(f"{case_id}-again", "function", path=f"random.{fn}", args=_keras_args(ref, args), kwargs=kwargs)
    return ref.run()


@pytest.mark.parametrize("index", range(len(CASES)), ids=[c[0] for c in CASES])
def test_random_draws_have_keras_shapes_dtypes_and_ranges(keras_random, index):
    case_id, fn, args, kwargs, check = CASES[index]
    ours = getattr(random, fn)(*args, **kwargs)
    theirs = keras_random[case_id]
    assert ours.shape == theirs["out0"].shape, case_id
    assert [JAX_32_BIT.get(ours.dtype, ours.dtype)] == theirs.meta["dtypes"], case_id
    assert ours.dtype == kwargs.get("dtype", ours.dtype)
    # An int seed gives the same values on every call, in both libraries.
    assert np.array_equal(ours.numpy(), getattr(random, fn)(*args, **kwargs).numpy())
    assert np.array_equal(theirs["out0"], keras_random[f"{case_id}-again"]["out0"])
    if check is not None:
        assert np.all(check(ours.numpy())) and np.all(check(theirs["out0"])), case_id
    if fn == "shuffle":  # each line along the axis is permuted on its own, in both libraries
        for values in (ours.numpy(), theirs["out0"]):
            np.testing.assert_array_equal(np.sort(values, axis=1), X)
