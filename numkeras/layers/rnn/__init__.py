"""Recurrent layers: RNN and its cells, SimpleRNN, LSTM, GRU, and the wrappers Bidirectional and TimeDistributed.

Each built-in layer runs a whole sequence as one engine op with a hand-written
backward through time (`numkeras.engine.rnn_ops`); `RNN(cell)` runs any
other cell step by step under the tape.

Example:
    >>> from numkeras.layers.rnn import LSTM
    >>> LSTM(8, return_sequences=True).return_sequences
    True
"""
from numkeras.layers.rnn.bidirectional import Bidirectional
from numkeras.layers.rnn.gru import GRU, GRUCell
from numkeras.layers.rnn.lstm import LSTM, LSTMCell
from numkeras.layers.rnn.rnn import RNN
from numkeras.layers.rnn.simple_rnn import SimpleRNN, SimpleRNNCell
from numkeras.layers.rnn.stacked_rnn_cells import StackedRNNCells
from numkeras.layers.rnn.time_distributed import TimeDistributed

__all__ = ["Bidirectional", "GRU", "GRUCell", "LSTM", "LSTMCell", "RNN", "SimpleRNN", "SimpleRNNCell",
           "StackedRNNCells", "TimeDistributed"]
