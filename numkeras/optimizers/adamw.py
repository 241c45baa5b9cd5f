"""AdamW: Adam with decoupled weight decay (Loshchilov & Hutter, 2019).

The update is Adam's (see `adam.py`); before it, every variable not excluded
with `exclude_from_weight_decay` shrinks by `w * weight_decay * lr`,
independently of the gradient. `weight_decay` defaults to 0.004 and is required.

Example:
    >>> import numpy as np
    >>> import numkeras
    >>> from numkeras import optimizers
    >>> w = numkeras.Variable([1.0, 2.0, 3.0, 4.0])
    >>> g = np.array([1.0, 6.0, 7.0, 2.0], "float32")
    >>> _ = optimizers.AdamW(learning_rate=0.5).apply_gradients([(g, w)])
    >>> w.numpy().round(4)
    array([0.498, 1.496, 2.494, 3.492], dtype=float32)
"""
from numkeras.optimizers.adam import Adam


class AdamW(Adam):
    """The AdamW optimizer.

    Args:
        learning_rate: a float, a `LearningRateSchedule` or a callable.
            Defaults to 0.001.
        weight_decay: the decoupled weight decay rate, a float. Defaults to 0.004.
        beta_1: the decay rate of the first-moment estimate. Defaults to 0.9.
        beta_2: the decay rate of the second-moment estimate. Defaults to 0.999.
        epsilon: a small constant added to the denominator (outside the
            square root). Defaults to 1e-7.
        amsgrad: whether to use the AMSGrad variant. Defaults to False.
        **kwargs: the other base `Optimizer` arguments (clipnorm, clipvalue,
            global_clipnorm, use_ema, ..., name).
    """

    def __init__(self, learning_rate=0.001, weight_decay=0.004, beta_1=0.9, beta_2=0.999, epsilon=1e-7,
                 amsgrad=False, clipnorm=None, clipvalue=None, global_clipnorm=None, use_ema=False,
                 ema_momentum=0.99, ema_overwrite_frequency=None, loss_scale_factor=None,
                 gradient_accumulation_steps=None, name=None, **kwargs):
        if weight_decay is None:
            raise ValueError("Argument `weight_decay` must be a float. Received: weight_decay=None. "
                             "AdamW needs a decay rate (e.g. weight_decay=0.004); use Adam for no decay.")
        super().__init__(learning_rate, beta_1=beta_1, beta_2=beta_2, epsilon=epsilon, amsgrad=amsgrad,
                         weight_decay=weight_decay, clipnorm=clipnorm, clipvalue=clipvalue,
                         global_clipnorm=global_clipnorm, use_ema=use_ema, ema_momentum=ema_momentum,
                         ema_overwrite_frequency=ema_overwrite_frequency, loss_scale_factor=loss_scale_factor,
                         gradient_accumulation_steps=gradient_accumulation_steps, name=name, **kwargs)
