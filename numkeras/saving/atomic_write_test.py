import os
import signal
import subprocess
import sys
import textwrap
import time
import zipfile

import numpy as np
import pytest

from numkeras import layers, models
from numkeras.saving import load_model
from numkeras.saving.atomic_write import atomic_write

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
X = np.linspace(-1, 1, 12, dtype="float32").reshape(3, 4)


def small_model(units):
    return models.Sequential([layers.Input((4,)), layers.Dense(units, activation="relu"), layers.Dense(2)])


def test_atomic_write_replaces_on_success_and_keeps_mode(tmp_path):
    path = tmp_path / "f.txt"
    path.write_text("old")
    os.chmod(path, 0o640)
    with atomic_write(path) as tmp:
        assert os.path.dirname(tmp) == str(tmp_path)
        with open(tmp, "w") as f:
            f.write("new")
    assert path.read_text() == "new"
    assert os.stat(path).st_mode & 0o777 == 0o640
    with atomic_write(tmp_path / "fresh.txt") as tmp:
        open(tmp, "w").close()
    umask = os.umask(0)
    os.umask(umask)
    assert os.stat(tmp_path / "fresh.txt").st_mode & 0o777 == 0o666 & ~umask  # as open() would create it


def test_atomic_write_keeps_the_old_file_on_error(tmp_path):
    path = tmp_path / "f.txt"
    path.write_text("old")
    with pytest.raises(RuntimeError, match="boom"):
        with atomic_write(path) as tmp:
            with open(tmp, "w") as f:
                f.write("half")
            raise RuntimeError("boom")
    assert path.read_text() == "old"
    assert os.listdir(tmp_path) == ["f.txt"]


def test_exception_in_the_writer_mid_save_leaves_the_previous_file(tmp_path, monkeypatch):
    path = tmp_path / "ckpt.keras"
    old = small_model(3)
    old.save(path)
    expected, old_bytes = old.predict(X, verbose=0), path.read_bytes()
    real_writestr = zipfile.ZipFile.writestr

    def failing_writestr(archive, name, data, *args, **kwargs):
        if name == "model.weights.h5":  # the config is written; half the weights go out, then the disk "fills"
            real_writestr(archive, name, data[: len(data) // 2], *args, **kwargs)
            raise OSError(28, "No space left on device")
        return real_writestr(archive, name, data, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "writestr", failing_writestr)
    with pytest.raises(OSError, match="No space left"):
        small_model(5).save(path)
    monkeypatch.undo()
    assert path.read_bytes() == old_bytes
    assert os.listdir(tmp_path) == ["ckpt.keras"]
    np.testing.assert_array_equal(load_model(path).predict(X, verbose=0), expected)


def test_exception_mid_save_weights_leaves_the_previous_file(tmp_path, monkeypatch):
    from numkeras.saving import h5_weights
    path = tmp_path / "w.weights.h5"
    old = small_model(3)
    old.save_weights(path)
    real_save_state = h5_weights.save_state

    def failing_save_state(model, h5file):
        real_save_state(model, h5file)
        raise KeyboardInterrupt  # even an interrupt leaves the old file

    monkeypatch.setattr(h5_weights, "save_state", failing_save_state)
    with pytest.raises(KeyboardInterrupt):
        small_model(3).save_weights(path)
    monkeypatch.undo()
    assert os.listdir(tmp_path) == ["w.weights.h5"]
    fresh = small_model(3)
    fresh.load_weights(path)
    for a, b in zip(old.get_weights(), fresh.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_killing_the_process_mid_save_leaves_the_previous_file(tmp_path):
    path, marker = tmp_path / "ckpt.keras", tmp_path / "writing"
    old = small_model(3)
    old.save(path)
    expected, old_bytes = old.predict(X, verbose=0), path.read_bytes()
    child = textwrap.dedent(f"""
        import time, zipfile
        from numkeras import layers, models
        real_writestr = zipfile.ZipFile.writestr
        def slow_writestr(archive, name, data, *args, **kwargs):
            real_writestr(archive, name, data, *args, **kwargs)
            archive.fp.flush()
            open({str(marker)!r}, "w").close()  # tell the parent we are mid-write
            time.sleep(120)
        zipfile.ZipFile.writestr = slow_writestr
        models.Sequential([layers.Input((4,)), layers.Dense(9), layers.Dense(2)]).save({str(path)!r})
    """)
    process = subprocess.Popen([sys.executable, "-c", child], cwd=REPO_ROOT,
                               env={**os.environ, "PYTHONPATH": REPO_ROOT})
    try:
        deadline = time.monotonic() + 120
        while not marker.exists():
            assert process.poll() is None, "the child exited before writing"
            assert time.monotonic() < deadline, "the child never started writing"
            time.sleep(0.05)
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.kill()
        process.wait()
    assert path.read_bytes() == old_bytes
    np.testing.assert_array_equal(load_model(path).predict(X, verbose=0), expected)
    # The killed writer may leave its temporary file, but never under the target's name.
    assert all(name.startswith(".ckpt.keras.") for name in os.listdir(tmp_path) if name not in ("ckpt.keras",
                                                                                                    "writing"))
