"""GradientTape and the backward pass: what gets recorded, what gets a gradient, and when."""
import numpy as np
import pytest

from numkeras import ops
from numkeras.engine.gradient_check import check_gradients
from numkeras.engine.tape import GradientTape, _topological_order, unbroadcast
from numkeras.engine.tensor import Tensor
from numkeras.engine.variable import Variable


def test_backward_is_iterative_on_a_10000_op_chain():
    v = Variable(1.0)
    with GradientTape() as tape:
        y = v
        for _ in range(10_000):
            y = y * 1.0001
    g = tape.gradient(y, v)
    np.testing.assert_allclose(g.numpy(), 1.0001 ** 10_000, rtol=1e-3)


@pytest.mark.parametrize("fn,expected", [
    (lambda a: a * a, lambda a: 2 * a),
    (lambda a: a + a, lambda a: np.full_like(a, 2.0)),
    (lambda a: (a * 2.0) * (a * 3.0), lambda a: 12 * a),  # a diamond
    (lambda a: ops.sum(a) * a, lambda a: np.full_like(a, 2 * a.sum())),  # inside and outside a sum
])
def test_a_node_used_twice_accumulates_both_gradients(fn, expected):
    a = np.array([1.0, -2.0, 3.0])
    grad, = check_gradients(fn, a)
    np.testing.assert_allclose(grad.shape, a.shape)
    v = Variable(a)
    with GradientTape() as tape:
        y = fn(v)
    np.testing.assert_allclose(tape.gradient(y, v).numpy(), expected(a), rtol=1e-6)


def test_no_graph_is_built_outside_a_tape():
    v = Variable([1.0, 2.0])
    y = ops.exp(v * 2.0) + v
    assert y.requires_grad is False and y._parents == () and y._vjp is None


def test_ops_on_constants_inside_a_tape_build_no_graph():
    c = Tensor(np.ones(3, "float32"))
    with GradientTape():
        y = ops.exp(c) * 2.0
    assert y.requires_grad is False and y._parents == ()


def test_constants_are_left_out_of_the_backward_walk():
    v, c = Variable([1.0, 2.0]), Tensor(np.ones(2, "float32"))
    with GradientTape():
        hidden = ops.exp(c)
        y = ops.sum(v * hidden)
    walked = _topological_order(y)
    assert v in walked and y in walked
    assert c not in walked and hidden not in walked


def test_gradient_of_an_intermediate_tensor():
    v = Variable([1.0, 2.0])
    with GradientTape() as tape:
        h = v * 3.0
        y = ops.sum(h * h)
    gh, gv = tape.gradient(y, [h, v])
    np.testing.assert_allclose(gh.numpy(), [6.0, 12.0])
    np.testing.assert_allclose(gv.numpy(), [18.0, 36.0])


def test_watch_a_plain_tensor():
    x = ops.convert_to_tensor([1.0, 2.0])
    with GradientTape() as tape:
        tape.watch(x)
        y = ops.sum(x * x)
    g = tape.gradient(y, x)
    np.testing.assert_allclose(g.numpy(), [2.0, 4.0])
    assert g.dtype == "float32"


def test_watch_a_list_and_the_watch_ends_with_the_tape():
    x, z = Tensor(np.ones(2, "float32")), Tensor(np.ones(2, "float32"))
    with GradientTape() as tape:
        tape.watch([x, z])
        y = x * z * 3.0
    gx, gz = tape.gradient(y, [x, z])
    np.testing.assert_allclose(gx.numpy(), [3.0, 3.0])
    np.testing.assert_allclose(gz.numpy(), [3.0, 3.0])
    assert x.requires_grad is False
    with GradientTape() as tape2:
        y2 = x * 2.0
    assert y2.requires_grad is False and tape2.gradient(y2, x) is None


def test_gradient_inside_the_with_block():
    x = Tensor(np.array([1.0, 2.0]))
    with GradientTape() as tape:
        tape.watch(x)
        y = x * x
        g = tape.gradient(y, x)
        assert x.requires_grad  # still watched while the tape records
    np.testing.assert_allclose(g.numpy(), [2.0, 4.0])


def test_watch_rejects_a_non_tensor():
    with GradientTape() as tape:
        with pytest.raises(TypeError, match="convert_to_tensor"):
            tape.watch(np.ones(3))


def test_non_trainable_variable_gets_none_unless_watched():
    v = Variable([1.0, 2.0], trainable=False)
    with GradientTape() as tape:
        y = ops.sum(v * 3.0)
    assert tape.gradient(y, v) is None
    with GradientTape() as tape:
        tape.watch(v)
        y = ops.sum(v * 3.0)
    np.testing.assert_allclose(tape.gradient(y, v).numpy(), [3.0, 3.0])
    assert v.requires_grad is False and v.trainable is False


