"""compile/fit/evaluate/train_on_batch/test_on_batch against real Keras: the form of what they return (a float, a
list in Keras's order, a dict sorted by name, History's keys and epochs), the logs the callbacks see, how many
batches each epoch and each validation run takes, `metrics_names`, the values and the weights after."""
import warnings

import numpy as np
import pytest

import numkeras
from keras_parity.harness import assert_close
from keras_parity.keras_reference import build_model, trainer_calls

RNG = np.random.default_rng(21)
X = RNG.random((10, 3)).astype("float32")
YA = RNG.random((10, 1)).astype("float32")
YB = np.eye(2, dtype="float32")[RNG.integers(0, 2, 10)]
W = RNG.random(10).astype("float32") + 0.5
YBIN = RNG.integers(0, 2, 10).astype("float32")
ARRAYS = {"x": X, "ya": YA, "yb": YB, "w": W, "ybin": YBIN, "ybin1": YBIN[:, None]}
SGD = {"class_name": "SGD", "config": {"learning_rate": 0.1}}
ONE = {"inputs": {"x": [3]}, "nodes": [["a", "Dense", {"units": 1}, ["x"]]], "outputs": ["a"]}
TWO = {"inputs": {"x": [3]}, "nodes": [["h", "Dense", {"units": 4, "activation": "tanh"}, ["x"]],
                                       ["a", "Dense", {"units": 1}, ["h"]],
                                       ["b", "Dense", {"units": 2, "activation": "softmax"}, ["h"]]],
       "outputs": ["a", "b"]}
