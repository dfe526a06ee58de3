"""Each rule page's Example really fails in Keras, with the error the page quotes,
and its Fix really builds."""

from __future__ import annotations

import os
import re

import pytest

from kerasshape.diagnostics import CODES
from kerasshape.rulepages import read_page, sections

_FENCE = re.compile(r"```(\w*)\n(.*?)```", re.S)
_ANSI = re.compile(r"\x1b\[[0-9;]*m")

# Pages whose examples are Keras code (KS0xx are about the file, not the model).
KERAS_CODES = [c for c in CODES if c[2] in "1234"]


def blocks(text: str, lang: str) -> list[str]:
    return [body for fence_lang, body in _FENCE.findall(text) if fence_lang == lang]


def _norm(text: str) -> str:
    return " ".join(_ANSI.sub("", text).split())


def quoted_error(page: str) -> str:
    """The first line of the first ```text block under "Why it matters"."""
    quoted = blocks(sections(page)["Why it matters"], "text")
    assert quoted, "Why it matters quotes no error in a ```text block"
    return quoted[0].strip().splitlines()[0]


@pytest.fixture(scope="module")
def keras():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    return pytest.importorskip("keras")


def _run(snippet: str, name: str) -> None:
    exec(compile(snippet, name, "exec"), {"__name__": "__rule_example__"})


@pytest.mark.tf
@pytest.mark.parametrize("code", KERAS_CODES)
def test_example_raises_the_quoted_error(code, keras):
    page = read_page(code)
    example = blocks(sections(page)["Example"], "python")
    assert len(example) == 1, "Example needs exactly one ```python block"
    keras.backend.clear_session()  # automatic layer names ("dense", "lstm") start afresh
    if CODES[code].severity == "warning":
        # Keras runs the example: the mistake is silent, which is why it is reported
        assert f"# warning: {code}" in example[0]
        _run(example[0], f"{code}-example.py")
        return
    assert f"# error: {code}" in example[0]
    with pytest.raises(Exception) as info:
        _run(example[0], f"{code}-example.py")
    got = _norm(f"{type(info.value).__name__}: {info.value}")
    assert _norm(quoted_error(page)) in got


@pytest.mark.tf
@pytest.mark.parametrize("code", KERAS_CODES)
def test_fix_builds(code, keras):
    fixes = blocks(sections(read_page(code))["Fix"], "python")
    assert fixes, "Fix needs a ```python block"
    for snippet in fixes:
        assert "# error:" not in snippet
        keras.backend.clear_session()
        _run(snippet, f"{code}-fix.py")


def test_syntax_error_example_does_not_compile():
    page = sections(read_page("KS001"))
    with pytest.raises(SyntaxError):
        compile(blocks(page["Example"], "python")[0], "KS001-example.py", "exec")
    compile(blocks(page["Fix"], "python")[0], "KS001-fix.py", "exec")


def test_quoted_errors_name_no_session_specific_layer():
    # "dense_3" would only appear after other layers were created in the same session
    for code in (c for c in KERAS_CODES if CODES[c].severity == "error"):
        assert not re.search(r"'[a-z_]+_\d+'", quoted_error(read_page(code))), code
