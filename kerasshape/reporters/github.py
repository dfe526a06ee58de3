"""GitHub Actions workflow commands: ``::error file=...,line=...::message``.

Escaping as GitHub's runner expects it: in the message ``%``, CR and LF are
percent-encoded; in property values ``:`` and ``,`` are as well.
"""

from __future__ import annotations

from ..diagnostics import Diagnostic


def escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def format_command(d: Diagnostic, show_hints: bool = True) -> str:
    f = d.to_dict()
    command = "warning" if d.severity == "warning" else "error"
    props = ",".join([
        f"file={escape_property(d.path)}",
        f"line={f['line']}",
        f"col={f['column']}",
        f"endLine={f['end_line']}",
        f"endColumn={f['end_column']}",
        f"title={escape_property(d.code)}",
    ])
    message = d.message
    if show_hints and d.hint:
        message += f"\nhint: {d.hint}"
    return f"::{command} {props}::{escape_data(message)}"


def render(diagnostics: list[Diagnostic], show_hints: bool = True) -> str:
    return "".join(format_command(d, show_hints) + "\n"
                   for d in sorted(diagnostics, key=Diagnostic.sort_key))
