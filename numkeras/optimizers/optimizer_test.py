import json
import warnings

import numpy as np
import pytest

import numkeras
from numkeras.backend import from_host, to_host
from numkeras import optimizers
from numkeras.optimizers import (SGD, Adadelta, Adagrad, Adam, Adamax, AdamW, Ftrl, Lion, Nadam, RMSprop,
                                 schedules)

# One variable larger than a 64K-element piece, so the chunked update path is covered.
SHAPES = [(300, 300), (7,), (3, 4, 5), ()]


def run_steps(optimizer, steps=5, shapes=SHAPES, seed=0):
    """Applies `steps` random gradients; returns (initial values, gradients per step, final values)."""
    rng = np.random.default_rng(seed)
    init = [rng.standard_normal(s).astype("float32") for s in shapes]
    variables = [numkeras.Variable(x, name=f"v{i}") for i, x in enumerate(init)]
    grads = [[rng.standard_normal(s).astype("float32") for s in shapes] for _ in range(steps)]
    for step in grads:
        optimizer.apply_gradients(zip(step, variables))
    return init, grads, [v.numpy() for v in variables]


def keras_trajectory(optimizer, steps=5):
    """Keras's golden-value protocol: x = ones(10), one step with gradient 0.01, then steps with
    gradient [0.1, 0.2, ..., 1.0]; returns x before each of those `steps` steps."""
    x = numkeras.Variable(np.ones(10))
    optimizer.apply_gradients([(np.full(10, 0.01, "float32"), x)])
    grads = np.arange(0.1, 1.1, 0.1).astype("float32")
    values = []
    for _ in range(steps):
        values.append(x.numpy().copy())
        optimizer.apply_gradients([(grads, x)])
    return values


# Every optimizer, with its optional state switched on, for the checks that hold for all.
ALL = {
    "sgd": (SGD, dict(learning_rate=0.1, momentum=0.9, nesterov=True)),
    "rmsprop": (RMSprop, dict(learning_rate=0.01, momentum=0.5, centered=True)),
    "adam": (Adam, dict(learning_rate=0.01, amsgrad=True)),
    "adamw": (AdamW, dict(learning_rate=0.01, weight_decay=0.1)),
    "adagrad": (Adagrad, dict(learning_rate=0.1)),
    "adadelta": (Adadelta, dict(learning_rate=1.0)),
    "adamax": (Adamax, dict(learning_rate=0.01)),
    "nadam": (Nadam, dict(learning_rate=0.01)),
    "ftrl": (Ftrl, dict(learning_rate=0.1, l1_regularization_strength=0.01, l2_regularization_strength=0.01,
                        l2_shrinkage_regularization_strength=0.01, beta=0.1)),
    "lion": (Lion, dict(learning_rate=0.01)),
}


def _maker(cls, defaults):
    return lambda **kwargs: cls(**{**defaults, **kwargs})


all_optimizers = pytest.mark.parametrize("make", [_maker(*v) for v in ALL.values()], ids=list(ALL))


def test_iterations_and_variables_are_tracked_like_keras():
    opt = SGD(learning_rate=0.5)
    assert len(opt.variables) == 2 and not opt.built
    v = numkeras.Variable([1.0, 2.0, 3.0, 4.0])
    opt.build([v])
    opt.apply_gradients(zip([np.array([1.0, 6.0, 7.0, 2.0], "float32")], [v]))
    iterations, lr = opt.variables
    assert iterations is opt.iterations and iterations.dtype == "int64" and not iterations.trainable
    assert int(iterations.numpy()) == 1 and float(lr.numpy()) == 0.5
    assert iterations.path == f"{opt.name}/iteration" and opt.name.startswith("sgd")
    opt.apply_gradients([(np.ones(4, "float32"), v)])
    assert int(opt.iterations.numpy()) == 2


