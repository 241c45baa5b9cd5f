"""Every python block in docs/ runs, and the output a page shows is what its code prints.

The conventions are in tests/docs/markdown_pages.py. Each English page runs in its own fresh
interpreter (tests/docs/run_blocks.py), blocks in page order; a Korean page's code is its English
twin's (translations_test.py checks that), so it is not run twice.

The getting-started page loads MNIST; offline, as for the README test, Debian's Fashion-MNIST IDX
files (the same file names and shapes, which `make test` installs) stand in for it through the
numkeras cache. Without them the page is skipped, except in CI (CI=true), where it fails.
"""
import doctest
import json
import os
import pathlib
import subprocess
import sys

import pytest

from tests.docs import markdown_pages

ROOT = markdown_pages.DOCS.parent
FASHION_MNIST = pathlib.Path("/usr/share/datasets/fashion-mnist")
IDX_FILES = ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
             "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")
RUN_BLOCKS = pathlib.Path(__file__).with_name("run_blocks.py")
_CHECKER = doctest.OutputChecker()


def _pages_to_run():
    pages = [p for p in markdown_pages.pages() if p.python_blocks]
    return [p for p in pages if not (p.path.name.endswith(".ko.md") and markdown_pages.english_twin(p.path).exists())]


PAGES = _pages_to_run()


def _shown_matches(shown, printed):
    """doctest's comparison with ELLIPSIS, trailing spaces ignored."""
    tidy = lambda text: "\n".join(line.rstrip() for line in text.strip("\n").splitlines()) + "\n"
    return _CHECKER.check_output(tidy(shown), tidy(printed), doctest.ELLIPSIS)


def _environment(page, tmp_path):
    home = tmp_path / "numkeras-home"
    (home / "datasets").mkdir(parents=True)
    if any("mnist.load_data()" in b.text for b in page.python_blocks):
        if not all((FASHION_MNIST / name).exists() for name in IDX_FILES):
            message = f"{page.name} loads MNIST: needs Debian's dataset-fashion-mnist to stand in offline (make test installs it)"
            if os.environ.get("CI") == "true":
                pytest.fail(message)
            pytest.skip(message)
        for name in IDX_FILES:
            (home / "datasets" / name).symlink_to(FASHION_MNIST / name)
    env = {**os.environ, "NUMKERAS_HOME": str(home), "PYTHONWARNINGS": "error", "MPLBACKEND": "Agg",
           "PYTHONIOENCODING": "utf-8"}
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


def test_the_docs_have_python_blocks_with_output():
    names = [p.name for p in PAGES]
    assert "getting-started.md" in names
    assert any(b.is_output for p in PAGES for b in p.blocks)


def test_output_blocks_are_matched_with_ellipsis_and_tracebacks():
    # The comparison itself: what would pass and what must not.
    assert _shown_matches("Epoch 1/5\n469/469 ... - loss: ...\n", "Epoch 1/5\n469/469 3s 6ms/step - loss: 0.25\n")
    assert not _shown_matches("(60000, 28, 28)\n", "(60000, 784)\n")
    assert _shown_matches("Traceback (most recent call last):\n...\nValueError: bad\n",
                          'Traceback (most recent call last):\n  File "x", line 1\nValueError: bad\n')


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_page_blocks_run_and_print_what_the_page_shows(page, tmp_path):
    python = [b for b in page.python_blocks if b.skip is None]
    payload = [{"name": f"{page.name}:{b.line}", "code": b.text} for b in python]
    (tmp_path / "blocks.json").write_text(json.dumps(payload), encoding="utf-8")
    work = tmp_path / "work"
    work.mkdir()
    run = subprocess.run([sys.executable, str(RUN_BLOCKS), str(tmp_path / "blocks.json"), str(tmp_path / "results.json")],
                         cwd=work, env=_environment(page, tmp_path), capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stderr[-3000:]
    results = dict(zip((id(b) for b in python), json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))))
    shown = {b.follows: b for b in page.blocks if b.is_output}
    failures = []
    for index, block in enumerate(page.blocks):
        if not block.is_python or block.skip is not None:
            continue
        result = results[id(block)]
        output = shown.get(index)
        if output is None:
            if result["raised"]:
                failures.append(f"{page.name}:{block.line}: the block raised and the page shows no traceback:\n"
                                f"{result['output'][-2000:]}")
        elif not _shown_matches(output.text, result["output"]):
            failures.append(f"{page.name}:{output.line}: the page shows\n{output.text}\nbut the block at line "
                            f"{block.line} printed\n{result['output'][-3000:]}")
    assert not failures, "\n\n".join(failures)
