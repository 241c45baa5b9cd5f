import numpy as np
import pytest

from numkeras.utils import summary_utils
from numkeras.utils.summary_utils import (
    count_params, print_summary, readable_memory_size, weight_memory_size)

# The expected tables below were checked character for character against
# Keras 3's rendering with rich (non-terminal console).


class FakeWeight:
    def __init__(self, *shape, dtype="float32"):
        self.shape, self.dtype = shape, dtype


class FakeLayer:
    def __init__(self, name, output_shape, params, built=True, weights=(), trainable=True):
        self.name, self.output_shape, self.built = name, output_shape, built
        self._params, self.weights, self.trainable = params, list(weights), trainable

    def count_params(self):
        return self._params


class Dense(FakeLayer):
    pass


class Sequential(FakeLayer):
    pass


class FakeOptimizer:
    def __init__(self, variables, built=True):
        self.variables, self.built = variables, built


class FakeModel:
    def __init__(self, name, layers, trainable=(), non_trainable=(), optimizer=None):
        self.name, self.layers, self.optimizer = name, layers, optimizer
        self.trainable_weights, self.non_trainable_weights = list(trainable), list(non_trainable)


@pytest.fixture(autouse=True)
def columns(monkeypatch):
    # The default width depends on the terminal: pin it as a non-terminal's 80.
    monkeypatch.setenv("COLUMNS", "80")


def seed_model(**kwargs):
    weights = [FakeWeight(784, 512), FakeWeight(512), FakeWeight(512, 10), FakeWeight(10)]
    layers = [Dense("dense", (None, 512), 401920), Dense("dense_1", (None, 10), 5130)]
    return FakeModel("sequential", layers, trainable=weights, **kwargs), weights


SEED_TABLE = """\
Model: "sequential"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
│ dense (Dense)                   │ (None, 512)            │       401,920 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ dense_1 (Dense)                 │ (None, 10)             │         5,130 │
└─────────────────────────────────┴────────────────────────┴───────────────┘
"""


def test_seed_model(capsys):
    model, _ = seed_model()
    print_summary(model)
    assert capsys.readouterr().out == SEED_TABLE + (
        " Total params: 407,050 (1.55 MB)\n"
        " Trainable params: 407,050 (1.55 MB)\n"
        " Non-trainable params: 0 (0.00 B)\n")


def test_optimizer_params_after_training(capsys):
    # As Keras's RMSprop after fit: iteration (int64), learning_rate, one velocity a weight.
    model, weights = seed_model()
    model.optimizer = FakeOptimizer(
        [FakeWeight(dtype="int64"), FakeWeight()] + [FakeWeight(*w.shape) for w in weights])
    print_summary(model)
    assert capsys.readouterr().out == SEED_TABLE + (
        " Total params: 814,102 (3.11 MB)\n"
        " Trainable params: 407,050 (1.55 MB)\n"
        " Non-trainable params: 0 (0.00 B)\n"
        " Optimizer params: 407,052 (1.55 MB)\n")


@pytest.mark.parametrize("optimizer", [None, FakeOptimizer([FakeWeight()], built=False)])
def test_no_optimizer_line_before_training(capsys, optimizer):
    model, _ = seed_model(optimizer=optimizer)
    print_summary(model)
    assert "Optimizer params" not in capsys.readouterr().out


def test_unbuilt_model(capsys):
    layers = [Dense("dense", None, 0, built=False), Dense("dense_1", None, 0, built=False)]
    print_summary(FakeModel("sequential", layers))
    assert capsys.readouterr().out == """\
Model: "sequential"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
│ dense (Dense)                   │ ?                      │   0 (unbuilt) │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ dense_1 (Dense)                 │ ?                      │   0 (unbuilt) │
└─────────────────────────────────┴────────────────────────┴───────────────┘
 Total params: 0 (0.00 B)
 Trainable params: 0 (0.00 B)
 Non-trainable params: 0 (0.00 B)
"""


def two_weight_model():
    trainable = [FakeWeight(3, 2), FakeWeight(2)]
    frozen = [FakeWeight(2, 2), FakeWeight(2)]
    layers = [Dense("dense", (None, 2), 8, weights=trainable),
              Dense("frozen", (None, 2), 6, weights=frozen, trainable=False),
              FakeLayer("dropout", (None, 2), 0)]
    return FakeModel("seq", layers, trainable=trainable, non_trainable=frozen)


