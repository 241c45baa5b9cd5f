"""A griffe extension for the API reference (mkdocs.yml loads it): numkeras's docstrings title their
doctest section `Example:`, which griffe's Google parser reads as an admonition, so the `>>>` lines
would render as nested quotes. This renames the title to `Examples:`, the section griffe renders as
Python console code. The docstrings themselves stay as they are (tests/docstring_examples_test.py
runs them).
"""
import re

import griffe

_EXAMPLE_TITLE = re.compile(r"^(\s*)Example:[ \t]*$", flags=re.M)


class ExampleSections(griffe.Extension):
    """Reads a docstring's `Example:` section as `Examples:`."""

    def on_instance(self, *, obj, **kwargs):  # noqa: D102 - griffe's hook
        if obj.docstring is not None:
            obj.docstring.value = _EXAMPLE_TITLE.sub(r"\1Examples:", obj.docstring.value)
