"""The cases of the ops.math / ops.linalg / ops.image parity test, shared by both sides.

Each case is a small function of a library's `ops` module (`keras.ops` or `numkeras.ops`) and
some input arrays, so both libraries run the very same call. `CASES[id] = (fn, inputs, grad,
tolerance)`: with `grad`, both sides also take the gradient of `sum(out_i * cotangent(out_i))`
over the float outputs with respect to each float input (JAX's `jax.grad` on the Keras side, a
GradientTape on numkeras's). This module imports neither library: ops_math_reference.py runs it
under Keras, ops_math_test.py under numkeras.
"""
import numpy as np

RS = np.random.RandomState(7)


def f32(*shape, low=None, high=None):
    if low is not None:
        return RS.uniform(low, high, shape).astype("float32")
    return RS.standard_normal(shape).astype("float32")


def spd(n, batch=()):
    m = RS.standard_normal(batch + (n, n))
    return (m @ np.swapaxes(m, -1, -2) + n * np.eye(n)).astype("float32")


def well_conditioned(*shape):
    return (RS.standard_normal(shape) + 3 * np.eye(shape[-1])).astype("float32")


def cotangent(shape):
    """A fixed, uneven weight per output element (the same on both sides)."""
    size = int(np.prod(shape))
    return (np.linspace(-1.0, 1.5, size) + 0.1 * np.cos(np.arange(size))).reshape(shape)


CASES = {}


def case(case_id, fn, *inputs, grad=False, rtol=1e-4, atol=1e-5):
    assert case_id not in CASES, case_id
    CASES[case_id] = (fn, [np.asarray(x) for x in inputs], grad, (rtol, atol))


SEGMENT_IDS = np.array([0, 2, 2, 1, 0, 3, 1], "int32")
IMAGES = RS.uniform(0, 1, (2, 6, 8, 3)).astype("float32")
IMAGES_CF = np.ascontiguousarray(np.transpose(IMAGES, (0, 3, 1, 2)))

# -- ops.math ------------------------------------------------------------------------------------
for name in ("segment_sum", "segment_max", "segment_min", "segment_prod"):
    # JAX has no gradient for segment_prod with repeated ids: ours is checked against finite differences
    case(name, lambda ops, d, i, name=name: getattr(ops, name)(d, i, num_segments=4), f32(7, 3), SEGMENT_IDS,
         grad=name != "segment_prod")
    case(name + "_int", lambda ops, d, i, name=name: getattr(ops, name)(d, i, num_segments=5),
         RS.randint(-5, 6, (7,)).astype("int32"), SEGMENT_IDS)
    case(name + "_sorted", lambda ops, d, name=name: getattr(ops, name)(d, np.array([0, 0, 1, 3], "int32"),
                                                                       num_segments=4, sorted=True), f32(4, 2))
case("segment_sum_dropped_ids", lambda ops, d: ops.segment_sum(d, np.array([0, -1, 2, 5], "int32"), num_segments=3),
     f32(4))
case("top_k", lambda ops, x: ops.top_k(x, 3), f32(4, 6), grad=True)
case("top_k_ties_int", lambda ops, x: ops.top_k(x, 4), np.array([[1, 3, 3, 2, 3, 0], [5, 5, 5, 5, 5, 5]], "int32"))
case("top_k_unsorted", lambda ops, x: ops.top_k(x, 2, sorted=True), f32(2, 3, 5))
case("in_top_k", lambda ops, t, p: ops.in_top_k(t, p, 2), np.array([0, 3, 1, 2], "int32"), f32(4, 5))
case("in_top_k_ties", lambda ops, t, p: ops.in_top_k(t, p, 1), np.array([1, 2], "int32"),
     np.array([[1.0, 3.0, 3.0], [1.0, 3.0, 3.0]], "float32"))
case("logsumexp", lambda ops, x: ops.logsumexp(x), f32(3, 4), grad=True)
case("logsumexp_axis", lambda ops, x: ops.logsumexp(x, axis=1, keepdims=True), f32(3, 4, 2) * 50, grad=True)
case("logsumexp_axes", lambda ops, x: ops.logsumexp(x, axis=(0, 2)), f32(3, 4, 2), grad=True)
case("logsumexp_neg_inf", lambda ops, x: ops.logsumexp(x, axis=-1),
     np.array([[-np.inf, -np.inf], [0.0, -np.inf]], "float32"))