def test_show_trainable(capsys):
    print_summary(two_weight_model(), show_trainable=True)
    assert capsys.readouterr().out == """\
Model: "seq"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━┳━━━━━━━┓
┃ Layer (type)                ┃ Output Shape          ┃    Param # ┃ Trai… ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━╇━━━━━━━┩
│ dense (Dense)               │ (None, 2)             │          8 │   Y   │
├─────────────────────────────┼───────────────────────┼────────────┼───────┤
│ frozen (Dense)              │ (None, 2)             │          6 │   N   │
├─────────────────────────────┼───────────────────────┼────────────┼───────┤
│ dropout (FakeLayer)         │ (None, 2)             │          0 │   -   │
└─────────────────────────────┴───────────────────────┴────────────┴───────┘
 Total params: 14 (56.00 B)
 Trainable params: 8 (32.00 B)
 Non-trainable params: 6 (24.00 B)
"""


def test_line_length_positions_and_print_fn():
    calls = []
    print_summary(two_weight_model(), line_length=60, positions=[0.5, 0.8, 1.0],
                  print_fn=calls.append)
    assert len(calls) == 1  # Keras hands print_fn the whole text at once
    assert calls[0].splitlines()[1:4] == [
        "┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━┳━━━━━━━━━━━┓",
        "┃ Layer (type)                ┃ Output Shape   ┃   Param # ┃",
        "┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━╇━━━━━━━━━━━┩",
    ]


def test_wide_terminal_uses_88_columns(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    model, _ = seed_model()
    print_summary(model)
    top = capsys.readouterr().out.splitlines()[1]
    assert top == "┏" + "━" * 38 + "┳" + "━" * 29 + "┳" + "━" * 17 + "┓"
    assert len(top) == 88


def test_expand_nested_and_long_names_wrap(capsys):
    inner = Sequential("inner", (None, 4), 12)
    inner.layers = [Dense("a_really_quite_long_layer_name_indeed", (None, 4), 12)]
    print_summary(FakeModel("outer", [inner]), expand_nested=True, line_length=50)
    assert capsys.readouterr().out.splitlines()[4:9] == [
        "│ inner (Sequential)  │ (None, 4)      │      12 │",
        "├─────────────────────┼────────────────┼─────────┤",
        "│    └                │ (None, 4)      │      12 │",
        "│ a_really_quite_lon… │                │         │",
        "│ (Dense)             │                │         │",
    ]


def test_layer_range(capsys):
    print_summary(two_weight_model(), layer_range=["frozen", "drop.*"])
    out = capsys.readouterr().out
    assert "frozen (Dense)" in out and "dropout" in out and "dense (Dense)" not in out


@pytest.mark.parametrize("layer_range, match", [
    (["dense"], "two layer names"), ([1, 2], "two strings"), (["nope", "dense"], "does not match"),
])
def test_bad_layer_range(layer_range, match):
    with pytest.raises(ValueError, match=match):
        print_summary(two_weight_model(), layer_range=layer_range)


def test_too_narrow():
    with pytest.raises(ValueError, match="too narrow.*line_length=10"):
        print_summary(two_weight_model(), line_length=10)


@pytest.mark.parametrize("shape, shown", [
    ((None, 512), "(None, 512)"), ((None,), "(None)"), ((None, 28, 28, 1), "(None, 28, 28, 1)"),
    (None, "?"), ([(None, 2), (None, 3)], "[(None, 2), (None, 3)]"), ([(None, 2)], "(None, 2)"),
])
def test_format_layer_shape(shape, shown):
    assert summary_utils.format_layer_shape(FakeLayer("l", shape, 0)) == shown


@pytest.mark.parametrize("size, shown", [
    (0, "0.00 B"), (56, "56.00 B"), (1023, "1023.00 B"), (1024, "1.00 KB"),
    (1628200, "1.55 MB"), (3 * 1024**3, "3.00 GB"), (2 * 1024**4, "2.00 TB"),
    (5 * 1024**6, "5120.00 PB"),
])
def test_readable_memory_size(size, shown):
    assert readable_memory_size(size) == shown


def test_weight_memory_size_by_dtype_counts_each_weight_once():
    shared = FakeWeight(10)
    weights = [shared, shared, FakeWeight(2, dtype="int64"), FakeWeight(8, dtype="bool"),
               FakeWeight(3, dtype=np.dtype("float16")), FakeWeight(1, dtype=np.float64)]
    assert weight_memory_size(weights) == 40 + 16 + 1 + 6 + 8
    assert count_params(weights) == 10 + 10 + 2 + 8 + 3 + 1


def test_weight_memory_size_unknown_dtype():
    with pytest.raises(ValueError, match="dtype 'complex64'"):
        weight_memory_size([FakeWeight(1, dtype="complex64")])
