"""The ops cases' shared half: one call per case, written against a library's `ops`, and the Keras runner.

A case is `{"op": name, "inputs": [array keys], "kwargs": {...}, "grad": bool}`. `call(ops, op, inputs,
kwargs)` runs `ops.<op>(*inputs, **kwargs)`, or, when `op` names one of `PROGRAMS`, that program: a
small function of `ops` and the inputs (control flow with Python callables, custom gradients) that
both libraries run as written. The result is flattened into out0, out1, ...; with "grad", the
gradient of `sum(out_i * cotangent(out_i.shape))` over all outputs with respect to each float
input comes back as grad0, grad1, ... (JAX's `jax.grad` on the Keras side, a GradientTape in the
test).

Run as a script (`python ops_nn_reference.py REQUEST_DIR`) under the Keras interpreter, it adds the
"ops" kind to keras_reference.py's runners and hands the request to its `main`; it imports nothing
from numkeras.
"""
import sys

import numpy as np


def cotangent(shape):
    """A fixed, uneven weight for each output element (the same on both sides)."""
    size = int(np.prod(shape))
    return (np.linspace(-1.0, 1.5, size) + 0.1 * np.cos(np.arange(size))).reshape(shape)


# -- programs: (ops, *inputs) -> result --------------------------------------------------------------
def _cond(ops, x):
    return ops.cond(ops.sum(x) > 0, lambda: x * x, lambda: -x), ops.cond(ops.sum(x) < -100, lambda: x, lambda: x * 3)


def _switch(ops, x, y):
    branches = [lambda a, b: a + b, lambda a, b: a * b, lambda a, b: a - b]
    return ops.switch(1, branches, x, y), ops.switch(7, branches, x, y), ops.switch(-2, branches, x, y)


def _while_loop(ops, x):
    return ops.while_loop(lambda i, v: i < 4, lambda i, v: (i + 1, v * 0.5 + 1.0), (0, x))[1]


def _while_loop_max(ops, x):
    return ops.while_loop(lambda v: ops.sum(v) < 1e6, lambda v: v * 2.0, x, maximum_iterations=3)


def _fori_loop(ops, x):
    return ops.fori_loop(0, 4, lambda i, v: ops.tanh(v) * 1.5 + v * 0.1, x)


def _scan(ops, h, xs):
    def step(c, x):
        c = ops.tanh(c * x + 0.5)
        return c, c * 2.0
    return ops.scan(step, h, xs)


def _scan_reverse(ops, h, xs):
    return ops.scan(lambda c, x: (c + x, c * x), h, xs, reverse=True)


def _scan_structures(ops, h, xs):
    def step(carry, x):
        a, b = carry
        return (a + x["u"], b * x["v"]), {"s": a * b}
    return ops.scan(step, (h, h * 0.5), {"u": xs, "v": xs * 0.3 + 1.0})


def _associative_scan_add(ops, x):
    return ops.associative_scan(lambda a, b: a + b, x, axis=1)


def _associative_scan_mul_reverse(ops, x):
    return ops.associative_scan(lambda a, b: a * b, x, reverse=True)


def _associative_scan_recurrence(ops, a, b):
    return ops.associative_scan(lambda p, q: (p[0] * q[0], q[0] * p[1] + q[1]), (a, b))


def _map(ops, x):
    return ops.map(lambda row: ops.sum(row * row) + row[0], x)


def _vectorized_map(ops, x, y):
    return ops.vectorized_map(lambda pair: pair[0] * pair[1] + 1.0, (x, y))


def _unstack(ops, x):
    return tuple(ops.unstack(x, axis=1))


def _custom_gradient(ops, x):
    @ops.custom_gradient
    def log1pexp(v):
        e = ops.exp(v)

        def grad(*args, upstream=None):
            if upstream is None:
                (upstream,) = args
            return upstream * 0.5 * e  # deliberately not the true gradient
        return ops.log1p(e), grad
    return log1pexp(x)


def _dtype_is_tensor(ops, x):
    return np.array([ops.dtype(ops.convert_to_tensor(x)) == "float32", ops.is_tensor(ops.convert_to_tensor(x)),
                     ops.is_tensor([1.0])])


def _moments_keepdims(ops, x):
    return ops.moments(x, axes=[0, 2], keepdims=True)


def _moments_flat(ops, x):
    return ops.moments(x, axes=[1])


PROGRAMS = {name[1:]: fn for name, fn in list(globals().items()) if name.startswith("_") and callable(fn)
            and name not in ("__getattr__",) and fn.__module__ == __name__}


def call(ops, op, inputs, kwargs):
    """`ops.<op>(*inputs, **kwargs)`, or the program named `op`."""
    if op in PROGRAMS:
        return PROGRAMS[op](ops, *inputs, **kwargs)
    return getattr(ops, op)(*inputs, **kwargs)


def flatten(result):
    """The leaves of a result (tuples, lists and dicts by sorted key), None dropped."""
    if isinstance(result, dict):
        return [leaf for key in sorted(result) for leaf in flatten(result[key])]
    if isinstance(result, (list, tuple)):
        return [leaf for item in result for leaf in flatten(item)]
    return [] if result is None else [result]


# -- the Keras side ----------------------------------------------------------------------------------
def _tuples(value):
    return tuple(_tuples(v) for v in value) if isinstance(value, list) else value


def run_ops(case):
    """One op or program under Keras (JAX): its outputs, their dtypes (meta), and optionally gradients."""
    import jax
    import jax.numpy as jnp
    from keras import ops
    inputs = [case.array(k) for k in case["inputs"]]
    kwargs = {k: _tuples(v) for k, v in case.get("kwargs", {}).items()}  # JSON made the tuples lists
    for name in case.get("array_kwargs", []):
        kwargs[name] = case.array(kwargs[name])
    outs = flatten(call(ops, case["op"], inputs, kwargs))
    for i, out in enumerate(outs):
        case.put(f"out{i}", np.asarray(ops.convert_to_numpy(out)))
    case.meta["dtypes"] = [str(np.asarray(ops.convert_to_numpy(o)).dtype) for o in outs]
    if case.get("grad"):
        wrt = [i for i, x in enumerate(inputs) if x.dtype.kind == "f"]

        def objective(*float_inputs):
            args = list(inputs)
            for i, x in zip(wrt, float_inputs):
                args[i] = x
            leaves = flatten(call(ops, case["op"], args, kwargs))
            return sum(jnp.sum(jnp.asarray(o, "float32") * cotangent(o.shape)) for o in leaves)
        grads = jax.grad(objective, argnums=tuple(range(len(wrt))))(*[jnp.asarray(inputs[i]) for i in wrt])
        for i, g in enumerate(grads):
            case.put(f"grad{i}", np.asarray(g))


if __name__ == "__main__":
    import keras_reference  # the sibling script: its Case, its main loop
    keras_reference.run_ops = run_ops
    keras_reference.main(sys.argv[1])
