"""Every runnable example in numkeras's docstrings gives what it shows."""
import doctest
import importlib
import pkgutil

import pytest

import numkeras

MODULES = sorted(name for _, name, _ in pkgutil.walk_packages(numkeras.__path__, "numkeras.")
                 if not name.endswith("_test"))


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    failures, _ = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert failures == 0


def test_the_walk_finds_the_package():
    assert len(MODULES) > 100 and "numkeras.engine.tape" in MODULES