DICT_OUT = {**TWO, "outputs": {"z": "a", "y": "b"}}
BOTH = {"x": ["x"], "y": ["ya", "yb"]}
FIT = {"method": "fit", "kwargs": {"epochs": 2, "batch_size": 4, "shuffle": False}}
CASES = {
    "one output, loss only": (ONE, {"loss": "mse"}, [
        {"method": "evaluate", "x": ["x"], "y": ["ya"]},
        {"method": "train_on_batch", "x": ["x"], "y": ["ya"]},
        {**FIT, "x": ["x"], "y": ["ya"]}]),
    "one output, weighted metrics": (ONE, {"loss": "mse", "metrics": ["mae", "mse"], "weighted_metrics": ["mse"]}, [
        {"method": "evaluate", "x": ["x"], "y": ["ya"], "sample_weight": "w", "kwargs": {"return_dict": True}},
        {"method": "test_on_batch", "x": ["x"], "y": ["ya"], "sample_weight": "w", "kwargs": {"return_dict": True}},
        {"method": "train_on_batch", "x": ["x"], "y": ["ya"], "sample_weight": "w", "kwargs": {"return_dict": True}},
        {**FIT, "x": ["x"], "y": ["ya"], "sample_weight": "w", "validation_data": {"x": ["x"], "y": ["ya"]}}]),
    "two outputs, no metrics": (TWO, {"loss": ["mse", "categorical_crossentropy"], "loss_weights": {"b": 0.5, "a": 2.0}}, [
        {"method": "evaluate", **BOTH},
        {"method": "test_on_batch", **BOTH, "kwargs": {"return_dict": True}},
        {**FIT, **BOTH, "validation_data": BOTH}]),
    "two outputs, metrics by dict": (TWO, {"loss": ["mse", "categorical_crossentropy"],
                                           "metrics": {"a": ["mse", "mae"], "b": ["accuracy"]},
                                           "weighted_metrics": {"b": ["accuracy"]}}, [
        {"method": "evaluate", **BOTH},
        {"method": "evaluate", **BOTH, "sample_weight": ["w", "w"], "kwargs": {"return_dict": True}},
        {"method": "train_on_batch", **BOTH},
        {"method": "test_on_batch", **BOTH, "sample_weight": ["w", "w"]},
        {**FIT, **BOTH, "validation_data": BOTH, "kwargs": {**FIT["kwargs"], "validation_batch_size": 3}}]),
    "validation_freq": (ONE, {"loss": "mse", "metrics": ["mae"]}, [
        {**FIT, "x": ["x"], "y": ["ya"], "validation_data": {"x": ["x"], "y": ["ya"]},
         "kwargs": {**FIT["kwargs"], "epochs": 5, "validation_freq": 2}},
        {**FIT, "x": ["x"], "y": ["ya"], "validation_data": {"x": ["x"], "y": ["ya"]},
         "kwargs": {**FIT["kwargs"], "epochs": 4, "validation_freq": [1, 4], "initial_epoch": 1}}]),
    "steps with arrays": (ONE, {"loss": "mse", "metrics": ["mae"]}, [
        {"method": "fit", "x": ["x"], "y": ["ya"], "validation_data": {"x": ["x"], "y": ["ya"]},
         "kwargs": {"epochs": 4, "batch_size": 3, "steps_per_epoch": 3, "shuffle": False, "validation_steps": 2}},
        {"method": "fit", "x": ["x"], "y": ["ya"], "kwargs": {"epochs": 2, "steps_per_epoch": 3, "shuffle": False}},
        {"method": "evaluate", "x": ["x"], "y": ["ya"], "kwargs": {"steps": 4}},
        {"method": "evaluate", "x": ["x"], "y": ["ya"], "kwargs": {"steps": 5, "batch_size": 4}}]),
    # rows shuffled within each batch only: the same batches, so the same steps (up to rounding)
    "shuffle batch": (ONE, {"loss": "mse"}, [
        {**FIT, "x": ["x"], "y": ["ya"], "kwargs": {**FIT["kwargs"], "shuffle": "batch", "epochs": 3}}]),
    # the per-output losses in the loss dict's order ("z" first), the outputs' keys sorted
    "dict outputs": (DICT_OUT, {"loss": {"z": "mse", "y": "categorical_crossentropy"}, "metrics": {"z": ["mae"]}}, [
        {"method": "evaluate", "x": ["x"], "y": {"z": "ya", "y": "yb"}},
        {"method": "train_on_batch", "x": ["x"], "y": {"y": "yb", "z": "ya"}, "kwargs": {"return_dict": True}},
        {**FIT, "x": ["x"], "y": {"z": "ya", "y": "yb"}}]),
    "one output, lists of one": (ONE, {"loss": ["mse"], "metrics": [["mae"], "mse"], "loss_weights": [0.5]}, [
        {"method": "evaluate", "x": ["x"], "y": ["ya"]},
        {"method": "train_on_batch", "x": ["x"], "y": ["ya"]}]),
    # "accuracy" read as binary for one sigmoid unit, with labels of shape (n,) or (n, 1); batches of 3 rows
    "binary accuracy": ({"inputs": {"x": [3]}, "nodes": [["p", "Dense", {"units": 1, "activation": "sigmoid"},
                                                           ["x"]]], "outputs": ["p"]},
                        {"loss": "binary_crossentropy", "metrics": ["accuracy"], "weighted_metrics": ["accuracy"]}, [
        {"method": "evaluate", "x": ["x"], "y": ["ybin"], "sample_weight": "w",
         "kwargs": {"batch_size": 3, "return_dict": True}},
        {"method": "evaluate", "x": ["x"], "y": ["ybin1"], "kwargs": {"batch_size": 3, "return_dict": True}},
        {**FIT, "x": ["x"], "y": ["ybin"], "validation_data": {"x": ["x"], "y": ["ybin1"]}}]),
    # the batch callbacks once per 4 steps, told the group's last step (11 for the last group of 10 batches)
    "steps_per_execution": (ONE, {"loss": "mse", "metrics": ["mae"], "steps_per_execution": 4}, [
        {"method": "fit", "x": ["x"], "y": ["ya"], "validation_data": {"x": ["x"], "y": ["ya"]},
         "kwargs": {"epochs": 2, "batch_size": 1, "shuffle": False, "validation_batch_size": 2}},
        {"method": "evaluate", "x": ["x"], "y": ["ya"], "kwargs": {"batch_size": 1}},
        {"method": "predict", "x": ["x"], "kwargs": {"batch_size": 1}}]),
    # Model(inputs, [output]): one output, which call and predict give alone
    "one output in a list": ({**ONE, "list_outputs": True}, {"loss": ["mse"], "metrics": ["mae"]}, [
        {"method": "predict", "x": ["x"]},
        {"method": "predict_on_batch", "x": ["x"]},
        {"method": "evaluate", "x": ["x"], "y": ["ya"], "kwargs": {"return_dict": True}}]),
    "two outputs, one loss": (TWO, {"loss": ["mse", None], "metrics": [["mae"], ["accuracy"]]}, [
        {"method": "evaluate", **BOTH},
        {"method": "train_on_batch", **BOTH, "kwargs": {"return_dict": True}}]),
    "add_loss only": ({"inputs": {"x": [3]}, "nodes": [["a", "Dense", {"units": 1}, ["x"]],
                                                       ["r", "ActivityRegularization", {"l2": 0.5}, ["a"]]],
                       "outputs": ["r"]}, {"loss": None}, [
        {"method": "evaluate", "x": ["x"]},
        {"method": "train_on_batch", "x": ["x"], "kwargs": {"return_dict": True}},
        {**FIT, "x": ["x"]}]),
}


