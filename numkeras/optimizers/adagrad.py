"""Adagrad: per-parameter rates that shrink with the sum of squared gradients.

Keras's update rule (`lr` the learning rate, `g` the gradient; the
accumulator starts at `initial_accumulator_value`, epsilon sits INSIDE the
square root):

    a = a + g**2
    w = w - lr * g / sqrt(a + epsilon)

Example:
    >>> import numpy as np
    >>> import numkeras
    >>> from numkeras import optimizers
    >>> w = numkeras.Variable([1.0, 2.0, 3.0, 4.0])
    >>> g = np.array([1.0, 6.0, 7.0, 2.0], "float32")
    >>> _ = optimizers.Adagrad(learning_rate=0.5).apply_gradients([(g, w)])
    >>> w.numpy().round(4)
    array([0.5233, 1.5007, 2.5005, 3.5061], dtype=float32)
"""
from numkeras import initializers
from numkeras.backend import xp
from numkeras.optimizers.hyperparameters import check_number
from numkeras.optimizers.optimizer import Optimizer
from numkeras.optimizers.saturating import saturating_add, saturating_square


class Adagrad(Optimizer):
    """The Adagrad optimizer.

    Args:
        learning_rate: a float, a `LearningRateSchedule` or a callable.
            Defaults to 0.001; Adagrad usually wants a larger rate (the
            original paper's form is 1.0).
        initial_accumulator_value: the non-negative starting value of the
            squared-gradient sums. Defaults to 0.1.
        epsilon: a small constant added inside the square root. Defaults to 1e-7.
        **kwargs: the base `Optimizer` arguments (weight_decay, clipnorm,
            clipvalue, global_clipnorm, ..., name).
    """

    def __init__(self, learning_rate=0.001, initial_accumulator_value=0.1, epsilon=1e-7, weight_decay=None,
                 clipnorm=None, clipvalue=None, global_clipnorm=None, use_ema=False, ema_momentum=0.99,
                 ema_overwrite_frequency=None, loss_scale_factor=None, gradient_accumulation_steps=None,
                 name=None, **kwargs):
        super().__init__(learning_rate, weight_decay=weight_decay, clipnorm=clipnorm, clipvalue=clipvalue,
                         global_clipnorm=global_clipnorm, use_ema=use_ema, ema_momentum=ema_momentum,
                         ema_overwrite_frequency=ema_overwrite_frequency, loss_scale_factor=loss_scale_factor,
                         gradient_accumulation_steps=gradient_accumulation_steps, name=name, **kwargs)
        check_number("Adagrad", "initial_accumulator_value", initial_accumulator_value, low=0, usual="0.1")
        check_number("Adagrad", "epsilon", epsilon, low=0, usual="1e-7")
        self.initial_accumulator_value = initial_accumulator_value
        self.epsilon = epsilon

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._accumulators = self.add_optimizer_variables(
            var_list, "accumulator", initializer=initializers.Constant(self.initial_accumulator_value))

    def update_step(self, gradient, variable, learning_rate):
        dtype = variable.data.dtype.type
        lr, epsilon = dtype(learning_rate), dtype(self.epsilon)
        accumulator = self._accumulators[self._index[id(variable)]].data
        for g, w, a, tmp in self._chunker.chunks(gradient, variable.data, accumulator):
            saturating_square(g, tmp)  # neither inf for |g| > 1.8e19 in float32: see Optimizer
            saturating_add(a, tmp, a)
            # w -= lr * g / sqrt(a + epsilon)
            xp.add(a, epsilon, out=tmp)
            xp.sqrt(tmp, out=tmp)
            xp.divide(g, tmp, out=tmp)
            tmp *= lr
            w -= tmp

    def get_config(self):
        return {**super().get_config(), "initial_accumulator_value": self.initial_accumulator_value,
                "epsilon": self.epsilon}
