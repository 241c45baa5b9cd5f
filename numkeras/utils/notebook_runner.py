"""`python -m numkeras run PATH`: runs a Keras script or notebook unedited, on numkeras.

The runner installs `import keras` as numkeras (`numkeras.install_as_keras()`), then runs

- a `.py` file as a script (`__main__`, its folder first on `sys.path`, extra arguments in
  `sys.argv`), counted as one cell;
- a `.ipynb` notebook's code cells in order, in one namespace, through IPython's
  `InteractiveShell` (the optional dependency `numkeras[notebook]`), as a Jupyter kernel runs
  them: magics, `get_ipython()` and the display of a cell's last expression (`Out[3]: ...`) work.

What a notebook does that has no place in a headless run is not executed, and each such thing
gets a one-line note: shell escapes (`!pip install ...`, `!!ls`, `%%bash` cells) and the
package-manager magics `%pip`/`%conda`; cells that need another Keras backend (the 3rd
edition's `%%backend tensorflow|jax|torch` cells); `%matplotlib` (plots are saved instead). A
notebook's own `KERAS_BACKEND` setting (`os.environ["KERAS_BACKEND"] = "jax"`) runs but is
undone after the cell, with a note: numkeras has one backend, NumPy.

matplotlib draws headless (`numkeras.utils.notebook_figures`, Agg) and each figure is saved as
`<output dir>/cell<NN>_fig<K>.png` where the notebook would show it. The runner prints a
one-line header per cell, then the cell's output, and ends with one line:
`cells: N ran, K skipped, F failed`. The first failing cell stops the run (`--keep-going` runs
on), its traceback trimmed to the notebook's (or script's) own code, and the exit status is 1;
0 when every cell ran.

`--max-epochs N` and `--max-steps-per-epoch N` are for tests and quick checks only: they call
`numkeras.config.set_max_epochs` / `set_max_steps_per_epoch`, which cap every `fit()` (and
evaluate/predict's batches) as Keras's own debugging limits do, so a book notebook can run in
CI in seconds. The numbers it then prints are not the book's.

Example (a notebook written on the spot, run in a child process as from a shell):

    >>> import json, os, subprocess, sys, tempfile
    >>> folder = tempfile.mkdtemp()
    >>> cells = [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
    ...           "source": source} for source in ["!pip install keras", "import keras\\n1 + 1"]]
    >>> with open(os.path.join(folder, "tiny.ipynb"), "w") as f:
    ...     json.dump({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}, f)
    >>> run = subprocess.run([sys.executable, "-m", "numkeras", "run", "tiny.ipynb"], cwd=folder,
    ...                      capture_output=True, text=True)
    >>> run.returncode, run.stdout.splitlines()[-1]
    (0, 'cells: 1 ran, 1 skipped, 0 failed')
"""
import argparse
import ast
import json
import linecache
import os
import runpy
import sys
import sysconfig
import traceback

FIGURES_BACKEND = "module://numkeras.utils.notebook_figures"

# Line magics that install packages: a headless run of the book never installs anything.
PACKAGE_MAGICS = ("pip", "conda", "mamba", "micromamba")
# Cell magics that hand the cell to a shell or another interpreter.
SHELL_CELL_MAGICS = ("bash", "sh", "script", "system")


class FigureSink:
    """Where the figure backend (`notebook_figures`) saves: the folder, the cell, the paths saved in it.

    Kept here, free of matplotlib, so that the runner never imports matplotlib for a program
    that does not plot.
    """

    def __init__(self):
        self.output_dir = None
        self.cell = 1
        self.saved = []

    def start(self, output_dir):
        """Saves figures into `output_dir` (created when the first figure is saved) from now on."""
        self.output_dir = os.fspath(output_dir)

    def stop(self):
        """Stops saving figures (show() then only closes them)."""
        self.output_dir = None

    def begin_cell(self, number):
        """Names the figures saved from now on after cell `number` (1-based)."""
        self.cell = number
        self.saved = []

    def end_cell(self):
        """Saves the figures the cell left open; returns the paths saved during the cell."""
        backend = sys.modules.get("numkeras.utils.notebook_figures")
        if backend is not None:
            backend.flush()
        return list(self.saved)


FIGURES = FigureSink()