def test_slot_variables_follow_keras_order_and_count():
    v1, v2 = numkeras.Variable(np.zeros((3, 2)), name="k"), numkeras.Variable(np.zeros(2), name="b")
    opt = Adam(amsgrad=True)
    opt.build([v1, v2])
    names = [v.name for v in opt.variables]
    assert names == ["iteration", "learning_rate", "k_momentum", "k_velocity", "b_momentum", "b_velocity",
                     "k_velocity_hat", "b_velocity_hat"]
    assert sum(v.size for v in opt.variables) == 2 + 3 * 8
    assert all(not v.trainable for v in opt.variables)
    rms = RMSprop()
    rms.build([v1, v2])
    assert sum(v.size for v in rms.variables) == 2 + 8  # model.summary()'s "Optimizer params"


@all_optimizers
def test_float32_in_place_and_no_new_buffers(make):
    opt = make()
    v = numkeras.Variable(np.ones((400, 300)))  # 120K elements: several pieces
    buffer = v.data
    opt.apply_gradients([(np.full((400, 300), 0.5, "float32"), v)])
    slots = [s.data for s in opt.variables]
    opt.apply_gradients([(numkeras.ops.convert_to_tensor(np.full((400, 300), 0.25, "float32")), v)])
    assert v.data is buffer and v.dtype == "float32"
    assert all(a is b.data for a, b in zip(slots, opt.variables))
    assert all(s.dtype == "float32" for s in opt.variables[1:])


def test_float64_gradient_is_cast_to_the_variable_dtype():
    v = numkeras.Variable([1.0, 2.0])
    RMSprop().apply_gradients([(np.array([1.0, 1.0], "float64"), v)])
    assert v.dtype == "float32"


def test_float64_variables_stay_float64():
    v = numkeras.Variable([1.0, 2.0], dtype="float64")
    Adam().apply_gradients([(np.array([1.0, 1.0]), v)])
    assert v.dtype == "float64"


def test_none_gradients_are_skipped_with_keras_warning():
    a, b = numkeras.Variable([1.0], name="a"), numkeras.Variable([1.0], name="b")
    opt = SGD(1.0)
    with pytest.warns(UserWarning, match=r"Gradients do not exist for variables \['b'\]"):
        opt.apply_gradients([(np.array([1.0], "float32"), a), (None, b)])
    assert a.numpy()[0] == 0.0 and b.numpy()[0] == 1.0
    assert int(opt.iterations.numpy()) == 1
    with pytest.raises(ValueError, match="No gradients provided for any variable"):
        opt.apply_gradients([(None, a), (None, b)])


def test_apply_with_built_variables_and_errors():
    v = numkeras.Variable([1.0, 2.0])
    opt = SGD(1.0)
    with pytest.raises(ValueError, match="must already be built"):
        opt.apply([np.ones(2, "float32")])
    opt.build([v])
    opt.apply([np.ones(2, "float32")])
    np.testing.assert_allclose(v.numpy(), [0.0, 1.0])
    with pytest.raises(ValueError, match="Unknown variable"):
        opt.apply([np.ones(2, "float32")], [numkeras.Variable([0.0, 0.0])])
    with pytest.raises(ValueError, match="received 2 gradients for 1 variables"):
        opt.apply([np.ones(2, "float32"), np.ones(2, "float32")], [v])
    with pytest.raises(ValueError, match=r"has shape \(3,\), but the variable has shape \(2,\)"):
        opt.apply([np.ones(3, "float32")], [v])


def test_constraint_is_applied_after_the_update():
    v = numkeras.Variable([1.0, -1.0], constraint=lambda w: np.maximum(np.asarray(w), 0.0))
    SGD(1.0).apply_gradients([(np.array([2.0, -3.0], "float32"), v)])
    np.testing.assert_allclose(v.numpy(), [0.0, 2.0])