case("logsumexp_int", lambda ops, x: ops.logsumexp(x), np.array([1, 2, 3], "int32"))
case("cdist", lambda ops, x, y: ops.cdist(x, y), f32(4, 3), f32(5, 3), grad=True)
case("cdist_batched", lambda ops, x, y: ops.cdist(x, y), f32(2, 4, 3), f32(2, 2, 3), grad=True)
case("extract_sequences", lambda ops, x: ops.extract_sequences(x, 4, 3), f32(2, 14), grad=True)
case("extract_sequences_int", lambda ops, x: ops.extract_sequences(x, 3, 1), np.arange(7, dtype="int32"))
case("fft", lambda ops, r, i: ops.fft((r, i)), f32(3, 8), f32(3, 8), grad=True)
case("fft2", lambda ops, r, i: ops.fft2((r, i)), f32(2, 4, 6), f32(2, 4, 6), grad=True)
case("ifft2", lambda ops, r, i: ops.ifft2((r, i)), f32(4, 5), f32(4, 5), grad=True)
case("rfft", lambda ops, x: ops.rfft(x), f32(3, 10), grad=True)
case("rfft_length", lambda ops, x: ops.rfft(x, fft_length=7), f32(3, 10), grad=True)
case("rfft_pad", lambda ops, x: ops.rfft(x, fft_length=16), f32(3, 10), grad=True)
case("irfft", lambda ops, r, i: ops.irfft((r, i)), f32(3, 6), f32(3, 6), grad=True)
case("irfft_length", lambda ops, r, i: ops.irfft((r, i), fft_length=9), f32(3, 6), f32(3, 6), grad=True)
case("stft_hann", lambda ops, x: ops.stft(x, 8, 3, 8), f32(2, 30), grad=True)
case("stft_hamming_no_center", lambda ops, x: ops.stft(x, 6, 2, 8, window="hamming", center=False), f32(30),
     grad=True)
case("stft_no_window", lambda ops, x: ops.stft(x, 5, 5, 8, window=None), f32(2, 25))
case("stft_tensor_window", lambda ops, x, w: ops.stft(x, 4, 2, 4, window=w), f32(2, 21), f32(4, low=0.5, high=1.0))
case("istft", lambda ops, x: ops.istft(ops.stft(x, 8, 3, 8), 8, 3, 8), f32(2, 30), grad=True)
case("istft_length", lambda ops, r, i: ops.istft((r, i), 6, 2, 8, length=11, window="hamming"), f32(7, 5),
     f32(7, 5), grad=True)
case("istft_no_center", lambda ops, r, i: ops.istft((r, i), 7, 3, 10, window=None, center=False), f32(2, 5, 6),
     f32(2, 5, 6))
case("rsqrt", lambda ops, x: ops.rsqrt(x), f32(3, 4, low=0.1, high=4.0), grad=True)
case("erf", lambda ops, x: ops.erf(x), f32(5, 4) * 2, grad=True)
case("erfc", lambda ops, x: ops.erfc(x), np.concatenate([f32(12) * 2, [5.0, 8.0, -6.0]]).astype("float32"),
     grad=True, rtol=1e-4, atol=1e-30)
case("erfinv", lambda ops, x: ops.erfinv(x), f32(12, low=-0.99, high=0.99), grad=True)
case("logdet", lambda ops, x: ops.logdet(x), spd(3, (2,)), grad=True)
case("view_as_complex", lambda ops, x: ops.view_as_complex(x), f32(3, 2))
case("view_as_real", lambda ops, x: ops.view_as_real(ops.view_as_complex(x)), f32(2, 3, 2))

# -- ops.linalg ----------------------------------------------------------------------------------
case("cholesky", lambda ops, x: ops.cholesky(x), spd(4), grad=True)
case("cholesky_upper", lambda ops, x: ops.cholesky(x, upper=True), spd(3, (2,)), grad=True)
case("cholesky_inverse", lambda ops, x: ops.cholesky_inverse(ops.cholesky(x)), spd(3), grad=True, rtol=1e-3)
case("cholesky_inverse_upper", lambda ops, x: ops.cholesky_inverse(ops.cholesky(x, upper=True), upper=True),
     spd(3), rtol=1e-3)
