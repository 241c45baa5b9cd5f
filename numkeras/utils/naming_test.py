"""Automatic names: Keras's snake_case and the _1, _2 suffixes."""
from numkeras import layers
from numkeras.utils import naming


def test_snake_case_is_keras_s():
    assert [naming.snake_case(n) for n in ("Dense", "InputLayer", "PReLU", "Conv2D", "LSTMCell", "AUC")] == \
        ["dense", "input_layer", "p_re_lu", "conv2d", "lstm_cell", "auc"]


def test_unique_names_count_up_until_clear_session():
    naming.clear_session()
    assert [naming.unique_name("x"), naming.unique_name("x"), naming.unique_name("y")] == ["x", "x_1", "y"]
    naming.clear_session()
    assert naming.unique_name("x") == "x"
    assert layers.Dense(1).name == "dense"  # layers take their default names from here
