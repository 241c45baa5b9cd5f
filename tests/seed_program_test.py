"""End to end: the README's quickstart and the book's second-edition form on Fashion-MNIST.

These need Debian's `dataset-fashion-mnist` (installed by `make test` where apt is available).
Without it they are skipped, except in CI (CI=true), where they fail instead.
"""
import os
import re
import subprocess
import sys

import numpy as np
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FMNIST_DIR = "/usr/share/datasets/fashion-mnist"

# The seed program, verbatim; the README must show exactly this.
SEED_PROGRAM = """\
from numkeras.datasets import mnist
(train_images, train_labels), (test_images, test_labels) = mnist.load_data()
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
"""


def have_fashion_mnist():
    return os.path.isfile(os.path.join(FMNIST_DIR, "t10k-labels-idx1-ubyte.gz"))


def require_fashion_mnist():
    """Skips the test without the Debian data set; in CI, fails it instead."""
    if have_fashion_mnist():
        return
    reason = (f"Fashion-MNIST is not installed in {FMNIST_DIR}: run `make test` as root, or "
              "`apt-get install dataset-fashion-mnist`")
    if os.environ.get("CI") == "true":
        pytest.fail(reason + " (CI=true: real-data tests must run)")
    pytest.skip(reason)


def read(relpath):
    with open(os.path.join(ROOT, relpath), encoding="utf-8") as f:
        return f.read()


def test_readme_shows_the_seed_program_verbatim():
    assert f"```python\n{SEED_PROGRAM}```" in read("README.md")


def test_demo_example_runs_the_seed_program_after_loading():
    after_loading = SEED_PROGRAM[SEED_PROGRAM.index("from numkeras import models"):]
    assert after_loading in read("examples/seed_mnist.py")


def test_seed_program_on_fashion_mnist_reaches_target_accuracy():
    require_fashion_mnist()
    program = SEED_PROGRAM.replace("mnist", "fashion_mnist")
    seeded = "from numkeras.utils import set_random_seed\nset_random_seed(1)\n" + program
    proc = subprocess.run([sys.executable, "-W", "error", "-c", seeded], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = proc.stdout
    # Not a terminal: one plain line per update, no carriage returns.
    assert "\r" not in out
    for epoch in range(1, 6):
        assert f"Epoch {epoch}/5" in out
    assert "469/469" in out and "313/313" in out
    match = re.search(r"^test_acc: ([0-9.]+)$", out, re.MULTILINE)
    assert match, out[-2000:]
    assert float(match.group(1)) >= 0.86, out[-2000:]


def test_second_edition_form_builds_on_first_batch_with_sparse_labels():
    require_fashion_mnist()
    from numkeras import layers, models
    from numkeras.datasets import fashion_mnist
    from numkeras.utils import set_random_seed

    set_random_seed(2)
    (train_images, train_labels), (test_images, test_labels) = fashion_mnist.load_data()
    assert train_images.shape == (60000, 28, 28) and train_images.dtype == np.uint8
    assert test_labels.shape == (10000,) and test_labels.dtype == np.uint8
    model = models.Sequential([
        layers.Dense(512, activation="relu"),
        layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    train_images = train_images.reshape((60000, 28 * 28)).astype("float32") / 255
    test_images = test_images.reshape((10000, 28 * 28)).astype("float32") / 255
    history = model.fit(train_images, train_labels, epochs=2, batch_size=128)

    assert model.count_params() == 784 * 512 + 512 + 512 * 10 + 10
    assert sorted(history.history) == ["accuracy", "loss"]
    assert len(history.history["loss"]) == 2
    assert history.history["loss"][1] < history.history["loss"][0]
    predictions = model.predict(test_images[:10])
    assert isinstance(predictions, np.ndarray)
    assert predictions.shape == (10, 10) and predictions.dtype == np.float32
    np.testing.assert_allclose(predictions.sum(axis=1), 1.0, rtol=1e-5)
    predicted = predictions.argmax(axis=1)
    assert (predicted == test_labels[:10]).sum() >= 7, (predicted, test_labels[:10])
    test_loss, test_acc = model.evaluate(test_images, test_labels)
    assert test_acc >= 0.83
    assert np.isfinite(test_loss) and test_loss < 0.6
