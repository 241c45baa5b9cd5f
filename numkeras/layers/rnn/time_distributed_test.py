import numpy as np
import pytest

import numkeras
from numkeras import layers

X = np.random.default_rng(0).standard_normal((3, 5, 4)).astype("float32")


def test_applies_the_layer_to_every_step_with_shared_weights():
    dense = layers.Dense(2)
    layer = layers.TimeDistributed(dense)
    out = layer(X).numpy()
    for t in range(5):
        np.testing.assert_allclose(out[:, t], dense(X[:, t]).numpy(), rtol=1e-6)
    assert len(layer.weights) == 2 and layer.compute_output_shape((None, 5, 4)) == (None, 5, 2)


def test_images_per_step_and_the_mask_passes_through():
    layer = layers.TimeDistributed(layers.Conv2D(2, 3))
    assert layer(np.ones((2, 3, 6, 6, 1), "float32")).shape == (2, 3, 4, 4, 2)
    mask = np.ones((3, 5), bool)
    assert layer.compute_mask(X, mask) is mask


def test_needs_a_time_axis_and_round_trips():
    with pytest.raises(ValueError, match="at least 3 dimensions"):
        layers.TimeDistributed(layers.Dense(2))(np.ones((3, 4), "float32"))
    layer = layers.TimeDistributed(layers.Dense(3, activation="relu"))
    assert layers.TimeDistributed.from_config(layer.get_config()).get_config() == layer.get_config()


# BatchNormalization in training: Keras 3 runs TimeDistributed's layer timestep by timestep, so each step is
# normalized by its own batch statistics and the moving averages move once per step, in time order.
STEPS = (np.random.default_rng(1).standard_normal((4, 3, 2)) * [[[1], [2], [3]]] + [[[0], [5], [-5]]]).astype("float32")


def _expected_training(x, momentum, epsilon=1e-3):
    mean, var = x.mean(axis=0), x.var(axis=0)  # (timesteps, features): one batch statistic per step
    moving_mean, moving_var = np.zeros(x.shape[-1]), np.ones(x.shape[-1])
    for t in range(x.shape[1]):
        moving_mean = moving_mean * momentum + mean[t] * (1 - momentum)
        moving_var = moving_var * momentum + var[t] * (1 - momentum)
    return (x - mean) / np.sqrt(var + epsilon), moving_mean, moving_var


@pytest.mark.parametrize("nested", [False, True], ids=["batchnorm", "batchnorm_in_a_sequential"])
def test_batch_normalization_per_timestep_in_training_and_folded_at_inference(nested):
    bn = layers.BatchNormalization(momentum=0.5)
    layer = layers.TimeDistributed(numkeras.Sequential([bn]) if nested else bn)
    out = layer(STEPS, training=True).numpy()
    expected, moving_mean, moving_var = _expected_training(STEPS.astype("float64"), 0.5)
    np.testing.assert_allclose(out, expected, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(bn.moving_mean.numpy(), moving_mean, rtol=1e-5)
    np.testing.assert_allclose(bn.moving_variance.numpy(), moving_var, rtol=1e-5)
    inference = layer(STEPS).numpy()  # the moving statistics, the same for every step
    np.testing.assert_allclose(inference, (STEPS - moving_mean) / np.sqrt(moving_var + 1e-3), rtol=1e-4, atol=1e-5)


def test_batch_normalization_in_fit_moves_its_statistics_once_per_timestep():
    bn = layers.BatchNormalization(momentum=0.5)
    model = numkeras.Sequential([layers.Input((3, 2)), layers.TimeDistributed(bn), layers.Flatten(),
                                 layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    model.train_on_batch(STEPS, np.zeros((4, 1), "float32"))
    _, moving_mean, moving_var = _expected_training(STEPS.astype("float64"), 0.5)
    np.testing.assert_allclose(bn.moving_mean.numpy(), moving_mean, rtol=1e-5)
    np.testing.assert_allclose(bn.moving_variance.numpy(), moving_var, rtol=1e-5)
