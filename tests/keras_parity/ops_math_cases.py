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

# -- ops.image -----------------------------------------------------------------------------------
UINT8 = RS.randint(0, 256, (1, 5, 7, 3)).astype("uint8")
for interpolation in ("bilinear", "nearest", "bicubic", "lanczos3", "lanczos5"):
    case(f"resize_{interpolation}_up", lambda ops, x, i=interpolation: ops.image.resize(x, (9, 11), interpolation=i),
         IMAGES, grad=interpolation != "nearest")
    case(f"resize_{interpolation}_down", lambda ops, x, i=interpolation: ops.image.resize(x, (3, 5), interpolation=i),
         IMAGES, grad=interpolation != "nearest")
    case(f"resize_{interpolation}_antialias",
         lambda ops, x, i=interpolation: ops.image.resize(x, (3, 3), interpolation=i, antialias=True), IMAGES,
         grad=interpolation != "nearest")
case("resize_crop_to_aspect_ratio", lambda ops, x: ops.image.resize(x, (4, 4), crop_to_aspect_ratio=True), IMAGES)
case("resize_pad_to_aspect_ratio", lambda ops, x: ops.image.resize(x, (5, 5), pad_to_aspect_ratio=True,
                                                                  fill_value=0.5), IMAGES)
case("resize_channels_first", lambda ops, x: ops.image.resize(x, (4, 10), data_format="channels_first"), IMAGES_CF)
case("resize_single_image", lambda ops, x: ops.image.resize(x, (4, 4)), IMAGES[0])
case("resize_uint8", lambda ops, x: ops.image.resize(x, (4, 9)), UINT8)
# Irregular entries: no sample point falls on a half pixel, where float32 (JAX) and float64 (numkeras)
# coordinates could round a nearest-neighbour read to different pixels.
AFFINE = np.array([[0.93, -0.17, 1.37, 0.13, 1.07, -0.61, 0.0, 0.0],
                   [1.21, 0.11, -1.93, -0.07, 0.83, 1.03, 0.0, 0.0]], "float32")
for fill in ("constant", "nearest", "wrap", "reflect", "mirror"):
    for interpolation in ("bilinear", "nearest"):
        case(f"affine_{fill}_{interpolation}",
             lambda ops, x, t, f=fill, i=interpolation: ops.image.affine_transform(x, t, interpolation=i, fill_mode=f,
                                                                                  fill_value=0.25),
             IMAGES, AFFINE)
case("affine_channels_first", lambda ops, x, t: ops.image.affine_transform(x, t, data_format="channels_first"),
     IMAGES_CF, AFFINE)
case("affine_single_image", lambda ops, x, t: ops.image.affine_transform(x, t[1], fill_mode="reflect"),
     IMAGES[0], AFFINE)
# differentiable in the images (the transform is a constant here: numkeras has no gradient for it)
case("affine_grad", lambda ops, x: ops.image.affine_transform(x, AFFINE), IMAGES, grad=True)
START = np.array([[[0, 0], [7, 0], [0, 5], [7, 5]], [[0.3, 0], [7, 0.2], [0, 5], [6.6, 5]]], "float32")
END = np.array([[[1.1, 0.45], [6.2, 0], [0, 5], [7, 4.3]], [[0, 0], [7, 0], [0.4, 4.7], [7, 5]]], "float32")
case("perspective_transform", lambda ops, x: ops.image.perspective_transform(x, START, END), IMAGES, rtol=1e-3,
     atol=1e-4)
case("perspective_transform_nearest", lambda ops, x: ops.image.perspective_transform(
    x, START[0], END[0], interpolation="nearest", fill_value=1.0), IMAGES[0], rtol=1e-3, atol=1e-4)
COORDS = RS.uniform(-1.5, 5.5, (2, 3, 4)).astype("float32")
for fill in ("constant", "nearest", "wrap", "reflect", "mirror"):
    for order in (0, 1):
        case(f"map_coordinates_{fill}_{order}",
             lambda ops, x, c, f=fill, o=order: ops.image.map_coordinates(x, c, o, fill_mode=f, fill_value=0.5),
             f32(4, 5), COORDS, grad=False)
case("map_coordinates_grad", lambda ops, x: ops.image.map_coordinates(x, COORDS, 1), f32(4, 5), grad=True)
case("map_coordinates_3d", lambda ops, x, c: ops.image.map_coordinates(x, c, 1), f32(3, 4, 5),
     RS.uniform(-0.5, 3.5, (3, 6)).astype("float32"))
case("extract_patches", lambda ops, x: ops.image.extract_patches(x, 2), IMAGES, grad=True)
case("extract_patches_strides_same", lambda ops, x: ops.image.extract_patches(x, (3, 2), strides=(2, 3),
                                                                             padding="same"), IMAGES)
case("extract_patches_dilated", lambda ops, x: ops.image.extract_patches(x, 2, strides=1, dilation_rate=2),
     IMAGES[0])
