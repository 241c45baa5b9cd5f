"""`python -m numkeras run`: what it skips, prints, saves and exits with, on small notebooks written here."""
import json
import os
import pathlib
import subprocess
import sys

import pytest

import numkeras
from numkeras.utils import notebook_runner

ROOT = pathlib.Path(numkeras.__file__).resolve().parent.parent


def write_notebook(folder, name, sources, markdown=()):
    cells = [{"cell_type": "markdown", "metadata": {}, "source": text} for text in markdown]
    cells += [{"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
               "source": source.splitlines(keepends=True)} for source in sources]
    path = folder / name
    path.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    return path


def run(folder, *args, env=None):
    """Runs `python -m numkeras run ARGS` in `folder` as a user would; returns the finished process."""
    environment = dict(os.environ, PYTHONPATH=str(ROOT), HOME=str(folder), IPYTHONDIR=str(folder / ".ipython"),
                       **(env or {}))
    environment.pop("KERAS_BACKEND", None)
    environment.pop("MPLBACKEND", None)
    return subprocess.run([sys.executable, "-m", "numkeras", "run", *args], cwd=folder, env=environment,
                          capture_output=True, text=True, timeout=300)


def test_cells_run_in_one_namespace_with_headers_outputs_and_the_closing_count(tmp_path):
    write_notebook(tmp_path, "nb.ipynb", [
        "import keras\nx = 20",
        "print('printed', x)\nx + 1",
        "get_ipython().__class__.__name__",
        "keras.__name__",
    ], markdown=["# a title (not code)"])
    done = run(tmp_path, "nb.ipynb")
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "--- cell 1/4: import keras"
    assert "--- cell 2/4: print('printed', x)" in lines
    assert "printed 20" in lines and "Out[2]: 21" in lines  # the last expression is displayed, as Jupyter does
    assert "Out[3]: 'InteractiveShell'" in lines
    assert "Out[4]: 'numkeras'" in lines  # `import keras` is numkeras
    assert lines[-1] == "cells: 4 ran, 0 skipped, 0 failed"


def test_shell_escapes_package_magics_and_other_backends_are_skipped_with_a_note(tmp_path):
    write_notebook(tmp_path, "nb.ipynb", [
        "!pip install keras keras-hub --upgrade -q",
        "%pip install numpy\n%conda install scipy",
        "import os\nos.environ['KERAS_BACKEND'] = 'jax'",
        # The 3rd edition's own cell magic, registered by the notebook; its cells are skipped.
        "from IPython.core.magic import register_cell_magic\n\n@register_cell_magic\ndef backend(line, cell):\n"
        "    print('the magic ran')\n",
        "%%backend tensorflow\nimport tensorflow as tf",
        "%%bash\necho from bash",
        "files = 1\n!ls\nprint('after the escape', files)",
        "print('backend now', os.environ.get('KERAS_BACKEND'))",
    ])
    done = run(tmp_path, "nb.ipynb")
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    lines = out.splitlines()
    assert lines[1].startswith("[skipped] only shell commands or package installs (`!pip install keras")
    assert lines[3].startswith("[skipped] only shell commands or package installs (`%pip install numpy`)")
    assert "[ignored] KERAS_BACKEND='jax' set by the code: numkeras has one backend (NumPy)" in out
    assert "[skipped] this cell needs Keras's tensorflow backend (`%%backend tensorflow`)" in out
    assert "[skipped] a shell cell (`%%bash`)" in out
    assert "the magic ran" not in out and "from bash" not in out
    # A shell line inside a cell of Python is not run either; the rest of the cell is.
    assert "[not run] shell command `!ls`" in out and "after the escape 1" in out
    assert "backend now None" in out  # the notebook's KERAS_BACKEND setting was undone
    assert lines[-1] == "cells: 4 ran, 4 skipped, 0 failed"


