"""The recurrent layers' parity tables, read by rnn_test.py (outputs, a training step), saving_test.py (files
both ways) and layers_test.py (every public layer has a case).

A layer spec is [class name, kwargs]; a kwarg {"layer": spec} (or a list of them) is a nested layer:
Bidirectional's layer and backward_layer, RNN's cell, StackedRNNCells' cells, TimeDistributed's layer
(`keras_reference.layer_from_spec` builds them in either library).
"""


def nested(cls, **kwargs):
    return {"layer": [cls, kwargs]}


def classes_in(cls, kwargs):
    """`cls` and every layer class nested in its kwargs."""
    found = {cls}
    for value in kwargs.values():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, dict) and set(item) == {"layer"}:
                found |= classes_in(*item["layer"])
    return found


SHAPE = (3, 6, 4)  # batch, timesteps, features
# (class name, kwargs, call): call may give "mask" (the MASK below) and "initial_state" (shapes of the states)
LAYER_CASES = [
    ("SimpleRNN", {"units": 5}, {}),
    ("SimpleRNN", {"units": 5, "return_sequences": True, "go_backwards": True, "activation": "relu"}, {"mask": True}),
    ("SimpleRNN", {"units": 3, "return_state": True, "use_bias": False}, {"initial_state": [(3, 3)]}),
    ("LSTM", {"units": 5}, {}),
    ("LSTM", {"units": 5, "return_sequences": True}, {"mask": True}),
    ("LSTM", {"units": 4, "return_sequences": True, "return_state": True, "go_backwards": True},
     {"mask": True, "initial_state": [(3, 4), (3, 4)]}),
    ("LSTM", {"units": 4, "activation": "relu", "recurrent_activation": "hard_sigmoid", "unit_forget_bias": False},
     {}),
    ("LSTM", {"units": 4, "activation": "elu"}, {"mask": True}),  # no derivative in rnn_ops: the cell loop
    ("GRU", {"units": 5}, {}),
    ("GRU", {"units": 5, "reset_after": False, "return_sequences": True}, {"mask": True}),
    ("GRU", {"units": 4, "return_state": True, "go_backwards": True}, {"mask": True, "initial_state": [(3, 4)]}),
    ("GRU", {"units": 4, "use_bias": False, "return_sequences": True}, {}),
    ("RNN", {"cell": nested("LSTMCell", units=3), "return_sequences": True}, {"mask": True}),
    ("RNN", {"cell": nested("GRUCell", units=3, reset_after=False), "go_backwards": True}, {}),
    ("RNN", {"cell": nested("SimpleRNNCell", units=3), "return_state": True}, {}),
    ("RNN", {"cell": nested("StackedRNNCells", cells=[nested("LSTMCell", units=3), nested("GRUCell", units=2),
                                                        nested("SimpleRNNCell", units=4)]),
             "return_sequences": True, "return_state": True}, {"mask": True}),
    ("RNN", {"cell": [nested("GRUCell", units=2), nested("GRUCell", units=3)], "zero_output_for_mask": True,
             "return_sequences": True}, {"mask": True}),
    *[("Bidirectional", {"layer": nested("LSTM", units=3, return_sequences=True), "merge_mode": mode}, {"mask": True})
      for mode in ("concat", "sum", "mul", "ave", None)],
    ("Bidirectional", {"layer": nested("GRU", units=3, return_state=True), "merge_mode": "sum"},
     {"initial_state": [(3, 3), (3, 3)]}),
    ("Bidirectional", {"layer": nested("SimpleRNN", units=3),
                       "backward_layer": nested("GRU", units=2, go_backwards=True)}, {}),
    ("TimeDistributed", {"layer": nested("Dense", units=2, activation="tanh")}, {}),
    ("TimeDistributed", {"layer": nested("Dense", units=3)}, {"mask": True}),
    # BatchNormalization per timestep: Keras's loop gives each step its own batch statistics in training and
    # moves the moving averages once per step ("training": called with training=True, weights compared after)
    ("TimeDistributed", {"layer": nested("BatchNormalization", momentum=0.5)}, {"training": True}),
    ("TimeDistributed", {"layer": nested("BatchNormalization", momentum=0.8, center=False)},
     {"training": True, "mask": True}),
    ("TimeDistributed", {"layer": nested("BatchNormalization")}, {}),
    # recurrent_dropout (implementation=1): one input and one recurrent mask per gate, the same at every step;
    # "gate_masks": both libraries' cells are handed the same masks (rnn_test.gate_masks) in a training call
    ("LSTM", {"units": 4, "dropout": 0.3, "recurrent_dropout": 0.3, "return_sequences": True},
     {"training": True, "gate_masks": True, "mask": True}),
    ("GRU", {"units": 4, "dropout": 0.3, "recurrent_dropout": 0.3, "go_backwards": True, "return_state": True},
     {"training": True, "gate_masks": True}),
    ("GRU", {"units": 3, "recurrent_dropout": 0.4, "reset_after": False, "return_sequences": True},
     {"training": True, "gate_masks": True, "mask": True}),
]