def test_persistent_tape_allows_two_gradient_calls():
    v = Variable([1.0, 2.0])
    with GradientTape(persistent=True) as tape:
        y = ops.sum(v * v)
        z = ops.sum(v * 5.0)
    np.testing.assert_allclose(tape.gradient(y, v).numpy(), [2.0, 4.0])
    np.testing.assert_allclose(tape.gradient(z, v).numpy(), [5.0, 5.0])
    np.testing.assert_allclose(tape.gradient(y, v).numpy(), [2.0, 4.0])


def test_non_persistent_tape_raises_on_a_second_gradient_call():
    v = Variable([1.0, 2.0])
    with GradientTape() as tape:
        y = ops.sum(v * v)
    tape.gradient(y, v)
    with pytest.raises(RuntimeError, match="persistent=True"):
        tape.gradient(y, v)


def test_unconnected_sources_get_none():
    v, w = Variable([1.0]), Variable([2.0])
    with GradientTape() as tape:
        y = v * 2.0
    gv, gw = tape.gradient(y, [v, w])
    assert gv is not None and gw is None


def test_target_that_needs_no_gradient_gives_none_for_all():
    v = Variable([1.0])
    with GradientTape() as tape:
        y = Tensor(np.ones(1, "float32")) * 2.0
    assert tape.gradient(y, [v]) == [None]


def test_target_must_be_a_tensor():
    v = Variable([1.0])
    with GradientTape() as tape:
        v * 2.0
    with pytest.raises(TypeError, match="Tensor"):
        tape.gradient(np.ones(1), v)


def test_sources_single_list_tuple_and_repeated():
    v, w = Variable([1.0, 2.0]), Variable(3.0)
    with GradientTape(persistent=True) as tape:
        y = ops.sum(v * w)
    assert isinstance(tape.gradient(y, v), Tensor)
    assert len(tape.gradient(y, (v, w))) == 2
    g1, g2, g3 = tape.gradient(y, [v, w, v])
    np.testing.assert_allclose(g1.numpy(), [3.0, 3.0])
    np.testing.assert_allclose(g2.numpy(), 3.0)
    np.testing.assert_allclose(g3.numpy(), [3.0, 3.0])


def test_the_target_itself_as_a_source():
    v = Variable([1.0, 2.0])
    with GradientTape() as tape:
        y = v * 2.0
    np.testing.assert_array_equal(tape.gradient(y, y).numpy(), [1.0, 1.0])


def test_output_gradients_seed_the_backward_pass():
    v = Variable([1.0, 2.0, 3.0])
    with GradientTape() as tape:
        y = v * v
    g = tape.gradient(y, v, output_gradients=np.array([1.0, 0.0, -1.0]))
    np.testing.assert_allclose(g.numpy(), [2.0, 0.0, -6.0])
    assert g.dtype == "float32"  # the seed takes the target's dtype


def test_stop_gradient():
    v = Variable([1.0, 2.0])
    with GradientTape() as tape:
        y = ops.sum(v * v + ops.stop_gradient(v * 100.0))
    np.testing.assert_allclose(tape.gradient(y, v).numpy(), [2.0, 4.0])


def test_stop_recording_pauses_the_tape():
    v = Variable([1.0, 2.0])
    with GradientTape() as tape:
        y = v * 2.0
        with tape.stop_recording():
            z = v * 3.0
    assert y.requires_grad and not z.requires_grad
    assert tape.gradient(z, v) is None


def test_two_tapes_record_the_same_ops():
    v = Variable([1.0, 2.0])
    with GradientTape() as outer:
        with GradientTape() as inner:
            y = ops.sum(v * v)
    np.testing.assert_allclose(inner.gradient(y, v).numpy(), [2.0, 4.0])
    np.testing.assert_allclose(outer.gradient(y, v).numpy(), [2.0, 4.0])


def test_float32_variables_get_float32_gradients_through_a_composite():
    w, b = Variable(np.ones((3, 2))), Variable(np.zeros(2))
    x = np.random.default_rng(0).random((4, 3)).astype("float32")
    with GradientTape() as tape:
        logits = ops.matmul(x, w) + b
        loss = -ops.mean(ops.sum(ops.log_softmax(logits) * ops.one_hot([0, 1, 1, 0], 2), axis=-1))
    assert loss.dtype == "float32"
    assert [g.dtype for g in tape.gradient(loss, [w, b])] == ["float32", "float32"]


@pytest.mark.parametrize("grad_shape,shape,expected", [
    ((3, 4), (3, 4), np.ones((3, 4))),
    ((3, 4), (4,), np.full(4, 3.0)),
    ((3, 4), (1, 4), np.full((1, 4), 3.0)),
    ((3, 4), (3, 1), np.full((3, 1), 4.0)),
    ((3, 4), (), np.array(12.0)),
    ((2, 3, 4), (3, 1), np.full((3, 1), 8.0)),
    ((2, 3, 4), (1, 1, 1), np.full((1, 1, 1), 24.0)),
])
def test_unbroadcast_sums_over_added_and_stretched_axes(grad_shape, shape, expected):
    out = unbroadcast(np.ones(grad_shape), shape)
    assert out.shape == shape
    np.testing.assert_array_equal(out, expected)


