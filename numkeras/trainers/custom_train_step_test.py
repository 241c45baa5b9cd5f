"""Keras 3's ways of customizing fit, as its guide "Customizing what happens in fit()" writes them."""
import numpy as np
import pytest

import numkeras
from numkeras import layers, losses, metrics, models, ops, optimizers
from numkeras.utils import set_random_seed


def regression_data(n=128):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(n, 4)).astype("float32")
    return x, (x @ np.array([[1.0], [-2.0], [0.5], [3.0]], "float32"))


class Base(models.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.hidden = layers.Dense(16, activation="relu")
        self.out = layers.Dense(1)

    def call(self, x):
        return self.out(self.hidden(x))


def test_train_step_with_compiled_loss_and_metrics():
    class Custom(Base):
        def train_step(self, data):
            x, y = data
            with numkeras.GradientTape() as tape:
                y_pred = self(x, training=True)
                loss = self.compute_loss(y=y, y_pred=y_pred)
            grads = tape.gradient(loss, self.trainable_variables)
            self.optimizer.apply(grads, self.trainable_variables)
            for metric in self.metrics:
                if metric.name == "loss":
                    metric.update_state(loss)
                else:
                    metric.update_state(y, y_pred)
            return {m.name: m.result() for m in self.metrics}

    set_random_seed(0)
    model = Custom()
    model.compile(optimizer=optimizers.Adam(0.01), loss="mse", metrics=["mae"])
    x, y = regression_data()
    history = model.fit(x, y, epochs=5, batch_size=32, verbose=0)
    assert set(history.history) == {"loss", "mae"}
    assert history.history["loss"][-1] < history.history["loss"][0] / 2


def test_train_step_with_its_own_trackers_and_no_compiled_loss():
    class Custom(Base):
        def __init__(self):
            super().__init__()
            self.loss_tracker = metrics.Mean(name="loss")
            self.mae_metric = metrics.MeanAbsoluteError(name="mae")

        def train_step(self, data):
            x, y = data
            with numkeras.GradientTape() as tape:
                y_pred = self(x, training=True)
                loss = losses.mean_squared_error(y, y_pred)
                loss = ops.mean(loss)
            grads = tape.gradient(loss, self.trainable_weights)
            self.optimizer.apply_gradients(zip(grads, self.trainable_weights))
            self.loss_tracker.update_state(loss)
            self.mae_metric.update_state(y, y_pred)
            return {"loss": self.loss_tracker.result(), "mae": self.mae_metric.result()}

        @property
        def metrics(self):  # listed so that they are reset at the start of each epoch
            return [self.loss_tracker, self.mae_metric]

    set_random_seed(0)
    model = Custom()
    model.compile(optimizer=optimizers.Adam(0.01))
    x, y = regression_data()
    history = model.fit(x, y, epochs=8, batch_size=32, verbose=0)
    assert set(history.history) == {"loss", "mae"}
    assert history.history["loss"][-1] < history.history["loss"][0] / 2
    # Reset each epoch: the tracker averages the last epoch's 4 batches only.
    assert float(model.loss_tracker.count.numpy()) == 4


def test_tracked_metric_attributes_are_reset_each_epoch_without_a_metrics_property():
    seen = []

    class Custom(Base):
        def __init__(self):
            super().__init__()
            self.batches = metrics.Sum(name="batches")

        def train_step(self, data):
            x, y = data
            with numkeras.GradientTape() as tape:
                loss = self.compute_loss(y=y, y_pred=self(x, training=True))
            self.optimizer.apply(tape.gradient(loss, self.trainable_weights), self.trainable_weights)
            self.batches.update_state(1.0)
            seen.append(float(self.batches.result()))
            return {"batches": self.batches.result()}

    model = Custom()
    model.compile(optimizer="sgd", loss="mse")
    model.fit(*regression_data(64), epochs=2, batch_size=32, verbose=0)
    assert seen == [1.0, 2.0, 1.0, 2.0]


def test_sample_weights_reach_train_step_and_test_step_can_be_overridden():
    got = {}

    class Custom(Base):
        def train_step(self, data):
            x, y, sample_weight = data
            got["train"] = sample_weight.shape
            with numkeras.GradientTape() as tape:
                y_pred = self(x, training=True)
                loss = self.compute_loss(y=y, y_pred=y_pred, sample_weight=sample_weight)
            self.optimizer.apply(tape.gradient(loss, self.trainable_weights), self.trainable_weights)
            return self.compute_metrics(x, y, y_pred, sample_weight=sample_weight, loss=loss)

        def test_step(self, data):
            x, y = data
            y_pred = self(x, training=False)
            loss = self.compute_loss(y=y, y_pred=y_pred)
            got["test"] = True
            for metric in self.metrics:
                if metric.name == "loss":
                    metric.update_state(loss)
                else:
                    metric.update_state(y, y_pred)
            return {m.name: m.result() for m in self.metrics}

    model = Custom()
    model.compile(optimizer="adam", loss="mse", metrics=["mae"])
    x, y = regression_data(64)
    model.fit(x, y, sample_weight=np.ones(64), batch_size=32, epochs=1, verbose=0)
    assert got["train"] == (32,)
    logs = model.evaluate(x, y, return_dict=True, verbose=0)
    assert got["test"] and set(logs) == {"loss", "mae"}


def test_a_compute_loss_override_trains_and_train_on_batch_returns_its_logs():
    class Custom(Base):
        def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
            return ops.mean(ops.abs(y_pred - y))

    set_random_seed(0)
    model = Custom()
    model.compile(optimizer=optimizers.Adam(0.01))
    x, y = regression_data()
    first = model.train_on_batch(x, y)
    history = model.fit(x, y, epochs=5, verbose=0)
    assert history.history["loss"][-1] < first
    assert isinstance(model.train_on_batch(x, y, return_dict=True)["loss"], float)


def test_labelless_data_reaches_train_step_as_x_alone():
    got = []

    class Custom(Base):
        def train_step(self, data):
            got.append(type(data).__name__)
            return {}

    model = Custom()
    model.compile(optimizer="sgd")
    model.fit(np.ones((4, 4), "float32"), epochs=1, batch_size=4, verbose=0)
    assert got == ["ndarray"]
    plain = Base()
    plain.compile(optimizer="sgd")
    with pytest.raises(ValueError, match="no loss to compute"):
        plain.fit(np.ones((4, 4), "float32"), np.ones((4, 1)), verbose=0)