def test_clipping_matches_keras():
    big = np.array([100.0, 100.0], "float32")
    big = from_host(big)  # gradients reach _clip_gradients on the backend's device
    np.testing.assert_allclose(to_host(SGD(clipnorm=1)._clip_gradients([big])[0]), [2**0.5 / 2] * 2, rtol=1e-6)
    np.testing.assert_allclose(to_host(SGD(clipvalue=1)._clip_gradients([big])[0]), [1.0, 1.0])
    a, b = from_host(np.array([3.0], "float32")), from_host(np.array([4.0], "float32"))
    clipped = SGD(global_clipnorm=1.0)._clip_gradients([a, b])
    np.testing.assert_allclose(np.concatenate([to_host(c) for c in clipped]), [0.6, 0.8], rtol=1e-6)
    assert clipped[0].dtype == np.float32
    small = [from_host(np.array([0.1, 0.1], "float32"))]
    np.testing.assert_allclose(to_host(SGD(clipnorm=1)._clip_gradients(small)[0]), to_host(small[0]))
    with pytest.raises(ValueError, match="only one of"):
        SGD(clipnorm=1, clipvalue=1)


@pytest.mark.parametrize("cls", [SGD, RMSprop, Adam, AdamW, Adagrad, Adadelta, Adamax, Nadam, Lion])
def test_weight_decay_golden(cls):
    # Keras's golden value: three optimizers each decay var1 once: 2 * (1 - 0.004)^3.
    grads = np.zeros((), "float32")
    var1, var2, var3 = (numkeras.Variable(2.0), numkeras.Variable(2.0, name="exclude"), numkeras.Variable(2.0))
    cls(learning_rate=1.0, weight_decay=0.004).apply_gradients(zip([grads], [var1]))
    opt2 = cls(learning_rate=1.0, weight_decay=0.004)
    opt2.exclude_from_weight_decay(var_names=["exclude"])
    opt2.apply_gradients(zip([grads, grads], [var1, var2]))
    opt3 = cls(learning_rate=1.0, weight_decay=0.004)
    opt3.exclude_from_weight_decay(var_list=[var3])
    opt3.apply_gradients(zip([grads, grads], [var1, var3]))
    np.testing.assert_allclose(var1.numpy(), 1.9760959, atol=1e-6)
    assert var2.numpy() == 2.0 and var3.numpy() == 2.0


def test_learning_rate_property():
    opt = RMSprop(0.01)
    assert isinstance(opt.learning_rate, float) and opt.learning_rate == pytest.approx(0.01)
    opt.learning_rate = 0.5
    assert opt.learning_rate == 0.5 and opt.get_config()["learning_rate"] == 0.5
    opt.learning_rate = np.float32(0.25)
    assert opt.learning_rate == 0.25
    v = numkeras.Variable([1.0])
    opt = SGD(1.0)
    opt.learning_rate = 0.5
    opt.apply_gradients([(np.ones(1, "float32"), v)])
    np.testing.assert_allclose(v.numpy(), [0.5])
    for bad in ["fast", [0.1, 0.2], None, True]:
        with pytest.raises(ValueError, match="`learning_rate` should be a float"):
            SGD(bad)


def test_learning_rate_is_the_first_positional_argument():
    assert SGD(0.3).learning_rate == pytest.approx(0.3)
    assert RMSprop(0.3).learning_rate == pytest.approx(0.3)
    assert Adam(0.3).learning_rate == pytest.approx(0.3)


def test_bad_keyword_arguments():
    with pytest.raises(ValueError, match="not recognized"):
        Adam(betas=(0.9, 0.99))
    with pytest.raises(ValueError, match="cannot be combined"):
        SGD(learning_rate=optimizers.schedules.ExponentialDecay(0.1, 10, 0.5), decay=0.1)


def test_keras2_lr_is_the_learning_rate_and_is_noted_once():
    from numkeras.utils import keras2_idioms
    keras2_idioms._forget_for_tests()
    with pytest.warns(keras2_idioms.Keras2IdiomWarning, match=r"learning_rate=0\.0001"):
        opt = RMSprop(lr=1e-4)
    assert opt.learning_rate == pytest.approx(1e-4)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert Adam(lr=0.5).learning_rate == pytest.approx(0.5)  # said once per process


