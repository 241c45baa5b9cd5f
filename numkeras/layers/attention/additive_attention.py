"""AdditiveAttention: Bahdanau-style attention, `scores = sum(scale * tanh(query + key))` per query/key pair.

Everything but the scores (masks, softmax, dropout, the causal mask) is
Attention's. The learned `scale` has one entry per feature.

Example:
    >>> import numpy as np
    >>> from numkeras import layers
    >>> layer = layers.AdditiveAttention()
    >>> layer([np.ones((2, 3, 4), "float32"), np.ones((2, 5, 4), "float32")]).shape, layer.scale.shape
    ((2, 3, 4), (4,))
"""
from numkeras.engine import math_ops, reduction_ops, shape_ops
from numkeras.layers.attention.attention import Attention


class AdditiveAttention(Attention):
    """Additive attention layer.

    Args:
        use_scale: whether to learn a per-feature scale of the scores. Defaults to True.
        dropout: dropout rate on the attention weights in training. Defaults to 0.0.
        **kwargs: `seed`, and base layer arguments such as `name` and `dtype`.

    Call arguments: as Attention's.
    """

    def __init__(self, use_scale=True, dropout=0.0, **kwargs):
        super().__init__(use_scale=use_scale, dropout=dropout, **kwargs)

    def build(self, input_shape):
        self._validate_inputs(input_shape)
        self.scale = self.concat_score_weight = None
        if self.use_scale:
            self.scale = self.add_weight(shape=(input_shape[0][-1],), initializer="glorot_uniform", name="scale")
        self.built = True

    def _calculate_scores(self, query, key):
        pairs = math_ops.tanh(math_ops.add(shape_ops.expand_dims(query, -2), shape_ops.expand_dims(key, -3)))
        if self.scale is not None:
            pairs = math_ops.multiply(self.scale, pairs)
        return reduction_ops.sum(pairs, axis=-1)

    def get_config(self):
        config = super().get_config()
        del config["score_mode"]
        return config
