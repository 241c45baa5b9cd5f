"""GroupNormalization: values vs a per-group NumPy loop, gradients, instance/layer-norm limits, config."""
import numpy as np
import pytest

from numkeras import regularizers
from numkeras.engine.gradient_check import check_gradients
from numkeras.layers.normalization import GroupNormalization, LayerNormalization

RNG = np.random.default_rng(0)


def gn_loop(x, groups, axis, gamma, beta, epsilon=1e-3):
    """Group norm one sample and one group at a time."""
    x = np.moveaxis(x, axis, -1)
    out = np.empty_like(x)
    size = x.shape[-1] // groups
    for n in range(x.shape[0]):
        for g in range(groups):
            block = x[n, ..., g * size:(g + 1) * size]
            out[n, ..., g * size:(g + 1) * size] = (block - block.mean()) / np.sqrt(block.var() + epsilon)
    return np.moveaxis(out * gamma + beta, -1, axis)


@pytest.mark.parametrize("shape,groups,axis", [((2, 6), 3, -1), ((2, 3, 4), 2, -1), ((2, 3, 3, 4), 2, -1),
                                               ((2, 4, 3, 2), 2, 1), ((2, 4, 3), 4, 1), ((3, 5, 6), 1, -1)])
def test_values_and_gradients(shape, groups, axis):
    layer = GroupNormalization(groups=groups, axis=axis, dtype="float64")
    layer.build(shape)
    channels = shape[axis]
    layer.gamma.assign(RNG.uniform(0.5, 1.5, channels))
    layer.beta.assign(RNG.normal(size=channels))
    x = RNG.normal(1.0, 2.0, shape)
    expected = gn_loop(x, groups, axis, layer.gamma.numpy(), layer.beta.numpy())
    np.testing.assert_allclose(layer(x).numpy(), expected, rtol=1e-10, atol=1e-12)
    check_gradients(layer, x, variables=[layer.gamma, layer.beta])


def test_instance_and_layer_norm_limits():
    x = RNG.normal(size=(2, 3, 3, 4)).astype("float32")
    instance = GroupNormalization(groups=-1)
    out = instance(x).numpy()
    assert instance.groups == 4  # -1 becomes one group per channel, as in Keras
    np.testing.assert_allclose(out.mean(axis=(1, 2)), 0, atol=1e-5)
    one_group = GroupNormalization(groups=1)(x).numpy()
    np.testing.assert_allclose(one_group, LayerNormalization(axis=[1, 2, 3])(x).numpy(), rtol=1e-5, atol=1e-5)
    assert one_group.dtype == np.float32


def test_config_round_trip():
    layer = GroupNormalization(groups=2, axis=1, epsilon=1e-5, scale=False, beta_regularizer=regularizers.L2(0.3))
    config = layer.get_config()
    assert (config["groups"], config["axis"], config["epsilon"], config["scale"]) == (2, 1, 1e-5, False)
    assert config["beta_regularizer"] == {"class_name": "L2", "config": {"l2": 0.3}}
    again = GroupNormalization.from_config(config)
    assert again.get_config() == config
    x = RNG.normal(size=(2, 4, 3)).astype("float32")
    np.testing.assert_array_equal(again(x).numpy(), layer(x).numpy())
    assert [w.name for w in layer.weights] == ["beta"] and len(layer.losses) == 1
    defaults = GroupNormalization().get_config()
    assert (defaults["groups"], defaults["axis"], defaults["epsilon"]) == (32, -1, 1e-3)


def test_bad_inputs():
    with pytest.raises(ValueError, match="groups"):
        GroupNormalization(groups=0)
    with pytest.raises(ValueError, match="must divide the 6 channels"):
        GroupNormalization(groups=4)(np.ones((2, 6), "float32"))
    with pytest.raises(ValueError, match="must divide"):
        GroupNormalization()(np.ones((2, 6), "float32"))  # 32 groups > 6 channels
    with pytest.raises(ValueError, match="batch axis"):
        GroupNormalization(groups=1, axis=0)(np.ones((2, 6), "float32"))
    layer = GroupNormalization(groups=2)
    layer(np.ones((2, 3, 4), "float32"))
    with pytest.raises(ValueError, match="expected axis 2 of input shape to have value 4"):
        layer(np.ones((2, 3, 6), "float32"))
