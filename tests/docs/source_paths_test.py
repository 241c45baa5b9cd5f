"""The source files the hand-written pages point readers to exist: a page that names
`numkeras/engine/tape.py` must not outlive a move of that file."""
import pathlib
import re

import pytest

from tests.docs import markdown_pages

ROOT = markdown_pages.DOCS.parent
_PATH = re.compile(r"`((?:numkeras|tests|benchmarks|tools)/[\w./*-]+)`")
PAGES = [p for p in sorted(markdown_pages.DOCS.rglob("*.md")) if "api" not in p.relative_to(markdown_pages.DOCS).parts]


def test_the_pages_name_source_files():
    assert any(_PATH.search(p.read_text(encoding="utf-8")) for p in PAGES)


@pytest.mark.parametrize("page", PAGES, ids=[p.relative_to(markdown_pages.DOCS).as_posix() for p in PAGES])
def test_every_source_path_a_page_names_exists(page):
    missing = [path for path in _PATH.findall(page.read_text(encoding="utf-8"))
               if not (list(ROOT.glob(path)) if "*" in path else (ROOT / path).exists())]
    assert not missing, f"{page.name} names paths that do not exist: {missing}"
