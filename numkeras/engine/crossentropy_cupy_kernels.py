"""The fused sparse softmax-crossentropy on the GPU: a CuPy RawKernel, one thread block per row.

`crossentropy_ops.sparse_softmax_cross_entropy_with_logits` (the NumPy reference) makes five array
passes (max, shift, exp, sum, pick) and, for the gradient, two more; on a GPU each is a launch. This
kernel does a row in one launch: the row's maximum, the sum of exp(z - max), the loss
`log(sum) - (z[label] - max)`, and the gradient `softmax(z) - one_hot(label)` kept for the backward
pass, for logits laid out `(rows, classes)` with the classes contiguous. Imported only when the
backend is 'cupy'. Not yet called by `crossentropy_ops` (issue 18: wired and timed on the GPU run).

Example:
    >>> "atomic" in SPARSE_SOFTMAX_CE_SOURCE
    False
"""
SPARSE_SOFTMAX_CE_SOURCE = r"""
extern "C" __global__ void sparse_softmax_ce(const T* z, const long long* labels, T* loss, T* grad,
                                             int classes) {
    extern __shared__ unsigned char shared_bytes[];
    T* shared = reinterpret_cast<T*>(shared_bytes);
    int row = blockIdx.x;
    const T* zr = z + (long long)row * classes;
    T* gr = grad + (long long)row * classes;
    T best = -INFINITY;
    for (int k = threadIdx.x; k < classes; k += blockDim.x) best = max(best, zr[k]);
    shared[threadIdx.x] = best;
    __syncthreads();
    for (int s = blockDim.x / 2; s > 0; s >>= 1) {
        if (threadIdx.x < s) shared[threadIdx.x] = max(shared[threadIdx.x], shared[threadIdx.x + s]);
        __syncthreads();
    }
    best = shared[0];
    __syncthreads();
    T total = 0;
    for (int k = threadIdx.x; k < classes; k += blockDim.x) {
        T e = exp(zr[k] - best);
        gr[k] = e;
        total += e;
    }
    shared[threadIdx.x] = total;
    __syncthreads();
    for (int s = blockDim.x / 2; s > 0; s >>= 1) {
        if (threadIdx.x < s) shared[threadIdx.x] += shared[threadIdx.x + s];
        __syncthreads();
    }
    total = shared[0];
    long long label = labels[row];
    for (int k = threadIdx.x; k < classes; k += blockDim.x) gr[k] = gr[k] / total - (k == label ? (T)1 : (T)0);
    if (threadIdx.x == 0) loss[row] = log(total) - (zr[label] - best);
}
"""
_kernels = {}


def _kernel(dtype):
    if dtype not in _kernels:
        import cupy
        ctype = {"float32": "float", "float64": "double"}[dtype.name]
        source = SPARSE_SOFTMAX_CE_SOURCE.replace(" T", " " + ctype).replace("(T)", f"({ctype})").replace(
            "<T*>", f"<{ctype}*>").replace("const T*", f"const {ctype}*")
        _kernels[dtype] = cupy.RawKernel(source, "sparse_softmax_ce")
    return _kernels[dtype]


def sparse_softmax_cross_entropy(labels, logits):
    """(per-row loss, gradient of the summed loss) for `(rows, classes)` logits; None to decline."""
    import cupy
    if logits.ndim != 2 or logits.dtype.name not in ("float32", "float64"):
        return None
    logits = cupy.ascontiguousarray(logits)
    labels = cupy.ascontiguousarray(labels.reshape(-1), dtype=cupy.int64)
    rows, classes = logits.shape
    loss = cupy.empty(rows, logits.dtype)
    grad = cupy.empty_like(logits)
    if rows:
        threads = 128
        _kernel(logits.dtype)((rows,), (threads,), (logits, labels, loss, grad, cupy.int32(classes)),
                              shared_mem=threads * logits.dtype.itemsize)
    return loss, grad
