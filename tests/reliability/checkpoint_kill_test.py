"""A checkpointing run killed with SIGKILL at random moments always leaves a loadable checkpoint."""
import os
import random
import signal
import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest

from numkeras import models

CHILD = textwrap.dedent("""
    import sys
    import numpy as np
    from numkeras import callbacks, layers, models
    path = sys.argv[1]
    model = models.Sequential([layers.Dense(64, activation="relu", input_shape=(32,)), layers.Dense(4)])
    model.compile(optimizer="adam", loss="mse")
    x = np.random.default_rng(0).random((256, 32), dtype=np.float32)
    y = x[:, :4]
    save = callbacks.ModelCheckpoint(path, save_freq=2)  # a save every other batch: kills land mid-write
    model.fit(x, y, epochs=10_000, batch_size=16, verbose=0, callbacks=[save])
""")


def _wait_for(path, timeout=60):
    deadline = time.monotonic() + timeout
    while not os.path.exists(path):
        if time.monotonic() > deadline:
            raise AssertionError("the child never wrote its first checkpoint")
        time.sleep(0.01)


@pytest.mark.parametrize("trial", range(20))
def test_sigkill_never_leaves_a_broken_checkpoint(tmp_path, trial):
    path = str(tmp_path / "last.keras")
    child = subprocess.Popen([sys.executable, "-c", CHILD, path], cwd=os.getcwd(),
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for(path)
        time.sleep(random.Random(trial).uniform(0.0, 0.5))  # a seeded moment in the save cycle
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    model = models.load_model(path)
    assert model.predict(np.zeros((1, 32), "float32"), verbose=0).shape == (1, 4)
    leftovers = [name for name in os.listdir(tmp_path) if name != "last.keras"]
    assert len(leftovers) <= 1  # at most the temp file of the write that was killed
