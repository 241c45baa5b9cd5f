"""Walking a variable and its optimizer slots in matching cache-sized pieces.

An optimizer's formula takes a handful of NumPy passes over the variable. On a large variable each
pass streams the whole array from memory; in pieces of at most `CHUNK` elements the passes run on
data that stays in the CPU cache. The scratch buffers the formulas need are allocated once per dtype
and reused, so a step allocates no arrays of the weights' size.

Example:
    >>> import numpy as np
    >>> w, g = np.ones(5, "float32"), np.full(5, 2.0, "float32")
    >>> for g_piece, w_piece, tmp in Chunker().chunks(g, w):
    ...     w_piece -= np.multiply(g_piece, 0.5, out=tmp)
    >>> w.tolist()
    [0.0, 0.0, 0.0, 0.0, 0.0]
"""
from numkeras.backend import xp

CHUNK = 1 << 16  # elements per piece: a few arrays of 256 KiB fit in L2 together


class Chunker:
    """Cuts arrays into matching pieces; keeps one scratch buffer per dtype for the pieces' work."""

    def __init__(self):
        self._scratch = {}  # dtype -> a work buffer of `scratch * CHUNK` elements

    def chunks(self, gradient, *arrays, scratch=1):
        """Yields `(gradient, *arrays, *scratches)` in matching flat pieces of at most `CHUNK` elements.

        In-place updates of a piece update the array it came from; each of
        the `scratch` work buffers is shaped like the piece. Small arrays come whole.
        """
        n = gradient.size
        dtype = arrays[0].dtype
        if self._scratch.get(dtype) is None or self._scratch[dtype].size < scratch * CHUNK:
            self._scratch[dtype] = xp.empty(scratch * CHUNK, dtype)
        buffers = [self._scratch[dtype][i * CHUNK:(i + 1) * CHUNK] for i in range(scratch)]
        if n <= CHUNK:
            yield (gradient, *arrays, *(b[:n].reshape(gradient.shape) for b in buffers))
            return
        if not all(a.flags.c_contiguous for a in arrays):  # a piece would be a copy: go whole
            yield (gradient, *arrays, *(xp.empty_like(arrays[0]) for _ in buffers))
            return
        flat = [xp.ravel(gradient)] + [a.reshape(-1) for a in arrays]
        for start in range(0, n, CHUNK):
            pieces = [f[start:start + CHUNK] for f in flat]
            yield (*pieces, *(b[:pieces[0].size] for b in buffers))

    def each_chunk(self, body, gradient, *arrays, scratch=1):
        """Calls `body(gradient, *arrays, *scratches)` on each matching piece from `chunks`.

        (Sharing a large variable between two threads was measured slower inside fit: OpenBLAS's
        threads keep spinning on the other core right after a matmul.)
        """
        n = gradient.size
        if n <= CHUNK:  # the common small variable: one piece, no generator
            buffer = self._scratch.get(arrays[0].dtype)
            if buffer is not None and buffer.size >= scratch * CHUNK:
                body(gradient, *arrays, *(buffer[i * CHUNK:i * CHUNK + n].reshape(gradient.shape)
                                          for i in range(scratch)))
                return
        for pieces in self.chunks(gradient, *arrays, scratch=scratch):
            body(*pieces)
