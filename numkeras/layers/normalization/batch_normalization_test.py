"""BatchNormalization: values, gradients, moving statistics, inference, frozen layers, training, config."""
import numpy as np
import pytest

from numkeras import GradientTape, constraints, initializers, models, optimizers, regularizers
from numkeras.engine.gradient_check import check_gradients
from numkeras.layers import Dense, Input
from numkeras.layers.normalization import BatchNormalization
from numkeras.utils import set_random_seed

RNG = np.random.default_rng(0)


def bn_reference(x, axis, gamma, beta, epsilon, mean=None, var=None):
    axes = tuple(i for i in range(x.ndim) if i != axis % x.ndim)
    shape = [1] * x.ndim
    shape[axis] = x.shape[axis]
    if mean is None:
        mean, var = x.mean(axis=axes), x.var(axis=axes)
    r = lambda v: np.reshape(v, shape)  # noqa: E731
    return (x - r(mean)) / np.sqrt(r(var) + epsilon) * r(gamma) + r(beta)


def random_params(layer, rng=RNG):
    for w in layer.weights:
        w.assign(rng.uniform(0.5, 1.5, w.shape).astype(w.dtype))


@pytest.mark.parametrize("shape,axis", [((8, 3), -1), ((4, 5, 3), -1), ((3, 4, 2, 2), 1), ((3, 2, 2, 4), 3),
                                        ((3, 4, 5), 1)])
def test_training_and_inference_values(shape, axis):
    x = RNG.normal(1.0, 2.0, shape).astype("float32")
    layer = BatchNormalization(axis=axis)
    layer.build(shape)
    random_params(layer)
    gamma, beta, mm, mv = (w.numpy() for w in layer.weights)
    np.testing.assert_allclose(layer(x, training=True).numpy(), bn_reference(x, axis, gamma, beta, 1e-3),
                               rtol=1e-4, atol=1e-5)
    mm, mv = layer.moving_mean.numpy(), layer.moving_variance.numpy()
    for training in (False, None):  # inference (the default) uses the moving statistics
        out = layer(x, training=training)
        assert out.dtype == "float32"
        np.testing.assert_allclose(out.numpy(), bn_reference(x, axis, gamma, beta, 1e-3, mm, mv), rtol=1e-4, atol=1e-5)
    np.testing.assert_array_equal(layer.moving_mean.numpy(), mm)  # inference leaves them alone


@pytest.mark.parametrize("shape,axis", [((6, 3), -1), ((3, 2, 4), 1), ((2, 3, 2, 2), -1), ((2, 2, 3, 2), 1)])
def test_training_mode_gradients(shape, axis):
    layer = BatchNormalization(axis=axis, dtype="float64")
    layer.build(shape)
    random_params(layer)
    x = RNG.normal(size=shape)
    grads = check_gradients(lambda t: layer(t, training=True), x, variables=[layer.gamma, layer.beta])
    assert grads[1].shape == grads[2].shape == (shape[axis],)


def test_inference_mode_gradients():
    layer = BatchNormalization(axis=1, dtype="float64")
    layer.build((4, 3, 2))
    random_params(layer)
    check_gradients(lambda t: layer(t, training=False), RNG.normal(size=(4, 3, 2)),
                    variables=[layer.gamma, layer.beta])


@pytest.mark.parametrize("center,scale", [(False, True), (True, False), (False, False)])
def test_center_and_scale_flags(center, scale):
    layer = BatchNormalization(center=center, scale=scale, dtype="float64")
    x = RNG.normal(size=(5, 2))
    out = layer(x, training=True).numpy()
    assert [w.name for w in layer.weights] == (["gamma"] if scale else []) + (["beta"] if center else []) + [
        "moving_mean", "moving_variance"]
    np.testing.assert_allclose(out, bn_reference(x, -1, np.ones(2), np.zeros(2), 1e-3), rtol=1e-12)
    check_gradients(lambda t: layer(t, training=True), x, variables=layer.trainable_weights)


