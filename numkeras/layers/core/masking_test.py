import numpy as np

from numkeras import layers, ops
from numkeras.engine.tape import GradientTape
from numkeras.engine.variable import Variable
from numkeras.engine.gradient_check import check_gradients

X = np.array([[[1.0, 2.0], [0.0, 0.0], [3.0, 0.0]], [[0.0, 0.0], [5.0, 5.0], [5.0, 5.0]]], "float32")


def test_masked_timesteps_are_zero_and_the_mask_is_carried():
    out = layers.Masking()(X)
    np.testing.assert_array_equal(out._keras_mask.numpy(), [[True, False, True], [False, True, True]])
    np.testing.assert_array_equal(out.numpy(), X)
    out = layers.Masking(mask_value=5.0)(X)
    np.testing.assert_array_equal(out._keras_mask.numpy(), [[True, True, True], [True, False, False]])
    np.testing.assert_array_equal(out.numpy()[1, 1:], 0.0)  # masked steps become 0, as in Keras
    np.testing.assert_array_equal(layers.Masking(5.0).compute_mask(X).numpy(), out._keras_mask.numpy())


def test_gradient_flows_through_the_kept_steps_only():
    layer = layers.Masking(mask_value=5.0, dtype="float64")
    check_gradients(lambda x: layer(x), X.astype("float64") + 0.5)  # away from the mask's edge
    x = Variable(X.astype("float64"), dtype="float64")
    with GradientTape() as tape:
        loss = ops.sum(layer(x))
    (grad,) = tape.gradient(loss, [x])
    np.testing.assert_array_equal(np.asarray(grad)[1], [[1, 1], [0, 0], [0, 0]])


def test_the_mask_reaches_the_pooling():
    pooled = layers.GlobalAveragePooling1D()(layers.Masking()(X)).numpy()
    np.testing.assert_allclose(pooled, [[2.0, 1.0], [5.0, 5.0]])


def test_config_round_trip():
    layer = layers.Masking(mask_value=-1.0, name="m")
    assert layer.get_config()["mask_value"] == -1.0
    assert layers.Masking.from_config(layer.get_config()).mask_value == -1.0
