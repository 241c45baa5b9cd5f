"""Atomic file writes: write a temporary file beside the target, then rename it over.

`os.replace` is atomic on POSIX and Windows, so a reader (or a later load)
sees either the complete old file or the complete new one: a save that is
interrupted at any point (an exception, a killed process, a full disk)
leaves the previous file intact and no half-written file behind under the
target's name.

Example:
    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "notes.txt")
    >>> with atomic_write(path) as tmp:
    ...     with open(tmp, "w") as f:
    ...         _ = f.write("hello")
    >>> with open(path) as f:
    ...     f.read()
    'hello'
"""
import contextlib
import os
import tempfile


@contextlib.contextmanager
def atomic_write(filepath):
    """Yields a temporary path in `filepath`'s directory; renames it to `filepath` if the block succeeds.

    The block writes the whole file at the yielded path. On an exception the
    temporary file is removed and `filepath` is left untouched.
    """
    filepath = os.fspath(filepath)
    directory = os.path.dirname(os.path.abspath(filepath))
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{os.path.basename(filepath)}.", suffix=".tmp")
    os.close(fd)
    try:
        yield tmp
        _fsync(tmp)
        os.chmod(tmp, _target_mode(filepath))
        os.replace(tmp, filepath)
    except BaseException:
        with contextlib.suppress(OSError):
            os.remove(tmp)
        raise
    _fsync_directory(directory)


def _target_mode(filepath):
    # mkstemp creates 0600 files; keep the old file's mode, else what open() would give.
    try:
        return os.stat(filepath).st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _fsync(path):
    with open(path, "rb+") as f:
        os.fsync(f.fileno())


def _fsync_directory(directory):
    # Makes the rename itself durable; not possible (nor needed) on every platform.
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
