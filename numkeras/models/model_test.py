"""Subclassed models, custom train_step, freezing."""
import numpy as np

import numkeras
from numkeras import layers, models
from numkeras.utils import set_random_seed


class TwoLayers(models.Model):
    def __init__(self):
        super().__init__()
        self.hidden = layers.Dense(16, activation="relu")
        self.out = layers.Dense(1)

    def call(self, x):
        return self.out(self.hidden(x))


def regression_data():
    rng = np.random.default_rng(0)
    x = rng.random((128, 4), dtype=np.float32)
    return x, x.sum(axis=1, keepdims=True)


def test_subclassed_model_tracks_layers_and_trains():
    set_random_seed(0)
    model = TwoLayers()
    model.compile(optimizer=numkeras.optimizers.Adam(0.01), loss="mse")
    x, y = regression_data()
    history = model.fit(x, y, epochs=20, verbose=0)
    assert len(model.trainable_weights) == 4
    assert history.history["loss"][-1] < history.history["loss"][0] / 4


def test_custom_train_step_plugs_into_fit():
    calls = []

    class Custom(TwoLayers):
        def train_step(self, data):
            x, y = data  # (x, y) without sample weights, as Keras 3 passes it
            calls.append(len(x))
            with numkeras.GradientTape() as tape:
                y_pred = self(x, training=True)
                loss = self.compute_loss(y=y, y_pred=y_pred)
            grads = tape.gradient(loss, self.trainable_weights)
            self.optimizer.apply(grads, self.trainable_weights)
            for metric in self.metrics:
                if metric.name == "loss":
                    metric.update_state(loss)
                else:
                    metric.update_state(y, y_pred)
            return {m.name: m.result() for m in self.metrics}

    set_random_seed(0)
    model = Custom()
    model.compile(optimizer="adam", loss="mse", metrics=["mae"])
    x, y = regression_data()
    history = model.fit(x, y, epochs=3, batch_size=64, verbose=0)
    assert calls == [64, 64] * 3
    assert set(history.history) == {"loss", "mae"}
    assert history.history["loss"][-1] < history.history["loss"][0]


def test_freezing_takes_effect_at_the_next_compile():
    set_random_seed(0)
    model = models.Sequential([layers.Dense(4, input_shape=(4,)), layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    x, y = regression_data()
    model.fit(x, y, epochs=1, verbose=0)
    model.layers[0].trainable = False
    assert len(model.trainable_weights) == 2 and len(model.non_trainable_weights) == 2
    frozen = model.layers[0].get_weights()
    model.fit(x, y, epochs=1, verbose=0)  # not recompiled: the first layer still trains
    assert not np.array_equal(frozen[0], model.layers[0].get_weights()[0])
    model.compile(optimizer="sgd", loss="mse")
    frozen = model.layers[0].get_weights()
    model.fit(x, y, epochs=1, verbose=0)
    np.testing.assert_array_equal(frozen[0], model.layers[0].get_weights()[0])
