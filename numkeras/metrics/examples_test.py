"""The runnable examples in the metrics docstrings give what they show."""
import doctest
import importlib

import pytest

MODULES = ["accuracy_metrics", "auc", "confusion_metrics", "confusion_utils", "correlation_metrics", "f_score_metrics",
           "hinge_metrics", "metric", "probabilistic_metrics", "reduction_metrics", "registry", "regression_metrics"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(f"numkeras.metrics.{name}")
    failures, tried = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert tried > 0 and failures == 0
