"""broadcast_to: values, the gradient summed back by the tape, a named error."""
import numpy as np
import pytest

from numkeras.engine import broadcast_ops
from numkeras.engine.gradient_check import check_gradients


@pytest.mark.parametrize("shape,target", [((3,), (2, 3)), ((2, 1), (2, 4)), ((1, 3, 1), (2, 3, 5)), ((), (2,))])
def test_broadcast_to(shape, target):
    x = np.random.RandomState(0).normal(size=shape)
    np.testing.assert_array_equal(broadcast_ops.broadcast_to(x, target).numpy(), np.broadcast_to(x, target))
    check_gradients(lambda a: broadcast_ops.broadcast_to(a, target), x)


def test_bad_shape_is_named():
    with pytest.raises(ValueError, match=r"shape \(3,\) to shape \(2, 4\)"):
        broadcast_ops.broadcast_to(np.zeros(3), (2, 4))
