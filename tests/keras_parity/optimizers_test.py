"""Every optimizer against Keras: three `apply_gradients` steps from the same variables and gradients.

After each step the variables must agree; after the last, the optimizer's own variables (iteration,
learning rate, slots) must agree in value and in order, the order a `.keras` file stores them in.
One Keras process runs every case, on keras.Variables.
"""
import inspect

import numpy as np
import pytest

from keras_parity.harness import assert_close
from keras_parity.keras_reference import optimizer_kwargs
import numkeras
from numkeras import optimizers

RS = np.random.RandomState(5)
VARIABLES = [RS.normal(size=(3, 4)).astype("float32"), RS.normal(size=(4,)).astype("float32")]
GRADIENTS = [[RS.normal(size=v.shape).astype("float32") for v in VARIABLES] for _ in range(3)]
LR = {"learning_rate": 0.1}  # large enough that three steps move the variables well past float32 noise
# At learning rate 0.1 a step's terms are of order 1, and both sides round them in float32 in their own
# order (numkeras's fused single-pass updates, XLA's fusion), which leaves up to ~1.2e-6 absolute error
# where a variable crosses zero; any real difference in the update rule shows at 1e-3 or more.
TOL = {"rtol": 1e-5, "atol": 3e-6}

# Every optimizer numkeras declares (numkeras.optimizers.__all__), with its defaults, then the key arguments.
OPTIMIZERS = sorted(name for name in optimizers.__all__ if inspect.isclass(getattr(optimizers, name))
                    and issubclass(getattr(optimizers, name), optimizers.Optimizer) and name != "Optimizer")
CASES = [(name, {}) for name in OPTIMIZERS] + [
    ("SGD", {**LR, "momentum": 0.9}),
    ("SGD", {**LR, "momentum": 0.9, "nesterov": True}),
    ("SGD", {**LR, "weight_decay": 0.1}),
    ("RMSprop", {**LR, "rho": 0.8}),
    ("RMSprop", {**LR, "centered": True, "momentum": 0.5}),
    ("Adam", LR),
    ("Adam", {**LR, "amsgrad": True, "beta_1": 0.5}),
    ("Adam", {**LR, "clipnorm": 0.5}),
    ("Adam", {**LR, "clipvalue": 0.2}),
    ("Adam", {**LR, "global_clipnorm": 0.5}),
    ("Adam", {**LR, "use_ema": True, "ema_momentum": 0.5, "ema_overwrite_frequency": 2}),
    ("Adam", {**LR, "gradient_accumulation_steps": 2}),
    ("Adam", {"learning_rate": {"class_name": "ExponentialDecay",
                                "config": {"initial_learning_rate": 0.1, "decay_steps": 1, "decay_rate": 0.5}}}),
    ("AdamW", {**LR, "weight_decay": 0.1}),
    ("AdamW", {**LR, "amsgrad": True}),
    ("Adagrad", {**LR, "initial_accumulator_value": 0.5}),
    ("Adadelta", {"learning_rate": 1.0, "rho": 0.5}),
    ("Adamax", LR),
    ("Nadam", LR),
    ("Ftrl", LR),
    ("Ftrl", {**LR, "learning_rate_power": -0.7, "l1_regularization_strength": 0.01,
              "l2_regularization_strength": 0.02, "l2_shrinkage_regularization_strength": 0.03, "beta": 0.5}),
    ("Lion", LR),
    ("Lion", {**LR, "beta_1": 0.5, "weight_decay": 0.1}),
]
IDS = [f"{i:02d}-{cls}" + "".join(f"-{k}={v}" for k, v in kwargs.items() if k != "learning_rate" or not
                                  isinstance(v, dict)) + ("-schedule" if isinstance(kwargs.get("learning_rate"), dict)
                                                          else "") for i, (cls, kwargs) in enumerate(CASES)]


@pytest.fixture(scope="module")
def keras_steps(keras_reference):
    ref = keras_reference
    variables = [ref.array(v) for v in VARIABLES]
    gradients = [[ref.array(g) for g in step] for step in GRADIENTS]
    for case, (cls, kwargs) in zip(IDS, CASES):
        ref.add(case, "optimizer", class_name=cls, kwargs=kwargs, variables=variables, gradients=gradients)
    return ref.run()


@pytest.mark.parametrize("index", range(len(CASES)), ids=IDS)
def test_optimizer_steps_match_keras(keras_steps, index):
    cls, kwargs = CASES[index]
    case, theirs = IDS[index], keras_steps[IDS[index]]
    opt = getattr(optimizers, cls)(**optimizer_kwargs(numkeras, kwargs))
    variables = [numkeras.Variable(v) for v in VARIABLES]
    for step, grads in enumerate(GRADIENTS):
        opt.apply_gradients(zip(grads, variables))
        for i, v in enumerate(variables):
            assert_close(v.numpy(), theirs[f"step{step}/var{i}"], what=f"{case}: variable {i} after step {step + 1}", **TOL)
    count = sum(k.startswith("opt") for k in theirs.arrays)
    assert len(opt.variables) == count, f"{case}: numkeras has {len(opt.variables)} optimizer variables, Keras {count}"
    for i, v in enumerate(opt.variables):
        assert_close(np.asarray(v.numpy(), "float32"), theirs[f"opt{i}"].astype("float32"),
                     what=f"{case}: optimizer variable {i} ({v.path})", **TOL)


def test_every_optimizer_has_a_parity_case():
    assert "RMSprop" in OPTIMIZERS and set(OPTIMIZERS) <= {cls for cls, _ in CASES}
