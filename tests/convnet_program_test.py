"""The book's MNIST convnet (chapter 5) on Fashion-MNIST: builds with Keras's parameter count and trains."""
import numpy as np

from numkeras import layers, models
from numkeras.utils import set_random_seed, to_categorical
from tests.seed_program_test import require_fashion_mnist


def book_convnet():
    model = models.Sequential()
    model.add(layers.Conv2D(32, (3, 3), activation="relu", input_shape=(28, 28, 1)))
    model.add(layers.MaxPooling2D((2, 2)))
    model.add(layers.Conv2D(64, (3, 3), activation="relu"))
    model.add(layers.MaxPooling2D((2, 2)))
    model.add(layers.Conv2D(64, (3, 3), activation="relu"))
    model.add(layers.Flatten())
    model.add(layers.Dense(64, activation="relu"))
    model.add(layers.Dense(10, activation="softmax"))
    return model


def test_book_convnet_has_keras_parameter_count():
    model = book_convnet()
    assert model.count_params() == 93_322
    assert [l.output_shape for l in model.layers[:6]] == [
        (None, 26, 26, 32), (None, 13, 13, 32), (None, 11, 11, 64), (None, 5, 5, 64), (None, 3, 3, 64), (None, 576)]


def test_book_convnet_one_epoch_on_fashion_mnist():
    require_fashion_mnist()
    from numkeras.datasets import fashion_mnist
    (train_images, train_labels), (test_images, test_labels) = fashion_mnist.load_data()
    train_images = train_images.reshape((60000, 28, 28, 1)).astype("float32") / 255
    test_images = test_images.reshape((10000, 28, 28, 1)).astype("float32") / 255
    set_random_seed(0)
    model = book_convnet()
    model.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"])
    model.fit(train_images, to_categorical(train_labels), epochs=1, batch_size=64, verbose=0)
    test_loss, test_acc = model.evaluate(test_images, to_categorical(test_labels), verbose=0)
    assert test_acc >= 0.85, test_acc
    assert np.isfinite(test_loss)
