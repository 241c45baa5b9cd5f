"""The scatter-add behind Embedding's gradient as one compiled loop (numba, when installed).

`gather_ops.scatter_add_rows` sums each gradient row into the table row its id names. Its NumPy path runs
`np.bincount` once per column: each pass reads one column of the updates (a strided walk over all of them)
and writes one column of the result. Here one loop walks the updates once, row after row, adding each into
a float64 table in the order of the ids, as bincount does column by column, so the sums are the same
float operations in the same order and the result is bit for bit the NumPy path's
(`gather_kernels_test.py`). The entry point returns the summed table, or None when it declines (see
`numkeras.backend.compiled_kernels`).

Example:
    >>> import numpy as np
    >>> out = scatter_add_rows(np.array([1, 1]), np.ones((2, 2), "float32"), 3)
    >>> out is None or out.tolist() == [[0.0, 0.0], [2.0, 2.0], [0.0, 0.0]]
    True
"""
import numpy as np  # compiled loops run on CPU arrays only; with another array module these decline

from numkeras.backend import compiled_kernels


def scatter_add_rows(ids, updates, rows):
    """A `(rows, columns)` array of `updates`' dtype whose row r is the float64 sum of every `updates[k]`
    with `ids[k] == r`; or None to leave it to NumPy. `ids` are 1-D integers in `[0, rows)`, `updates` 2-D."""
    if updates.ndim != 2 or ids.ndim != 1 or ids.dtype.kind not in "iu" or not compiled_kernels.takes(updates) \
            or not ids.flags.c_contiguous or type(ids) is not np.ndarray:
        return None
    kernel = compiled_kernels.compiled(_define, "scatter_add_rows")
    if kernel is None:
        return None
    sums = np.zeros((rows, updates.shape[1]), np.float64)
    kernel(ids, updates, sums)
    return sums if updates.dtype == np.float64 else sums.astype(updates.dtype)


def _define(jit):
    @jit
    def scatter_add_rows(ids, updates, sums):
        n, columns = updates.shape
        for k in range(n):
            row = sums[ids[k]]
            for j in range(columns):
                row[j] += updates[k, j]
    return {"scatter_add_rows": scatter_add_rows}
