"""The switch for the compiled kernels, and the fallback when numba is broken."""
import sys

import numpy as np
import pytest

from numkeras import optimizers
from numkeras.backend import fused


def test_env_variable_turns_the_kernels_off(monkeypatch):
    monkeypatch.setitem(fused._state, "enabled", None)
    monkeypatch.setenv("NUMKERAS_FUSED", "0")
    assert fused.is_enabled() is False


def test_a_broken_numba_falls_back_to_numpy_with_a_warning(monkeypatch):
    monkeypatch.setitem(fused._state, "enabled", True)
    monkeypatch.setattr(fused, "_compiled", {})
    monkeypatch.setitem(sys.modules, "numba", None)  # makes `import numba` raise ImportError
    w = np.ones((300, 200), "float32")
    opt = optimizers.RMSprop()
    with pytest.warns(RuntimeWarning, match="numba is installed but cannot be imported"):
        import numkeras
        variable = numkeras.Variable(w)
        opt.apply([np.ones_like(w)], [variable])
    assert fused.is_enabled() is False
    np.testing.assert_allclose(variable.numpy(), 1 - 0.001 / np.sqrt(0.1 + 1e-7), rtol=1e-6)  # NumPy's step
