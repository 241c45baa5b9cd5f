"""CategoryEncoding and Discretization against Keras 3 on JAX (the categorical layers that run without TensorFlow).

TextVectorization, StringLookup, IntegerLookup, Hashing and HashedCrossing need TensorFlow in Keras 3 (they raise
ImportError without it), so they are checked against hand-computed expectations and TensorFlow's documented outputs in
their own tests (numkeras/layers/preprocessing/*_test.py); NEEDS_TENSORFLOW lists them for layers_test.py.
"""
import numpy as np
import pytest

from keras_parity.harness import assert_close
from numkeras import layers

NEEDS_TENSORFLOW = ("TextVectorization", "StringLookup", "IntegerLookup", "Hashing", "HashedCrossing")
COVERED = ("CategoryEncoding", "Discretization")

# (case id, class name, kwargs, input maker, adapt-data maker or None)
_INTS = lambda rs, shape: rs.randint(0, 5, size=shape).astype("int32")  # noqa: E731
_FLOATS = lambda rs, shape: rs.normal(0.0, 2.0, size=shape).astype("float32")  # noqa: E731
CASES = [
    ("encoding-one_hot-flat", "CategoryEncoding", {"num_tokens": 5, "output_mode": "one_hot"}, (_INTS, (6,)), None),
    ("encoding-one_hot-column", "CategoryEncoding", {"num_tokens": 5, "output_mode": "one_hot"}, (_INTS, (6, 1)),
     None),
    ("encoding-multi_hot", "CategoryEncoding", {"num_tokens": 5}, (_INTS, (3, 4)), None),
    ("encoding-multi_hot-vector", "CategoryEncoding", {"num_tokens": 6}, (_INTS, (4,)), None),
    ("encoding-count", "CategoryEncoding", {"num_tokens": 5, "output_mode": "count"}, (_INTS, (3, 4)), None),
    ("encoding-count-rank3", "CategoryEncoding", {"num_tokens": 5, "output_mode": "count"}, (_INTS, (2, 3, 4)),
     None),
    ("bins-int", "Discretization", {"bin_boundaries": [-1.0, 0.0, 1.5]}, (_FLOATS, (4, 5)), None),
    ("bins-one_hot", "Discretization", {"bin_boundaries": [-1.0, 0.0, 1.5], "output_mode": "one_hot"},
     (_FLOATS, (6,)), None),
    ("bins-multi_hot", "Discretization", {"bin_boundaries": [0.0, 1.0], "output_mode": "multi_hot"},
     (_FLOATS, (3, 4)), None),
    ("bins-count", "Discretization", {"bin_boundaries": [0.0, 1.0], "output_mode": "count"}, (_FLOATS, (3, 4)), None),
    ("adapt-4", "Discretization", {"num_bins": 4}, (_FLOATS, (5, 4)), (_FLOATS, (200,))),
    ("adapt-5-eps", "Discretization", {"num_bins": 5, "epsilon": 0.1}, (_FLOATS, (5, 4)), (_FLOATS, (300, 3))),
    ("adapt-3-small", "Discretization", {"num_bins": 3}, (_FLOATS, (2, 4)), (_FLOATS, (7,))),
    ("adapt-10-large", "Discretization", {"num_bins": 10, "output_mode": "count"}, (_FLOATS, (4, 6)),
     (_FLOATS, (5000,))),
]
IDS = [case[0] for case in CASES]


@pytest.fixture(scope="module")
def results(keras_reference):
    ref, ours = keras_reference, {}
    for i, (case, cls, kwargs, (make, shape), adapt) in enumerate(CASES):
        rs = np.random.RandomState(200 + i)
        x = make(rs, shape)
        data = None if adapt is None else adapt[0](rs, adapt[1])
        try:
            layer = getattr(layers, cls)(**kwargs)
            if data is not None:
                layer.adapt(data)
            ours[case] = (np.asarray(layer(x)), getattr(layer, "bin_boundaries", None))
        except Exception as e:  # this case's test fails with it; the others still run
            ours[case] = e
            continue
        if data is None:
            ref.add(case, "layer", class_name=cls, kwargs=kwargs, inputs=[ref.array(x)])
        else:  # Keras's adapt() looks for tf.data first: the runner calls update_state and finalize_state
            ref.add(case, "layer_state_adapt", class_name=cls, kwargs=kwargs, inputs=[ref.array(x)],
                    adapt=ref.array(data))
    return ours, ref.run()


@pytest.mark.parametrize("case", IDS)
def test_categorical_layer_matches_keras(results, case):
    ours, theirs = results
    if isinstance(ours[case], Exception):
        raise ours[case]
    y, boundaries = ours[case]
    assert_close(y, theirs[case]["out0"], what=f"{case}: output")
    if "bin_boundaries" in theirs[case].arrays:
        assert_close(boundaries, theirs[case]["bin_boundaries"], what=f"{case}: learned boundaries")
