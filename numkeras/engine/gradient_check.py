"""Numerical gradient checks for tests: tape gradients vs central differences.

`check_gradients` is the one tool every op and layer test uses to prove its
backward pass: it runs `fn` in float64 under a `GradientTape`, reduces the
output with a fixed random cotangent `w` (so every output element matters,
with a different weight), and compares the tape's gradients with
`(f(x + eps) - f(x - eps)) / (2 * eps)` element by element.

`check_float32` is its companion for the "no float64 leaks" rule: float32 in,
float32 values and float32 gradients out.

Example:
    >>> import numpy as np
    >>> from numkeras import ops
    >>> from numkeras.engine.gradient_check import check_gradients
    >>> x, y = np.random.rand(3, 4), np.random.rand(4)
    >>> grads = check_gradients(lambda a, b: ops.exp(a) * b, x, y)
    >>> [g.shape for g in grads]
    [(3, 4), (4,)]
"""
import numpy as np

from numkeras.engine.tape import GradientTape
from numkeras.engine.tensor import Tensor
from numkeras.engine.variable import Variable


def _objective(out, w):
    from numkeras.engine import math_ops, reduction_ops
    return reduction_ops.sum(math_ops.multiply(out, w))


def check_gradients(fn, *inputs, eps=1e-6, rtol=1e-5, atol=1e-7, variables=(), seed=0):
    """Asserts that the tape's gradients of `fn` match central finite differences.

    Args:
        fn: a function of `len(inputs)` tensors returning a Tensor.
        *inputs: array-likes; each becomes a float64 `Variable` and is checked.
        eps: the finite-difference step. Defaults to 1e-6.
        rtol: relative tolerance of the comparison. Defaults to 1e-5.
        atol: absolute tolerance of the comparison. Defaults to 1e-7.
        variables: extra float64 `Variable`s that `fn` reads itself (a layer's
            weights, say); they are perturbed in place and checked too.
        seed: seed of the random cotangent `w`. Defaults to 0.

    Returns:
        The tape's gradients as NumPy arrays, inputs first, then `variables`
        (zeros where the tape returned None).

    Raises:
        AssertionError: naming the first argument whose gradients differ.
    """
    for v in variables:
        if v.dtype != "float64":
            raise ValueError(f"check_gradients needs float64 variables (float32 differences are noise). "
                             f"Received: {v.path!r} with dtype={v.dtype}. Create it with dtype='float64'.")
    args = [Variable(x, dtype="float64", name=f"input_{i}") for i, x in enumerate(inputs)]
    params = list(args) + list(variables)
    with GradientTape() as tape:
        out = fn(*args)
        if not isinstance(out, Tensor):
            raise TypeError(f"check_gradients: fn must return a Tensor. Received: {type(out).__name__}.")
        w = np.random.default_rng(seed).standard_normal(out.shape)
        loss = _objective(out, w)
    grads = tape.gradient(loss, params)

    def f():
        return float(np.sum(np.asarray(fn(*args)) * w))

    analytic = []
    for i, (p, g) in enumerate(zip(params, grads)):
        name = f"input {i}" if i < len(args) else f"variable {p.path!r}"
        g = np.zeros(p.shape) if g is None else g.numpy()
        assert g.shape == p.shape, f"gradient of {name} has shape {g.shape}, expected {p.shape}"
        assert g.dtype == np.float64, f"gradient of {name} has dtype {g.dtype}, expected float64"
        numeric = np.zeros(p.shape)
        data = p.data  # perturbed in place by index: a reshaped view would be a copy for non-C-ordered data
        for j in np.ndindex(data.shape):
            orig = data[j]
            data[j] = orig + eps
            up = f()
            data[j] = orig - eps
            down = f()
            data[j] = orig
            numeric[j] = (up - down) / (2 * eps)
        np.testing.assert_allclose(g, numeric, rtol=rtol, atol=atol,
                                   err_msg=f"tape vs finite-difference gradient of {name}")
        analytic.append(g)
    return analytic


def check_float32(fn, *inputs):
    """Asserts that float32 inputs give a float32 output and float32 gradients.

    Args:
        fn: a function of `len(inputs)` tensors returning a Tensor.
        *inputs: array-likes; each becomes a float32 `Variable`.

    Returns:
        The output Tensor.
    """
    args = [Variable(x, dtype="float32", name=f"input_{i}") for i, x in enumerate(inputs)]
    with GradientTape() as tape:
        out = fn(*args)
        loss = _objective(out, np.ones(out.shape, "float32"))
    assert out.dtype == "float32", f"output dtype {out.dtype}, expected float32"
    assert loss.dtype == "float32", f"loss dtype {loss.dtype}, expected float32"
    for i, g in enumerate(tape.gradient(loss, args)):
        if g is not None:
            assert g.dtype == "float32", f"gradient of input {i} has dtype {g.dtype}, expected float32"
    return out
