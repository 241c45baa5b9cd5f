"""ops.core: control flow (eager, differentiable through the tape), slices, scatters, dtypes, custom_gradient."""
import numpy as np
import pytest

import numkeras
from numkeras import ops
from numkeras.engine.gradient_check import check_float32, check_gradients
from numkeras.ops import core

RNG = np.random.default_rng(0)


def test_is_tensor_dtype_and_stop_gradient():
    t = core.convert_to_tensor([1, 2])
    assert core.is_tensor(t) and core.is_tensor(numkeras.Variable([1.0]))
    assert not core.is_tensor(np.ones(2)) and not core.is_tensor([1.0])
    assert core.dtype(t) == "int32" and core.dtype(np.ones(2, "float16")) == "float16"
    assert core.dtype([1.0]) == "float32"
    v = numkeras.Variable([2.0])
    with numkeras.GradientTape() as tape:
        y = ops.sum(v * core.stop_gradient(v * 3.0))
    np.testing.assert_allclose(tape.gradient(y, v).numpy(), [6.0])


def test_convert_to_tensor_rejects_sparse_and_ragged():
    with pytest.raises(ValueError, match="no sparse or ragged"):
        core.convert_to_tensor([1.0], sparse=True)
    assert core.convert_to_tensor([1.0], sparse=False, ragged=False).dtype == "float32"


@pytest.mark.parametrize("values,src,dst,want", [
    ([-1.0, 0.4, 255.6, 256.0, 1e9], "float32", "uint8", [0, 0, 255, 255, 255]),
    ([-3e10, 5.0, 3e10, np.inf, -np.inf], "float64", "int32", [-2147483648, 5, 2147483647, 2147483647, -2147483648]),
    ([-300, 5, 300], "int32", "int8", [-128, 5, 127]),
    ([1e39, -1e39, 2.0], "float64", "float32", [np.finfo("float32").max, np.finfo("float32").min, 2.0]),
    ([True, False], "bool", "float32", [1.0, 0.0]),
])
def test_saturate_cast(values, src, dst, want):
    out = core.saturate_cast(np.array(values, src), dst)
    assert out.dtype == dst
    np.testing.assert_array_equal(out.numpy(), np.array(want, dst))


def test_saturate_cast_of_floats_is_differentiable_inside_the_range():
    grads = check_gradients(lambda x: core.saturate_cast(x, "float64"), np.array([0.5, -2.0]))
    np.testing.assert_allclose(grads[0], np.random.default_rng(0).standard_normal(2))


def test_cond_and_switch_run_one_branch_and_differentiate_through_it():
    calls = []
    out = core.cond(np.array(False), lambda: calls.append("t") or 1, lambda: calls.append("f") or 2)
    assert out == 2 and calls == ["f"]
    check_gradients(lambda x: core.cond(ops.sum(x) > 0, lambda: x * x, lambda: -x), np.array([1.0, 2.0]))
    branches = [lambda a, b: a + b, lambda a, b: a * b, lambda a, b: a - b]
    assert [core.switch(i, branches, 5, 2) for i in (-3, 0, 1, 2, 9)] == [7, 7, 10, 3, 3]
    check_gradients(lambda x, y: core.switch(core.convert_to_tensor(1), branches, x, y), np.ones(2), np.arange(2.0))


def test_while_loop():
    assert core.while_loop(lambda i, s: i < 5, lambda i, s: (i + 1, s + i), (0, 0)) == (5, 10)
    assert core.while_loop(lambda i, s: i < 5, lambda i, s: [i + 1, s + i], [0, 0]) == (5, 10)  # lists: tuples
    assert core.while_loop(lambda x: True, lambda x: x + 1, 0, maximum_iterations=7) == 7
    x0 = np.array([1.5, -0.5])
    # three iterations of x -> x * x / 2 + x, differentiated through the tape
    check_gradients(lambda x: core.while_loop(lambda k, y: k < 3, lambda k, y: (k + 1, y * y / 2.0 + y), (0, x))[1], x0)


def test_fori_loop():
    assert core.fori_loop(2, 5, lambda i, acc: acc + i, 0) == 9
    out = core.fori_loop(0, 3, lambda i, x: x * 2.0, core.convert_to_tensor(np.ones(2, "float32")))
    assert out.dtype == "float32" and out.numpy().tolist() == [8.0, 8.0]
    check_gradients(lambda x: core.fori_loop(0, 3, lambda i, y: ops.tanh(y) * float(i + 1), x), RNG.standard_normal(3))


def test_scan_values_structures_reverse_and_gradients():
    xs = RNG.standard_normal((4, 2))
    carry, ys = core.scan(lambda c, x: (c + x, c * x), np.zeros(2), xs)
    np.testing.assert_allclose(carry.numpy(), xs.sum(0))
    np.testing.assert_allclose(ys.numpy(), np.cumsum(np.vstack([np.zeros(2), xs[:-1]]), 0) * xs)
    carry, ys = core.scan(lambda c, x: (c + x, c), 0.0, xs[:, 0], reverse=True)
    np.testing.assert_allclose(ys.numpy(), [xs[1:, 0].sum(), xs[2:, 0].sum(), xs[3:, 0].sum(), 0.0], atol=1e-12)
    # structures in the carry and the inputs; y may be a structure or None
    (a, b), ys = core.scan(lambda c, x: ((c[0] + x["u"], c[1] * 2.0), {"v": x["u"] * 2.0}), (0.0, 1.0),
                           {"u": xs[:, 1]})
    assert float(b) == 16.0 and set(ys) == {"v"} and ys["v"].shape == (4,)
    assert core.scan(lambda c, x: (c + 1, None), 0, length=3) == (3, None)
    check_gradients(lambda h, x: core.scan(lambda c, xi: (ops.tanh(c * xi), c), h, x)[0], RNG.standard_normal(2), xs)
    check_gradients(lambda x: core.scan(lambda c, xi: (c + xi, c * xi), core.convert_to_tensor(np.zeros(2)), x)[1],
                    xs)
    with pytest.raises(ValueError, match="`length` \\(3\\) differs"):
        core.scan(lambda c, x: (c, x), 0.0, xs, length=3)
    with pytest.raises(ValueError, match="pass `xs`"):
        core.scan(lambda c, x: (c, x), 0.0)


