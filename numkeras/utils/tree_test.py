"""Nested structures: flatten/map/pack keep order and types; shape tuples are leaves for the *_shapes walks."""
import numpy as np

from numkeras.utils import tree


def test_flatten_map_and_pack_round_trip():
    structure = {"b": [1, (2, 3)], "a": 4}
    assert tree.flatten(structure) == [4, 1, 2, 3]
    assert tree.map_structure(lambda v: v * 10, structure) == {"b": [10, (20, 30)], "a": 40}
    assert tree.pack_sequence_as(structure, [40, 10, 20, 30]) == {"b": [10, (20, 30)], "a": 40}


def test_a_shape_tuple_is_one_leaf():
    assert tree.is_shape((None, 3)) and tree.is_shape([np.int64(2), None]) and tree.is_shape(())
    assert not tree.is_shape([(None, 3), (None, 4)])
    shapes = {"y": [(None, 2)], "x": (None, 3, 4)}
    assert tree.flatten_shapes(shapes) == [(None, 3, 4), (None, 2)]
    assert tree.map_structure_up_to_shapes(len, shapes) == {"y": [2], "x": 3}
