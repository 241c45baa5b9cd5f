"""The row passes of attention's softmax, forward and backward, as compiled loops (numba, when installed).

`attention_ops.attention` normalizes each chunk's (c, heads, T, S) scores row by row: NumPy takes four
passes around its `exp` (the row maximum, the shift, the row sum, the division) and two more for the
backward's `(dp - sum(dp * p)) * p` plus a temporary. Each function here does its rows in one loop:

- `shift_rows`: `x -= max(x)` along the last axis (NaN anywhere in a row makes the row NaN, as NumPy's
  maximum does);
- `normalize_rows`: `e /= sum(e)`;
- `softmax_gradient_rows`: `dp = (dp - sum(dp * p)) * p`, in place.

Each row sum is NumPy's own pairwise summation (blocks of up to 128 summed in 8 interleaved
partial sums, longer rows split in two at a multiple of 8), so the loops do the same float operations
in the same order as the NumPy code in `attention_ops`, which stays the reference and the path
without numba: `attention_kernels_test.py` checks both give the same numbers bit for bit (one
exception, harmless: where a row's largest value is a zero of both signs, the shifted row's zeros may
carry the other sign, which `exp` maps to 1 alike; NumPy's own choice there depends on positions). `exp`
stays NumPy's. Each entry point returns its array when it ran, None when it declines (see
`numkeras.backend.compiled_kernels`).

Every loop runs on vector registers (AVX-512 or AVX2 where the CPU has them): the row maximum is an
integer maximum of order keys of the floats' bits (see `shift_kernel`), which LLVM vectorizes where a
float maximum with NumPy's NaN rule stays scalar; the eight partial sums of NumPy's pairwise leaf are one
8-wide vector written as LLVM IR (`_lanes_intrinsic`: numba leaves LLVM's SLP vectorizer off, so eight
scalar sums written out stay scalar), with the same additions in the same order; the divisions and the
gradient's update vectorize as they are. On 64 chunks of (4, 200, 200) float32, one thread, each kernel
takes 1.5-2.5 ms where the scalar loops took 6-7 ms (`benchmarks/attention_softmax.py`).

Example:
    >>> import numpy as np
    >>> x = np.array([[1.0, 3.0, 2.0]], "float32")
    >>> out = shift_rows(x)
    >>> out is None or x.tolist() == [[-2.0, 0.0, -1.0]]
    True
"""
import numpy as np  # compiled loops run on CPU arrays only; with another array module these decline

from numkeras.backend import compiled_kernels


def shift_rows(x):
    """`x -= x.max(axis=-1, keepdims=True)` in place: returns x, or None to leave it to NumPy."""
    return _run("shift_rows", x)


def normalize_rows(e):
    """`e /= e.sum(axis=-1, keepdims=True)` in place: returns e, or None to leave it to NumPy."""
    return _run("normalize_rows", e)


def softmax_gradient_rows(dp, p):
    """`dp = (dp - (dp * p).sum(axis=-1, keepdims=True)) * p` in place: returns dp, or None for NumPy."""
    if dp.shape != p.shape or dp.dtype != p.dtype:
        return None
    return _run("softmax_gradient_rows", dp, p)


def _run(name, x, *others):
    if x.ndim == 0 or x.shape[-1] == 0 or not compiled_kernels.takes(x, *others):
        return None
    kernels = compiled_kernels.kernels(_define)
    if kernels is None:
        return None
    rows = x.reshape(-1, x.shape[-1])
    if name == "shift_rows":
        name = _SHIFT_KERNELS.get(x.dtype)  # one per float width (float16: NumPy's path)
        if name is None:
            return None
    kernels[name](rows, *(o.reshape(rows.shape) for o in others))
    return x


_SHIFT_KERNELS = {np.dtype("float32"): "shift_rows_float32", np.dtype("float64"): "shift_rows_float64"}


