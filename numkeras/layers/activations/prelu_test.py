import numpy as np
import pytest

from numkeras import GradientTape, constraints, initializers, regularizers
from numkeras.engine.gradient_check import check_gradients
from numkeras.layers.activations import PReLU

X = np.random.default_rng(3).uniform(-3, 3, (2, 3, 4))
X = np.where(np.abs(X) < 0.05, 0.2, X)


def test_starts_as_relu_with_zero_alpha():
    layer = PReLU()
    np.testing.assert_allclose(layer(X.astype("float32")).numpy(), np.maximum(X, 0), rtol=1e-6)
    assert layer.alpha.shape == (3, 4) and layer.alpha.trainable
    assert [w.name for w in layer.trainable_weights] == ["alpha"]
    assert isinstance(layer.alpha_initializer, initializers.Zeros)


@pytest.mark.parametrize("shared_axes,alpha_shape", [(None, (3, 4)), (1, (1, 4)), ([1, 2], (1, 1)), ((2,), (3, 1))])
def test_shared_axes(shared_axes, alpha_shape):
    alpha = np.random.default_rng(4).uniform(0.1, 0.9, alpha_shape)
    layer = PReLU(alpha_initializer=initializers.get(alpha), shared_axes=shared_axes, dtype="float64")
    out = layer(X)
    assert layer.alpha.shape == alpha_shape
    np.testing.assert_allclose(out.numpy(), np.where(X >= 0, X, alpha * X), rtol=1e-12)
    grads = check_gradients(layer, X, variables=[layer.alpha])
    assert grads[1].shape == alpha_shape and np.any(grads[1] != 0)


def test_alpha_is_learned_regularized_and_constrained():
    layer = PReLU(alpha_initializer="ones", alpha_regularizer=regularizers.L2(0.5),
                  alpha_constraint=constraints.NonNeg(), shared_axes=[1, 2])
    with GradientTape() as tape:
        out = layer(X.astype("float32"))
    grad = tape.gradient(out, layer.alpha).numpy()
    np.testing.assert_allclose(grad, [[X[X < 0].sum()]], rtol=1e-5)  # d(alpha * x)/d alpha summed over x < 0
    assert [float(v) for v in layer.losses] == [0.5]
    assert layer.alpha.constraint is layer.alpha_constraint


def test_config_round_trip():
    layer = PReLU(alpha_initializer=initializers.Constant(0.25), alpha_regularizer="l2",
                  alpha_constraint="non_neg", shared_axes=[1])
    config = layer.get_config()
    assert config["alpha_initializer"] == {"class_name": "Constant", "config": {"value": 0.25}}
    assert config["alpha_regularizer"] == {"class_name": "L2", "config": {"l2": 0.01}}
    assert config["alpha_constraint"] == {"class_name": "NonNeg", "config": {}}
    assert config["shared_axes"] == [1]
    again = PReLU.from_config(config)
    assert again.get_config() == config
    np.testing.assert_allclose(again(X).numpy(), layer(X).numpy())
    assert PReLU().get_config()["alpha_initializer"] == {"class_name": "Zeros", "config": {}}


def test_bad_inputs():
    with pytest.raises(ValueError, match=r"shared_axes must be axes.*\[1, 2\]"):
        PReLU(shared_axes=[3])(X)
    layer = PReLU()
    layer(X)
    with pytest.raises(ValueError, match="expected ndim=3, found ndim=2"):
        layer(X[0])
    with pytest.raises(ValueError, match="needs known sizes"):
        PReLU().build((None, None, 4))
    PReLU(shared_axes=1).build((None, None, 4))  # an unknown size is fine on a shared axis


def test_alpha_trains_in_a_model():
    from numkeras import models, optimizers
    rng = np.random.default_rng(6)
    x = rng.normal(size=(32, 3)).astype("float32")
    y = np.where(x >= 0, x, 0.5 * x)  # the target is a PReLU with alpha 0.5
    prelu = PReLU()
    model = models.Sequential([prelu])
    model.compile(optimizer=optimizers.SGD(0.5), loss="mse")
    model.fit(x, y, epochs=30, batch_size=32, verbose=0)
    np.testing.assert_allclose(prelu.alpha.numpy(), 0.5, atol=0.02)
