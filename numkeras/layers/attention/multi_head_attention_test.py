import numpy as np
import pytest

import numkeras
from numkeras import layers
from numkeras.engine.gradient_check import check_gradients
from numkeras.layers.attention.multi_head_attention import attention_equations, projection_equation


def randomized(layer, seed=0):
    rng = np.random.default_rng(seed)
    for w in layer.weights:
        w.assign(rng.normal(size=w.shape) * 0.5)
    return layer


def numpy_attention(layer, q, v, mask=None):
    """A direct NumPy MultiHeadAttention for rank-3 inputs: the reference for values."""
    def proj(dense, x):
        y = np.einsum("btd,dnh->btnh", x, dense.kernel.numpy())
        return y + dense.bias.numpy() if dense.bias is not None else y
    qh, kh, vh = proj(layer.query_dense, q), proj(layer.key_dense, v), proj(layer.value_dense, v)
    scores = np.einsum("btnh,bsnh->bnts", qh / np.sqrt(layer.key_dim), kh)
    if mask is not None:
        scores = np.where(mask[:, None], scores, -1e9)
    p = np.exp(scores - scores.max(-1, keepdims=True))
    p /= p.sum(-1, keepdims=True)
    if mask is not None:
        p = np.where(mask[:, None], p, 0.0)
    heads = np.einsum("bnts,bsnh->btnh", p, vh)
    out = np.einsum("btnh,nhd->btd", heads, layer.output_dense.kernel.numpy()) + layer.output_dense.bias.numpy()
    return out, p


def test_weights_are_keras_sublayers_in_keras_order():
    mha = layers.MultiHeadAttention(num_heads=3, key_dim=4, value_dim=5)
    mha(np.ones((2, 6, 7), "float32"), np.ones((2, 4, 9), "float32"))
    assert [(w.path, w.shape) for w in mha.weights] == [
        ("query/kernel", (7, 3, 4)), ("query/bias", (3, 4)), ("key/kernel", (9, 3, 4)), ("key/bias", (3, 4)),
        ("value/kernel", (9, 3, 5)), ("value/bias", (3, 5)), ("attention_output/kernel", (3, 5, 7)),
        ("attention_output/bias", (7,))]


def test_values_masks_and_scores_match_numpy():
    rng = np.random.default_rng(0)
    q, v = rng.normal(size=(2, 4, 6)).astype("float32"), rng.normal(size=(2, 5, 6)).astype("float32")
    mha = randomized(layers.MultiHeadAttention(num_heads=2, key_dim=3))
    mha(q, v)
    value_mask = np.array([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1]], bool)
    attention_mask = rng.random((2, 4, 5)) > 0.3
    attention_mask[..., 0] = True
    out, scores = mha(q, v, value_mask=value_mask, attention_mask=attention_mask, return_attention_scores=True)
    expected, p = numpy_attention(mha, q, v, attention_mask & value_mask[:, None, :])
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(scores.numpy(), p, rtol=1e-4, atol=1e-6)


def test_causal_mask_blocks_later_positions():
    x = np.random.default_rng(1).normal(size=(2, 5, 4)).astype("float32")
    mha = layers.MultiHeadAttention(num_heads=2, key_dim=2)
    _, scores = mha(x, x, use_causal_mask=True, return_attention_scores=True)
    later = np.triu(np.ones((5, 5), bool), 1)
    assert (scores.numpy()[:, :, later] == 0).all()
    np.testing.assert_allclose(scores.numpy().sum(-1), 1.0, rtol=1e-5)


def test_query_mask_zeroes_the_masked_query_rows():
    x = numkeras.ops.convert_to_tensor(np.random.default_rng(2).normal(size=(1, 3, 4)).astype("float32"))
    mask = np.array([[True, True, False]])
    mha = layers.MultiHeadAttention(num_heads=1, key_dim=2)
    _, scores = mha(x, x, query_mask=mask, return_attention_scores=True)
    assert (scores.numpy()[0, 0, 2] == 0).all() and (scores.numpy()[0, 0, :2] > 0).all()


@pytest.mark.parametrize("kwargs,shapes", [
    ({"num_heads": 2, "key_dim": 2}, [(2, 3, 4), (2, 3, 4)]),
    ({"num_heads": 2, "key_dim": 2, "value_dim": 3, "output_shape": (2, 2)}, [(2, 3, 4), (2, 2, 5)]),
    ({"num_heads": 1, "key_dim": 2, "attention_axes": (1, 2)}, [(1, 2, 2, 3), (1, 2, 2, 3)]),
    ({"num_heads": 2, "key_dim": 2, "use_bias": False, "use_gate": True}, [(2, 3, 4), (2, 3, 4)]),
])
def test_gradients_match_finite_differences(kwargs, shapes):
    rng = np.random.default_rng(3)
    q, v = (rng.normal(size=s) for s in shapes)
    mha = randomized(layers.MultiHeadAttention(**kwargs, dtype="float64"))
    mha.build(shapes[0], shapes[1])
    randomized(mha)
    mask = np.ones(shapes[1][:-1], bool)
    mask[0, -1] = False
    check_gradients(lambda a, b: mha(a, b, value_mask=mask, use_causal_mask=len(shapes[0]) == 3), q, v,
                    variables=mha.trainable_weights)


