"""ops.math, ops.linalg and ops.image against Keras 3 on JAX: values, dtypes and gradients, case by case.

The cases (ops_math_cases.py) are functions of a library's `ops`; one Keras subprocess
(ops_math_reference.py) runs them all, and each test runs its case under numkeras and compares.
float32 throughout (JAX runs without x64), so dtypes are compared too.
"""
import json
import os
import subprocess

import numpy as np
import pytest

from keras_parity.harness import BUILD_HINT
from keras_parity.ops_math_cases import CASES, cotangent
from numkeras import ops
from numkeras.engine.tape import GradientTape
from numkeras.engine.tensor import Tensor

RUNNER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "ops_math_reference.py")


@pytest.fixture(scope="module")
def keras_results(keras_python, tmp_path_factory):
    folder = str(tmp_path_factory.mktemp("ops_math_parity"))
    with open(os.path.join(folder, "request.json"), "w") as f:
        json.dump({"cases": list(CASES)}, f)
    np.savez(os.path.join(folder, "inputs.npz"),
             **{f"{cid}/{i}": x for cid, (_, inputs, _, _) in CASES.items() for i, x in enumerate(inputs)})
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env.update(KERAS_BACKEND="jax", JAX_PLATFORMS="cpu", KERAS_HOME=os.path.join(folder, ".keras"),
               TF_CPP_MIN_LOG_LEVEL="3",
               # many small ops, each compiled once: XLA's cheaper CPU code generation (as harness.py does)
               XLA_FLAGS=" ".join([os.environ.get("XLA_FLAGS", ""), "--xla_backend_optimization_level=0",
                                   "--xla_llvm_disable_expensive_passes=true"]).strip())
    proc = subprocess.run([keras_python, RUNNER, folder], capture_output=True, text=True, env=env, timeout=900)
    if proc.returncode != 0:
        pytest.fail(f"The Keras runner failed under {keras_python} (exit {proc.returncode}):\n{proc.stderr[-4000:]}\n"
                    f"{BUILD_HINT}", pytrace=False)
    with open(os.path.join(folder, "results.json")) as f:
        report = json.load(f)
    with np.load(os.path.join(folder, "results.npz")) as f:
        arrays = dict(f)
    return report, arrays


def flatten(out):
    if isinstance(out, (list, tuple)):
        return [leaf for item in out for leaf in flatten(item)]
    return [out]


def run_numkeras(fn, inputs, grad):
    tensors = [ops.convert_to_tensor(x) for x in inputs]
    floats = [t for t in tensors if t.dtype in ("float32", "float64")]
    with GradientTape() as tape:
        tape.watch(floats)
        outs = flatten(fn(ops, *tensors))
        loss = None
        for o in outs:
            if isinstance(o, Tensor) and o.dtype in ("float32", "float64"):
                term = ops.sum(o * cotangent(o.shape).astype(o.dtype))
                loss = term if loss is None else loss + term
    grads = tape.gradient(loss, floats) if grad and loss is not None else []
    return [np.asarray(o) for o in outs], [None if g is None else g.numpy() for g in grads]


@pytest.mark.parametrize("case_id", list(CASES))
def test_against_keras(case_id, keras_results):
    report, arrays = keras_results
    fn, inputs, grad, (rtol, atol) = CASES[case_id]
    if report[case_id]["error"]:
        pytest.fail(f"Keras raised on case {case_id!r}:\n{report[case_id]['error']}", pytrace=False)
    outs, grads = run_numkeras(fn, inputs, grad)
    expected = [arrays[f"{case_id}/out{k}"] for k in range(len(report[case_id]["dtypes"]))]
    assert len(outs) == len(expected), f"{case_id}: {len(outs)} outputs vs Keras's {len(expected)}"
    for k, (mine, theirs) in enumerate(zip(outs, expected)):
        assert mine.shape == theirs.shape, f"{case_id} out{k}: shape {mine.shape} vs Keras {theirs.shape}"
        assert mine.dtype == theirs.dtype, f"{case_id} out{k}: dtype {mine.dtype} vs Keras {theirs.dtype}"
        np.testing.assert_allclose(mine, theirs, rtol=rtol, atol=atol, err_msg=f"{case_id} out{k}")
    if grad:
        for k, g in enumerate(grads):
            theirs = arrays[f"{case_id}/grad{k}"]
            g = np.zeros_like(theirs) if g is None else g
            np.testing.assert_allclose(g, theirs, rtol=max(rtol, 1e-3), atol=max(atol, 1e-4),
                                       err_msg=f"{case_id} grad{k}")
