"""Adam: adaptive moment estimation.

Keras's update rule at step t = iterations + 1 (`lr` the learning rate, `g`
the gradient; epsilon sits OUTSIDE the square root, and the bias correction
is folded into the step size):

    alpha = lr * sqrt(1 - beta_2**t) / (1 - beta_1**t)
    m = m + (g - m) * (1 - beta_1)
    v = v + (g**2 - v) * (1 - beta_2)
    w = w - alpha * m / (sqrt(v) + epsilon)

With `amsgrad=True`, `v_hat = max(v_hat, v)` replaces `v` in the last line.

Example:
    >>> import numpy as np
    >>> import numkeras
    >>> from numkeras import optimizers
    >>> w = numkeras.Variable([1.0, 2.0, 3.0, 4.0])
    >>> g = np.array([1.0, 6.0, 7.0, 2.0], "float32")
    >>> _ = optimizers.Adam(learning_rate=0.5).apply_gradients([(g, w)])
    >>> w.numpy().round(4)
    array([0.5, 1.5, 2.5, 3.5], dtype=float32)
"""
import math

from numkeras.backend import xp
from numkeras.optimizers import update_kernels
from numkeras.optimizers.hyperparameters import check_bool, check_number
from numkeras.optimizers.optimizer import Optimizer
from numkeras.optimizers.saturating import saturating_square


class Adam(Optimizer):
    """The Adam optimizer.

    Args:
        learning_rate: a float. Defaults to 0.001.
        beta_1: the decay rate of the first-moment estimate. Defaults to 0.9.
        beta_2: the decay rate of the second-moment estimate. Defaults to 0.999.
        epsilon: a small constant added to the denominator (outside the
            square root). Defaults to 1e-7.
        amsgrad: whether to use the AMSGrad variant (the maximum of past
            second moments). Defaults to False.
        **kwargs: the base `Optimizer` arguments (weight_decay, clipnorm,
            clipvalue, global_clipnorm, ..., name).
    """

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, amsgrad=False,
                 weight_decay=None, clipnorm=None, clipvalue=None, global_clipnorm=None, use_ema=False,
                 ema_momentum=0.99, ema_overwrite_frequency=None, loss_scale_factor=None,
                 gradient_accumulation_steps=None, name=None, **kwargs):
        super().__init__(learning_rate, weight_decay=weight_decay, clipnorm=clipnorm, clipvalue=clipvalue,
                         global_clipnorm=global_clipnorm, use_ema=use_ema, ema_momentum=ema_momentum,
                         ema_overwrite_frequency=ema_overwrite_frequency, loss_scale_factor=loss_scale_factor,
                         gradient_accumulation_steps=gradient_accumulation_steps, name=name, **kwargs)
        name_ = type(self).__name__
        check_number(name_, "beta_1", beta_1, low=0, high=1, high_open=True, usual="0.9")
        check_number(name_, "beta_2", beta_2, low=0, high=1, high_open=True, usual="0.999")
        check_number(name_, "epsilon", epsilon, low=0, usual="1e-7")
        check_bool(name_, "amsgrad", amsgrad)
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.amsgrad = amsgrad

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._momentums, self._velocities = self.add_optimizer_variables(var_list, ["momentum", "velocity"])
        if self.amsgrad:
            self._velocity_hats = self.add_optimizer_variables(var_list, "velocity_hat")

    def update_step(self, gradient, variable, learning_rate):
        i = self._index[id(variable)]
        dtype = variable.data.dtype.type
        t = int(self.iterations.data) + 1
        alpha = dtype(learning_rate * math.sqrt(1 - self.beta_2 ** t) / (1 - self.beta_1 ** t))
        one_minus_b1, one_minus_b2, epsilon = dtype(1 - self.beta_1), dtype(1 - self.beta_2), dtype(self.epsilon)
        slots = [self._momentums[i].data, self._velocities[i].data]
        if not self.amsgrad and update_kernels.adam(  # the same formula, one pass (numba), where it takes these
                variable.data, gradient, *slots, one_minus_b1, one_minus_b2, epsilon, alpha) is not None:
            return
        if self.amsgrad:
            slots.append(self._velocity_hats[i].data)
        def body(g, w, m, v, *rest):
            tmp = rest[-1]
            # m += (g - m) * (1 - beta_1)
            xp.subtract(g, m, out=tmp)
            tmp *= one_minus_b1
            m += tmp
            # v += (g^2 - v) * (1 - beta_2)
            saturating_square(g, tmp)  # not inf for |g| > 1.8e19 in float32: see Optimizer
            tmp -= v
            tmp *= one_minus_b2
            v += tmp
            if self.amsgrad:
                xp.maximum(rest[0], v, out=rest[0])
                v = rest[0]
            # w -= alpha * m / (sqrt(v) + epsilon)
            xp.sqrt(v, out=tmp)
            tmp += epsilon
            xp.divide(m, tmp, out=tmp)
            tmp *= alpha
            w -= tmp
        self._chunker.each_chunk(body, gradient, variable.data, *slots)

    def get_config(self):
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2,
                "epsilon": self.epsilon, "amsgrad": self.amsgrad}