def test_moving_statistics_follow_the_momentum_recursion():
    momentum, steps = 0.9, 7
    layer = BatchNormalization(axis=1, momentum=momentum)
    batches = [RNG.normal(i, 1 + i, (16, 3, 4)).astype("float32") for i in range(steps)]
    for x in batches:
        layer(x, training=True)
    # closed form: m_N = momentum^N * m_0 + sum_k (1 - momentum) * momentum^(N-1-k) * stat_k (m_0 = 0, v_0 = 1)
    axes = (0, 2)
    mean = sum((1 - momentum) * momentum ** (steps - 1 - k) * b.astype("float64").mean(axes)
               for k, b in enumerate(batches))
    var = momentum ** steps + sum((1 - momentum) * momentum ** (steps - 1 - k) * b.astype("float64").var(axes)
                                  for k, b in enumerate(batches))
    np.testing.assert_allclose(layer.moving_mean.numpy(), mean, rtol=1e-5)
    np.testing.assert_allclose(layer.moving_variance.numpy(), var, rtol=1e-5)  # biased variance, as Keras
    assert layer.moving_mean.dtype == "float32"


def test_moving_statistics_are_non_trainable_and_outside_the_gradient():
    layer = BatchNormalization()
    x = RNG.normal(size=(8, 3)).astype("float32")
    with GradientTape() as tape:
        out = layer(x, training=True) * x
    assert [w.name for w in layer.trainable_weights] == ["gamma", "beta"]
    assert [w.name for w in layer.non_trainable_weights] == ["moving_mean", "moving_variance"]
    assert [w.path for w in layer.weights][2:] == [f"{layer.name}/moving_mean", f"{layer.name}/moving_variance"]
    grads = tape.gradient(out, [layer.gamma, layer.beta, layer.moving_mean, layer.moving_variance])
    assert grads[0] is not None and grads[1] is not None
    assert grads[2] is None and grads[3] is None
    assert layer.count_params() == 12


def test_frozen_layer_runs_in_inference_mode_even_when_training():
    layer = BatchNormalization(momentum=0.5)
    x = RNG.normal(3.0, 2.0, (10, 4)).astype("float32")
    layer(x, training=True)
    stats = [w.numpy() for w in layer.weights]
    layer.trainable = False
    np.testing.assert_array_equal(layer(x, training=True).numpy(), layer(x, training=False).numpy())
    for w, before in zip(layer.weights, stats):
        np.testing.assert_array_equal(w.numpy(), before)  # moving statistics did not move
    assert layer.trainable_weights == [] and len(layer.non_trainable_weights) == 4
    layer.trainable = True
    assert not np.allclose(layer(x, training=True).numpy(), layer(x, training=False).numpy())


def _model(seed=0):
    set_random_seed(seed)
    inputs = Input(shape=(4,))
    model = models.Sequential([inputs, Dense(16, activation="relu"), BatchNormalization(momentum=0.9),
                               Dense(1, activation="sigmoid")])
    return model


def _data():
    rng = np.random.default_rng(1)
    x = rng.normal(5.0, 3.0, (256, 4)).astype("float32")
    y = (x[:, :1] - 5.0 + 0.5 * (x[:, 1:2] - 5.0) > 0).astype("float32")
    return x, y


def test_frozen_layer_in_fit_changes_nothing():
    x, y = _data()
    model = _model()
    bn = model.layers[1]
    bn.trainable = False
    model.compile(optimizer="sgd", loss="binary_crossentropy")
    before = [w.numpy() for w in bn.weights]
    kernel = model.layers[0].kernel.numpy()
    model.fit(x, y, epochs=2, batch_size=32, verbose=0)
    for w, b in zip(bn.weights, before):
        np.testing.assert_array_equal(w.numpy(), b)  # neither gamma/beta nor the moving statistics moved
    assert not np.allclose(model.layers[0].kernel.numpy(), kernel)  # the rest still trains


