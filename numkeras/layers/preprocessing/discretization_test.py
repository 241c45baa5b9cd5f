import numpy as np
import pytest

from numkeras.layers.preprocessing import Discretization


def test_boundaries_bucket_as_numpy_digitize():
    layer = Discretization(bin_boundaries=[0.0, 1.0, 2.0])
    out = layer(np.array([[-1.5, 1.0, 3.4, 0.5, 2.0]], "float32")).numpy()
    np.testing.assert_array_equal(out, [[0, 2, 3, 1, 3]])  # a value on a boundary goes up
    assert out.dtype == np.int32
    counts = Discretization(bin_boundaries=[0.0], output_mode="count")(np.array([[-1.0, 2.0, 3.0]])).numpy()
    np.testing.assert_array_equal(counts, [[1, 2]])


def test_adapt_learns_quantiles_of_a_uniform_sample():
    data = np.arange(1000, dtype="float32")
    layer = Discretization(num_bins=4)
    layer.adapt(data)
    np.testing.assert_allclose(layer.bin_boundaries, [249.5, 499.5, 749.5], atol=10)  # the quartiles, within epsilon
    out = layer(np.array([0.0, 300.0, 999.0], "float32")).numpy()
    np.testing.assert_array_equal(out, [0, 1, 3])
    batches = (data[i:i + 100] for i in range(0, 1000, 100))
    streamed = Discretization(num_bins=4)
    streamed.adapt(batches)
    np.testing.assert_allclose(streamed.bin_boundaries, layer.bin_boundaries, atol=15)


def test_errors_and_config_round_trip():
    with pytest.raises(ValueError, match="bin_boundaries or num_bins, not both"):
        Discretization(bin_boundaries=[0.0], num_bins=2)
    with pytest.raises(ValueError, match="has nothing to learn"):
        Discretization(bin_boundaries=[0.0]).adapt(np.ones(3))
    with pytest.raises(ValueError, match="no values"):
        Discretization(num_bins=2).adapt(np.zeros(0))
    with pytest.raises(ValueError, match="no boundaries yet"):
        Discretization(num_bins=2)(np.ones(3))
    layer = Discretization(num_bins=3)
    layer.adapt(np.arange(30.0))
    clone = Discretization.from_config(layer.get_config())
    assert clone.bin_boundaries == layer.bin_boundaries
