"""One note per process when code uses a Keras 2 spelling that numkeras still runs.

The 1st edition of *Deep Learning with Python* is written for Keras 2 (`RMSprop(lr=1e-4)`,
`fit_generator`, `predict_classes`, `K.mean`). numkeras runs those spellings as Keras 2 did and,
the first time each one is used, says how Keras 3 writes it; after that it stays quiet, so a
training loop is not buried in repeats.

Example:
    >>> import warnings
    >>> from numkeras.utils.keras2_idioms import Keras2IdiomWarning, note
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     note("doc-example", "`old()` is Keras 2's spelling; Keras 3 writes `new()`.")
    ...     note("doc-example", "`old()` is Keras 2's spelling; Keras 3 writes `new()`.")
    >>> len(caught), caught[0].category is Keras2IdiomWarning
    (1, True)
"""
import threading
import warnings


class Keras2IdiomWarning(FutureWarning):
    """A Keras 2 spelling ran; the message names the Keras 3 one.

    A FutureWarning, Python's category for deprecations meant for the people who run the code
    (a DeprecationWarning is hidden outside `__main__`, so a reader's script would never see it).
    """


_said = set()
_lock = threading.Lock()


def note(key, message, stacklevel=3):
    """Warns `message` (a Keras2IdiomWarning) the first time `key` is noted in this process."""
    with _lock:
        if key in _said:
            return
        _said.add(key)
    warnings.warn(message, Keras2IdiomWarning, stacklevel=stacklevel)


def _forget_for_tests():
    """Lets a test see every note again (they are said once per process)."""
    with _lock:
        _said.clear()
