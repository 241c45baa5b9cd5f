"""What custom layers use beyond call/build: add_loss, add_weight's every argument, Metric attributes."""
import numpy as np
import pytest

import numkeras
from numkeras import layers, metrics, models, ops, optimizers
from numkeras.utils import set_random_seed


class Penalty(layers.Layer):
    """Adds `rate * sum(x**2)` as a loss and returns x unchanged."""

    def __init__(self, rate=0.1, **kwargs):
        super().__init__(**kwargs)
        self.rate = rate

    def call(self, x):
        self.add_loss(self.rate * ops.sum(ops.square(x)))
        return x


def test_add_loss_is_collected_and_cleared_at_the_next_call():
    layer = Penalty(0.5)
    layer(np.ones((2, 2), "float32"))
    assert [float(l.numpy()) for l in layer.losses] == [2.0]
    layer(np.full((1, 2), 2.0, "float32"))
    assert [float(l.numpy()) for l in layer.losses] == [4.0]  # only the latest call's loss


def test_a_model_collects_its_layers_added_losses_and_keeps_a_shared_layers_two():
    shared = Penalty(1.0)

    class Twice(models.Model):
        def __init__(self):
            super().__init__()
            self.penalty = shared

        def call(self, x):
            return self.penalty(self.penalty(x) * 2.0)

    model = Twice()
    model(np.ones((1, 3), "float32"))
    assert sorted(float(l.numpy()) for l in model.losses) == [3.0, 12.0]
    model(np.ones((1, 1), "float32"))
    assert sorted(float(l.numpy()) for l in model.losses) == [1.0, 4.0]


def test_the_very_first_added_loss_counts_the_calls_it_runs_inside(monkeypatch):
    # Calls count their depth only once some layer has added a loss; the first add_loss happens mid-call.
    from numkeras.layers import layer as layer_module
    monkeypatch.setattr(layer_module, "_add_loss_used", [False])
    monkeypatch.setattr(layer_module._calls, "depth", 0)
    shared = Penalty(1.0)

    class Twice(models.Model):
        def __init__(self):
            super().__init__()
            self.penalty = shared

        def call(self, x):
            return self.penalty(self.penalty(x) * 2.0)

    model = Twice()
    model(np.ones((1, 3), "float32"))
    assert sorted(float(l.numpy()) for l in model.losses) == [3.0, 12.0]  # the second call kept the first's
    assert layer_module._calls.depth == 0


def test_functional_and_sequential_models_collect_added_losses():
    inputs = layers.Input((3,))
    model = models.Model(inputs, layers.Dense(2)(Penalty(1.0)(inputs)))
    model(np.ones((2, 3), "float32"))
    assert [float(l.numpy()) for l in model.losses] == [6.0]
    seq = models.Sequential([layers.Input((2,)), Penalty(2.0)])
    seq(np.ones((1, 2), "float32"))
    assert [float(l.numpy()) for l in seq.losses] == [4.0]


def test_fit_and_train_on_batch_add_the_added_loss_to_the_training_loss():
    set_random_seed(0)
    model = models.Sequential([layers.Input((2,)), Penalty(0.25), layers.Dense(1, kernel_initializer="ones")])
    model.compile(optimizer=optimizers.SGD(0.0), loss="mse")
    x, y = np.ones((4, 2), "float32"), np.zeros((4, 1), "float32")
    mse = 4.0  # each prediction is 2, the label 0
    assert model.train_on_batch(x, y) == pytest.approx(mse + 0.25 * 8)
    history = model.fit(x, y, batch_size=4, epochs=1, verbose=0)
    assert history.history["loss"][0] == pytest.approx(mse + 2.0)
    assert model.evaluate(x, y, verbose=0) == pytest.approx(mse + 2.0)


