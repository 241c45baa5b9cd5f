"""Concatenate: values and gradients vs NumPy, shape rules, config."""
import json

import numpy as np
import pytest

from numkeras import layers
from numkeras.engine.gradient_check import check_gradients
from numkeras.layers import merging


@pytest.mark.parametrize("axis, shapes", [(-1, [(2, 3), (2, 4), (2, 1)]), (1, [(2, 2, 5), (2, 1, 5)]),
                                          (-2, [(2, 3, 4), (2, 2, 4)]), (0, [(2, 3), (1, 3)])])
def test_values_and_gradients_match_numpy(axis, shapes):
    rng = np.random.default_rng(0)
    xs = [rng.normal(size=s) for s in shapes]
    layer = merging.Concatenate(axis=axis, dtype="float64")
    np.testing.assert_array_equal(layer(xs).numpy(), np.concatenate(xs, axis=axis))
    check_gradients(lambda *ts: layer(list(ts)), *xs)


def test_function_form_and_float32():
    a, b = np.ones((2, 3), "float32"), np.zeros((2, 2), "float32")
    out = merging.concatenate([a, b])
    assert out.shape == (2, 5) and out.dtype == "float32"
    assert merging.concatenate([a[:, None], b[:, None]], axis=2).shape == (2, 1, 5)


def test_output_shape_sums_the_axis_and_keeps_known_sizes():
    layer = merging.Concatenate()
    assert layer.compute_output_shape([(None, 3), (None, 4)]) == (None, 7)
    assert layer.compute_output_shape([(None, 3), (None, None)]) == (None, None)
    assert merging.Concatenate(axis=1).compute_output_shape([(None, 2, None), (None, 3, 5)]) == (None, 5, 5)
    assert merging.concatenate([layers.Input(shape=(4, 3)), layers.Input(shape=(4, 2))]).shape == (None, 4, 5)


def test_mismatched_non_axis_dims_are_rejected():
    with pytest.raises(ValueError, match=r"matching shapes except for the concatenation axis.*Axis 1 differs"):
        merging.concatenate([layers.Input(shape=(4, 3)), layers.Input(shape=(5, 3))])
    with pytest.raises(ValueError, match="matching shapes except for the concatenation axis"):
        merging.Concatenate()([np.zeros((2, 3, 4), "float32"), np.zeros((2, 3), "float32")])
    with pytest.raises(ValueError, match="axis=3 is out of range"):
        merging.Concatenate(axis=3)([np.zeros((2, 3), "float32")] * 2)
    with pytest.raises(ValueError, match="list of at least 1 input"):
        merging.Concatenate()(np.zeros((2, 3), "float32"))
    with pytest.raises(TypeError, match="axis"):
        merging.Concatenate(axis="last")


def test_config_round_trip():
    layer = merging.Concatenate(axis=1, name="cat")
    config = json.loads(json.dumps(layer.get_config()))
    assert config["axis"] == 1 and config["name"] == "cat"
    assert merging.Concatenate.from_config(config).get_config() == config
