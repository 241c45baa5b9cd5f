import numpy as np
import pytest

from numkeras.engine.gradient_check import check_float32, check_gradients
from numkeras.layers.activations import Softmax

X = np.random.default_rng(5).normal(size=(2, 3, 4)) * 3


def _softmax(x, axis):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


@pytest.mark.parametrize("axis", [-1, 1, 0, [1, 2], (-1,)])
def test_values_and_gradients(axis):
    np_axis = tuple(axis) if isinstance(axis, (list, tuple)) else axis
    layer = Softmax(axis=axis)
    np.testing.assert_allclose(layer(X.astype("float32")).numpy(), _softmax(X, np_axis), rtol=1e-5, atol=1e-7)
    check_gradients(Softmax(axis=axis, dtype="float64"), X)
    check_float32(layer, X.astype("float32"))


def test_keras_example_and_extreme_logits():
    out = Softmax()(np.array([1.0, 2.0, 1.0])).numpy()
    np.testing.assert_allclose(out, [0.21194157, 0.5761169, 0.21194157], rtol=1e-6)
    out = Softmax()(np.array([[1e4, -1e4, 0.0]], "float32")).numpy()
    assert np.isfinite(out).all() and out.tolist() == [[1.0, 0.0, 0.0]]


def test_mask_zeroes_masked_positions_and_renormalizes():
    mask = np.array([[1, 1, 0, 1], [0, 0, 0, 0], [1, 0, 0, 0]], bool)[None]  # (1, 3, 4): broadcasts over batch
    out = Softmax()(X, mask=mask).numpy()
    for b in range(2):
        for r in range(3):
            keep = mask[0, r]
            expected = np.zeros(4)
            if keep.any():
                expected[keep] = _softmax(X[b, r][keep], -1)
            np.testing.assert_allclose(out[b, r], expected, rtol=1e-5, atol=1e-8)
    assert out[:, 1].sum() == 0  # a fully masked row gives zeros, not a uniform row
    float_mask = Softmax()(X, mask=mask.astype("float32") * 0.9).numpy()  # > 0.5 keeps
    np.testing.assert_array_equal(float_mask, out)
    check_gradients(lambda x: Softmax(dtype="float64")(x, mask=mask), X)


@pytest.mark.parametrize("shape", [(2, 3, 5), (1, 2, 3, 4), (3,), (2, 2, 1)])
def test_mask_must_broadcast(shape):
    with pytest.raises(ValueError, match="the `mask` must be broadcastable to `inputs`"):
        Softmax()(X, mask=np.ones(shape, bool))


def test_config_round_trip():
    layer = Softmax(axis=[1, 2], name="s")
    config = layer.get_config()
    assert config["axis"] == [1, 2] and config["name"] == "s"
    assert Softmax.from_config(config).get_config() == config
    assert Softmax().axis == -1 and Softmax().compute_output_shape((None, 5)) == (None, 5)
