"""LayerNormalization: values vs NumPy, gradients, rms_scaling, flags, config."""
import numpy as np
import pytest

from numkeras import initializers, regularizers
from numkeras.engine.gradient_check import check_gradients
from numkeras.layers.normalization import LayerNormalization

RNG = np.random.default_rng(0)


def ln_reference(x, axes, gamma=1.0, beta=0.0, epsilon=1e-3):
    mean, var = x.mean(axis=axes, keepdims=True), x.var(axis=axes, keepdims=True)
    return (x - mean) / np.sqrt(var + epsilon) * gamma + beta


def param_view(p, shape, axes):
    return p.reshape([n if i in axes else 1 for i, n in enumerate(shape)])


@pytest.mark.parametrize("shape,axis,axes", [((4, 5), -1, (1,)), ((2, 3, 4), -1, (2,)), ((2, 3, 4), [1, 2], (1, 2)),
                                             ((2, 3, 4), 1, (1,)), ((2, 3, 4, 2), (-1, 1), (1, 3))])
def test_values_and_gradients(shape, axis, axes):
    layer = LayerNormalization(axis=axis, dtype="float64")
    x = RNG.normal(2.0, 3.0, shape)
    layer.build(shape)
    assert layer.axis == list(axes)  # Keras stores the sorted non-negative axes once built
    assert layer.gamma.shape == tuple(shape[a] for a in axes)
    layer.gamma.assign(RNG.uniform(0.5, 1.5, layer.gamma.shape))
    layer.beta.assign(RNG.normal(size=layer.beta.shape))
    expected = ln_reference(x, axes, param_view(layer.gamma.numpy(), shape, axes),
                            param_view(layer.beta.numpy(), shape, axes))
    np.testing.assert_allclose(layer(x).numpy(), expected, rtol=1e-12, atol=1e-12)
    check_gradients(layer, x, variables=[layer.gamma, layer.beta])


def test_same_in_training_and_inference_and_float32():
    layer = LayerNormalization()
    x = RNG.normal(size=(3, 6)).astype("float32")
    out = layer(x, training=True)
    assert out.dtype == "float32"
    np.testing.assert_array_equal(out.numpy(), layer(x).numpy())
    np.testing.assert_allclose(out.numpy(), ln_reference(x.astype("float64"), (1,)), rtol=1e-5, atol=1e-6)


def test_rms_scaling_is_keras_deprecated_formula():
    with pytest.warns(UserWarning, match="deprecated"):
        layer = LayerNormalization(rms_scaling=True, dtype="float64")
    x = RNG.normal(1.0, 2.0, (3, 5))
    layer.build(x.shape)
    assert [w.name for w in layer.weights] == ["gamma"]  # no beta with rms_scaling
    layer.gamma.assign(RNG.uniform(0.5, 1.5, (5,)))
    expected = x / np.sqrt(x.var(axis=1, keepdims=True) + 1e-3) * layer.gamma.numpy()
    np.testing.assert_allclose(layer(x).numpy(), expected, rtol=1e-12)
    check_gradients(layer, x, variables=[layer.gamma])


@pytest.mark.parametrize("center,scale,names", [(False, True, ["gamma"]), (True, False, ["beta"]), (False, False, [])])
def test_center_and_scale_flags(center, scale, names):
    layer = LayerNormalization(center=center, scale=scale, dtype="float64")
    x = RNG.normal(size=(3, 4))
    np.testing.assert_allclose(layer(x).numpy(), ln_reference(x, (1,)), rtol=1e-12)
    assert [w.name for w in layer.weights] == names
    check_gradients(layer, x, variables=layer.weights)


def test_config_round_trip():
    layer = LayerNormalization(axis=[1, 2], epsilon=1e-5, center=False, gamma_initializer="zeros",
                               gamma_regularizer=regularizers.L1(0.2), name="ln")
    config = layer.get_config()
    assert config["axis"] == [1, 2] and config["epsilon"] == 1e-5 and config["rms_scaling"] is False
    assert config["center"] is False and config["gamma_initializer"] == {"class_name": "Zeros", "config": {}}
    assert config["gamma_regularizer"] == {"class_name": "L1", "config": {"l1": 0.2}}
    again = LayerNormalization.from_config(config)
    assert again.get_config() == config
    x = RNG.normal(size=(2, 3, 4)).astype("float32")
    np.testing.assert_array_equal(again(x).numpy(), layer(x).numpy())
    np.testing.assert_array_equal(layer(x).numpy(), 0)  # gamma initialized to zeros
    defaults = LayerNormalization().get_config()
    assert (defaults["axis"], defaults["epsilon"], defaults["center"], defaults["scale"]) == (-1, 1e-3, True, True)
    assert defaults["beta_initializer"] == {"class_name": "Zeros", "config": {}}
    assert isinstance(LayerNormalization(gamma_initializer="ones").gamma_initializer, initializers.Ones)


def test_bad_inputs():
    with pytest.raises(TypeError, match="axis"):
        LayerNormalization(axis="last")
    with pytest.raises(ValueError, match="duplicate"):
        LayerNormalization(axis=[1, -1])(np.ones((2, 3), "float32"))
    with pytest.raises(ValueError, match="out of bounds"):
        LayerNormalization(axis=2)(np.ones((2, 3), "float32"))
    layer = LayerNormalization()
    layer(np.ones((2, 3), "float32"))
    with pytest.raises(ValueError, match="expected axis 1 of input shape to have value 3"):
        layer(np.ones((2, 5), "float32"))
