"""RMSprop: divide the gradient by a running root-mean-square of recent gradients.

Keras's update rule (`lr` the learning rate, `g` the gradient; epsilon sits
INSIDE the square root):

    v = rho * v + (1 - rho) * g**2
    w = w - lr * g / sqrt(v + epsilon)

`centered=True` uses the variance instead, `max(v - a**2, 0) + epsilon` with
`a = rho * a + (1 - rho) * g`; `momentum > 0` accumulates the step:
`m = momentum * m + step; w = w - m`.

Example:
    >>> import numpy as np
    >>> import numkeras
    >>> from numkeras import optimizers
    >>> w = numkeras.Variable([1.0, 2.0, 3.0, 4.0])
    >>> g = np.array([1.0, 6.0, 7.0, 2.0], "float32")
    >>> _ = optimizers.RMSprop(learning_rate=0.5).apply_gradients([(g, w)])
    >>> w.numpy().round(4)
    array([-0.5811,  0.4189,  1.4189,  2.4189], dtype=float32)
"""
from numkeras.backend import xp
from numkeras.optimizers import update_kernels
from numkeras.optimizers.hyperparameters import check_bool, check_number
from numkeras.optimizers.optimizer import Optimizer
from numkeras.optimizers.saturating import saturating_square


class RMSprop(Optimizer):
    """The RMSprop optimizer.

    Args:
        learning_rate: a float. Defaults to 0.001.
        rho: the discounting factor of the squared-gradient average. Defaults to 0.9.
        momentum: if > 0, the step is accumulated with this momentum. Defaults to 0.0.
        epsilon: a small constant added inside the square root. Defaults to 1e-7.
        centered: if True, normalize by the estimated variance of the
            gradient instead of its second moment. Defaults to False.
        **kwargs: the base `Optimizer` arguments (weight_decay, clipnorm,
            clipvalue, global_clipnorm, ..., name).
    """

    def __init__(self, learning_rate=0.001, rho=0.9, momentum=0.0, epsilon=1e-7, centered=False,
                 weight_decay=None, clipnorm=None, clipvalue=None, global_clipnorm=None, use_ema=False,
                 ema_momentum=0.99, ema_overwrite_frequency=None, loss_scale_factor=None,
                 gradient_accumulation_steps=None, name=None, **kwargs):
        super().__init__(learning_rate, weight_decay=weight_decay, clipnorm=clipnorm, clipvalue=clipvalue,
                         global_clipnorm=global_clipnorm, use_ema=use_ema, ema_momentum=ema_momentum,
                         ema_overwrite_frequency=ema_overwrite_frequency, loss_scale_factor=loss_scale_factor,
                         gradient_accumulation_steps=gradient_accumulation_steps, name=name, **kwargs)
        check_number("RMSprop", "rho", rho, low=0, high=1, usual="0.9")
        check_number("RMSprop", "momentum", momentum, low=0, high=1, usual="0.0")
        check_number("RMSprop", "epsilon", epsilon, low=0, usual="1e-7")
        check_bool("RMSprop", "centered", centered)
        self.rho = rho
        self.momentum = momentum
        self.epsilon = epsilon
        self.centered = centered

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._velocities = self.add_optimizer_variables(var_list, "velocity")
        self._momentums = self.add_optimizer_variables(var_list, "momentum") if self.momentum > 0 else []
        self._average_gradients = (self.add_optimizer_variables(var_list, "average_gradient")
                                   if self.centered else [])

    def update_step(self, gradient, variable, learning_rate):
        i = self._index[id(variable)]
        dtype = variable.data.dtype.type
        lr, rho, one_minus_rho = dtype(learning_rate), dtype(self.rho), dtype(1 - self.rho)
        epsilon, momentum = dtype(self.epsilon), dtype(self.momentum)
        slots = [self._velocities[i].data]
        if not self.centered and self.momentum <= 0 and update_kernels.rmsprop(  # one pass (numba), same formula
                variable.data, gradient, slots[0], rho, one_minus_rho, epsilon, lr) is not None:
            return
        if self.centered:
            slots.append(self._average_gradients[i].data)
        if self.momentum > 0:
            slots.append(self._momentums[i].data)
        def body(g, w, v, *rest):
            tmp = rest[-1]
            # v = rho * v + (1 - rho) * g^2
            saturating_square(g, tmp)  # not inf for |g| > 1.8e19 in float32: see Optimizer
            tmp *= one_minus_rho
            v *= rho
            v += tmp
            if self.centered:  # denominator = v - a^2 + epsilon, a the running mean gradient
                a = rest[0]
                a *= rho
                xp.multiply(g, one_minus_rho, out=tmp)
                a += tmp
                saturating_square(a, tmp)
                xp.subtract(v, tmp, out=tmp)
                xp.maximum(tmp, 0, out=tmp)  # a variance: rounding or a saturated v may take it below 0
                tmp += epsilon
            else:
                xp.add(v, epsilon, out=tmp)
            # step = lr * g / sqrt(denominator)
            xp.sqrt(tmp, out=tmp)
            xp.divide(g, tmp, out=tmp)
            tmp *= lr
            if self.momentum > 0:
                m = rest[-2]
                m *= momentum
                m += tmp
                w -= m
            else:
                w -= tmp
        self._chunker.each_chunk(body, gradient, variable.data, *slots)

    def get_config(self):
        return {**super().get_config(), "rho": self.rho, "momentum": self.momentum,
                "epsilon": self.epsilon, "centered": self.centered}
