import importlib.util
import os
import pathlib
import subprocess
import sys

import pytest

from numkeras.backend import array_module


def _run(code, backend=None):
    env = {k: v for k, v in os.environ.items() if k != "NUMKERAS_BACKEND"}
    if backend is not None:
        env["NUMKERAS_BACKEND"] = backend
    env["PYTHONPATH"] = str(pathlib.Path(__file__).resolve().parents[2])  # this checkout, wherever pytest runs
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)


def test_the_default_is_numpy_itself():
    out = _run("import numpy, numkeras.backend as b; print(b.xp is numpy, b.to_host is numpy.asarray, "
               "b.backend_name(), b.errstate is numpy.errstate)")
    assert out.stdout.split() == ["True", "True", "numpy", "True"], out.stderr


def test_the_environment_variable_picks_the_strict_backend():
    out = _run("import numkeras; from numkeras.engine import math_ops; print(numkeras.config.backend(), "
               "type(math_ops.add([1.0], [2.0]).data).__name__)", backend="strict")
    assert out.stdout.split() == ["strict", "StrictArray"], out.stderr


def test_set_backend_rebinds_modules_already_imported():
    code = ("import numkeras; from numkeras.engine import shape_ops, tensor; import numkeras.config as c; "
            "c.set_backend('strict'); print(type(tensor.as_tensor([1.0]).data).__name__, "
            "shape_ops.xp.__name__, c.backend()); c.set_backend('numpy'); "
            "print(type(tensor.as_tensor([1.0]).data).__name__)")
    out = _run(code)
    assert out.stdout.split() == ["StrictArray", "numkeras.backend.strict", "strict", "ndarray"], out.stderr


def test_set_backend_after_a_variable_exists_is_refused():
    out = _run("import numkeras; numkeras.Variable([1.0]); numkeras.config.set_backend('strict')")
    assert "RuntimeError" in out.stderr and "before building anything" in out.stderr


def test_unknown_names_are_refused():
    with pytest.raises(ValueError, match="Expected one of"):
        array_module.load("torch")
    out = _run("import numkeras.backend", backend="jax")
    assert "Unknown numkeras backend" in out.stderr


def test_the_cupy_backend_loads_cupy_or_says_what_to_install():
    out = _run("import numkeras.backend as b; print(b.backend_name(), b.xp.__name__)", backend="cupy")
    if importlib.util.find_spec("cupy") is None:  # this machine: no CuPy
        assert out.returncode != 0 and "pip install numkeras[gpu]" in out.stderr
    else:  # a GPU machine (benchmarks/gpu_check.sh)
        assert out.stdout.split() == ["cupy", "cupy"], out.stderr
