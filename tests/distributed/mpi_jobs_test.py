"""Data-parallel training over MPI, run for real: `mpiexec -n 2` and `-n 4` (oversubscribed) on this machine.

Each test starts tests/distributed/mpi_worker.py under MPICH's `mpiexec` (from the `mpi` extra,
installed beside the test interpreter) and compares what the ranks report with one process
training the same model on the same data. Without mpi4py or mpiexec the tests fail, saying how to
install them (`make test` does it).
"""
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import time

import numpy as np
import pytest

pytestmark = pytest.mark.mpi

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
WORKER = os.path.join(HERE, "mpi_worker.py")
INSTALL_HINT = ("Install the MPI extra into this interpreter's environment: pip install -e '.[mpi]' (mpi4py and "
                "MPICH's wheel, which brings mpiexec); `make test` does it.")


def mpiexec():
    beside = os.path.join(os.path.dirname(sys.executable), "mpiexec")
    found = beside if os.access(beside, os.X_OK) else shutil.which("mpiexec")
    if importlib.util.find_spec("mpi4py") is None:  # looked up, not imported: this process stays MPI-free
        pytest.fail(f"mpi4py is missing. {INSTALL_HINT}", pytrace=False)
    if not found:
        pytest.fail(f"mpiexec is missing. {INSTALL_HINT}", pytrace=False)
    return found


def run(out_dir, scenario, ranks=None, *options, timeout=120, env=None):
    """Runs the worker (under mpiexec with `ranks` ranks, or as one plain process); returns (rc, output, seconds)."""
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""), **(env or {}))
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):  # numkeras chooses
        env.pop(name, None)
    command = [sys.executable, WORKER, scenario, str(out_dir), *options]
    if ranks is not None:
        command = [mpiexec(), "-n", str(ranks)] + command
    start = time.monotonic()
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=timeout)
    return done.returncode, done.stdout + done.stderr, time.monotonic() - start


def results(out_dir, output=""):
    path = os.path.join(out_dir, "report.json")
    assert os.path.exists(path), f"the worker wrote no report:\n{output[-3000:]}"
    with open(path) as f:
        reports = json.load(f)
    with np.load(os.path.join(out_dir, "weights.npz")) as w:
        weights = [w[k] for k in sorted(w.files, key=lambda k: int(k.split("_")[1]))]
    return reports, weights


def assert_ranks_agree(reports):
    """Every rank holds the same weights after every epoch, and logs and evaluates the same numbers."""
    first = reports[0]
    for other in reports[1:]:
        assert other["checksums"] == first["checksums"], "the ranks' weights differ"
        assert other["history"] == first["history"]
        assert other["evaluate"] == first["evaluate"]
        assert other["predict_sum"] == first["predict_sum"]


def assert_same_training(one, many, weights_one, weights_many):
    """The same weights within float32 summation-order tolerance, and the same metrics."""
    for a, b in zip(weights_one, weights_many):
        np.testing.assert_allclose(b, a, rtol=1e-4, atol=2e-6)
    h1, hn = one[0]["history"], many[0]["history"]
    assert set(h1) == set(hn)
    np.testing.assert_allclose(hn["loss"], h1["loss"], rtol=1e-5)
    np.testing.assert_allclose(hn["accuracy"], h1["accuracy"], atol=1 / 2048)  # a row at most
    np.testing.assert_allclose(many[0]["evaluate"], one[0]["evaluate"], rtol=1e-4)
    assert many[0]["predict_shape"] == one[0]["predict_shape"] == [300, 10]
    np.testing.assert_allclose(many[0]["predict_sum"], one[0]["predict_sum"], rtol=1e-5)


