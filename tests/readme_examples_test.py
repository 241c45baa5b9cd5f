"""The README's Python code blocks run as written, as a user runs them (a fresh interpreter).

The quickstart loads MNIST; offline, the test gives it Debian's Fashion-MNIST IDX files (the same
file names and shapes, /usr/share/datasets/fashion-mnist, which `make test` installs) through the
numkeras cache ($NUMKERAS_HOME/datasets), so no download happens.
"""
import os
import pathlib
import re
import subprocess
import sys

import pytest

from numkeras.datasets import idx

README = pathlib.Path(__file__).resolve().parents[1] / "README.md"
BLOCKS = re.findall(r"^```python\n(.*?)^```", README.read_text(), flags=re.S | re.M)
FASHION_MNIST = pathlib.Path("/usr/share/datasets/fashion-mnist")


def test_the_readme_has_python_blocks():
    assert BLOCKS and "mnist.load_data()" in BLOCKS[0]


@pytest.mark.parametrize("index", range(len(BLOCKS)))
def test_readme_block_runs(index, tmp_path):
    block = BLOCKS[index]
    if "mnist.load_data()" in block:
        if not all((FASHION_MNIST / name).exists() for name in idx.IDX_FILES):
            pytest.skip("needs Debian's dataset-fashion-mnist (make test installs it) to stand in for MNIST offline")
        cache = tmp_path / "home" / "datasets"
        cache.mkdir(parents=True)
        for name in idx.IDX_FILES:
            (cache / name).symlink_to(FASHION_MNIST / name)
    env = {**os.environ, "NUMKERAS_HOME": str(tmp_path / "home"), "PYTHONWARNINGS": "error"}
    root = str(README.parent)
    env["PYTHONPATH"] = root + os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else root
    result = subprocess.run([sys.executable, "-c", block], cwd=tmp_path, env=env, capture_output=True, text=True,
                            timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    if "print('test_acc:'" in block:
        accuracy = float(result.stdout.strip().splitlines()[-1].split()[-1])
        assert 0.7 < accuracy <= 1.0  # Fashion-MNIST's band after 5 epochs is about 0.87
