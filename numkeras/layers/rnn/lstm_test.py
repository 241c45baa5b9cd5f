import numpy as np
import pytest

import numkeras
from numkeras import layers
from numkeras.engine.gradient_check import check_gradients

X = np.random.default_rng(0).standard_normal((3, 6, 4)).astype("float32")
MASK = np.array([[1, 1, 0, 1, 0, 0], [1, 1, 1, 1, 1, 1], [0, 1, 1, 0, 1, 1]], bool)


def _both_paths(layer, x, **call_kwargs):
    """The layer's output by the fast op and by the step-by-step cell loop."""
    fast = layer(x, **call_kwargs)
    cell = layer.cell
    saved, cell.sequence_call = cell.sequence_call, None
    try:
        slow = layer(x, **call_kwargs)
    finally:
        del cell.sequence_call
        assert cell.sequence_call.__func__ is saved.__func__
    return fast, slow


@pytest.mark.parametrize("kwargs", [{}, {"go_backwards": True, "return_sequences": True},
                                    {"return_state": True, "return_sequences": True},
                                    {"activation": "relu", "recurrent_activation": "hard_sigmoid", "use_bias": False},
                                    {"implementation": 1}, {"unit_forget_bias": False}])
@pytest.mark.parametrize("mask", [None, MASK], ids=["unmasked", "masked"])
def test_the_fast_op_equals_the_cell_loop(kwargs, mask):
    fast, slow = _both_paths(layers.LSTM(5, **kwargs), X, mask=mask)
    for a, b in zip(fast if isinstance(fast, list) else [fast], slow if isinstance(slow, list) else [slow]):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-5, atol=1e-6)


def test_weights_are_in_keras_layout_with_the_forget_bias_at_one():
    layer = layers.LSTM(3)
    layer(X)
    assert [tuple(w.shape) for w in layer.weights] == [(4, 12), (3, 12), (12,)]
    np.testing.assert_array_equal(layer.cell.bias.numpy(), [0] * 3 + [1] * 3 + [0] * 6)
    r = layer.cell.recurrent_kernel.numpy()
    np.testing.assert_allclose(r @ r.T, np.eye(3), atol=1e-5)  # orthogonal rows


def test_initial_state_gradients_and_layer_gradients_in_float64():
    # (Orthogonal gives a Fortran-ordered array, which check_gradients cannot perturb through a view)
    layer = layers.LSTM(2, return_sequences=True, return_state=True, dtype="float64", go_backwards=True,
                        recurrent_initializer="glorot_uniform")
    x = np.random.default_rng(1).standard_normal((2, 3, 2))
    layer(x)

    def fn(x, h0, c0):
        out, h, c = layer(x, initial_state=[h0, c0], mask=MASK[:2, :3])
        return numkeras.ops.concatenate([numkeras.ops.reshape(out, (2, -1)), h, c], axis=1)
    check_gradients(fn, x, np.ones((2, 2)) * 0.3, np.ones((2, 2)) * -0.2, variables=layer.weights)


def test_dropout_is_one_mask_per_sequence_and_off_at_inference():
    layer = layers.LSTM(4, dropout=0.5, seed=3, return_sequences=True)
    x = np.ones((2, 5, 4), "float32")
    np.testing.assert_array_equal(layer(x).numpy(), layer(x, training=False).numpy())
    a, b = layer(x, training=True).numpy(), layer(x, training=True).numpy()
    assert not np.allclose(a, b)  # a new mask per call
    layer_same = layers.LSTM(4, dropout=0.5, seed=3, return_sequences=True)
    layer_same.build((2, 5, 4))
    layer_same.set_weights(layer.get_weights())
    layer2 = layers.LSTM(4, dropout=0.5, seed=3, return_sequences=True)
    layer2.build((2, 5, 4))
    layer2.set_weights(layer.get_weights())
    np.testing.assert_array_equal(layer_same(x, training=True).numpy(), layer2(x, training=True).numpy())


def test_recurrent_dropout_takes_the_per_gate_path_and_trains():
    layer = layers.LSTM(3, dropout=0.2, recurrent_dropout=0.3, seed=0)
    assert layer.implementation == 1
    with numkeras.GradientTape() as tape:
        loss = numkeras.ops.sum(layer(X, training=True))
    assert all(g is not None for g in tape.gradient(loss, layer.trainable_weights))


def _twin_layers(cls, **kwargs):
    """Two layers with the same weights and the same dropout seed: they draw the same masks."""
    first, second = cls(**kwargs), cls(**kwargs)
    first.build(X.shape)
    second.build(X.shape)
    second.set_weights(first.get_weights())
    return first, second


@pytest.mark.parametrize("dropout", [0.0, 0.3])
@pytest.mark.parametrize("kwargs", [{}, {"go_backwards": True, "return_state": True}])
@pytest.mark.parametrize("mask", [None, MASK], ids=["unmasked", "masked"])
def test_per_gate_dropout_runs_the_fast_op_and_equals_the_cell_loop(dropout, kwargs, mask):
    fast, slow = _twin_layers(layers.LSTM, units=4, dropout=dropout, recurrent_dropout=0.4, seed=5,
                              return_sequences=True, **kwargs)
    fast._loop = slow.cell.sequence_call = None  # neither may take the other's path
    a, b = fast(X, mask=mask, training=True), slow(X, mask=mask, training=True)
    for p, q in zip(a if isinstance(a, list) else [a], b if isinstance(b, list) else [b]):
        np.testing.assert_allclose(p.numpy(), q.numpy(), rtol=1e-5, atol=1e-6)
    # at inference no mask applies: the same as the layer without dropout
    plain = layers.LSTM(4, return_sequences=True, **kwargs)
    plain.build(X.shape)
    plain.set_weights(fast.get_weights())
    inference = _first(fast(X, mask=mask)).numpy()
    np.testing.assert_array_equal(inference, _first(plain(X, mask=mask)).numpy())
    assert not np.allclose(inference, _first(a).numpy())


def _first(out):
    return out[0] if isinstance(out, list) else out


def test_config_round_trip_and_use_cudnn_accepted():
    layer = layers.LSTM(3, return_sequences=True, go_backwards=True, stateful=True, unroll=True, use_cudnn=False,
                        kernel_regularizer="l2", recurrent_constraint="non_neg", dropout=0.1, seed=4)
    config = layer.get_config()
    assert config["recurrent_initializer"]["class_name"] == "Orthogonal" and config["unit_forget_bias"] is True
    assert layers.LSTM.from_config(config).get_config() == config
    with pytest.raises(ValueError, match="use_cudnn"):
        layers.LSTM(3, use_cudnn="yes")


def test_two_dimensional_input_says_how_to_reshape():
    with pytest.raises(ValueError, match=r"\(batch, timesteps, features\).*\(3, 4\).*x\[\.\.\., None\]"):
        layers.LSTM(2)(np.ones((3, 4), "float32"))


def test_a_mask_of_the_wrong_shape_is_named():
    with pytest.raises(ValueError, match=r"mask of shape \(batch, timesteps\) = \(3, 6\).*\(3, 5\)"):
        layers.LSTM(2)(X, mask=np.ones((3, 5), bool))


def test_regularizers_and_constraints_reach_the_cell_weights():
    layer = layers.LSTM(3, kernel_regularizer="l2", recurrent_regularizer="l1", bias_regularizer="l2",
                        activity_regularizer="l1", recurrent_constraint="non_neg")
    layer(X)
    assert len(layer.losses) == 4  # the activity penalty of the call, then one per weight
    assert layer.cell.recurrent_kernel.constraint is not None and layer.cell.kernel.constraint is None
