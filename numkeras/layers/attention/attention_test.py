import numpy as np
import pytest

from numkeras import layers
from numkeras.engine.gradient_check import check_gradients


def numpy_attention(q, v, scale=1.0, value_mask=None, causal=False):
    scores = scale * q @ v.transpose(0, 2, 1)
    allowed = np.ones(scores.shape, bool)
    if value_mask is not None:
        allowed &= value_mask[:, None, :]
    if causal:
        allowed &= np.tril(np.ones(scores.shape[1:], bool))
    scores = np.where(allowed, scores, scores - 1e9)
    p = np.exp(scores - scores.max(-1, keepdims=True))
    p /= p.sum(-1, keepdims=True)
    return p @ v, p


def test_values_match_numpy_with_masks():
    rng = np.random.default_rng(0)
    q, v = rng.normal(size=(2, 3, 4)).astype("float32"), rng.normal(size=(2, 5, 4)).astype("float32")
    query_mask = np.array([[1, 1, 0], [1, 1, 1]], bool)
    value_mask = np.array([[1, 1, 1, 0, 0], [1, 0, 1, 1, 1]], bool)
    out, scores = layers.Attention()([q, v], mask=[query_mask, value_mask], return_attention_scores=True,
                                     use_causal_mask=True)
    expected, p = numpy_attention(q, v, value_mask=value_mask, causal=True)
    np.testing.assert_allclose(scores.numpy(), p, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(out.numpy(), np.where(query_mask[..., None], expected, 0), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("cls,kwargs", [
    ("Attention", {}), ("Attention", {"use_scale": True}), ("Attention", {"score_mode": "concat", "use_scale": True}),
    ("AdditiveAttention", {}), ("AdditiveAttention", {"use_scale": False}),
])
def test_gradients_match_finite_differences(cls, kwargs):
    rng = np.random.default_rng(1)
    q, v, k = rng.normal(size=(2, 3, 4)), rng.normal(size=(2, 5, 4)), rng.normal(size=(2, 5, 4))
    layer = getattr(layers, cls)(**kwargs, dtype="float64")
    layer.build([q.shape, v.shape, k.shape])
    for w in layer.weights:
        w.assign(rng.normal(size=w.shape))
    value_mask = np.array([[1, 1, 1, 1, 0], [1, 1, 1, 1, 1]], bool)
    check_gradients(lambda a, b, c: layer([a, b, c], mask=[None, value_mask], use_causal_mask=True), q, v, k,
                    variables=layer.trainable_weights)


def test_weights_are_keras():
    att = layers.Attention(use_scale=True, score_mode="concat")
    att([np.ones((1, 2, 3), "float32"), np.ones((1, 4, 3), "float32")])
    assert [(w.name, w.shape) for w in att.weights] == [("scale", ()), ("concat_score_weight", ())]
    add = layers.AdditiveAttention()
    add([np.ones((1, 2, 3), "float32"), np.ones((1, 4, 3), "float32")])
    assert [(w.name, w.shape) for w in add.weights] == [("scale", (3,))]


def test_dropout_only_in_training():
    q = np.random.default_rng(2).normal(size=(2, 3, 4)).astype("float32")
    att = layers.Attention(dropout=0.5, seed=0)
    np.testing.assert_array_equal(att([q, q]).numpy(), att([q, q], training=False).numpy())
    assert not np.allclose(att([q, q], training=True).numpy(), att([q, q]).numpy())


def test_config_round_trips():
    for layer in (layers.Attention(use_scale=True, score_mode="concat", dropout=0.1, seed=3),
                  layers.AdditiveAttention(use_scale=False)):
        config = layer.get_config()
        assert type(layer).from_config(config).get_config() == config
    assert "score_mode" not in layers.AdditiveAttention().get_config()


def test_compute_mask_is_the_query_mask():
    mask = np.array([[True, False]])
    assert layers.Attention().compute_mask([np.ones((1, 2, 3))] * 2, [mask, None]).tolist() == mask.tolist()
    assert layers.Attention().compute_mask([np.ones((1, 2, 3))] * 2, None) is None


@pytest.mark.parametrize("call,message", [
    (lambda a, x: a(x), "must be called on a list"),
    (lambda a, x: a([x]), "length 2 or 3"),
    (lambda a, x: a([x, x], mask=x), "mask must be a list"),
    (lambda a, x: a([x, x], mask=[np.ones((1, 3), bool), None]), r"query mask must have shape \(1, 2\)"),
])
def test_bad_calls_are_named(call, message):
    with pytest.raises(ValueError, match=message):
        call(layers.Attention(), np.ones((1, 2, 3), "float32"))


def test_bad_score_mode():
    with pytest.raises(ValueError, match="score_mode"):
        layers.Attention(score_mode="add")
