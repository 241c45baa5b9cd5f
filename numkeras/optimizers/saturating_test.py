import numpy as np

from numkeras.backend import from_host, to_host, xp
from numkeras.optimizers.saturating import saturate, saturating_add, saturating_square


def test_saturating_square_clamps_only_what_overflows():
    out = xp.empty(3, "float32")
    saturating_square(from_host(np.array([3.0, 1e20, -1e30], "float32")), out)
    np.testing.assert_array_equal(to_host(out), [9.0, np.finfo("float32").max, np.finfo("float32").max])


def test_saturating_add_and_saturate_stay_finite():
    big = np.finfo("float32").max
    out = xp.empty(2, "float32")
    saturating_add(from_host(np.array([big, 1.0], "float32")), from_host(np.array([big, 2.0], "float32")), out)
    np.testing.assert_array_equal(to_host(out), [big, 3.0])
    np.testing.assert_array_equal(to_host(saturate(from_host(np.array([np.inf, -np.inf], "float32")))), [big, -big])
