"""Each optimizer trains the digits MLP to >= 93% test accuracy in a short run (well under 2 s each)."""

import numpy as np
import pytest

from numkeras import layers, models, optimizers
from numkeras.datasets import digits
from numkeras.optimizers import schedules
from numkeras.utils import set_random_seed

EPOCHS, BATCH = 20, 32
STEPS = EPOCHS * 45  # 1438 training images in batches of 32

# Rates a user would pick: Adagrad, Adadelta and Ftrl want much larger ones than Adam; Lion a smaller one.
CONFIGS = {
    "sgd": dict(learning_rate=0.05, momentum=0.9),
    "rmsprop": dict(learning_rate=0.002),
    "adam": dict(learning_rate=0.003),
    "adamw": dict(learning_rate=0.003, weight_decay=0.004),
    "adagrad": dict(learning_rate=0.3),
    "adadelta": dict(learning_rate=1.0),
    "adamax": dict(learning_rate=0.01),
    "nadam": dict(learning_rate=0.003),
    "ftrl": dict(learning_rate=0.2),
    "lion": dict(learning_rate=schedules.CosineDecay(0.001, STEPS)),
}


@pytest.fixture(scope="module")
def digits_data():
    (x, y), (xt, yt) = digits.load_data()
    return (x.reshape(len(x), 64).astype("float32") / 16, y), (xt.reshape(len(xt), 64).astype("float32") / 16, yt)


@pytest.mark.parametrize("name", list(CONFIGS))
def test_digits_mlp_reaches_93_percent(digits_data, name):
    (x, y), (xt, yt) = digits_data
    set_random_seed(0)
    model = models.Sequential([layers.Dense(64, activation="relu", input_shape=(64,)),
                               layers.Dense(10, activation="softmax")])
    optimizer = optimizers.get({"class_name": name, "config": CONFIGS[name]})
    model.compile(optimizer=optimizer, loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(x, y, epochs=EPOCHS, batch_size=BATCH, verbose=0)
    _, accuracy = model.evaluate(xt, yt, verbose=0)
    assert accuracy >= 0.93, (name, accuracy)
    assert history.history["loss"][-1] < history.history["loss"][0] / 5
    assert int(optimizer.iterations.numpy()) == STEPS
    assert all(w.dtype == np.float32 for w in model.get_weights())
