"""FileFormatError: the one error `load_model` raises for a file it cannot read.

A truncated, corrupted or foreign file, or one whose config names classes
numkeras cannot rebuild, raises `FileFormatError` (a `ValueError`), never a
crash and never a half-loaded model.

Example:
    >>> issubclass(FileFormatError, ValueError)
    True
"""


class FileFormatError(ValueError):
    """A saved model or weights file is truncated, corrupted, or not in the expected format."""