def test_keras2_decay_divides_the_rate_by_one_plus_decay_times_iterations():
    from numkeras.utils import keras2_idioms
    keras2_idioms._forget_for_tests()
    with pytest.warns(keras2_idioms.Keras2IdiomWarning) as said:
        opt = SGD(lr=0.1, decay=0.5)
    assert [w.filename for w in said] == [__file__] * 2  # they point at the user's line
    assert "InverseTimeDecay(0.1, decay_steps=1, decay_rate=0.5)" in str(said[1].message)
    var = numkeras.Variable(np.zeros(1, "float32"))
    for step in range(3):  # Keras 2: lr_t = lr / (1 + decay * t), t the iterations before this update
        before = var.numpy().copy()
        opt.apply_gradients([(np.ones(1, "float32"), var)])
        np.testing.assert_allclose(before - var.numpy(), 0.1 / (1 + 0.5 * step), rtol=1e-6)


def test_get_by_name_instance_and_config():
    assert type(optimizers.get("rmsprop")) is RMSprop
    assert type(optimizers.get("RMSprop")) is RMSprop
    assert type(optimizers.get("Adam")) is Adam
    assert type(optimizers.get("sgd")) is SGD
    for name, cls in [("adamw", AdamW), ("adagrad", Adagrad), ("adadelta", Adadelta), ("adamax", Adamax),
                      ("nadam", Nadam), ("ftrl", Ftrl), ("lion", Lion), ("AdamW", AdamW), ("Nadam", Nadam)]:
        opt = optimizers.get(name)
        assert type(opt) is cls and opt.learning_rate == pytest.approx(0.001)
    assert optimizers.get("rmsprop") is not optimizers.get("rmsprop")
    opt = Adam(0.1)
    assert optimizers.get(opt) is opt
    again = optimizers.get(optimizers.serialize(opt))
    assert type(again) is Adam and again.learning_rate == pytest.approx(0.1)
    assert optimizers.get({"class_name": "SGD", "config": {"momentum": 0.5}}).momentum == 0.5


def test_get_unknown_name_lists_valid_names_and_suggests():
    with pytest.raises(ValueError, match="Unknown optimizer: 'rmsprp'") as info:
        optimizers.get("rmsprp")
    message = str(info.value)
    assert "Did you mean 'rmsprop'?" in message
    assert "adadelta, adagrad, adam, adamax, adamw, ftrl, lion, nadam, rmsprop, sgd" in message
    with pytest.raises(ValueError, match="Could not interpret optimizer identifier"):
        optimizers.get(42)


@pytest.mark.parametrize("opt", [
    SGD(learning_rate=0.5, momentum=0.06, nesterov=True, weight_decay=0.004),
    RMSprop(learning_rate=0.5, rho=0.8, momentum=0.05, epsilon=1e-6, centered=True, clipnorm=1.0),
    Adam(learning_rate=0.5, beta_1=0.5, beta_2=0.67, epsilon=1e-5, amsgrad=True, global_clipnorm=2.0),
    AdamW(learning_rate=0.5, weight_decay=0.008, beta_1=0.5, beta_2=0.67, epsilon=1e-5, amsgrad=True),
    Adagrad(learning_rate=0.5, initial_accumulator_value=0.2, epsilon=1e-5, clipvalue=0.5),
    Adadelta(learning_rate=0.5, rho=0.9, epsilon=1e-5, use_ema=True, ema_momentum=0.9),
    Adamax(learning_rate=0.5, beta_1=0.8, beta_2=0.95, epsilon=1e-5, ema_overwrite_frequency=3, use_ema=True),
    Nadam(learning_rate=0.5, beta_1=0.5, beta_2=0.67, epsilon=1e-5, loss_scale_factor=2.0),
    Ftrl(learning_rate=0.5, learning_rate_power=-0.2, initial_accumulator_value=0.4, l1_regularization_strength=0.05,
         l2_regularization_strength=0.15, l2_shrinkage_regularization_strength=0.01, beta=0.3),
    Lion(learning_rate=0.5, beta_1=0.5, beta_2=0.67, gradient_accumulation_steps=2),
], ids=["sgd", "rmsprop", "adam", "adamw", "adagrad", "adadelta", "adamax", "nadam", "ftrl", "lion"])
def test_get_config_round_trip(opt):
    config = opt.get_config()
    assert config["learning_rate"] == 0.5 and config["name"] == opt.name
    clone = type(opt).from_config(config)
    assert clone.get_config() == config
    # Same config, same trajectory.
    _, _, a = run_steps(type(opt).from_config(config), steps=3, shapes=[(5,)])
    _, _, b = run_steps(clone, steps=3, shapes=[(5,)])
    np.testing.assert_array_equal(a[0], b[0])


