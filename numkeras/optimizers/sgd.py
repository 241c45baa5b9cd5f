"""SGD: gradient descent, optionally with momentum and Nesterov momentum.

Keras's update rules (`lr` is the learning rate, `g` the gradient):

    plain:     w = w - lr * g
    momentum:  m = momentum * m - lr * g;  w = w + m
    nesterov:  m = momentum * m - lr * g;  w = w + momentum * m - lr * g

Example:
    >>> import numpy as np
    >>> import numkeras
    >>> from numkeras import optimizers
    >>> w = numkeras.Variable([1.0, 2.0])
    >>> _ = optimizers.SGD(0.1, momentum=0.9).apply_gradients([(np.ones(2, "float32"), w)])
    >>> w.numpy()
    array([0.9, 1.9], dtype=float32)
"""
from numkeras.backend import xp
from numkeras.optimizers.hyperparameters import check_bool
from numkeras.optimizers.optimizer import Optimizer


class SGD(Optimizer):
    """Gradient descent (with momentum) optimizer.

    Args:
        learning_rate: a float. Defaults to 0.01.
        momentum: a float in [0, 1] that accelerates descent in the relevant
            direction and dampens oscillations. Defaults to 0.0 (plain SGD).
        nesterov: whether to apply Nesterov momentum. Defaults to False.
        **kwargs: the base `Optimizer` arguments (weight_decay, clipnorm,
            clipvalue, global_clipnorm, ..., name).
    """

    def __init__(self, learning_rate=0.01, momentum=0.0, nesterov=False, weight_decay=None, clipnorm=None,
                 clipvalue=None, global_clipnorm=None, use_ema=False, ema_momentum=0.99,
                 ema_overwrite_frequency=None, loss_scale_factor=None, gradient_accumulation_steps=None,
                 name=None, **kwargs):
        super().__init__(learning_rate, weight_decay=weight_decay, clipnorm=clipnorm, clipvalue=clipvalue,
                         global_clipnorm=global_clipnorm, use_ema=use_ema, ema_momentum=ema_momentum,
                         ema_overwrite_frequency=ema_overwrite_frequency, loss_scale_factor=loss_scale_factor,
                         gradient_accumulation_steps=gradient_accumulation_steps, name=name, **kwargs)
        if isinstance(momentum, bool) or not isinstance(momentum, (int, float)) or not 0 <= momentum <= 1:
            raise ValueError(f"`momentum` must be a float between [0, 1]. Received: momentum={momentum!r}. "
                             "Use a value in that range, usually 0.9 (or 0.0 for plain SGD).")
        check_bool("SGD", "nesterov", nesterov)
        self.momentum = float(momentum)
        self.nesterov = bool(nesterov)

    def build(self, variables):
        if self.built:
            return
        super().build(variables)
        self.momentums = self.add_optimizer_variables(variables, "momentum") if self.momentum else []

    def update_step(self, gradient, variable, learning_rate):
        dtype = variable.data.dtype.type
        lr, momentum = dtype(learning_rate), dtype(self.momentum)
        if not self.momentum:
            for g, w, step in self._chunker.chunks(gradient, variable.data):
                xp.multiply(g, lr, out=step)
                w -= step
            return
        m = self.momentums[self._index[id(variable)]].data
        for g, w, m, step in self._chunker.chunks(gradient, variable.data, m):
            xp.multiply(g, lr, out=step)  # step = lr * g
            m *= momentum
            m -= step
            if self.nesterov:
                w -= step
                xp.multiply(m, momentum, out=step)
                w += step
            else:
                w += m

    def get_config(self):
        return {**super().get_config(), "momentum": self.momentum, "nesterov": self.nesterov}
