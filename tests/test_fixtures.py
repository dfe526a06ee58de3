"""Every fixture's diagnostics are exactly the ones written inline next to the lines."""

from __future__ import annotations

import pytest

from kerasshape import check_file

from .fixtures_lib import FIXTURES, expectations, expected_severity, fixture_files

FILES = fixture_files()


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(FIXTURES)) for p in FILES])
def test_fixture(path):
    analysis = check_file(str(path))
    want = expectations(path)
    got = {(d.line, d.code): d for d in analysis.diagnostics}
    missing = sorted(set(want) - set(got))
    extra = sorted(set(got) - set(want))
    lines = [f"missing {line}:{code}" for line, code in missing]
    lines += [f"extra   {line}:{code} {got[(line, code)].message}" for line, code in extra]
    assert not lines, "\n".join(lines)
    severities = expected_severity(path)
    for key, words in want.items():
        diag = got[key]
        for word in words:
            assert word in diag.message, f"{key}: {word!r} not in {diag.message!r}"
        assert diag.severity == severities[key], f"{key}: severity {diag.severity}"


def test_there_are_fixtures():
    assert len(FILES) >= 20
    assert any(expectations(p) for p in FILES)
    assert any(not expectations(p) for p in FILES)
