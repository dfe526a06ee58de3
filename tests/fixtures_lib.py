"""Reading the expectations written inline in fixtures: ``# error: KS101, KS301``."""

from __future__ import annotations

import re
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"

_EXPECT = re.compile(r"#\s*(?P<sev>error|warning):\s*(?P<codes>KS\d{3}(?:\s*,\s*KS\d{3})*)"
                     r"(?P<words>(?:\s+\"[^\"]*\")*)")


def fixture_files() -> list[Path]:
    return sorted(p for p in FIXTURES.rglob("*.py") if "__pycache__" not in p.parts)


def expectations(path: Path) -> dict:
    """{(line, code): [pinned words]} from the fixture's inline comments."""
    out: dict = {}
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        for m in _EXPECT.finditer(line):
            words = re.findall(r"\"([^\"]*)\"", m.group("words") or "")
            for code in re.split(r"\s*,\s*", m.group("codes")):
                out[(lineno, code)] = words
    return out


def expected_severity(path: Path) -> dict:
    out = {}
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        for m in _EXPECT.finditer(line):
            for code in re.split(r"\s*,\s*", m.group("codes")):
                out[(lineno, code)] = m.group("sev")
    return out