def test_a_model_with_only_added_losses_trains_without_labels():
    set_random_seed(0)

    class Shrink(models.Model):
        def __init__(self):
            super().__init__()
            self.dense = layers.Dense(3)

        def call(self, x):
            out = self.dense(x)
            self.add_loss(ops.mean(ops.square(out)))
            return out

    model = Shrink()
    model.compile(optimizer=optimizers.SGD(0.1))
    x = np.random.default_rng(0).normal(size=(64, 4)).astype("float32")
    history = model.fit(x, epochs=5, batch_size=16, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0] / 2
    plain = models.Sequential([layers.Input((4,)), layers.Dense(1)])
    plain.compile(optimizer="sgd")
    with pytest.raises(ValueError, match="no loss to compute: compile\\(\\) was given no loss"):
        plain.fit(x, np.zeros((64, 1)), verbose=0)


def test_a_non_scalar_added_loss_is_summed():
    class Vector(layers.Layer):
        def call(self, x):
            self.add_loss(ops.sum(x, axis=1))  # one value per sample: the training loss takes their sum
            return x

    model = models.Sequential([layers.Input((2,)), Vector(), layers.Dense(1, kernel_initializer="zeros")])
    model.compile(optimizer=optimizers.SGD(0.0), loss="mse")
    assert model.train_on_batch(np.ones((3, 2), "float32"), np.zeros((3, 1))) == pytest.approx(6.0)


class Weights(layers.Layer):
    def build(self, input_shape):
        self.k = self.add_weight((input_shape[-1], 2), "ones", "float64", name="k")
        self.frozen = self.add_weight(shape=(2,), initializer="zeros", trainable=False, name="frozen")
        self.counter = self.add_weight(shape=(), dtype="int32", name="counter", autocast=False, trainable=False,
                                       aggregation="only_first_replica")
        self.reg = self.add_weight(shape=(2,), initializer="ones", regularizer=numkeras.regularizers.L2(0.5),
                                   constraint=numkeras.constraints.NonNeg(), aggregation="mean", name="reg")
        self.stat = self.add_weight(shape=(2,), initializer="zeros", overwrite_with_gradient=True, name="stat")

    def call(self, x):
        return ops.matmul(ops.cast(x, "float64"), self.k) * self.reg + self.stat


def test_add_weight_takes_every_keras_argument():
    layer = Weights()
    layer(np.ones((1, 3), "float32"))
    assert layer.k.dtype == "float64" and layer.k.shape == (3, 2) and (layer.k.numpy() == 1).all()
    assert layer.counter.dtype == "int32" and not layer.counter.autocast and layer.k.autocast
    assert layer.counter.aggregation == "only_first_replica" and layer.reg.aggregation == "mean"
    assert layer.k.aggregation == "none"
    assert [w.name for w in layer.trainable_weights] == ["k", "reg", "stat"]
    assert [w.name for w in layer.non_trainable_weights] == ["frozen", "counter"]
    assert [float(l.numpy()) for l in layer.losses] == [1.0]  # 0.5 * (1 + 1)
    assert layer.stat.overwrite_with_gradient and not layer.k.overwrite_with_gradient


def test_the_optimizer_overwrites_a_weight_with_its_gradient_and_constrains_the_others():
    layer = Weights()
    x = np.ones((2, 3), "float32")
    layer(x)
    optimizer = optimizers.SGD(10.0)
    with numkeras.GradientTape() as tape:
        loss = ops.sum(layer(x))
    weights = layer.trainable_weights
    grads = tape.gradient(loss, weights)
    optimizer.apply_gradients(zip(grads, weights))
    np.testing.assert_allclose(layer.stat.numpy(), grads[2].numpy())  # [2, 2]: set, not stepped
    assert (layer.reg.numpy() == 0).all()  # 1 - 10 * 6 clipped at zero by NonNeg
    np.testing.assert_allclose(layer.k.numpy(), 1 - 10 * 2)
    assert int(optimizer.iterations.numpy()) == 1


def test_add_weight_errors_say_what_to_do():
    layer = layers.Layer()
    with pytest.raises(ValueError, match="pass the name by keyword"):
        layer.add_weight("w")
    with pytest.raises(ValueError, match="both by position and by keyword"):
        layer.add_weight((2,), shape=(2,))
    with pytest.raises(ValueError, match="aggregation=.* Received: aggregation='max'"):
        layer.add_weight(shape=(2,), aggregation="max")
    with pytest.raises(ValueError, match="fully defined shape"):
        layer.add_weight(shape=(None, 2))
    with pytest.raises(TypeError, match="at most 3 positional"):
        layer.add_weight((2,), "zeros", "float32", True)