def main(argv=None):
    """The command line: `python -m numkeras run PATH [options]`. Returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command != "run":  # pragma: no cover - argparse requires a command
        parser.print_help()
        return 2
    path = args.path
    if not os.path.isfile(path):
        parser.error(f"run: no such file: {path!r}. Pass a .py script or a .ipynb notebook.")
    kind = os.path.splitext(path)[1].lower()
    if kind not in (".py", ".ipynb"):
        parser.error(f"run: {path!r} is neither a .py script nor a .ipynb notebook. Pass one of those.")
    if args.script_args and kind != ".py":
        parser.error(f"run: extra arguments {args.script_args} are passed to a .py script only; "
                     f"a notebook takes none.")
    import numkeras
    numkeras.install_as_keras()
    if args.max_epochs is not None:
        numkeras.config.set_max_epochs(args.max_epochs)
    if args.max_steps_per_epoch is not None:
        numkeras.config.set_max_steps_per_epoch(args.max_steps_per_epoch)
    _headless_figures(args.output_dir)
    runner = Runner(args.output_dir, keep_going=args.keep_going)
    if kind == ".py":
        return runner.run_script(path, args.script_args)
    return runner.run_notebook(path)


def _positive_int(text):
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value <= 0:
        raise argparse.ArgumentTypeError(f"expected a positive integer, received {text!r}")
    return value


def _parser():
    parser = argparse.ArgumentParser(
        prog="python -m numkeras",
        description="Runs Keras code on numkeras, unedited: `import keras` resolves to numkeras.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    run = commands.add_parser(
        "run", help="run a .py script or a .ipynb notebook's code cells",
        description="Runs a .py script, or a .ipynb notebook's code cells in order through IPython, with "
                    "`import keras` resolved to numkeras. Prints a header per cell and a closing "
                    "`cells: N ran, K skipped, F failed` line; exits 1 if a cell failed.")
    run.add_argument("path", help="the .py script or .ipynb notebook")
    run.add_argument("script_args", nargs="*", metavar="ARG",
                     help="arguments for a .py script, its sys.argv[1:] (after `--` when they start with -)")
    run.add_argument("--output-dir", default="numkeras-run",
                     help="where figures are saved as cell<NN>_fig<K>.png (default: ./numkeras-run/)")
    run.add_argument("--keep-going", action="store_true", help="run the cells after a failing one too")
    run.add_argument("--max-epochs", type=_positive_int, metavar="N",
                     help="test-only: cap every fit() at N epochs (numkeras.config.set_max_epochs)")
    run.add_argument("--max-steps-per-epoch", type=_positive_int, metavar="N",
                     help="test-only: cap each epoch of fit/evaluate/predict at N batches "
                          "(numkeras.config.set_max_steps_per_epoch)")
    return parser


def _headless_figures(output_dir):
    """matplotlib draws with Agg and saves figures where a notebook would show them."""
    FIGURES.start(output_dir)
    if "matplotlib" in sys.modules:
        import matplotlib
        matplotlib.use(FIGURES_BACKEND)
    else:
        os.environ["MPLBACKEND"] = FIGURES_BACKEND  # read when the program first imports matplotlib


def read_code_cells(path):
    """The source of each code cell of the notebook at `path`, in order (a notebook is JSON, nbformat 4)."""
    with open(path, encoding="utf-8") as f:
        try:
            notebook = json.load(f)
        except json.JSONDecodeError as e:
            raise ValueError(f"run: {path!r} is not a notebook: it is not valid JSON ({e}).") from None
    if not isinstance(notebook, dict) or notebook.get("nbformat") != 4 or not isinstance(notebook.get("cells"), list):
        version = notebook.get("nbformat") if isinstance(notebook, dict) else None
        raise ValueError(f"run: {path!r} is not an nbformat 4 notebook (nbformat={version!r}). Save it with a "
                         f"current Jupyter, or run `jupyter nbconvert --to notebook` on it, and try again.")
    cells = []
    for cell in notebook["cells"]:
        if cell.get("cell_type") == "code":
            source = cell.get("source", "")
            cells.append("".join(source) if isinstance(source, list) else source)
    return cells


class Runner:
    """Runs a script or a notebook's cells, printing headers, notes, and the closing count."""

    def __init__(self, output_dir, keep_going=False, stream=None):
        self.output_dir = output_dir
        self.keep_going = keep_going
        self.stream = stream
        self.ran = self.skipped = self.failed = 0
        self._cell_of_count = {}  # IPython's execution count -> the cell's number

    def say(self, line):
        stream = self.stream or sys.stdout
        stream.write(line + "\n")
        stream.flush()

    # -- notebooks ------------------------------------------------------------
    def run_notebook(self, path):
        try:
            cells = read_code_cells(path)
        except ValueError as e:
            self.say(str(e))
            return 2
        shell = self._shell()
        total = len(cells)
        stopped = None
        for number, source in enumerate(cells, start=1):
            self.say(f"--- cell {number}/{total}: {_first_line(source)}")
            reason = self._skip_reason(shell, source)
            if reason:
                self.say(f"[skipped] {reason}")
                self.skipped += 1
                continue
            FIGURES.begin_cell(number)
            backend = os.environ.get("KERAS_BACKEND")
            self._cell_of_count[shell.execution_count] = number  # the count this cell runs under
            result = shell.run_cell(source, store_history=True)
            self._after_cell(backend)
            error = result.error_before_exec or result.error_in_exec
            if error is None:
                self.ran += 1
                continue
            self.failed += 1
            self.say(self.trimmed_traceback(error))
            if not self.keep_going:
                stopped = number
                break
        return self._finish(stopped, total)

    def _shell(self):
        try:
            from IPython.core.interactiveshell import InteractiveShell
        except ImportError:
            raise SystemExit("python -m numkeras run: running a notebook needs IPython: "
                             "pip install 'numkeras[notebook]' (or pip install ipython).") from None
        from traitlets.config import Config
        config = Config()
        config.HistoryManager.hist_file = ":memory:"  # a headless run leaves no IPython history behind
        shell = InteractiveShell.instance(config=config, colors="nocolor")
        # Errors are reported by the runner, trimmed to the notebook's code.
        shell.showtraceback = lambda *args, **kwargs: None
        shell.showsyntaxerror = lambda *args, **kwargs: None
        shell.system = self._shell_escape
        shell.system_raw = self._shell_escape
        shell.getoutput = self._shell_output
        for name in PACKAGE_MAGICS:
            shell.register_magic_function(self._package_magic(name), "line", name)
        shell.register_magic_function(self._matplotlib_magic, "line", "matplotlib")
        shell.register_magic_function(self._matplotlib_magic, "line", "pylab")
        self._label_warnings()
        return shell

    def _label_warnings(self):
        """A warning raised by a cell's code names the cell (`cell 13:1: UserWarning: ...`)."""
        import warnings
        shown = warnings.showwarning

        def show(message, category, filename, lineno, file=None, line=None):
            if _is_cell_file(filename):
                line = linecache.getline(filename, lineno) if line is None else line
                filename = self._label(filename)
            shown(message, category, filename, lineno, file, line)

        warnings.showwarning = show

    def _shell_escape(self, command, *args, **kwargs):
        self.say(f"[not run] shell command `!{command}`: python -m numkeras run executes no shell commands")

    def _shell_output(self, command, *args, **kwargs):
        from IPython.utils.text import SList
        self._shell_escape(command)
        return SList()

    def _package_magic(self, name):
        def magic(line):
            self.say(f"[not run] `%{name} {line}`: python -m numkeras run installs no packages")
        magic.__name__ = name
        return magic

    def _matplotlib_magic(self, line=""):
        self.say(f"[not run] `%matplotlib {line}`: figures are drawn headless and saved as PNGs in "
                 f"{self.output_dir}")

    def _skip_reason(self, shell, source):
        """Why a whole cell is not run, or None to run it."""
        first = source.lstrip().split("\n", 1)[0].strip()
        if first.startswith("%%backend"):
            wanted = first.split()[-1] if len(first.split()) > 1 else "another"
            return (f"this cell needs Keras's {wanted} backend (`{first}`); numkeras runs on NumPy, "
                    f"so it is not run")
        if first.startswith("%%") and first[2:].split(" ", 1)[0] in SHELL_CELL_MAGICS:
            return f"a shell cell (`{first}`): python -m numkeras run executes no shell commands"
        if _only_shell_and_package_lines(shell, source):
            return (f"only shell commands or package installs (`{first}`): python -m numkeras run "
                    f"executes no shell commands and installs no packages")
        return None

    def _after_cell(self, backend_before):
        for path in FIGURES.end_cell():
            self.say(f"[figure saved: {path}]")
        now = os.environ.get("KERAS_BACKEND")
        if now != backend_before:
            self.say(f"[ignored] KERAS_BACKEND={now!r} set by the code: numkeras has one backend (NumPy); "
                     f"the setting is undone")
            if backend_before is None:
                os.environ.pop("KERAS_BACKEND", None)
            else:
                os.environ["KERAS_BACKEND"] = backend_before

    # -- scripts --------------------------------------------------------------
    def run_script(self, path, script_args=()):
        self.say(f"--- script {path}")
        FIGURES.begin_cell(1)
        backend = os.environ.get("KERAS_BACKEND")
        sys.argv = [path, *script_args]
        sys.path.insert(0, os.path.dirname(os.path.abspath(path)))
        error = None
        try:
            runpy.run_path(path, run_name="__main__")
        except SystemExit as e:
            if e.code not in (None, 0):
                error = e
        except Exception as e:  # noqa: BLE001 - any error of the user's script is reported, trimmed
            error = e
        self._after_cell(backend)
        if error is None:
            self.ran += 1
            return self._finish(None, 1)
        self.failed += 1
        if isinstance(error, SystemExit):
            self.say(f"the script exited with status {error.code!r}")
        else:
            self.say(self.trimmed_traceback(error))
        return self._finish(None, 1)

    # -- reporting ------------------------------------------------------------
    def _finish(self, stopped, total):
        if stopped is not None and stopped < total:
            self.say(f"stopped at cell {stopped} of {total}, the first that failed; --keep-going runs the rest")
        self.say(f"cells: {self.ran} ran, {self.skipped} skipped, {self.failed} failed")
        return 1 if self.failed else 0

    def trimmed_traceback(self, error):
        """The error's traceback cut to the frames of the user's own code (cells, scripts, their modules)."""
        if isinstance(error, SyntaxError) and error.__traceback__ is None or _is_cell_file(
                getattr(error, "filename", None) or ""):
            if isinstance(error, SyntaxError):
                error.filename = self._label(error.filename or "")
                return "".join(traceback.format_exception_only(type(error), error)).rstrip()
        frames = traceback.extract_tb(error.__traceback__)
        while frames and _library_file(frames[0].filename):  # the runner's and IPython's own calls
            frames.pop(0)
        kept = [frame for frame in frames if not _library_file(frame.filename)]
        lines = ["Traceback (most recent call last; frames inside numkeras, IPython and other libraries left out):"]
        for frame in kept:
            lines.append(f"  {self._label(frame.filename)}, line {frame.lineno}, in {frame.name}")
            text = frame.line or linecache.getline(frame.filename, frame.lineno).strip()
            if text:
                lines.append(f"    {text}")
        if len(kept) < len(frames):
            lines.append(f"  ... and {len(frames) - len(kept)} frame(s) in library code")
        lines.append("".join(traceback.format_exception_only(type(error), error)).rstrip())
        return "\n".join(lines)

    def _label(self, filename):
        """`cell 5` for a notebook cell's code, else the file's path."""
        if _is_cell_file(filename):
            from IPython.core.getipython import get_ipython
            shell = get_ipython()
            count = getattr(getattr(shell, "compile", None), "_filename_map", {}).get(filename)
            number = self._cell_of_count.get(count)
            return f"cell {number}" if number is not None else filename
        return f'File "{filename}"'


