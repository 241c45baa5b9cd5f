import numpy as np
import pytest

from numkeras import losses, ops


def test_ctc_counts_nonzero_labels_and_every_frame():
    rng = np.random.default_rng(0)
    logits = rng.normal(size=(3, 6, 4)).astype("float32")
    labels = np.array([[1, 2, 2], [3, 0, 0], [1, 1, 0]])
    want = ops.ctc_loss(labels, logits, [3, 1, 2], [6, 6, 6]).numpy()
    np.testing.assert_allclose(losses.ctc(labels, logits).numpy(), want)
    np.testing.assert_allclose(losses.CTC()(labels, logits).numpy(), want.mean(), rtol=1e-6)
    np.testing.assert_allclose(losses.CTC(reduction="sum")(labels, logits).numpy(), want.sum(), rtol=1e-6)


def test_ctc_trains_a_tiny_model_to_emit_its_labels():
    from numkeras import layers, models, optimizers
    from numkeras.utils import set_random_seed
    set_random_seed(0)
    x = np.eye(8, dtype="float32")[None].repeat(4, axis=0)  # 4 samples, 8 frames, one-hot frame index
    y = np.array([[1, 2, 3], [3, 2, 1], [1, 2, 3], [3, 2, 1]])
    x[1::2] = x[1::2, :, ::-1]  # the reversed sequences see reversed frame positions
    model = models.Sequential([layers.Input((8, 8)), layers.Dense(16, activation="tanh"), layers.Dense(4)])
    model.compile(optimizer=optimizers.Adam(0.05), loss=losses.CTC())
    history = model.fit(x, y, epochs=60, batch_size=4, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0] / 5
    decoded, _ = ops.ctc_decode(model.predict(x, verbose=0), np.full(4, 8))
    assert [[c for c in row if c >= 0] for row in decoded.numpy()[0]] == y.tolist()


@pytest.mark.parametrize("y_true, y_pred, match", [
    (np.zeros(3), np.zeros((3, 2, 2)), "y_true must be integer labels"),
    (np.zeros((3, 2)), np.zeros((3, 2)), "y_pred must be logits"),
])
def test_shape_errors(y_true, y_pred, match):
    with pytest.raises(ValueError, match=match):
        losses.ctc(y_true, y_pred)