class PositiveFraction(metrics.Metric):
    """The fraction of predictions above zero, with its state in add_variable."""

    def __init__(self, name="positive_fraction", **kwargs):
        super().__init__(name=name, **kwargs)
        self.positive = self.add_variable(shape=(), initializer="zeros", name="positive")
        self.total = self.add_variable(shape=(), initializer="zeros", name="total")

    def update_state(self, y_true, y_pred, sample_weight=None):
        pred = ops.convert_to_numpy(y_pred)
        self.positive.assign_add((pred > 0).sum())
        self.total.assign_add(pred.size)

    def result(self):
        return self.positive.numpy() / max(float(self.total.numpy()), 1.0)


def test_a_metric_subclass_with_add_variable_works_in_compile():
    model = models.Sequential([layers.Input((2,)), layers.Dense(1, kernel_initializer="ones")])
    model.compile(optimizer=optimizers.SGD(0.0), loss="mse", metrics=[PositiveFraction()])
    x = np.array([[1, 1], [-1, -1], [2, 2], [-3, 0]], "float32")
    logs = model.evaluate(x, np.zeros((4, 1)), return_dict=True, verbose=0)
    assert logs["positive_fraction"] == pytest.approx(0.5)


def test_metric_attributes_of_a_model_and_its_layers_are_its_metrics():
    class Tracked(layers.Layer):
        def __init__(self):
            super().__init__()
            self.calls = metrics.Sum(name="calls")

    class WithTrackers(models.Model):
        def __init__(self):
            super().__init__()
            self.inner = Tracked()
            self.total = metrics.Mean(name="total")

    model = WithTrackers()
    assert [m.name for m in model.metrics] == ["total", "calls"]
    model.compile(optimizer="sgd", loss="mse")
    assert [m.name for m in model.metrics] == ["loss", "total", "calls"]  # no metrics compiled: no compile_metrics (Keras 3)
    model.total.update_state(3.0)
    model.reset_metrics()
    assert float(model.total.result()) == 0.0


def test_add_variable_is_add_weight_with_shape_and_initializer_required():
    layer = layers.Layer()
    v = layer.add_variable((2, 3), "ones", name="v", trainable=False)
    assert v.shape == (2, 3) and (v.numpy() == 1).all() and layer.non_trainable_weights == [v]


class ScaledAbsoluteError(numkeras.losses.Loss):
    """A user's loss as Keras 3 writes one: call() gives per-sample values, the base class weighs and reduces."""

    def __init__(self, scale=1.0, reduction="sum_over_batch_size", name="scaled_absolute_error"):
        super().__init__(reduction=reduction, name=name)
        self.scale = scale

    def call(self, y_true, y_pred):
        return self.scale * ops.mean(ops.abs(y_pred - ops.cast(y_true, y_pred.dtype)), axis=-1)

    def get_config(self):
        return {**super().get_config(), "scale": self.scale}


@pytest.mark.parametrize("reduction, expected", [("sum", 2 * 6.0), ("sum_over_batch_size", 2 * 6.0 / 4),
                                                 ("mean_with_sample_weight", 2 * 6.0 / 4 * 4 / 4)])
def test_a_loss_subclass_with_a_reduction_trains_in_compile(reduction, expected):
    model = models.Sequential([layers.Input((2,)), layers.Dense(1, kernel_initializer="zeros",
                                                                bias_initializer="zeros")])
    loss = ScaledAbsoluteError(scale=2.0, reduction=reduction)
    model.compile(optimizer=optimizers.SGD(0.0), loss=loss)
    y = np.array([[1.0], [2.0], [0.0], [3.0]], "float32")  # |0 - y| sums to 6
    assert model.train_on_batch(np.ones((4, 2), "float32"), y) == pytest.approx(expected)
    clone = ScaledAbsoluteError.from_config(loss.get_config())
    assert clone.scale == 2.0 and clone.reduction == reduction
