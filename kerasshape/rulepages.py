"""The rule pages (``rules/KS101.md``): found, read and split into sections.

A page is the single source for ``kerasshape rule``, the SARIF help and the docs.
The wheel carries the pages as ``kerasshape/rules/``; an editable install or a
checkout reads the top-level ``rules/`` folder beside the package.
"""

from __future__ import annotations

import re
from pathlib import Path

# Where the project lives; SARIF's informationUri and every helpUri point here.
HOMEPAGE = "https://github.com/kerasshape/kerasshape"
RULES_URL = HOMEPAGE + "/blob/main/rules/{code}.md"

HEADINGS = ("What it reports", "Why it matters", "Example", "Fix")

_PACKAGE = Path(__file__).resolve().parent


def rules_dirs() -> list[Path]:
    """Folders that may hold the pages, best first: inside the package, then beside it."""
    return [_PACKAGE / "rules", _PACKAGE.parent / "rules"]


def page_path(code: str) -> Path | None:
    for folder in rules_dirs():
        path = folder / f"{code}.md"
        if path.is_file():
            return path
    return None


def read_page(code: str) -> str | None:
    path = page_path(code)
    if path is None:
        return None
    return path.read_text(encoding="utf-8")


def help_uri(code: str) -> str:
    return RULES_URL.format(code=code)


_HEADING = re.compile(r"^##\s+(.+?)\s*$", re.M)


def sections(text: str) -> dict[str, str]:
    """``## Heading`` -> the text under it, stripped."""
    out: dict[str, str] = {}
    marks = list(_HEADING.finditer(text))
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        out[m.group(1)] = text[m.end():end].strip()
    return out


def first_paragraph(text: str) -> str:
    """The first paragraph of a section, joined into one line."""
    para = text.strip().split("\n\n", 1)[0]
    return " ".join(line.strip() for line in para.splitlines())
