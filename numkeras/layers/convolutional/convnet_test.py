"""The book's MNIST convnet: 93,322 parameters, Keras's shapes, and it learns."""
import numpy as np

from numkeras import layers, models
from numkeras.layers.convolutional import Conv2D
from numkeras.utils.naming import clear_session


def book_convnet():
    return models.Sequential([
        layers.Input((28, 28, 1)),
        Conv2D(32, 3, activation="relu"), layers.MaxPooling2D(2),
        Conv2D(64, 3, activation="relu"), layers.MaxPooling2D(2),
        Conv2D(64, 3, activation="relu"),
        layers.Flatten(),
        layers.Dense(64, activation="relu"),
        layers.Dense(10, activation="softmax"),
    ])


def test_parameters_and_shapes_match_keras():
    clear_session()  # default names from scratch: conv2d, max_pooling2d, conv2d_1, ...
    model = book_convnet()
    assert model.count_params() == 93_322
    assert [layer.count_params() for layer in model.layers] == [320, 0, 18_496, 0, 36_928, 0, 36_928, 650]
    assert [tuple(layer.output_shape) for layer in model.layers] == [
        (None, 26, 26, 32), (None, 13, 13, 32), (None, 11, 11, 64), (None, 5, 5, 64), (None, 3, 3, 64),
        (None, 576), (None, 64), (None, 10)]
    lines = []
    model.summary(print_fn=lambda text, *args, **kwargs: lines.append(text))
    text = "\n".join(lines)
    for row in ["│ conv2d (Conv2D)                 │ (None, 26, 26, 32)     │           320 │",
                "│ max_pooling2d (MaxPooling2D)    │ (None, 13, 13, 32)     │             0 │",
                "│ conv2d_1 (Conv2D)               │ (None, 11, 11, 64)     │        18,496 │",
                "│ conv2d_2 (Conv2D)               │ (None, 3, 3, 64)       │        36,928 │",
                "│ flatten (Flatten)               │ (None, 576)            │             0 │"]:
        assert row in text, row
    assert "Total params: 93,322 (364.54 KB)" in text


def test_a_few_steps_of_training_lower_the_loss():
    from numkeras.utils import set_random_seed
    set_random_seed(0)
    rng = np.random.default_rng(0)
    y = rng.integers(0, 10, 256)
    x = rng.random((256, 28, 28, 1), dtype=np.float32) * 0.1
    x[np.arange(256), 2 * y + 3, 3:25, 0] = 1.0  # a bright row whose position is the label
    model = book_convnet()
    model.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(x, y, epochs=3, batch_size=32, verbose=0)
    loss = history.history["loss"]
    assert loss[-1] < loss[0] and history.history["accuracy"][-1] > 0.5
    assert model.predict(x[:5], verbose=0).dtype == np.float32
