"""Nested structures (lists, tuples, dicts of leaves): flatten, map, rebuild.

Dict entries are visited in sorted key order, as Keras's `tree` does.

Example:
    >>> flatten({"b": [1, 2], "a": 3})
    [3, 1, 2]
    >>> map_structure(lambda v: v * 10, (1, [2]))
    (10, [20])
"""


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
