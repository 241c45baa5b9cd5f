"""The README's "What is there" follows keras_names.json: the Keras names it says numkeras has resolve,
the ones it says are missing do not, and its "N of Keras's M" counts are today's."""
import importlib
import json
import pathlib
import re

import pytest

HERE = pathlib.Path(__file__).parent
KERAS = json.loads((HERE / "keras_names.json").read_text())["namespaces"]
README = (HERE.parents[1] / "README.md").read_text()
SECTION = README.split("## What is there", 1)[1].split("\n## ", 1)[0]
BULLETS = dict(re.findall(r"^- \*\*([A-Za-z ]+):\*\* (.*?)(?=^- |\Z)", SECTION, flags=re.S | re.M))
NAMESPACE = {"Layers": "layers", "Losses": "losses", "Metrics": "metrics", "Optimizers": "optimizers",
             "Callbacks": "callbacks"}
# What a README count counts: Keras's classes there, less base classes and optimizer wrappers it names apart.
NOT_COUNTED = {"Loss", "Metric", "Optimizer", "LossScaleOptimizer", "MultiOptimizer", "OptimizerMap"}


def _has(ns, name):
    return name in importlib.import_module(f"numkeras.{ns}").__all__


def test_the_bullets_are_found():
    assert set(NAMESPACE) <= set(BULLETS)


@pytest.mark.parametrize("title", sorted(NAMESPACE))
def test_named_keras_classes_are_there_or_not_as_the_readme_says(title):
    ns = NAMESPACE[title]
    there, *rest = re.split(r"(\bnot\b|Not there)", BULLETS[title], maxsplit=1)
    missing = rest[1] if rest else ""  # a namespace numkeras has whole says no "not"
    names = lambda text: [n for n in re.findall(r"`([A-Za-z]\w*)", text) if n in KERAS[ns]]  # noqa: E731
    assert names(missing) or not rest, f"the {title} bullet says 'not' but names no missing Keras class"
    assert [n for n in names(there) if not _has(ns, n)] == []
    assert [n for n in names(missing) if _has(ns, n)] == []


@pytest.mark.parametrize("title", ["Losses", "Metrics", "Optimizers"])
def test_the_counts_are_todays(title):
    ns = NAMESPACE[title]
    have, total = map(int, re.search(r"(\d+) of Keras's (\d+)", BULLETS[title]).groups())
    counted = [n for n in KERAS[ns] if n[0].isupper() and n not in NOT_COUNTED]
    assert (have, total) == (sum(_has(ns, n) for n in counted), len(counted))


def test_every_activation_regularizer_and_constraint_and_the_initializers_but_stft():
    assert "every activation, regularizer and constraint Keras has" in BULLETS["Also"]
    for ns in ("activations", "regularizers", "constraints"):
        assert [n for n in KERAS[ns] if not _has(ns, n)] == []
    assert "its initializers but\n  `STFT`" in BULLETS["Also"]
    assert {n for n in KERAS["initializers"] if not _has("initializers", n)} == {"STFT", "STFTInitializer", "stft"}
