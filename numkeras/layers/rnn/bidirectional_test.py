import numpy as np
import pytest

import numkeras
from numkeras import layers

X = np.random.default_rng(0).standard_normal((3, 5, 4)).astype("float32")
MASK = np.array([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1], [1, 1, 0, 0, 0]], bool)


def _halves(layer, x, **kwargs):
    fwd = layer.forward_layer(x, **kwargs)
    bwd = layer.backward_layer(x, **kwargs)
    return fwd, bwd


@pytest.mark.parametrize("merge_mode", ["concat", "sum", "mul", "ave", None])
def test_merge_modes(merge_mode):
    layer = layers.Bidirectional(layers.GRU(3, return_sequences=True), merge_mode=merge_mode)
    out = layer(X)
    fwd, bwd = (t.numpy() for t in _halves(layer, X))
    bwd = bwd[:, ::-1]  # back to the input's order
    expected = {"concat": lambda: np.concatenate([fwd, bwd], -1), "sum": lambda: fwd + bwd,
                "mul": lambda: fwd * bwd, "ave": lambda: (fwd + bwd) / 2, None: lambda: [fwd, bwd]}[merge_mode]()
    for a, b in zip(out if merge_mode is None else [out], expected if merge_mode is None else [expected]):
        np.testing.assert_allclose(a.numpy(), b, rtol=1e-6)


def test_names_weights_and_states_as_keras():
    layer = layers.Bidirectional(layers.LSTM(2, name="enc", return_state=True))
    out, *states = layer(X)
    assert out.shape == (3, 4) and len(states) == 4
    assert (layer.forward_layer.name, layer.backward_layer.name) == ("forward_enc", "backward_enc")
    assert layer.backward_layer.go_backwards and len(layer.weights) == 6
    assert layer.weights[0] is layer.forward_layer.cell.kernel


def test_masks_pass_to_both_and_masked_steps_output_zeros():
    layer = layers.Bidirectional(layers.LSTM(2, return_sequences=True), merge_mode="concat")
    out = layer(X, mask=MASK).numpy()
    assert np.all(out[~MASK] == 0)
    assert layer.compute_mask(X, MASK) is MASK
    assert layers.Bidirectional(layers.LSTM(2), merge_mode=None).compute_mask(X, MASK) == [None, None]


def test_a_backward_layer_and_config_round_trip():
    layer = layers.Bidirectional(layers.SimpleRNN(3), backward_layer=layers.GRU(2, go_backwards=True),
                                 merge_mode="concat")
    assert layer(X).shape == (3, 5)
    config = layer.get_config()
    again = layers.Bidirectional.from_config(config)
    assert again.get_config() == config and isinstance(again.backward_layer, layers.GRU)
    with pytest.raises(ValueError, match="different go_backwards"):
        layers.Bidirectional(layers.GRU(2), backward_layer=layers.GRU(2))
    with pytest.raises(ValueError, match="merge_mode must be one of"):
        layers.Bidirectional(layers.GRU(2), merge_mode="max")


def test_initial_states_split_between_the_directions_and_get_gradients():
    layer = layers.Bidirectional(layers.GRU(2))
    h = [numkeras.Variable(np.full((3, 2), v, "float32")) for v in (0.5, -0.5)]
    with numkeras.GradientTape() as tape:
        loss = numkeras.ops.sum(layer(X, initial_state=h))
    assert all(g is not None for g in tape.gradient(loss, h))
