"""Permute: values vs a loop reference, gradients, shapes, config, errors."""
import itertools

import numpy as np
import pytest

from numkeras.engine.gradient_check import check_gradients
from numkeras.layers.core.input_layer import Input
from numkeras.layers.reshaping import Permute


@pytest.mark.parametrize("dims", [(2, 1), (3, 1, 2), (1, 2, 3)])
def test_values_shapes_and_gradients(dims):
    sample = (2, 3, 4)[:len(dims)]
    x = np.random.default_rng(0).standard_normal((2, *sample))
    layer = Permute(dims)
    out = layer(x.astype("float32"))
    expected = np.zeros((2, *(sample[d - 1] for d in dims)))
    for n in range(2):
        for pos in itertools.product(*(range(k) for k in sample)):
            expected[(n, *(pos[d - 1] for d in dims))] = x[(n, *pos)]
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-6)
    assert layer.compute_output_shape((None, *sample)) == (None,) + out.shape[1:]
    assert layer(Input(shape=sample)).shape == (None,) + out.shape[1:]
    check_gradients(Permute(dims, dtype="float64"), x)


def test_keras_example_config_and_errors():
    assert Permute((2, 1))(np.zeros((4, 10, 64))).shape == (4, 64, 10)
    layer = Permute([3, 1, 2], name="p")
    assert layer.dims == (3, 1, 2)
    assert Permute.from_config(layer.get_config()).get_config() == layer.get_config()
    with pytest.raises(ValueError, match=r"Permute: dims must be a permutation of 1..2 .* Received: dims=\(0, 1\)"):
        Permute((0, 1))
    with pytest.raises(ValueError, match=r"layer 'p' is incompatible with the layer: expected ndim=4, found ndim=3"):
        layer(np.zeros((2, 3, 4)))
