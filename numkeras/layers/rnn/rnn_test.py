import numpy as np
import pytest

import numkeras
from numkeras import layers, ops

X = np.random.default_rng(0).standard_normal((3, 5, 4)).astype("float32")
MASK = np.array([[1, 1, 0, 1, 0], [1, 1, 1, 1, 1], [0, 1, 1, 0, 1]], bool)


class MinimalRNNCell(layers.Layer):
    """Keras's documented example of a user-written cell."""

    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.state_size = units

    def build(self, input_shape):
        self.kernel = self.add_weight(shape=(input_shape[-1], self.units), name="kernel")
        self.recurrent_kernel = self.add_weight(shape=(self.units, self.units), name="recurrent_kernel")

    def call(self, inputs, states):
        prev_output = states[0]
        output = ops.matmul(inputs, self.kernel) + ops.matmul(prev_output, self.recurrent_kernel)
        return output, [output]


def _reference(cell, x, mask=None, go_backwards=False):
    k, r = cell.kernel.numpy(), cell.recurrent_kernel.numpy()
    h, outs = np.zeros((x.shape[0], cell.units), "float32"), []
    steps = range(x.shape[1] - 1, -1, -1) if go_backwards else range(x.shape[1])
    for t in steps:
        new = x[:, t] @ k + h @ r
        h = new if mask is None else np.where(mask[:, t, None], new, h)
        outs.append(h)
    return np.stack(outs, 1)


@pytest.mark.parametrize("go_backwards", [False, True])
@pytest.mark.parametrize("mask", [None, MASK], ids=["unmasked", "masked"])
def test_a_user_cell_runs_step_by_step_and_trains(go_backwards, mask):
    cell = MinimalRNNCell(3)
    layer = layers.RNN(cell, return_sequences=True, go_backwards=go_backwards)
    with numkeras.GradientTape() as tape:
        out = layer(X, mask=mask)
        loss = ops.sum(out)
    np.testing.assert_allclose(out.numpy(), _reference(cell, X, mask, go_backwards), rtol=1e-5, atol=1e-6)
    assert all(g is not None for g in tape.gradient(loss, layer.trainable_weights))


def test_zero_output_for_mask_and_compute_mask():
    layer = layers.RNN(MinimalRNNCell(3), return_sequences=True, zero_output_for_mask=True)
    out = layer(X, mask=MASK).numpy()
    assert np.all(out[~MASK] == 0)
    assert layer.compute_mask(X, MASK) is MASK
    assert layers.RNN(MinimalRNNCell(3)).compute_mask(X, MASK) is None
    assert layers.RNN(MinimalRNNCell(3), return_sequences=True, return_state=True).compute_mask(X, MASK) == [MASK, None]


def test_stacked_cells_feed_each_other():
    cells = [layers.LSTMCell(4), layers.GRUCell(2), layers.SimpleRNNCell(3)]
    layer = layers.RNN(layers.StackedRNNCells(cells), return_state=True, return_sequences=True)
    out, *states = layer(X, mask=MASK)  # one list of states per cell, as Keras
    assert out.shape == (3, 5, 3) and [[tuple(s.shape) for s in c] for c in states] == [[(3, 4), (3, 4)], [(3, 2)],
                                                                                           [(3, 3)]]
    # the same as three layers, each with return_sequences
    h = X
    for cell in cells:
        h = layers.RNN(cell, return_sequences=True)(h, mask=MASK)
    np.testing.assert_allclose(out.numpy(), h.numpy(), rtol=1e-5, atol=1e-6)
    assert len(layer.weights) == 9
    config = layer.get_config()
    assert config["cell"]["class_name"] == "StackedRNNCells"
    assert layers.RNN.from_config(config).get_config()["cell"] == config["cell"]


def test_a_list_of_cells_is_stacked_and_initial_states_are_checked():
    layer = layers.RNN([layers.GRUCell(2), layers.GRUCell(3)])
    assert isinstance(layer.cell, layers.StackedRNNCells)
    with pytest.raises(ValueError, match="has 2 state"):
        layer(X, initial_state=[np.zeros((3, 2), "float32")])


