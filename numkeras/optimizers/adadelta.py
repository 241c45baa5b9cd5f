"""Adadelta: step sizes from running averages of squared gradients and squared updates.

Keras's update rule (`lr` the learning rate, `g` the gradient; `rms(x)` is
`sqrt(x + epsilon)`):

    a_g = rho * a_g + (1 - rho) * g**2
    delta = g * rms(a_d) / rms(a_g)
    a_d = rho * a_d + (1 - rho) * delta**2
    w = w - lr * delta

Example:
    >>> import numpy as np
    >>> import numkeras
    >>> from numkeras import optimizers
    >>> w = numkeras.Variable([1.0, 2.0, 3.0, 4.0])
    >>> g = np.array([1.0, 6.0, 7.0, 2.0], "float32")
    >>> _ = optimizers.Adadelta(learning_rate=0.5).apply_gradients([(g, w)])
    >>> w.numpy().round(4)
    array([0.9993, 1.9993, 2.9993, 3.9993], dtype=float32)
"""
from numkeras.backend import xp
from numkeras.optimizers.hyperparameters import check_number
from numkeras.optimizers.optimizer import Optimizer
from numkeras.optimizers.saturating import saturating_square


class Adadelta(Optimizer):
    """The Adadelta optimizer.

    Args:
        learning_rate: a float, a `LearningRateSchedule` or a callable.
            Defaults to 0.001; Adadelta usually wants a larger rate (the
            original paper's form is 1.0).
        rho: the decay rate of both running averages. Defaults to 0.95.
        epsilon: a small constant added inside the square roots. Defaults to 1e-7.
        **kwargs: the base `Optimizer` arguments (weight_decay, clipnorm,
            clipvalue, global_clipnorm, ..., name).
    """

    def __init__(self, learning_rate=0.001, rho=0.95, epsilon=1e-7, weight_decay=None, clipnorm=None,
                 clipvalue=None, global_clipnorm=None, use_ema=False, ema_momentum=0.99,
                 ema_overwrite_frequency=None, loss_scale_factor=None, gradient_accumulation_steps=None,
                 name=None, **kwargs):
        super().__init__(learning_rate, weight_decay=weight_decay, clipnorm=clipnorm, clipvalue=clipvalue,
                         global_clipnorm=global_clipnorm, use_ema=use_ema, ema_momentum=ema_momentum,
                         ema_overwrite_frequency=ema_overwrite_frequency, loss_scale_factor=loss_scale_factor,
                         gradient_accumulation_steps=gradient_accumulation_steps, name=name, **kwargs)
        check_number("Adadelta", "rho", rho, low=0, high=1, usual="0.95")
        check_number("Adadelta", "epsilon", epsilon, low=0, usual="1e-7")
        self.rho = rho
        self.epsilon = epsilon

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._accumulated_grads, self._accumulated_delta_vars = self.add_optimizer_variables(
            var_list, ["accumulated_grad", "accumulated_delta_var"])

    def update_step(self, gradient, variable, learning_rate):
        i = self._index[id(variable)]
        dtype = variable.data.dtype.type
        lr, rho, one_minus_rho, epsilon = dtype(learning_rate), dtype(self.rho), dtype(1 - self.rho), \
            dtype(self.epsilon)
        slots = self._accumulated_grads[i].data, self._accumulated_delta_vars[i].data
        for g, w, a_g, a_d, delta, tmp in self._chunker.chunks(gradient, variable.data, *slots, scratch=2):
            # a_g = rho * a_g + (1 - rho) * g^2
            saturating_square(g, tmp)  # not inf for |g| > 1.8e19 in float32: see Optimizer
            tmp *= one_minus_rho
            a_g *= rho
            a_g += tmp
            # delta = g / sqrt(a_g + eps) * sqrt(a_d + eps), divided first: g * sqrt(a_d) may overflow
            xp.add(a_g, epsilon, out=tmp)
            xp.sqrt(tmp, out=tmp)
            xp.divide(g, tmp, out=delta)
            xp.add(a_d, epsilon, out=tmp)
            xp.sqrt(tmp, out=tmp)
            delta *= tmp
            # a_d = rho * a_d + (1 - rho) * delta^2
            saturating_square(delta, tmp)
            tmp *= one_minus_rho
            a_d *= rho
            a_d += tmp
            delta *= lr
            w -= delta

    def get_config(self):
        return {**super().get_config(), "rho": self.rho, "epsilon": self.epsilon}
