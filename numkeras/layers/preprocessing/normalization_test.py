import numpy as np
import pytest

from numkeras.layers.preprocessing import Normalization
from numkeras.utils.py_dataset import PyDataset


def test_keras_docstring_examples():
    layer = Normalization(axis=None)
    layer.adapt(np.array([1.0, 2.0, 3.0, 4.0, 5.0], "float32"))
    np.testing.assert_allclose(layer(np.array([1.0, 2.0, 3.0], "float32")).numpy(), [-1.4142135, -0.70710677, 0],
                               rtol=1e-6)
    data = np.array([[0.0, 7.0, 4.0], [2.0, 9.0, 6.0], [0.0, 7.0, 4.0], [2.0, 9.0, 6.0]], "float32")
    layer = Normalization(axis=-1)
    layer.adapt(data)
    np.testing.assert_allclose(layer(np.array([[0.0, 7.0, 4.0]], "float32")).numpy(), [[-1, -1, -1]])
    layer = Normalization(axis=-1, invert=True)
    layer.adapt(data)
    np.testing.assert_allclose(layer(np.array([[1.0, 2.0, 3.0]], "float32")).numpy(), [[2, 10, 8]])
    out = Normalization(mean=3.0, variance=2.0)(np.array([[1.0], [2.0], [3.0]], "float32")).numpy()
    np.testing.assert_allclose(out, [[-1.4142135], [-0.70710677], [0]], rtol=1e-6)
    assert out.dtype == np.float32


@pytest.mark.parametrize("axis, reduce", [(-1, (0, 1, 2)), ((1, 2), (0, 3)), (None, (0, 1, 2, 3)), (1, (0, 2, 3))])
def test_adapt_statistics_match_numpy(axis, reduce):
    x = np.random.default_rng(0).normal(3.0, 2.0, size=(20, 4, 5, 3)).astype("float32")
    layer = Normalization(axis=axis)
    layer.adapt(x)
    np.testing.assert_allclose(layer.adapt_mean.numpy(), x.mean(axis=reduce), rtol=1e-5)
    np.testing.assert_allclose(layer.adapt_variance.numpy(), x.var(axis=reduce), rtol=1e-4)
    out = layer(x).numpy()
    np.testing.assert_allclose(out.mean(axis=reduce), 0, atol=1e-5)
    np.testing.assert_allclose(out.std(axis=reduce), 1, rtol=1e-4)


def test_adapt_on_batches_equals_adapt_on_the_whole_array():
    x = np.random.default_rng(1).normal(size=(50, 3)).astype("float32") * [1, 10, 100] + [0, 5, -5]
    whole, batched, pairs, pydataset = (Normalization() for _ in range(4))
    whole.adapt(x)
    batched.adapt(x[i:i + 7] for i in range(0, 50, 7))  # uneven batches, a generator
    pairs.adapt([(x[:20], np.zeros(20)), (x[20:], np.zeros(30))])

    class Batches(PyDataset):
        def __len__(self):
            return 5

        def __getitem__(self, i):
            return x[i * 10:(i + 1) * 10], None
    pydataset.adapt(Batches())
    for layer in (batched, pairs, pydataset):
        np.testing.assert_allclose(layer.adapt_mean.numpy(), whole.adapt_mean.numpy(), rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(layer.adapt_variance.numpy(), whole.adapt_variance.numpy(), rtol=1e-5)


def test_weights_are_non_trainable_mean_variance_count_like_keras():
    layer = Normalization()
    layer.adapt(np.ones((4, 3), "float32"))
    assert [w.name for w in layer.weights] == ["mean", "variance", "count"]
    assert layer.trainable_weights == [] and layer.count_params() == 7
    # a constant feature has variance 0: the divisor is floored at epsilon, not 0
    assert np.isfinite(layer(np.ones((1, 3), "float32")).numpy()).all()


def test_set_weights_is_seen_by_call():
    layer = Normalization()
    layer.build((None, 2))
    layer.set_weights([np.array([1.0, 2.0]), np.array([4.0, 16.0]), np.array(0)])
    np.testing.assert_allclose(layer(np.array([[3.0, 6.0]], "float32")).numpy(), [[1.0, 1.0]])


def test_mean_broadcasts_over_the_kept_axes_and_config_round_trips():
    layer = Normalization(axis=-1, mean=[1.0, 2.0, 3.0], variance=[1.0, 4.0, 9.0])
    out = layer(np.array([[[2.0, 4.0, 6.0]]], "float32")).numpy()
    np.testing.assert_allclose(out, [[[1.0, 1.0, 1.0]]])
    clone = Normalization.from_config(layer.get_config())
    np.testing.assert_allclose(clone(np.array([[2.0, 4.0, 6.0]], "float32")).numpy(), [[1, 1, 1]])


def test_errors_name_the_problem():
    with pytest.raises(ValueError, match="both mean and variance"):
        Normalization(mean=1.0)
    with pytest.raises(ValueError, match="same shape"):
        Normalization(mean=[1.0, 2.0], variance=1.0)
    layer = Normalization()
    layer.adapt(np.zeros((4, 3), "float32"))
    with pytest.raises(ValueError, match=r"built for input shape \(4, 3\).*\(4, 5\)"):
        layer.adapt(np.zeros((4, 5), "float32"))
    with pytest.raises(ValueError, match="no data"):
        Normalization().adapt([])
    with pytest.raises(ValueError, match="nothing to learn"):
        Normalization(mean=0.0, variance=1.0).adapt(np.zeros((2, 1)))
