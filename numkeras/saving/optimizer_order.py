"""The optimizer's variables in the order Keras saves them.

Keras saves `optimizer.variables`: the iteration count, the learning rate,
then the slots (momentums, velocities, ...) that `build` created for the
model's trainable variables in Keras's order of them (`model.trainable_weights`,
layer by layer). `fit` builds the optimizer in that order, but an optimizer
built on the variables in another order (`optimizer.build(...)` or `apply`
called by hand with a reordered list) would save its slots in that order.
To save and load in Keras's order, each slot is matched to the variable it
belongs to by replaying `build` (on throwaway copies of the optimizer) in
both orders and recording which variable each slot was made for. If that
cannot be done, the optimizer's own order is used.

Example:
    >>> import numpy as np
    >>> from numkeras import layers, models
    >>> model = models.Sequential([layers.Dense(2, input_shape=(3,))])
    >>> model.compile(optimizer="adam", loss="mse")
    >>> _ = model.fit(np.ones((4, 3)), np.ones((4, 2)), verbose=0)
    >>> len(saved_variables(model.optimizer, model))  # iteration, learning rate, 2 slots x 2 variables
    6
"""
import collections


def saved_variables(optimizer, model):
    """`optimizer.variables`, reordered so that the slots follow Keras's order of the model's variables."""
    variables = optimizer.variables
    if not optimizer.built:
        return variables
    built_on = list(optimizer._trainable_variables)
    target = model.trainable_weights
    if [id(v) for v in built_on] == [id(v) for v in target] or \
            sorted(map(id, built_on)) != sorted(map(id, target)):
        return variables
    try:
        have = _slot_keys(optimizer, built_on)
        want = _slot_keys(optimizer, target)
    except Exception:  # a custom optimizer that cannot be replayed keeps its own order
        return variables
    if len(have) != len(variables) or len(set(have)) != len(have) or set(have) != set(want):
        return variables
    by_key = dict(zip(have, variables))
    return [by_key[key] for key in want]


def _slot_keys(optimizer, var_list):
    """Builds a copy of `optimizer` on `var_list`; returns a key per variable it creates:
    (the variable a slot was made for, slot name, repeat), in creation order."""
    replay = type(optimizer).from_config(optimizer.get_config())
    keys = [("own", i, 0) for i in range(len(replay.variables))]
    counts = collections.Counter()
    current = [None]
    add_variable, from_reference = replay.add_variable, replay.add_variable_from_reference

    def recording_add_variable(*args, **kwargs):
        variable = add_variable(*args, **kwargs)
        ref = current[0]
        base = (id(ref) if ref is not None else None, kwargs.get("name"))
        keys.append(base + (counts[base],))
        counts[base] += 1
        return variable

    def recording_from_reference(reference_variable, *args, **kwargs):
        current[0] = reference_variable
        try:
            return from_reference(reference_variable, *args, **kwargs)
        finally:
            current[0] = None

    replay.add_variable = recording_add_variable
    replay.add_variable_from_reference = recording_from_reference
    replay.build(var_list)
    if len(keys) != len(replay.variables):
        raise ValueError("the replayed build created variables it did not report")
    return keys
