"""MultiHeadAttention: scaled dot-product attention in several heads, as in "Attention Is All You Need".

The query, key and value are each projected by an EinsumDense into
`num_heads` heads (`(B, T, dim) -> (B, T, num_heads, key_dim)`); each head
scores every query position against every key position
(`q . k / sqrt(key_dim)`), the masked softmax of the scores weights the
values, and a last EinsumDense maps the heads back to the query's last
dimension (or `output_shape`). The sublayers, their names ("query", "key",
"value", "attention_output") and their weight shapes are Keras's, so
weights move between the two libraries.

Example:
    >>> import numpy as np
    >>> from numkeras import layers
    >>> mha = layers.MultiHeadAttention(num_heads=2, key_dim=4)
    >>> x = np.ones((3, 5, 8), "float32")
    >>> out, scores = mha(x, x, return_attention_scores=True)
    >>> out.shape, scores.shape, mha.query_dense.kernel.shape
    ((3, 5, 8), (3, 2, 5, 5), (8, 2, 4))
"""
import math
import string

import numpy as np

from numkeras import constraints, initializers, regularizers
from numkeras.backend import xp
from numkeras.engine import attention_ops, einsum_ops, math_ops
from numkeras.engine.tensor import Tensor, unwrap
from numkeras.layers.activations.softmax import Softmax
from numkeras.layers.core.einsum_dense import EinsumDense
from numkeras.layers.keras_tensor import KerasTensor, any_symbolic
from numkeras.layers.layer import Layer
from numkeras.layers.regularization.dropout import Dropout


