import warnings

import numpy as np
import pytest

from numkeras import layers, models, ops
from numkeras.engine import gather_ops
from numkeras.engine.gradient_check import check_gradients
from numkeras.engine.tape import GradientTape

IDS = np.array([[4, 1, 0], [1, 1, 2]])


def test_output_is_the_rows_of_the_ids():
    layer = layers.Embedding(5, 3)
    out = layer(IDS)
    assert out.shape == (2, 3, 3) and out.dtype == "float32"
    np.testing.assert_array_equal(out.numpy(), layer.embeddings.numpy()[IDS])
    table = layer.embeddings.numpy()
    assert table.min() >= -0.05 and table.max() <= 0.05  # "uniform" is RandomUniform(-0.05, 0.05)


def test_gradient_matches_finite_differences():
    layer = layers.Embedding(5, 3, dtype="float64")
    layer.build()
    check_gradients(lambda: layer(IDS), variables=layer.trainable_weights)


def test_gradient_is_a_scatter_add_of_the_rows_used(monkeypatch):
    layer = layers.Embedding(6, 2)
    calls = []
    original = gather_ops.scatter_add_rows
    monkeypatch.setattr(gather_ops, "scatter_add_rows", lambda *a: calls.append(a) or original(*a))
    with GradientTape() as tape:
        loss = ops.sum(layer(IDS))
    (grad,) = tape.gradient(loss, layer.trainable_weights)
    assert len(calls) == 1
    np.testing.assert_array_equal(np.asarray(grad)[:, 0], [1, 3, 1, 0, 1, 0])  # counts of each id


def test_mask_zero():
    layer = layers.Embedding(5, 2, mask_zero=True)
    out = layer(IDS)
    np.testing.assert_array_equal(out._keras_mask.numpy(), IDS != 0)
    np.testing.assert_array_equal(layer.compute_mask(IDS).numpy(), IDS != 0)
    assert layers.Embedding(5, 2).compute_mask(IDS) is None
    assert layers.Embedding(5, 2)(IDS)._keras_mask is None


def test_out_of_range_ids_name_the_id_the_position_and_the_layer():
    layer = layers.Embedding(3, 2, name="words")
    with pytest.raises(ValueError, match=r"'words' received id 4 at position \(0, 0\).*input_dim=3.*at least 5"):
        layer(IDS)
    with pytest.raises(ValueError, match=r"id -1 at position \(1, 2\)"):
        layer(np.array([[0, 1, 2], [1, 1, -1]]))


def test_arguments_are_checked_and_input_length_is_ignored_with_a_warning():
    with pytest.raises(ValueError, match="input_dim` must be a positive integer. Received: input_dim=0"):
        layers.Embedding(0, 2)
    with pytest.raises(ValueError, match="output_dim"):
        layers.Embedding(3, 2.5)
    with pytest.warns(UserWarning, match="input_length"):
        layer = layers.Embedding(10, 4, input_length=7)
    assert layer(np.zeros((2, 7), "int32")).shape == (2, 7, 4)


def test_weights_argument_regularizer_constraint_and_float_ids():
    table = np.arange(8, dtype="float32").reshape(4, 2)
    layer = layers.Embedding(4, 2, weights=table)
    np.testing.assert_array_equal(layer(np.array([[3.0, 0.0]])).numpy(), table[[[3, 0]]])
    reg = layers.Embedding(4, 2, weights=[table], embeddings_regularizer="l2", embeddings_constraint="non_neg")
    assert len(reg.losses) == 1
    np.testing.assert_allclose(float(reg.losses[0].data), 0.01 * (table ** 2).sum(), rtol=1e-6)
    assert reg.embeddings.constraint is not None


def test_config_round_trip():
    layer = layers.Embedding(7, 3, mask_zero=True, embeddings_regularizer="l2", name="emb")
    config = layer.get_config()
    assert list(config)[3:] == ["input_dim", "output_dim", "embeddings_initializer", "embeddings_regularizer",
                                "activity_regularizer", "embeddings_constraint", "mask_zero"]
    clone = layers.Embedding.from_config(config)
    assert clone.get_config() == config


def test_in_a_trained_model():
    rng = np.random.default_rng(0)
    ids = rng.integers(1, 20, size=(64, 6))
    labels = (ids[:, 0] > 10).astype("float32")
    model = models.Sequential([layers.Input((6,), dtype="int32"), layers.Embedding(20, 4),
                               layers.GlobalAveragePooling1D(), layers.Dense(1, activation="sigmoid")])
    model.compile("adam", "binary_crossentropy")
    before = model.layers[0].embeddings.numpy().copy()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model.fit(ids, labels, epochs=1, batch_size=16, verbose=0)
    assert not np.allclose(before, model.layers[0].embeddings.numpy())
