"""The training-curve pictures on the getting-started page are what the page's code draws today.

tests/docs/training_curves.py runs the page's plotting blocks (fixed seed, the bundled digits set)
into a temporary folder; each picture must match the committed one, pixel for pixel up to small
anti-aliasing differences (another matplotlib or FreeType). A changed block (another model, more
epochs) moves the curves and fails this: rerun the script and commit its pictures.
"""
import os
import pathlib
import subprocess
import sys

import numpy as np
import pytest

from tests.docs import markdown_pages, training_curves

COMMITTED = training_curves.DEFAULT_OUT
ROOT = training_curves.ROOT


def _gray(path):
    from PIL import Image
    with Image.open(path) as image:
        return np.asarray(image.convert("L"), dtype=np.float64)


def _differences(a, b):
    """Mean absolute difference (0..255) and the fraction of pixels that differ."""
    difference = np.abs(a - b)
    return difference.mean(), (difference > 0).mean()


def test_the_page_shows_every_picture_the_script_draws():
    page = markdown_pages.read_page(training_curves.PAGE)
    shown = {pathlib.PurePosixPath(src).name for _, src in page.images}
    committed = {p.name for p in COMMITTED.glob("*.png")}
    assert committed == shown == {"training-curves.png", "overfitting.png"}


@pytest.fixture(scope="module")
def drawn(tmp_path_factory):
    # In a fresh interpreter, as a reader runs the page: the blocks set the global random seed.
    out = tmp_path_factory.mktemp("curves")
    env = {**os.environ, "PYTHONWARNINGS": "error", "MPLBACKEND": "Agg"}
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    run = subprocess.run([sys.executable, str(ROOT / "tests/docs/training_curves.py"), "--out", str(out)],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stderr[-3000:]
    return sorted(out.glob("*.png"))


def test_the_committed_pictures_are_what_the_page_code_draws(drawn):
    assert sorted(p.name for p in drawn) == sorted(p.name for p in COMMITTED.glob("*.png"))
    for path in drawn:
        now, committed = _gray(path), _gray(COMMITTED / path.name)
        assert now.shape == committed.shape, f"{path.name}: drawn {now.shape}, committed {committed.shape}"
        mean, changed = _differences(now, committed)
        assert mean < 1.0 and changed < 0.02, (
            f"{path.name} differs from the committed picture (mean difference {mean:.2f}/255, {changed:.1%} of "
            f"pixels): run `python tests/docs/training_curves.py` and commit docs/images/getting-started/")


def test_the_comparison_tells_two_different_pictures_apart():
    training, overfitting = (_gray(COMMITTED / name) for name in ("training-curves.png", "overfitting.png"))
    mean, changed = _differences(training, overfitting)
    assert not (mean < 1.0 and changed < 0.02)
