"""Draws the training-curve pictures of the getting-started page by running the page's own code.

The page's python blocks that call `plot_history` are run in page order, in one namespace, in the
output folder, so the pictures are exactly what a reader running those blocks gets (the bundled
digits set, a fixed seed: seconds, the same on every run). Run it after changing those blocks:

    python tests/docs/training_curves.py              # writes docs/images/getting-started/*.png

`--out FOLDER` writes elsewhere; tests/docs/training_curves_test.py draws into a temporary
folder and compares the pictures with the committed ones.
"""
import argparse
import contextlib
import os
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "getting-started.md"
DEFAULT_OUT = ROOT / "docs" / "images" / "getting-started"


def curve_blocks(page=PAGE):
    sys.path.insert(0, str(ROOT))
    from tests.docs import markdown_pages
    return [b.text for b in markdown_pages.read_page(page).python_blocks if "plot_history(" in b.text]


def draw(out=DEFAULT_OUT):
    """Runs the page's plotting blocks in `out`; returns the paths of the PNG files written."""
    import matplotlib
    matplotlib.use("Agg")
    out = pathlib.Path(out)
    out.mkdir(parents=True, exist_ok=True)
    before = os.getcwd()
    namespace = {"__name__": "__main__"}
    try:
        os.chdir(out)
        with contextlib.redirect_stdout(open(os.devnull, "w")):
            for code in curve_blocks():
                exec(compile(code, str(PAGE), "exec"), namespace)
    finally:
        os.chdir(before)
    return sorted(out.glob("*.png"))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(DEFAULT_OUT), help="folder for the PNG files (default: %(default)s)")
    for path in draw(parser.parse_args(argv).out):
        print(path)


if __name__ == "__main__":
    main()
