import numpy as np
import pytest

from numkeras import layers
from numkeras.engine.gradient_check import check_gradients

X = np.random.default_rng(0).standard_normal((3, 6, 4)).astype("float32")
MASK = np.array([[1, 1, 0, 1, 0, 0], [1, 1, 1, 1, 1, 1], [0, 1, 1, 0, 1, 1]], bool)


def _step_by_step(layer, x, **call_kwargs):
    cell = layer.cell
    cell.sequence_call = lambda *a, **k: None
    try:
        return layer(x, **call_kwargs)
    finally:
        del cell.sequence_call


@pytest.mark.parametrize("kwargs", [{}, {"go_backwards": True, "return_sequences": True},
                                    {"activation": "relu", "use_bias": False, "return_state": True},
                                    {"activation": "sigmoid", "return_sequences": True}])
@pytest.mark.parametrize("mask", [None, MASK], ids=["unmasked", "masked"])
def test_the_fast_op_equals_the_cell_loop(kwargs, mask):
    layer = layers.SimpleRNN(5, **kwargs)
    fast, slow = layer(X, mask=mask), _step_by_step(layer, X, mask=mask)
    for a, b in zip(fast if isinstance(fast, list) else [fast], slow if isinstance(slow, list) else [slow]):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-5, atol=1e-6)


def test_dropout_masks_are_the_same_on_both_paths_with_a_seed():
    weights = None
    outs = []
    for fast in (True, False):
        layer = layers.SimpleRNN(4, dropout=0.4, recurrent_dropout=0.3, seed=7, return_sequences=True)
        layer.build(X.shape)
        weights = weights or layer.get_weights()
        layer.set_weights(weights)
        outs.append((layer(X, training=True) if fast else _step_by_step(layer, X, training=True)).numpy())
    np.testing.assert_allclose(outs[0], outs[1], rtol=1e-5, atol=1e-6)


def test_layer_gradients_with_recurrent_dropout_in_float64():
    layer = layers.SimpleRNN(3, return_sequences=True, dtype="float64", recurrent_initializer="glorot_uniform",
                             dropout=0.3, recurrent_dropout=0.4, seed=1)
    x = np.random.default_rng(1).standard_normal((2, 3, 2))
    layer(x)

    def fn(x):
        layer.cell._seeded_generator = None  # the same masks for every evaluation
        return layer(x, mask=MASK[:2, :3], training=True)
    check_gradients(fn, x, variables=layer.weights)


def test_stateful_layers_carry_states_until_reset():
    layer = layers.SimpleRNN(3, stateful=True)
    first = layer(X).numpy()
    second = layer(X).numpy()
    assert not np.allclose(first, second)
    layer.reset_states()
    np.testing.assert_allclose(layer(X).numpy(), first, rtol=1e-6)
    with pytest.raises(ValueError, match="stateful with batch size 3"):
        layer(X[:2])


def test_config_round_trip():
    layer = layers.SimpleRNN(3, activation="relu", go_backwards=True, dropout=0.5)
    config = layer.get_config()
    assert layers.SimpleRNN.from_config(config).get_config() == config
    cell = layers.SimpleRNNCell(2, seed=3)
    assert layers.SimpleRNNCell.from_config(cell.get_config()).get_config() == cell.get_config()
