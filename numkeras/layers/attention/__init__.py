"""Attention layers: MultiHeadAttention, Attention (dot-product) and AdditiveAttention.

Example:
    >>> from numkeras.layers.attention import MultiHeadAttention
    >>> MultiHeadAttention(num_heads=2, key_dim=4).num_heads
    2
"""
from numkeras.layers.attention.additive_attention import AdditiveAttention
from numkeras.layers.attention.attention import Attention
from numkeras.layers.attention.multi_head_attention import MultiHeadAttention

__all__ = ["AdditiveAttention", "Attention", "MultiHeadAttention"]
