"""The test side of the parity tests: a batch of cases for Keras, one subprocess, results by case id.

Each test module declares its cases, hands them all to one `KerasReference.run()` in a module-scoped
fixture (one subprocess per module: importing Keras and JAX costs seconds), and each test compares
numkeras's answer with Keras's for its case id. The Keras side is keras_reference.py.
"""
import json
import os
import subprocess

import numpy as np
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RUNNER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "keras_reference.py")
BUILD_HINT = ("Build it with `make keras-venv` (`make test` does it too): a virtual environment .venv-keras with "
              "keras==3.15.1 jax==0.10.2 jaxlib==0.10.2 numpy, or set NUMKERAS_KERAS_PYTHON to a Python that has them.")


def keras_python_path():
    """The interpreter with Keras: $NUMKERAS_KERAS_PYTHON, else <repo>/.venv-keras/bin/python."""
    return os.environ.get("NUMKERAS_KERAS_PYTHON") or os.path.join(ROOT, ".venv-keras", "bin", "python")


class KerasResult:
    """What Keras handed back for one case: its arrays by name, `meta`, or the error it raised."""

    def __init__(self, case_id, arrays, report):
        self.case_id, self.arrays = case_id, arrays
        self.error, self.meta = report["error"], report["meta"]

    def __getitem__(self, name):
        self.check()
        return self.arrays[name]

    def check(self):
        if self.error:
            pytest.fail(f"Keras raised on case {self.case_id!r}:\n{self.error}", pytrace=False)
        return self

    def outputs(self, prefix="out"):
        """The arrays named prefix0, prefix1, ... in order (a model's outputs)."""
        self.check()
        return [self.arrays[f"{prefix}{i}"] for i in range(sum(k[len(prefix):].isdigit() and k.startswith(prefix)
                                                                for k in self.arrays))]


class KerasReference:
    """Collects cases and their arrays, runs them all under Keras in one subprocess.

    Example:
        ref = KerasReference(keras_python, tmp_folder)
        ref.add("dense", "layer", class_name="Dense", kwargs={"units": 2}, inputs=[ref.array(x)],
                weights=[ref.array(w) for w in weights])
        results = ref.run()
        np.testing.assert_allclose(numkeras_output, results["dense"]["out0"])
    """

    def __init__(self, python, folder, runner=RUNNER):
        self.python, self.folder, self.runner = python, str(folder), runner  # runner: the Keras-side script
        self.cases, self.arrays = [], {}

    def array(self, value):
        """Stores an array for the request; returns the key a case names it by."""
        key = f"a{len(self.arrays)}"
        self.arrays[key] = np.asarray(value)
        return key

    def add(self, case_id, kind, **fields):
        """Adds a case for `keras_reference.run_<kind>`; `fields` name arrays by the keys `array()` gave."""
        if "/" in case_id or any(c["id"] == case_id for c in self.cases):
            raise ValueError(f"Case ids must be unique and free of '/'; received: case_id={case_id!r}.")
        self.cases.append({"id": case_id, "kind": kind, **fields})

    def run(self, timeout=600):
        """Runs every case; returns {case id: KerasResult}. Fails (never skips) when Keras cannot start."""
        with open(os.path.join(self.folder, "request.json"), "w") as f:
            json.dump({"cases": self.cases}, f)
        np.savez(os.path.join(self.folder, "inputs.npz"), **self.arrays)
        env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
        env.update(KERAS_BACKEND="jax", JAX_PLATFORMS="cpu", KERAS_HOME=os.path.join(self.folder, ".keras"),
                   TF_CPP_MIN_LOG_LEVEL="3",
                   # Hundreds of tiny ops, each compiled once: compiling dominates, and XLA's cheaper
                   # CPU code generation cuts the Keras side's time by a third (same float32 ops).
                   XLA_FLAGS=" ".join([os.environ.get("XLA_FLAGS", ""), "--xla_backend_optimization_level=0",
                                       "--xla_llvm_disable_expensive_passes=true"]).strip())
        proc = subprocess.run([self.python, self.runner, self.folder], capture_output=True, text=True, env=env,
                              timeout=timeout)
        if proc.returncode != 0:
            pytest.fail(f"The Keras reference runner failed under {self.python} (exit {proc.returncode}):\n"
                        f"{proc.stderr[-4000:]}\n{BUILD_HINT}", pytrace=False)
        with open(os.path.join(self.folder, "results.json")) as f:
            report = json.load(f)
        with np.load(os.path.join(self.folder, "results.npz")) as f:
            arrays = dict(f)
        results = {}
        for case_id, rep in report.items():
            prefix = case_id + "/"
            mine = {k[len(prefix):]: v for k, v in arrays.items() if k.startswith(prefix)}
            results[case_id] = KerasResult(case_id, mine, rep)
        return results


def assert_close(actual, desired, rtol=1e-5, atol=1e-6, what=""):
    """float32 comparison with the shapes checked first, so a broadcast cannot hide a shape mismatch."""
    actual, desired = np.asarray(actual), np.asarray(desired)
    assert actual.shape == desired.shape, f"{what}: numkeras shape {actual.shape} vs Keras {desired.shape}"
    np.testing.assert_allclose(actual, desired, rtol=rtol, atol=atol, err_msg=what)