def _first_line(source, width=70):
    for line in source.splitlines():
        if line.strip():
            line = line.strip()
            return line if len(line) <= width else line[:width - 3] + "..."
    return "(empty)"


def _is_cell_file(filename):
    return filename.startswith("<ipython-input-")


def _library_roots():
    import numkeras
    roots = {os.path.dirname(os.path.abspath(numkeras.__file__))}
    for key in ("stdlib", "platstdlib", "purelib", "platlib"):
        path = sysconfig.get_paths().get(key)
        if path:
            roots.add(os.path.abspath(path))
    try:
        import IPython
        roots.add(os.path.dirname(os.path.abspath(IPython.__file__)))
    except ImportError:
        pass
    return tuple(root + os.sep for root in roots)


def _library_file(filename):
    if filename.startswith("<"):
        return not _is_cell_file(filename) and filename.startswith("<frozen")
    return os.path.abspath(filename).startswith(_library_roots())


def _only_shell_and_package_lines(shell, source):
    """Whether every statement of the cell, as IPython transforms it, is a shell escape or %pip/%conda."""
    try:
        tree = ast.parse(shell.transform_cell(source))
    except SyntaxError:
        return False
    if not tree.body:
        return False
    for statement in tree.body:
        call = statement.value if isinstance(statement, ast.Expr) else None
        if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
                and isinstance(call.func.value, ast.Call) and isinstance(call.func.value.func, ast.Name)
                and call.func.value.func.id == "get_ipython"):
            return False
        method = call.func.attr
        if method in ("system", "getoutput"):
            continue
        if (method == "run_line_magic" and call.args and isinstance(call.args[0], ast.Constant)
                and call.args[0].value in PACKAGE_MAGICS):
            continue
        return False
    return True
