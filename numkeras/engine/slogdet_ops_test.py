"""slogdet: sign and log|det| against NumPy, batched; the log's gradient against finite differences."""
import numpy as np
import pytest

from numkeras.engine import slogdet_ops
from numkeras.engine.gradient_check import check_gradients

RS = np.random.RandomState(4)


@pytest.mark.parametrize("shape", [(3, 3), (2, 4, 4)])
def test_slogdet(shape):
    x = RS.normal(size=shape)
    sign, logdet = slogdet_ops.slogdet(x)
    ref_sign, ref_logdet = np.linalg.slogdet(x)
    np.testing.assert_allclose(sign.numpy(), ref_sign)
    np.testing.assert_allclose(logdet.numpy(), ref_logdet)
    check_gradients(lambda a: slogdet_ops.slogdet(a)[1], x)


def test_non_square_is_refused():
    with pytest.raises(ValueError, match="square"):
        slogdet_ops.slogdet(np.zeros((2, 3)))
