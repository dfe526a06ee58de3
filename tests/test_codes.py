"""Every diagnostic code has its rule page, and the pages agree with the engine."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kerasshape import check_source, cli
from kerasshape.diagnostics import CODES
from kerasshape.rulepages import HEADINGS, page_path, read_page, sections

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "rules"
_FENCE = re.compile(r"```(\w*)\n(.*?)```", re.S)
_EXPECT = re.compile(r"#\s*(?:error|warning):\s*(KS\d{3}(?:\s*,\s*KS\d{3})*)")


def python_blocks(text: str) -> list[str]:
    return [body for lang, body in _FENCE.findall(text) if lang == "python"]


@pytest.mark.parametrize("code", list(CODES))
def test_every_code_has_a_page_with_the_four_headings(code):
    path = RULES / f"{code}.md"
    assert path.is_file(), f"rules/{code}.md is missing"
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == f"# {code}: {CODES[code].name}"
    headings = re.findall(r"^## (.+)$", text, re.M)
    assert headings == list(HEADINGS)
    parts = sections(text)
    for heading in HEADINGS:
        assert parts[heading].strip(), f"{code}: {heading} is empty"
    assert len(parts["What it reports"].split("\n\n")[0]) < 400


def test_pages_are_found_from_the_package():
    assert page_path("KS101") is not None
    assert read_page("KS101") == (RULES / "KS101.md").read_text(encoding="utf-8")
    assert read_page("KS999") is None


def test_pages_name_only_known_codes():
    for path in RULES.glob("*.md"):
        assert path.stem in CODES, f"{path.name} is not a known code"
        unknown = set(re.findall(r"\bKS\d{3}\b", path.read_text(encoding="utf-8"))) - set(CODES)
        assert not unknown, f"{path.name} names {unknown}"


def test_kerasshape_rule_prints_the_page(capsys):
    assert cli.main(["rule", "KS101"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# KS101: input-rank")
    for heading in HEADINGS:
        assert f"## {heading}" in out


def test_readme_lists_every_code():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for code in CODES:
        assert f"| {code} |" in readme, f"README's code table misses {code}"


# The examples on the pages are linted like fixtures: the Example reports exactly the
# codes marked on its lines, the Fix reports nothing.
KERAS_CODES = [c for c in CODES if c[2] in "1234"]


@pytest.mark.parametrize("code", KERAS_CODES)
def test_page_example_is_reported_and_fix_is_clean(code):
    parts = sections(read_page(code))
    [example] = python_blocks(parts["Example"])
    want = set()
    for lineno, line in enumerate(example.splitlines(), start=1):
        for m in _EXPECT.finditer(line):
            want |= {(lineno, c.strip()) for c in m.group(1).split(",")}
    assert want and {c for _, c in want} == {code}
    got = {(d.line, d.code) for d in check_source(example, f"{code}.py").diagnostics}
    assert got == want
    for fix in python_blocks(parts["Fix"]):
        assert check_source(fix, f"{code}-fix.py").diagnostics == []


def test_every_shape_code_has_a_fixture_and_fixtures_name_only_known_codes():
    from .fixtures_lib import expectations, fixture_files

    used = set()
    for path in fixture_files():
        used.update(code for _, code in expectations(path))
    assert used <= set(CODES), used - set(CODES)
    missing = {c for c in CODES if not c.startswith("KS0")} - used
    assert not missing, f"codes without a fixture: {sorted(missing)}"