# -- donated gradients: written in place only where nothing else can see them -----------------------
def _pool_relu_case():
    """x -> relu -> 2x2 max pool; the pool's gradient (donated) reaches relu's vjp, which may mask it in place."""
    from numkeras.engine import nn_ops, pool_ops
    x = Variable(np.random.default_rng(0).standard_normal((2, 4, 4, 3)))
    w = np.random.default_rng(1).standard_normal((2, 2, 2, 3))
    return x, w, nn_ops, pool_ops


def test_a_donated_gradient_gives_the_same_result_as_a_copy():
    x, w, nn_ops, pool_ops = _pool_relu_case()
    grads = check_gradients(lambda a: ops.sum(ops.multiply(pool_ops.max_pool(nn_ops.relu(a), 2), w)), x.numpy())
    assert (grads[0] == 0).mean() > 0.5  # the pool and the relu mask zero most of it


def test_a_donated_gradient_that_is_also_a_requested_result_is_not_overwritten():
    x, w, nn_ops, pool_ops = _pool_relu_case()
    with GradientTape() as tape:
        y = nn_ops.relu(x)
        tape.watch(y)
        loss = ops.sum(ops.multiply(pool_ops.max_pool(y, 2), w))
    dy, dx = tape.gradient(loss, [y, x])
    dy, dx = dy.numpy(), dx.numpy()
    np.testing.assert_array_equal(dx, dy * (y.numpy() > 0))  # relu masked a copy, not dy itself
    assert ((dy != 0) & (y.numpy() <= 0)).any()  # dy keeps what the mask removed


def test_gradients_added_from_two_uses_are_owned_by_the_sum():
    x, w, nn_ops, pool_ops = _pool_relu_case()
    def fn(a):
        h = nn_ops.relu(a)
        return ops.sum(ops.multiply(pool_ops.max_pool(h, 2), w)) + ops.sum(ops.multiply(h, h))
    check_gradients(fn, x.numpy())


def test_overwritable_only_inside_a_vjp_that_owns_its_gradient():
    from numkeras.engine.tape import Donated, overwritable
    from numkeras.engine.tensor import make
    seen = []

    def probe_vjp(g):
        seen.append(overwritable(g))
        return (g,)

    def probe_below(handing_on):
        x = Variable(np.ones(3))
        with GradientTape() as tape:
            probe = make(x.data * 2, (x,), probe_vjp)
            loss = ops.sum(make(probe.data * 2, (probe,), handing_on))
        tape.gradient(loss, x)
        return seen.pop()
    assert probe_below(lambda g: (Donated(g * 2),)) is True
    assert probe_below(lambda g: (g * 2,)) is False  # not donated
    assert probe_below(lambda g: (g,)) is False  # its own incoming gradient, handed on
    assert not overwritable(np.ones(3))  # outside any vjp


def test_on_ready_gives_the_same_gradients_each_once_after_its_consumers():
    import numpy as np
    import numkeras
    model = numkeras.Sequential([numkeras.layers.Input((5,)), numkeras.layers.Dense(4, activation="relu"),
                                 numkeras.layers.Dense(3), numkeras.layers.Dense(2)])
    x = np.random.default_rng(0).normal(size=(6, 5)).astype("float32")
    unused = numkeras.Variable(np.ones(3, "float32"))
    sources = list(model.trainable_weights) + [unused]

    def loss_tape():
        with GradientTape() as tape:
            loss = numkeras.ops.sum(model(x) ** 2)
        return tape, loss

    tape, loss = loss_tape()
    plain = tape.gradient(loss, sources)
    tape, loss = loss_tape()
    seen = []
    hooked = tape.gradient(loss, sources, on_ready=lambda i, g: seen.append((i, g)))
    for a, b in zip(plain, hooked):
        assert (a is None) == (b is None)
        if a is not None:
            assert a.numpy().tobytes() == b.numpy().tobytes()  # bit-identical
    order = [i for i, _ in seen]
    assert sorted(order) == list(range(len(model.trainable_weights)))  # each connected source once, not `unused`
    for i, g in seen:
        assert g is hooked[i].data or np.array_equal(g, hooked[i].numpy())
    # the last Dense's kernel and bias are final before the first Dense's: the walk goes from the loss backwards
    assert max(order.index(4), order.index(5)) < min(order.index(0), order.index(1))


def test_gradients_met_at_a_node_are_summed_in_place_without_changing_the_numbers():
    """A tensor used by four ops gets four gradients: the second sum onward goes into the first sum's array."""
    import numkeras
    rng = np.random.default_rng(0)
    x = numkeras.Variable(rng.standard_normal((5, 3)), dtype="float64")
    w = [rng.standard_normal((3, 3)) for _ in range(4)]
    with numkeras.GradientTape() as tape:
        y = sum(numkeras.ops.sum(numkeras.ops.matmul(x, wi) ** 2) for wi in w)
    grad = tape.gradient(y, x).numpy()
    xv = x.numpy()
    expected = sum(2 * (xv @ wi) @ wi.T for wi in w)
    np.testing.assert_allclose(grad, expected, rtol=1e-12)
