"""Shape ops: values vs NumPy, gradients vs central differences."""
import numpy as np
import pytest

import numkeras
from numkeras.engine import shape_ops
from numkeras.engine.gradient_check import check_float32, check_gradients
from numkeras.engine.tensor import Tensor

# id: (op on tensors, the same on a numpy array, input shape)
UNARY = {
    "reshape": (lambda x: shape_ops.reshape(x, (4, 6)), lambda x: x.reshape(4, 6), (2, 3, 4)),
    "reshape_-1": (lambda x: shape_ops.reshape(x, (-1, 2)), lambda x: x.reshape(-1, 2), (2, 3, 4)),
    "reshape_scalar": (lambda x: shape_ops.reshape(x, (1, 1)), lambda x: x.reshape(1, 1), ()),
    "transpose": (shape_ops.transpose, np.transpose, (2, 3, 4)),
    "transpose_axes": (lambda x: shape_ops.transpose(x, (1, 2, 0)), lambda x: x.transpose(1, 2, 0), (2, 3, 4)),
    "transpose_neg": (lambda x: shape_ops.transpose(x, (0, -1, 1)), lambda x: x.transpose(0, 2, 1), (2, 3, 4)),
    "transpose_2d": (shape_ops.transpose, np.transpose, (3, 4)),
    "expand_dims_0": (lambda x: shape_ops.expand_dims(x, 0), lambda x: x[None], (3, 4)),
    "expand_dims_-1": (lambda x: shape_ops.expand_dims(x, -1), lambda x: x[..., None], (3, 4)),
    "expand_dims_scalar": (lambda x: shape_ops.expand_dims(x, 0), lambda x: x[None], ()),
    "squeeze_all": (shape_ops.squeeze, np.squeeze, (1, 3, 1, 4)),
    "squeeze_axis": (lambda x: shape_ops.squeeze(x, 2), lambda x: x.squeeze(2), (1, 3, 1, 4)),
    "squeeze_axes": (lambda x: shape_ops.squeeze(x, (0, -2)), lambda x: x.squeeze((0, 2)), (1, 3, 1, 4)),
    "slice": (lambda x: x[1:, ::2], lambda x: x[1:, ::2], (3, 4)),
    "negative_step": (lambda x: x[::-1, 1], lambda x: x[::-1, 1], (3, 4)),
    "int": (lambda x: x[1], lambda x: x[1], (3, 4)),
    "ellipsis_newaxis": (lambda x: x[..., None, 2], lambda x: x[..., None, 2], (2, 3, 4)),
    "int_array_repeated": (lambda x: x[np.array([0, 2, 0, 0])], lambda x: x[np.array([0, 2, 0, 0])], (3, 4)),
    "int_list_repeated": (lambda x: x[[1, 1, -1]], lambda x: x[[1, 1, -1]], (5,)),
    "int_arrays_2d": (lambda x: x[np.array([0, 0, 2]), np.array([1, 1, 3])],
                      lambda x: x[np.array([0, 0, 2]), np.array([1, 1, 3])], (3, 4)),
    "tensor_index": (lambda x: x[Tensor(np.array([2, 2]))], lambda x: x[np.array([2, 2])], (3, 4)),
    "mixed_slice_array": (lambda x: x[1:, [0, 3, 0]], lambda x: x[1:, [0, 3, 0]], (3, 4)),
}

MASK = np.array([[True, False, True, False], [False, False, True, True], [True, True, False, False]])
UNARY["bool_mask"] = (lambda x: x[MASK], lambda x: x[MASK], (3, 4))
UNARY["bool_row_mask"] = (lambda x: x[np.array([True, False, True])], lambda x: x[np.array([True, False, True])],
                          (3, 4))


@pytest.mark.parametrize("name", UNARY)
def test_value_and_gradient(name):
    op, ref, shape = UNARY[name]
    x = np.random.default_rng(1).standard_normal(shape)
    out = op(Tensor(x))
    expected = ref(x)
    assert out.shape == expected.shape
    np.testing.assert_array_equal(out.numpy(), expected)
    check_gradients(op, x)
    check_float32(op, x)


def test_repeated_indices_accumulate_their_gradients():
    v = numkeras.Variable([1.0, 2.0, 3.0])
    with numkeras.GradientTape() as tape:
        y = v[np.array([0, 0, 2, 0])]
    np.testing.assert_array_equal(tape.gradient(y, v).numpy(), [3.0, 0.0, 1.0])


@pytest.mark.parametrize("shapes,axis", [
    ([(2, 3), (4, 3)], 0),
    ([(2, 3), (2, 1), (2, 4)], 1),
    ([(2, 3), (2, 1), (2, 4)], -1),
    ([(5,), (2,)], 0),
    ([(2, 1, 3), (2, 2, 3)], 1),
])
def test_concatenate(shapes, axis):
    rng = np.random.default_rng(2)
    xs = [rng.standard_normal(s) for s in shapes]
    np.testing.assert_array_equal(shape_ops.concatenate(xs, axis=axis).numpy(), np.concatenate(xs, axis=axis))
    check_gradients(lambda *a: shape_ops.concatenate(list(a), axis=axis), *xs)
    check_float32(lambda *a: shape_ops.concatenate(a, axis=axis), *xs)


@pytest.mark.parametrize("shape,n,axis", [((), 3, 0), ((4,), 2, 0), ((4,), 3, 1), ((2, 3), 3, 1), ((2, 3), 2, -1)])
def test_stack(shape, n, axis):
    rng = np.random.default_rng(3)
    xs = [rng.standard_normal(shape) for _ in range(n)]
    np.testing.assert_array_equal(shape_ops.stack(xs, axis=axis).numpy(), np.stack(xs, axis=axis))
    check_gradients(lambda *a: shape_ops.stack(list(a), axis=axis), *xs)
    check_float32(lambda *a: shape_ops.stack(a, axis=axis), *xs)


def test_concatenate_gives_no_gradient_to_constant_pieces():
    v = numkeras.Variable([1.0, 2.0])
    const = Tensor(np.zeros(3, "float32"))
    with numkeras.GradientTape() as tape:
        y = shape_ops.concatenate([const, v, const])
    gv, gc = tape.gradient(y, [v, const])
    np.testing.assert_array_equal(gv.numpy(), [1.0, 1.0])
    assert gc is None


@pytest.mark.parametrize("axis", [None, 0, 1, -1])
def test_flip_values_and_gradients(axis):
    x = np.random.default_rng(4).standard_normal((3, 4, 2))
    np.testing.assert_array_equal(shape_ops.flip(x, axis=axis).numpy(), np.flip(x, axis=axis))
    check_gradients(lambda a: shape_ops.flip(a, axis=axis), x)
    check_float32(lambda a: shape_ops.flip(a, axis=axis), x)