def fresh(spec, compile_args):
    numkeras.utils.set_random_seed(4)
    model = build_model(numkeras, spec)
    weights = [np.asarray(w) for w in model.get_weights()]
    model.compile(**{**compile_args, "optimizer": numkeras.optimizers.SGD(0.1)})
    return model, weights


@pytest.fixture(scope="module")
def theirs(keras_reference):
    ref = keras_reference
    keys = {name: ref.array(a) for name, a in ARRAYS.items()}

    def named(calls):  # the arrays by the request's keys
        def swap(v):
            if isinstance(v, dict):
                return {k: swap(e) for k, e in v.items()}
            return keys[v] if isinstance(v, str) and v in keys else [swap(e) for e in v] if isinstance(v, list) else v
        return [{k: ({kk: swap(vv) for kk, vv in v.items()} if k == "validation_data" else swap(v) if k in (
            "x", "y", "sample_weight") else v) for k, v in call.items()} for call in calls]
    for case, (spec, compile_args, calls) in {**CASES, "repeated name": REPEATED}.items():
        _, weights = fresh(spec, compile_args)
        ref.add(case, "trainer_calls", spec=spec, weights=[ref.array(w) for w in weights],
                compile={**compile_args, "optimizer": SGD}, calls=named(calls))
    return ref.run()


@pytest.mark.filterwarnings("ignore:Gradients do not exist")  # the output without a loss, as Keras warns too
@pytest.mark.parametrize("case", CASES)
def test_trainer_calls_return_and_log_what_keras_does(theirs, case):
    spec, compile_args, calls = CASES[case]
    model, _ = fresh(spec, compile_args)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        meta, arrays = trainer_calls(numkeras, model, calls, ARRAYS.__getitem__)
    expected = theirs[case].check()
    ran_out = [("ran out of data" in str(w.message)) for w in caught]
    assert any(ran_out) == any("ran out of data" in w for w in expected.meta["warnings"]), \
        f"{case}: the warning that the data ran out (Keras's: {expected.meta['warnings']})"
    for i, call in enumerate(calls):
        what = f"{case}: call {i} ({call['method']})"
        assert meta[f"call{i}"] == expected.meta[f"call{i}"], f"{what}: the form of the result"
        assert meta[f"events{i}"] == expected.meta[f"events{i}"], f"{what}: what the callbacks saw"
        assert meta[f"names{i}"] == expected.meta[f"names{i}"], f"{what}: metrics_names after it"
    assert sorted(arrays) == sorted(expected.arrays)
    for name, value in arrays.items():
        assert_close(value.astype(expected[name].dtype), expected[name], atol=2e-5, rtol=2e-5, what=f"{case}: {name}")


REPEATED = (ONE, {"loss": "mse", "metrics": ["mae"], "weighted_metrics": ["mae"]}, [
    {"method": "test_on_batch", "x": ["x"], "y": ["ya"], "sample_weight": "w"}])


def test_a_metric_name_compiled_twice_comes_once_in_the_flat_list(theirs):
    """Keras names a weighted metric inside compile_metrics as the unweighted one ("mae"), so its flat list holds
    that value twice ([loss, mae, mae, weighted_mae]); numkeras gives each value once, in the same order."""
    spec, compile_args, calls = REPEATED
    model, _ = fresh(spec, compile_args)
    meta, arrays = trainer_calls(numkeras, model, calls, ARRAYS.__getitem__)
    expected = theirs["repeated name"]
    assert expected.meta["call0"] == ["list", 4] and meta["call0"] == ["list", 3]
    keras_values = [expected[f"call0_{j}"] for j in range(4)]
    assert_close(keras_values[1], keras_values[2], what="Keras's repeated value")
    for j, k in enumerate([0, 1, 3]):
        assert_close(arrays[f"call0_{j}"], keras_values[k], atol=2e-5, rtol=2e-5, what=f"value {j}")
