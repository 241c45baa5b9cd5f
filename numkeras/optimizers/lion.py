"""Lion: EvoLved Sign Momentum (Chen et al., 2023).

Keras's update rule (`lr` the learning rate, `g` the gradient): the step is
the sign of an interpolation, so every parameter moves by exactly `lr`:

    w = w - lr * sign(beta_1 * m + (1 - beta_1) * g)
    m = beta_2 * m + (1 - beta_2) * g

Lion's steps are larger than Adam's: use a rate 3-10 times smaller.

Example:
    >>> import numpy as np
    >>> import numkeras
    >>> from numkeras import optimizers
    >>> w = numkeras.Variable([1.0, 2.0, 3.0, 4.0])
    >>> g = np.array([1.0, 6.0, -7.0, 0.0], "float32")
    >>> _ = optimizers.Lion(learning_rate=0.5).apply_gradients([(g, w)])
    >>> w.numpy()
    array([0.5, 1.5, 3.5, 4. ], dtype=float32)
"""
from numkeras.backend import xp
from numkeras.optimizers.hyperparameters import check_number
from numkeras.optimizers.optimizer import Optimizer


class Lion(Optimizer):
    """The Lion optimizer.

    Args:
        learning_rate: a float, a `LearningRateSchedule` or a callable.
            Defaults to 0.001.
        beta_1: in (0, 1], the weight of the momentum in the step's sign.
            Defaults to 0.9.
        beta_2: the decay rate of the momentum. Defaults to 0.99.
        **kwargs: the base `Optimizer` arguments (weight_decay, clipnorm,
            clipvalue, global_clipnorm, ..., name).
    """

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.99, weight_decay=None, clipnorm=None,
                 clipvalue=None, global_clipnorm=None, use_ema=False, ema_momentum=0.99,
                 ema_overwrite_frequency=None, loss_scale_factor=None, gradient_accumulation_steps=None,
                 name=None, **kwargs):
        super().__init__(learning_rate, weight_decay=weight_decay, clipnorm=clipnorm, clipvalue=clipvalue,
                         global_clipnorm=global_clipnorm, use_ema=use_ema, ema_momentum=ema_momentum,
                         ema_overwrite_frequency=ema_overwrite_frequency, loss_scale_factor=loss_scale_factor,
                         gradient_accumulation_steps=gradient_accumulation_steps, name=name, **kwargs)
        check_number("Lion", "beta_1", beta_1, usual="0.9")  # the type; the range is checked below
        if beta_1 <= 0 or beta_1 > 1:
            raise ValueError("Argument `beta_1` must be in the [0, 1] range. Otherwise, the optimizer "
                             f"degenerates to SignSGD. Received: beta_1={beta_1}.")
        check_number("Lion", "beta_2", beta_2, low=0, high=1, usual="0.99")
        self.beta_1 = beta_1
        self.beta_2 = beta_2

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._momentums = self.add_optimizer_variables(var_list, "momentum")

    def update_step(self, gradient, variable, learning_rate):
        dtype = variable.data.dtype.type
        lr, beta_1, beta_2 = dtype(learning_rate), dtype(self.beta_1), dtype(self.beta_2)
        one_minus_b1, one_minus_b2 = dtype(1 - self.beta_1), dtype(1 - self.beta_2)
        momentum = self._momentums[self._index[id(variable)]].data
        for g, w, m, step, tmp in self._chunker.chunks(gradient, variable.data, momentum, scratch=2):
            # w -= lr * sign(beta_1 * m + (1 - beta_1) * g)
            xp.multiply(m, beta_1, out=step)
            xp.multiply(g, one_minus_b1, out=tmp)
            step += tmp
            xp.sign(step, out=step)
            step *= lr
            w -= step
            # m = beta_2 * m + (1 - beta_2) * g
            m *= beta_2
            xp.multiply(g, one_minus_b2, out=tmp)
            m += tmp

    def get_config(self):
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2}
