"""The Keras side of the ops.math / ops.linalg / ops.image parity test: runs ops_math_cases under Keras on JAX.

    python ops_math_reference.py REQUEST_DIR

reads REQUEST_DIR/request.json ({"cases": [case ids]}) and inputs.npz ("<id>/<i>" arrays), runs each
case's function on `keras.ops`, and writes results.npz ("<id>/out<k>", "<id>/grad<k>") and results.json
({id: {"error": traceback or None, "dtypes": [...]}}). A case that raises is reported and the others run.
It imports nothing from numkeras.
"""
import json
import os
import sys
import time
import traceback

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_math_cases import CASES, cotangent  # noqa: E402


def flatten(out):
    if isinstance(out, (list, tuple)):
        return [leaf for item in out for leaf in flatten(item)]
    return [out]


def run_case(case_id, inputs, results):
    import jax
    import keras
    fn, _, grad, _ = CASES[case_id]
    outs = [np.asarray(keras.ops.convert_to_numpy(o)) for o in flatten(fn(keras.ops, *inputs))]
    for k, o in enumerate(outs):
        results[f"{case_id}/out{k}"] = o
    dtypes = [str(o.dtype) for o in outs]
    if grad:
        floats = [i for i, x in enumerate(inputs) if x.dtype.kind == "f"]

        def loss(*xs):
            args = list(inputs)
            for i, x in zip(floats, xs):
                args[i] = x
            total = 0.0
            for o in flatten(fn(keras.ops, *args)):
                if keras.ops.convert_to_tensor(o).dtype in ("float32", "float64"):
                    total = total + keras.ops.sum(o * cotangent(o.shape).astype(o.dtype))
            return total
        grads = jax.grad(loss, argnums=tuple(range(len(floats))))(*[inputs[i] for i in floats])
        for k, g in enumerate(grads):
            results[f"{case_id}/grad{k}"] = np.asarray(g)
    return dtypes


def main(folder):
    with open(os.path.join(folder, "request.json")) as f:
        request = json.load(f)
    with np.load(os.path.join(folder, "inputs.npz")) as f:
        arrays = dict(f)
    import keras
    assert keras.backend.backend() == "jax", f"run with KERAS_BACKEND=jax; got {keras.backend.backend()!r}"
    results, report = {}, {}
    for case_id in request["cases"]:
        inputs = [arrays[f"{case_id}/{i}"] for i in range(len(CASES[case_id][1]))]
        start = time.perf_counter()
        try:
            report[case_id] = {"error": None, "dtypes": run_case(case_id, inputs, results)}
            report[case_id]["seconds"] = round(time.perf_counter() - start, 3)
        except Exception:
            report[case_id] = {"error": traceback.format_exc(), "dtypes": []}
    np.savez(os.path.join(folder, "results.npz"), **results)
    with open(os.path.join(folder, "results.json"), "w") as f:
        json.dump(report, f)


if __name__ == "__main__":
    main(sys.argv[1])