class MultiHeadAttention(Layer):
    """Multi-head attention.

    Args:
        num_heads: a positive int, the number of attention heads.
        key_dim: a positive int, the size of each head for query and key.
        value_dim: the size of each head for value. Defaults to `key_dim`.
        dropout: dropout rate on the attention probabilities. Defaults to 0.0.
        use_bias: whether the projections have biases. Defaults to True.
        output_shape: the output's trailing shape (int or tuple, batch and
            sequence axes excluded). Defaults to None: the query's last dimension.
        attention_axes: the axes attention runs over (ints, tuple or list).
            Defaults to None: every axis but the batch, heads and features.
        sliding_window: a positive int: each query position attends only to
            keys fewer than this many positions away. Defaults to None.
        use_gate: whether a sigmoid gate computed from the query multiplies
            the heads before the output projection. Defaults to False.
        kernel_initializer, bias_initializer: of every projection. Default to
            "glorot_uniform" and "zeros".
        kernel_regularizer, bias_regularizer, activity_regularizer: of every
            projection.
        kernel_constraint, bias_constraint: of every projection.
        seed: optional int seed of the attention dropout.
        **kwargs: base layer arguments such as `name` and `dtype`.

    Call arguments:
        query: `(B, T, dim)`. value: `(B, S, dim)`. key: `(B, S, dim)`,
            defaults to `value`.
        query_mask, value_mask, key_mask: boolean `(B, T)` / `(B, S)` masks;
            each defaults to the Keras mask its tensor carries.
        attention_mask: boolean `(B, T, S)`: False blocks a query/key pair.
        return_attention_scores: also return the `(B, num_heads, T, S)` scores.
        training: whether dropout is active.
        use_causal_mask: block each query position from later key positions.
    """

    def __init__(self, num_heads, key_dim, value_dim=None, dropout=0.0, use_bias=True, output_shape=None,
                 attention_axes=None, sliding_window=None, flash_attention=None,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros", kernel_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, kernel_constraint=None, bias_constraint=None,
                 use_gate=False, seed=None, **kwargs):
        _check_positive(num_heads, "num_heads", "an int such as 8")
        _check_positive(key_dim, "key_dim", "the size of each head, e.g. embed_dim // num_heads")
        if value_dim is not None:
            _check_positive(value_dim, "value_dim", "an int, or None to use key_dim")
        if sliding_window is not None:
            _check_positive(sliding_window, "sliding_window", "an int, or None for no window")
        if not 0 <= dropout < 1:
            raise ValueError(f"MultiHeadAttention: `dropout` must be in [0, 1). Received: dropout={dropout!r}.")
        super().__init__(**kwargs)
        self.supports_masking = True
        self._num_heads, self._key_dim = num_heads, key_dim
        self._value_dim = value_dim or key_dim
        self._dropout, self._use_bias, self._use_gate = float(dropout), use_bias, use_gate
        if output_shape:
            if isinstance(output_shape, int):
                output_shape = (output_shape,)
            if not isinstance(output_shape, (list, tuple)):
                raise ValueError(f"MultiHeadAttention: `output_shape` must be an int, tuple or list. "
                                 f"Received: output_shape={output_shape!r}.")
            output_shape = tuple(output_shape)
        self._output_shape = output_shape or None
        if isinstance(attention_axes, int):
            attention_axes = (attention_axes,)
        elif attention_axes is not None and not isinstance(attention_axes, (list, tuple)):
            raise ValueError(f"MultiHeadAttention: `attention_axes` must be an int, list or tuple. "
                             f"Received: attention_axes={attention_axes!r}.")
        self._attention_axes = None if attention_axes is None else tuple(attention_axes)
        self._sliding_window = sliding_window
        self._flash_attention = flash_attention
        self._kernel_initializer = initializers.get(kernel_initializer)
        self._bias_initializer = initializers.get(bias_initializer)
        self._kernel_regularizer = regularizers.get(kernel_regularizer)
        self._bias_regularizer = regularizers.get(bias_regularizer)
        self._kernel_constraint = constraints.get(kernel_constraint)
        self._bias_constraint = constraints.get(bias_constraint)
        self._sublayer_activity_regularizer = regularizers.get(activity_regularizer)
        self.seed = seed
        self._inverse_sqrt_key_dim = 1.0 / math.sqrt(float(key_dim))
        self._build_shapes = None

    num_heads = property(lambda self: self._num_heads)
    key_dim = property(lambda self: self._key_dim)
    value_dim = property(lambda self: self._value_dim)
    dropout = property(lambda self: self._dropout)
    use_bias = property(lambda self: self._use_bias)
    attention_axes = property(lambda self: self._attention_axes)
    query_dense = property(lambda self: self._query_dense)
    key_dense = property(lambda self: self._key_dense)
    value_dense = property(lambda self: self._value_dense)
    output_dense = property(lambda self: self._output_dense)

    # -- building --------------------------------------------------------------
    def build(self, query_shape, value_shape=None, key_shape=None):
        if value_shape is None:
            raise ValueError(f"MultiHeadAttention layer {self.name!r} needs the value's shape to build. "
                             f"Call it as layer(query, value) or build(query_shape, value_shape).")
        query_shape, value_shape = tuple(query_shape), tuple(value_shape)
        key_shape = value_shape if key_shape is None else tuple(key_shape)
        if value_shape[1:-1] != key_shape[1:-1]:
            raise ValueError(f"MultiHeadAttention layer {self.name!r}: all dimensions of `value` and `key`, except "
                             f"the last one, must be equal. Received: value_shape={value_shape} and "
                             f"key_shape={key_shape}")
        self._build_shapes = {"query_shape": list(query_shape), "value_shape": list(value_shape)}
        if key_shape is not value_shape:
            self._build_shapes["key_shape"] = list(key_shape)
        heads = [self._num_heads, self._key_dim]
        self._query_dense = self._projection(len(query_shape) - 1, 1, heads, "query")
        self._query_dense.build(query_shape)
        self._key_dense = self._projection(len(key_shape) - 1, 1, heads, "key")
        self._key_dense.build(key_shape)
        if self._use_gate:
            self._gate_dense = self._projection(len(query_shape) - 1, 1, [self._num_heads, self._value_dim], "gate",
                                                activation="sigmoid")
            self._gate_dense.build(query_shape)
        self._value_dense = self._projection(len(value_shape) - 1, 1, [self._num_heads, self._value_dim], "value")
        self._value_dense.build(value_shape)
        rank = len(value_shape) + 1  # of the projected tensors: (B, ..., heads, dim)
        axes = tuple(range(1, rank - 2)) if self._attention_axes is None else \
            tuple(a if a >= 0 else rank - 1 + a for a in self._attention_axes)
        self._attn_axes = axes
        self._dot_product_equation, self._combine_equation, scores_rank = attention_equations(rank, axes)
        self._softmax = Softmax(axis=tuple(range(scores_rank - len(axes), scores_rank)), dtype=self.dtype)
        self._dropout_layer = Dropout(rate=self._dropout, seed=self.seed, dtype=self.dtype)
        out_shape = self._output_shape or (query_shape[-1],)
        self._output_dense = self._projection(len(query_shape) - 1, 2, list(out_shape), "attention_output")
        heads_shape = list(self._query_dense.compute_output_shape(query_shape))
        heads_shape[-1] = self._value_dim
        self._output_dense.build(tuple(heads_shape))
        self.built = True

    def _projection(self, free_dims, bound_dims, known_dims, name, activation=None):
        equation, bias_axes, output_rank = projection_equation(free_dims, bound_dims, len(known_dims))
        return EinsumDense(
            equation, output_shape=[None] * (output_rank - 1 - len(known_dims)) + list(known_dims),
            bias_axes=bias_axes if self._use_bias else None, activation=activation, name=name,
            kernel_initializer=type(self._kernel_initializer).from_config(self._kernel_initializer.get_config()),
            bias_initializer=type(self._bias_initializer).from_config(self._bias_initializer.get_config()),
            kernel_regularizer=self._kernel_regularizer, bias_regularizer=self._bias_regularizer,
            activity_regularizer=self._sublayer_activity_regularizer, kernel_constraint=self._kernel_constraint,
            bias_constraint=self._bias_constraint, dtype=self.dtype)

    def get_build_config(self):
        return None if self._build_shapes is None else {"shapes_dict": self._build_shapes}

    def build_from_config(self, config):
        shapes = config.get("shapes_dict") or {}
        if "query_shape" in shapes:
            self.build(**{k: tuple(v) for k, v in shapes.items()})
        elif config.get("input_shape") is not None:  # a plain input_shape: query and value alike
            self.build(tuple(config["input_shape"]), tuple(config["input_shape"]))

    # -- calling ---------------------------------------------------------------
    def __call__(self, query, value=None, key=None, **kwargs):
        if value is None:
            raise ValueError(f"MultiHeadAttention layer {self.name!r} must be called as layer(query, value) or "
                             f"layer(query, value, key). Received no value.")
        if not self.built:
            self.build(_shape(query), _shape(value), None if key is None else _shape(key))
        if not any_symbolic(query):
            value = self._convert_input(value)
            key = None if key is None else self._convert_input(key)
        return super().__call__(query, value, *(() if key is None else (key,)), **kwargs)

    def call(self, query, value, key=None, query_mask=None, value_mask=None, key_mask=None, attention_mask=None,
             return_attention_scores=False, training=None, use_causal_mask=False):
        query_mask = _mask_of(query, query_mask)  # Keras reads the query's own mask first
        value_mask = value_mask if value_mask is not None else _mask_of(value)
        if key is None:
            key = value
        elif key_mask is None and key is not value:
            key_mask = _mask_of(key)
        for x in (query, value, key):  # as Keras: the masks are used up here, the projections see none
            _set_mask(x, None)
        mask = self._compute_attention_mask(query, value, query_mask=query_mask, value_mask=value_mask,
                                           key_mask=key_mask, attention_mask=attention_mask,
                                           use_causal_mask=use_causal_mask)
        gate = self._gate_dense(query) if self._use_gate else None
        q = self._query_dense(query)
        k = self._key_dense(key)
        v = self._value_dense(value)
        output, scores = self._compute_attention(q, k, v, mask, training, return_attention_scores)
        if gate is not None:
            output = math_ops.multiply(output, gate)
        output = self._output_dense(output)
        if query_mask is not None:
            _set_mask(output, query_mask)
        return (output, scores) if return_attention_scores else output

    def _compute_attention(self, query, key, value, attention_mask=None, training=None,
                           return_attention_scores=False):
        """Attention of projected `(B, T, heads, key_dim)` queries over projected keys and values (Keras's
        hook for custom attention): returns the heads' outputs and the attention scores."""
        scale = xp.asarray(self._inverse_sqrt_key_dim, dtype=query.data.dtype)
        if self._fused_attention(query, return_attention_scores, training):
            if attention_mask is not None and attention_mask.ndim == 3:  # (B, T, S) -> (B, 1, T, S)
                attention_mask = xp.expand_dims(attention_mask, 1)
            return attention_ops.attention(query, key, value, attention_mask, scale=scale), None
        query = math_ops.multiply(query, scale)
        scores = self._masked_softmax(einsum_ops.einsum(self._dot_product_equation, key, query), attention_mask)
        weights = self._dropout_layer(scores, training=training) if self._dropout > 0 else scores
        return einsum_ops.einsum(self._combine_equation, weights, value), scores

    def _fused_attention(self, query, return_attention_scores, training):
        """Whether `attention_ops.attention` computes this call (the same numbers, scores kept in cache):
        one attention axis, no scores asked for, no dropout on them, and Keras's `_masked_softmax` hook not
        overridden."""
        return (not return_attention_scores and query.ndim == 4 and self._attn_axes == (1,)
                and (self._dropout == 0 or not training)
                and type(self)._masked_softmax is MultiHeadAttention._masked_softmax)

    def _masked_softmax(self, attention_scores, attention_mask=None):
        if attention_mask is not None:  # (B, T, S) -> before the heads axis: (B, 1, T, S)
            for _ in range(attention_scores.ndim - attention_mask.ndim):
                attention_mask = xp.expand_dims(attention_mask, -len(self._attn_axes) * 2 - 1)
        return self._softmax(attention_scores, mask=attention_mask)

    def _compute_attention_mask(self, query, value, query_mask=None, value_mask=None, key_mask=None,
                                attention_mask=None, use_causal_mask=False):
        """The boolean `(B, T, S)` (or broadcastable) mask of allowed query/key pairs, or None."""
        masks = []
        if query_mask is not None:
            masks.append(self._bool(query_mask, query.shape[:-1], "query_mask")[..., None])
        for name, m in (("value_mask", value_mask), ("key_mask", key_mask)):
            if m is not None:
                masks.append(self._bool(m, value.shape[:-1], name)[..., None, :])
        t, s = query.shape[1], value.shape[1]
        if use_causal_mask:
            masks.append(self._compute_causal_mask(query, value))
        if self._sliding_window is not None:
            distance = np.abs(np.arange(t)[:, None] - np.arange(s)[None, :])
            masks.append((distance < self._sliding_window)[None])
        if attention_mask is not None:
            masks.insert(0, xp.asarray(unwrap(attention_mask)).astype(bool))
        if not masks:
            return None
        out = masks[0]
        for m in masks[1:]:
            out = out & m
        return out

    def _compute_causal_mask(self, query, value=None):
        """`(1, T, S)`: True where the key position is not after the query position."""
        t = query.shape[1]
        return np.tril(np.ones((t, t if value is None else value.shape[1]), bool))[None]

    def _bool(self, mask, expected, name):
        mask = xp.asarray(unwrap(mask))
        if tuple(mask.shape) != tuple(expected):
            raise ValueError(f"MultiHeadAttention layer {self.name!r}: `{name}` must have shape {tuple(expected)} "
                             f"(the input's shape without its last axis). Received: {name}.shape={mask.shape}.")
        return mask.astype(bool)

    # -- shapes and config -----------------------------------------------------
    def compute_output_shape(self, query_shape, value_shape=None, key_shape=None):
        query_shape = tuple(query_shape)
        if value_shape is not None and key_shape is not None and tuple(value_shape)[1:-1] != tuple(key_shape)[1:-1]:
            raise ValueError(f"MultiHeadAttention layer {self.name!r}: all dimensions of `value` and `key`, except "
                             f"the last one, must be equal. Received: value_shape={tuple(value_shape)} and "
                             f"key_shape={tuple(key_shape)}")
        return query_shape[:-1] + self._output_shape if self._output_shape else query_shape

    def compute_output_spec(self, query, value=None, key=None, return_attention_scores=False, **kwargs):
        out = KerasTensor(self.compute_output_shape(query.shape, value.shape, None if key is None else key.shape),
                          self.dtype)
        if not return_attention_scores:
            return out
        return out, KerasTensor(self._scores_shape(tuple(query.shape), tuple(value.shape)), self.dtype)

    def _scores_shape(self, query_shape, value_shape):
        """The attention scores' shape: batch axes and heads, then the query's and the key's attention axes."""
        rank = len(query_shape) + 1
        axes = tuple(range(1, rank - 2)) if self._attention_axes is None else \
            tuple(a if a >= 0 else rank - 1 + a for a in self._attention_axes)
        dot_product, _, _ = attention_equations(rank, axes)
        source, rest = dot_product.split(",")
        target, product = rest.split("->")
        size = dict(zip(target, query_shape[:-1] + (self._num_heads, self._key_dim)))
        size.update((c, n) for c, n in zip(source, value_shape[:-1] + (self._num_heads, self._key_dim))
                    if c not in size)
        return tuple(size[c] for c in product)

    def get_config(self):
        return {**super().get_config(), "num_heads": self._num_heads, "key_dim": self._key_dim,
                "value_dim": self._value_dim, "dropout": self._dropout, "use_bias": self._use_bias,
                "use_gate": self._use_gate, "output_shape": self._output_shape,
                "attention_axes": self._attention_axes, "sliding_window": self._sliding_window,
                "kernel_initializer": initializers.serialize(self._kernel_initializer),
                "bias_initializer": initializers.serialize(self._bias_initializer),
                "kernel_regularizer": regularizers.serialize(self._kernel_regularizer),
                "bias_regularizer": regularizers.serialize(self._bias_regularizer),
                "activity_regularizer": regularizers.serialize(self._sublayer_activity_regularizer),
                "kernel_constraint": constraints.serialize(self._kernel_constraint),
                "bias_constraint": constraints.serialize(self._bias_constraint), "seed": self.seed}


