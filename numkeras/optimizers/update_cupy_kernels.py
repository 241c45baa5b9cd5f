"""Single-pass optimizer updates on the GPU: CuPy ElementwiseKernels (the numba family's CuPy twin).

On CuPy, each NumPy-level ufunc of an update is a kernel launch and a pass over GPU memory; these
kernels do RMSprop's and Adam's updates in one launch, with the same float operations in the same
order as `update_kernels.py` (and so as the optimizers' NumPy code, which stays the reference). This
module is imported only when the backend is 'cupy' (`update_kernels._run` hands device arrays here);
CuPy compiles each kernel on first use. Each entry point returns the variable, or None to decline.

Example:
    >>> "sqrt(vi) + epsilon" in ADAM_BODY
    True
"""
RMSPROP_BODY = """
    T g2 = g * g;
    if (g2 > big) g2 = big;  // saturating_square: inf becomes the largest finite value
    T vi = v * rho + g2 * one_minus_rho;
    v = vi;
    w -= g / sqrt(vi + epsilon) * lr;
"""
ADAM_BODY = """
    T mi = m + (g - m) * one_minus_b1;
    m = mi;
    T g2 = g * g;
    if (g2 > big) g2 = big;
    T vi = v + (g2 - v) * one_minus_b2;
    v = vi;
    w -= mi / (sqrt(vi) + epsilon) * alpha;
"""
_SIGNATURES = {
    "rmsprop": ("T g, T rho, T one_minus_rho, T epsilon, T lr, T big", "T w, T v", RMSPROP_BODY),
    "adam": ("T g, T one_minus_b1, T one_minus_b2, T epsilon, T alpha, T big", "T w, T m, T v", ADAM_BODY),
}
_kernels = {}


def _kernel(name):
    if name not in _kernels:
        import cupy
        inputs, outputs, body = _SIGNATURES[name]
        _kernels[name] = cupy.ElementwiseKernel(inputs, outputs, body, f"numkeras_{name}")
    return _kernels[name]


def _largest(dtype):
    import cupy  # the dtype's finite maximum, a host scalar handed to the kernel
    return dtype.type(cupy.finfo(dtype).max)


def rmsprop(variable, gradient, velocity, rho, one_minus_rho, epsilon, lr):
    """RMSprop's plain update in one launch, in place; None when the arrays do not match."""
    if not _same(variable, gradient, velocity):
        return None
    _kernel("rmsprop")(gradient, rho, one_minus_rho, epsilon, lr, _largest(variable.dtype), variable, velocity)
    return variable


def adam(variable, gradient, momentum, velocity, one_minus_b1, one_minus_b2, epsilon, alpha):
    """Adam's update (without amsgrad) in one launch, in place; None when the arrays do not match."""
    if not _same(variable, gradient, momentum, velocity):
        return None
    _kernel("adam")(gradient, one_minus_b1, one_minus_b2, epsilon, alpha, _largest(variable.dtype), variable,
                    momentum, velocity)
    return variable


def _same(first, *others):
    return first.dtype.kind == "f" and first.flags.c_contiguous and all(
        getattr(o, "dtype", None) == first.dtype and o.shape == first.shape and o.flags.c_contiguous for o in others)
