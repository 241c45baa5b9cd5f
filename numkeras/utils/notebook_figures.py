"""A headless matplotlib backend that saves every figure as a PNG: the runner's stand-in for inline plots.

`python -m numkeras run` selects it (`MPLBACKEND=module://numkeras.utils.notebook_figures`)
before the program imports pyplot. It draws with Agg, as Jupyter's inline backend does, and
where a notebook would show a figure under a cell, `plt.show()` (and the end of each cell)
writes it to `<output dir>/cell<NN>_fig<K>.png` and closes it. matplotlib loads this module
only when the program imports pyplot, so a program that plots nothing never pays for matplotlib.

Example:
    >>> import os, tempfile
    >>> from numkeras.utils import notebook_figures
    >>> folder = tempfile.mkdtemp()
    >>> notebook_figures.start(folder)
    >>> notebook_figures.begin_cell(3)
    >>> import matplotlib.pyplot as plt
    >>> _ = plt.plot([1, 2, 3])
    >>> notebook_figures.show()  # what plt.show() calls when this backend is selected
    >>> sorted(os.listdir(folder))
    ['cell03_fig1.png']
    >>> notebook_figures.stop()
"""
import os

from matplotlib.backends.backend_agg import FigureCanvasAgg

FigureCanvas = FigureCanvasAgg

_output_dir = None
_cell = 1
_saved = []  # paths written in the current cell


def start(output_dir):
    """Saves figures into `output_dir` (created when the first figure is saved) from now on."""
    global _output_dir
    _output_dir = os.fspath(output_dir)


def stop():
    """Stops saving figures (show() then only closes them)."""
    global _output_dir
    _output_dir = None


def begin_cell(number):
    """Names the figures saved from now on after cell `number` (1-based)."""
    global _cell
    _cell = number
    _saved.clear()


def saved_in_cell():
    """The PNG paths written since `begin_cell`."""
    return list(_saved)


def show(*args, **kwargs):
    """`plt.show()`: saves every open figure as a PNG and closes it, as a notebook shows them under a cell."""
    import matplotlib.pyplot as plt
    for number in plt.get_fignums():
        figure = plt.figure(number)
        if _output_dir is not None:
            os.makedirs(_output_dir, exist_ok=True)
            path = os.path.join(_output_dir, f"cell{_cell:02d}_fig{len(_saved) + 1}.png")
            figure.savefig(path, format="png")
            _saved.append(path)
        plt.close(figure)


def flush():
    """Saves and closes the figures a cell left open (called at the end of each cell); does nothing
    when pyplot was never imported."""
    import sys
    if "matplotlib.pyplot" in sys.modules:
        show()
