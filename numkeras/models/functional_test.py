"""The functional API: graphs of layers, several inputs and outputs, shared and nested models."""
import numpy as np
import pytest

from numkeras import layers, models, ops
from numkeras.utils import set_random_seed


class AddPair(layers.Layer):
    def call(self, inputs):
        return ops.add(inputs[0], inputs[1])


def two_in_two_out():
    a, b = layers.Input(shape=(3,), name="a"), layers.Input(shape=(2,), name="b")
    joined = AddPair()([layers.Dense(8, activation="relu")(a), layers.Dense(8, activation="relu")(b)])
    cls = layers.Dense(3, activation="softmax", name="cls")(joined)
    reg = layers.Dense(1, name="reg")(joined)
    return models.Model([a, b], [cls, reg])


def data(n=64):
    rng = np.random.default_rng(0)
    xa, xb = rng.random((n, 3), dtype=np.float32), rng.random((n, 2), dtype=np.float32)
    return [xa, xb], [(xa.sum(1) > 1.5).astype(int), xb.sum(1, keepdims=True)]


def test_model_of_inputs_and_outputs_is_functional_and_lists_input_layers():
    model = two_in_two_out()
    assert type(model).__name__ == "Functional"
    assert [l.name for l in model.layers[:2]] == ["a", "b"]
    assert model.input_names == ["a", "b"] and model.output_names == ["cls", "reg"]
    assert [t.shape for t in model.outputs] == [(None, 3), (None, 1)]


def test_two_inputs_two_outputs_train_with_keras_history_keys():
    set_random_seed(0)
    model = two_in_two_out()
    model.compile(optimizer="adam", loss={"cls": "sparse_categorical_crossentropy", "reg": "mse"},
                  loss_weights={"cls": 1.0, "reg": 0.5}, metrics={"cls": ["accuracy"], "reg": ["mae"]})
    x, y = data()
    history = model.fit(x, y, epochs=30, batch_size=16, verbose=0)
    assert sorted(history.history) == ["cls_accuracy", "cls_loss", "loss", "reg_loss", "reg_mae"]
    h = history.history
    assert h["loss"][-1] < h["loss"][0]
    np.testing.assert_allclose(h["loss"][-1], h["cls_loss"][-1] + 0.5 * h["reg_loss"][-1], rtol=1e-5)
    by_name = model.evaluate({"a": x[0], "b": x[1]}, {"cls": y[0], "reg": y[1]}, verbose=0, return_dict=True)
    by_list = model.evaluate(x, y, verbose=0, return_dict=True)
    assert by_name == pytest.approx(by_list)
    probs, values = model.predict(x, verbose=0)
    assert probs.shape == (64, 3) and values.shape == (64, 1)


def test_shared_layer_is_one_set_of_weights():
    a, b = layers.Input(shape=(3,)), layers.Input(shape=(3,))
    shared = layers.Dense(2)
    model = models.Model([a, b], [shared(a), shared(b)])
    assert len(model.trainable_weights) == 2
    x = np.ones((1, 3), "float32")
    out_a, out_b = model.predict([x, x], verbose=0)
    np.testing.assert_array_equal(out_a, out_b)


def test_nested_model_used_as_a_layer():
    inner_in = layers.Input(shape=(4,))
    inner = models.Model(inner_in, layers.Dense(3)(inner_in))
    outer_in = layers.Input(shape=(4,))
    outer = models.Model(outer_in, layers.Dense(1)(inner(outer_in)))
    x = np.random.default_rng(0).random((5, 4), dtype=np.float32)
    assert outer.predict(x, verbose=0).shape == (5, 1)
    assert len(outer.trainable_weights) == 4
    np.testing.assert_allclose(outer.predict(x, verbose=0),
                               outer.layers[-1](inner.predict(x, verbose=0)).numpy(), rtol=1e-6)


def test_intermediate_outputs_of_a_sequential_model():
    model = models.Sequential([layers.Dense(5, activation="relu", input_shape=(4,)), layers.Dense(3),
                               layers.Dense(2)])
    activations = models.Model(model.input, [l.output for l in model.layers[:2]])
    x = np.random.default_rng(0).random((2, 4), dtype=np.float32)
    first, second = activations.predict(x, verbose=0)
    np.testing.assert_allclose(first, model.layers[0](x).numpy(), rtol=1e-6)
    np.testing.assert_allclose(second, model.layers[1](first).numpy(), rtol=1e-6)


def test_layer_input_and_output_and_errors():
    inputs = layers.Input(shape=(4,))
    dense = layers.Dense(2)
    outputs = dense(inputs)
    assert dense.input is inputs and dense.output is outputs
    with pytest.raises(AttributeError, match="never been called"):
        layers.Dense(2).output
    stray = layers.Input(shape=(4,))
    with pytest.raises(ValueError, match="Graph disconnected"):
        models.Model(inputs, AddPair()([outputs, dense(stray)]))
    with pytest.raises(TypeError, match="symbolic tensors"):
        models.Model(inputs, np.zeros(3))


def test_wrong_number_of_inputs_is_explained():
    model = two_in_two_out()
    with pytest.raises(ValueError, match="expects 2 input"):
        model.predict_on_batch([np.ones((1, 3), "float32")] * 3)


def test_symbolic_tensor_has_no_values():
    with pytest.raises(TypeError, match="no values"):
        np.asarray(layers.Input(shape=(2,)))


def test_tensors_passed_as_further_arguments_are_graph_inputs(tmp_path):
    class Blend(layers.Layer):  # a layer called as layer(x, other, weight=...): both tensors are graph inputs
        def call(self, x, other, weight=0.5):
            return ops.add(ops.multiply(x, weight), ops.multiply(other, 1 - weight))

    a, b = layers.Input((3,), name="a"), layers.Input((3,), name="b")
    hidden = layers.Dense(3, name="hidden")(b)
    model = models.Model([a, b], Blend(name="blend")(a, hidden, weight=0.25))
    # Keras's order, deepest first: b (two layers from the output) before a (one).
    assert [layer.name for layer in model.layers] == ["b", "a", "hidden", "blend"]
    x = [np.ones((2, 3), "float32"), np.full((2, 3), 2.0, "float32")]
    expected = 0.25 * x[0] + 0.75 * model.get_layer("hidden")(x[1]).numpy()
    np.testing.assert_allclose(model(x).numpy(), expected, rtol=1e-6)
    config = model.get_config()
    blend = [c for c in config["layers"] if c["name"] == "blend"][0]
    assert blend["inbound_nodes"][0]["args"][1]["config"]["keras_history"] == ["hidden", 0, 0]


def test_input_shape_and_output_shape_follow_the_graph_ends():
    x = layers.Input(shape=(4,))
    single = models.Model(x, layers.Dense(2)(x))
    assert single.input_shape == (None, 4) and single.output_shape == (None, 2)
    double = two_in_two_out()
    assert double.input_shape == [(None, 3), (None, 2)] and double.output_shape == [(None, 3), (None, 1)]
    outer_in = layers.Input(shape=(4,))
    outer = models.Model(outer_in, layers.Dense(7)(single(outer_in)))  # nesting sets no shape on the inner model
    assert single.output_shape == (None, 2) and outer.output_shape == (None, 7)
