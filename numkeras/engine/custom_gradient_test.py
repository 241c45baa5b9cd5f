"""custom_gradient: the forward value, the hand-written gradient through the tape, several outputs."""
import numpy as np
import pytest

import numkeras
from numkeras import ops
from numkeras.engine.custom_gradient import custom_gradient
from numkeras.engine.gradient_check import check_gradients


@custom_gradient
def log1pexp(x):
    e = ops.exp(x)

    def grad(upstream):
        return upstream * (1.0 - 1.0 / (1.0 + e))
    return ops.log1p(e), grad


def test_the_value_and_a_correct_hand_written_gradient():
    x = np.array([-3.0, 0.0, 2.0, 5.0])
    np.testing.assert_allclose(log1pexp(x).numpy(), np.log1p(np.exp(x)))
    check_gradients(log1pexp, x)


def test_the_hand_written_gradient_replaces_the_true_one():
    @custom_gradient
    def scaled_identity(x):
        return x * 1.0, lambda upstream: upstream * 3.0
    v = numkeras.Variable([1.0, 2.0])
    with numkeras.GradientTape() as tape:
        y = ops.sum(ops.square(scaled_identity(v)))
    np.testing.assert_allclose(tape.gradient(y, v).numpy(), 3.0 * 2 * np.array([1.0, 2.0]))


def test_two_arguments_a_constant_and_the_torch_style_signature():
    @custom_gradient
    def mul(a, b, c):
        def grad(*args, upstream=None):
            if upstream is None:
                (upstream,) = args
            return upstream * b, upstream * a, None
        return a * b * c, grad
    c = np.array([2.0, 2.0])
    rng = np.random.default_rng(0)
    a0, b0 = np.array([1.0, 2.0]), np.array([3.0, -1.0])
    grads = check_gradients(lambda a, b: mul(a, b, 1.0), a0, b0)
    w = rng.standard_normal(2)  # check_gradients' cotangent (seed 0)
    np.testing.assert_allclose(grads, [w * b0, w * a0])
    v = numkeras.Variable([1.0, 2.0])
    with numkeras.GradientTape() as tape:
        y = ops.sum(mul(v, np.array([3.0, 4.0], "float32"), c))
    np.testing.assert_allclose(tape.gradient(y, v).numpy(), [3.0, 4.0])  # c is not part of the custom grad


def test_several_outputs_get_their_upstreams_as_a_structure():
    seen = []

    @custom_gradient
    def split(x):
        def grad(upstream):
            seen.append([u.shape for u in upstream])
            first, second = upstream
            return first * 2.0 + ops.sum(second) * 10.0
        return (x * 2.0, ops.sum(x * 10.0)), grad
    check_gradients(lambda a: split(a)[0] + split(a)[1], np.array([1.0, -2.0, 0.5]))
    assert seen[0] == [(3,), ()]


def test_outside_a_tape_it_returns_the_plain_output_and_errors_are_named():
    out = log1pexp(np.array([0.0], "float32"))
    assert out.dtype == "float32" and not out.requires_grad

    @custom_gradient
    def bad(x):
        return x, 3.0
    with pytest.raises(TypeError, match="must return \\(output, grad_fn\\)"):
        bad(np.ones(2))

    @custom_gradient
    def wrong_count(x):
        return x * 1.0, lambda upstream: (upstream, upstream)
    v = numkeras.Variable([1.0])
    with numkeras.GradientTape() as tape:
        y = ops.sum(wrong_count(v))
    with pytest.raises(ValueError, match="returned 2 gradients for 1"):
        tape.gradient(y, v)
