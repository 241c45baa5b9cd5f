"""The Keras side of the ops parity tests: `run_op` calls one `keras.ops` function on decoded arguments.

An argument is {"a": key} (an array of the request), {"l": [arguments]} (a list, e.g. concatenate's
tensors), {"t": [arguments]} (a tuple) or {"v": value} (a JSON value: int, float, str, None, nested
lists). Each output (a tuple or list gives several) is stored as out0, out1, ... Runs under the Keras
interpreter only; keras_reference.py imports `run_op` from here so the runner finds it.
"""
import numpy as np


def decode(case, item):
    """The Python value an encoded argument stands for (`case.array` looks up arrays)."""
    if "a" in item:
        return case.array(item["a"])
    if "l" in item:
        return [decode(case, i) for i in item["l"]]
    if "t" in item:
        return tuple(decode(case, i) for i in item["t"])
    return item["v"]


def run_op(case):
    """`keras.ops.<module>.<op>(*args, **kwargs)`; its outputs as out0, out1, ..."""
    import keras
    fn = getattr(keras.ops, case["op"])
    args = [decode(case, a) for a in case["args"]]
    kwargs = {k: decode(case, v) for k, v in case["kwargs"].items()}
    out = fn(*args, **kwargs)
    outs = out if isinstance(out, (list, tuple)) else [out]
    for i, o in enumerate(outs):
        case.put(f"out{i}", np.asarray(keras.ops.convert_to_numpy(o)))


def cotangent(shape):
    """The fixed weights both sides multiply an op's output by before summing: cos(0), cos(1), ..."""
    return np.cos(np.arange(int(np.prod(shape)))).reshape(shape).astype("float32")


def run_op_gradient(case):
    """The gradient of sum(op(*args)[output] * cotangent) with respect to the args at positions `wrt` (JAX)."""
    import jax
    import jax.numpy as jnp
    import keras
    fn = getattr(keras.ops, case["op"])
    args = [decode(case, a) for a in case["args"]]
    kwargs = {k: decode(case, v) for k, v in case["kwargs"].items()}
    wrt = case["wrt"]

    def objective(*chosen):
        full = list(args)
        for i, value in zip(wrt, chosen):
            full[i] = value
        out = fn(*full, **kwargs)
        if case.get("output") is not None:
            out = out[case["output"]]
        return jnp.sum(out * cotangent(out.shape))
    grads = jax.grad(objective, argnums=tuple(range(len(wrt))))(*[jnp.asarray(args[i]) for i in wrt])
    for k, g in enumerate(grads):
        case.put(f"out{k}", np.asarray(g))