def test_default_names_follow_keras():
    assert SGD().name.startswith("sgd") and Adam().name.startswith("adam")
    assert RMSprop(name="mine").name == "mine"
    first, second = Adam(), Adam()
    assert first.name != second.name


def test_loss_scale_factor_unscales_gradients():
    _, _, plain = run_steps(SGD(0.1), steps=2, shapes=[(4,)])
    scaled_opt = SGD(0.1, loss_scale_factor=8.0)
    rng = np.random.default_rng(0)
    v = numkeras.Variable(rng.standard_normal(4).astype("float32"))
    for _ in range(2):
        scaled_opt.apply_gradients([(8.0 * rng.standard_normal(4).astype("float32"), v)])
    np.testing.assert_allclose(v.numpy(), plain[0], rtol=1e-6)


def test_gradient_accumulation_updates_every_n_steps_with_the_mean():
    v = numkeras.Variable([1.0, 1.0])
    opt = SGD(1.0, gradient_accumulation_steps=2)
    opt.apply_gradients([(np.array([1.0, 2.0], "float32"), v)])
    np.testing.assert_allclose(v.numpy(), [1.0, 1.0])
    opt.apply_gradients([(np.array([3.0, 4.0], "float32"), v)])
    np.testing.assert_allclose(v.numpy(), [-1.0, -2.0])
    assert int(opt.iterations.numpy()) == 1
    opt.apply_gradients([(np.array([2.0, 2.0], "float32"), v)])
    np.testing.assert_allclose(v.numpy(), [-1.0, -2.0])  # accumulators were reset
    with pytest.raises(ValueError, match="gradient_accumulation_steps"):
        SGD(gradient_accumulation_steps=1)


def test_ema_matches_keras():
    opt = Adam(learning_rate=1.0, use_ema=True, ema_momentum=0.9)
    var = numkeras.Variable([1.0, 2.0])
    grads = np.array([0.1, 0.2], "float32")
    opt.apply_gradients([(grads, var)])
    v1 = var.numpy().copy()  # numpy() aliases the live buffer
    np.testing.assert_allclose(opt._averages[0].numpy(), v1)
    opt.apply_gradients([(grads, var)])
    v2 = var.numpy().copy()
    expected = 0.9 * v1 + 0.1 * v2
    np.testing.assert_allclose(opt._averages[0].numpy(), expected, rtol=1e-6)
    opt.finalize_variable_values([var])
    np.testing.assert_allclose(var.numpy(), expected, rtol=1e-6)


def test_custom_optimizer_subclass_keras_style():
    class SignSGD(numkeras.optimizers.Optimizer):
        def __init__(self, learning_rate=0.1, **kwargs):
            super().__init__(learning_rate, **kwargs)

        def update_step(self, gradient, variable, learning_rate):
            self.assign_sub(variable, numkeras.ops.sign(gradient) * learning_rate)

    v = numkeras.Variable([1.0, 1.0])
    SignSGD().apply_gradients([(np.array([5.0, -5.0], "float32"), v)])
    np.testing.assert_allclose(v.numpy(), [0.9, 1.1])


@all_optimizers
@pytest.mark.parametrize("clip", [{"clipnorm": 0.5}, {"clipvalue": 0.3}, {"global_clipnorm": 0.8}],
                         ids=["clipnorm", "clipvalue", "global_clipnorm"])
