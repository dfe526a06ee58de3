"""``path:line:col: CODE message``, one line per diagnostic; a hint goes below it."""

from __future__ import annotations

from ..diagnostics import Diagnostic


def format_line(d: Diagnostic) -> str:
    return f"{d.path}:{d.line}:{d.col + 1}: {d.code} {d.message}"


def render(diagnostics: list[Diagnostic], show_hints: bool = True) -> str:
    lines = []
    for d in sorted(diagnostics, key=Diagnostic.sort_key):
        lines.append(format_line(d))
        if show_hints and d.hint:
            lines.append(f"    hint: {d.hint}")
    return "".join(line + "\n" for line in lines)
