"""Keras's automatic names: the snake_case of a class name, then `_1`, `_2`, ... for repeats.

Example:
    >>> snake_case("MaxPooling2D"), snake_case("PReLU")
    ('max_pooling2d', 'p_re_lu')
    >>> clear_session()
    >>> unique_name("dense"), unique_name("dense")
    ('dense', 'dense_1')
"""
import re

_name_counts = {}


def snake_case(name):
    """'MaxPooling2D' -> 'max_pooling2d', 'InputLayer' -> 'input_layer', 'PReLU' -> 'p_re_lu'."""
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", re.sub(r"\W+", "", name))
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()


def unique_name(base):
    """Returns `base`, then `base_1`, `base_2`, ... on later calls (until `clear_session`)."""
    n = _name_counts.get(base, 0)
    _name_counts[base] = n + 1
    return base if n == 0 else f"{base}_{n}"


def clear_session():
    """Resets the automatic name counters: layers are named dense, dense_1, ... from scratch again."""
    _name_counts.clear()
