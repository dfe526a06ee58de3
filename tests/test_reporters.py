"""Each output format, from Diagnostic values only."""

from __future__ import annotations

import json

import pytest

from kerasshape.diagnostics import CODES, Code, Diagnostic
from kerasshape.reporters import FORMATS, render
from kerasshape.reporters.github import escape_data, escape_property

D1 = Diagnostic("pkg/model.py", 12, 4, "KS101", "LSTM expects a 3D input, got (None, 10)",
                end_line=12, end_col=29, expected="3D", found="(None, 10)",
                hint="put RepeatVector(n) before it", via=("build() at line 40",))
D2 = Diagnostic("a.py", 3, 0, "KS201", "Reshape cannot turn (None, 6, 5) into (4, 8)")


@pytest.fixture
def warning_code(monkeypatch):
    monkeypatch.setitem(CODES, "KS399", Code("KS399", "test-warning", "a likely mistake", "warning"))
    return "KS399"


def test_text_format():
    assert render("text", [D1, D2]) == (
        "a.py:3:1: KS201 Reshape cannot turn (None, 6, 5) into (4, 8)\n"
        "pkg/model.py:12:5: KS101 LSTM expects a 3D input, got (None, 10)\n"
        "    hint: put RepeatVector(n) before it\n")
    assert "hint" not in render("text", [D1], show_hints=False)
    assert render("text", []) == ""


def test_json_fields():
    items = json.loads(render("json", [D1, D2]))
    assert [i["path"] for i in items] == ["a.py", "pkg/model.py"]
    assert items[1] == {
        "path": "pkg/model.py", "line": 12, "column": 5, "end_line": 12, "end_column": 30,
        "code": "KS101", "severity": "error", "message": "LSTM expects a 3D input, got (None, 10)",
        "expected": "3D", "found": "(None, 10)", "hint": "put RepeatVector(n) before it",
        "via": ["build() at line 40"]}
    # no end position: the end is the start
    assert (items[0]["end_line"], items[0]["end_column"]) == (3, 1)
    assert json.loads(render("json", [])) == []


def test_json_severity_warning(warning_code):
    d = Diagnostic("m.py", 1, 0, warning_code, "hmm")
    assert json.loads(render("json", [d]))[0]["severity"] == "warning"


def test_github_format():
    assert render("github", [D1], show_hints=False) == (
        "::error file=pkg/model.py,line=12,col=5,endLine=12,endColumn=30,title=KS101::"
        "LSTM expects a 3D input, got (None, 10)\n")
    assert render("github", [D1]).endswith("(None, 10)%0Ahint: put RepeatVector(n) before it\n")


def test_github_escaping():
    assert escape_data("100% a\r\nb:c,d") == "100%25 a%0D%0Ab:c,d"
    assert escape_property("100% a\r\nb:c,d") == "100%25 a%0D%0Ab%3Ac%2Cd"
    d = Diagnostic("dir,x/C:odd%.py", 1, 0, "KS301", "50% off:\nline two, ok")
    assert render("github", [d]) == (
        "::error file=dir%2Cx/C%3Aodd%25.py,line=1,col=1,endLine=1,endColumn=1,title=KS301::"
        "50%25 off:%0Aline two, ok\n")


def test_github_warning(warning_code):
    d = Diagnostic("m.py", 2, 1, warning_code, "hmm")
    assert render("github", [d]).startswith("::warning file=m.py,line=2,col=2,")


def test_every_format_renders_nothing_or_an_empty_document():
    for name in FORMATS:
        out = render(name, [])
        if name in ("json", "sarif"):
            json.loads(out)
        else:
            assert out == ""


def test_unknown_format():
    with pytest.raises(ValueError):
        render("xml", [D1])


def test_reporters_import_no_analysis_modules():
    # reporters see only Diagnostic values: they never reach the engine or libcst
    import ast
    from pathlib import Path

    import kerasshape.reporters as pkg

    for path in Path(pkg.__file__).parent.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names.update(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom):
                names.add(("." * node.level) + (node.module or ""))
        bad = {n for n in names if n.split(".")[-1] in ("engine", "libcst", "values", "resolve")
               or n.startswith(("libcst", "tensorflow", "keras"))}
        assert not bad, f"{path.name} imports {bad}"


def test_text_show_source(tmp_path):
    from kerasshape.reporters.text import source_lines

    src = tmp_path / "m.py"
    src.write_text("import keras\ny = keras.layers.LSTM(8)(x)\nz = f(\n    a)\n", encoding="utf-8")
    d = Diagnostic(str(src), 2, 4, "KS101", "LSTM expects a 3D input", end_line=2, end_col=25,
                   expected="ndim=3", found="ndim=2", hint="add a time axis")
    assert render("text", [d], show_source=True) == (
        f"{src}:2:5: KS101 LSTM expects a 3D input\n"
        "   |\n"
        " 2 | y = keras.layers.LSTM(8)(x)\n"
        "   |     ^^^^^^^^^^^^^^^^^^^^^\n"
        "   = expected: ndim=3\n"
        "   = found: ndim=2\n"
        "    hint: add a time axis\n")
    # a range over several lines: carets to the end of the first; no end: likewise
    multi = Diagnostic(str(src), 3, 4, "KS301", "m", end_line=4, end_col=6)
    assert render("text", [multi], show_source=True).splitlines()[3] == "   |     ^^"
    # a file that cannot be read: the expected/found lines still come
    gone = Diagnostic(str(tmp_path / "gone.py"), 12, 0, "KS101", "m", expected="3D", found="2D")
    assert render("text", [gone], show_source=True).splitlines()[1:] == [
        "    = expected: 3D", "    = found: 2D"]
    assert source_lines(str(tmp_path / "gone.py")) is None
    # other formats ignore the text options
    assert render("json", [d], show_source=True, color=True) == render("json", [d])


def test_text_colour():
    out = render("text", [D1], color=True)
    assert out.startswith("\033[1mpkg/model.py:12:5:\033[0m \033[1m\033[31mKS101\033[0m LSTM")
    assert "\033[36mhint:\033[0m" in out
    assert render("text", [D1], color=False) == render("text", [D1])


def test_statistics_counts_per_code():
    from kerasshape.reporters.text import statistics

    diags = [D1, D2, Diagnostic("a.py", 9, 0, "KS201", "again")]
    assert statistics(diags) == (
        "    2  KS201  reshape-size\n"
        "    1  KS101  input-rank\n"
        "    3  diagnostics in 2 files\n")
    assert statistics([]) == ""