def test_training_dropout_and_seed():
    x = np.ones((2, 4, 4), "float32")
    mha = layers.MultiHeadAttention(num_heads=2, key_dim=2, dropout=0.5, seed=1)
    np.testing.assert_array_equal(mha(x, x).numpy(), mha(x, x, training=False).numpy())
    _, scores = mha(x, x, training=True, return_attention_scores=True)
    np.testing.assert_allclose(scores.numpy().sum(-1), 1.0, rtol=1e-5)  # scores are returned before dropout


def test_config_round_trip_and_build_config():
    mha = layers.MultiHeadAttention(num_heads=2, key_dim=3, value_dim=4, dropout=0.1, output_shape=5,
                                    attention_axes=1, kernel_regularizer="l2", seed=7, name="att")
    config = mha.get_config()
    assert config["output_shape"] == (5,) and config["attention_axes"] == (1,) and config["value_dim"] == 4
    clone = layers.MultiHeadAttention.from_config(config)
    assert clone.get_config() == config
    mha(np.ones((1, 2, 6), "float32"), np.ones((1, 3, 6), "float32"))
    assert mha.get_build_config() == {"shapes_dict": {"query_shape": [1, 2, 6], "value_shape": [1, 3, 6]}}
    clone.build_from_config(mha.get_build_config())
    assert [w.shape for w in clone.weights] == [w.shape for w in mha.weights]


@pytest.mark.parametrize("kwargs,message", [
    ({"num_heads": 0, "key_dim": 2}, "num_heads"),
    ({"num_heads": 2, "key_dim": 2.5}, "key_dim"),
    ({"num_heads": 2, "key_dim": 2, "value_dim": -1}, "value_dim"),
    ({"num_heads": 2, "key_dim": 2, "attention_axes": "1"}, "attention_axes"),
    ({"num_heads": 2, "key_dim": 2, "dropout": 1.5}, "dropout"),
])
def test_bad_arguments_are_named(kwargs, message):
    with pytest.raises(ValueError, match=message):
        layers.MultiHeadAttention(**kwargs)


def test_bad_calls_are_named():
    mha = layers.MultiHeadAttention(num_heads=2, key_dim=2)
    with pytest.raises(ValueError, match="layer\\(query, value\\)"):
        mha(np.ones((1, 2, 4), "float32"))
    with pytest.raises(ValueError, match="except the last one"):
        mha(np.ones((1, 2, 4), "float32"), np.ones((1, 3, 4), "float32"), np.ones((1, 2, 4), "float32"))
    mha = layers.MultiHeadAttention(num_heads=2, key_dim=2)
    with pytest.raises(ValueError, match=r"`value_mask` must have shape \(1, 3\)"):
        mha(np.ones((1, 2, 4), "float32"), np.ones((1, 3, 4), "float32"), value_mask=np.ones((1, 2), bool))


def test_functional_model_with_two_inputs_saves_and_loads(tmp_path):
    q, v = layers.Input((5, 8)), layers.Input((6, 8))
    out, scores = layers.MultiHeadAttention(2, 4, name="mha")(q, v, return_attention_scores=True)
    assert out.shape == (None, 5, 8) and scores.shape == (None, 2, 5, 6)
    model = numkeras.Model([q, v], [layers.Dense(3)(out), scores])
    x = [np.random.default_rng(4).normal(size=s).astype("float32") for s in [(2, 5, 8), (2, 6, 8)]]
    y = model(x)
    model.save(tmp_path / "m.keras")
    loaded = numkeras.saving.load_model(tmp_path / "m.keras")
    for a, b in zip(loaded(x), y):
        np.testing.assert_array_equal(a.numpy(), b.numpy())


def test_equations_are_keras():
    assert projection_equation(2, 1, 2) == ("abc,cde->abde", "de", 4)
    assert projection_equation(2, 2, 1) == ("abcd,cde->abe", "e", 3)
    assert attention_equations(4, (1,)) == ("aecd,abcd->acbe", "acbe,aecd->abcd", 4)


@pytest.mark.parametrize("kwargs,shapes", [
    ({}, [(None, 5, 8), (None, 6, 8)]),
    ({"attention_axes": (1, 2)}, [(None, 2, 3, 8), (None, 4, 5, 8)]),
    ({"attention_axes": 2}, [(None, 2, 3, 8), (None, 2, 5, 8)]),
])
def test_symbolic_scores_have_the_computed_shape(kwargs, shapes):
    q, v = layers.Input(shapes[0][1:]), layers.Input(shapes[1][1:])
    mha = layers.MultiHeadAttention(num_heads=2, key_dim=4, **kwargs)
    out, scores = mha(q, v, return_attention_scores=True)
    concrete = [np.ones((1,) + s[1:], "float32") for s in shapes]
    _, real = layers.MultiHeadAttention(num_heads=2, key_dim=4, **kwargs)(*concrete, return_attention_scores=True)
    assert scores.shape == (None,) + real.shape[1:] and out.shape == shapes[0][:-1] + (8,)