def test_map_and_vectorized_map():
    xs = RNG.standard_normal((3, 2))
    np.testing.assert_allclose(core.map(lambda r: ops.sum(r * r), xs).numpy(), (xs * xs).sum(1))
    out = core.vectorized_map(lambda pair: pair[0] * pair[1], (xs, xs[:, ::-1].copy()))
    np.testing.assert_allclose(out.numpy(), xs * xs[:, ::-1])
    check_gradients(lambda x: core.map(lambda r: ops.exp(r) * r[0], x), xs)
    assert check_float32(lambda x: core.vectorized_map(lambda r: r * 2.0, x), xs).shape == (3, 2)


@pytest.mark.parametrize("n", [1, 2, 5, 8])
@pytest.mark.parametrize("reverse", [False, True])
def test_associative_scan(n, reverse):
    x = RNG.standard_normal((n, 3))
    got = core.associative_scan(lambda a, b: a + b, x, reverse=reverse)
    want = np.cumsum(x[::-1], 0)[::-1] if reverse else np.cumsum(x, 0)
    np.testing.assert_allclose(got.numpy(), want, rtol=1e-12, atol=1e-12)
    check_gradients(lambda a: core.associative_scan(lambda p, q: p * q, a, reverse=reverse, axis=0), x)


def test_associative_scan_keeps_the_order_of_a_non_commutative_operation_and_structures():
    # 2x2 matrix products along axis 1: out[i] = m0 @ m1 @ ... @ mi
    m = RNG.standard_normal((2, 5, 2, 2))
    got = core.associative_scan(lambda a, b: ops.matmul(a, b), m, axis=1).numpy()
    want = np.stack([np.linalg.multi_dot([np.eye(2)] + list(m[0, :i + 1])) for i in range(5)])
    np.testing.assert_allclose(got[0], want, rtol=1e-10)
    # a linear recurrence h_t = a_t h_{t-1} + b_t as a scan over (a, b) pairs
    a, b = RNG.uniform(0.5, 1.0, 6), RNG.standard_normal(6)
    _, h = core.associative_scan(lambda p, q: (p[0] * q[0], q[0] * p[1] + q[1]), (a, b))
    want, state = [], 0.0
    for at, bt in zip(a, b):
        state = at * state + bt
        want.append(state)
    np.testing.assert_allclose(h.numpy(), want, rtol=1e-12)


def test_unstack():
    x = RNG.standard_normal((2, 3))
    parts = core.unstack(x, axis=-1)
    assert len(parts) == 3 and all(np.array_equal(p.numpy(), x[:, i]) for i, p in enumerate(parts))
    check_gradients(lambda a: core.unstack(a, num=2)[1] * 3.0, x)
    with pytest.raises(ValueError, match="`num` \\(4\\) differs"):
        core.unstack(x, num=4)


def test_slice():
    x = RNG.standard_normal((3, 4))
    np.testing.assert_array_equal(core.slice(x, (1, 1), (2, 2)).numpy(), x[1:3, 1:3])
    np.testing.assert_array_equal(core.slice(x, core.convert_to_tensor([0, 1]), (3, -1)).numpy(), x[:, 1:])
    np.testing.assert_array_equal(core.slice(x, (2, 3), (2, 2)).numpy(), x[1:3, 2:4])  # starts moved to fit (JAX)
    check_gradients(lambda a: core.slice(a, [1, 0], [2, 3]), x)
    with pytest.raises(ValueError, match="one entry per axis"):
        core.slice(x, (0,), (1, 1, 1))


def test_slice_update():
    x, u = RNG.standard_normal((3, 4)), RNG.standard_normal((2, 2))
    want = x.copy()
    want[1:3, 2:4] = u
    np.testing.assert_array_equal(core.slice_update(x, (1, 2), u).numpy(), want)
    grads = check_gradients(lambda a, b: core.slice_update(a, [1, 2], b), x, u)
    assert not grads[0][1:3, 2:4].any()
    out = core.slice_update(np.zeros(3, "float32"), [5], np.ones(1, "float64"))
    assert out.dtype == "float32" and out.numpy().tolist() == [0, 0, 1]
    with pytest.raises(ValueError, match="must have the input's rank"):
        core.slice_update(x, (0, 0), np.ones(3))


def test_scatter_and_scatter_update_through_the_ops():
    np.testing.assert_array_equal(core.scatter([[0], [0], [2]], [1.0, 1.0, 3.0], (4,)).numpy(), [2, 0, 3, 0])
    out = core.scatter_update(np.zeros((2, 3)), [[1, 2], [0, 0]], [7.0, 8.0])
    np.testing.assert_array_equal(out.numpy(), [[8, 0, 0], [0, 0, 7]])
    out = core.scatter_update(np.ones(3), [[1], [1]], [2.0, 4.0], reduction="MUL")
    np.testing.assert_array_equal(out.numpy(), [1, 8, 1])


def test_custom_gradient_is_public():
    @ops.custom_gradient
    def f(x):
        return ops.square(x), lambda g: g * 0.0
    v = numkeras.Variable([3.0])
    with numkeras.GradientTape() as tape:
        y = ops.sum(f(v))
    assert float(y) == 9.0 and tape.gradient(y, v).numpy().tolist() == [0.0]