def test_a_functional_model_with_states():
    inputs = layers.Input((5, 4))
    out, h, c = layers.LSTM(3, return_state=True)(inputs)
    model = numkeras.Model(inputs, [out, h, c])
    results = model.predict(X, verbose=0)
    assert [r.shape for r in results] == [(3, 3), (3, 3), (3, 3)]
    np.testing.assert_allclose(results[0], results[1])


def test_symbolic_initial_states_wire_an_encoder_to_a_decoder(tmp_path):
    source, target = layers.Input((5, 4)), layers.Input((3, 2))
    _, h, c = layers.LSTM(3, return_state=True)(source)
    decoded = layers.LSTM(3, return_sequences=True)(target, initial_state=[h, c])
    model = numkeras.Model([source, target], decoded)
    xs = [X, np.ones((3, 3, 2), "float32")]
    encoder, decoder = model.layers[2], model.layers[3]
    _, h0, c0 = encoder(X)
    expected = decoder(xs[1], initial_state=[h0, c0]).numpy()
    np.testing.assert_allclose(model.predict(xs, verbose=0), expected, rtol=1e-6)
    model.save(tmp_path / "seq2seq.keras")
    again = numkeras.saving.load_model(tmp_path / "seq2seq.keras")
    np.testing.assert_allclose(again.predict(xs, verbose=0), expected, rtol=1e-6)


def test_the_cells_get_initial_state_starts_the_sequence():
    class StartsAtOne(MinimalRNNCell):
        def get_initial_state(self, batch_size=None):
            return [np.ones((batch_size, self.units), "float32")]
    cell = StartsAtOne(2)
    layer = layers.RNN(cell)
    out = layer(X[:, :1]).numpy()
    np.testing.assert_allclose(out, X[:, 0] @ cell.kernel.numpy() + np.ones((1, 2)) @ cell.recurrent_kernel.numpy(),
                               rtol=1e-5)
    assert [tuple(s.shape) for s in layers.GRUCell(3).get_initial_state(batch_size=4)] == [(4, 3)]


def test_an_embedding_mask_reaches_recurrent_layers_and_wrappers():
    ids = np.array([[3, 1, 4, 0, 0], [2, 7, 1, 8, 2], [5, 0, 0, 0, 0]])
    embed = layers.Embedding(10, 4, mask_zero=True)
    lstm, bidi = layers.LSTM(3, return_sequences=True), layers.Bidirectional(layers.GRU(2), merge_mode="sum")
    td = layers.TimeDistributed(layers.Dense(2))
    model = numkeras.Sequential([layers.Input((5,), dtype="int32"), embed, lstm, td, bidi])
    out = model(ids)
    vectors = ops.convert_to_tensor(embed(ids).numpy())  # without the mask the Embedding attached
    mask = ids != 0
    by_hand = bidi(td(lstm(vectors, mask=mask)), mask=mask)
    np.testing.assert_allclose(out.numpy(), by_hand.numpy(), rtol=1e-6)
    assert not np.allclose(out.numpy(), bidi(td(lstm(vectors))).numpy())  # the mask did something
    sequences = lstm(embed(ids))
    assert np.asarray(sequences._keras_mask).tolist() == mask.tolist()  # return_sequences carries the mask on
    assert getattr(layers.LSTM(3)(embed(ids)), "_keras_mask", None) is None


def test_masked_steps_add_nothing_to_a_return_sequences_loss():
    ids = np.array([[3, 1, 0, 0], [2, 7, 1, 0]])
    model = numkeras.Sequential([layers.Input((4,), dtype="int32"), layers.Embedding(10, 3, mask_zero=True),
                                 layers.GRU(2, return_sequences=True), layers.TimeDistributed(layers.Dense(1))])
    model.compile(optimizer="sgd", loss="mse")
    y = np.zeros((2, 4, 1), "float32")
    y_padding_changed = y.copy()
    y_padding_changed[ids == 0] = 100.0
    assert model.evaluate(ids, y, verbose=0) == pytest.approx(model.evaluate(ids, y_padding_changed, verbose=0))
