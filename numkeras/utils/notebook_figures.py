"""A headless matplotlib backend that saves every figure as a PNG: the runner's stand-in for inline plots.

`python -m numkeras run` selects it (`MPLBACKEND=module://numkeras.utils.notebook_figures`)
before the program imports pyplot. It draws with Agg, as Jupyter's inline backend does, and
where a notebook would show a figure under a cell, `plt.show()` (and the end of each cell)
writes it to `<output dir>/cell<NN>_fig<K>.png` and closes it. matplotlib loads this module
only when the program imports pyplot, and the runner only touches it once it is loaded, so a
program that plots nothing never pays for matplotlib. Where figures go is the runner's
`notebook_runner.FIGURES` (folder, cell number, the paths saved in the cell).

Example:
    >>> import os, tempfile
    >>> from numkeras.utils import notebook_figures
    >>> from numkeras.utils.notebook_runner import FIGURES
    >>> FIGURES.start(tempfile.mkdtemp())
    >>> FIGURES.begin_cell(3)
    >>> import matplotlib.pyplot as plt
    >>> _ = plt.plot([1, 2, 3])
    >>> notebook_figures.show()  # what plt.show() calls when this backend is selected
    >>> sorted(os.listdir(FIGURES.output_dir)), len(FIGURES.saved)
    (['cell03_fig1.png'], 1)
    >>> FIGURES.stop()
"""
import os
import sys

from matplotlib.backends.backend_agg import FigureCanvasAgg

from numkeras.utils.notebook_runner import FIGURES

FigureCanvas = FigureCanvasAgg


def show(*args, **kwargs):
    """`plt.show()`: saves every open figure as a PNG and closes it, as a notebook shows them under a cell."""
    import matplotlib.pyplot as plt
    for number in plt.get_fignums():
        figure = plt.figure(number)
        if FIGURES.output_dir is not None:
            os.makedirs(FIGURES.output_dir, exist_ok=True)
            path = os.path.join(FIGURES.output_dir, f"cell{FIGURES.cell:02d}_fig{len(FIGURES.saved) + 1}.png")
            figure.savefig(path, format="png")
            FIGURES.saved.append(path)
        plt.close(figure)


def flush():
    """Saves and closes the figures a cell left open (the runner calls it at the end of each cell)."""
    if "matplotlib.pyplot" in sys.modules:
        show()
