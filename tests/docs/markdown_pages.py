"""Reads the documentation's Markdown pages: their headings, fenced code blocks and images.

The conventions the docs tests hold the pages to (tests/docs/code_blocks_test.py and
translations_test.py):

- Every ```python block of a page runs, in page order, in one fresh interpreter (like a notebook's
  cells), from an empty working folder, with warnings as errors.
- A block titled "Output" (English) or "출력" (Korean) -- ```text title="Output" -- that follows a
  python block, with only blank lines between, shows what that python block prints. The test
  compares them; `...` in the shown output stands for any text (doctest's ELLIPSIS), for the parts
  that change from run to run (timings, accuracies). When the python block raises, its shown output
  ends with the traceback, doctest style: `Traceback (most recent call last):`, `...`, then the
  exception's last line.
- `<!-- docs-test: skip REASON -->` on the line before a python block leaves it out (say why).
- A Korean page `name.ko.md` sits beside its English twin `name.md`, with the same headings (count
  and levels) and the same code blocks.
"""
import dataclasses
import pathlib
import re

DOCS = pathlib.Path(__file__).resolve().parents[2] / "docs"
OUTPUT_TITLES = ("Output", "출력")
PYTHON_LANGS = ("python", "py", "python3")

_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
_HEADING = re.compile(r"^(?P<hashes>#{1,6})[ \t]+(?P<text>.+?)[ \t]*#*[ \t]*$")
_SKIP = re.compile(r"^\s*<!--\s*docs-test:\s*skip\b(?P<reason>.*?)-->\s*$")
_IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\((?P<src>[^)\s]+)")


@dataclasses.dataclass
class Block:
    lang: str
    title: str
    text: str
    line: int          # 1-based line of the opening fence
    skip: str = None   # the reason given by a docs-test: skip marker, else None
    follows: int = None  # for an output block: the index of the python block it shows, else None

    @property
    def is_python(self):
        return self.lang in PYTHON_LANGS

    @property
    def is_output(self):
        return self.title in OUTPUT_TITLES


@dataclasses.dataclass
class Page:
    path: pathlib.Path
    headings: list   # (level, text)
    blocks: list     # Block
    images: list     # (alt, src)

    @property
    def name(self):
        return self.path.relative_to(DOCS).as_posix()

    @property
    def python_blocks(self):
        return [b for b in self.blocks if b.is_python]


def _info(info):
    """The language and title of a fence's info string: `python title="x"` or `{ .python title="x" }`."""
    info = info.strip()
    title = re.search(r'title="([^"]*)"', info)
    words = info.strip("{}").split()
    lang = words[0].lstrip(".") if words and not words[0].startswith("title=") else ""
    return lang.lower(), title.group(1) if title else ""


def read_page(path):
    lines = pathlib.Path(path).read_text(encoding="utf-8").splitlines()
    headings, blocks, images = [], [], []
    i, skip, last_python, blank_since_python = 0, None, None, True
    while i < len(lines):
        line = lines[i]
        fence = _FENCE.match(line)
        if fence:
            indent, mark = fence.group("indent"), fence.group("fence")
            lang, title = _info(fence.group("info"))
            body, j = [], i + 1
            while j < len(lines) and not re.match(rf"^{re.escape(indent)}{mark[0]}{{{len(mark)},}}\s*$", lines[j]):
                body.append(lines[j][len(indent):] if lines[j].startswith(indent) else lines[j].lstrip())
                j += 1
            if j == len(lines):
                raise ValueError(f"{path}:{i + 1}: a code fence opened here is never closed")
            block = Block(lang, title, "\n".join(body) + "\n", i + 1, skip)
            if block.is_output:
                if last_python is None or not blank_since_python:
                    raise ValueError(f"{path}:{i + 1}: an output block must follow a python block "
                                     f"(only blank lines between)")
                block.follows = last_python
            blocks.append(block)
            if block.is_python:
                last_python, blank_since_python = len(blocks) - 1, True
            else:
                last_python = None
            skip, i = None, j + 1
            continue
        if line.strip():
            blank_since_python = False
        marker = _SKIP.match(line)
        if marker:
            skip = marker.group("reason").strip() or "no reason given"
        else:
            heading = _HEADING.match(line)
            if heading:
                headings.append((len(heading.group("hashes")), heading.group("text")))
            images.extend((m.group("alt"), m.group("src")) for m in _IMAGE.finditer(line))
        i += 1
    return Page(pathlib.Path(path), headings, blocks, images)


def pages(korean=None):
    """Every page under docs/: all of them, or only the Korean (True) or only the English (False) ones."""
    found = sorted(DOCS.rglob("*.md"))
    if korean is not None:
        found = [p for p in found if p.name.endswith(".ko.md") == korean]
    return [read_page(p) for p in found]


def english_twin(path):
    path = pathlib.Path(path)
    return path.with_name(path.name[:-len(".ko.md")] + ".md")
