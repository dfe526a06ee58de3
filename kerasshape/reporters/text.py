"""``path:line:col: CODE message``, one line per diagnostic; a hint goes below it.

With ``show_source`` the offending line follows, with carets under the reported
columns, then what was expected and what was found. ``color`` adds ANSI colours
(the CLI decides: a terminal, and neither ``NO_COLOR`` nor ``--color never``).
"""

from __future__ import annotations

import os

from ..diagnostics import CODES, Diagnostic

BOLD, RED, YELLOW, CYAN, BLUE, RESET = "\033[1m", "\033[31m", "\033[33m", "\033[36m", "\033[34m", "\033[0m"


def use_color(stream, choice: str = "auto", environ=None) -> bool:
    """``always``/``never`` as asked; ``auto``: only on a terminal, and never with NO_COLOR set
    (https://no-color.org) or TERM=dumb; FORCE_COLOR asks for colour off a terminal too."""
    env = os.environ if environ is None else environ
    if choice == "always":
        return True
    if choice == "never" or env.get("NO_COLOR"):
        return False
    if env.get("FORCE_COLOR"):
        return True
    if env.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except (OSError, ValueError):
        return False


def _paint(text: str, *codes: str, color: bool) -> str:
    return "".join(codes) + text + RESET if color else text


def format_line(d: Diagnostic, color: bool = False) -> str:
    if not color:
        return f"{d.path}:{d.line}:{d.col + 1}: {d.code} {d.message}"
    tone = YELLOW if d.severity == "warning" else RED
    where = _paint(f"{d.path}:{d.line}:{d.col + 1}:", BOLD, color=True)
    return f"{where} {_paint(d.code, BOLD, tone, color=True)} {d.message}"


_files: dict[str, list[str] | None] = {}


def source_lines(path: str) -> list[str] | None:
    """The lines of a reported file (read once); None when it cannot be read."""
    if path not in _files:
        try:
            with open(path, "rb") as fh:
                data = fh.read()
            text = data.decode("utf-8-sig", errors="replace")
            _files[path] = text.splitlines()
        except OSError:
            _files[path] = None
    return _files[path]


def source_excerpt(d: Diagnostic, lines: list[str] | None, color: bool = False) -> list[str]:
    """The reported line with carets under the range, then expected and found."""
    out: list[str] = []
    gutter = " " * (len(str(d.line)) + 1)
    bar = _paint("|", BLUE, BOLD, color=color)
    if lines is not None and 1 <= d.line <= len(lines):
        text = lines[d.line - 1].rstrip("\n")
        start = min(d.col, len(text))
        if d.end_col is not None and (d.end_line or d.line) == d.line:
            end = min(max(d.end_col, start + 1), max(len(text), start + 1))
        else:  # no end, or a range over several lines: to the end of this line
            end = max(len(text.rstrip()), start + 1)
        # keep the line's tabs in the padding so the carets line up under a tab-indented line
        pad = "".join("\t" if ch == "\t" else " " for ch in text[:start])
        carets = _paint("^" * (end - start), RED, BOLD, color=color)
        number = _paint(str(d.line), BLUE, BOLD, color=color)
        out += [f"{gutter} {bar}", f" {number} {bar} {text}", f"{gutter} {bar} {pad}{carets}"]
    for label, value in (("expected", d.expected), ("found", d.found)):
        if value:
            out.append(f"{gutter} = {label}: {value}")
    return out


def render(diagnostics: list[Diagnostic], show_hints: bool = True, show_source: bool = False,
           color: bool = False) -> str:
    lines = []
    for d in sorted(diagnostics, key=Diagnostic.sort_key):
        lines.append(format_line(d, color))
        if show_source:
            lines += source_excerpt(d, source_lines(d.path), color)
        if show_hints and d.hint:
            lines.append(f"    {_paint('hint:', CYAN, color=color)} {d.hint}")
    return "".join(line + "\n" for line in lines)


def statistics(diagnostics: list[Diagnostic], color: bool = False) -> str:
    """How many diagnostics of each code, most frequent first (as flake8/ruff --statistics)."""
    counts: dict[str, int] = {}
    for d in diagnostics:
        counts[d.code] = counts.get(d.code, 0) + 1
    rows = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    out = []
    for code, n in rows:
        name = CODES[code].name if code in CODES else ""
        out.append(f"{n:>5}  {_paint(code, BOLD, color=color)}  {name}".rstrip())
    if rows:
        files = len({d.path for d in diagnostics})
        total = len(diagnostics)
        out.append(f"{total:>5}  diagnostic{'s' if total != 1 else ''} in {files} file{'s' if files != 1 else ''}")
    return "".join(line + "\n" for line in out)