case("det", lambda ops, x: ops.det(x), well_conditioned(2, 3, 3), grad=True)
case("inv", lambda ops, x: ops.inv(x), well_conditioned(3, 3), grad=True, rtol=1e-3)
case("eig_values", lambda ops, x: ops.eig(x)[0], np.array([[2.0, 1.0], [0.5, 3.0]], "float32"))
case("eigh", lambda ops, x: ops.eigh(x)[0], spd(4, (2,)), grad=True, rtol=1e-3)
case("eigh_vectors_abs", lambda ops, x: ops.abs(ops.eigh(x)[1]), spd(3), rtol=1e-3, atol=1e-4)
case("lu_factor", lambda ops, x: ops.lu_factor(x), np.array([[1.0, 2.0, 0.5], [3.0, 4.0, 1.0], [0.0, 1.0, 5.0]],
                                                             "float32"))
case("lu_factor_batched", lambda ops, x: ops.lu_factor(x), well_conditioned(2, 4, 4))
case("norm", lambda ops, x: ops.norm(x), f32(3, 4), grad=True)
case("norm_vector_ords", lambda ops, x: [ops.norm(x, ord=o, axis=-1) for o in (1, 2, 3, np.inf, -np.inf, 0)],
     f32(3, 4), grad=True)
case("norm_matrix_ords", lambda ops, x: [ops.norm(x, ord=o, axis=(-2, -1)) for o in
                                         ("fro", "nuc", 1, -1, 2, -2, np.inf, -np.inf)], f32(2, 3, 4), grad=True,
     rtol=1e-3)
case("norm_keepdims", lambda ops, x: ops.norm(x, ord=1, axis=(0, 2), keepdims=True), f32(3, 2, 4), grad=True)
case("norm_int", lambda ops, x: ops.norm(x), np.array([3, 4], "int32"))
case("qr", lambda ops, x: ops.qr(x), f32(5, 3), grad=True, rtol=1e-3)
case("qr_complete", lambda ops, x: ops.qr(x, mode="complete"), f32(4, 3), rtol=1e-3)
case("solve", lambda ops, a, b: ops.solve(a, b), well_conditioned(3, 3), f32(3, 2), grad=True, rtol=1e-3)
case("solve_vector", lambda ops, a, b: ops.solve(a, b), well_conditioned(2, 3, 3), f32(3), grad=True, rtol=1e-3)
case("solve_triangular", lambda ops, a, b: ops.solve_triangular(a, b, lower=True), well_conditioned(3, 3),
     f32(3, 2), grad=True, rtol=1e-3)
case("solve_triangular_upper_batched", lambda ops, a, b: ops.solve_triangular(a, b), well_conditioned(2, 3, 3),
     f32(2, 3), grad=True, rtol=1e-3)
case("svd_values", lambda ops, x: ops.svd(x, compute_uv=False), f32(4, 3), grad=True)
case("svd_abs", lambda ops, x: [ops.abs(m) for m in ops.svd(x, full_matrices=False)], f32(2, 3, 4), rtol=1e-3,
     atol=1e-4)
case("svd_full_shapes", lambda ops, x: [ops.abs(m) for m in ops.svd(x)][1], f32(5, 3))
case("lstsq", lambda ops, a, b: ops.linalg.lstsq(a, b), f32(5, 3), f32(5, 2), grad=True, rtol=1e-3)
case("lstsq_vector", lambda ops, a, b: ops.linalg.lstsq(a, b), f32(4, 4), f32(4), rtol=1e-3)
case("matrix_rank", lambda ops, x: ops.matrix_rank(x), np.array([[1.0, 2.0], [2.0, 4.0]], "float32"))
case("matrix_rank_batched", lambda ops, x: ops.matrix_rank(x), f32(2, 3, 4))
case("pinv", lambda ops, x: ops.pinv(x), f32(4, 3), grad=True, rtol=1e-3)
case("jvp", lambda ops, x, t: ops.jvp(lambda a: ops.logsumexp(a * a, axis=-1), (x,), (t,)), f32(2, 3), f32(2, 3))
