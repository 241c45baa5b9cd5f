"""The max-pooling gradient on the GPU: a CuPy RawKernel (the numba `pool_kernels.max_grad_2d`'s twin).

NumPy-level code finds each tile's first maximum with several array passes (compare, cumulative
masks, a scatter); on a GPU each is a launch. This kernel gives one thread per (sample, tile, channel):
it walks the tile's cells in row-major order, sends the tile's gradient to the first cell equal to the
maximum and zeros the others, as the NumPy code does (the reference). Cells on the edge no tile covers
are zeroed by the allocation. Imported only when the backend is 'cupy'; None declines.

Example:
    >>> "taken" in MAX_GRAD_2D_SOURCE
    True
"""
MAX_GRAD_2D_SOURCE = r"""
extern "C" __global__ void max_grad_2d(const T* x, const T* out, const T* g, T* grad,
                                       int n, int height, int width, int rows, int cols, int channels,
                                       int k1, int k2) {
    long long t = (long long)blockDim.x * blockIdx.x + threadIdx.x;
    long long total = (long long)n * rows * cols * channels;
    if (t >= total) return;
    int c = t % channels;
    long long tile = t / channels;
    int j = tile % cols;
    int i = (tile / cols) % rows;
    int b = tile / ((long long)cols * rows);
    T best = out[t];
    T gt = g[t];
    bool taken = false;
    for (int p = 0; p < k1; ++p) {
        for (int q = 0; q < k2; ++q) {
            long long at = (((long long)b * height + i * k1 + p) * width + j * k2 + q) * channels + c;
            bool hit = !taken && x[at] == best;
            grad[at] = hit ? gt : (T)0;
            taken = taken || hit;
        }
    }
}
"""
_kernels = {}


def _kernel(dtype):
    if dtype not in _kernels:
        import cupy
        ctype = {"float32": "float", "float64": "double"}[dtype.name]
        _kernels[dtype] = cupy.RawKernel(MAX_GRAD_2D_SOURCE.replace(" T", " " + ctype).replace("(T)", f"({ctype})"),
                                         "max_grad_2d")
    return _kernels[dtype]


def max_grad_2d(x, out, g, pool, data_format="channels_last"):
    """The gradient for `x` of its tiled maxima `out` given their gradient `g`; None to decline."""
    import cupy
    if x.ndim != 4 or x.dtype.name not in ("float32", "float64") or not (out.dtype == g.dtype == x.dtype):
        return None
    last = data_format == "channels_last"
    x, out, g = (cupy.ascontiguousarray(a if last else a.transpose(0, 2, 3, 1)) for a in (x, out, g))
    grad = cupy.zeros(x.shape, x.dtype)
    n, rows, cols, channels = out.shape
    total = n * rows * cols * channels
    if total:
        threads = 256
        _kernel(x.dtype)(((total + threads - 1) // threads,), (threads,),
                         (x, out, g, grad, cupy.int32(n), cupy.int32(x.shape[1]), cupy.int32(x.shape[2]),
                          cupy.int32(rows), cupy.int32(cols), cupy.int32(channels), cupy.int32(pool[0]),
                          cupy.int32(pool[1])))
    return grad if last else grad.transpose(0, 3, 1, 2)
