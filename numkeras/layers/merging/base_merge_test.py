"""The elementwise merges (Add, Subtract, Multiply, Average, Maximum, Minimum): values, gradients, shapes, models."""
import json

import numpy as np
import pytest

from numkeras import layers, models, optimizers
from numkeras.engine.gradient_check import check_gradients, check_float32
from numkeras.layers import merging
from numkeras.utils import set_random_seed

# (layer class, lowercase function, NumPy reference on a list of arrays)
ELEMENTWISE = [
    (merging.Add, merging.add, lambda xs: sum(xs)),
    (merging.Subtract, merging.subtract, lambda xs: xs[0] - xs[1]),
    (merging.Multiply, merging.multiply, lambda xs: np.prod(np.broadcast_arrays(*xs), axis=0)),
    (merging.Average, merging.average, lambda xs: sum(xs) / len(xs)),
    (merging.Maximum, merging.maximum, lambda xs: np.max(np.broadcast_arrays(*xs), axis=0)),
    (merging.Minimum, merging.minimum, lambda xs: np.min(np.broadcast_arrays(*xs), axis=0)),
]
IDS = [c.__name__ for c, _, _ in ELEMENTWISE]


def _inputs(shapes, seed=0, dtype="float64"):
    rng = np.random.default_rng(seed)
    return [rng.normal(size=s).astype(dtype) for s in shapes]


def _count(cls):
    return 2 if cls is merging.Subtract else 3


@pytest.mark.parametrize("cls, fn, reference", ELEMENTWISE, ids=IDS)
def test_values_match_numpy_for_layer_and_function(cls, fn, reference):
    xs = _inputs([(4, 3, 2)] * _count(cls), dtype="float32")
    expected = reference(xs)
    out = cls()(xs)
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-6)
    assert out.dtype == "float32"
    np.testing.assert_allclose(fn(xs).numpy(), expected, rtol=1e-6)


@pytest.mark.parametrize("cls, fn, reference", ELEMENTWISE, ids=IDS)
@pytest.mark.parametrize("shapes", [[(3, 4), (3, 4)], [(3, 4), (3, 1)], [(3, 2, 4), (3, 4)], [(3, 1, 4), (3, 5, 1)]])
def test_gradients_with_broadcasting(cls, fn, reference, shapes):
    xs = _inputs(shapes)
    if cls is not merging.Subtract:
        xs.append(_inputs([shapes[0]], seed=1)[0])
    layer = cls(dtype="float64")
    # Keras aligns lower-rank inputs on the right (after the batch axis): compare with that reshape.
    rank = max(x.ndim for x in xs)
    aligned = [x.reshape(x.shape[:1] + (1,) * (rank - x.ndim) + x.shape[1:]) for x in xs]
    np.testing.assert_allclose(layer(xs).numpy(), reference(aligned), rtol=1e-12)
    check_gradients(lambda *ts: layer(list(ts)), *xs)


@pytest.mark.parametrize("cls, fn, reference", ELEMENTWISE, ids=IDS)
def test_float32_in_float32_out(cls, fn, reference):
    xs = _inputs([(2, 3)] * 2, dtype="float32")
    check_float32(lambda a, b: cls()([a, b]), *xs)


def test_maximum_ties_send_the_gradient_to_one_input():
    grads = check_gradients(lambda a, b: merging.maximum([a, b], dtype="float64"),
                            np.array([[1.0, 2.0]]), np.array([[3.0, 0.5]]))
    np.testing.assert_array_equal(grads[0] != 0, [[False, True]])
    np.testing.assert_array_equal(grads[1] != 0, [[True, False]])


@pytest.mark.parametrize("cls, fn, reference", ELEMENTWISE, ids=IDS)
def test_compute_output_shape_and_symbolic_call(cls, fn, reference):
    layer = cls()
    assert layer.compute_output_shape([(None, 4, 3), (None, 1, 3)]) == (None, 4, 3)
    assert layer.compute_output_shape([(8, 3), (None, 5, 1)]) == (8, 5, 3)
    assert layer.compute_output_shape([(None, None, 3), (None, 4, 3)]) == (None, None, 3)
    a, b = layers.Input(shape=(4, 3)), layers.Input(shape=(1, 3))
    out = fn([a, b])
    assert out.shape == (None, 4, 3) and out.dtype == "float32"


@pytest.mark.parametrize("cls, fn, reference", ELEMENTWISE, ids=IDS)
def test_shape_errors_name_the_layer_and_shapes(cls, fn, reference):
    with pytest.raises(ValueError, match=r"incompatible shapes.*\(None, 3\).*\(None, 4\)"):
        fn([layers.Input(shape=(3,)), layers.Input(shape=(4,))])
    with pytest.raises(ValueError, match="different batch sizes"):
        cls()([np.zeros((2, 3), "float32"), np.zeros((5, 3), "float32")])
    with pytest.raises(ValueError, match="list of"):
        cls()(np.zeros((2, 3), "float32"))
    with pytest.raises(ValueError, match="list of"):
        cls()(layers.Input(shape=(3,)))


def test_a_shared_layer_checks_shapes_on_every_call():
    layer = merging.Add()
    layer([np.zeros((2, 3), "float32")] * 2)
    with pytest.raises(ValueError, match="incompatible shapes"):
        layer([np.zeros((2, 3), "float32"), np.zeros((2, 4), "float32")])


@pytest.mark.parametrize("cls, fn, reference", ELEMENTWISE, ids=IDS)
def test_config_round_trip(cls, fn, reference):
    layer = cls(name=f"my_{cls.__name__.lower()}", dtype="float64", trainable=False)
    config = json.loads(json.dumps(layer.get_config()))
    clone = cls.from_config(config)
    assert clone.get_config() == config
    assert clone.name == layer.name and clone.dtype == "float64" and not clone.trainable


def test_keras_default_names():
    assert merging.Add().name.startswith("add") and merging.Concatenate().name.startswith("concatenate")
    assert merging.Dot(axes=1).name.startswith("dot")


@pytest.mark.parametrize("merge", [merging.add, merging.concatenate, merging.multiply, merging.average])
def test_two_input_functional_model_trains(merge):
    set_random_seed(0)
    a, b = layers.Input(shape=(5,)), layers.Input(shape=(3,))
    merged = merge([layers.Dense(4, activation="tanh")(a), layers.Dense(4, activation="tanh")(b)])
    model = models.Model([a, b], layers.Dense(1)(merged))
    rng = np.random.default_rng(0)
    xa, xb = rng.normal(size=(64, 5)).astype("float32"), rng.normal(size=(64, 3)).astype("float32")
    y = (xa[:, :1] - 2 * xb[:, 1:2] + 0.5 * xa[:, 2:3] * xb[:, :1]).astype("float32")
    model.compile(optimizer=optimizers.Adam(learning_rate=0.02), loss="mse")
    history = model.fit([xa, xb], y, epochs=15, batch_size=16, verbose=0)
    losses = history.history["loss"]
    assert losses[-1] < 0.5 * losses[0]
    assert model.predict([xa, xb], verbose=0).shape == (64, 1)
    merge_layer = model.layers[-2]
    assert isinstance(merge_layer, merging.Merge) and merge_layer.output.shape[0] is None
