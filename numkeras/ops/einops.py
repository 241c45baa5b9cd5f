"""einops-style `rearrange` (Keras's `keras.src.ops.einops`): axes named in a pattern, reordered,
split and merged by one reshape, one transpose and one reshape (all differentiable).

Example:
    >>> import numpy as np
    >>> from numkeras.ops import rearrange
    >>> rearrange(np.zeros((2, 4, 6, 3)), "b h w c -> b c (h w)").shape
    (2, 3, 24)
"""
import re as _re

from numkeras.engine import shape_ops as _s
from numkeras.ops.core import convert_to_tensor as _convert_to_tensor

_TOKEN = _re.compile(r"\(([^()]*)\)|([A-Za-z_]\w*)|(\S)")


def _groups(side, text, pattern):
    """'b (h w) c' -> [['b'], ['h', 'w'], ['c']], with errors naming what is wrong."""
    groups = []
    for inner, name, other in _TOKEN.findall(text):
        if other:
            raise ValueError(f"rearrange: unexpected {other!r} on the {side} side of pattern {pattern!r}. Name each "
                             "axis with a word, and group axes in one level of parentheses: 'b (h w) c'.")
        if name:
            groups.append([name])
        else:
            names = inner.split()
            if not names or not all(_re.fullmatch(r"[A-Za-z_]\w*", n) for n in names):
                raise ValueError(f"rearrange: the group ({inner}) in pattern {pattern!r} must hold axis names.")
            groups.append(names)
    flat = [n for g in groups for n in g]
    repeated = sorted({n for n in flat if flat.count(n) > 1})
    if repeated:
        raise ValueError(f"rearrange: axis {repeated[0]!r} appears twice on the {side} side of pattern {pattern!r}.")
    return groups, flat


def rearrange(tensor, pattern, **axes_lengths):
    """Reorders, splits and merges axes as `pattern` says, einops style.

    The pattern is `"<input axes> -> <output axes>"`: each input axis gets a name, names in
    parentheses are one axis of the product of their sizes (split on the input side, merged on the
    output side). Every name appears once on each side. A split needs the sizes of all but one of
    its names, passed as keywords.

    Args:
        tensor: the input.
        pattern: e.g. `"b h w c -> b c h w"`, `"b (h h1) (w w1) c -> b h w (c h1 w1)"`.
        **axes_lengths: the sizes of split axes, e.g. `h1=2`.

    Returns:
        The rearranged tensor.

    Example:
        >>> import numpy as np
        >>> x = np.arange(8).reshape(1, 4, 2)
        >>> rearrange(x, "b (h h1) w -> b h (h1 w)", h1=2).numpy()
        array([[[0, 1, 2, 3],
                [4, 5, 6, 7]]])
    """
    x = _convert_to_tensor(tensor)
    if pattern.count("->") != 1:
        raise ValueError(f"rearrange: the pattern must have the form 'input axes -> output axes'. "
                         f"Received: pattern={pattern!r}.")
    left, right = pattern.split("->")
    in_groups, in_flat = _groups("input", left, pattern)
    out_groups, out_flat = _groups("output", right, pattern)
    if set(in_flat) != set(out_flat):
        raise ValueError(f"rearrange: both sides must name the same axes. Received: pattern={pattern!r} "
                         f"(only on the input side: {sorted(set(in_flat) - set(out_flat))}, only on the output "
                         f"side: {sorted(set(out_flat) - set(in_flat))}).")
    if len(in_groups) != x.ndim:
        raise ValueError(f"rearrange: the input side of {pattern!r} names {len(in_groups)} axes but the input has "
                         f"{x.ndim} (shape {x.shape}).")
    unknown = sorted(set(axes_lengths) - set(in_flat))
    if unknown:
        raise ValueError(f"rearrange: sizes were given for axes the pattern does not name: {unknown}.")
    sizes = {}
    for group, dim in zip(in_groups, x.shape):
        missing = [n for n in group if n not in axes_lengths]
        known = 1
        for n in group:
            if n in axes_lengths:
                known *= int(axes_lengths[n])
        if len(missing) > 1:
            raise ValueError(f"rearrange: to split an axis of size {dim} into ({' '.join(group)}), give the sizes "
                             f"of all but one of {missing} as keywords, e.g. {missing[0]}=....")
        if (dim % known if missing else dim != known) or known == 0:
            raise ValueError(f"rearrange: an axis of size {dim} cannot be split into ({' '.join(group)}) with "
                             f"{ {n: axes_lengths[n] for n in group if n in axes_lengths} }.")
        for n in group:
            sizes[n] = int(axes_lengths[n]) if n in axes_lengths else dim // known
    if len(in_flat) != x.ndim:
        x = _s.reshape(x, tuple(sizes[n] for n in in_flat))
    order = [in_flat.index(n) for n in out_flat]
    if order != list(range(len(order))):
        x = _s.transpose(x, order)
    out_shape = []
    for group in out_groups:
        size = 1
        for n in group:
            size *= sizes[n]
        out_shape.append(size)
    return x if tuple(out_shape) == x.shape else _s.reshape(x, tuple(out_shape))


__all__ = ["rearrange"]
