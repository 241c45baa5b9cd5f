"""Elementwise primitives: values vs NumPy, gradients vs central differences.

Binary ops run over every pair of shapes from SHAPES (HIPS autograd style),
so a gradient that is not summed back over a broadcast axis cannot hide.
"""
import itertools

import numpy as np
import pytest

import numkeras
from numkeras.engine import math_ops
from numkeras.engine.gradient_check import check_float32, check_gradients
from numkeras.engine.tensor import Tensor

SHAPES = [(), (4,), (3, 4), (1, 4), (3, 1)]
UNARY_SHAPES = [(), (5,), (3, 4), (2, 3, 4)]


def normal(shape, rng):
    return rng.standard_normal(shape)


def positive(shape, rng):
    return rng.uniform(0.5, 2.0, shape)


def nonzero(shape, rng):
    return rng.uniform(0.5, 2.0, shape) * rng.choice([-1.0, 1.0], shape)


# name: (op, numpy reference, generator of a, generator of b)
BINARY = {
    "add": (math_ops.add, np.add, normal, normal),
    "subtract": (math_ops.subtract, np.subtract, normal, normal),
    "multiply": (math_ops.multiply, np.multiply, normal, normal),
    "divide": (math_ops.divide, np.divide, normal, nonzero),
    "power": (math_ops.power, np.power, positive, normal),
    "maximum": (math_ops.maximum, np.maximum, normal, normal),  # random floats: no ties
    "minimum": (math_ops.minimum, np.minimum, normal, normal),
}

# name: (op, numpy reference, generator); abs and sign stay away from 0
UNARY = {
    "negative": (math_ops.negative, np.negative, normal),
    "exp": (math_ops.exp, np.exp, normal),
    "log": (math_ops.log, np.log, positive),
    "log1p": (math_ops.log1p, np.log1p, lambda s, r: r.uniform(-0.5, 2.0, s)),
    "sqrt": (math_ops.sqrt, np.sqrt, positive),
    "square": (math_ops.square, np.square, normal),
    "abs": (math_ops.abs, np.abs, nonzero),
    "sign": (math_ops.sign, np.sign, nonzero),
    "tanh": (math_ops.tanh, np.tanh, normal),
}


BINARY_CASES = [pytest.param(name, sa, sb, id=f"{name}-{sa}-{sb}")
                for name, sa, sb in itertools.product(BINARY, SHAPES, SHAPES)]


@pytest.mark.parametrize("name,shape_a,shape_b", BINARY_CASES)
def test_binary_value_and_gradient(name, shape_a, shape_b):
    op, ref, gen_a, gen_b = BINARY[name]
    rng = np.random.default_rng(0)
    a, b = gen_a(shape_a, rng), gen_b(shape_b, rng)
    out = op(a, b)
    np.testing.assert_allclose(out.numpy(), ref(a, b), rtol=1e-12)
    assert out.shape == np.broadcast_shapes(shape_a, shape_b)
    check_gradients(op, a, b)


@pytest.mark.parametrize("name", BINARY)
def test_binary_float32_values_and_gradients(name):
    op, _, gen_a, gen_b = BINARY[name]
    rng = np.random.default_rng(1)
    check_float32(op, gen_a((3, 4), rng), gen_b((4,), rng))


@pytest.mark.parametrize("name", BINARY)
@pytest.mark.parametrize("constant_side", [0, 1])
def test_binary_vjp_computes_nothing_for_a_constant(name, constant_side):
    # The constant side's gradient is either skipped (None) or the free pass-through `g`.
    op, _, gen_a, gen_b = BINARY[name]
    rng = np.random.default_rng(2)
    args = [Tensor(gen_a((3, 4), rng)), Tensor(gen_b((3, 4), rng))]
    args[1 - constant_side] = numkeras.Variable(args[1 - constant_side].data, dtype="float64")
    with numkeras.GradientTape():
        out = op(*args)
    g = np.ones(out.shape)
    grads = out._vjp(g)
    assert grads[constant_side] is None or grads[constant_side] is g
    assert grads[1 - constant_side] is not None


@pytest.mark.parametrize("fn,expected_a,expected_b", [
    (math_ops.maximum, [1.0, 0.0], [0.0, 1.0]),
    (math_ops.minimum, [1.0, 1.0], [0.0, 0.0]),
])
def test_maximum_minimum_send_a_tie_to_the_first_argument(fn, expected_a, expected_b):
    a, b = numkeras.Variable([1.0, 2.0]), numkeras.Variable([1.0, 3.0])
    with numkeras.GradientTape() as tape:
        y = fn(a, b)
    ga, gb = tape.gradient(y, [a, b])
    np.testing.assert_array_equal(ga.numpy(), expected_a)
    np.testing.assert_array_equal(gb.numpy(), expected_b)


