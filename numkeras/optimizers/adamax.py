"""Adamax: Adam with the infinity norm in place of the second moment.

Keras's update rule at step t = iterations + 1 (`lr` the learning rate, `g`
the gradient):

    m = m + (g - m) * (1 - beta_1)
    u = max(beta_2 * u, |g|)
    w = w - lr * m / ((1 - beta_1**t) * (u + epsilon))

Example:
    >>> import numpy as np
    >>> import numkeras
    >>> from numkeras import optimizers
    >>> w = numkeras.Variable([1.0, 2.0, 3.0, 4.0])
    >>> g = np.array([1.0, 6.0, 7.0, 2.0], "float32")
    >>> _ = optimizers.Adamax(learning_rate=0.5).apply_gradients([(g, w)])
    >>> w.numpy().round(4)
    array([0.5, 1.5, 2.5, 3.5], dtype=float32)
"""
from numkeras.backend import xp
from numkeras.optimizers.hyperparameters import check_number
from numkeras.optimizers.optimizer import Optimizer


class Adamax(Optimizer):
    """The Adamax optimizer.

    Args:
        learning_rate: a float, a `LearningRateSchedule` or a callable.
            Defaults to 0.001.
        beta_1: the decay rate of the first-moment estimate. Defaults to 0.9.
        beta_2: the decay rate of the exponentially weighted infinity norm.
            Defaults to 0.999.
        epsilon: a small constant added to the norm. Defaults to 1e-7.
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
        check_number("Adamax", "beta_1", beta_1, low=0, high=1, high_open=True, usual="0.9")
        check_number("Adamax", "beta_2", beta_2, low=0, high=1, high_open=True, usual="0.999")
        check_number("Adamax", "epsilon", epsilon, low=0, usual="1e-7")
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._m, self._u = self.add_optimizer_variables(var_list, ["momentum", "norm"])

    def update_step(self, gradient, variable, learning_rate):
        i = self._index[id(variable)]
        dtype = variable.data.dtype.type
        t = int(self.iterations.data) + 1
        step_size = dtype(learning_rate / (1 - self.beta_1 ** t))
        one_minus_b1, beta_2, epsilon = dtype(1 - self.beta_1), dtype(self.beta_2), dtype(self.epsilon)
        for g, w, m, u, tmp in self._chunker.chunks(gradient, variable.data, self._m[i].data, self._u[i].data):
            # m += (g - m) * (1 - beta_1)
            xp.subtract(g, m, out=tmp)
            tmp *= one_minus_b1
            m += tmp
            # u = max(beta_2 * u, |g|)
            u *= beta_2
            xp.abs(g, out=tmp)
            xp.maximum(u, tmp, out=u)
            # w -= lr / (1 - beta_1^t) * m / (u + epsilon)
            xp.add(u, epsilon, out=tmp)
            xp.divide(m, tmp, out=tmp)
            tmp *= step_size
            w -= tmp

    def get_config(self):
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon}