def _lanes_intrinsic(products):
    """A numba intrinsic: the eight running sums of NumPy's pairwise leaf as one 8-wide vector.

    `lanes(a, r, lo, blocks)` (or `lanes(g, y, r, lo, blocks)` for the products g * y), on C-contiguous
    (rows, n) arrays, loads a[r, lo:lo + 8] as the sums' start, adds each following block of eight of row r
    (`blocks` in all) lane by lane, and returns ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7)): the float
    operations of NumPy's leaf, in its order, on vector registers. (numba leaves LLVM's SLP vectorizer off,
    so eight scalar sums written out in Python stay scalar; this writes the vector IR itself.) The caller
    keeps lo + 8 * blocks <= n.
    """
    from llvmlite import ir
    from numba.core import cgutils

    lanes = 8

    def lower(dtype, arity):
        def codegen(context, builder, signature, args):
            arrays = [context.make_array(signature.args[i])(context, builder, args[i]) for i in range(arity)]
            r, lo, blocks = args[arity], args[arity + 1], args[arity + 2]
            n = cgutils.unpack_tuple(builder, arrays[0].shape)[1]
            row_start = builder.add(builder.mul(r, n), lo)
            vector = ir.VectorType(context.get_value_type(dtype), lanes)

            def block(index):
                start = builder.add(row_start, builder.mul(index, ir.Constant(index.type, lanes)))
                loads = [builder.load(builder.bitcast(builder.gep(a.data, [start]), vector.as_pointer()),
                                      align=dtype.bitwidth // 8) for a in arrays]
                return builder.fmul(loads[0], loads[1]) if products else loads[0]
            one = ir.Constant(lo.type, 1)
            sums = cgutils.alloca_once_value(builder, block(ir.Constant(lo.type, 0)))
            with cgutils.for_range_slice(builder, one, blocks, one) as (index, _):
                builder.store(builder.fadd(builder.load(sums), block(index)), sums)
            total = builder.load(sums)
            s = [builder.extract_element(total, ir.Constant(ir.IntType(32), k)) for k in range(lanes)]
            return builder.fadd(builder.fadd(builder.fadd(s[0], s[1]), builder.fadd(s[2], s[3])),
                                builder.fadd(builder.fadd(s[4], s[5]), builder.fadd(s[6], s[7])))
        return codegen

    if products:
        def lanes_dot(typingctx, g, y, r, lo, blocks):
            return g.dtype(g, y, r, lo, blocks), lower(g.dtype, 2)
        return lanes_dot

    def lanes_sum(typingctx, a, r, lo, blocks):
        return a.dtype(a, r, lo, blocks), lower(a.dtype, 1)
    return lanes_sum


def _define(jit):
    import numba
    from numba.extending import intrinsic

    lanes_sum, lanes_dot = intrinsic(_lanes_intrinsic(False)), intrinsic(_lanes_intrinsic(True))
    # The row helpers take the (rows, n) array and a row number, never a row view, and are inlined into the
    # kernels in numba's own IR: a compiled call per row, or a view passed down, costs the call and the view's
    # reference counting (atomic), as much as the vector sum itself.
    inline = numba.njit(inline="always", nogil=True, error_model="numpy")

    @inline
    def leaf_sum(a, r, lo, n):
        """NumPy's pairwise sum of a[r, lo:lo + n], 8 <= n <= 128: eight running sums over blocks of eight,
        then the rest one by one."""
        res = lanes_sum(a, r, lo, n // 8)
        for i in range(lo + n - n % 8, lo + n):
            res += a[r, i]
        return res

    @inline
    def leaf_dot(g, y, r, lo, n):
        """`leaf_sum` of the products g * y (each rounded to the dtype, then added: no fused multiply-add)."""
        res = lanes_dot(g, y, r, lo, n // 8)
        for i in range(lo + n - n % 8, lo + n):
            res += g[r, i] * y[r, i]
        return res

    @inline
    def short_sum(a, r, n):
        """NumPy's sum of a[r, :n], n < 8, one by one from +0.0 (0.0 + a[r, 0] is a[r, 0], -0.0 made +0.0)."""
        res = a[r, 0]
        if res == 0:
            res = res * res
        for i in range(1, n):
            res += a[r, i]
        return res

    @inline
    def short_dot(g, y, r, n):
        res = g[r, 0] * y[r, 0]
        if res == 0:
            res = res * res
        for i in range(1, n):
            res += g[r, i] * y[r, i]
        return res

    @jit
    def pairwise_sum(a, r, lo, n):
        """NumPy's pairwise sum of a[r, lo:lo + n] (numpy/_core/src/umath/loops_utils.h.src), n >= 8: halves
        (split at a multiple of 8) until a part has at most 128 entries."""
        if n <= 128:
            return leaf_sum(a, r, lo, n)
        half = n // 2
        half -= half % 8
        return pairwise_sum(a, r, lo, half) + pairwise_sum(a, r, lo + half, n - half)

    @jit
    def pairwise_dot(g, y, r, lo, n):
        """`pairwise_sum` of the products g[r, i] * y[r, i], without writing them out."""
        if n <= 128:
            return leaf_dot(g, y, r, lo, n)
        half = n // 2
        half -= half % 8
        return pairwise_dot(g, y, r, lo, half) + pairwise_dot(g, y, r, lo + half, n - half)

    # The row sums, without recursion down to parts of 128: rows up to 256 never call out.
    @inline
    def half_sum(a, r, lo, n):
        return leaf_sum(a, r, lo, n) if n <= 128 else pairwise_sum(a, r, lo, n)

    @inline
    def half_dot(g, y, r, lo, n):
        return leaf_dot(g, y, r, lo, n) if n <= 128 else pairwise_dot(g, y, r, lo, n)

    @inline
    def row_sum(a, r, n):
        if n < 8:
            return short_sum(a, r, n)
        if n <= 128:
            return leaf_sum(a, r, 0, n)
        half = n // 2
        half -= half % 8
        return half_sum(a, r, 0, half) + half_sum(a, r, half, n - half)

    @inline
    def row_dot(g, y, r, n):
        if n < 8:
            return short_dot(g, y, r, n)
        if n <= 128:
            return leaf_dot(g, y, r, 0, n)
        half = n // 2
        half -= half % 8
        return half_dot(g, y, r, 0, half) + half_dot(g, y, r, half, n - half)

    def shift_kernel(float_type, key_type, shift, mask, top_key, bottom_key):
        """`shift_rows` for one float width: `key_type` the same-width integer, `shift` its sign shift, `mask`
        the magnitude bits, `top_key` and `bottom_key` the order keys of +inf and -inf.

        `key = bits ^ ((bits >> shift) & mask)` orders the floats as signed integers (-0.0 just below +0.0,
        NaNs of either sign outside [-inf, +inf]), so the row maximum is an integer maximum, which vectorizes
        where a float one with NumPy's NaN rule does not, and a NaN shows as a key outside those of
        -inf..+inf: then the maximum is NaN, as NumPy's, and so is the whole row. (Where the largest value is
        a zero of both signs, the maximum is +0.0, where NumPy's own reduction takes one or the other by
        position; the shifted row then differs only in the sign of its zeros, which `exp` maps to 1 alike.)
        """
        @jit
        def shift_rows(x):
            bits = x.view(key_type)
            cell_bits = np.empty(1, key_type)
            cell = cell_bits.view(float_type)
            rows, n = x.shape
            for r in range(rows):
                high = key_type(bits[r, 0] ^ ((bits[r, 0] >> shift) & mask))
                low = high
                for j in range(n):
                    key = key_type(bits[r, j] ^ ((bits[r, j] >> shift) & mask))
                    high = max(high, key)
                    low = min(low, key)
                if high > top_key or low < bottom_key:
                    cell[0] = np.nan
                else:
                    cell_bits[0] = key_type(high ^ ((high >> shift) & mask))
                top = cell[0]
                for j in range(n):
                    x[r, j] -= top
        return shift_rows

    @jit
    def normalize_rows(e):
        rows, n = e.shape
        for r in range(rows):
            total = row_sum(e, r, n)
            for j in range(n):
                e[r, j] /= total

    @jit
    def softmax_gradient_rows(dp, p):
        rows, n = dp.shape
        for r in range(rows):
            dot = row_dot(dp, p, r, n)
            for j in range(n):
                dp[r, j] = (dp[r, j] - dot) * p[r, j]
    return {"shift_rows_float32": shift_kernel(np.float32, np.int32, 31, 0x7FFFFFFF, 0x7F800000, -0x7F800001),
            "shift_rows_float64": shift_kernel(np.float64, np.int64, 63, 0x7FFFFFFFFFFFFFFF, 0x7FF0000000000000,
                                               -0x7FF0000000000001),
            "normalize_rows": normalize_rows, "softmax_gradient_rows": softmax_gradient_rows}