MASK = [[1, 1, 1, 1, 0, 0], [1, 1, 1, 1, 1, 1], [0, 1, 1, 0, 1, 1]]  # padding at the end, none, holes


def seq(input_shape, *layers):
    return {"sequential": [list(input_shape), [[cls, kwargs] for cls, kwargs in layers]]}


# One training step each: numkeras and Keras start from the same weights and must end with the same ones.
TRAIN_CASES = {
    "lstm_gru_rmsprop": (seq((6, 4), ("LSTM", {"units": 4, "return_sequences": True}), ("GRU", {"units": 3}),
                             ("Dense", {"units": 1})),
                         {"class_name": "RMSprop", "config": {"learning_rate": 0.01}}, "mse"),
    "simple_rnn_backwards_adam": (seq((6, 4), ("SimpleRNN", {"units": 4, "go_backwards": True,
                                                             "return_sequences": True}),
                                      ("GRU", {"units": 3, "reset_after": False}), ("Dense", {"units": 1})),
                                  {"class_name": "Adam", "config": {"learning_rate": 0.01}}, "mse"),
    "bidirectional_time_distributed_sgd": (
        seq((6, 4), ("Bidirectional", {"layer": nested("LSTM", units=3, return_sequences=True)}),
            ("TimeDistributed", {"layer": nested("Dense", units=2)}), ("Flatten", {}), ("Dense", {"units": 1})),
        {"class_name": "SGD", "config": {"learning_rate": 0.1, "momentum": 0.9}}, "mse"),
    "time_distributed_batchnorm_sgd": (
        seq((6, 4), ("TimeDistributed", {"layer": nested("BatchNormalization", momentum=0.5)}), ("Flatten", {}),
            ("Dense", {"units": 1})),
        {"class_name": "SGD", "config": {"learning_rate": 0.1}}, "mse"),
    "stacked_cells_rmsprop": (
        seq((6, 4), ("RNN", {"cell": nested("StackedRNNCells", cells=[nested("LSTMCell", units=3),
                                                                      nested("SimpleRNNCell", units=2)])}),
            ("Dense", {"units": 1})),
        {"class_name": "RMSprop", "config": {"learning_rate": 0.01}}, "mse"),
}

TRAIN_CASES["masked_embedding_bidirectional_rmsprop"] = (
    seq((6,), ("Embedding", {"input_dim": 9, "output_dim": 4, "mask_zero": True}),
        ("Bidirectional", {"layer": nested("LSTM", units=3, return_sequences=True), "merge_mode": "sum"}),
        ("GRU", {"units": 3, "go_backwards": True}), ("Dense", {"units": 1})),
    {"class_name": "RMSprop", "config": {"learning_rate": 0.01}}, "mse")
TRAIN_IDS = {"masked_embedding_bidirectional_rmsprop": 9}  # fed zero-padded ids below this vocabulary size