def test_small_model_with_batch_norm_trains_and_predicts_deterministically():
    x, y = _data()
    model = _model()
    bn = model.layers[1]
    model.compile(optimizer=optimizers.Adam(0.02), loss="binary_crossentropy", metrics=["accuracy"])
    assert len(model.trainable_weights) == 6 and len(model.non_trainable_weights) == 2
    history = model.fit(x, y, epochs=8, batch_size=32, verbose=0)
    losses = history.history["loss"]
    assert losses[-1] < 0.7 * losses[0]
    assert not np.allclose(bn.moving_mean.numpy(), 0)  # updated in place during fit
    assert bn.moving_mean.trainable is False
    first, second = model.predict(x, verbose=0), model.predict(x, verbose=0)
    np.testing.assert_array_equal(first, second)
    np.testing.assert_allclose(first, model(x, training=False).numpy(), rtol=1e-6)
    # inference uses the moving statistics: the same sample gives the same output whatever batch it is in
    np.testing.assert_allclose(model.predict(x[:3], verbose=0), first[:3], rtol=1e-6)
    assert model.evaluate(x, y, verbose=0)[1] > 0.85


def test_config_round_trip():
    layer = BatchNormalization(axis=1, momentum=0.9, epsilon=1e-5, center=False,
                               gamma_initializer=initializers.Constant(2.0), moving_variance_initializer="zeros",
                               gamma_regularizer=regularizers.L2(0.1), gamma_constraint=constraints.NonNeg(),
                               synchronized=True, name="bn")
    config = layer.get_config()
    assert config["axis"] == 1 and config["momentum"] == 0.9 and config["epsilon"] == 1e-5
    assert config["center"] is False and config["scale"] is True and config["synchronized"] is True
    assert config["gamma_initializer"] == {"class_name": "Constant", "config": {"value": 2.0}}
    assert config["moving_mean_initializer"] == {"class_name": "Zeros", "config": {}}
    assert config["gamma_regularizer"] == {"class_name": "L2", "config": {"l2": 0.1}}
    assert config["gamma_constraint"] == {"class_name": "NonNeg", "config": {}}
    again = BatchNormalization.from_config(config)
    assert again.get_config() == config
    x = RNG.normal(size=(4, 3, 2)).astype("float32")
    np.testing.assert_allclose(again(x).numpy(), layer(x).numpy())
    np.testing.assert_array_equal(again.moving_variance.numpy(), 0)
    assert len(layer.losses) == 1
    defaults = BatchNormalization().get_config()
    assert (defaults["axis"], defaults["momentum"], defaults["epsilon"]) == (-1, 0.99, 1e-3)
    assert defaults["beta_initializer"] == {"class_name": "Zeros", "config": {}}
    assert defaults["moving_variance_initializer"] == {"class_name": "Ones", "config": {}}


def test_bad_inputs():
    with pytest.raises(TypeError, match="axis"):
        BatchNormalization(axis=[1, 2])
    with pytest.raises(ValueError, match="out of bounds"):
        BatchNormalization(axis=3)(np.ones((2, 3), "float32"))
    layer = BatchNormalization()
    layer(np.ones((2, 3), "float32"))
    with pytest.raises(ValueError, match="expected axis 1 of input shape to have value 3"):
        layer(np.ones((2, 4), "float32"))
    with pytest.raises(ValueError, match="expected ndim=2"):
        layer(np.ones((2, 2, 3), "float32"))
    assert BatchNormalization().compute_output_shape((None, 5, 3)) == (None, 5, 3)


def test_training_with_a_mask_takes_the_statistics_of_the_valid_steps():
    import numpy as np
    from numkeras import layers
    from numkeras.engine.gradient_check import check_gradients
    from numkeras.engine.tensor import Tensor
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, 4, 3))
    mask = np.array([[True, True, False, False], [True, True, True, False]])
    layer = layers.BatchNormalization(momentum=0.0, dtype="float64")
    masked = Tensor(x)
    masked._keras_mask = Tensor(mask)
    out = layer(masked, training=True).numpy()
    valid = x[mask]
    np.testing.assert_allclose(layer.moving_mean.numpy(), valid.mean(0), rtol=1e-6)
    np.testing.assert_allclose(layer.moving_variance.numpy(), valid.var(0), rtol=1e-5)
    np.testing.assert_allclose(out[mask], (valid - valid.mean(0)) / np.sqrt(valid.var(0) + 1e-3), rtol=1e-5)
    check_gradients(lambda a: layer(a, training=True, mask=mask), x)
