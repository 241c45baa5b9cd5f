"""The seed program from the README: a two-layer network on MNIST, five epochs.

It is the quickstart unchanged, except that it falls back to Fashion-MNIST (same shapes, ten
classes) when MNIST is neither cached nor downloadable, e.g. on a machine without network that
has Debian's `dataset-fashion-mnist` package. `make demo` runs it.

Usage:
    python examples/seed_mnist.py                  # MNIST, else Fashion-MNIST
    python examples/seed_mnist.py fashion_mnist    # Fashion-MNIST only
"""
import sys

from numkeras.datasets import fashion_mnist, mnist

if sys.argv[1:] == ["fashion_mnist"]:
    (train_images, train_labels), (test_images, test_labels) = fashion_mnist.load_data()
else:
    try:
        (train_images, train_labels), (test_images, test_labels) = mnist.load_data()
    except Exception as e:  # no local copy and no network: say why, then use the other set
        reason = str(e).splitlines()[0] if str(e) else type(e).__name__
        print(f"MNIST is unavailable: {reason}", file=sys.stderr)
        print("Falling back to Fashion-MNIST.", file=sys.stderr)
        (train_images, train_labels), (test_images, test_labels) = fashion_mnist.load_data()

# From here on, the quickstart verbatim.
from numkeras import models, layers
network = models.Sequential()
network.add(layers.Dense(512, activation='relu', input_shape=(28 * 28,)))
network.add(layers.Dense(10, activation='softmax'))
network.compile(optimizer='rmsprop', loss='categorical_crossentropy', metrics=['accuracy'])
train_images = train_images.reshape((60000, 28 * 28)).astype('float32') / 255
test_images = test_images.reshape((10000, 28 * 28)).astype('float32') / 255
from numkeras.utils import to_categorical
train_labels = to_categorical(train_labels)
test_labels = to_categorical(test_labels)
network.fit(train_images, train_labels, epochs=5, batch_size=128)
test_loss, test_acc = network.evaluate(test_images, test_labels)
print('test_acc:', test_acc)
