"""Ftrl: Follow The Regularized Leader (McMahan et al., 2013), as in Keras.

Keras's update rule (`lr` the learning rate, `g` the gradient, `p =
-learning_rate_power`, the accumulator `n` starting at
`initial_accumulator_value`, the linear term `z` at zero):

    n_new = n + g**2
    z = z + g + 2 * l2_shrinkage * w - (n_new**p - n**p) / lr * w
    quadratic = n_new**p / lr + 2 * (l2 + beta / (2 * lr))
    w = (clip(z, -l1, l1) - z) / quadratic
    n = n_new

Example:
    >>> import numpy as np
    >>> import numkeras
    >>> from numkeras import optimizers
    >>> w = numkeras.Variable([1.0, 2.0, 3.0, 4.0])
    >>> g = np.array([1.0, 6.0, 7.0, 2.0], "float32")
    >>> _ = optimizers.Ftrl(learning_rate=0.5).apply_gradients([(g, w)])
    >>> w.numpy().round(4)
    array([0.2218, 1.3954, 2.3651, 2.8814], dtype=float32)
"""
from numkeras import initializers
from numkeras.backend import errstate as _errstate
from numkeras.backend import xp
from numkeras.optimizers.hyperparameters import check_number
from numkeras.optimizers.optimizer import Optimizer
from numkeras.optimizers.saturating import saturate, saturating_add, saturating_square


class Ftrl(Optimizer):
    """The FTRL optimizer (online L1/L2-regularized learning for large sparse models).

    Args:
        learning_rate: a float, a `LearningRateSchedule` or a callable.
            Defaults to 0.001; Ftrl usually wants a larger rate.
        learning_rate_power: how the per-parameter rate falls as gradients
            accumulate; <= 0 (0 is a fixed rate). Defaults to -0.5.
        initial_accumulator_value: the non-negative starting value of the
            squared-gradient sums. Defaults to 0.1.
        l1_regularization_strength: >= 0. Defaults to 0.0.
        l2_regularization_strength: >= 0 (the stabilization penalty of the
            FTRL paper). Defaults to 0.0.
        l2_shrinkage_regularization_strength: >= 0, an L2 penalty added to
            the gradient (a magnitude penalty). Defaults to 0.0.
        beta: the paper's beta; adds `beta / (2 * lr)` to the L2 strength.
            Defaults to 0.0.
        **kwargs: the base `Optimizer` arguments (weight_decay, clipnorm,
            clipvalue, global_clipnorm, ..., name).
    """

    def __init__(self, learning_rate=0.001, learning_rate_power=-0.5, initial_accumulator_value=0.1,
                 l1_regularization_strength=0.0, l2_regularization_strength=0.0,
                 l2_shrinkage_regularization_strength=0.0, beta=0.0, weight_decay=None, clipnorm=None,
                 clipvalue=None, global_clipnorm=None, use_ema=False, ema_momentum=0.99,
                 ema_overwrite_frequency=None, loss_scale_factor=None, gradient_accumulation_steps=None,
                 name=None, **kwargs):
        super().__init__(learning_rate, weight_decay=weight_decay, clipnorm=clipnorm, clipvalue=clipvalue,
                         global_clipnorm=global_clipnorm, use_ema=use_ema, ema_momentum=ema_momentum,
                         ema_overwrite_frequency=ema_overwrite_frequency, loss_scale_factor=loss_scale_factor,
                         gradient_accumulation_steps=gradient_accumulation_steps, name=name, **kwargs)
        check_number("Ftrl", "learning_rate_power", learning_rate_power, usual="-0.5")
        check_number("Ftrl", "initial_accumulator_value", initial_accumulator_value, usual="0.1")
        check_number("Ftrl", "l1_regularization_strength", l1_regularization_strength, usual="0.0")
        check_number("Ftrl", "l2_regularization_strength", l2_regularization_strength, usual="0.0")
        check_number("Ftrl", "l2_shrinkage_regularization_strength", l2_shrinkage_regularization_strength, usual="0.0")
        check_number("Ftrl", "beta", beta, low=0, usual="0.0")
        if learning_rate_power > 0.0:
            raise ValueError("`learning_rate_power` needs to be negative or zero. "
                             f"Received: learning_rate_power={learning_rate_power}.")
        for arg, value in [("initial_accumulator_value", initial_accumulator_value),
                           ("l1_regularization_strength", l1_regularization_strength),
                           ("l2_regularization_strength", l2_regularization_strength),
                           ("l2_shrinkage_regularization_strength", l2_shrinkage_regularization_strength)]:
            if value < 0.0:
                raise ValueError(f"`{arg}` needs to be positive or zero. Received: {arg}={value}.")
        self.learning_rate_power = learning_rate_power
        self.initial_accumulator_value = initial_accumulator_value
        self.l1_regularization_strength = l1_regularization_strength
        self.l2_regularization_strength = l2_regularization_strength
        self.l2_shrinkage_regularization_strength = l2_shrinkage_regularization_strength
        self.beta = beta

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._accumulators, self._linears = self.add_optimizer_variables(
            var_list, ["accumulator", "linear"],
            initializer=[initializers.Constant(self.initial_accumulator_value), "zeros"])

    def _power(self, x, out):
        """out = x ** -learning_rate_power (a square root by default)."""
        if self.learning_rate_power == -0.5:
            return xp.sqrt(x, out=out)
        return xp.power(x, out.dtype.type(-self.learning_rate_power), out=out)

    def update_step(self, gradient, variable, learning_rate):
        i = self._index[id(variable)]
        dtype = variable.data.dtype.type
        lr = dtype(learning_rate)
        l1 = dtype(self.l1_regularization_strength)
        two_l2 = dtype(2 * (self.l2_regularization_strength + self.beta / (2.0 * learning_rate)))
        two_shrinkage = dtype(2 * self.l2_shrinkage_regularization_strength)
        slots = self._accumulators[i].data, self._linears[i].data
        for g, w, n, z, old, new in self._chunker.chunks(gradient, variable.data, *slots, scratch=2):
            self._power(n, old)
            saturating_square(g, new)  # neither inf for |g| > 1.8e19 in float32: see Optimizer
            saturating_add(n, new, n)  # n is now n_new
            self._power(n, new)
            # z += g + 2 * l2_shrinkage * w - (n_new^p - n^p) / lr * w, saturated like n: with huge
            # gradients and weights the product alone passes float32's range (w stays finite: the
            # same n_new^p / lr divides it below)
            with _errstate(over="ignore"):
                xp.subtract(new, old, out=old)
                old *= w
                old /= lr
                z += g
                z -= old
                if two_shrinkage:
                    xp.multiply(w, two_shrinkage, out=old)
                    z += old
            saturate(z)
            # w = (clip(z, -l1, l1) - z) / (n_new^p / lr + 2 * l2)
            new /= lr
            new += two_l2
            xp.clip(z, -l1, l1, out=w)
            w -= z
            w /= new

    def get_config(self):
        return {**super().get_config(), "learning_rate_power": self.learning_rate_power,
                "initial_accumulator_value": self.initial_accumulator_value,
                "l1_regularization_strength": self.l1_regularization_strength,
                "l2_regularization_strength": self.l2_regularization_strength,
                "l2_shrinkage_regularization_strength": self.l2_shrinkage_regularization_strength,
                "beta": self.beta}
