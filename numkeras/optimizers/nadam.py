"""Nadam: Adam with Nesterov momentum (Dozat, 2015).

Keras's update rule at step t = iterations + 1 (`lr` the learning rate, `g`
the gradient). A momentum schedule `mu(s) = beta_1 * (1 - 0.5 * 0.96**s)`
and its running product `P` (a state variable: `P = P * mu(t)` once per step)
weight the current gradient against the momentum:

    m = m + (g - m) * (1 - beta_1)
    v = v + (g**2 - v) * (1 - beta_2)
    m_hat = mu(t+1) * m / (1 - P * mu(t+1)) + (1 - mu(t)) * g / (1 - P)
    v_hat = v / (1 - beta_2**t)
    w = w - lr * m_hat / (sqrt(v_hat) + epsilon)

Example:
    >>> import numpy as np
    >>> import numkeras
    >>> from numkeras import optimizers
    >>> w = numkeras.Variable([1.0, 2.0, 3.0, 4.0])
    >>> g = np.array([1.0, 6.0, 7.0, 2.0], "float32")
    >>> _ = optimizers.Nadam(learning_rate=0.5).apply_gradients([(g, w)])
    >>> w.numpy().round(4)
    array([0.4686, 1.4686, 2.4686, 3.4686], dtype=float32)
"""
import math

from numkeras.backend import floatx, xp
from numkeras.optimizers.hyperparameters import check_number
from numkeras.optimizers.optimizer import Optimizer
from numkeras.optimizers.saturating import saturating_square


class Nadam(Optimizer):
    """The Nadam optimizer.

    Args:
        learning_rate: a float, a `LearningRateSchedule` or a callable.
            Defaults to 0.001.
        beta_1: the decay rate of the first-moment estimate. Defaults to 0.9.
        beta_2: the decay rate of the second-moment estimate. Defaults to 0.999.
        epsilon: a small constant added to the denominator (outside the
            square root). Defaults to 1e-7.
        **kwargs: the base `Optimizer` arguments (weight_decay, clipnorm,
            clipvalue, global_clipnorm, ..., name).
    """

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, weight_decay=None,
                 clipnorm=None, clipvalue=None, global_clipnorm=None, use_ema=False, ema_momentum=0.99,
                 ema_overwrite_frequency=None, loss_scale_factor=None, gradient_accumulation_steps=None,
                 name=None, **kwargs):
        super().__init__(learning_rate, weight_decay=weight_decay, clipnorm=clipnorm, clipvalue=clipvalue,
                         global_clipnorm=global_clipnorm, use_ema=use_ema, ema_momentum=ema_momentum,
                         ema_overwrite_frequency=ema_overwrite_frequency, loss_scale_factor=loss_scale_factor,
                         gradient_accumulation_steps=gradient_accumulation_steps, name=name, **kwargs)
        check_number("Nadam", "beta_1", beta_1, low=0, high=1, high_open=True, usual="0.9")
        check_number("Nadam", "beta_2", beta_2, low=0, high=1, high_open=True, usual="0.999")
        check_number("Nadam", "epsilon", epsilon, low=0, usual="1e-7")
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon

    def build(self, var_list):
        if self.built:
            return
        var_list = list(var_list)
        dtype = var_list[0].dtype if var_list else floatx()
        super().build(var_list)
        self._momentums, self._velocities = self.add_optimizer_variables(var_list, ["momentum", "velocity"])
        self._u_product = self.add_variable((), initializer="ones", dtype=dtype, name="u_product")

    def _mu(self, step):
        return self.beta_1 * (1.0 - 0.5 * 0.96 ** step)

    def _update(self, grads, variables):
        # The momentum product advances once per step, before the variables are updated.
        t = int(self.iterations.data) + 1
        self._u_product.data[...] = float(self._u_product.data) * self._mu(t)
        super()._update(grads, variables)

    def update_step(self, gradient, variable, learning_rate):
        i = self._index[id(variable)]
        dtype = variable.data.dtype.type
        t = int(self.iterations.data) + 1
        u_t, u_next = self._mu(t), self._mu(t + 1)
        product = float(self._u_product.data)
        momentum_weight = dtype(u_next / (1 - product * u_next))
        gradient_weight = dtype((1 - u_t) / (1 - product))
        sqrt_velocity_correction = dtype(math.sqrt(1 - self.beta_2 ** t))
        lr, epsilon = dtype(learning_rate), dtype(self.epsilon)
        one_minus_b1, one_minus_b2 = dtype(1 - self.beta_1), dtype(1 - self.beta_2)
        slots = self._momentums[i].data, self._velocities[i].data
        for g, w, m, v, step, tmp in self._chunker.chunks(gradient, variable.data, *slots, scratch=2):
            # m += (g - m) * (1 - beta_1);  v += (g^2 - v) * (1 - beta_2)
            xp.subtract(g, m, out=tmp)
            tmp *= one_minus_b1
            m += tmp
            saturating_square(g, tmp)  # not inf for |g| > 1.8e19 in float32: see Optimizer
            tmp -= v
            tmp *= one_minus_b2
            v += tmp
            # step = m_hat = momentum_weight * m + gradient_weight * g
            xp.multiply(m, momentum_weight, out=step)
            xp.multiply(g, gradient_weight, out=tmp)
            step += tmp
            # w -= lr * m_hat / (sqrt(v / (1 - beta_2^t)) + epsilon); the root first: v / ... may overflow
            xp.sqrt(v, out=tmp)
            tmp /= sqrt_velocity_correction
            tmp += epsilon
            step /= tmp
            step *= lr
            w -= step

    def get_config(self):
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon}