def test_every_figure_is_saved_as_a_png_named_by_cell_and_figure(tmp_path):
    write_notebook(tmp_path, "plots.ipynb", [
        "%matplotlib inline\nimport matplotlib.pyplot as plt",
        "plt.plot([1, 2]); plt.figure(); plt.plot([3, 1]); plt.show()",
        "x = 1",
        "plt.figure(); plt.bar([0, 1], [2, 3])  # left open: shown at the cell's end, as in a notebook",
    ])
    done = run(tmp_path, "plots.ipynb", "--output-dir", "figs")
    assert done.returncode == 0, done.stdout + done.stderr
    saved = sorted(p.name for p in (tmp_path / "figs").iterdir())
    assert saved == ["cell02_fig1.png", "cell02_fig2.png", "cell04_fig1.png"]
    for name in saved:
        assert (tmp_path / "figs" / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert f"[figure saved: {os.path.join('figs', 'cell04_fig1.png')}]" in done.stdout
    assert "[not run] `%matplotlib inline`" in done.stdout
    # The default folder is ./numkeras-run/.
    assert run(tmp_path, "plots.ipynb").returncode == 0
    assert sorted(p.name for p in (tmp_path / "numkeras-run").iterdir()) == saved


def test_the_first_failing_cell_stops_the_run_with_a_trimmed_traceback_and_status_1(tmp_path):
    write_notebook(tmp_path, "bad.ipynb", [
        "from keras import layers\ndef make(units):\n    return layers.Dense(units)",
        "print('before')\nmake(-3)",
        "print('after the failure')",
    ])
    done = run(tmp_path, "bad.ipynb")
    assert done.returncode == 1
    out = done.stdout
    assert "after the failure" not in out
    assert "  cell 2, line 2, in <module>\n    make(-3)\n  cell 1, line 3, in make\n" \
           "    return layers.Dense(units)\n" in out
    assert "numkeras/layers" not in out and "interactiveshell.py" not in out  # library frames left out
    assert "... and " in out and "frame(s) in library code" in out
    assert "ValueError" in out and "units" in out
    assert "stopped at cell 2 of 3, the first that failed; --keep-going runs the rest" in out
    assert out.splitlines()[-1] == "cells: 1 ran, 0 skipped, 1 failed"

    going = run(tmp_path, "bad.ipynb", "--keep-going")
    assert going.returncode == 1
    assert "after the failure" in going.stdout
    assert going.stdout.splitlines()[-1] == "cells: 2 ran, 0 skipped, 1 failed"


def test_a_warning_from_a_cell_names_the_cell(tmp_path):
    write_notebook(tmp_path, "warn.ipynb", ["x = 1", "import warnings\nwarnings.warn('look out')"])
    done = run(tmp_path, "warn.ipynb")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "cell 2:2: UserWarning: look out\n  warnings.warn('look out')" in done.stderr


def test_a_syntax_error_fails_its_cell(tmp_path):
    write_notebook(tmp_path, "syntax.ipynb", ["x = (1,", "print('never')"])
    done = run(tmp_path, "syntax.ipynb")
    assert done.returncode == 1
    assert "SyntaxError" in done.stdout and "never" not in done.stdout
    assert done.stdout.splitlines()[-1] == "cells: 0 ran, 0 skipped, 1 failed"


def test_a_script_runs_as_main_with_its_arguments_and_counts_as_one_cell(tmp_path):
    (tmp_path / "helper.py").write_text("VALUE = 7\n")
    (tmp_path / "train.py").write_text(
        "import sys\nimport keras\nimport helper\nimport matplotlib.pyplot as plt\n"
        "print(__name__, keras.__name__, helper.VALUE, sys.argv[1:])\nplt.plot([1, 2])\nplt.show()\n")
    done = run(tmp_path, "train.py", "a", "--", "--b")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "__main__ numkeras 7 ['a', '--b']" in done.stdout
    assert (tmp_path / "numkeras-run" / "cell01_fig1.png").is_file()
    assert done.stdout.splitlines()[-1] == "cells: 1 ran, 0 skipped, 0 failed"

    (tmp_path / "broken.py").write_text("def f():\n    return 1 / 0\n\nf()\n")
    broken = run(tmp_path, "broken.py")
    assert broken.returncode == 1
    assert 'File "broken.py", line 4, in <module>\n    f()\n  File "broken.py", line 2, in f' in broken.stdout
    assert "runpy" not in broken.stdout and "ZeroDivisionError: division by zero" in broken.stdout
    assert broken.stdout.splitlines()[-1] == "cells: 0 ran, 0 skipped, 1 failed"


def test_max_epochs_and_steps_cap_fit_through_keras_config(tmp_path):
    write_notebook(tmp_path, "fit.ipynb", [
        "import numpy as np\nimport keras\nmodel = keras.Sequential([keras.layers.Dense(1)])\n"
        "model.compile(optimizer='sgd', loss='mse')\n"
        "history = model.fit(np.ones((64, 2)), np.ones((64, 1)), epochs=6, batch_size=8, verbose=0)\n"
        "print('epochs run', len(history.history['loss']), 'steps', history.params['steps'])",
    ])
    done = run(tmp_path, "fit.ipynb", "--max-epochs", "2", "--max-steps-per-epoch", "3")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "epochs run 2 steps 3" in done.stdout
    assert "Limiting epochs to 2" in done.stdout + done.stderr


@pytest.mark.parametrize("name, text, expected", [
    ("notes.txt", "hello", "neither a .py script nor a .ipynb notebook"),
    ("old.ipynb", json.dumps({"worksheets": [], "nbformat": 3}), "not an nbformat 4 notebook"),
])
def test_what_is_not_a_runnable_file_is_refused(tmp_path, name, text, expected):
    (tmp_path / name).write_text(text)
    done = run(tmp_path, name)
    assert done.returncode == 2
    assert expected in done.stdout + done.stderr


def test_read_code_cells_joins_source_lines_and_keeps_code_cells_only(tmp_path):
    path = write_notebook(tmp_path, "nb.ipynb", ["a = 1\nb = 2", ""], markdown=["text"])
    assert notebook_runner.read_code_cells(path) == ["a = 1\nb = 2", ""]
