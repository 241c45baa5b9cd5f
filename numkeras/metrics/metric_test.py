"""Metric base class: state variables, reset, call, config."""
import numpy as np
import pytest

from numkeras import metrics
from numkeras.engine.variable import Variable


class Positives(metrics.Metric):
    def __init__(self, name="positives", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.hits = self.add_variable(shape=(), initializer="zeros", name="hits")
        self.seen = self.add_weight(shape=(), name="seen")

    def update_state(self, values, sample_weight=None):
        values = np.asarray(values)
        self.hits.assign_add(np.sum(values > 0))
        self.seen.assign_add(values.size)

    def result(self):
        return np.asarray(self.hits.data / self.seen.data, dtype=self.dtype)


def test_custom_metric_accumulates_and_resets():
    m = Positives()
    m.update_state([1, -1, 2])
    m.update_state([-3])
    assert float(m.result()) == pytest.approx(0.5)
    assert [v.name for v in m.variables] == ["hits", "seen"]
    assert all(isinstance(v, Variable) and not v.trainable and v.dtype == "float32" for v in m.variables)
    m.reset_state()
    assert [float(v.data) for v in m.variables] == [0.0, 0.0]
    assert float(m([5, 6])) == 1.0  # __call__ updates, then returns the result


def test_name_dtype_config():
    m = Positives(dtype="float64")
    assert m.name == "positives" and m.dtype == "float64"
    assert m.get_config() == {"name": "positives", "dtype": "float64"}
    assert Positives.from_config(m.get_config()).dtype == "float64"
    assert repr(m) == "<Positives name=positives>"


def test_add_variable_initializers():
    m = metrics.Metric()
    assert m.name == "metric"
    assert m.add_variable((2,), "ones").numpy().tolist() == [1.0, 1.0]
    assert m.add_variable((2,), lambda shape, dtype: np.full(shape, 3, dtype)).numpy().tolist() == [3.0, 3.0]
    assert m.add_variable((2,), 7.0).numpy().tolist() == [7.0, 7.0]


def test_forgetting_super_init_is_explained():
    class Broken(metrics.Metric):
        def __init__(self):
            self.total = self.add_variable(())

    with pytest.raises(RuntimeError, match="super"):
        Broken()


def test_base_methods_must_be_implemented():
    with pytest.raises(NotImplementedError):
        metrics.Metric().update_state([1])
    with pytest.raises(NotImplementedError):
        metrics.Metric().result()
