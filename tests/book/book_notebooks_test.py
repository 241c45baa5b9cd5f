"""The book's notebooks (tests/book/, unedited) run through `python -m numkeras run` with no failing cell.

Each runs in a fresh process with HOME pointing to a temporary folder whose `~/.keras/datasets`
holds the data of `book_data.py`: real Fashion-MNIST images in MNIST's files (Debian's
`dataset-fashion-mnist`; without it these tests are skipped, except in CI where they fail), and
GENERATED IMDB, Reuters, Boston Housing and California Housing files in the real formats. To
bound CI's time, each run passes the runner's test-only caps (`--max-epochs`,
`--max-steps-per-epoch`, i.e. keras.config.set_max_epochs / set_max_steps_per_epoch); a
notebook whose later cells plot one point per epoch of `range(1, 21)` keeps its epochs and caps
only the batches. The accuracy bands below are for those short runs on that data, not the book's
figures: wide enough for any seed, narrow enough that a model that learnt nothing fails them.
"""
import os
import pathlib
import re
import subprocess
import sys

import pytest

import book_data

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent

# notebook -> (runner caps, (cells ran, cells skipped), [(what, regex with one number, low, high)])
NOTEBOOKS = {
    "first_edition/2.1-a-first-look-at-a-neural-network.ipynb": (
        ["--max-epochs", "1", "--max-steps-per-epoch", "40"], (15, 0),
        [("test accuracy (Fashion-MNIST, 40 batches of training)", r"^test_acc: ([0-9.]+)$", 0.6, 0.95)]),
    "first_edition/3.5-classifying-movie-reviews.ipynb": (
        ["--max-steps-per-epoch", "4"], (22, 0),
        [("test accuracy (generated IMDB)", r"^Out\[21\]: \[[0-9.]+, ([0-9.]+)\]$", 0.65, 1.0)]),
    "first_edition/3.6-classifying-newswires.ipynb": (
        ["--max-steps-per-epoch", "4"], (27, 0),
        [("test accuracy (generated Reuters)", r"^Out\[19\]: \[[0-9.]+, ([0-9.]+)\]$", 0.3, 1.0)]),
    "first_edition/3.7-predicting-house-prices.ipynb": (
        ["--max-steps-per-epoch", "2"], (17, 0),
        [("test MAE in $1000s (generated Boston Housing)", r"^Out\[17\]: ([0-9.]+)$", 0.5, 12.0)]),
    "first_edition/5.1-introduction-to-convnets.ipynb": (
        ["--max-epochs", "1", "--max-steps-per-epoch", "40"], (9, 0),
        [("test accuracy (Fashion-MNIST, 40 batches of training)", r"^Out\[9\]: ([0-9.]+)$", 0.45, 0.95)]),
    "first_edition/6.1-one-hot-encoding-of-words-or-characters.ipynb": ([], (5, 0), []),
    "first_edition/6.2-understanding-recurrent-neural-networks.ipynb": (
        ["--max-epochs", "2", "--max-steps-per-epoch", "1"], (10, 0), []),
    "third_edition/chapter02_mathematical-building-blocks.ipynb": (
        ["--max-epochs", "1", "--max-steps-per-epoch", "40"], (67, 6),
        [("test accuracy (Fashion-MNIST, 40 batches of training)", r"^test_acc: ([0-9.]+)$", 0.6, 0.95)]),
    "third_edition/chapter04_classification-and-regression.ipynb": (["--max-steps-per-epoch", "4"], (65, 1), []),
    "third_edition/chapter05_fundamentals-of-ml.ipynb": (["--max-steps-per-epoch", "2"], (24, 1), []),
}


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    if not book_data.have_fashion_mnist():
        reason = (f"Fashion-MNIST is not installed in {book_data.FMNIST_DIR}: run `make test` as root, or "
                  "`apt-get install dataset-fashion-mnist`")
        if os.environ.get("CI") == "true":
            pytest.fail(reason + " (CI=true: the book's notebooks must run)")
        pytest.skip(reason)
    folder = tmp_path_factory.mktemp("book-home")
    book_data.install(str(folder))
    return folder


def run_notebook(notebook, caps, home, cwd):
    env = dict(os.environ, HOME=str(home), NUMKERAS_HOME=str(cwd / "numkeras-home"), PYTHONPATH=str(ROOT),
               IPYTHONDIR=str(cwd / "ipython"))
    for name in ("KERAS_BACKEND", "MPLBACKEND", "KERAS_MAX_EPOCHS", "KERAS_MAX_STEPS_PER_EPOCH"):
        env.pop(name, None)
    return subprocess.run([sys.executable, "-m", "numkeras", "run", str(HERE / notebook), *caps],
                          cwd=cwd, env=env, capture_output=True, text=True, timeout=1800)


@pytest.mark.parametrize("notebook", sorted(NOTEBOOKS))
def test_book_notebook_runs_with_no_failing_cell(notebook, home, tmp_path):
    caps, (ran, skipped), bands = NOTEBOOKS[notebook]
    done = run_notebook(notebook, caps, home, tmp_path)
    tail = done.stdout[-6000:] + "\n" + done.stderr[-3000:]
    assert done.stdout.rstrip().splitlines()[-1] == f"cells: {ran} ran, {skipped} skipped, 0 failed", tail
    assert done.returncode == 0, tail
    for what, pattern, low, high in bands:
        found = re.findall(pattern, done.stdout, flags=re.MULTILINE)
        assert found, f"{notebook}: no {what} printed (looked for {pattern!r})\n{tail}"
        value = float(found[-1])
        assert low <= value <= high, f"{notebook}: {what} = {value}, outside [{low}, {high}]\n{tail}"