def test_clipping_is_the_same_as_clipped_gradients(make, clip):
    clipped_opt, plain = make(**clip), make()
    rng = np.random.default_rng(3)
    shapes = [(5, 4), (4,)]
    a = [numkeras.Variable(rng.standard_normal(s).astype("float32")) for s in shapes]
    b = [numkeras.Variable(v.numpy()) for v in a]
    for _ in range(3):
        grads = [from_host(2 * rng.standard_normal(s).astype("float32")) for s in shapes]  # as a step has them
        clipped_opt.apply_gradients(zip(grads, a))
        plain.apply_gradients(zip(clipped_opt._clip_gradients(grads), b))
    for x, y in zip(a, b):
        np.testing.assert_array_equal(x.numpy(), y.numpy())
    assert int(clipped_opt.iterations.numpy()) == 3


@all_optimizers
def test_ema_averages_the_trajectory(make):
    opt, plain = make(use_ema=True, ema_momentum=0.8), make()
    rng = np.random.default_rng(4)
    a, b = numkeras.Variable(np.ones(6)), numkeras.Variable(np.ones(6))
    average = None
    for _ in range(4):
        g = rng.standard_normal(6).astype("float32")
        opt.apply_gradients([(g, a)])
        plain.apply_gradients([(g, b)])
        w = b.numpy().astype("float64")
        average = w if average is None else 0.8 * average + 0.2 * w  # the first step copies the weights
    np.testing.assert_allclose(a.numpy(), b.numpy())  # EMA does not change the training trajectory
    opt.finalize_variable_values([a])
    np.testing.assert_allclose(a.numpy(), average, rtol=1e-5, atol=1e-6)


@all_optimizers
def test_iterations_and_settable_learning_rate(make):
    opt = make()
    v = numkeras.Variable(np.ones(3))
    for _ in range(3):
        opt.apply_gradients([(np.full(3, 0.5, "float32"), v)])
    assert int(opt.iterations.numpy()) == 3 and opt.iterations.dtype == "int64"
    opt.learning_rate = 0.25  # the next test checks that steps use the value set
    assert opt.learning_rate == 0.25 and opt.get_config()["learning_rate"] == 0.25
    assert opt.variables[1].name == "learning_rate" and float(opt.variables[1].numpy()) == 0.25


@all_optimizers
def test_schedule_is_evaluated_at_iterations_each_step(make):
    schedule = schedules.ExponentialDecay(0.05, decay_steps=1, decay_rate=0.5)
    scheduled, manual = make(), make()
    scheduled.learning_rate = schedule
    rng = np.random.default_rng(5)
    a, b = numkeras.Variable(np.ones(6)), numkeras.Variable(np.ones(6))
    for step in range(4):
        assert scheduled.learning_rate == pytest.approx(0.05 * 0.5**step, rel=1e-6)
        manual.learning_rate = scheduled.learning_rate
        g = rng.standard_normal(6).astype("float32")
        scheduled.apply_gradients([(g, a)])
        manual.apply_gradients([(g, b)])
        np.testing.assert_array_equal(a.numpy(), b.numpy())


@all_optimizers
def test_config_with_a_schedule_round_trips_through_json(make):
    opt = make(learning_rate=schedules.CosineDecay(0.1, 100, alpha=0.1, warmup_target=0.2, warmup_steps=10))
    config = json.loads(json.dumps(optimizers.serialize(opt)))
    assert config["config"]["learning_rate"]["class_name"] == "CosineDecay"
    clone = optimizers.deserialize(config)
    assert type(clone) is type(opt) and isinstance(clone._learning_rate, schedules.CosineDecay)
    assert clone.get_config() == opt.get_config()
    _, _, a = run_steps(opt, steps=3, shapes=[(5,)])
    _, _, b = run_steps(clone, steps=3, shapes=[(5,)])
    np.testing.assert_array_equal(a[0], b[0])


