"""Each Korean page has its English twin's outline and code.

`name.ko.md` beside `name.md`: the same number of headings at the same levels in the same order, the
same anchors where the Korean heading names one (`{#anchor}`), the same number of images, and the
same code blocks in the same order (language and code; comments may be translated, so they are left
out of the comparison, and an output block's title is "출력" instead of "Output").
"""
import io
import re
import tokenize

import pytest

from tests.docs import markdown_pages

KOREAN = markdown_pages.pages(korean=True)


def _without_comments(block):
    if block.is_python:
        tokens = [t for t in tokenize.generate_tokens(io.StringIO(block.text).readline) if t.type != tokenize.COMMENT]
        return [line.rstrip() for line in tokenize.untokenize(tokens).splitlines()]
    if block.lang in ("bash", "sh", "shell", "console"):
        return [re.sub(r"\s+#.*$", "", line).rstrip() for line in block.text.splitlines()]
    return [line.rstrip() for line in block.text.splitlines()]


def _anchor(heading_text):
    found = re.search(r"\{#([\w-]+)\}\s*$", heading_text)
    return found.group(1) if found else None


def test_there_are_korean_pages_with_english_twins():
    assert "getting-started.ko.md" in [p.name for p in KOREAN]
    for page in KOREAN:
        assert markdown_pages.english_twin(page.path).exists(), f"{page.name} has no English twin"


@pytest.mark.parametrize("korean", KOREAN, ids=[p.name for p in KOREAN])
def test_korean_page_has_the_english_outline(korean):
    english = markdown_pages.read_page(markdown_pages.english_twin(korean.path))
    assert [level for level, _ in korean.headings] == [level for level, _ in english.headings], (
        f"{korean.name}: heading levels {[l for l, _ in korean.headings]} differ from {english.name}'s "
        f"{[l for l, _ in english.headings]}")
    for (_, ko_text), (_, en_text) in zip(korean.headings, english.headings):
        anchor = _anchor(ko_text)
        if anchor is not None:
            slug = _anchor(en_text) or re.sub(r"[^\w\s-]", "", en_text.lower()).strip().replace(" ", "-")
            slug = re.sub(r"-+", "-", slug)
            assert anchor == slug, f"{korean.name}: heading {ko_text!r} has anchor #{anchor}, its twin {en_text!r} #{slug}"
    assert len(korean.images) == len(english.images), f"{korean.name}: {len(korean.images)} images, {english.name} {len(english.images)}"


@pytest.mark.parametrize("korean", KOREAN, ids=[p.name for p in KOREAN])
def test_korean_page_has_the_english_code(korean):
    english = markdown_pages.read_page(markdown_pages.english_twin(korean.path))
    ko_blocks = [(b.lang, b.is_output, _without_comments(b)) for b in korean.blocks]
    en_blocks = [(b.lang, b.is_output, _without_comments(b)) for b in english.blocks]
    assert len(ko_blocks) == len(en_blocks), f"{korean.name}: {len(ko_blocks)} code blocks, {english.name} {len(en_blocks)}"
    for ko, en, block in zip(ko_blocks, en_blocks, korean.blocks):
        assert ko == en, f"{korean.name}:{block.line}: this block differs from its English twin's:\n{ko}\n{en}"


def test_the_comparison_catches_a_changed_line():
    # The comparison ignores comments only: a changed argument is caught.
    a = markdown_pages.Block("python", "", "fit(x, epochs=5)  # train\n", 1)
    b = markdown_pages.Block("python", "", "fit(x, epochs=5)  # 훈련\n", 1)
    c = markdown_pages.Block("python", "", "fit(x, epochs=6)  # 훈련\n", 1)
    assert _without_comments(a) == _without_comments(b) != _without_comments(c)
