"""Nested structures (lists, tuples, dicts of leaves): flatten, map, rebuild.

Dict entries are visited in sorted key order, as Keras's `tree` does. The
`*_shapes` functions walk structures of shapes, where a shape tuple such as
(None, 3) is one leaf.

Example:
    >>> flatten({"b": [1, 2], "a": 3})
    [3, 1, 2]
    >>> map_structure(lambda v: v * 10, (1, [2]))
    (10, [20])
    >>> flatten_shapes([(None, 3), {"x": (None, 4)}])
    [(None, 3), (None, 4)]
"""
import numpy as np


def flatten(structure):
    """Returns the leaves of `structure` in order (dicts by sorted key)."""
    if isinstance(structure, dict):
        return [leaf for key in sorted(structure) for leaf in flatten(structure[key])]
    if isinstance(structure, (list, tuple)):
        return [leaf for item in structure for leaf in flatten(item)]
    return [structure]


def map_structure(fn, structure):
    """Applies `fn` to every leaf, keeping the structure."""
    if isinstance(structure, dict):
        return {key: map_structure(fn, value) for key, value in structure.items()}
    if isinstance(structure, (list, tuple)):
        return type(structure)(map_structure(fn, item) for item in structure)
    return fn(structure)


def pack_sequence_as(structure, flat):
    """Rebuilds `structure` with the leaves taken in order from `flat`."""
    leaves = iter(flat)
    packed = map_structure(lambda _: next(leaves), _sorted_dicts(structure))
    return _restore_dict_order(structure, packed)


def is_shape(x):
    """True for a shape tuple like (None, 3); False for a structure of shapes."""
    return isinstance(x, (tuple, list)) and all(d is None or isinstance(d, (int, np.integer)) for d in x)


def map_structure_up_to_shapes(fn, shapes):
    """Applies `fn` to each shape in a nested structure of shapes."""
    if is_shape(shapes):
        return fn(shapes)
    if isinstance(shapes, dict):
        return {k: map_structure_up_to_shapes(fn, v) for k, v in shapes.items()}
    return type(shapes)(map_structure_up_to_shapes(fn, s) for s in shapes)


def flatten_shapes(shapes):
    """Returns the shapes in a nested structure of shapes, in order (dicts by sorted key)."""
    if is_shape(shapes):
        return [shapes]
    values = [shapes[k] for k in sorted(shapes)] if isinstance(shapes, dict) else shapes
    return [leaf for s in values for leaf in flatten_shapes(s)]


def _sorted_dicts(structure):
    if isinstance(structure, dict):
        return {key: _sorted_dicts(structure[key]) for key in sorted(structure)}
    if isinstance(structure, (list, tuple)):
        return type(structure)(_sorted_dicts(item) for item in structure)
    return structure


def _restore_dict_order(template, packed):
    if isinstance(template, dict):
        return {key: _restore_dict_order(template[key], packed[key]) for key in template}
    if isinstance(template, (list, tuple)):
        return type(template)(_restore_dict_order(t, p) for t, p in zip(template, packed))
    return packed