def projection_equation(free_dims, bound_dims, output_dims):
    """The EinsumDense equation, bias axes and output rank of a projection: `free_dims` axes kept,
    `bound_dims` contracted with the kernel, `output_dims` new ones (Keras's letters: a, b, c, ...)."""
    letters = string.ascii_lowercase
    free = letters[:free_dims]
    bound = letters[free_dims:free_dims + bound_dims]
    new = letters[free_dims + bound_dims:free_dims + bound_dims + output_dims]
    return f"{free}{bound},{bound}{new}->{free}{new}", new, free_dims + output_dims


def attention_equations(rank, attn_axes):
    """The score and combine einsum equations for projected tensors of `rank`
    `(B, <other axes>, <attention axes>, heads, dim)`: scores come out
    `(<batch axes incl. heads>, <query attention axes>, <key attention axes>)`."""
    letters = string.ascii_lowercase
    target = letters[:rank]
    batch = [i for i in range(rank) if i not in attn_axes and i != rank - 1]
    source, offset = "", rank
    for i in range(rank):
        if i in batch or i == rank - 1:
            source += target[i]
        else:
            source += letters[offset]
            offset += 1
    product = "".join([target[i] for i in batch] + [target[i] for i in attn_axes] + [source[i] for i in attn_axes])
    return f"{source},{target}->{product}", f"{product},{source}->{target}", len(product)


def _check_positive(value, name, hint):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value <= 0:
        raise ValueError(f"MultiHeadAttention: `{name}` must be a positive integer ({hint}). "
                         f"Received: {name}={value!r}.")


def _shape(x):
    return tuple(x.shape) if hasattr(x, "shape") else np.shape(x)


def _mask_of(x, default=None):
    mask = getattr(x, "_keras_mask", None)
    return default if mask is None else mask


def _set_mask(tensor, mask):
    if isinstance(tensor, Tensor):
        try:
            tensor._keras_mask = mask
        except AttributeError:  # a Tensor without the mask slot: nothing to carry it
            pass
