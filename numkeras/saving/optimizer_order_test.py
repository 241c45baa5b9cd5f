import numpy as np

from numkeras import layers, models
from numkeras.saving.optimizer_order import saved_variables


def branching_model():
    x1, x2 = layers.Input((3,), name="in1"), layers.Input((3,), name="in2")
    a = layers.Dense(2, name="A")(x1)
    c = layers.Dense(2, name="C")(layers.Dense(2, name="B")(x2))
    model = models.Model([x1, x2], layers.Dense(1, name="out")(layers.Concatenate()([a, c])))
    model.compile(optimizer="adam", loss="mse")
    return model


def test_slots_are_saved_in_keras_order_of_the_variables():
    model = branching_model()
    rs = np.random.RandomState(0)
    optimizer = model.optimizer
    reordered = sorted(model.trainable_weights, key=lambda v: v.path)  # built by hand in another order
    optimizer.build(reordered)
    model.fit([rs.rand(8, 3), rs.rand(8, 3)], rs.rand(8, 1), verbose=0)
    assert [v.path for v in optimizer._trainable_variables][:2] == ["A/bias", "A/kernel"]
    ordered = saved_variables(optimizer, model)
    assert ordered[:2] == optimizer.variables[:2]  # iteration and learning rate
    expected = []
    for variable in model.trainable_weights:
        i = optimizer._index[id(variable)]
        expected += [optimizer._momentums[i], optimizer._velocities[i]]
    assert [id(v) for v in ordered[2:]] == [id(v) for v in expected]
    assert [v.path for v in model.trainable_weights][:2] == ["B/kernel", "B/bias"]


def test_fit_builds_the_optimizer_in_keras_order():
    model = branching_model()
    rs = np.random.RandomState(0)
    model.fit([rs.rand(8, 3), rs.rand(8, 3)], rs.rand(8, 1), verbose=0)
    assert [id(v) for v in model.optimizer._trainable_variables] == [id(v) for v in model.trainable_weights]
    assert saved_variables(model.optimizer, model) == model.optimizer.variables


def test_an_optimizer_built_in_keras_order_or_unbuilt_keeps_its_order():
    model = models.Sequential([layers.Input((3,)), layers.Dense(2), layers.Dense(1)])
    model.compile(optimizer="rmsprop", loss="mse")
    assert saved_variables(model.optimizer, model) == model.optimizer.variables
    model.fit(np.ones((4, 3)), np.ones((4, 1)), verbose=0)
    assert saved_variables(model.optimizer, model) == model.optimizer.variables
