"""Single-pass optimizer updates, compiled with numba when it is installed (see numkeras.backend.compiled_kernels).

NumPy runs an update such as RMSprop's as nine passes over the variable, one ufunc call each, on one
core. For a large variable (the seed model's 784x512 kernel) that is a quarter of a training step. The
same formula written as one loop over the elements, compiled by numba, reads and writes each element
once: about 3x faster (0.56 ms -> 0.18 ms for the 401,408 float32 elements of that kernel on a 2-core
Xeon), and 0.2 s off each epoch of the seed program.

The loops below do the same float operations in the same order as the NumPy path of each optimizer,
which stays the reference (and the only path without numba, or with `NUMKERAS_FUSED=0`): the tests
check that both give identical weights.

Each entry point returns the variable it updated, or None when it declines (see
`numkeras.backend.compiled_kernels`); the optimizer then runs its NumPy code.

Example:
    >>> import numpy as np
    >>> w = np.ones(4, "float32")
    >>> v = np.zeros(4, "float64")  # mixed dtypes: declined, numba or not
    >>> rmsprop(w, w.copy(), v, np.float32(0.9), np.float32(0.1), np.float32(1e-7), np.float32(0.1)) is None
    True
"""
import numpy as np  # numba compiles for CPU arrays only: with another array module, kernel() says None

from numkeras.backend import compiled_kernels


def rmsprop(variable, gradient, velocity, rho, one_minus_rho, epsilon, lr):
    """RMSprop's plain update (no momentum, not centered) in one pass, in place: returns `variable`, or
    None to leave it to `RMSprop.update_step`'s NumPy code."""
    return _run("rmsprop", variable, gradient, velocity, rho, one_minus_rho, epsilon, lr)


def adam(variable, gradient, momentum, velocity, one_minus_b1, one_minus_b2, epsilon, alpha):
    """Adam's update (without amsgrad) in one pass, in place: returns `variable`, or None to leave it to
    `Adam.update_step`'s NumPy code."""
    return _run("adam", variable, gradient, momentum, velocity, one_minus_b1, one_minus_b2, epsilon, alpha)


def _run(name, variable, gradient, *rest):
    """Runs kernel `name` where it is safe: one float dtype for every array, all C-contiguous (so flat
    views share their memory). It pays at every size: a call costs about 3 us where NumPy's passes
    over a 64-element bias take 7 (and 9 against 23 us for 18,432 elements)."""
    if type(variable) is not np.ndarray:  # a device array: CuPy's kernels, or the optimizer's xp code
        return _on_device(name, variable, gradient, *rest)
    arrays = (variable, gradient) + tuple(a for a in rest if isinstance(a, np.ndarray))
    if variable.dtype not in _LARGEST or not compiled_kernels.takes(*arrays):
        return None
    for a in arrays:
        if a.dtype != variable.dtype or a.shape != variable.shape:
            return None
    kernel = compiled_kernels.compiled(_define, name)
    if kernel is None:
        return None
    flat = [a.reshape(-1) if isinstance(a, np.ndarray) else a for a in (variable, gradient) + rest]
    kernel(*flat, _LARGEST[variable.dtype])  # the last argument: where squares saturate
    return variable


def _on_device(name, *args):
    from numkeras.backend import array_module
    if array_module.backend_name() != "cupy" or not compiled_kernels.is_enabled_on_device():
        return None
    from numkeras.optimizers import update_cupy_kernels
    return getattr(update_cupy_kernels, name)(*args)


# Where each dtype's squares saturate (the last argument of every kernel).
_LARGEST = {np.dtype(t): t(np.finfo(t).max) for t in (np.float32, np.float64)}


def _define(jit):
    @jit
    def rmsprop(w, g, v, rho, one_minus_rho, epsilon, lr, big):
        """v = rho * v + (1 - rho) * g**2;  w -= lr * g / sqrt(v + epsilon)  (RMSprop.update_step)."""
        for i in range(w.size):
            g2 = g[i] * g[i]
            if g2 > big:  # saturating_square: inf becomes the largest finite value
                g2 = big
            vi = v[i] * rho + g2 * one_minus_rho
            v[i] = vi
            w[i] -= g[i] / np.sqrt(vi + epsilon) * lr

    @jit
    def adam(w, g, m, v, one_minus_b1, one_minus_b2, epsilon, alpha, big):
        """m += (g - m)(1 - b1);  v += (g**2 - v)(1 - b2);  w -= alpha * m / (sqrt(v) + epsilon)  (Adam)."""
        for i in range(w.size):
            mi = m[i] + (g[i] - m[i]) * one_minus_b1
            m[i] = mi
            g2 = g[i] * g[i]
            if g2 > big:
                g2 = big
            vi = v[i] + (g2 - v[i]) * one_minus_b2
            v[i] = vi
            w[i] -= mi / (np.sqrt(vi) + epsilon) * alpha

    return {"rmsprop": rmsprop, "adam": adam}
