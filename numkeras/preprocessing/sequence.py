"""keras.preprocessing.sequence: `pad_sequences` (the function of `numkeras.utils`)."""
from numkeras.utils.sequence_utils import pad_sequences

__all__ = ["pad_sequences"]
