"""Fixtures for the parity tests (see harness.py): the Keras interpreter and a per-module batch runner."""
import os

import pytest

from keras_parity.harness import BUILD_HINT, KerasReference, keras_python_path


@pytest.fixture(scope="session")
def keras_python():
    path = keras_python_path()
    if not os.access(path, os.X_OK):
        pytest.fail(f"No Python with Keras for the parity tests: {path!r} does not exist or is not executable. "
                    + BUILD_HINT, pytrace=False)
    return path


@pytest.fixture(scope="module")
def keras_reference(keras_python, tmp_path_factory):
    """A fresh `KerasReference` in its own temporary folder, for one module's batch of cases."""
    return KerasReference(keras_python, tmp_path_factory.mktemp("keras_parity"))
