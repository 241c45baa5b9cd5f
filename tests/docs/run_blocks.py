"""Runs a page's python blocks in order in this interpreter, one namespace, as a reader runs them.

Usage: python run_blocks.py BLOCKS.json RESULTS.json. BLOCKS.json holds a list of
{"name": ..., "code": ...}; RESULTS.json receives, for each block, what it printed (and the
traceback if it raised, doctest style: the header, the frames, the exception's last line).
Run by tests/docs/code_blocks_test.py in a fresh interpreter for each page.
"""
import contextlib
import io
import json
import sys
import traceback


def main(blocks_path, results_path):
    with open(blocks_path, encoding="utf-8") as f:
        blocks = json.load(f)
    namespace = {"__name__": "__main__"}
    results = []
    for block in blocks:
        out = io.StringIO()
        raised = None
        with contextlib.redirect_stdout(out):
            try:
                exec(compile(block["code"], block["name"], "exec"), namespace)
            except Exception as error:  # shown on the page as a traceback, or reported by the test
                raised = "".join(traceback.format_exception(type(error), error, error.__traceback__))
        text = out.getvalue()
        if raised:
            text += raised
        results.append({"output": text, "raised": raised is not None})
    with open(results_path, "w", encoding="utf-8") as f:
        json.dump(results, f)


if __name__ == "__main__":
    main(*sys.argv[1:])
