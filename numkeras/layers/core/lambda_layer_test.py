"""Lambda: calls, gradients, shape inference, config round trips and the safe-mode refusal.

How functions are written into a config is tested in numkeras/saving/function_serialization_test.py."""
import json

import numpy as np
import pytest

from numkeras import layers, models, ops, optimizers
from numkeras.engine.gradient_check import check_gradients
from numkeras.layers.core import Lambda
from numkeras.utils import set_random_seed

SCALE = 3.0


def double(x):
    return x * 2.0


def scaled(x, factor=1.0):
    return x * factor


def _round_trip(layer, **kwargs):
    return Lambda.from_config(json.loads(json.dumps(layer.get_config())), **kwargs)


def test_values_and_gradients():
    x = np.random.default_rng(0).normal(size=(3, 4))
    layer = Lambda(lambda t: ops.exp(t) * t, dtype="float64")
    np.testing.assert_allclose(layer(x).numpy(), np.exp(x) * x, rtol=1e-12)
    check_gradients(lambda t: layer(t), x)


def test_list_inputs_and_arguments():
    rng = np.random.default_rng(1)
    a, b = rng.normal(size=(2, 3)), rng.normal(size=(2, 3))
    layer = Lambda(lambda ts, power: ops.square(ts[0] - ts[1]) ** power, arguments={"power": 1.5}, dtype="float64")
    a_plus = a + 3.0  # keep the base positive for the fractional power
    np.testing.assert_allclose(layer([a_plus, b]).numpy(), ((a_plus - b) ** 2) ** 1.5, rtol=1e-12)
    check_gradients(lambda s, t: layer([s, t]), a_plus, b)


def test_training_argument_is_passed_when_the_function_names_it():
    seen = []
    layer = Lambda(lambda x, training=None: seen.append(training) or x)
    layer(np.ones((1, 2), "float32"), training=True)
    layer(np.ones((1, 2), "float32"))
    assert seen == [True, None]


def test_numpy_results_become_float32_tensors():
    out = Lambda(lambda x: np.asarray(x) + 1)(np.zeros((2, 2), "float32"))
    assert out.dtype == "float32" and out.shape == (2, 2)


def test_output_shape_inferred_given_or_computed():
    x = layers.Input(shape=(4, 6))
    assert Lambda(lambda t: ops.reshape(t, (-1, 24)))(x).shape == (None, 24)
    assert Lambda(lambda t: t, output_shape=(2, 12))(x).shape == (None, 2, 12)
    assert Lambda(lambda t: t, output_shape=lambda s: (s[0], 99))(x).shape == (None, 99)
    assert Lambda(lambda t: ops.log(t)).compute_output_shape((None, 3)) == (None, 3)  # log(0) raises no warning
    outs = Lambda(lambda t: [t, ops.sum(t, axis=-1)])(x)
    assert [o.shape for o in outs] == [(None, 4, 6), (None, 4)]
    assert Lambda(lambda t: t, output_shape=[(1,), (2,)]).compute_output_shape((8, 3)) == [(8, 1), (8, 2)]


def test_failed_inference_asks_for_output_shape():
    with pytest.raises(NotImplementedError, match="RuntimeError: boom.*Pass `output_shape`"):
        Lambda(lambda t: (_ for _ in ()).throw(RuntimeError("boom")))(layers.Input(shape=(3,)))


def test_bad_arguments_are_rejected():
    with pytest.raises(TypeError, match="function"):
        Lambda(3)
    with pytest.raises(TypeError, match="arguments"):
        Lambda(double, arguments=[1])
    with pytest.raises(ValueError, match="output_shape"):
        Lambda(double, output_shape="big")


def test_functional_model_with_lambda_trains():
    set_random_seed(0)
    a, b = layers.Input(shape=(4,)), layers.Input(shape=(4,))
    ha, hb = layers.Dense(8, activation="tanh")(a), layers.Dense(8, activation="tanh")(b)
    merged = Lambda(lambda ts: ops.concatenate([ts[0] * ts[1], ts[0] - ts[1]], axis=-1))([ha, hb])
    model = models.Model([a, b], layers.Dense(1)(merged))
    assert merged.shape == (None, 16)
    rng = np.random.default_rng(0)
    xa, xb = rng.normal(size=(64, 4)).astype("float32"), rng.normal(size=(64, 4)).astype("float32")
    y = (xa[:, :1] * xb[:, :1] - xa[:, 1:2]).astype("float32")
    model.compile(optimizer=optimizers.Adam(learning_rate=0.02), loss="mse")
    losses = model.fit([xa, xb], y, epochs=15, batch_size=16, verbose=0).history["loss"]
    assert losses[-1] < 0.5 * losses[0]


def test_lambda_is_refused_in_safe_mode():
    layer = Lambda(lambda x: x + 1)
    config = json.loads(json.dumps(layer.get_config()))
    with pytest.raises(ValueError, match="safe_mode=False"):
        Lambda.from_config(config)
    with pytest.raises(ValueError, match="safe_mode=False"):
        Lambda.from_config(config, safe_mode=True)
    output_shape_config = json.loads(json.dumps(Lambda(double, output_shape=lambda s: s).get_config()))
    with pytest.raises(ValueError, match="safe_mode=False"):
        Lambda.from_config(output_shape_config, custom_objects={"double": double})


def test_lambda_round_trips_with_safe_mode_off():
    factor = 4.0
    layer = Lambda(lambda x: ops.square(x) * factor + SCALE, output_shape=(3,), arguments={}, name="sq")
    clone = _round_trip(layer, safe_mode=False)
    x = np.random.default_rng(0).normal(size=(2, 3)).astype("float32")
    np.testing.assert_allclose(clone(x).numpy(), layer(x).numpy())
    assert json.loads(json.dumps(clone.get_config())) == json.loads(json.dumps(layer.get_config()))


def test_named_function_is_stored_by_name_and_found_in_custom_objects():
    layer = Lambda(scaled, arguments={"factor": np.array([1.0, 2.0], "float32")})
    config = json.loads(json.dumps(layer.get_config()))
    assert config["function"] == {"module": __name__, "class_name": "function", "config": "scaled",
                                  "registered_name": "scaled"}
    assert config["arguments"]["factor"]["class_name"] == "__numpy__"
    clone = Lambda.from_config(config, custom_objects={"scaled": scaled})  # safe mode: a name runs no stored code
    assert clone.function is scaled
    np.testing.assert_array_equal(clone(np.ones((1, 2), "float32")).numpy(), [[1.0, 2.0]])
    with pytest.raises(ValueError, match="custom_objects"):
        Lambda.from_config(config)


def test_mask_function_or_value():
    x = np.ones((1, 2), "float32")
    assert Lambda(double, mask=lambda inputs, mask: "computed").compute_mask(x) == "computed"
    fixed = Lambda(double, mask=np.array([True, False]))
    np.testing.assert_array_equal(fixed.compute_mask(x), [True, False])
    np.testing.assert_array_equal(_round_trip(fixed, custom_objects={"double": double}).mask, [True, False])
