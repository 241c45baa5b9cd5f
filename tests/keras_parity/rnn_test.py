"""The recurrent layers against Keras: outputs (sequences, states, masks, go_backwards, initial states, every
Bidirectional merge mode, TimeDistributed) on the same weights and inputs, and one training step's updated
weights from the same start. The tables are in rnn_cases.py; files both ways are in saving_test.py.
"""
import numpy as np
import pytest

import numkeras
from keras_parity.harness import assert_close
from keras_parity.keras_reference import (build_model, compile_kwargs, fix_dropout_masks, layer_from_spec,
                                          random_weights)
from keras_parity.rnn_cases import LAYER_CASES, MASK, SHAPE, TRAIN_CASES, TRAIN_IDS

IDS = [f"{i:02d}-{cls}" for i, (cls, _, _) in enumerate(LAYER_CASES)]


def gate_masks(cls, kwargs, seed):
    """(input masks, recurrent masks), one (batch, n) array per gate, keeping 70% of the units (scaled by 1/0.7);
    the input masks are all ones without `dropout`."""
    rs = np.random.RandomState(100 + seed)
    gates, units = {"LSTM": 4, "GRU": 3}[cls], kwargs["units"]

    def draw(width, rate):
        return [((rs.uniform(size=(SHAPE[0], width)) >= rate) / (1 - rate) if rate else
                 np.ones((SHAPE[0], width))).astype("float32") for _ in range(gates)]
    return draw(SHAPE[2], kwargs.get("dropout", 0.0)), draw(units, kwargs["recurrent_dropout"])


def _gate_mask_arrays(ref, cls, kwargs, call, seed):
    if not call.get("gate_masks"):
        return {}
    masks = gate_masks(cls, kwargs, seed)
    return {key: [ref.array(m) for m in arrays] for key, arrays in zip(("dropout_masks", "recurrent_dropout_masks"),
                                                                       masks)}


def numkeras_layer_side(cls, kwargs, call, seed):
    rs = np.random.RandomState(seed)
    x = rs.normal(size=SHAPE).astype("float32")
    call_kwargs = {}
    if call.get("mask"):
        call_kwargs["mask"] = np.asarray(MASK, bool)
    if call.get("initial_state"):
        call_kwargs["initial_state"] = [rs.normal(size=s).astype("float32") for s in call["initial_state"]]
    layer = layer_from_spec(numkeras, cls, kwargs)
    layer(x, **call_kwargs)
    weights = random_weights([(tuple(w.shape), w.name) for w in layer.weights], seed)
    layer.set_weights(weights)
    if call.get("gate_masks"):
        fix_dropout_masks(layer, *gate_masks(cls, kwargs, seed))
    y = layer(x, training=bool(call.get("training")), **call_kwargs)
    # a stacked cell's states come as one list per cell (as Keras): one array each, as the Keras side stores them
    outputs = [np.asarray([np.asarray(s) for s in t] if isinstance(t, list) else t)
               for t in (y if isinstance(y, (list, tuple)) else [y])]
    if call.get("training"):  # a training call moves BatchNormalization's statistics: compare the weights after
        outputs += [np.asarray(w) for w in layer.get_weights()]
    return x, call_kwargs, weights, outputs


def train_data(name):
    rs = np.random.RandomState(sum(map(ord, name)))
    shape = TRAIN_CASES[name][0]["sequential"][0]
    y = rs.normal(size=(4, 1)).astype("float32")
    if name in TRAIN_IDS:  # ids with zero padding after lengths 1..steps: the mask reaches every layer
        ids = rs.randint(1, TRAIN_IDS[name], (4, *shape))
        ids[np.arange(shape[0]) >= rs.randint(1, shape[0] + 1, 4)[:, None]] = 0
        return ids.astype("int32"), y
    return rs.normal(size=(4, *shape)).astype("float32"), y


def numkeras_train_side(name):
    spec, optimizer, loss = TRAIN_CASES[name]
    model = build_model(numkeras, spec)
    weights = random_weights([(tuple(w.shape), w.name) for w in model.weights], seed=5)
    model.set_weights(weights)
    model.compile(**compile_kwargs(numkeras, {"optimizer": optimizer, "loss": loss}))
    model.train_on_batch(*train_data(name))
    return weights, [np.asarray(w) for w in model.get_weights()]


@pytest.fixture(scope="module")
def results(keras_reference):
    ref, ours = keras_reference, {}
    for i, (case, (cls, kwargs, call)) in enumerate(zip(IDS, LAYER_CASES)):
        try:
            x, call_kwargs, weights, y = numkeras_layer_side(cls, kwargs, call, seed=i)
        except Exception as e:  # this case's test fails with it; the others still run
            ours[case] = e
            continue
        ours[case] = y
        ref.add(case, "sequence_layer", class_name=cls, kwargs=kwargs, inputs=[ref.array(x)],
                weights=[ref.array(w) for w in weights],
                mask=ref.array(call_kwargs["mask"]) if "mask" in call_kwargs else None,
                training=bool(call.get("training")), **_gate_mask_arrays(ref, cls, kwargs, call, i),
                initial_state=[ref.array(s) for s in call_kwargs.get("initial_state", [])])
    for name in TRAIN_CASES:
        try:
            weights, after = numkeras_train_side(name)
        except Exception as e:
            ours[name] = e
            continue
        ours[name] = after
        spec, optimizer, loss = TRAIN_CASES[name]
        x, y = train_data(name)
        ref.add(name, "compiled_train_step", spec=spec, weights=[ref.array(w) for w in weights],
                compile={"optimizer": optimizer, "loss": loss}, data={"x": [ref.array(x)], "y": [ref.array(y)]})
    return ours, ref.run()


def _ours(results, case):
    if isinstance(results[0][case], Exception):
        raise results[0][case]
    return results[0][case]


@pytest.mark.parametrize("case", IDS)
def test_outputs_match_keras(results, case):
    ours, theirs = _ours(results, case), results[1][case].outputs()
    assert len(ours) == len(theirs), f"{case}: numkeras gives {len(ours)} outputs, Keras {len(theirs)}"
    for i, (a, b) in enumerate(zip(ours, theirs)):
        assert_close(a, b, what=f"{case}: output {i}")


@pytest.mark.parametrize("name", list(TRAIN_CASES))
def test_one_training_step_updates_the_weights_as_keras(results, name):
    ours, theirs = _ours(results, name), results[1][name]
    theirs = [theirs[f"weight{i}"] for i in range(len(ours))]
    for i, (a, b) in enumerate(zip(ours, theirs)):
        assert_close(a, b, atol=1e-5, rtol=1e-5, what=f"{name}: weight {i} after one step")