def test_power_with_a_scalar_exponent_and_a_negative_base():
    x = np.array([-1.5, -0.5, 0.7, 2.0])
    np.testing.assert_allclose(math_ops.power(x, 3).numpy(), x ** 3)
    check_gradients(lambda a: a ** 3.0, x)
    check_gradients(lambda a: math_ops.power(a, 2), x)


UNARY_CASES = [pytest.param(name, shape, id=f"{name}-{shape}")
               for name, shape in itertools.product(UNARY, UNARY_SHAPES)]


@pytest.mark.parametrize("name,shape", UNARY_CASES)
def test_unary_value_and_gradient(name, shape):
    op, ref, gen = UNARY[name]
    x = gen(shape, np.random.default_rng(3))
    out = op(x)
    assert out.shape == shape
    np.testing.assert_allclose(out.numpy(), ref(x), rtol=1e-12)
    check_gradients(op, x)


@pytest.mark.parametrize("name", UNARY)
def test_unary_float32_values_and_gradients(name):
    op, _, gen = UNARY[name]
    check_float32(op, gen((3, 4), np.random.default_rng(4)))


@pytest.mark.parametrize("cond_shape,x_shape,y_shape", [
    ((3, 4), (3, 4), (3, 4)),
    ((3, 4), (4,), (3, 1)),
    ((4,), (3, 4), ()),
    ((), (3, 1), (1, 4)),
])
def test_where_value_and_gradient(cond_shape, x_shape, y_shape):
    rng = np.random.default_rng(5)
    cond = rng.random(cond_shape) > 0.5
    x, y = rng.standard_normal(x_shape), rng.standard_normal(y_shape)
    np.testing.assert_array_equal(math_ops.where(cond, x, y).numpy(), np.where(cond, x, y))
    check_gradients(lambda a, b: math_ops.where(cond, a, b), x, y)
    check_float32(lambda a, b: math_ops.where(cond, a, b), x, y)


def test_where_accepts_a_tensor_or_list_condition():
    cond = [True, False, True]
    expected = [1.0, 20.0, 3.0]
    for c in (cond, Tensor(np.array(cond)), np.array([1, 0, 1])):
        np.testing.assert_array_equal(math_ops.where(c, [1.0, 2.0, 3.0], [10.0, 20.0, 30.0]).numpy(), expected)


@pytest.mark.parametrize("shape", UNARY_SHAPES)
def test_clip_value_and_gradient(shape):
    x = np.random.default_rng(6).uniform(-2.0, 2.0, shape)
    x = np.where(np.abs(np.abs(x) - 1.0) < 1e-3, 0.0, x)  # away from the kinks at the bounds
    np.testing.assert_array_equal(math_ops.clip(x, -1.0, 1.0).numpy(), np.clip(x, -1.0, 1.0))
    grad, = check_gradients(lambda a: math_ops.clip(a, -1.0, 1.0), x)
    assert np.all(grad[np.abs(x) > 1] == 0)


def test_clip_keeps_float32_and_accepts_tensor_bounds():
    x = np.array([-3.0, 0.5, 3.0], "float32")
    out = math_ops.clip(x, Tensor(np.float64(-1.0)), 2.0)
    assert out.dtype == "float32"
    np.testing.assert_array_equal(out.numpy(), [-1.0, 0.5, 2.0])
    check_float32(lambda a: math_ops.clip(a, 1e-7, 1.0 - 1e-7), np.array([0.0, 0.3, 1.0]))


def test_cast_gradient_comes_back_in_the_source_dtype():
    v = numkeras.Variable([1.0, 2.0], dtype="float32")
    with numkeras.GradientTape() as tape:
        y = math_ops.cast(v, "float64")
        loss = y * np.array([3.0, 4.0])
    assert y.dtype == "float64"
    g = tape.gradient(loss, v)
    assert g.dtype == "float32"
    np.testing.assert_array_equal(g.numpy(), [3.0, 4.0])


def test_cast_to_the_same_dtype_is_the_identity_and_gradient_checks():
    x = Tensor(np.ones(3, "float32"))
    assert math_ops.cast(x, "float32") is x
    check_gradients(lambda a: math_ops.cast(a, "float64") * a, np.array([0.5, -1.0]))


def test_cast_to_int_is_not_differentiable():
    v = numkeras.Variable([1.7, -2.2])
    with numkeras.GradientTape() as tape:
        y = math_ops.cast(v, "int32")
    np.testing.assert_array_equal(y.numpy(), [1, -2])
    assert y.dtype == "int32"
    assert tape.gradient(y, v) is None


def test_stop_gradient_blocks_the_gradient():
    v = numkeras.Variable([1.0, 2.0])
    with numkeras.GradientTape() as tape:
        y = v * math_ops.stop_gradient(v)  # d/dv = stop(v), not 2v
    np.testing.assert_array_equal(tape.gradient(y, v).numpy(), [1.0, 2.0])
    assert math_ops.stop_gradient(v).requires_grad is False