# Files both ways (saving_test.py): every recurrent layer and cell in a model.
SAVED_MODELS = {
    "recurrent": seq(
        (6, 3), ("Bidirectional", {"layer": nested("LSTM", units=4, return_sequences=True), "merge_mode": "sum"}),
        ("GRU", {"units": 3, "return_sequences": True, "reset_after": False}),
        ("SimpleRNN", {"units": 3, "return_sequences": True, "go_backwards": True}),
        ("TimeDistributed", {"layer": nested("Dense", units=2)}),
        ("RNN", {"cell": nested("StackedRNNCells", cells=[nested("LSTMCell", units=2), nested("GRUCell", units=2),
                                                          nested("SimpleRNNCell", units=2)]),
                 "return_sequences": True}),
        ("Bidirectional", {"layer": nested("GRU", units=2),
                           "backward_layer": nested("SimpleRNN", units=2, go_backwards=True)}),
        ("Dense", {"units": 1})),
}
SAVED_MODELS["encoder_decoder"] = {  # a decoder starting from the encoder's final states (initial_state=)
    "inputs": {"source": [5, 3], "target": [4, 2]},
    "nodes": [["encoder", "LSTM", {"units": 4, "return_state": True}, ["source"],
               {"outputs": ["encoded", "encoder_h", "encoder_c"]}],
              ["decoder", "LSTM", {"units": 4, "return_sequences": True},
               ["target", {"initial_state": ["encoder_h", "encoder_c"]}]],
              ["project", "TimeDistributed", {"layer": nested("Dense", units=2)}, ["decoder"]]],
    "outputs": ["project"], "name": "encoder_decoder"}
# The check: Embedding(mask_zero=True) -> Bidirectional(LSTM) -> Dense, written by either library, read by the
# other, on zero-padded ids; and masks through every recurrent layer and wrapper.
SAVED_MODELS["masked_bidirectional_lstm"] = seq(
    (7,), ("Embedding", {"input_dim": 12, "output_dim": 4, "mask_zero": True}),
    ("Bidirectional", {"layer": nested("LSTM", units=3)}), ("Dense", {"units": 2}))
SAVED_MODELS["masked_recurrent"] = seq(
    (7,), ("Embedding", {"input_dim": 12, "output_dim": 4, "mask_zero": True}),
    ("Bidirectional", {"layer": nested("GRU", units=3, return_sequences=True), "merge_mode": "ave"}),
    ("TimeDistributed", {"layer": nested("Dense", units=3)}),
    ("SimpleRNN", {"units": 3, "return_sequences": True, "go_backwards": True}),
    ("RNN", {"cell": [nested("LSTMCell", units=2), nested("GRUCell", units=2)], "return_sequences": True}),
    ("LSTM", {"units": 2}), ("Dense", {"units": 1}))
SAVED_COMPILED = {
    "compiled_recurrent": (
        seq((5, 2), ("LSTM", {"units": 3, "return_sequences": True}), ("GRU", {"units": 2}), ("Dense", {"units": 1})),
        {"optimizer": {"class_name": "RMSprop", "config": {"learning_rate": 0.01}}, "loss": "mse"},
        [(1,)]),
    "compiled_masked_recurrent": (
        seq((7,), ("Embedding", {"input_dim": 12, "output_dim": 4, "mask_zero": True}),
            ("Bidirectional", {"layer": nested("LSTM", units=3, return_sequences=True)}),
            ("GRU", {"units": 2}), ("Dense", {"units": 1})),
        {"optimizer": {"class_name": "Adam", "config": {"learning_rate": 0.01}}, "loss": "mse"},
        [(1,)]),
}
SAVED_IDS = {"masked_bidirectional_lstm": 12, "masked_recurrent": 12, "compiled_masked_recurrent": 12}

COVERED = set().union(*(classes_in(cls, kwargs) for cls, kwargs, _ in LAYER_CASES))
