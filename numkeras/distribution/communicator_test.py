import os
import subprocess
import sys

import numpy as np
import pytest

from numkeras.distribution import communicator


def test_without_a_launcher_there_is_one_local_process(monkeypatch):
    for name in communicator._LAUNCHER_VARIABLES + ("SLURM_NTASKS",):
        monkeypatch.delenv(name, raising=False)
    assert not communicator.launched_by_mpi()
    monkeypatch.setenv("PMI_SIZE", "2")
    assert communicator.launched_by_mpi()
    local = communicator.LocalCommunicator()
    a = np.arange(3.0)
    local.broadcast([a])
    local.allreduce_sum([a])
    assert a.tolist() == [0.0, 1.0, 2.0] and local.any(True) and not local.any(False)


def test_a_finished_process_counts_as_gone():
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    assert communicator._alive(os.getpid())
    assert not communicator._alive(child.pid)


def test_the_timeout_comes_from_the_environment(monkeypatch):
    monkeypatch.delenv("NUMKERAS_DISTRIBUTED_TIMEOUT", raising=False)
    assert communicator._timeout_from_environment() is None
    monkeypatch.setenv("NUMKERAS_DISTRIBUTED_TIMEOUT", "2.5")
    assert communicator._timeout_from_environment() == 2.5
    monkeypatch.setenv("NUMKERAS_DISTRIBUTED_TIMEOUT", "soon")
    with pytest.raises(ValueError, match="NUMKERAS_DISTRIBUTED_TIMEOUT.*'soon'"):
        communicator._timeout_from_environment()
