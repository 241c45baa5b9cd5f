"""Attention: dot-product (Luong-style) attention of a query over a value, one head, no projections.

`scores = query @ key^T` (times a learned `scale` if `use_scale`), or with
`score_mode="concat"`, `concat_score_weight * sum(tanh(query + key))` over
the features of each query/key pair; then the softmax over the key axis
(masked value positions and, with `use_causal_mask`, later positions get
`scores - 1e9`) weights the value rows. A masked query position's output is
zero. AdditiveAttention (additive_attention.py) changes only the scores.

Example:
    >>> import numpy as np
    >>> from numkeras import layers
    >>> q, v = np.ones((2, 3, 4), "float32"), np.ones((2, 5, 4), "float32")
    >>> out, scores = layers.Attention()([q, v], return_attention_scores=True)
    >>> out.shape, scores.shape
    ((2, 3, 4), (2, 3, 5))
"""
import numpy as np

from numkeras.backend import random_generator, xp
from numkeras.engine import linalg_ops, math_ops, nn_ops, reduction_ops, shape_ops
from numkeras.engine.tensor import unwrap
from numkeras.layers.layer import Layer


class Attention(Layer):
    """Dot-product attention layer.

    Args:
        use_scale: whether to learn a scalar that multiplies the scores. Defaults to False.
        score_mode: "dot" (`query @ key^T`) or "concat" (`sum(tanh(query + key))`). Defaults to "dot".
        dropout: dropout rate on the attention weights in training. Defaults to 0.0.
        seed: optional int seed of the dropout.
        **kwargs: base layer arguments such as `name` and `dtype`.

    Call arguments:
        inputs: a list `[query (B, Tq, dim), value (B, Tv, dim)]` or
            `[query, value, key (B, Tv, dim)]`; the key defaults to the value.
        mask: a list `[query_mask (B, Tq), value_mask (B, Tv)]` (either may be None).
        training: whether dropout is active. Defaults to False.
        return_attention_scores: also return the `(B, Tq, Tv)` attention weights.
        use_causal_mask: block each query position from later value positions.
    """

    def __init__(self, use_scale=False, score_mode="dot", dropout=0.0, seed=None, **kwargs):
        super().__init__(**kwargs)
        if score_mode not in ("dot", "concat"):
            raise ValueError(f"Invalid value for argument score_mode. Expected one of {{'dot', 'concat'}}. "
                             f"Received: score_mode={score_mode!r}")
        if not 0 <= dropout < 1:
            raise ValueError(f"{type(self).__name__}: `dropout` must be in [0, 1). Received: dropout={dropout!r}.")
        self.supports_masking = True
        self.use_scale, self.score_mode, self.dropout, self.seed = use_scale, score_mode, dropout, seed
        self._generator = np.random.default_rng(seed) if seed is not None else None

    def build(self, input_shape):
        self._validate_inputs(input_shape)
        self.scale = self.concat_score_weight = None
        if self.use_scale:
            self.scale = self.add_weight(shape=(), initializer="ones", name="scale")
        if self.score_mode == "concat":
            self.concat_score_weight = self.add_weight(shape=(), initializer="ones", name="concat_score_weight")
        self.built = True

    def _calculate_scores(self, query, key):
        """`(B, Tq, Tv)` scores of each query row against each key row."""
        if self.score_mode == "dot":
            swapped = tuple(range(key.ndim - 2)) + (key.ndim - 1, key.ndim - 2)
            scores = linalg_ops.matmul(query, shape_ops.transpose(key, swapped))
            return scores if self.scale is None else math_ops.multiply(scores, self.scale)
        pairs = math_ops.add(shape_ops.expand_dims(query, -2), shape_ops.expand_dims(key, -3))
        if self.scale is not None:
            pairs = math_ops.multiply(self.scale, pairs)
        return math_ops.multiply(self.concat_score_weight, reduction_ops.sum(math_ops.tanh(pairs), axis=-1))

    def call(self, inputs, mask=None, training=False, return_attention_scores=False, use_causal_mask=False):
        self._validate_inputs(inputs, mask)
        query, value = inputs[0], inputs[1]
        key = inputs[2] if len(inputs) > 2 else value
        query_mask = self._mask(mask[0], query, "query") if mask else None
        value_mask = self._mask(mask[1], value, "value") if mask else None
        scores = self._calculate_scores(query, key)
        allowed = None if value_mask is None else value_mask[..., None, :]
        if use_causal_mask:
            causal = np.tril(np.ones(scores.shape[-2:], bool))[None]
            allowed = causal if allowed is None else allowed & causal
        if allowed is not None:  # Keras subtracts a large number rather than replacing the score
            scores = math_ops.where(allowed, scores, math_ops.subtract(scores, 65504.0 if scores.dtype == "float16"
                                                                      else 1e9))
        weights = nn_ops.softmax(scores, axis=-1)
        applied = weights
        if training and self.dropout > 0:
            keep = (self._generator or random_generator()).random(weights.shape, dtype=np.float32) >= self.dropout
            applied = math_ops.multiply(weights, keep.astype(weights.dtype) / np.asarray(1 - self.dropout,
                                                                                         weights.dtype))
        output = linalg_ops.matmul(applied, value)
        if query_mask is not None:
            output = math_ops.where(query_mask[..., None], output, 0.0)
        return (output, weights) if return_attention_scores else output

    def _mask(self, mask, x, what):
        mask = _array(mask)
        if mask is not None and tuple(mask.shape) != tuple(x.shape[:-1]):
            raise ValueError(f"{type(self).__name__} layer {self.name!r}: the {what} mask must have shape "
                             f"{tuple(x.shape[:-1])} (the {what}'s shape without its last axis). Received: mask of "
                             f"shape {tuple(mask.shape)}.")
        return mask

    def compute_mask(self, inputs, mask=None):
        self._validate_inputs(inputs, mask)
        return None if mask is None or mask[0] is None else _array(mask[0])

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[0][:-1]) + (input_shape[1][-1],)

    def compute_output_spec(self, inputs, mask=None, return_attention_scores=False, training=None,
                            use_causal_mask=False):
        from numkeras.layers.keras_tensor import KerasTensor
        self._validate_inputs(inputs, mask)
        key = inputs[2] if len(inputs) > 2 else inputs[1]
        out = KerasTensor(self.compute_output_shape([t.shape for t in inputs]), self.dtype)
        if return_attention_scores:
            return out, KerasTensor(tuple(inputs[0].shape[:-1]) + (key.shape[-2],), self.dtype)
        return out

    def _validate_inputs(self, inputs, mask=None):
        name = type(self).__name__
        if not isinstance(inputs, (list, tuple)) or (inputs and isinstance(inputs[0], int)):
            raise ValueError(f"{name} layer must be called on a list of inputs, namely [query, value] or "
                             f"[query, value, key]. Received: inputs={inputs!r}.")
        if not 2 <= len(inputs) <= 3:
            raise ValueError(f"{name} layer accepts inputs list of length 2 or 3, namely [query, value] or "
                             f"[query, value, key]. Received length: {len(inputs)}.")
        if mask is not None:
            if not isinstance(mask, (list, tuple)):
                raise ValueError(f"{name} layer mask must be a list, namely [query_mask, value_mask]. "
                                 f"Received: mask={mask!r}.")
            if not 2 <= len(mask) <= 3:
                raise ValueError(f"{name} layer accepts mask list of length 2 or 3. Received: mask of length "
                                 f"{len(mask)}.")

    def get_config(self):
        return {**super().get_config(), "use_scale": self.use_scale, "score_mode": self.score_mode,
                "dropout": self.dropout, "seed": self.seed}


def _array(mask):
    return None if mask is None else xp.asarray(unwrap(mask)).astype(bool)
