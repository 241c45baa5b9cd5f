"""Dot: values vs NumPy einsum, gradients, normalize, shape rules, config."""
import json

import numpy as np
import pytest

from numkeras import layers
from numkeras.engine.gradient_check import check_gradients
from numkeras.layers import merging

# (x shape, y shape, axes, einsum pattern giving Keras's output layout)
CASES = [
    ((4, 3), (4, 3), 1, "bi,bi->b"),
    ((4, 3), (4, 3), -1, "bi,bi->b"),
    ((2, 3, 5), (2, 10, 3), (1, 2), "bia,bji->baj"),
    ((2, 5, 3), (2, 3, 4), (2, 1), "bai,bij->baj"),
    ((2, 3, 4, 5), (2, 5, 6), (-1, 1), "bxyi,bij->bxyj"),
    ((2, 6), (2, 3, 6, 2), (1, 2), "bi,bxiy->bxy"),
]


@pytest.mark.parametrize("x_shape, y_shape, axes, pattern", CASES)
def test_values_shapes_and_gradients(x_shape, y_shape, axes, pattern):
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=x_shape), rng.normal(size=y_shape)
    layer = merging.Dot(axes=axes, dtype="float64")
    expected = np.einsum(pattern, x, y)
    expected = expected.reshape(-1, 1) if expected.ndim == 1 else expected
    out = layer([x, y])
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-12)
    assert layer.compute_output_shape([(None,) + x_shape[1:], (None,) + y_shape[1:]]) == (None,) + expected.shape[1:]
    check_gradients(lambda a, b: layer([a, b]), x, y)


def test_normalize_gives_cosine_similarity_with_gradients():
    rng = np.random.default_rng(1)
    x, y = rng.normal(size=(5, 4)), rng.normal(size=(5, 4))
    cosine = np.sum(x * y, axis=1) / (np.linalg.norm(x, axis=1) * np.linalg.norm(y, axis=1))
    layer = merging.Dot(axes=1, normalize=True, dtype="float64")
    np.testing.assert_allclose(layer([x, y]).numpy().ravel(), cosine, rtol=1e-10)
    check_gradients(lambda a, b: layer([a, b]), x, y)


def test_function_form_symbolic_and_float32():
    a, b = layers.Input(shape=(3, 8)), layers.Input(shape=(4, 8))
    assert merging.dot([a, b], axes=2).shape == (None, 3, 4)
    out = merging.dot([np.ones((2, 3), "float32")] * 2, axes=1)
    assert out.dtype == "float32" and out.shape == (2, 1)
    np.testing.assert_array_equal(out.numpy(), [[3.0], [3.0]])


def test_bad_axes_and_shapes_are_rejected():
    with pytest.raises(TypeError, match="axes"):
        merging.Dot(axes="1")
    with pytest.raises(ValueError, match="two elements"):
        merging.Dot(axes=(1, 2, 3))
    with pytest.raises(ValueError, match="integers"):
        merging.Dot(axes=(1, 2.0))
    with pytest.raises(ValueError, match=r"axis values 3 \(at axis 1\) != 4 \(at axis 1\)"):
        merging.Dot(axes=1)([layers.Input(shape=(3,)), layers.Input(shape=(4,))])
    with pytest.raises(ValueError, match="batch axis"):
        merging.Dot(axes=0)([np.zeros((2, 3), "float32")] * 2)
    with pytest.raises(ValueError, match="exactly 2 inputs"):
        merging.Dot(axes=1)([np.zeros((2, 3), "float32")] * 3)
    with pytest.raises(ValueError, match="rank >= 2"):
        merging.Dot(axes=-1).compute_output_shape([(None,), (None,)])
    with pytest.raises(ValueError, match="out of range"):
        merging.Dot(axes=3).compute_output_shape([(None, 3), (None, 3)])


def test_config_round_trip():
    layer = merging.Dot(axes=(1, 2), normalize=True, name="cos")
    config = json.loads(json.dumps(layer.get_config()))
    assert config["axes"] == [1, 2] and config["normalize"] is True
    clone = merging.Dot.from_config(config)
    assert clone.get_config() == config
    x, y = np.ones((2, 3, 4), "float32"), np.ones((2, 4, 3), "float32")
    np.testing.assert_allclose(clone([x, y]).numpy(), layer([x, y]).numpy())
