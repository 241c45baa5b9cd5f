"""Datasets: `mnist`, `fashion_mnist`, `cifar10`, `cifar100`, `imdb`, `reuters`,
`boston_housing`, `california_housing` and the bundled `digits`.

Each module has a `load_data()` returning `(x_train, y_train), (x_test, y_test)`.
The modules are imported on first use, so `import numkeras.datasets` is cheap.

Example:

>>> from numkeras.datasets import digits
>>> (x_train, y_train), (x_test, y_test) = digits.load_data()
>>> x_train.shape
(1438, 8, 8)
"""

import importlib as _importlib

# The surface: Keras 3.15's keras.datasets, then numkeras's own (tests/surface checks it).
__all__ = [
    "boston_housing",
    "california_housing",
    "cifar10",
    "cifar100",
    "digits",
    "fashion_mnist",
    "imdb",
    "mnist",
    "reuters",
]
_NUMKERAS_EXTRAS = ("digits",)  # 8x8 digits shipped in the package: works offline


def __getattr__(name):
    if name in __all__:
        return _importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return list(__all__)