case("extract_patches_channels_first", lambda ops, x: ops.image.extract_patches(x, 3, data_format="channels_first"),
     IMAGES_CF)
case("extract_patches_3d", lambda ops, x: ops.image.extract_patches_3d(x, (2, 2, 3)), f32(1, 4, 5, 6, 2), grad=True)
case("extract_patches_via_3_tuple", lambda ops, x: ops.image.extract_patches(x, (2, 2, 2), strides=1),
     f32(4, 4, 4, 1))
case("crop_images", lambda ops, x: ops.image.crop_images(x, 1, 2, target_height=3, target_width=4), IMAGES,
     grad=True)
case("crop_images_bottom_right", lambda ops, x: ops.image.crop_images(x, bottom_cropping=2, right_cropping=1,
                                                                     target_height=3, target_width=5,
                                                                     data_format="channels_first"), IMAGES_CF)
case("pad_images", lambda ops, x: ops.image.pad_images(x, 1, 2, target_height=9, target_width=12), IMAGES, grad=True)
case("pad_images_single", lambda ops, x: ops.image.pad_images(x, bottom_padding=2, right_padding=1, top_padding=0,
                                                             left_padding=3), IMAGES[0])
case("rgb_to_grayscale", lambda ops, x: ops.image.rgb_to_grayscale(x), IMAGES, grad=True)
case("rgb_to_grayscale_uint8", lambda ops, x: ops.image.rgb_to_grayscale(x), UINT8)
case("rgb_to_grayscale_channels_first", lambda ops, x: ops.image.rgb_to_grayscale(x, data_format="channels_first"),
     IMAGES_CF)
HSV_EDGES = np.array([[[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [0.5, 0.5, 0.5], [0.0, 0.0, 0.0],
                       [1.0, 1.0, 0.0], [0.2, 0.9, 0.9]]], "float32")
case("rgb_to_hsv", lambda ops, x: ops.image.rgb_to_hsv(x), IMAGES, grad=True)
case("rgb_to_hsv_edges", lambda ops, x: ops.image.rgb_to_hsv(x), HSV_EDGES)
case("hsv_to_rgb", lambda ops, x: ops.image.hsv_to_rgb(x), IMAGES, grad=True)
case("hsv_round_trip", lambda ops, x: ops.image.hsv_to_rgb(ops.image.rgb_to_hsv(x, data_format="channels_first"),
                                                           data_format="channels_first"), IMAGES_CF)
# data_format given: Keras 3.15's JAX gaussian_blur reads data_format=None as channels_first
case("gaussian_blur", lambda ops, x: ops.image.gaussian_blur(x, data_format="channels_last"), IMAGES, grad=True)
case("gaussian_blur_uneven", lambda ops, x: ops.image.gaussian_blur(x, kernel_size=(5, 3), sigma=(2.0, 0.7),
                                                                   data_format="channels_last"), IMAGES)
case("gaussian_blur_channels_first", lambda ops, x: ops.image.gaussian_blur(x, (4, 4), (1.5, 1.5),
                                                                           data_format="channels_first"), IMAGES_CF)
case("sobel_edges", lambda ops, x: ops.image.sobel_edges(x), IMAGES, grad=True)
case("sobel_edges_channels_first", lambda ops, x: ops.image.sobel_edges(x, data_format="channels_first"), IMAGES_CF)
SSIM_OTHER = np.clip(IMAGES + RS.normal(0, 0.1, IMAGES.shape), 0, 1).astype("float32")
case("ssim", lambda ops, a, b: ops.image.ssim(a, b, filter_size=3), IMAGES, SSIM_OTHER, grad=True)
case("ssim_single", lambda ops, a, b: ops.image.ssim(a, b, max_val=2.0, filter_size=5, filter_sigma=1.0),
     IMAGES[0], SSIM_OTHER[0])
case("scale_and_translate", lambda ops, x: ops.image.scale_and_translate(
    x, (2, 9, 5, 3), np.array([1.4, 0.6], "float32"), np.array([0.5, -1.0], "float32"), (1, 2), "linear"), IMAGES,
     grad=True)
case("scale_and_translate_cubic_no_antialias", lambda ops, x: ops.image.scale_and_translate(
    x, (2, 4, 8, 3), np.array([0.7, 1.0], "float32"), np.array([0.0, 0.3], "float32"), (1, 2), "cubic",
    antialias=False), IMAGES)
case("scale_and_translate_lanczos", lambda ops, x: ops.image.scale_and_translate(
    x, (2, 3, 8, 3), np.array([0.5, 1.0], "float32"), np.array([0.0, 0.0], "float32"), (1, 2), "lanczos3"), IMAGES)
case("elastic_transform_alpha_zero", lambda ops, x: ops.image.elastic_transform(x, alpha=0.0, sigma=2.0, seed=1),
     IMAGES)  # the random fields differ between libraries; with alpha=0 both must return the images
