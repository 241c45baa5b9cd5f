"""SpatialDropout1D/2D/3D: whole channels dropped, scaling, data formats, seeds, inference identity, config."""
import numpy as np
import pytest

from numkeras import GradientTape, Variable
from numkeras.layers.regularization import SpatialDropout1D, SpatialDropout2D, SpatialDropout3D
from numkeras.utils import set_random_seed

CASES = [(SpatialDropout1D, {}, (64, 5, 32), (1,)), (SpatialDropout2D, {}, (32, 4, 5, 32), (1, 2)),
         (SpatialDropout2D, {"data_format": "channels_first"}, (32, 32, 4, 5), (2, 3)),
         (SpatialDropout3D, {}, (16, 2, 3, 2, 32), (1, 2, 3)),
         (SpatialDropout3D, {"data_format": "channels_first"}, (16, 32, 2, 3, 2), (2, 3, 4))]


@pytest.mark.parametrize("cls,kwargs,shape,spatial", CASES)
def test_drops_whole_channels_and_preserves_the_mean(cls, kwargs, shape, spatial):
    x = np.ones(shape, "float32")
    out = cls(0.3, seed=1, **kwargs)(x, training=True).numpy()
    assert out.dtype == np.float32
    first = out[tuple(slice(0, 1) if i in spatial else slice(None) for i in range(len(shape)))]
    np.testing.assert_array_equal(out, np.broadcast_to(first, shape))  # one draw per sample and channel
    np.testing.assert_allclose(np.unique(out), [0, 1 / 0.7], rtol=1e-6)
    assert abs(out.mean() - 1) < 0.08  # kept maps are scaled by 1 / (1 - rate)
    assert abs((first == 0).mean() - 0.3) < 0.06


@pytest.mark.parametrize("cls,kwargs,shape,spatial", CASES)
def test_identity_at_inference(cls, kwargs, shape, spatial):
    x = np.random.default_rng(0).normal(size=shape).astype("float32")
    layer = cls(0.5, **kwargs)
    np.testing.assert_array_equal(layer(x).numpy(), x)
    np.testing.assert_array_equal(layer(x, training=False).numpy(), x)
    np.testing.assert_array_equal(cls(0.0, **kwargs)(x, training=True).numpy(), x)


def test_seeded_layers_repeat_and_the_global_seed_works():
    x = np.ones((4, 3, 8), "float32")
    a = SpatialDropout1D(0.5, seed=7)(x, training=True).numpy()
    b = SpatialDropout1D(0.5, seed=7)(x, training=True).numpy()
    np.testing.assert_array_equal(a, b)
    set_random_seed(3)
    c = SpatialDropout1D(0.5)(x, training=True).numpy()
    set_random_seed(3)
    np.testing.assert_array_equal(SpatialDropout1D(0.5)(x, training=True).numpy(), c)


def test_gradient_is_the_mask():
    x = Variable(np.ones((2, 3, 3, 4), "float32"))
    with GradientTape() as tape:
        y = SpatialDropout2D(0.5, seed=0)(x, training=True)
    np.testing.assert_array_equal(tape.gradient(y, x).numpy(), y.numpy())


def test_config_round_trip():
    layer = SpatialDropout2D(0.25, data_format="channels_first", seed=4, name="sd")
    config = layer.get_config()
    assert config == {"rate": 0.25, "seed": 4, "name": "sd", "dtype": "float32", "data_format": "channels_first"}
    assert SpatialDropout2D.from_config(config).get_config() == config
    one = SpatialDropout1D(0.1, name="sd1").get_config()
    assert one == {"rate": 0.1, "seed": None, "name": "sd1", "dtype": "float32"}
    assert SpatialDropout1D.from_config(one).get_config() == one
    assert SpatialDropout3D(0.1).data_format == "channels_last"


def test_bad_inputs():
    with pytest.raises(ValueError, match="expected ndim=4"):
        SpatialDropout2D(0.5)(np.ones((2, 3, 4), "float32"), training=True)
    with pytest.raises(ValueError, match="expected ndim=3"):
        SpatialDropout1D(0.5)(np.ones((2, 3), "float32"))
    with pytest.raises(ValueError, match="data_format"):
        SpatialDropout2D(0.5, data_format="channels_middle")
    with pytest.raises(ValueError, match="rate"):
        SpatialDropout1D(1.5)
