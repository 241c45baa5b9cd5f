"""Layer orders pinned against what Keras 3.15 lists in `model.layers` for the same graphs."""
from numkeras import layers, models
from numkeras.saving.layer_order import graph_nodes, model_layers


def names(layer_list):
    return [layer.name for layer in layer_list]


def test_branches_are_ordered_by_depth_then_first_visit():
    x1, x2 = layers.Input((3,), name="in1"), layers.Input((3,), name="in2")
    a = layers.Dense(2, name="A")(x1)
    c = layers.Dense(2, name="C")(layers.Dense(2, name="B")(x2))
    out = layers.Dense(2, name="cat")(layers.Dense(4, name="z")(c))
    assert names(graph_nodes([x1, x2], [a, out])[1]) == ["in2", "B", "C", "in1", "z", "A", "cat"]


def test_an_input_used_as_an_output_and_an_unused_input():
    a, b, unused = layers.Input((2,), name="a"), layers.Input((3,), name="b"), layers.Input((1,), name="u")
    out = layers.Dense(1, name="out")(layers.Dense(3, name="h")(b))
    assert names(graph_nodes([a, b], [out, a])[1]) == ["b", "h", "out", "a"]
    assert names(graph_nodes([a, b, unused], [out, a])[1]) == ["b", "h", "u", "out", "a"]


def test_shared_layers_and_the_model_order():
    i1, i2 = layers.Input((4,), name="i1"), layers.Input((4,), name="i2")
    shared = layers.Dense(4, name="sh")
    merged = layers.Concatenate(name="cc")([shared(i1), layers.Dense(4, name="p")(shared(i2))])
    model = models.Model([i1, i2], [layers.Dense(1, name="o")(merged), shared(i1)])
    nodes, ordered = graph_nodes(model.inputs, model.outputs)
    assert names(ordered) == ["i1", "i2", "sh", "p", "cc", "o"]
    assert names(model_layers(model)) == names(ordered)
    assert len([n for n in nodes if n.layer is shared]) == 3


def test_a_functional_models_weights_follow_the_keras_layer_order():
    x1, x2 = layers.Input((3,), name="in1"), layers.Input((3,), name="in2")
    a = layers.Dense(2, name="A")(x1)
    c = layers.Dense(2, name="C")(layers.Dense(2, name="B")(x2))
    model = models.Model([x1, x2], [a, c])
    assert [v.path for v in model.trainable_weights] == [
        "B/kernel", "B/bias", "A/kernel", "A/bias", "C/kernel", "C/bias"]
    model.get_layer("A").trainable = False
    assert [v.path for v in model.trainable_weights] == ["B/kernel", "B/bias", "C/kernel", "C/bias"]
    assert [v.path for v in model.weights] == ["B/kernel", "B/bias", "A/kernel", "A/bias", "C/kernel", "C/bias"]


def test_deep_graphs_do_not_recurse():
    x = inputs = layers.Input((2,))
    for _ in range(3000):
        x = layers.Activation("linear")(x)
    nodes, ordered = graph_nodes(inputs, x)
    assert len(nodes) == 3001 and len(ordered) == 3001
