import numpy as np
import pytest

import numkeras
from numkeras import layers
from numkeras.engine.gradient_check import check_gradients

X = np.random.default_rng(0).standard_normal((3, 6, 4)).astype("float32")
MASK = np.array([[1, 1, 0, 1, 0, 0], [1, 1, 1, 1, 1, 1], [0, 1, 1, 0, 1, 1]], bool)


def _step_by_step(layer, x, **call_kwargs):
    cell = layer.cell
    cell.sequence_call = lambda *a, **k: None  # decline: RNN runs the cell per timestep
    try:
        return layer(x, **call_kwargs)
    finally:
        del cell.sequence_call


@pytest.mark.parametrize("kwargs", [{}, {"reset_after": False}, {"go_backwards": True, "return_sequences": True},
                                    {"return_state": True, "reset_after": False, "use_bias": False},
                                    {"activation": "relu", "recurrent_activation": "hard_sigmoid"},
                                    {"implementation": 1}])
@pytest.mark.parametrize("mask", [None, MASK], ids=["unmasked", "masked"])
def test_the_fast_op_equals_the_cell_loop(kwargs, mask):
    layer = layers.GRU(5, **kwargs)
    fast, slow = layer(X, mask=mask), _step_by_step(layer, X, mask=mask)
    for a, b in zip(fast if isinstance(fast, list) else [fast], slow if isinstance(slow, list) else [slow]):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-5, atol=1e-6)


def test_bias_shapes_follow_reset_after():
    after, before = layers.GRU(3), layers.GRU(3, reset_after=False)
    after(X), before(X)
    assert [tuple(w.shape) for w in after.weights] == [(4, 9), (3, 9), (2, 9)]
    assert [tuple(w.shape) for w in before.weights] == [(4, 9), (3, 9), (9,)]


@pytest.mark.parametrize("reset_after", [True, False])
def test_layer_gradients_in_float64(reset_after):
    layer = layers.GRU(2, return_sequences=True, dtype="float64", reset_after=reset_after,
                       recurrent_initializer="glorot_uniform", bias_initializer="uniform")
    x = np.random.default_rng(1).standard_normal((2, 3, 2))
    layer(x)
    check_gradients(lambda x, h0: layer(x, initial_state=[h0], mask=MASK[:2, :3]), x, np.full((2, 2), 0.3),
                    variables=layer.weights)


def test_recurrent_dropout_runs_the_fast_op_and_trains():
    layer = layers.GRU(3, dropout=0.2, recurrent_dropout=0.3, seed=0)
    layer._loop = None  # the whole-sequence op, never step by step
    assert layer.implementation == 1
    with numkeras.GradientTape() as tape:
        loss = numkeras.ops.sum(layer(X, training=True))
    assert all(g is not None for g in tape.gradient(loss, layer.trainable_weights))


@pytest.mark.parametrize("reset_after", [True, False])
@pytest.mark.parametrize("dropout", [0.0, 0.3])
@pytest.mark.parametrize("mask", [None, MASK], ids=["unmasked", "masked"])
def test_per_gate_dropout_by_the_fast_op_equals_the_cell_loop(reset_after, dropout, mask):
    # Same weights, same seed: both draw the same three input and three recurrent masks.
    fast, slow = (layers.GRU(4, dropout=dropout, recurrent_dropout=0.4, seed=5, reset_after=reset_after,
                             return_sequences=True, go_backwards=True) for _ in range(2))
    fast.build(X.shape)
    slow.build(X.shape)
    slow.set_weights(fast.get_weights())
    fast._loop = None
    a = fast(X, mask=mask, training=True).numpy()
    np.testing.assert_allclose(a, _step_by_step(slow, X, mask=mask, training=True).numpy(), rtol=1e-5, atol=1e-6)
    assert not np.allclose(a, fast(X, mask=mask).numpy())  # no masks at inference


def test_config_round_trip():
    layer = layers.GRU(3, reset_after=False, return_state=True, bias_regularizer="l1", use_cudnn=True)
    config = layer.get_config()
    assert config["reset_after"] is False and "use_cudnn" not in config
    assert layers.GRU.from_config(config).get_config() == config