def test_two_ranks_train_the_same_weights_as_one_process(tmp_path):
    rc, out, _ = run(tmp_path / "one", "equal", None, "plain=1")
    assert rc == 0, out
    rc, out, _ = run(tmp_path / "two", "equal", 2)
    assert rc == 0, out
    one, w1 = results(tmp_path / "one")
    two, w2 = results(tmp_path / "two", out)
    assert len(two) == 2
    assert_ranks_agree(two)
    assert_same_training(one, two, w1, w2)
    assert "numkeras.distribution: 2 ranks: rank 0 pid" in out
    cores = len(os.sched_getaffinity(0))
    assert [r["blas_threads"] for r in two] == [max(1, cores // 2)] * 2  # ranks x threads = cores


def test_four_oversubscribed_ranks_with_uneven_and_empty_shares(tmp_path):
    # 2050 rows in batches of 128: the last global batch has 2 rows, so two of the four ranks get none.
    # One epoch: RMSprop divides by the root of small running means, so later epochs amplify float32
    # summation-order differences (each step alone agrees to an ulp or so).
    options = ("rows=2050",)
    rc, out, _ = run(tmp_path / "one", "equal", None, "plain=1", *options)
    assert rc == 0, out
    rc, out, _ = run(tmp_path / "four", "equal", 4, *options)
    assert rc == 0, out
    one, w1 = results(tmp_path / "one")
    four, w4 = results(tmp_path / "four", out)
    assert len(four) == 4 and len(four[0]["checksums"]) == 1
    assert_ranks_agree(four)
    assert_same_training(one, four, w1, w4)


def test_overlapping_the_averaging_with_the_backward_pass_changes_no_bit(tmp_path):
    # Four ranks, two of them with an empty last share (their zero gradients take the ordinary path): the
    # buckets filled during the backward pass must meet theirs in the same order and layout. 4 KiB buckets:
    # several per step, most of them started before the backward pass ends.
    options = ("rows=2050", "bucket_bytes=4096")
    rc, out, _ = run(tmp_path / "overlap", "equal", 4, *options)
    assert rc == 0, out
    rc, out, _ = run(tmp_path / "after", "equal", 4, "overlap=0", *options)
    assert rc == 0, out
    overlapped, w_overlap = results(tmp_path / "overlap", out)
    after, w_after = results(tmp_path / "after")
    assert [r["streamed_steps"] for r in overlapped] == [17, 17, 16, 16]  # 16 full batches + the 2-row one
    assert [r["streamed_steps"] for r in after] == [0, 0, 0, 0]
    for a, b in zip(w_after, w_overlap):
        assert a.tobytes() == b.tobytes()
    assert overlapped[0]["history"] == after[0]["history"]


def test_early_stopping_stops_every_rank_at_the_epoch_one_process_stops(tmp_path):
    rc, out, _ = run(tmp_path / "one", "early", None, "plain=1", "epochs=5")
    assert rc == 0, out
    rc, out, _ = run(tmp_path / "two", "early", 2, "epochs=5")
    assert rc == 0, out
    one, w1 = results(tmp_path / "one")
    two, w2 = results(tmp_path / "two", out)
    assert len(one[0]["history"]["loss"]) == 2  # stopped after the second of 5 epochs
    assert_ranks_agree(two)  # the same History (and weights, the best ones restored) on every rank
    assert_same_training(one, two, w1, w2)


def test_a_pydataset_is_split_batch_by_batch(tmp_path):
    rc, out, _ = run(tmp_path / "one", "equal", None, "plain=1", "rows=1000")
    assert rc == 0, out
    rc, out, _ = run(tmp_path / "two", "equal", 2, "source=pydataset", "rows=1000")
    assert rc == 0, out
    one, w1 = results(tmp_path / "one")
    two, w2 = results(tmp_path / "two", out)
    assert_ranks_agree(two)
    assert_same_training(one, two, w1, w2)


def test_shuffled_epochs_see_the_samples_one_process_would(tmp_path):
    # The shared seed and the epoch number give every rank the same global order; one process under
    # DataParallel (a job of one rank) draws the same order.
    options = ("shuffle=1", "seed=7")
    rc, out, _ = run(tmp_path / "one", "equal", None, *options)
    assert rc == 0, out
    rc, out, _ = run(tmp_path / "two", "equal", 2, *options)
    assert rc == 0, out
    one, w1 = results(tmp_path / "one")
    two, w2 = results(tmp_path / "two", out)
    assert_ranks_agree(two)
    assert_same_training(one, two, w1, w2)
    rc, out, _ = run(tmp_path / "unshuffled", "equal", None, "seed=7")
    _, w_unshuffled = results(tmp_path / "unshuffled", out)
    assert not np.allclose(w_unshuffled[0], w1[0], atol=1e-5)  # the order did change the training


def test_only_rank_0_writes_files(tmp_path):
    rc, out, _ = run(tmp_path, "files", 2, "epochs=2")
    assert rc == 0, out
    assert sorted(os.listdir(tmp_path / "rank0")) == ["ckpt.keras", "final.keras", "log.csv"]
    assert os.listdir(tmp_path / "rank1") == []
    with open(tmp_path / "rank0" / "log.csv") as f:
        assert len(f.read().strip().splitlines()) == 3  # a header and two epochs, written once
    reports, _ = results(tmp_path, out)
    assert_ranks_agree(reports)
    assert len(reports[0]["checksums"]) == 2  # compared after each epoch


def test_a_rank_that_raises_stops_every_rank_and_is_named(tmp_path):
    rc, out, seconds = run(tmp_path, "raise", 2, "epochs=3", "victim=1", "at_epoch=1", "at_step=3", timeout=60)
    assert rc != 0
    assert seconds < 30
    assert ("numkeras.distribution: rank 1 of 2" in out and "failed in fit() at epoch 1, step 3: ValueError: a bad "
            "batch" in out), out


def test_a_killed_rank_ends_the_job_and_training_resumes_from_the_checkpoint(tmp_path):
    rc, out, seconds = run(tmp_path / "killed", "kill", 2, "epochs=3", "victim=1", "at_epoch=1", "at_step=3",
                           timeout=60)
    assert rc != 0, out
    assert seconds < 30, f"the job took {seconds:.1f} s to end after a rank was killed"
    # MPICH's mpiexec names the killed process by its pid; numkeras's table at the start says whose it is.
    table = {pid: rank for rank, pid in re.findall(r"rank (\d+) pid (\d+) on", out)}
    killed = re.search(r"PID (\d+) RUNNING AT", out) or re.search(r"rank (\d+) \(pid (\d+)", out)
    assert killed, out
    assert table.get(killed.group(1)) == "1" or killed.group(1) == "1", out
    # The checkpoint of epoch 0 (rank 0's) loads, and fit resumes from it on 2 ranks.
    checkpoint = tmp_path / "killed" / "rank0" / "ckpt.keras"
    assert checkpoint.exists() and not os.listdir(tmp_path / "killed" / "rank1")
    rc, out, _ = run(tmp_path / "resumed", "resume", 2, f"checkpoint={checkpoint}", "initial_epoch=1", "epochs=3")
    assert rc == 0, out
    reports, _ = results(tmp_path / "resumed", out)
    assert_ranks_agree(reports)
    assert len(reports[0]["history"]["loss"]) == 2  # epochs 1 and 2


def test_a_stuck_rank_ends_the_job_after_the_timeout(tmp_path):
    rc, out, seconds = run(tmp_path, "hang", 2, "epochs=3", "victim=1", "at_epoch=0", "at_step=2", timeout=60,
                           env={"NUMKERAS_DISTRIBUTED_TIMEOUT": "3"})
    assert rc != 0
    assert 3 <= seconds < 30
    assert "rank 0 of 2" in out and "within 3 s (NUMKERAS_DISTRIBUTED_TIMEOUT)" in out, out