def test_schedule_replaces_the_learning_rate_variable_like_keras():
    opt = Adam(learning_rate=schedules.ExponentialDecay(0.05, decay_steps=1, decay_rate=0.9))
    assert [v.name for v in opt.variables] == ["iteration"]
    assert repr(opt) == f"<Adam name={opt.name}, learning_rate=0.05>"
    with pytest.raises(TypeError, match="its learning rate is not settable"):
        opt.learning_rate = 0.1
    float_opt = SGD(0.1)
    float_opt.learning_rate = schedules.PiecewiseConstantDecay([2], [1.0, 0.5])
    assert [v.name for v in float_opt.variables] == ["iteration"] and float_opt.learning_rate == 1.0
    v = numkeras.Variable([0.0])
    for _ in range(4):
        float_opt.apply_gradients([(np.ones(1, "float32"), v)])
    np.testing.assert_allclose(v.numpy(), [-(1 + 1 + 1 + 0.5)])  # steps 0, 1, 2 use 1.0; step 3 uses 0.5


def test_callable_learning_rate():
    rate = [0.5]
    opt = SGD(lambda: rate[0])
    v = numkeras.Variable([1.0])
    opt.apply_gradients([(np.ones(1, "float32"), v)])
    rate[0] = 0.25
    opt.apply_gradients([(np.ones(1, "float32"), v)])
    np.testing.assert_allclose(v.numpy(), [0.25])
    assert opt.learning_rate == 0.25


def test_custom_schedule_and_custom_objects():
    class Halving(schedules.LearningRateSchedule):
        def __init__(self, rate):
            self.rate = rate

        def __call__(self, step):
            return self.rate / (step + 1)  # step is the optimizer's `iterations` Variable

        def get_config(self):
            return {"rate": self.rate}

    opt = SGD(Halving(1.0))
    v = numkeras.Variable([0.0])
    opt.apply_gradients([(np.ones(1, "float32"), v)])
    opt.apply_gradients([(np.ones(1, "float32"), v)])
    np.testing.assert_allclose(v.numpy(), [-1.5])
    config = optimizers.serialize(opt)
    with pytest.raises(ValueError, match="Unknown learning rate schedule: 'Halving'"):
        optimizers.deserialize(config)
    clone = optimizers.deserialize(config, custom_objects={"Halving": Halving})
    assert clone.learning_rate == 1.0 and clone._learning_rate.rate == 1.0


def test_fit_with_a_schedule_matches_keras():
    # Keras's own end-to-end check (learning_rate_schedule_test.py): Adam + ExponentialDecay, mse, 3 epochs.
    from numkeras import layers, models
    model = models.Sequential([layers.Dense(2, kernel_initializer="ones", bias_initializer="ones")])
    opt = Adam(learning_rate=schedules.ExponentialDecay(initial_learning_rate=0.05, decay_steps=1, decay_rate=0.9))
    assert len(opt.variables) == 1 and int(opt.variables[0].numpy()) == 0
    model.compile(optimizer=opt, loss="mse")
    x = y = np.arange(32).reshape((16, 2))
    history = model.fit(x, y, epochs=3, batch_size=4, shuffle=False, verbose=0)
    assert int(opt.variables[0].numpy()) == 12
    np.testing.assert_allclose(history.history["loss"], [230.79457092285156, 128.30319213867188, 79.33648681640625],
                               rtol=5e-5)


@all_optimizers
def test_huge_gradients_saturate_instead_of_overflowing(make):
    # g**2 overflows float32 for |g| > 1.8e19: Keras's slots go inf, then NaN a step later.
    optimizer = make()
    w = numkeras.Variable(np.array([1e30, -1.0, 0.0], "float32"))
    for g in ([1e30, -1e20, 1e-30], [-1e30, 1e25, 1e30], [1.0, -1.0, 0.0]):
        optimizer.apply_gradients([(np.array(g, "float32"), w)])
    for value in [w.numpy()] + [v.numpy() for v in optimizer.variables if v.dtype == "float32"]:
        assert value.dtype == np.float32 and np.isfinite(value).all()
